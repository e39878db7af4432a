"""Deviations from a statistic summed on the spot: a sum of squares, a variance, a covariance.

`fit-on-test` reports a statistic of the test set written back into the test rows, because the
rows then shape their own preprocessing. `np.sum((y_true - np.mean(y_true)) ** 2)` writes
nothing back: the centred rows are reduced to one number in the same expression and never
exist as data. It is the total sum of squares of R² (pythonlabtools' fallback `r2_score`,
regression.py:61), scikit-learn's `r2_score` computes the same, and so do a variance, a Pearson
correlation (`np.sum((y - y.mean()) * (p - p.mean()))`) and a normalised error. A deviation
that is kept as rows (`X_test - X_test.mean()`, a sum along `axis=1`, per-row features), or a
sum divided into the rows in the same expression (a norm), stays arithmetic on the rows.
"""

from __future__ import annotations

import ast

from team.review.values import Data

__all__ = ["summed_on_the_spot"]

# Calls that reduce their argument to one number (or one per column): numpy's, torch's,
# TensorFlow's and Python's own, by their last name.
_REDUCTIONS = frozenset(
    {
        "sum",
        "mean",
        "nansum",
        "nanmean",
        "average",
        "var",
        "nanvar",
        "dot",
        "vdot",
        "inner",
        "reduce_sum",
        "reduce_mean",
    }
)
# Element-wise steps between the deviation and its reduction.
_ELEMENTWISE = frozenset({"abs", "absolute", "square", "fabs"})
_KEEPS_COLUMNS = (None, 0)
# Reductions of two arrays, whose second argument is the other array, not an axis.
_PAIRWISE = frozenset({"dot", "vdot", "inner", "average"})


def summed_on_the_spot(scope: ast.AST, node: ast.BinOp, left: object, right: object) -> bool:
    """`node` subtracts a statistic from rows (`y - np.mean(y)`) and the expression around it
    reduces the difference at once (`np.sum(... ** 2)`, `((y - m) * (p - q)).mean()`), with no
    axis or along the rows (axis 0 or None). `scope` is the function (or module) holding
    `node`, searched for its parents only when the values make it a candidate."""
    if not isinstance(node.op, ast.Sub) or not _deviation(left, right):
        return False
    parents = _parents(scope, node)
    child: ast.AST = node
    for parent in parents:
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Pow | ast.Mult):
            child = parent
            continue
        if isinstance(parent, ast.UnaryOp):
            child = parent
            continue
        if isinstance(parent, ast.Call):
            name = _last_name(parent.func)
            if name in _ELEMENTWISE and parent.args and parent.args[0] is child:
                child = parent
                continue
            if name in _REDUCTIONS and child in parent.args:
                return _whole(parent) and not _scales_rows(parents, parent)
            return False
        if isinstance(parent, ast.Attribute) and parent.value is child:
            return (
                parent.attr in _REDUCTIONS
                and not _axis_given(parents, parent)
                and not _scales_rows(parents, parent)
            )
        return False
    return False


def _scales_rows(parents: list[ast.AST], reduction: ast.AST) -> bool:
    """The sum is then combined with rows in the same expression (`X_test / np.sqrt(np.sum(
    (X_test - m) ** 2))`, a norm written into the rows): an operand beside it that is a bare
    name, attribute or subscript. `1 - ss_res / np.sum(...)` combines numbers."""
    child = reduction
    for parent in parents[parents.index(reduction) + 1 :]:
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is child else parent.left
            if isinstance(other, ast.Name | ast.Attribute | ast.Subscript):
                return True
        child = parent
    return False


def _deviation(left: object, right: object) -> bool:
    """Rows minus a statistic, or a statistic minus rows."""
    for rows, stat in ((left, right), (right, left)):
        if (
            isinstance(rows, Data)
            and not rows.reduced
            and isinstance(stat, Data)
            and stat.reduced
            and stat.stats
        ):
            return True
    return False


def _parents(scope: ast.AST, node: ast.AST) -> list[ast.AST]:
    """The nodes enclosing `node` inside `scope`, nearest first (empty if it is not there)."""
    up: dict[int, ast.AST] = {}
    for parent in ast.walk(scope):
        for child in ast.iter_child_nodes(parent):
            up[id(child)] = parent
    chain: list[ast.AST] = []
    current = up.get(id(node))
    while current is not None and not isinstance(current, ast.stmt):
        chain.append(current)
        current = up.get(id(current))
    return chain


def _last_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _whole(call: ast.Call, *, method: bool = False) -> bool:
    """A reduction with no axis, or along the rows (`np.sum(x)`, `np.mean(x, axis=0)`,
    `(x).sum(0)`): a function's axis is its second argument, a method's its first."""
    axes = [k.value for k in call.keywords if k.arg in ("axis", "dim")]
    first = 0 if method else 1
    if len(call.args) > first and _last_name(call.func) not in _PAIRWISE:
        axes.append(call.args[first])
    return all(_constant(a) in _KEEPS_COLUMNS for a in axes)


def _axis_given(parents: list[ast.AST], attribute: ast.Attribute) -> bool:
    """`(...).sum(axis=1)`: the method call's axis keeps one value per row."""
    index = parents.index(attribute)
    call = parents[index + 1] if index + 1 < len(parents) else None
    if not isinstance(call, ast.Call) or call.func is not attribute:
        return True  # `.sum` read, not called
    return not _whole(call, method=True)


def _constant(node: ast.expr) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    return "unknown"
