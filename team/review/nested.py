"""A search's best estimator cross-validated on the rows the search was tuned on.

mne-features' grid-search example fits `gs = GridSearchCV(pipe, params_grid, cv=cv)` on all
epochs, then prints `cross_val_score(gs.best_estimator_, data, y, cv=skf)` as the accuracy
"with optimized parameters" next to the default one: every fold's test rows already voted for
the chosen parameters, so the comparison favours the tuned model. Nested cross-validation
(`cross_val_score(gs, data, y)`, which refits the search inside each fold) is the honest score.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import CV_FUNCTIONS
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["best_estimator_rescored"]


def _searches(tree: ast.Module) -> dict[str, tuple[str, int]]:
    """Search name -> (the data name it is fitted on, the line of that fit), for names bound
    to a `*SearchCV(...)` and fitted with `search.fit(X, y)`."""
    made = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and leaf_name(node.value.func).endswith("SearchCV")
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    fitted: dict[str, tuple[str, int]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fit"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in made
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            fitted.setdefault(node.func.value.id, (node.args[0].id, node.lineno))
    return fitted


def _best_of(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The search whose `best_estimator_` this is (directly or through a name bound to it)."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "best_estimator_"
        and isinstance(node.value, ast.Name)
    ):
        return node.value.id
    return None


def best_estimator_rescored(src: SourceFile) -> list[Finding]:
    """One `test-set-tuning` finding per cross-validation of a search's best estimator on the
    data that search was fitted on."""
    searches = _searches(src.tree)
    if not searches:
        return []
    aliases = {
        t.id: search
        for node in ast.walk(src.tree)
        if isinstance(node, ast.Assign) and (search := _best_of(node.value, {})) is not None
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    out: list[Finding] = []
    for node in ast.walk(src.tree):
        if not (
            isinstance(node, ast.Call)
            and leaf_name(node.func) in CV_FUNCTIONS
            and len(node.args) > 1
        ):
            continue
        search = _best_of(node.args[0], aliases)
        data = node.args[1]
        if search not in searches or not isinstance(data, ast.Name):
            continue
        tuned_on, line = searches[search]
        if data.id != tuned_on or node.lineno < line:
            continue
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                node.lineno,
                f"{leaf_name(node.func)} scores {search}'s best estimator on {data.id}, the rows "
                f"{search} chose its parameters on (line {line}): every fold's test rows helped "
                f"pick them, so the score is optimistic. Cross-validate the search itself "
                f"({leaf_name(node.func)}({search}, ...)) for a nested estimate.",
            )
        )
    return out
