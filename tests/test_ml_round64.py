"""ML review round 64: fresh57's misses (issue 14).

Part 1: inflammation-prediction-risk-models 0.1.1 tunes XGBoost with `BayesianOptimization(f=...,
pbounds=...)` and its RNNs with `gp_minimize(...)`, neither seeded, and scores the picked
hyperparameters on the test split. The review said nothing: both modules read a clock around the
search and print its time beside the best result, so they were taken for speed benchmarks ("the
random data feed only timings"). A module that runs a hyperparameter search is no benchmark now,
and a search of bayes_opt or scikit-optimize that draws its trial points from an
unseeded generator is reported when what it picks is used (returned, saved, handed on, read
again); Hyperopt's and Optuna's were read already and are reported once, as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from team.review.engine import review_report
from tests.helpers import write_app

BAYES = """
import time

import xgboost as xgb
from bayes_opt import BayesianOptimization
from sklearn.metrics import roc_auc_score


def search(X_train, y_train, X_val, y_val, bounds):
    def objective(max_depth, learning_rate):
        model = xgb.XGBClassifier(max_depth=int(max_depth), learning_rate=learning_rate)
        model.fit(X_train, y_train)
        return roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])

    t0 = time.time()
    optimizer = BayesianOptimization(f=objective, pbounds=bounds)
    optimizer.maximize(init_points=5, n_iter=10)
    took = time.time() - t0
    print(f"Best result: {optimizer.max['params']}; time: {took}")
    return optimizer
"""
SKOPT = """
import time

import skopt
from skopt import gp_minimize


def tune(fitness, dimensions, name):
    t0 = time.time()
    result = gp_minimize(func=fitness, dimensions=dimensions, n_calls=30)
    print("time", time.time() - t0)
    skopt.dump(result, f"models/{name}_search_result.pkl", store_objective=False)
"""
OPTUNA = """
import optuna


def tune(objective):
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler())
    study.optimize(objective, n_trials=50)
    return study.best_params
"""
HYPEROPT = """
from hyperopt import fmin, hp, tpe

space = {"C": hp.loguniform("C", -3, 3)}


def tune(objective):
    best = fmin(fn=objective, space=space, algo=tpe.suggest, max_evals=50)
    return best
