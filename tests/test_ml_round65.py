"""ML review round 65 (issue 14): fresh58's false alarms, removed.

1. training-serving-skew: the columns of a table the code writes of its own predictions
   (DrugAutoML's prediction.py:330-335 against model_finalization.py:388-391: SMILES, y_pred,
   y_true) are no model features.
2. serving-without-monitoring: a module with no web route that imports an explanation library
   (DrugAutoML's explainability.py:99, offline SHAP plots) is no serving path.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TRAIN = """\
    import joblib
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    def train(path):
        df = pd.read_csv(path)
        df["log_amount"] = np.log1p(df["amount"])
        model = LogisticRegression(random_state=0).fit(df[["log_amount"]], df["y"])
        p_test = model.predict_proba(df[["log_amount"]])[:, 1]
        pd.DataFrame({
            "smiles": df.get("smiles"),
            "y_true": df["y"],
            "y_pred": (p_test >= 0.5).astype(int),
        }).to_csv("test_predictions.csv")
        joblib.dump(model, "model.joblib")
    """

SERVE = """\
    import joblib
    import numpy as np
    import pandas as pd

    MODEL = joblib.load("model.joblib")

    def predict(rows, labels):
        df = pd.DataFrame(rows)
        df["log_amount"] = LOG(df["amount"])
        proba = MODEL.predict_proba(df[["log_amount"]])[:, 1]
        out = pd.DataFrame({
            "smiles": [s.strip() for s in df["smiles"]],
            "proba": proba,
            "y_pred": proba >= 0.7,
        })
        out["y_true"] = labels.values
        return out
    """


def _skew(tmp_path: Path, log: str) -> list[str]:
    root = write_app(tmp_path, {"train.py": TRAIN, "serve.py": SERVE.replace("LOG", log)})
    return [f.evidence for f in review_path(root) if f.rule == "training-serving-skew"]


def test_the_columns_of_a_written_predictions_table_are_no_features(tmp_path: Path) -> None:
    assert _skew(tmp_path, "np.log1p") == []


def test_a_feature_computed_differently_still_skews_beside_the_output_table(
    tmp_path: Path,
) -> None:
    assert _skew(tmp_path, "np.log") == ['df["log_amount"] = np.log(df["amount"])']


# 2. serving-without-monitoring: DrugAutoML's explainability.py loads the saved model and
#    defines `_predict_proba(model, X)` for its offline SHAP plots; nothing serves predictions.
EXPLAIN = """\
import joblib
import numpy as np
IMPORT


def _load(path):
    return joblib.load(path)["model"]


def _predict_proba(model, X):
    return model.predict_proba(X)[:, 1]


def explain(path, X):
    model = _load(path)
    values = EXPLAINER
    np.save("shap_values.npy", values)
"""


def _monitoring(tmp_path: Path, imported: str, explainer: str) -> list[str]:
    source = EXPLAIN.replace("IMPORT", imported).replace("EXPLAINER", explainer)
    root = write_app(tmp_path, {"explainability.py": source})
    return [f.path for f in review_path(root) if f.rule == "serving-without-monitoring"]


def test_an_offline_shap_helper_is_no_serving_path(tmp_path: Path) -> None:
    assert _monitoring(tmp_path, "import shap", "shap.TreeExplainer(model).shap_values(X)") == []


def test_the_same_predict_helper_without_an_explainer_is_still_reported(tmp_path: Path) -> None:
    found = _monitoring(tmp_path, "", "model.feature_importances_")
    assert found == ["explainability.py"]
