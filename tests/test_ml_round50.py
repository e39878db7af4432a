"""ML review round 50: false test-set-tuning findings on the spent corpora, by family.

Family 1, a learning curve read as a choice of model (precision): mills' question5 trains the
same `LinearRegression()` on 50%, 70% and 80% of the rows, scores each on one fixed test split,
tabulates the scores and names the size with the lowest test RMSE (judged false, round 49 part
2). A loop whose variable only sizes the training rows (`train_size=`, `X_train[:n]`, `.head(n)`)
and is otherwise only tested, printed or written into the table chooses no model; a loop over
feature subsets, column counts or a model's setting stays reported.

Family 2, a unit test of a library's early stopping (precision): hypergbm's
`tests/estimator_test.py` early-stops XGBoost on `eval_set=[(X_test, y_test)]` and asserts the
best iteration (judged false, fresh43). The data-flow rules no longer speak inside a test
function (`def test*`) of test code, as the other rules already skip test code; the same fit in
an example script, or outside a test function, stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

CURVE = """\
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

df = pd.read_csv("ads.csv")
X_dev, X_test, y_dev, y_test = train_test_split(df[COLS], df["Sales"], random_state=42)
results = []
for {var} in {candidates}:
{body}
    rmse = mean_squared_error(y_test, model.predict({rows})) ** 0.5
    results.append({{"Candidate": {var}, "RMSE": round(rmse, 3)}})
results_df = pd.DataFrame(results)
print(results_df.to_string(index=False))
best = results_df.loc[results_df["RMSE"].idxmin()]
print("best:", best["Candidate"])
"""
BY_SIZE = """\
    if fraction == 0.8:
        X_train, y_train = X_dev, y_dev
    else:
        X_train, _, y_train, _ = train_test_split(
            X_dev, y_dev, train_size=fraction / 0.8, random_state=42
        )
    model = LinearRegression().fit(X_train, y_train)"""
BY_SLICE = """\
    n = int(fraction * len(X_dev))
    print(f"{n} training rows")
    model = LinearRegression().fit(X_dev[:n], y_dev[:n])"""


def _tuned(tmp_path: Path, body: str, *, var: str = "fraction", rows: str = "X_test") -> list[int]:
    code = CURVE.format(var=var, candidates="CANDIDATES", body=body, rows=rows)
    write_app(tmp_path, {"curve.py": code})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_a_loop_over_training_sizes_is_a_learning_curve(tmp_path: Path) -> None:
    assert _tuned(tmp_path, BY_SIZE) == []


def test_training_rows_sliced_by_a_derived_count_are_a_learning_curve(tmp_path: Path) -> None:
    assert _tuned(tmp_path, BY_SLICE) == []


def test_training_rows_taken_with_head_are_a_learning_curve(tmp_path: Path) -> None:
    body = "    model = LinearRegression().fit(X_dev.head(n), y_dev.head(n))"
    assert _tuned(tmp_path, body, var="n") == []


def test_a_loop_over_feature_subsets_stays_test_set_tuning(tmp_path: Path) -> None:
    body = "    model = LinearRegression().fit(X_dev[cols], y_dev)"
    assert _tuned(tmp_path, body, var="cols", rows="X_test[cols]") == [15]


def test_a_loop_over_column_counts_stays_test_set_tuning(tmp_path: Path) -> None:
    body = "    model = LinearRegression().fit(X_dev[:, :k], y_dev)"
    assert _tuned(tmp_path, body, var="k", rows="X_test[:, :k]") == [15]


def test_a_size_that_also_sets_the_model_stays_test_set_tuning(tmp_path: Path) -> None:
    body = "    model = Ridge(alpha=n).fit(X_dev[:n], y_dev[:n])"  # the candidate is a setting too
    assert _tuned(tmp_path, body, var="n") == [15]


def test_a_loop_over_a_model_setting_stays_test_set_tuning(tmp_path: Path) -> None:
    body = "    model = Ridge(alpha=alpha).fit(X_dev, y_dev)"
    assert _tuned(tmp_path, body, var="alpha") == [15]


EARLY_STOP = """\
import xgboost as xgb
from sklearn.model_selection import train_test_split


{head}
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
    clf = xgb.XGBClassifier(n_estimators=1000)
    clf.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=5)
    {last}
"""
ASSERTS = "assert clf.get_booster().best_iteration <= 8"
REPORTS = "print(clf.score(X_test, y_test))"


def _early_stopped(tmp_path: Path, name: str, head: str, last: str = ASSERTS) -> list[int]:
    write_app(tmp_path, {name: EARLY_STOP.format(head=head, last=last)})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_early_stopping_on_the_test_split_in_a_unit_test_is_silent(tmp_path: Path) -> None:
    head = "class TestEstimator:\n    def test_xgb_early_stopping(self, X, y):"
    code = EARLY_STOP.format(head=head, last=ASSERTS).replace("\n    ", "\n        ")
    code = code.replace("\n        def test", "\n    def test")
    write_app(tmp_path, {"tests/estimator_test.py": code})
    found = [(f.line, f.rule) for f in review_path(tmp_path)]
    assert found == []


def test_a_test_function_in_a_test_module_is_silent(tmp_path: Path) -> None:
    assert _early_stopped(tmp_path, "test_estimator.py", "def test_early_stopping(X, y):") == []


def test_the_same_fit_in_an_example_script_stays_reported(tmp_path: Path) -> None:
    found = _early_stopped(tmp_path, "train.py", "def train(X, y):", REPORTS)
    assert found == [8]


def test_an_example_named_for_a_statistical_test_stays_reported(tmp_path: Path) -> None:
    found = _early_stopped(tmp_path, "plot_permutation_test.py", "def run(X, y):", REPORTS)
    assert found == [8]


def test_a_helper_outside_the_test_functions_of_a_test_module_stays_reported(
    tmp_path: Path,
) -> None:
    found = _early_stopped(tmp_path, "tests/test_fit.py", "def fitted(X, y):", REPORTS)
    assert found == [8]
