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
The run or candidate kept, and the score reported for it, are chosen on the test set. A score
may be arithmetic on such a call (`mean_squared_error(y_test, y_pred) ** 0.5`), stored under a
key (`f1s[name] = f1`, then `max(f1s, key=f1s.get)`), or a column of dicts appended as rows and
picked by that column after the loop (`scoretable.py`).

A loop that fits nothing picks a setting on the test set the same way when the best score's index
takes a candidate from the sequence the loop runs over and the test split is then scored again
with it. dldemos' Q4 thresholds one neuron's test probabilities at `np.arange(0.10, 1.00, 0.05)`,
appends `accuracy_score(y_test, predictions)` for each threshold, keeps
`thresholds[np.argmax(accuracies)]` and prints accuracy, precision and recall on `y_test` at that
threshold: the decision threshold is tuned on the rows its metrics are reported on
(`best_candidate_rescored`). A best value that is only printed or plotted, or a chosen setting
never scored on the test split again, is not reported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from team.review.callbacks import test_split
from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.learningcurve import sizes_training_rows
from team.review.randomness import Usage
from team.review.scoretable import best_of_table, in_display

__all__ = ["RescoredChoice", "best_candidate_rescored", "best_of_collected"]

_FITS = words("fit fit_generator train tune learn optimize")
_BEST_OF = words("max min argmax argmin nanmax nanmin nanargmax nanargmin idxmax idxmin")


def best_of_collected(loop: ast.For | ast.While, use: Usage) -> tuple[ast.expr, str] | None:
    """The call after `loop` that takes the best of test scores the loop collected, and the
    name of the score; else None. A loop over training-set sizes (a learning curve) chooses no
    model (`learningcurve.py`)."""
    if not any(_fits(node) for node in ast.walk(loop)) or sizes_training_rows(loop, use):
        return None
    hits = sorted(
        [
            *_best_of_calls(loop, use, calls=False),
            *best_of_table(loop, use, _score_names(loop, use)),
        ],
        key=lambda h: h[0].lineno,
    )
    return (hits[0][0], hits[0][1]) if hits else None


@dataclass(frozen=True)
class RescoredChoice:
    """A candidate picked by the best of collected test scores and then scored on the test
    split again: `best` takes the best of `score` over the candidates of `candidates`, the
    chosen one is taken at `chosen` and the test split is scored with it at `rescored`."""

    best: ast.Call
    score: str
    candidates: str
    chosen: int
    rescored: int


def best_candidate_rescored(loop: ast.For | ast.While, use: Usage) -> RescoredChoice | None:
    """For a `for` loop over a named sequence of candidates that fits nothing: the best of
    the test scores it collects, whose index or key takes a candidate from that sequence
    (`thresholds[np.argmax(accuracies)]`), where a later call is given the test split again.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "acc = []\\nfor t in ts:\\n    acc.append(accuracy_score(y_test, p >= t))\\n"
        ...     "best = ts[np.argmax(acc)]\\nprint(accuracy_score(y_test, p >= best))"
        ... )
        >>> tree = ast.parse(code)
        >>> best_candidate_rescored(tree.body[1], Usage(tree)).rescored
        5
    """
    if not (isinstance(loop, ast.For) and isinstance(loop.iter, ast.Name)):
        return None
    if any(_fits(node) for node in ast.walk(loop)):
        return None
    candidates = loop.iter.id
    scope = use.up(loop)
    if scope is None:
        return None
    for best, score in _best_of_calls(loop, use, calls=True):
        chosen = _picked_from(scope, best, candidates, use)
        if chosen is None:
            continue
        again = [
            node.lineno
            for node in ast.walk(scope)
            if isinstance(node, ast.Call)
            and node.lineno > chosen.lineno
            and _takes_test(node, use)
            and not in_display(use, node)
        ]
        if again:
            return RescoredChoice(best, score, candidates, chosen.lineno, min(again))
    return None


def _picked_from(
    scope: ast.AST, best: ast.Call, candidates: str, use: Usage
) -> ast.Subscript | None:
    """`candidates[best]` or `candidates[i]` with `i` bound to `best` alone (or to
    `int(best)`)."""
    value: ast.expr = best
    bound = use.up(best)
    if isinstance(bound, ast.Call) and _called(bound) == "int" and bound.args == [best]:
        value, bound = bound, use.up(bound)
    names: set[str] = set()
    if isinstance(bound, ast.Assign) and bound.value is value:
        names = {t.id for t in bound.targets if isinstance(t, ast.Name)}
    for node in ast.walk(scope):
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == candidates
            and node.lineno >= best.lineno
        ):
            continue
        key = node.slice
        if key is value or (isinstance(key, ast.Name) and key.id in names):
            return node
    return None


def _best_of_calls(
    loop: ast.For | ast.While, use: Usage, *, calls: bool
) -> list[tuple[ast.Call, str]]:
    """Calls after `loop`, in its scope, that take the best of a list of test scores the loop
    collected (outside a plot), in line order, each with the score's name; `calls`: a score
    appended as a call (`acc.append(accuracy_score(y_test, p))`) counts too."""
    collected = _collected_test_scores(loop, use, calls=calls)
    if not collected:
        return []
    scope = use.up(loop)
    end = loop.end_lineno or loop.lineno
    hits: list[tuple[ast.Call, str]] = []
    for node in ast.walk(scope) if scope is not None else ():
        if not (isinstance(node, ast.Call) and node.lineno > end and node.args):
            continue
        given = node.args[0]
        if (
            _called(node) in _BEST_OF
            and isinstance(given, ast.Name)
            and given.id in collected
            and not in_display(use, node)
        ):
            hits.append((node, collected[given.id]))
    return sorted(hits, key=lambda h: h[0].lineno)


def _collected_test_scores(loop: ast.For | ast.While, use: Usage, *, calls: bool) -> dict[str, str]:
    """List (or dict) name -> the score name appended to it (or stored in it:
    `f1s[name] = f1`), for scores of the test split."""
    scores = _score_names(loop, use)
    out: dict[str, str] = {}
    for node in ast.walk(loop):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.targets[0].value, ast.Name)
            and isinstance(node.value, ast.Name)
            and node.value.id in scores
        ):
            out[node.targets[0].value.id] = node.value.id
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and len(node.args) == 1
        ):
            given = node.args[0]
            if isinstance(given, ast.Name) and given.id in scores:
                out[node.func.value.id] = given.id
            elif calls and isinstance(given, ast.Call) and _takes_test(given, use):
                out[node.func.value.id] = ast.unparse(given)
    return out


def _score_names(loop: ast.For | ast.While, use: Usage) -> frozenset[str]:
    """Names the loop binds to a score of the test split: a call given it, or arithmetic on
    one (`rmse = mean_squared_error(y_test, y_pred) ** 0.5`)."""
    out: set[str] = set()
    for stmt in ast.walk(loop):
        if isinstance(stmt, ast.Assign) and _scores_test(stmt.value, use):
            out |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return frozenset(out)


def _scores_test(value: ast.expr, use: Usage) -> bool:
    if isinstance(value, ast.BinOp):
        return _scores_test(value.left, use) or _scores_test(value.right, use)
    if isinstance(value, ast.UnaryOp):
        return _scores_test(value.operand, use)
    if not isinstance(value, ast.Call):
        return False
    if _takes_test(value, use):
        return True
    return _called(value) in ("sqrt", "float", "round", "abs") and any(
        _scores_test(arg, use) for arg in value.args[:1]
    )


def _takes_test(call: ast.Call, use: Usage) -> bool:
    return any(_of_test(arg, use) for arg in [*call.args, *(k.value for k in call.keywords)])


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
