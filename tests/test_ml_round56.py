"""ML review round 56: a scaler fitted inside a preprocessing helper, its output cut by the callers.

crypto-trader-analysis' `Preprocessor` (an attrs class) keeps a MinMaxScaler in a field built by
`Factory(lambda: MinMaxScaler(...))` and fit_transforms every row's returns with it inside a
method (`preprocessor.py:281`); its windows come back to `train_model.py` and
`training_session.py`, which keep the first 90% for training and the rest as the validation set
of early stopping with `X[:train_size]` and `X[train_size:]` (fresh52's miss). Now an attrs or
dataclass instance carries its fields, two slices of one array at one bound in one function are
a split, and the fit that several callers split is one finding at the fit, its message listing
the lines that split. A path that splits but only predicts, slices at two bounds, unscaled
returns, and a full-data statistic cut into inliers and outliers for a plot stay silent.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ml_findings

PREP = """
from dataclasses import dataclass

import numpy as np
from attrs import Factory, define, field
from sklearn.preprocessing import MinMaxScaler


@dataclass
class Prepared:
    returns: np.ndarray
    prices: np.ndarray


@define
class Preprocessor:
    window: int = 10
    scaler: MinMaxScaler = field(default=Factory(lambda: MinMaxScaler(feature_range=(0, 1))))

    def _prepare(self, frame):
        returns = frame.drop(columns=["price"]).pct_change().to_numpy()
        if hasattr(self.scaler, "scale_"):
            scaled = self.scaler.transform(returns)
        else:
            scaled = self.scaler.fit_transform(returns)
        return Prepared(returns=scaled, prices=frame["price"].to_numpy())

    def transform(self, frame):
        data = self._prepare(frame)
        windows = np.stack([data.returns[i - self.window : i] for i in range(self.window, 90)])
        return windows, data.prices[self.window : 90], self.scaler
"""

DATA = """
import tensorflow as tf


def split(X, y):
    n = int(len(y) * 0.9)
    train = tf.data.Dataset.from_tensor_slices((X[:n], y[:n])).batch(32)
    val = tf.data.Dataset.from_tensor_slices((X[n:], y[n:])).batch(32)
    return train, val
"""

TRAIN = """
from market.data import split
from market.prep import Preprocessor


def train_model(frame, model):
    X, y, scaler = Preprocessor(window=10).transform(frame)
    train_ds, val_ds = split(X, y)
    model.fit(train_ds, validation_data=val_ds, epochs=10)
    return model
"""

SESSION = """
from market.prep import Preprocessor


class Session:
    def __init__(self, model):
        self.model = model

    def train(self, frame):
        X, y, scaler = Preprocessor().transform(frame)
        n = len(X) - len(X) // 10
        self.model.fit(X[:n], y[:n], validation_data=(X[n:], y[n:]), epochs=10)
"""

PREDICT = """
from market.data import split
from market.prep import Preprocessor


def latest(frame, model):
    X, y, scaler = Preprocessor().transform(frame)
    train_ds, val_ds = split(X, y)
    return model.predict(X[-1:])
"""

PLAIN = """
import numpy as np
from sklearn.preprocessing import MinMaxScaler


class Preprocessor:
    def __init__(self, window=10):
        self.window = window
        self.scaler = MinMaxScaler()

    def transform(self, frame):
        returns = self.scaler.fit_transform(frame.drop(columns=["price"]).to_numpy())
        windows = np.stack([returns[i - self.window : i] for i in range(self.window, 90)])
        return windows, frame["price"].to_numpy()[self.window : 90], self.scaler
"""


def _leaks(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    package = {"market/__init__.py": "", **files}
    return ml_findings(tmp_path, package, "leakage-preprocess-before-split")


def test_a_fit_in_a_helper_that_two_callers_split_is_one_finding_at_the_fit(
    tmp_path: Path,
) -> None:
    found = _leaks(
        tmp_path,
        {
            "market/prep.py": PREP,
            "market/data.py": DATA,
            "market/train.py": TRAIN,
            "market/session.py": SESSION,
        },
    )
    assert [(path, line) for path, line, _ in found] == [("market/prep.py", 24)]
    assert "at market/data.py:6; market/session.py:11)" in found[0][2]


def test_one_caller_that_splits_is_reported_at_its_call(tmp_path: Path) -> None:
    files = {"market/prep.py": PREP, "market/data.py": DATA, "market/train.py": TRAIN}
    found = _leaks(tmp_path, files)
    assert [(path, line) for path, line, _ in found] == [("market/train.py", 6)]
    assert "slices [:n] and [n:], market/data.py:6" in found[0][2]


def test_a_path_that_splits_but_only_predicts_is_no_second_caller(tmp_path: Path) -> None:
    files = {"market/prep.py": PREP, "market/data.py": DATA, "market/train.py": TRAIN}
    found = _leaks(tmp_path, {**files, "market/predict.py": PREDICT})
    assert [(path, line) for path, line, _ in found] == [("market/train.py", 6)]


def test_a_helper_output_split_only_on_a_predicting_path_is_silent(tmp_path: Path) -> None:
    files = {"market/prep.py": PREP, "market/data.py": DATA, "market/predict.py": PREDICT}
    assert _leaks(tmp_path, files) == []


def test_slices_at_two_different_bounds_are_no_split(tmp_path: Path) -> None:
    data = DATA.replace("(X[n:], y[n:])", "(X[n + 5 :], y[n + 5 :])")
    files = {"market/prep.py": PREP, "market/data.py": data, "market/train.py": TRAIN}
    assert _leaks(tmp_path, files) == []


def test_returns_left_unscaled_and_split_by_slices_are_silent(tmp_path: Path) -> None:
    prep = PREP.replace("scaled = self.scaler.fit_transform(returns)", "scaled = returns")
    files = {"market/prep.py": prep, "market/data.py": DATA, "market/train.py": TRAIN}
    assert _leaks(tmp_path, files) == []


def test_a_scaler_set_in_a_plain_init_is_found_too(tmp_path: Path) -> None:
    files = {"market/prep.py": PLAIN, "market/data.py": DATA, "market/train.py": TRAIN}
    found = _leaks(tmp_path, files)
    assert [(path, line) for path, line, _ in found] == [("market/train.py", 6)]


def test_a_statistic_cut_into_inliers_and_outliers_for_a_plot_is_silent(tmp_path: Path) -> None:
    source = """
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.covariance import EmpiricalCovariance

    X = np.load("points.npy")
    n_outliers = 25
    covariance = EmpiricalCovariance().fit(X)
    distances = covariance.mahalanobis(X - np.mean(X, 0))
    plt.boxplot([distances[:-n_outliers], distances[-n_outliers:]])
    """
    assert _leaks(tmp_path, {"plot.py": source}) == []
