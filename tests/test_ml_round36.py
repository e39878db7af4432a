"""ML review round 36: false alarms of real code, by family.

Family 1, time order: Auto_ViML turns a date column that a parameter names into calendar
features (`dtf[ts_column] = pd.to_datetime(dtf[ts_column])`) of any frame a user passes, then
makes random hold-outs of those generic tabular rows; and its quick ensemble thins the training
rows for speed (`X_train = X_train.sample(frac=0.30)`). Neither is a random split of rows ordered
by time. A date column the script itself names and parses, rows sorted or indexed by a date, and
a sample that makes the train/test boundary of such rows stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TEMPORAL = "temporal-random-split"

DATES = """\
    import pandas as pd
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.model_selection import train_test_split


    def add_date_features(dtf, ts_column):
        dtf[ts_column] = pd.to_datetime(dtf[ts_column])
        dtf["month"] = dtf[ts_column].dt.month
        return dtf.drop(columns=[ts_column])


    def fit_holdout(data, target):
        train, test = train_test_split(data, test_size=0.2, random_state=0)
        model = RandomForestRegressor(random_state=0).fit(train.drop(columns=[target]), train[target])
        return model.score(test.drop(columns=[target]), test[target])


    def run(path, ts_column, target):
        data = add_date_features(pd.read_csv(path), ts_column)
        return fit_holdout(data, target)
"""

QUICK = """\
    import pandas as pd
    from sklearn.linear_model import Ridge

    sales = pd.read_csv("daily_sales.csv", parse_dates=["date"])
    X_train, y_train = sales[sales["date"] < "2024"][["promo"]], sales[sales["date"] < "2024"]["units"]
    X_cv, y_cv = sales[sales["date"] >= "2024"][["promo"]], sales[sales["date"] >= "2024"]["units"]


    def quick_ensemble(X_train, y_train, X_cv, y_cv):
        X_train = X_train.sample(frac=0.30, random_state=99)
        y_train = y_train[X_train.index]
        return Ridge().fit(X_train, y_train).score(X_cv, y_cv)


    print(quick_ensemble(X_train, y_train, X_cv, y_cv))
"""


def _temporal(tmp_path: Path, source: str) -> list[int]:
    folder = write_app(tmp_path, {"pipeline.py": source})
    return sorted(f.line for f in review_path(folder) if f.rule == TEMPORAL)


def test_a_date_column_a_parameter_names_is_a_feature_of_generic_rows(tmp_path: Path) -> None:
    assert _temporal(tmp_path, DATES) == []


def test_a_date_column_the_script_names_and_parses_stays_reported(tmp_path: Path) -> None:
    named = DATES.replace("dtf[ts_column] = pd.to_datetime", 'dtf["date"] = pd.to_datetime')
    assert _temporal(tmp_path, named) == [13]


def test_rows_sorted_by_a_date_a_parameter_names_stay_reported(tmp_path: Path) -> None:
    by_date = DATES.replace(
        "data = add_date_features(pd.read_csv(path), ts_column)",
        'data = add_date_features(pd.read_csv(path).sort_values("order_date"), ts_column)',
    )
    assert _temporal(tmp_path, by_date) == [13]


def test_a_subsample_of_training_rows_is_no_split(tmp_path: Path) -> None:
    assert _temporal(tmp_path, QUICK) == []


def test_a_sample_that_makes_the_training_side_of_dated_rows_stays_reported(
    tmp_path: Path,
) -> None:
    split = QUICK.replace("X_train = X_train.sample(", "X_train = sales.sample(")
    assert _temporal(tmp_path, split) == [10]