"""
SEEDED = {
    "bayes": BAYES.replace("pbounds=bounds)", "pbounds=bounds, random_state=1)"),
    "skopt": SKOPT.replace("n_calls=30)", "n_calls=30, random_state=0)"),
    "optuna": OPTUNA.replace("TPESampler()", "TPESampler(seed=0)"),
    "hyperopt": HYPEROPT.replace(
        "max_evals=50)", "max_evals=50, rstate=np.random.default_rng(0))"
    ).replace("from hyperopt", "import numpy as np\nfrom hyperopt"),
}
UNSEEDED = {"bayes": BAYES, "skopt": SKOPT, "optuna": OPTUNA, "hyperopt": HYPEROPT}
CALLS = {
    "bayes": "BayesianOptimization(",
    "skopt": "gp_minimize(",
    "optuna": "TPESampler(",
    "hyperopt": "fmin(fn=",
}


def _unseeded(folder: Path, script: str) -> list[tuple[int, str]]:
    write_app(folder, {"experiments.py": script})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == "unseeded-randomness"]


def _line(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.lstrip().splitlines(), 1) if part in line)


@pytest.mark.parametrize("search", sorted(UNSEEDED))
def test_an_unseeded_search_whose_picks_are_used_is_reported(tmp_path: Path, search: str) -> None:
    script = UNSEEDED[search]
    found = _unseeded(tmp_path, script)
    assert [line for line, _ in found] == [_line(script, CALLS[search])]
    # Hyperopt's and Optuna's samplers were read before (`trials.py`): still one finding each
    assert ("hyperparameters it picks" in found[0][1]) == (search in ("bayes", "skopt"))


@pytest.mark.parametrize("search", sorted(SEEDED))
def test_a_seeded_search_is_the_clean_twin(tmp_path: Path, search: str) -> None:
    assert SEEDED[search] != UNSEEDED[search]
    write_app(tmp_path, {"experiments.py": SEEDED[search]})
    assert review_path(tmp_path) == []


def test_a_search_timed_beside_its_best_result_is_no_speed_benchmark(tmp_path: Path) -> None:
    """The module reads a clock around the search and prints the time: before, it was dismissed
    as a speed benchmark whose random data feed only timings."""
    write_app(tmp_path, {"experiments.py": BAYES})
    notes = review_report(tmp_path).notes
    assert not [n for n in notes if "speed benchmark" in n.text]


def test_a_search_whose_result_is_dropped_is_not_reported(tmp_path: Path) -> None:
    dropped = SKOPT.replace("result = gp_minimize", "gp_minimize").replace(
        '    skopt.dump(result, f"models/{name}_search_result.pkl", store_objective=False)\n', ""
    )
    assert dropped != SKOPT
    assert _unseeded(tmp_path, dropped) == []


def test_numpy_seed_fixes_scikit_optimize_but_not_bayes_opt(tmp_path: Path) -> None:
    """scikit-optimize draws from numpy's global generator when unseeded; bayes_opt makes a
    fresh RandomState of its own."""

    def seeded(script: str) -> str:
        seed = "    np.random.seed(0)\n    t0 = time.time()\n"
        return "import numpy as np\n" + script.lstrip().replace("    t0 = time.time()\n", seed)

    assert _unseeded(tmp_path / "skopt", seeded(SKOPT)) == []
    assert len(_unseeded(tmp_path / "bayes", seeded(BAYES))) == 1


# Part 2: a search objective that returns a test metric (WelQrate 0.1.4's `gcn_hparams.py`).
OBJECTIVE = """
def gcn_objective(trial):
    hidden_channels = trial.suggest_categorical("hidden_channels", [32, 64, 128])
    peak_lr = trial.suggest_float("peak_lr", 1e-4, 1e-2, log=True)
    model = GCN_Model(in_channels=12, hidden_channels=hidden_channels)
    test_logAUC, test_BEDROC = train(
        model=model,
        train_loader=train_loader,
        valid_loader=valid_loader,
        test_loader=test_loader,
        peak_lr=peak_lr,
    )
    return test_BEDROC
"""
# the clean twin: the objective returns the validation metric of a run that never sees the test
VALIDATED = (
    OBJECTIVE.replace("test_logAUC, test_BEDROC", "valid_logAUC, valid_BEDROC")
    .replace("        test_loader=test_loader,\n", "")
    .replace("return test_BEDROC", "return valid_BEDROC")
)


def _tuned(folder: Path, script: str) -> list[tuple[int, str]]:
    write_app(folder, {"gcn_hparams.py": script})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == "test-set-tuning"]


def test_an_optuna_objective_returning_a_test_metric_is_test_set_tuning(tmp_path: Path) -> None:
    """No `study.optimize` is in view: the `trial.suggest_*` calls make the function an
    objective, and the returned name comes from a call handed the test loader."""
    found = _tuned(tmp_path, OBJECTIVE)
    assert [line for line, _ in found] == [_line(OBJECTIVE, "return test_BEDROC")]
    assert "train(..., test_loader)" in found[0][1]


def test_an_objective_returning_the_validation_metric_is_the_clean_twin(tmp_path: Path) -> None:
    assert VALIDATED != OBJECTIVE
    write_app(tmp_path, {"gcn_hparams.py": VALIDATED})
    assert [f.rule for f in review_path(tmp_path)] == []


def test_a_test_named_value_computed_without_test_data_is_not_test_set_tuning(
    tmp_path: Path,
) -> None:
    """The name alone is no flow: the returned value must come from a call given test data."""
    misnamed = VALIDATED.replace(
        "return valid_BEDROC", "test_BEDROC = valid_BEDROC\n    return test_BEDROC"
    )
    assert _tuned(tmp_path, misnamed) == []


def test_a_function_with_a_trial_that_suggests_nothing_is_no_objective(tmp_path: Path) -> None:
    plain = OBJECTIVE.replace('trial.suggest_categorical("hidden_channels", [32, 64, 128])', "64")
    plain = plain.replace('trial.suggest_float("peak_lr", 1e-4, 1e-2, log=True)', "1e-3")
    assert "suggest" not in plain
    assert _tuned(tmp_path, plain) == []
