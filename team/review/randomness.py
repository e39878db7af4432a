"""When an estimator built without `random_state` is still reproducible, and why.

`unseeded-randomness` asks these questions of each random estimator it would report:

- Does an ensemble reseed it? A base estimator handed to `AdaBoostClassifier(...,
  random_state=0)` (directly, or through a variable) gets its seed from the ensemble.
- Is it deterministic as configured? `KMeans(init=array)` starts from given centres; a
  `DecisionTree*` with every feature considered, fitted on a single-feature column, has no
  feature order to permute.
- Is it ever fitted? An estimator built only to be displayed or printed produces no result.

And of a bare `np.random.*` / `random.*` draw (`deliberate_draw_reason`): is it random on purpose?
A seed drawn at random and kept in a `*seed*` variable (so each run shows a new example),
sampling a model's output to generate text (inside a function with a `temperature` /
`diversity` parameter, or one that calls such a function), or a draw that only decorates a plot
(given straight to a plotting call, or kept as colours / jitter).
"""

from __future__ import annotations

import ast
import re

__all__ = ["Usage", "deliberate_draw_reason", "not_random_reason"]

_FITS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample"})
_DISPLAY = frozenset({"print", "display", "repr", "str", "estimator_html_repr", "set_config"})
_ONE_COLUMN = re.compile(
    r"reshape\(\s*-1\s*,\s*1\s*\)|\[\s*:\s*,\s*(np\.newaxis|numpy\.newaxis|None)\s*\]"
    r"|rand[n]?\(\s*[\w.]+\s*,\s*1\s*\)|size=\(\s*[\w.]+\s*,\s*1\s*\)"
)


class Usage:
    """Parents, name bindings and name uses of one module, built once."""

    def __init__(self, tree: ast.Module) -> None:
        self.parents: dict[int, ast.AST] = {}
        self.assigned: dict[str, list[ast.expr]] = {}
        self.loads: dict[str, list[ast.Name]] = {}
        self.decorating: set[int] = set()
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.loads.setdefault(node.id, []).append(node)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.decorating |= {id(n) for d in node.decorator_list for n in ast.walk(d)}

    def up(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def holder(self, call: ast.Call) -> tuple[ast.AST, list[ast.AST]]:
        """The statement around a constructor call, and the expressions it is nested in."""
        chain: list[ast.AST] = []
        node: ast.AST = call
        while (parent := self.up(node)) is not None and not isinstance(parent, ast.stmt):
            chain.append(parent)
            node = parent
        return (parent if parent is not None else node), chain

    def names_of(self, call: ast.Call) -> list[str]:
        stmt, _ = self.holder(call)
        if isinstance(stmt, ast.Assign):
            return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        return []


def _call_name(node: ast.AST) -> str:
    if not isinstance(node, ast.Call):
        return ""
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _seeds(call: ast.AST) -> bool:
    """An estimator constructor (an ensemble) given a non-None `random_state`."""
    return (
        isinstance(call, ast.Call)
        and _call_name(call)[:1].isupper()
        and any(
            k.arg == "random_state"
            and not (isinstance(k.value, ast.Constant) and k.value.value is None)
            for k in call.keywords
        )
    )


def _enclosing_calls(use: Usage, node: ast.AST) -> list[ast.Call]:
    out = []
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and parent.func is not node:
            out.append(parent)
        node, parent = parent, use.up(parent)
    return out


def _reseeded(use: Usage, call: ast.Call) -> bool:
    if any(_seeds(c) for c in _enclosing_calls(use, call)):
        return True
    for name in use.names_of(call):
        for load in use.loads.get(name, []):
            if any(_seeds(c) for c in _enclosing_calls(use, load)):
                return True
    return False


def _fitted(use: Usage, node: ast.AST, depth: int = 0) -> bool:
    """Some code fits it: `.fit(...)`, or it is handed to anything but a display call or a
    constructor (a `Pipeline` or search around it counts only if that one is fitted)."""
    if depth > 4:
        return True
    chain: list[ast.AST] = []
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Attribute):
            return parent.attr in _FITS  # est.fit(...) fits; est.named_steps does not
        if isinstance(parent, ast.Call) and parent.func is not (chain or [node])[-1]:
            name = _call_name(parent)
            if not (name in _DISPLAY or name[:1].isupper() or name.startswith("make_")):
                return True  # handed to a function: cross_val_score, a helper
            if name in _DISPLAY:
                return False
        chain.append(parent)
        parent = use.up(parent)
    if chain and isinstance(chain[-1], ast.List | ast.Tuple | ast.Dict | ast.Set):
        return True  # a collection of models, iterated and fitted elsewhere
    if not isinstance(parent, ast.Assign):
        return not isinstance(parent, ast.Expr)  # returned, looped over, yielded: used
    names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
    if len(names) < len(parent.targets):
        return True  # stored into an attribute or a container: assume used
    return any(_fitted(use, load, depth + 1) for n in names for load in use.loads.get(n, []))


