"""ML review round 61: fresh55's unseeded-randomness false alarm and wrong reason.

mlex-lib's experiment `benchmarks/eye_detection/MLP/mlp_pytorch.py` bootstraps AUCs with
`np.random.choice` in `roc_samples()`, whose calls are commented out, and shuffles accounts in
`kfold_by_account()`, likewise never called (judged false): a draw in a top-level function of a
script or notebook that neither the script nor a module importing it names is dead code.

panelclv's `training/training_utils.py:107` (judged true) trains the model its caller hands it;
the finding named `wandb.log` and `optuna.TrialPruned` as the draws. Experiment trackers and
raised exceptions draw nothing; the draws are the layers of the model the package's own tuner
builds, unseeded, for every trial, and the finding now names them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

SCRIPT = """
import numpy as np
from sklearn import metrics
from sklearn.linear_model import LogisticRegression

np.random.seed(0)
X = np.arange(400.0).reshape(100, 4)
y = np.arange(100) % 2


def roc_samples(y_t, y_s):
    rocs = []
    for _ in range(30):
        choices = np.random.choice(len(y_t), size=len(y_t))
        fpr, tpr, _ = metrics.roc_curve(y_t[choices], y_s[choices])
        rocs.append(metrics.auc(fpr, tpr))
    return rocs


model = LogisticRegression(random_state=0).fit(X[:80], y[:80])
scores = model.predict_proba(X[80:])[:, 1]
print(metrics.roc_auc_score(y[80:], scores))
"""
DRAW = "np.random.choice(len(y_t), size=len(y_t))"


def _unseeded(folder: Path) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in review_path(folder) if f.rule == "unseeded-randomness"]


def _line(text: str, part: str) -> int:
    lines = text.lstrip().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if part in line)


def _unseeded_script(tmp_path: Path, script: str, **more: str) -> list[tuple[str, int]]:
    """The script with its numpy seed removed (so its draws are unseeded), and `more` files."""
    unseeded = script.replace("np.random.seed(0)\n", "")
    return _unseeded(write_app(tmp_path, {"mlp_pytorch.py": unseeded, **more}))


def test_a_bootstrap_nothing_calls_in_a_script_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded_script(tmp_path, SCRIPT) == []


def test_the_script_with_a_seed_is_clean(tmp_path: Path) -> None:
    assert review_path(write_app(tmp_path, {"mlp_pytorch.py": SCRIPT})) == []


def test_the_bootstrap_called_by_the_script_is_reported(tmp_path: Path) -> None:
    called = SCRIPT + "print(roc_samples(y[80:], scores))\n"
    found = _unseeded_script(tmp_path, called)
    assert found == [("mlp_pytorch.py", _line(called.replace("np.random.seed(0)\n", ""), DRAW))]


def test_the_bootstrap_called_by_a_module_importing_the_script_is_reported(
    tmp_path: Path,
) -> None:
    user = "from mlp_pytorch import roc_samples, scores, y\n\nprint(roc_samples(y[80:], scores))\n"
    found = _unseeded_script(tmp_path, SCRIPT, **{"report.py": user})
    assert ("mlp_pytorch.py", _line(SCRIPT.replace("np.random.seed(0)\n", ""), DRAW)) in found


def test_a_bootstrap_handed_to_a_decorator_is_reported(tmp_path: Path) -> None:
    decorated = SCRIPT.replace("def roc_samples", "@register\ndef roc_samples").replace(
        "from sklearn import metrics\n", "from sklearn import metrics\nfrom tasks import register\n"
    )
    assert len(_unseeded_script(tmp_path, decorated)) == 1


def test_a_library_module_keeps_its_uncalled_function_reported(tmp_path: Path) -> None:
    """A module of only definitions is a library's: its users call what nothing here calls."""
    imports = SCRIPT.split("np.random.seed(0)")[0]
    library = (
        imports
        + "\n\ndef roc_samples"
        + SCRIPT.split("def roc_samples")[1].split("\n\nmodel = ")[0]
    )
    assert len(_unseeded_script(tmp_path, library)) == 1


