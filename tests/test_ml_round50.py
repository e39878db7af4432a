"""ML review round 50: false test-set-tuning findings on the spent corpora, by family.

Family 1, a learning curve read as a choice of model (precision): mills' question5 trains the
same `LinearRegression()` on 50%, 70% and 80% of the rows, scores each on one fixed test split,
tabulates the scores and names the size with the lowest test RMSE (judged false, round 49 part
2). A loop whose variable only sizes the training rows (`train_size=`, `X_train[:n]`, `.head(n)`)
and is otherwise only tested, printed or written into the table chooses no model; a loop over
feature subsets, column counts or a model's setting stays reported.
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