def _one_feature(use: Usage, call: ast.Call) -> bool:
    """Every `fit` of this estimator gets a single-column `X` (`x.reshape(-1, 1)`)."""
    fits: list[ast.Call] = []
    for node in [call, *(load for n in use.names_of(call) for load in use.loads.get(n, []))]:
        parent = use.up(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "fit":
            fit = use.up(parent)
            if isinstance(fit, ast.Call) and fit.args:
                fits.append(fit)
    if not fits:
        return False
    for fit in fits:
        x = fit.args[0]
        values = use.assigned.get(x.id, []) if isinstance(x, ast.Name) else [x]
        if not values or not all(_ONE_COLUMN.search(ast.unparse(v)) for v in values):
            return False
    return True


def not_random_reason(use: Usage, call: ast.Call, cls: str) -> str | None:
    """Why this estimator, built without `random_state`, is still reproducible; else None."""
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    if id(call) in use.decorating:
        return "it parametrises a test (a decorator), it is no experiment"
    if _reseeded(use, call):
        return "an ensemble given random_state reseeds it"
    if cls in ("KMeans", "MiniBatchKMeans") and "init" in kw:
        init = kw["init"]
        if not (isinstance(init, ast.Constant) and isinstance(init.value, str)):
            return "KMeans starts from the given centres"
    if (
        cls.startswith("DecisionTree")
        and "max_features" not in kw
        and "splitter" not in kw
        and _one_feature(use, call)
    ):
        return "a tree over one feature has no feature order to permute"
    if not _fitted(use, call):
        return "it is never fitted"
    return None


_SAMPLING_PARAMS = frozenset({"temperature", "diversity", "top_k", "top_p"})
_PLOTTING = frozenset(
    {"scatter", "plot", "bar", "barh", "hist", "imshow", "text", "annotate", "fill_between"}
)
_DECORATION = re.compile(r"colou?rs?|jitter", re.I)
# Functions that only show something (they return nothing): a draw there picks what is shown.
_SHOWS = re.compile(r"^_?(print|show|display|plot|visuali[sz]e)_", re.I)


def _enclosing_function(use: Usage, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
        parent = use.up(parent)
    return parent


def _samples_output(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = func.args
    return any(a.arg in _SAMPLING_PARAMS for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])


def deliberate_draw_reason(use: Usage, call: ast.Call, tree: ast.Module) -> str | None:
    """Why a bare random draw is random on purpose (no seed wanted); else None."""
    names = use.names_of(call)
    if any("seed" in name.lower() for name in names):
        return "a seed drawn at random on purpose, so each run shows a new example"
    plotting = [c for c in _enclosing_calls(use, call) if _call_name(c) in _PLOTTING]
    if plotting or (names and all(_DECORATION.search(name) for name in names)):
        return "it only decorates a plot (colours, jitter), no result depends on it"
    func = _enclosing_function(use, call)
    if func is None:
        return None
    if _SHOWS.match(func.name) and not any(
        isinstance(n, ast.Return) and n.value is not None for n in ast.walk(func)
    ):
        return f"it only picks what {func.name}() shows, no result depends on it"
    if _samples_output(func):
        return f"sampling in {func.name}() (a temperature/diversity parameter), random on purpose"
    samplers = {
        f.name
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and _samples_output(f)
    }
    called = {_call_name(c) for c in ast.walk(func) if isinstance(c, ast.Call)}
    if samplers & called:
        sampler = min(samplers & called)
        return f"{func.name}() generates output with {sampler}(), random on purpose"
    return None
