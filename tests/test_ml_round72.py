"""ML review round 72 (issue 14): fresh60's false alarms, removed.

1. training-serving-skew: Monsoon Crop Predictor writes 'State Name' one way when it merges
   rainfall and crop data for training (preprocessor.py:263) and another when it labels a row to
   predict (cli/commands.py:91), but both sides select the model's columns with
   `col not in ["Year", "State Name", "Dist Name", ...]` (preprocessor.py:356, predictor.py:482):
   a column the feature selection leaves out on both sides is no input of the model.
2. leakage-preprocess-before-split: alphapy-pro's features.py:67-69 builds the Bollinger %B
   from `close.rolling(20).mean()` and `close.rolling(20).std()` before the walk-forward split.
   A trailing window (`rolling`, `expanding`, `ewm`) gives each row a statistic of its own
   past, not of the whole data set; a centred window or a plain `.mean()` still leaks.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TRAIN = """\
    import joblib
    import pandas as pd
    from sklearn.linear_model import LinearRegression

    def train(crops, rain):
        rain["state"] = rain["division"].map(lambda d: d.split("-")[0])
        df = crops.merge(rain, on=["state", "year"])
        df["rain_sq"] = df["rain"] ** 2
        exclude_cols = ["year", "state"]
        feature_cols = [c for c in df.columns if c not in exclude_cols + ["yield"]]
        model = LinearRegression().fit(df[feature_cols], df["yield"])
        joblib.dump((model, feature_cols), "model.joblib")
    """

SERVE = """\
    import joblib
    import pandas as pd

    MODEL = joblib.load("model.joblib")

    def predict(rain, location):
        df = pd.DataFrame({"rain": [rain]})
        df["state"] = location
        df["rain_sq"] = SQUARE
        cols = SELECT
        return MODEL.predict(df[cols])
    """

BOTH = '[c for c in df.columns if c not in ("year", "state")]'


def _skew(tmp_path: Path, select: str, square: str = 'df["rain"] ** 2') -> list[str]:
    serve = SERVE.replace("SELECT", select).replace("SQUARE", square)
    root = write_app(tmp_path, {"train.py": TRAIN, "serve.py": serve})
    return [f.evidence for f in review_path(root) if f.rule == "training-serving-skew"]


def test_a_column_both_sides_leave_out_of_the_features_is_no_skew(tmp_path: Path) -> None:
    assert _skew(tmp_path, BOTH) == []


def test_a_column_serving_still_feeds_the_model_is_reported(tmp_path: Path) -> None:
    assert _skew(tmp_path, "list(df.columns)") == ['df["state"] = location']


def test_a_feature_both_sides_keep_is_still_compared(tmp_path: Path) -> None:
    assert _skew(tmp_path, BOTH, square='df["rain"] * 2') == ['df["rain_sq"] = df["rain"] * 2']


def test_a_selection_that_never_feeds_the_model_leaves_nothing_out(tmp_path: Path) -> None:
    """The serving side leaves "state" out of a list it only prints; the model gets every column."""
    select = f"list(df.columns)\n        shown = {BOTH}\n        print(shown)"
    assert _skew(tmp_path, select) == ['df["state"] = location']


# 2. leakage-preprocess-before-split: trailing windows are no full-data statistics.
PRICES = """\
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("prices.csv")
    close = df["close"]
    mid = STAT_MEAN
    std = STAT_STD
    df["pct_b"] = (close - (mid - 2 * std)) / (4 * std)
    X_train, X_test, y_train, y_test = train_test_split(
        df[["pct_b"]], df["up"], shuffle=False, test_size=0.3
    )
    model = LogisticRegression().fit(X_train, y_train)
    print(model.score(X_test, y_test))
    """


def _leaks(tmp_path: Path, mean: str, std: str) -> list[str]:
    """The full-data statistics each leak names, as `(.mean() and .std())`."""
    source = PRICES.replace("STAT_MEAN", mean).replace("STAT_STD", std)
    root = write_app(tmp_path, {"features.py": source})
    found = review_path(root)
    return [
        f.message.split("dataset ", 1)[1].split(" is written", 1)[0]
        for f in found
        if f.rule == "leakage-preprocess-before-split" and f.line == 9
    ]


def test_a_trailing_rolling_window_is_no_full_data_statistic(tmp_path: Path) -> None:
    assert _leaks(tmp_path, "close.rolling(20).mean()", "close.rolling(20).std()") == []


def test_expanding_and_exponential_windows_are_no_full_data_statistics(tmp_path: Path) -> None:
    assert (
        _leaks(tmp_path, "close.ewm(span=12, adjust=False).mean()", "close.expanding().std()") == []
    )


def test_a_whole_column_mean_still_leaks(tmp_path: Path) -> None:
    assert _leaks(tmp_path, "close.rolling(20).mean()", "close.std()") == ["(.std())"]


def test_a_centred_window_still_leaks(tmp_path: Path) -> None:
    assert _leaks(tmp_path, "close.rolling(20, center=True).mean()", "close.rolling(20).std()") == [
        "(.mean())"
    ]


def test_a_centred_window_given_by_position_still_leaks(tmp_path: Path) -> None:
    """`rolling(window, min_periods, center)`: the third positional argument centres it."""
    assert _leaks(tmp_path, "close.rolling(20, 1, True).mean()", "close.rolling(20, 1).std()") == [
        "(.mean())"
    ]


def test_a_trailing_window_leaks_into_a_shuffled_split(tmp_path: Path) -> None:
    """A shuffled split trains on later rows whose windows read earlier test rows."""
    source = PRICES.replace("shuffle=False, ", "").replace("STAT_MEAN", "close.rolling(20).mean()")
    root = write_app(
        tmp_path, {"features.py": source.replace("STAT_STD", "close.rolling(20).std()")}
    )
    found = [f for f in review_path(root) if f.rule == "leakage-preprocess-before-split"]
    # the two windows (lines 7 and 8) are one root cause, reported once
    assert found and {f.line for f in found} <= {7, 8}
