"""ML review round 57: a split by tuple slices at one bound, each fit reported once, at the fit.

crypto-trader-analysis' `TrainingSession._transform_to_dataset` fits the target MinMaxScaler on
every future price (`training_session.py:256`) and `_scaled_as_dataset` then keeps the last 10%
for validation with `from_tensor_slices((prices[:n], targets[:n]))` and
`from_tensor_slices((prices[n:], targets[n:]))` (fresh52's miss). A first version (the 56th
round measured and not landed in the last session) reported the one scaler at each of the two
`session.train()` lines that reach it, and once more on `predict_without_dataframe`, a path that
builds the datasets and only predicts (judged false). The split by two slices at one bound
(`slicepairs.py`) now finds it once, at the fit, listing the lines that split
(`fitsite.py`); a path that fits, trains and scores nothing adds no finding and no caller.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ml_findings

SESSION = """
import tensorflow as tf
from attrs import define, field
from sklearn.preprocessing import MinMaxScaler


@define
class Session:
    model: object = field(default=None)
    batch: int = 32

    def _datasets(self, prices, targets):
        n = len(targets) - max(1, len(targets) // 10)
        train = tf.data.Dataset.from_tensor_slices((prices[:n], targets[:n]))
        val = tf.data.Dataset.from_tensor_slices((prices[n:], targets[n:]))
        return train.batch(self.batch), val.batch(self.batch)

    def _transform(self, frame):
        prices = frame.drop(columns=["target"]).to_numpy()
        scaler = MinMaxScaler()
        scaler.fit(frame[["target"]].to_numpy())
        targets = scaler.transform(frame[["target"]].to_numpy()).ravel()
        train, val = self._datasets(prices, targets)
        return train, val, scaler, prices

    def train(self, frame):
        train, val, scaler, prices = self._transform(frame)
        self.model.fit(train, validation_data=val, epochs=10)

    def predict_latest(self, frame):
        train, val, scaler, prices = self._transform(frame)
        return scaler.inverse_transform(self.model.predict(prices[-1:]))
"""

RUNNER = """
import pandas as pd

from market.session import Session


def run(paths, model):
    if len(paths) == 1:
        Session(model=model).train(pd.read_csv(paths[0]))
        return
    for path in paths:
        Session(model=model).train(pd.read_csv(path))
"""

PREDICTIONS = """
import pandas as pd

from market.session import Session


def predict(path, model):
    return Session(model=model).predict_latest(pd.read_csv(path))
"""

PARALLEL = """
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

X = np.load("features.npy")
y = np.load("target.npy")
n = int(len(X) * 0.8)
{scale}
X_fit, X_held = X[:n], X[n:]
y_fit, y_held = y[:n], y[n:]
{late}
print(Ridge().fit(X_fit, y_fit).score(X_held, y_held))
"""


def _leaks(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    package = {"market/__init__.py": "", **files}
    return ml_findings(tmp_path, package, "leakage-preprocess-before-split")


def test_a_scaler_two_runner_lines_reach_is_one_finding_at_its_fit(tmp_path: Path) -> None:
    found = _leaks(tmp_path, {"market/session.py": SESSION, "market/runner.py": RUNNER})
    assert [(path, line) for path, line, _ in found] == [("market/session.py", 20)]
    assert "slices [:n] and [n:], at market/session.py:13)" in found[0][2]


def test_a_path_that_builds_the_datasets_and_only_predicts_adds_nothing(tmp_path: Path) -> None:
    files = {"market/session.py": SESSION, "market/runner.py": RUNNER}
    found = _leaks(tmp_path, {**files, "market/predictions.py": PREDICTIONS})
    assert [(path, line) for path, line, _ in found] == [("market/session.py", 20)]


def test_only_the_predicting_path_is_silent(tmp_path: Path) -> None:
    session = SESSION.replace("self.model.fit(train, validation_data=val, epochs=10)", "pass")
    files = {"market/session.py": session, "market/predictions.py": PREDICTIONS}
    assert _leaks(tmp_path, files) == []


def test_parts_assigned_in_parallel_after_a_fit_on_all_rows_are_a_split(tmp_path: Path) -> None:
    source = PARALLEL.format(scale="X = StandardScaler().fit_transform(X)", late="")
    found = _leaks(tmp_path, {"fit.py": source})
    assert [(path, line) for path, line, _ in found] == [("fit.py", 8)]
    assert "slices [:n] and [n:], line 9" in found[0][2]


def test_a_scaler_fitted_on_the_first_part_only_is_silent(tmp_path: Path) -> None:
    late = "scaler = StandardScaler().fit(X_fit)\nX_fit, X_held = scaler.transform(X_fit), scaler.transform(X_held)"
    source = PARALLEL.format(scale="", late=late)
    assert _leaks(tmp_path, {"fit.py": source}) == []


def test_parts_cut_at_two_bounds_are_no_split(tmp_path: Path) -> None:
    source = PARALLEL.format(scale="X = StandardScaler().fit_transform(X)", late="").replace(
        "X[n:]", "X[n + 10 :]"
    )
    assert _leaks(tmp_path, {"fit.py": source}) == []
