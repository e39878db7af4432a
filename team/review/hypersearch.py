"""Hyperparameter searches that draw the configurations they try.

A Bayesian or random search picks its trial points from a random generator: without a seed two
runs choose different hyperparameters, and whatever is fitted, saved or scored with them changes.
bayes_opt's `BayesianOptimization` and scikit-optimize's `*_minimize` / `BayesSearchCV` are read
here; Hyperopt's `fmin` and Optuna's samplers in `trials.py`; scikit-learn's randomised searches
as estimators (`catalog.RANDOM_ESTIMATORS`).
"""

from __future__ import annotations

import ast

from team.review.catalog import words
from team.review.randomness import Usage

__all__ = ["runs_hyperparameter_search", "unseeded_search"]

# The searches read here, and the position of `random_state` among their positional arguments.
_SEED_POSITION = {
    "BayesianOptimization": 2,
    "gp_minimize": 11,
    "forest_minimize": 11,
    "gbrt_minimize": 11,
    "dummy_minimize": 5,
    "BayesSearchCV": 99,
}
_LIBRARIES = frozenset({"bayes_opt", "skopt"})
# Every search whose picks a module uses: none of them is a speed benchmark.
_SEARCHES = frozenset(_SEED_POSITION) | words(
    "RandomizedSearchCV HalvingRandomSearchCV GridSearchCV HalvingGridSearchCV create_study"
)
_SEARCH_LIBRARIES = _LIBRARIES | {"hyperopt", "optuna", "sklearn"}


def runs_hyperparameter_search(quals: list[str]) -> bool:
    """One of the qualified call names is a hyperparameter search of bayes_opt,
    scikit-optimize, Hyperopt, Optuna or scikit-learn: the module picks hyperparameters to fit
    and score, so it is never a speed benchmark, even when it times the search
    (inflammation-prediction-risk-models' `xgboost_experiments.py` prints the search's time
    beside its best result)."""
    for qual in quals:
        root, last = qual.split(".")[0], qual.rsplit(".", 1)[-1]
        if root in _SEARCH_LIBRARIES and last in _SEARCHES | {"fmin"}:
            return True
    return False


def _seeded(call: ast.Call, name: str) -> bool:
    """The call passes `random_state` (not None): by keyword, positionally or in `**kwargs`."""
    for k in call.keywords:
        if k.arg is None:
            return True
        if k.arg == "random_state":
            return not (isinstance(k.value, ast.Constant) and k.value.value is None)
    return len(call.args) > _SEED_POSITION[name]


def _picks_used(use: Usage, call: ast.Call) -> bool:
    """What the search picks is used: the search or its result is returned, handed to another
    call, or bound to a name read again (maximised, fitted, saved, scored). A search whose
    result is dropped picks nothing anyone uses."""
    stmt, chain = use.holder(call)
    if any(isinstance(node, ast.Call) for node in chain):
        return True  # `skopt.dump(gp_minimize(...), path)`
    if isinstance(stmt, ast.Return) and stmt.value is call:
        return True
    return any(
        n.lineno > call.lineno for name in use.names_of(call) for n in use.loads.get(name, [])
    )


def unseeded_search(
    qual: str, call: ast.Call, use: Usage, *, numpy_seeded: bool
) -> tuple[str, str] | None:
    """A bayes_opt or scikit-optimize search without `random_state` whose picks are used:
    (message, kind of seed). scikit-optimize draws from numpy's global generator, which
    `np.random.seed` fixes (kind "numpy"); bayes_opt makes a fresh `RandomState()` of its own
    that no global seed reaches (kind "search")."""
    root, name = qual.split(".")[0], qual.rsplit(".", 1)[-1]
    if root not in _LIBRARIES or name not in _SEED_POSITION or _seeded(call, name):
        return None
    on_numpy = root == "skopt"
    if (on_numpy and numpy_seeded) or not _picks_used(use, call):
        return None
    msg = (
        f"{name} without random_state: the search draws different trial points every run, so "
        "the hyperparameters it picks, and what is fitted and scored with them, change from run "
        "to run"
    )
    if not on_numpy:
        msg += " (np.random.seed does not reach it)"
    return msg, "numpy" if on_numpy else "search"
