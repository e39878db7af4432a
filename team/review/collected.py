"""Test scores collected over a loop of fits, and the best of them taken after it.

FEDOT's `pipeline_tune.py` tunes a pipeline five times; each pass fits the tuned pipeline,
scores it with `roc_auc(y_true=test_data.target, ...)`, appends the score to a list, and after
the loop returns `np.max` of the list as the score "after tuning". The data flow does not see
a library's pipeline fit, so the loop is read from its text:
- each pass fits, trains or tunes something (`.fit(...)`, `.tune(...)`, `.train(...)`);
- a name bound in the loop to a call given the test split (a name for it, or an attribute or
  item of one: `test_data.target`, `test["y"]`) is appended to a list;
- after the loop, `max`/`min`/`argmax`/`argmin`/`idxmax`/`idxmin` of that list (numpy's too)
  is taken outside any plotting call (`ax.set_ylim(np.min(scores), 1)` chooses nothing).
The run or candidate kept, and the score reported for it, are chosen on the test set.
"""

from __future__ import annotations

import ast

from team.review.callbacks import test_split
from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.randomness import Usage

__all__ = ["best_of_collected"]

_FITS = words("fit fit_generator train tune learn optimize")
_BEST_OF = words("max min argmax argmin nanmax nanmin nanargmax nanargmin idxmax idxmin")
_SHOWS = ("plot", "lim", "text", "annotate", "axis", "scatter", "bar", "hist")


def best_of_collected(loop: ast.For | ast.While, use: Usage) -> tuple[ast.expr, str] | None:
    """The call after `loop` that takes the best of test scores the loop collected, and the
    name of the score; else None."""
    if not any(_fits(node) for node in ast.walk(loop)):
        return None
    collected = _collected_test_scores(loop, use)
    if not collected:
        return None
    scope = use.up(loop)
    end = loop.end_lineno or loop.lineno
    hits: list[tuple[ast.expr, str]] = []
    for node in ast.walk(scope) if scope is not None else ():
        if not (isinstance(node, ast.Call) and node.lineno > end and node.args):
            continue
        given = node.args[0]
        if (
            _called(node) in _BEST_OF
            and isinstance(given, ast.Name)
            and given.id in collected
            and not _in_display(use, node)
        ):
            hits.append((node, collected[given.id]))
    return min(hits, key=lambda h: h[0].lineno) if hits else None


def _collected_test_scores(loop: ast.For | ast.While, use: Usage) -> dict[str, str]:
    """List name -> the score name appended to it, for scores of the test split."""
    scores: dict[str, str] = {}
    for stmt in ast.walk(loop):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            if any(_of_test(arg, use) for arg in [*call.args, *(k.value for k in call.keywords)]):
                scores.update({t.id: t.id for t in stmt.targets if isinstance(t, ast.Name)})
    out: dict[str, str] = {}
    for node in ast.walk(loop):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in scores
        ):
            out[node.func.value.id] = node.args[0].id
    return out


def _of_test(arg: ast.expr, use: Usage) -> bool:
    """The test split, or an attribute or item of it (`test_data.target`, `test["y"]`)."""
    while isinstance(arg, ast.Attribute | ast.Subscript):
        arg = arg.value
    return isinstance(arg, ast.Name) and test_split(arg, use) is not None


def _fits(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _called(node) in _FITS


def _called(call: ast.Call) -> str:
    func = call.func
    return leaf_name(func)


def _in_display(use: Usage, node: ast.AST) -> bool:
    """Inside a plotting or axis-limit call: the best value only places a plot."""
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and any(w in _called(parent).lower() for w in _SHOWS):
            return True
        parent = use.up(parent)
    return False