def test_a_module_of_an_importable_package_keeps_its_uncalled_function_reported(
    tmp_path: Path,
) -> None:
    """GPy's `examples/` package guards an import with `try` at the top: its functions are
    examples a user calls, whatever runs at import."""
    found = _unseeded_script(tmp_path, SCRIPT, **{"__init__.py": ""})
    assert found == [("mlp_pytorch.py", _line(SCRIPT.replace("np.random.seed(0)\n", ""), DRAW))]


def _notebook(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_a_bootstrap_nothing_calls_in_a_notebook_is_not_reported(tmp_path: Path) -> None:
    head, tail = SCRIPT.replace("np.random.seed(0)\n", "").split("\n\nmodel = ")
    notebook = _notebook(head, "model = " + tail)
    assert _unseeded(write_app(tmp_path, {"explore.ipynb": notebook})) == []
    called = _notebook(head, "model = " + tail + "print(roc_samples(y[80:], scores))\n")
    assert len(_unseeded(write_app(tmp_path, {"explore.ipynb": called}))) == 1


MODELS = """
from torch import nn


class Net(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.layer = nn.Linear(4, 2)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.layer(self.drop(x))
"""
TRAINING = """
import torch


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


def fit_model(model, loader, n_epochs, trial=None, log_wandb=False):
    wandb = None
    if log_wandb:
        import wandb
    optimizer = torch.optim.Adam(model.parameters())
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(n_epochs):
        loss = train_one_epoch(model, loader, optimizer, criterion)
        if wandb is not None:
            wandb.log({"loss": loss}, step=epoch)
        if trial is not None:
            import optuna

            trial.report(loss, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
    return loss
"""
TUNING = """
import optuna

from pkg.models import Net
from pkg.training import fit_model


def objective(trial, loader):
    model = Net(trial.suggest_float("dropout", 0.0, 0.4))
    return fit_model(model, loader, n_epochs=5, trial=trial)


def run_study(loader, seed):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(lambda trial: objective(trial, loader), n_trials=10)
    return study.best_value
"""


# Run as a script too, the module is no library whose caller seeds: main reported it, naming
# `wandb.log` as the draw.
GUARD = '\n\nif __name__ == "__main__":\n    print("train with pkg.tuning.run_study")\n'


def _package(tmp_path: Path, tuning: str, training: str = TRAINING + GUARD) -> Path:
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": MODELS,
        "pkg/training.py": training,
        "pkg/tuning.py": tuning,
    }
    return write_app(tmp_path, files)


@pytest.mark.parametrize("training", [TRAINING + GUARD, TRAINING], ids=["script", "library"])
def test_a_loop_names_the_layers_its_unseeded_caller_builds(tmp_path: Path, training: str) -> None:
    found = [
        f
        for f in review_path(_package(tmp_path, TUNING, training))
        if f.rule == "unseeded-randomness"
    ]
    assert [(f.path, f.line) for f in found] == [
        ("pkg/training.py", _line(TRAINING, "loss.backward()"))
    ]
    message = found[0].message
    assert "objective() (pkg/tuning.py:" in message
    assert f"Net() (torch.nn.Linear() at pkg/models.py:{_line(MODELS, 'nn.Linear')})" in message
    assert "wandb" not in message
    assert "TrialPruned" not in message
    assert "optuna" not in message


def test_a_loop_whose_caller_seeds_torch_is_clean(tmp_path: Path) -> None:
    seeded = TUNING.replace(
        "    model = Net(", "    torch.manual_seed(trial.number)\n    model = Net("
    ).replace("import optuna\n", "import optuna\nimport torch\n")
    assert review_path(_package(tmp_path, seeded)) == []


def test_trackers_and_raised_exceptions_are_no_draws(tmp_path: Path) -> None:
    """With no caller in the repository, a loop whose module only logs and prunes trains
    nothing drawn here: its caller outside owns the seed."""
    files = {"pkg/__init__.py": "", "pkg/training.py": TRAINING + GUARD}
    assert review_path(write_app(tmp_path, files)) == []
