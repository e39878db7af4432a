"""Layers whose random initial weights never reach a result: each is set to fixed values.

`nn.Linear` and `nn.Conv2d` start from random weights, which is why a PyTorch training loop
without `torch.manual_seed` differs run to run. A layer built and then set in full, in the
same function, by `nn.init.zeros_` / `constant_` / `ones_` / `eye_` / `dirac_` (or a tensor's
`.zero_()` / `.fill_()`) starts the same every run: LightAutoML's `CatLinear` builds
`nn.Linear(n, 1, bias=False)` and zeroes its weight at once, then fits it with full-batch
L-BFGS, so nothing in its training is drawn at random. Every parameter counts: a layer whose
bias is left at its random start, or one whose parameters are not known here (an LSTM), is
not fixed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from team.review.catalog import words

__all__ = ["fixed_layers"]

# The parameters each layer has: `bias` only where the layer takes a `bias` switch.
_WEIGHT_AND_BIAS = re.compile(r"^(Lazy)?(Linear|Bilinear|Conv(Transpose)?[123]d)$")
_WEIGHT_ONLY = re.compile(r"^Embedding(Bag)?$")
_FIXED_INIT = words("zeros_ ones_ constant_ eye_ dirac_")
_FIXED_FILL = words("zero_ fill_")


def _parameters(call: ast.Call, last: str) -> set[str] | None:
    """The parameters a layer constructor makes, or None when this layer is not known here."""
    if _WEIGHT_ONLY.match(last):
        return {"weight"}
    if not _WEIGHT_AND_BIAS.match(last):
        return None
    bias = next((k.value for k in call.keywords if k.arg == "bias"), None)
    off = isinstance(bias, ast.Constant) and bias.value is False
    return {"weight"} if off else {"weight", "bias"}


def _set_parameter(node: ast.Call, qualify: Callable[[ast.AST], str | None]) -> str | None:
    """`self.linear.weight` for `nn.init.zeros_(self.linear.weight)` or
    `self.linear.weight.data.fill_(0.0)`: the parameter a call sets to fixed values."""
    qual = qualify(node.func) or ""
    if qual.startswith("torch.nn.init.") and qual.rsplit(".", 1)[-1] in _FIXED_INIT:
        target = node.args[0] if node.args else None
    elif isinstance(node.func, ast.Attribute) and node.func.attr in _FIXED_FILL:
        target = node.func.value
    else:
        return None
    if isinstance(target, ast.Attribute) and target.attr == "data":
        target = target.value
    return ast.unparse(target) if isinstance(target, ast.Attribute) else None


def _scopes(tree: ast.Module) -> list[ast.AST]:
    """The module and each function: a layer and the calls that fix it share one."""
    return [
        tree,
        *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
    ]


def _own_statements(scope: ast.AST) -> list[ast.stmt]:
    """The statements of a scope, not those of the functions nested in it."""
    out: list[ast.stmt] = []
    todo = list(getattr(scope, "body", []))
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        out.append(stmt)
        todo.extend(c for c in ast.iter_child_nodes(stmt) if isinstance(c, ast.stmt))
    return out


def fixed_layers(tree: ast.Module, qualify: Callable[[ast.AST], str | None]) -> set[int]:
    """Ids of the layer constructor calls (`self.linear = nn.Linear(...)`) whose every parameter
    the same function sets to fixed values."""
    out: set[int] = set()
    for scope in _scopes(tree):
        statements = _own_statements(scope)
        calls = [n for s in statements for n in ast.walk(s) if isinstance(n, ast.Call)]
        fixed = {p for c in calls if (p := _set_parameter(c, qualify)) is not None}
        if not fixed:
            continue
        for stmt in statements:
            if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
                continue
            qual = qualify(stmt.value.func) or ""
            if not qual.startswith("torch.nn."):
                continue
            params = _parameters(stmt.value, qual.rsplit(".", 1)[-1])
            if params and any(
                all(f"{ast.unparse(t)}.{p}" in fixed for p in params) for t in stmt.targets
            ):
                out.add(id(stmt.value))
    return out
