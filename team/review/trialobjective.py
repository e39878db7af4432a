"""Search objectives the review sees without the search call, and test metrics they return by
name.

WelQrate 0.1.4's `experiment_utils/gcn_hparams.py` is a fragment: `gcn_objective(trial)` draws
its hyperparameters with `trial.suggest_*`, unpacks `test_logAUC, ..., test_BEDROC, ... =
train(..., test_loader=test_loader, ...)` and returns `test_BEDROC`; no `study.optimize` hands
it to a search, and `train` is a free name the fragment never imports. Optuna's define-by-run
API makes the function an objective (its first parameter is the trial it asks for values), and
the value it returns is named a test metric and comes from a call handed the test split: the
search maximises the test score.
"""

from __future__ import annotations

import ast

from team.review.catalog import role_hint

__all__ = ["define_by_run_objectives", "returned_test_metric"]


def define_by_run_objectives(tree: ast.AST) -> set[str]:
    """Names of the functions whose first parameter is a trial they ask for hyperparameters
    (`trial.suggest_int(...)`): Optuna objectives, whether or not the search call is in view."""
    out: set[str] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) or not fn.args.args:
            continue
        trial = fn.args.args[0].arg
        if trial == "self" and len(fn.args.args) > 1:
            trial = fn.args.args[1].arg
        if any(
            isinstance(node, ast.Attribute)
            and node.attr.startswith("suggest_")
            and isinstance(node.value, ast.Name)
            and node.value.id == trial
            for node in ast.walk(fn)
        ):
            out.add(fn.name)
    return out


def returned_test_metric(value: ast.expr, bound: dict[str, list[ast.expr]]) -> str | None:
    """How a returned name is a test score by data flow: it is named for the test split
    (`test_BEDROC`) and every value bound to it comes from a call handed test data
    (`train(..., test_loader=test_loader)`); else None."""
    if not isinstance(value, ast.Name) or role_hint(value.id) != "test":
        return None
    made = bound.get(value.id, [])
    given = [_test_input(v) for v in made]
    if not made or not all(given):
        return None
    return f"{value.id}, from {given[0]}"


def _test_input(value: ast.expr) -> str | None:
    """The call that makes `value`, when it is handed a test-named argument."""
    if not isinstance(value, ast.Call):
        return None
    for arg in [*value.args, *(k.value for k in value.keywords)]:
        if isinstance(arg, ast.Name) and role_hint(arg.id) == "test":
            return f"{ast.unparse(value.func)}(..., {arg.id})"
    return None
