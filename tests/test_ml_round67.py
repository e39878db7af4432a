"""ML review round 67: leakage-preprocess-before-split, eval-on-train and fit-on-test findings on
spent corpora that the judges found false (issue 14).

Part 1: mlfromscratch 0.0.4 standardises a one-feature regression set over all rows before its
own split (decision_tree.py:317, gradient_boosting.py:157) and fits only its own RegressionTree
(or boosted RegressionTrees) on it. A tree's thresholds are values of the feature, so a shift and
positive scale change no split, prediction or printed MSE. The review knew sklearn's tree
ensembles by name, but named a method of the repository's own class `?` (a consumer of unknown
kind), and counted the split's own `np.arange`/`np.random.shuffle` and a `plt.scatter` of the
test rows as consumers of the scale too.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

UTILS = """
import numpy as np


def shuffle_data(X, y):
    idx = np.arange(X.shape[0])
    np.random.shuffle(idx)
    return X[idx], y[idx]


def train_test_split(X, y, test_size=0.5):
    X, y = shuffle_data(X, y)
    split_i = len(y) - int(len(y) // (1 / test_size))
    return X[:split_i], X[split_i:], y[:split_i], y[split_i:]


def standardize(X):
    X_std = X
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    for col in range(np.shape(X)[1]):
        if std[col]:
            X_std[:, col] = (X_std[:, col] - mean[col]) / std[col]
    return X_std
"""
# the repository's own tree, fitted and scored on standardised rows, the test rows plotted
TREE = """
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import mean_squared_error

from utils import standardize, train_test_split


class DecisionTree:
    def __init__(self, min_samples_split=2):
        self.min_samples_split = min_samples_split
        self.root = None

    def fit(self, X, y):
        self.root = self._build_tree(X, y)

    def _build_tree(self, X, y):
        best = None
        for threshold in np.unique(X[:, 0]):
            left = y[X[:, 0] >= threshold]
            if len(left) >= self.min_samples_split:
                best = (threshold, np.mean(left))
        return best

    def predict(self, X):
        threshold, value = self.root
        return np.where(X[:, 0] >= threshold, value, 0.0)


class RegressionTree(DecisionTree):
    pass


def main():
    X = np.loadtxt("x.csv", delimiter=",")
    y = np.loadtxt("y.csv", delimiter=",")
    X_train, X_test, y_train, y_test = train_test_split(standardize(X), y, test_size=0.3)
    model = RegressionTree()
    model.fit(X_train, y_train)
    y_pred = model.predict(X_test)
    print("MSE:", mean_squared_error(y_test, y_pred))
    plt.scatter(X_test[:, 0], y_test, color="black")


if __name__ == "__main__":
    main()
"""
# the true twin: the repository's own model is a linear one, whose weights the scale moves
LINEAR = TREE.replace("RegressionTree", "LinearRegression")


def _leak_lines(folder: Path, run: str) -> list[int]:
    """Lines of run.py that the leakage rule reports (utils.py holds the split and the scaling)."""
    write_app(folder, {"utils.py": UTILS, "run.py": run})
    found = review_path(folder)
    return [f.line for f in found if f.rule == "leakage-preprocess-before-split"]


def _split_line(run: str) -> list[int]:
    rows = run.lstrip().splitlines()
    return [next(n for n, row in enumerate(rows, 1) if "train_test_split(standardize" in row)]


def test_a_rescaling_that_only_the_repositorys_own_tree_and_a_plot_read_is_no_leak(
    tmp_path: Path,
) -> None:
    assert _leak_lines(tmp_path, TREE) == []


def test_a_rescaling_that_the_repositorys_own_linear_model_reads_stays_reported(
    tmp_path: Path,
) -> None:
    assert _leak_lines(tmp_path, LINEAR) == _split_line(LINEAR)


def test_a_plot_of_the_rows_does_not_hide_a_sklearn_linear_model(tmp_path: Path) -> None:
    sklearn = TREE.replace("model = RegressionTree()", "model = LinearRegression()").replace(
        "import numpy as np",
        "import numpy as np\nfrom sklearn.linear_model import LinearRegression",
        1,
    )
    assert _leak_lines(tmp_path, sklearn) == _split_line(sklearn)


# Part 2: a training score that only ranks columns for a selection step (`columnrank.py`).
RANKER = """
import pandas as pd
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier


def select_top_n_vars(X, y, n=2):
    scores = {}
    for col in X.columns:
        X_col = X[col].values.reshape(-1, 1)
        model = DecisionTreeClassifier(max_depth=3, random_state=0)
        model.fit(X_col, y)
        predictions = model.predict(X_col)
        score = accuracy_score(y, predictions)
        scores[col] = score
    return sorted(scores, key=scores.get, reverse=True)[:n]


df = pd.read_csv("accounts.csv")
print(select_top_n_vars(df.drop(columns="label"), df["label"]))
"""
# the true twin: each column's training accuracy is printed as how well it predicts
PRINTED = RANKER.replace("scores[col] = score", "print(col, score)\n        scores[col] = score")


def _eval_lines(folder: Path, script: str) -> list[int]:
    write_app(folder, {"run.py": script})
    return [f.line for f in review_path(folder) if f.rule == "eval-on-train"]


def test_a_training_score_that_only_ranks_the_columns_is_no_evaluation(tmp_path: Path) -> None:
    assert _eval_lines(tmp_path, RANKER) == []


def test_a_training_score_per_column_that_is_printed_stays_reported(tmp_path: Path) -> None:
    rows = PRINTED.lstrip().splitlines()
    score = next(n for n, row in enumerate(rows, 1) if "score = accuracy_score" in row)
    assert _eval_lines(tmp_path, PRINTED) == [score]


def test_a_training_score_that_ranks_models_stays_reported(tmp_path: Path) -> None:
    models = (
        RANKER.replace("for col in X.columns:", "for col in MODELS:")
        .replace(
            "model = DecisionTreeClassifier(max_depth=3, random_state=0)", "model = MODELS[col]"
        )
        .replace("X_col = X[col].values", "X_col = X.values")
        .replace(
            "def select_top_n_vars",
            "MODELS = {'tree': DecisionTreeClassifier(random_state=0)}\n\n\ndef select_top_n_vars",
        )
    )
    rows = models.lstrip().splitlines()
    score = next(n for n, row in enumerate(rows, 1) if "score = accuracy_score" in row)
    assert _eval_lines(tmp_path, models) == [score]
