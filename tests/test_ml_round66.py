"""ML review round 66 (issue 14): fresh58's last false alarms, removed.

1. test-set-tuning: an Optuna objective that averages a score over the held-out folds of a
   cross-validation loop on the data it is handed (detexe's ped/classifier.py:143,
   `X_test = x[test_idx]` for `test_idx` of `cv.split(x, y)`) is scored on validation rows,
   not on the test set. Its early stopping on the scored fold (line 129) stays reported.
2. unseeded-randomness: a library loop on what its caller hands it, drawing per call from the
   global generators its caller seeds (speckcn2's mlops.py:93 and :100), is the caller's to seed.
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


# 2. unseeded-randomness: speckcn2's mlops.train(model, ..., train_set, ...) wraps the batches in
#    EnsembleModel, whose apply_noise draws torch.randn noise per batch, and reshuffles its
#    training list with random.shuffle between epochs: all from the global generators that the
#    caller seeds before calling the library.
WRAPPER = """\
import random

import torch
from torch import nn


class Ensemble(nn.Module):
    def __init__(self, conf):
        super().__init__()
        self.snr = conf["snr"]
        LAYER

    def forward(self, model, batch):
        return model(self.noise(batch))

    def noise(self, x):
        angle = random.randint(0, 3)
        return torch.rot90(x, angle) + self.snr * torch.randn(x.shape)
"""
OPS = """\
import random

from torch import nn, optim

from kt.models import Ensemble


def train(model: nn.Module, conf, train_set, optimizer: optim.Optimizer):
    ensemble = Ensemble(conf)
    for epoch in range(conf["epochs"]):
        for batch in train_set:
            optimizer.zero_grad()
            loss = ensemble(model, batch).mean()
            loss.backward()
            optimizer.step()
        random.shuffle(train_set)
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    return model
"""


def _library(root: Path, layer: str, ops: str = OPS) -> list[tuple[str, int]]:
    pkg = root / "kt"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .ops import train\n")
    (pkg / "models.py").write_text(WRAPPER.replace("LAYER", layer))
    (pkg / "ops.py").write_text(ops)
    return [(f.path, f.line) for f in review_path(root) if f.rule == "unseeded-randomness"]


def test_a_library_loop_whose_wrapper_draws_per_call_is_the_callers_to_seed(
    tmp_path: Path,
) -> None:
    assert _library(tmp_path, "self.scale = 1.0") == []


def test_a_wrapper_that_builds_a_random_layer_keeps_the_loop_reported(tmp_path: Path) -> None:
    assert _library(tmp_path, "self.head = nn.Linear(4, 1)") == [
        ("kt/ops.py", 14),
        ("kt/ops.py", 16),
    ]


def test_a_library_function_that_fits_keeps_its_shuffle_reported(tmp_path: Path) -> None:
    ops = OPS.replace("    return model", "    model.fit(train_set)\n    return model")
    assert ("kt/ops.py", 16) in _library(tmp_path, "self.scale = 1.0", ops)
