"""Toy data that reaches no result: when a missing seed changes nothing a reader is shown.

Two readings, both of a demo of an API rather than an experiment:

- a bare random draw whose values, followed through the names they are bound to, reach only
  inspections and conversions (`type(...)`, `print(x.shape)`, `convert(x, to_type=...)`,
  `has_missing(X)`): aeon's notes on data containers draw an array only to convert it.
- an estimator fitted only on hand-written arrays (`X = np.array([[20, 40], ...])`) whose
  methods are called only as bare statements (nothing assigned, scored or compared): aeon's note
  on data shapes fits `TimeSeriesKMeans` on four literal cases to show the fit/predict API.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.randomness import Usage

__all__ = [
    "dummy_target_fit",
    "feeds_only",
    "fitted_on_literals_reason",
    "reaches_no_result_reason",
]

# Calls that only look at a value or change its container, never learn from it.
_INSPECTS = frozenset({"print", "display", "type", "len", "repr", "str", "isinstance", "id"})
_CONVERTS = re.compile(r"^_?(convert|has_|is_|from_|to_)|_to_")
# Attributes that describe an array without computing on its values.
_DESCRIBES = frozenset({"shape", "dtype", "ndim", "size"})
_PASSES_ON = (ast.Subscript, ast.JoinedStr, ast.FormattedValue, ast.Tuple, ast.List, ast.keyword)
_FITS = frozenset({"fit", "fit_predict", "fit_transform"})
_SHOWS = frozenset({"fit", "predict", "fit_predict", "transform", "fit_transform"})


def _flows_to(use: Usage, load: ast.Name) -> list[str] | None:
    """The names a read of a toy value is bound to next, when the read only inspects or
    converts it (or marks a cell of it, `X[5][0][55] = np.nan`); None when it may reach a
    model, a metric or anything not read here."""
    node: ast.AST = load
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Attribute):
            if parent.attr not in _DESCRIBES:
                return None
        elif isinstance(parent, ast.Call):
            name = leaf_name(parent.func)
            if parent.func is node or not (name in _INSPECTS or _CONVERTS.search(name)):
                return None
        elif isinstance(parent, ast.Subscript) and parent.value is not node:
            return None  # `mask[selection] = False`: the draw picks what else changes
        elif not isinstance(parent, _PASSES_ON):
            return None
        node, parent = parent, use.up(parent)
    if isinstance(parent, ast.Expr):
        return []
    if not isinstance(parent, ast.Assign):
        return None
    if any(node is t for t in parent.targets):  # the read is a cell being set
        return []
    if not all(isinstance(t, ast.Name) for t in parent.targets):
        return None
    return [t.id for t in parent.targets if isinstance(t, ast.Name)]


def reaches_no_result_reason(use: Usage, call: ast.Call) -> str | None:
    """Why a random draw changes no result: every read of it, and of every value converted
    from it, only inspects or converts it. Else None."""
    todo = use.names_of(call)
    if not todo:
        return None
    seen = set(todo)
    while todo:
        for load in use.loads.get(todo.pop(), []):
            nxt = _flows_to(use, load)
            if nxt is None:
                return None
            todo += [n for n in nxt if n not in seen]
            seen.update(nxt)
    return "toy data only inspected or converted (no model fitted, nothing scored)"


def _literal_array(value: ast.expr) -> bool:
    """`np.array([[20, 40, 60], ...])` or a plain nested list of numbers."""
    if isinstance(value, ast.Call) and leaf_name(value.func) in ("array", "asarray"):
        if len(value.args) != 1:
            return False
        value = value.args[0]
    if not isinstance(value, ast.List):
        return False
    try:
        ast.literal_eval(value)
    except ValueError:
        return False
    return True


def _hand_written(tree: ast.Module, use: Usage, name: str) -> bool:
    """Every binding of `name` in the module is a literal array (no unpacking, loop or
    other binding of it)."""
    stores = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
    ]
    made = use.assigned.get(name, [])
    return bool(made) and len(stores) == len(made) and all(_literal_array(v) for v in made)


def fitted_on_literals_reason(use: Usage, call: ast.Call, tree: ast.Module) -> str | None:
    """Why an estimator changes no result: bound to a name whose every read is a bare
    statement `est.fit(X)` / `est.predict(X)` (nothing kept, scored or compared), and every
    fit is on a hand-written array. Else None."""
    names = use.names_of(call)
    loads = [load for n in names for load in use.loads.get(n, [])]
    if len(names) != 1 or not loads or len(use.assigned.get(names[0], [])) != 1:
        return None
    fitted = False
    for load in loads:
        attr = use.up(load)
        method = use.up(attr) if isinstance(attr, ast.Attribute) else None
        if not (
            isinstance(attr, ast.Attribute)
            and attr.attr in _SHOWS
            and isinstance(method, ast.Call)
            and isinstance(use.up(method), ast.Expr)
            and not method.keywords
            and all(isinstance(a, ast.Name) and _hand_written(tree, use, a.id) for a in method.args)
            and method.args
        ):
            return None
        fitted = fitted or attr.attr in _FITS
    return "fitted only on a hand-written array, nothing kept or scored" if fitted else None


_DUMMY_TARGETS = frozenset({"zeros", "ones", "zeros_like", "ones_like"})


def dummy_target_fit(fit: ast.Call) -> bool:
    """`model.fit([ref, pos, neg], np.zeros(shape=n))`: a constant target, so the loss alone
    trains the network (a self-supervised triplet loss); no label is predicted."""
    target = (
        fit.args[1]
        if len(fit.args) > 1
        else next((k.value for k in fit.keywords if k.arg == "y"), None)
    )
    return isinstance(target, ast.Call) and leaf_name(target.func) in _DUMMY_TARGETS


def _inside(use: Usage, node: ast.AST, outer: ast.AST) -> bool:
    parent = use.up(node)
    while parent is not None and parent is not outer:
        parent = use.up(parent)
    return parent is outer


def feeds_only(use: Usage, tree: ast.Module, line: int, fit: ast.Call) -> bool:
    """The draw at `line` sits in a top-level function whose every call is unpacked into names
    read only as inputs of `fit` (`ref, pos, neg = triplet_generation(x)`): the draws make
    that training's inputs and reach nothing else."""
    func = next(
        (
            f
            for f in tree.body
            if isinstance(f, ast.FunctionDef) and f.lineno <= line <= (f.end_lineno or 0)
        ),
        None,
    )
    if func is None:
        return False
    reads = use.loads.get(func.name, [])
    if not reads:
        return False
    for read in reads:
        call, stmt = use.up(read), None
        if isinstance(call, ast.Call) and call.func is read:
            stmt = use.up(call)
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            return False
        target = stmt.targets[0]
        bound = target.elts if isinstance(target, ast.Tuple) else [target]
        if not all(isinstance(b, ast.Name) for b in bound):
            return False
        uses = [u for b in bound if isinstance(b, ast.Name) for u in use.loads.get(b.id, [])]
        if not uses or not all(_inside(use, u, fit) for u in uses):
            return False
    return True
