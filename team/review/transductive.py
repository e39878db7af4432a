"""An unsupervised model fitted on the test set only to look at it: no leak, nothing is scored.

`fit-on-test` exists because a transform fitted on the test rows (a scaler refitted on them)
shapes what another model is scored on. A projection or a clustering fitted on the test set
with no labels, whose output is only plotted or compared with the true classes
(`PCA().fit_transform(X_test)` drawn as a scatter plot; `fit_predict(X_test)` scored by the
adjusted Rand index), feeds no model trained elsewhere: looking at the test set that way is the
point of the example, not a flaw.
"""

from __future__ import annotations

import ast

from team.review.catalog import PREDICT_METHODS, words
from team.review.randomness import Usage

__all__ = ["only_looks_at_test_rows"]

_UNSUPERVISED_FITS = words("fit_transform fit_predict")
# Calls that hand data to another model: its output would then carry the test-fitted state.
_CONSUMERS = PREDICT_METHODS | words(
    "fit partial_fit fit_transform fit_predict transform score evaluate"
)


def _call_at(tree: ast.Module, line: int) -> ast.Call | None:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and node.lineno == line
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _UNSUPERVISED_FITS
        ):
            return node
    return None


def _outermost_projection(use: Usage, call: ast.Call) -> ast.Call:
    """The last of a chain of unsupervised fits, each given only the one before:
    `scaler.fit_transform(pca.fit_transform(scaler.fit_transform(X_test)))`, a 2-D layout of the
    test set for a scatter plot (TabPFN Extensions' `_plot`)."""
    parent = use.up(call)
    while (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in _UNSUPERVISED_FITS
        and parent.args == [call]
        and not parent.keywords
    ):
        call, parent = parent, use.up(parent)
    return call


def _consumed(use: Usage, load: ast.Name) -> bool:
    """The name is handed, somewhere in its expression, to a model's fit, transform or
    predict."""
    parent = use.up(load)
    while parent is not None and not isinstance(parent, ast.stmt):
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in _CONSUMERS
        ):
            return True
        parent = use.up(parent)
    return isinstance(parent, ast.Assign | ast.AugAssign | ast.Return)  # passed on: assume used


def only_looks_at_test_rows(tree: ast.Module, line: int) -> bool:
    """The test-set fit at `line` is unsupervised (`fit_transform(X)` / `fit_predict(X)`, no
    labels), its result is bound to plain names and looked at, and no model is given it (it
    is plotted, printed or compared with the labels). A result nothing reads is no look: test
    codes from an encoder fitted on the test file are still a flaw."""
    call = _call_at(tree, line)
    if call is None or len(call.args) != 1 or call.keywords:
        return False
    use = Usage(tree)
    call = _outermost_projection(use, call)
    stmt, _ = use.holder(call)
    if not isinstance(stmt, ast.Assign) or stmt.value is not call:
        return False
    if not all(isinstance(t, ast.Name) for t in stmt.targets):
        return False
    names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    loads = [load for n in names for load in use.loads.get(n, [])]
    return bool(loads) and not any(_consumed(use, load) for load in loads)
