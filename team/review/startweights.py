"""Layers and models whose random initial weights never reach a result.

`nn.Linear` and `nn.Conv2d` start from random weights, which is why a PyTorch training loop
without `torch.manual_seed` differs run to run. A layer built and then set in full, in the
same function, by `nn.init.zeros_` / `constant_` / `ones_` / `eye_` / `dirac_` (or a tensor's
`.zero_()` / `.fill_()`) starts the same every run: LightAutoML's `CatLinear` builds
`nn.Linear(n, 1, bias=False)` and zeroes its weight at once, then fits it with full-batch
L-BFGS, so nothing in its training is drawn at random. Every parameter counts: a layer whose
bias is left at its random start, or one whose parameters are not known here (an LSTM), is
not fixed.

A model built only to receive saved weights starts from them, not from its random
initialisation: Stanza's `Trainer.load` builds a `CNNClassifier` and at once calls
`model.load_state_dict(saved["model"], strict=False)`. The load must come before any other use of the model
(moving it to a device aside): a model trained and then given its best checkpoint has trained
from its random start. A partial load (`strict=False`) keeps the random start of every layer
the file lacks, so it counts only in a load path (a function named `load*`, `restore*`,
`from_*`), which restores a saved model whose other parts (Stanza's pretrained embeddings) are
read from their own files.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import lru_cache

from team.review.catalog import words

__all__ = ["fixed_layers", "replaced_by_saved_weights"]

# The parameters each layer has: `bias` only where the layer takes a `bias` switch.
_WEIGHT_AND_BIAS = re.compile(r"^(Lazy)?(Linear|Bilinear|Conv(Transpose)?[123]d)$")
_WEIGHT_ONLY = re.compile(r"^Embedding(Bag)?$")
_FIXED_INIT = words("zeros_ ones_ constant_ eye_ dirac_")
_FIXED_FILL = words("zero_ fill_")
_LOADS_WEIGHTS = words("load_state_dict load_weights")
_MOVES = words("to cuda cpu eval train float double half")
_LOAD_PATH = re.compile(r"^_?(load|restore|from_)")
# the value of each switch that loads every weight: PyTorch's strict, Keras' by_name
_FULL_LOAD = {"strict": True, "by_name": False, "skip_mismatch": False}


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


def _loaded(call: ast.Call, *, partial_ok: bool) -> str | None:
    """`model.load_state_dict(state)`: the receiver whose weights the call replaces (in full,
    unless `partial_ok`)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in _LOADS_WEIGHTS):
        return None
    partial = any(
        k.arg in _FULL_LOAD
        and not (isinstance(k.value, ast.Constant) and k.value.value is _FULL_LOAD[k.arg])
        for k in call.keywords
    )
    return None if partial and not partial_ok else ast.unparse(func.value)


def _mentions(node: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name | ast.Attribute) and ast.unparse(n) == name for n in ast.walk(node)
    )


def _passes_by(stmt: ast.stmt, name: str) -> bool:
    """A statement that leaves the model's weights as they are: `model = Other(...)` in another
    branch, or `model.to(device)` / `model = model.eval()`."""
    value = stmt.value if isinstance(stmt, ast.Assign | ast.Expr) else None
    if isinstance(stmt, ast.Assign) and value is not None and not _mentions(value, name):
        return True  # rebound without reading it
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _MOVES
        and ast.unparse(value.func.value) == name
    )


def _loaded_first(rest: list[ast.stmt], name: str, *, partial_ok: bool) -> bool:
    """The first of `rest` that uses `name` (moves aside) fills it with saved weights."""
    for stmt in rest:
        if not _mentions(stmt, name) or _passes_by(stmt, name):
            continue
        calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        return any(_loaded(c, partial_ok=partial_ok) == name for c in calls)
    return False


@lru_cache(maxsize=16)  # asked by the torch loop and the estimator rules of one module
def replaced_by_saved_weights(tree: ast.Module) -> set[int]:
    """Ids of the constructor calls (`model = CNNClassifier(...)`) whose result the same function
    fills with saved weights (`model.load_state_dict(...)`) before any other use."""
    out: set[int] = set()
    for scope in _scopes(tree):
        load_path = bool(_LOAD_PATH.match(getattr(scope, "name", "")))
        simple = sorted(
            (s for s in _own_statements(scope) if not hasattr(s, "body")),
            key=lambda s: (s.lineno, s.col_offset),
        )
        for i, stmt in enumerate(simple):
            if not (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Call)
                and len(stmt.targets) == 1
            ):
                continue
            name = ast.unparse(stmt.targets[0])
            if _loaded_first(simple[i + 1 :], name, partial_ok=load_path):
                out.add(id(stmt.value))
    return out
