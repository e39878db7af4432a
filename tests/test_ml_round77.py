"""ML review round 77: leakage-preprocess-before-split findings on the spent fresh64 corpus that
the judges found false (issue 14).

areafluforecast's backtest, forecast and tuning call `run_model`, which splits the weeks by date
first and then normalises with `normalization(frame, split)`: the mean and std of
`frame.to_numpy()[:end]`, `end = split.train[-1] + horizon + 1`, the rows up to the last training
origin's targets. The statistic is fitted on the training rows, after the split. A callee that
fits on every row, a bound read from the test part, or a caller that has already standardised
every row leaves the leak reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

WINDOWS = """
from dataclasses import dataclass

import numpy as np


@dataclass
class Split:
    train: list
    test: list


def split_origins(n_rows, cut):
    rows = list(range(n_rows))
    return Split(train=rows[:cut], test=rows[cut:])


def normalization(frame, split, horizon):
    end = split.train[-1] + horizon + 1
    rows = frame.to_numpy(dtype=np.float32)[:end]
    mean = np.nanmean(rows, axis=0, keepdims=True)
    std = np.nanstd(rows, axis=0, keepdims=True) + 1e-8
    return mean, std


def windows(frame, positions, mean, std, lookback):
    source = (frame.to_numpy(dtype=np.float32) - mean) / std
    return np.stack([source[t - lookback + 1 : t + 1] for t in positions])
"""

ENGINE = """
from sklearn.linear_model import Ridge

from flu.windows import normalization, split_origins, windows


def run_model(rates, cut, horizon=1, lookback=4):
    split = split_origins(len(rates), cut)
    mean, std = normalization(rates, split, horizon)
    x_train = windows(rates, split.train, mean, std, lookback)
    x_test = windows(rates, split.test, mean, std, lookback)
    y = rates.to_numpy()[:, 0]
    model = Ridge().fit(x_train.reshape(len(x_train), -1), y[split.train])
    return model.predict(x_test.reshape(len(x_test), -1))
"""

BACKTEST = """
import pandas as pd

from flu.engine import run_model


def backtest(path, cut):
    rates = pd.read_csv(path)
    return run_model(rates, cut)
"""


def _lines(folder: Path, *, windows: str = WINDOWS, backtest: str = BACKTEST) -> list[str]:
    files = {
        "pyproject.toml": "[project]\nname = 'flu'\n",
        "flu/__init__.py": "",
        "flu/windows.py": windows,
        "flu/engine.py": ENGINE,
        "flu/backtest.py": backtest,
    }
    write_app(folder, files)
    return [
        f"{f.path}:{f.line}"
        for f in review_path(folder / "flu")
        if f.rule == "leakage-preprocess-before-split"
    ]


def test_a_callee_that_normalises_up_to_the_last_training_row_after_its_split_leaks_nothing(
    tmp_path: Path,
) -> None:
    assert _lines(tmp_path) == []


def test_a_callee_that_normalises_every_row_stays_reported(tmp_path: Path) -> None:
    every_row = WINDOWS.replace("[:end]", "")
    assert _lines(tmp_path, windows=every_row) != []


def test_a_bound_read_from_the_test_part_stays_reported(tmp_path: Path) -> None:
    to_the_test_end = WINDOWS.replace("split.train[-1]", "split.test[-1]")
    assert _lines(tmp_path, windows=to_the_test_end) != []


def test_a_caller_that_standardised_every_row_first_stays_reported(tmp_path: Path) -> None:
    standardised = BACKTEST.replace(
        "    return run_model(rates, cut)\n",
        "    rates = (rates - rates.mean()) / rates.std()\n    return run_model(rates, cut)\n",
    )
    assert _lines(tmp_path, backtest=standardised) != []


TRAIN_END = "end = split.train[-1] + horizon + 1"
SHUFFLED_ROWS = "    rows = list(np.random.default_rng(0).permutation(n_rows))\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the larger of both parts' ends: every row
        (TRAIN_END, "end = max(split.train[-1], split.test[-1]) + 1"),
        # the test part's size added: every row
        (TRAIN_END, "end = split.train[-1] + len(split.test) + 1"),
        # the split drawn from a permutation: the last training position is a random row
        ("    rows = list(range(n_rows))\n", SHUFFLED_ROWS),
        # `end` rebound by a tuple target, then by a for target
        (TRAIN_END, TRAIN_END + "\n    _, end = 0, len(frame)"),
        (TRAIN_END, TRAIN_END + "\n    for end in [len(frame)]:\n        pass"),
    ],
)
def test_a_bound_that_is_not_only_the_training_part_stays_reported(
    tmp_path: Path, old: str, new: str
) -> None:
    assert old in WINDOWS
    assert _lines(tmp_path, windows=WINDOWS.replace(old, new)) != []
