"""ML review round 36: false alarms of real code, by family.

Family 1, time order: Auto_ViML turns a date column that a parameter names into calendar
features (`dtf[ts_column] = pd.to_datetime(dtf[ts_column])`) of any frame a user passes, then
makes random hold-outs of those generic tabular rows; and its quick ensemble thins the training
rows for speed (`X_train = X_train.sample(frac=0.30)`). Neither is a random split of rows ordered
by time. A date column the script itself names and parses, rows sorted or indexed by a date, and
a sample that makes the train/test boundary of such rows stay reported.

Family 2, branches no caller takes: Auto_ViML's `add_poly_vars_select` scales its data with
the data's own statistics only for `scaling="Standard"`, `"MinMax"` or `"Centering"`; both of
its callers, the one for train and the one for test, pass `scaling="None"`. A branch chosen by
comparing a parameter with a string is not run when the value passed (or the default) is
another string. A branch a caller does choose stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TEMPORAL = "temporal-random-split"
FIT_ON_TEST = "fit-on-test"

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


def _lines(tmp_path: Path, source: str, rule: str) -> list[int]:
    """The lines of `rule`'s findings on one module written under tmp_path."""
    folder = write_app(tmp_path, {"pipeline.py": source})
    return sorted(f.line for f in review_path(folder) if f.rule == rule)


def test_a_date_column_a_parameter_names_is_a_feature_of_generic_rows(tmp_path: Path) -> None:
    assert _lines(tmp_path, DATES, TEMPORAL) == []


def test_a_date_column_the_script_names_and_parses_stays_reported(tmp_path: Path) -> None:
    named = DATES.replace("dtf[ts_column] = pd.to_datetime", 'dtf["date"] = pd.to_datetime')
    assert _lines(tmp_path, named, TEMPORAL) == [13]


def test_rows_sorted_by_a_date_a_parameter_names_stay_reported(tmp_path: Path) -> None:
    by_date = DATES.replace(
        "data = add_date_features(pd.read_csv(path), ts_column)",
        'data = add_date_features(pd.read_csv(path).sort_values("order_date"), ts_column)',
    )
    assert _lines(tmp_path, by_date, TEMPORAL) == [13]


def test_a_subsample_of_training_rows_is_no_split(tmp_path: Path) -> None:
    assert _lines(tmp_path, QUICK, TEMPORAL) == []


def test_a_sample_that_makes_the_training_side_of_dated_rows_stays_reported(
    tmp_path: Path,
) -> None:
    split = QUICK.replace("X_train = X_train.sample(", "X_train = sales.sample(")
    assert _lines(tmp_path, split, TEMPORAL) == [10]


POLY = """\
    import pandas as pd
    from sklearn.linear_model import Lasso
    from sklearn.preprocessing import StandardScaler


    def add_poly_vars(data, numvars, scaling=True):
        X_data = data[numvars]
        if scaling == "Standard":
            XS = StandardScaler().fit_transform(X_data)
        elif scaling == "Centering":
            XS = X_data - X_data.mean()
        else:
            XS = X_data.copy()
        return XS


    train = pd.read_csv("train.csv")
    test = pd.read_csv("test.csv")
    X_train = add_poly_vars(train, ["a", "b"], scaling="None")
    X_test = add_poly_vars(test, ["a", "b"], scaling="None")
    model = Lasso(alpha=0.1).fit(X_train, train["y"])
    print(model.score(X_test, test["y"]))
"""


def test_a_scaling_branch_no_caller_chooses_is_not_run(tmp_path: Path) -> None:
    assert _lines(tmp_path, POLY, FIT_ON_TEST) == []


def test_a_scaling_branch_the_default_does_not_choose_is_not_run(tmp_path: Path) -> None:
    defaulted = POLY.replace(', scaling="None")', ")")
    assert _lines(tmp_path, defaulted, FIT_ON_TEST) == []


def test_a_scaling_branch_a_caller_chooses_stays_reported(tmp_path: Path) -> None:
    chosen = POLY.replace(
        'add_poly_vars(test, ["a", "b"], scaling="None")',
        'add_poly_vars(test, ["a", "b"], scaling="Standard")',
    )
    assert _lines(tmp_path, chosen, FIT_ON_TEST) == [9]


def test_a_branch_on_a_parameter_nobody_passes_stays_reported(tmp_path: Path) -> None:
    unknown = (
        POLY.replace("scaling=True", "scaling")
        .replace(', scaling="None")', ", mode)")
        .replace(
            'train = pd.read_csv("train.csv")',
            'mode = input()\n    train = pd.read_csv("train.csv")',
        )
    )
    assert _lines(tmp_path, unknown, FIT_ON_TEST) == [9, 11]
