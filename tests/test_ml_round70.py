"""ML review round 70: eval-on-train, fit-on-test and test-set-tuning findings on spent corpora
that the judges found false (issue 14), only removing findings.

Part 1: aimlese 0.1.0's AIML5.ipynb builds its own forest whose `predict` averages its trees'
outputs for the rows it is handed (`np.mean(preds, axis=0)`) and plots a histogram of the test
residuals, `y_test - y_pred_rf` (:141). The mean of the tree outputs for the test rows read as a
statistic of the test set written back into them. What a repository `predict` returns is
predictions (`inline._predicted`); the same mean in a helper that is no `predict` stays a
statistic of the test rows, and so does one returned by a function whose name only starts with
"predict" (`predictor_means(frame)`) or that takes no `self`.

Part 2: deep-autoviml 0.0.85's `classify_features_using_pandas`, called on the test frame
(modeling/predict_model.py:143), checks memory before listing a text column's vocabulary:
`if data_sample.shape[0]*data_sample[key].map(len).mean()/1e6 > 1 ...:` subsample it
(data_load/classify_features.py:661). The mean only picks a branch; nothing is filled or scaled
with it. Arithmetic evaluated in an `if` or `while` test records no fit on the test set
when it is itself an operand of the test's comparison (`calltools.arith(compared=...)`); the
same statistic written into the rows, or test rows scaled by their own statistics and handed to
`model.score` or bound by a walrus inside the test, stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app


def _lines(folder: Path, script: str, rule: str) -> list[int]:
    write_app(folder, {"run.py": script})
    return [f.line for f in review_path(folder) if f.rule == rule]


def _line_of(script: str, text: str) -> int:
    rows = script.lstrip().splitlines()
    return next(n for n, row in enumerate(rows, 1) if text in row)


FOREST = """
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split


class Stump:
    def fit(self, X, y):
        self.value = np.median(y)

    def predict(self, X):
        return np.full(len(X), self.value)


class Forest:
    def __init__(self, n=5):
        self.trees = [Stump() for _ in range(n)]

    def fit(self, X, y):
        for tree in self.trees:
            tree.fit(X, y)

    def predict(self, X):
        preds = np.array([tree.predict(X) for tree in self.trees])
        return np.mean(preds, axis=0)


df = pd.read_csv("insurance.csv")
X, y = df.drop(columns="charges").values, df["charges"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
forest = Forest()
forest.fit(X_train, y_train)
y_pred = forest.predict(X_test)
residuals = y_test - y_pred
print(np.abs(residuals).mean())
"""
# the true twin: the same mean taken by a helper that is no model's `predict`, of the test rows
AVERAGED = FOREST.replace(
    "y_pred = forest.predict(X_test)", "y_pred = Forest().average(X_test)"
).replace("    def predict(self, X):\n        preds", "    def average(self, X):\n        preds")


def test_an_average_a_predict_method_returns_is_no_test_statistic(tmp_path: Path) -> None:
    assert _lines(tmp_path, FOREST, "fit-on-test") == []


def test_the_same_average_outside_a_predict_method_stays_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, AVERAGED, "fit-on-test") == [_line_of(AVERAGED, "residuals = y_test")]


SIZE_CHECK = """
import pandas as pd
from sklearn.model_selection import train_test_split


def vocabulary(frame, key):
    if frame.shape[0] * frame[key].map(len).mean() / 1e6 > 1:
        frame = frame.sample(frac=0.1, random_state=0)
    return sorted(set(" ".join(frame[key]).split()))


df = pd.read_csv("reviews.csv")
train, test = train_test_split(df, test_size=0.2, random_state=0)
print(len(vocabulary(test, "text")))
"""
# the true twin: the same statistic of the test rows is written into them inside the branch
CENTRED = SIZE_CHECK.replace(
    "        frame = frame.sample(frac=0.1, random_state=0)",
    "        frame[key] = frame[key].map(len) - frame[key].map(len).mean()",
)


def test_a_test_statistic_that_only_picks_a_branch_is_no_fit(tmp_path: Path) -> None:
    assert _lines(tmp_path, SIZE_CHECK, "fit-on-test") == []


def test_the_statistic_written_into_the_test_rows_stays_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, CENTRED, "fit-on-test") == [_line_of(CENTRED, "frame[key] = frame")]


SCORED = """
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

df = pd.read_csv("houses.csv")
X, y = df.drop(columns="price"), df["price"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
model = LinearRegression().fit((X_train - X_train.mean()) / X_train.std(), y_train)
if model.score((X_test - X_test.mean()) / X_test.std(), y_test) > 0.9:
    print("good")
"""


def test_test_rows_scaled_by_their_own_statistic_inside_a_call_in_a_test_stay_reported(
    tmp_path: Path,
) -> None:
    # the arithmetic is a call's argument, handed to the model, not an operand of the comparison
    assert _line_of(SCORED, "if model.score") in _lines(tmp_path, SCORED, "fit-on-test")


def test_test_rows_scaled_in_a_walrus_in_a_test_stay_reported(tmp_path: Path) -> None:
    walrus = SCORED.replace(
        "if model.score((X_test - X_test.mean()) / X_test.std(), y_test) > 0.9:",
        "if (scaled := (X_test - X_test.mean()) / X_test.std()) is not None:\n"
        "    print(model.score(scaled, y_test))",
    )
    assert _line_of(walrus, "if (scaled :=") in _lines(tmp_path, walrus, "fit-on-test")


MEANS = """
import pandas as pd
from sklearn.model_selection import train_test_split


def {name}(frame):
    return frame.mean()


df = pd.read_csv("houses.csv")
X_train, X_test = train_test_split(df, test_size=0.2, random_state=0)
X_test = X_test.fillna({name}(X_test))
print(X_test.describe())
"""


def test_a_helper_whose_name_only_starts_with_predict_is_no_predict_method(
    tmp_path: Path,
) -> None:
    script = MEANS.replace("{name}", "predictor_means")
    assert _lines(tmp_path, script, "fit-on-test") == [_line_of(script, "X_test = X_test.fillna")]


def test_a_plain_function_named_predict_is_no_predict_method(tmp_path: Path) -> None:
    # a repository `predict` is a model's method: `self` comes first
    script = MEANS.replace("{name}", "predict_means")
    assert _lines(tmp_path, script, "fit-on-test") == [_line_of(script, "X_test = X_test.fillna")]
