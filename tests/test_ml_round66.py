"""ML review round 66 (issue 14): fresh58's last false alarms, removed.

1. test-set-tuning: an Optuna objective that averages a score over the held-out folds of a
   cross-validation loop on the data it is handed (detexe's ped/classifier.py:143,
   `X_test = x[test_idx]` for `test_idx` of `cv.split(x, y)`) is scored on validation rows,
   not on the test set. Its early stopping on the scored fold (line 129) stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

OBJECTIVE = """\
    import numpy as np
    import optuna
    from lightgbm import LGBMClassifier
    from sklearn.metrics import log_loss
    from sklearn.model_selection import StratifiedKFold

    def objective(trial, x, y):
        model = LGBMClassifier(n_estimators=trial.suggest_int("n", 10, 100), random_state=0)
        scores = np.empty(5)
        for idx, (train_idx, test_idx) in enumerate(StratifiedKFold(5).split(x, y)):
            X_train, X_test = x[train_idx], x[test_idx]
            y_train, y_test = y[train_idx], y[test_idx]
            model.fit(X_train, y_train, STOP)
            scores[idx] = log_loss(y_test, model.predict_proba(X_test))
        return np.mean(scores)

    def tune(x, y):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(lambda t: objective(t, x, y), n_trials=20)
        return study.best_params
    """


def _tuning(tmp_path: Path, stop: str, objective: str = OBJECTIVE) -> list[int]:
    root = write_app(tmp_path, {"tune.py": objective.replace("STOP", stop)})
    return [f.line for f in review_path(root) if f.rule == "test-set-tuning"]


def test_an_objective_scored_on_its_cross_validation_folds_is_not_tuned_on_test(
    tmp_path: Path,
) -> None:
    assert _tuning(tmp_path, "verbose=-1") == []


def test_early_stopping_on_the_scored_fold_is_still_reported(tmp_path: Path) -> None:
    stop = "eval_set=[(X_test, y_test)], early_stopping_rounds=100"
    assert _tuning(tmp_path, stop) == [13]


def test_an_objective_scored_on_the_test_split_is_still_reported(tmp_path: Path) -> None:
    held_out = OBJECTIVE.replace(
        "            X_train, X_test = x[train_idx], x[test_idx]\n"
        "            y_train, y_test = y[train_idx], y[test_idx]\n",
        "            X_train, y_train = x[train_idx], y[train_idx]\n",
    ).replace("def objective(trial, x, y):", "def objective(trial, x, y, X_test, y_test):")
    assert _tuning(tmp_path, "verbose=-1", held_out) == [14]
