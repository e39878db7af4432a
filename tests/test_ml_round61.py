"""ML review round 61: fresh55's unseeded-randomness false alarm and wrong reason.

mlex-lib's experiment `benchmarks/eye_detection/MLP/mlp_pytorch.py` bootstraps AUCs with
`np.random.choice` in `roc_samples()`, whose calls are commented out, and shuffles accounts in
`kfold_by_account()`, likewise never called (judged false): a draw in a top-level function of a
script or notebook that neither the script nor a module importing it names is dead code.
"""

from __future__ import annotations

import json
from pathlib import Path

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
