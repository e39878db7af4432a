"""ML review round 72 (issue 14): fresh60's false alarms, removed.

1. training-serving-skew: Monsoon Crop Predictor writes 'State Name' one way when it merges
   rainfall and crop data for training (preprocessor.py:263) and another when it labels a row to
   predict (cli/commands.py:91), but both sides select the model's columns with
   `col not in ["Year", "State Name", "Dist Name", ...]` (preprocessor.py:356, predictor.py:482):
   a column the feature selection leaves out on both sides is no input of the model.
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
