"""A search given the test split as its evaluation set, whose result is then scored on it.

HyperGBM's examples run `hk.search(X_train, y_train, X_eval=X_test, y_eval=y_test)` (or
`make_experiment(train, eval_data=test)`): every trial is scored, the best one picked and early
stopping decided on `X_eval`, and the notebook then reports the accuracy of the best trial's
predictions on `X_test`. The test rows chose the model they measure. Only a name read as a test
split (`X_test`, `df_test`) that is passed unchanged (not bound again in between) to a later
`predict`, `score` or `evaluate` counts, so a separate validation split, or test rows that are
never scored, stay silent.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.catalog import role_hint
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["search_evaluated_on_test"]

# The evaluation set of a hypernets / HyperGBM search (`search(X, y, X_eval, y_eval)`,
# `make_experiment(train_data, eval_data=...)`): it scores every trial.
_EVAL_KEYWORDS = frozenset({"X_eval", "eval_data"})
_SCORES = re.compile(r"^(predict|predict_proba|score|evaluate)$|^\w+_score$")


def _test_name(node: ast.expr) -> str | None:
    """The test split a value names: `X_test`, or `df_test.copy()`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "copy"
        and not node.args
    ):
        node = node.func.value
    if isinstance(node, ast.Name) and role_hint(node.id) == "test":
        return node.id
    return None


def _bound_lines(tree: ast.Module) -> dict[str, list[int]]:
    """The lines where each plain name is bound by an assignment or a loop."""
    lines: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            lines.setdefault(node.id, []).append(node.lineno)
    return lines


def search_evaluated_on_test(src: SourceFile) -> list[Finding]:
    """One finding per search whose test-split evaluation set is later scored."""
    bound = _bound_lines(src.tree)
    calls = sorted(
        (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno
    )
    given: dict[str, tuple[int, str]] = {}  # test name -> (line, called) of the search
    found: dict[int, tuple[str, str, int]] = {}
    for call in calls:
        for keyword in call.keywords:
            name = _test_name(keyword.value) if keyword.arg in _EVAL_KEYWORDS else None
            if name is not None:
                given.setdefault(name, (keyword.value.lineno, leaf_name(call.func)))
        if not _SCORES.search(leaf_name(call.func)):
            continue
        for arg in call.args:
            if not isinstance(arg, ast.Name) or arg.id not in given:
                continue
            line, search = given[arg.id]
            rebound = any(line < at < call.lineno for at in bound.get(arg.id, []))
            if call.lineno > line and not rebound:
                found.setdefault(line, (arg.id, search, call.lineno))
    return [
        make_finding(
            src,
            "test-set-tuning",
            line,
            f"`{name}` is the evaluation set of `{search}` (it scores the trials, picks the best "
            f"and stops the search) and is scored again at line {scored}: the test rows choose "
            "the model they then measure. Split a validation set off the training rows for the "
            "search.",
        )
        for line, (name, search, scored) in found.items()
    ]
