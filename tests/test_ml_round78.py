"""ML review round 78: findings on the spent fresh66 corpus that the judges found false (issue 14).

autoscore 1.3.0's stepwise selector fits on `X[features_to_test]`, a list of candidate column
names (fit-on-test, selection.py:327 and :374), and bins a column with a decision tree fitted on
that one named column (unseeded-randomness, binning.py:637).
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app


def _found(folder: Path, code: str, rule: str) -> list[str]:
    write_app(folder, {"pyproject.toml": "[project]\nname = 'score'\n", "score/select.py": code})
    return [f"{f.path}:{f.line}" for f in review_path(folder / "score") if f.rule == rule]


STEPWISE = """
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def stepwise(X, y, initial_features=None):
    remaining = [f for f in X.columns if f not in (initial_features or [])]
    selected = list(initial_features or [])
    for candidate in remaining:
        features_to_test = selected + [candidate]
        LogisticRegression(random_state=0).fit(X[features_to_test], y)
    return selected
"""


def test_a_fit_on_a_list_of_candidate_columns_named_to_test_fits_no_test_rows(
    tmp_path: Path,
) -> None:
    assert _found(tmp_path, STEPWISE, "fit-on-test") == []


def test_a_fit_on_rows_named_as_the_test_part_stays_reported(tmp_path: Path) -> None:
    rows = STEPWISE.replace(
        "        features_to_test = selected + [candidate]\n",
        "        _, features_to_test = train_test_split(list(range(len(X))), random_state=0)\n",
    ).replace("X[features_to_test]", "X.iloc[features_to_test]")
    assert _found(tmp_path, rows, "fit-on-test") != []


BINNING = """
import pandas as pd
from sklearn.tree import DecisionTreeClassifier


def dt_binning(x, y, max_bins=10):
    df = pd.DataFrame({"x": x, "y": y, "z": x * 2}).dropna()
    dt = DecisionTreeClassifier(max_leaf_nodes=max_bins, min_samples_leaf=0.05)
    dt.fit(df[["x"]], df["y"])
    return sorted(dt.tree_.threshold[dt.tree_.threshold != -2])
"""


def test_a_tree_fitted_on_one_named_column_is_deterministic(tmp_path: Path) -> None:
    assert _found(tmp_path, BINNING, "unseeded-randomness") == []


def test_a_tree_on_two_columns_or_a_random_splitter_stays_reported(tmp_path: Path) -> None:
    two = BINNING.replace('df[["x"]]', 'df[["x", "z"]]')
    assert _found(tmp_path, two, "unseeded-randomness") != []
    random = BINNING.replace("min_samples_leaf=0.05)", 'min_samples_leaf=0.05, splitter="random")')
    assert _found(tmp_path, random, "unseeded-randomness") != []
