"""ML review round 60: model selection on the test set inside helpers a loop calls.

RiskX 0.1.1's pipeline hands its test split to `train_auto(X_val=self.X_test, y_val=self.y_test)`
(`risk_pipeline.py:191`, and the CLI's `main.py:128`); `train_auto` loops over algorithms, calls
one helper per algorithm that fits a model, scores it on `X_val` and returns the score in a dict
(`{"val_score": val_score}`), and keeps the model whose `results[algo]["val_score"]` beats the
best so far; the pipeline then logs that best score and reports a "Test AUC" of the winner on the
same rows (fresh54's largest miss). The loop is now tied to a score taken in a helper it calls:
by the helper's name, and the value it returns itself or under a constant key read back in the
loop. One `test-set-tuning` finding on the line that hands the test set over, naming the lines
that then report the best score. A validation split handed over, a loop that only checks the
score is there, and a loop that selects by the training score stay silent.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ml_findings, write_app

AUTOML = """
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


class AutoModel:
    def __init__(self):
        self.best_model = None
        self.best_score = -1.0

    def train_auto(self, X_train, y_train, X_val=None, y_val=None, algorithms=("lr", "rf")):
        results = {}
        for algo in algorithms:
            if algo == "lr":
                results[algo] = self._train_logistic(X_train, y_train, X_val, y_val)
            elif algo == "rf":
                results[algo] = self._train_forest(X_train, y_train, X_val, y_val)
            {select}
        return results

    def _train_logistic(self, X_train, y_train, X_val, y_val):
        model = LogisticRegression(max_iter=1000, random_state=0)
        model.fit(X_train, y_train)
        train_score = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])
        val_score = None
        if X_val is not None:
            val_pred = model.predict_proba(X_val)[:, 1]
            val_score = roc_auc_score(y_val, val_pred)
        return {"model": model, "train_score": train_score, "val_score": val_score}

    def _train_forest(self, X_train, y_train, X_val, y_val):
        model = RandomForestClassifier(random_state=0)
        model.fit(X_train, y_train)
        train_score = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])
        val_score = None
        if X_val is not None:
            val_score = roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])
        return {"model": model, "train_score": train_score, "val_score": val_score}
"""

BY_VALIDATION_SCORE = """score = results[algo]["val_score"] if X_val is not None else results[algo]["train_score"]
            if score > self.best_score:
                self.best_score = score
                self.best_model = results[algo]["model"]"""

PIPELINE = """
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from app.automl import AutoModel


class Pipeline:
    def __init__(self):
        self.model = AutoModel()

    def split(self, data, target):
        X = data.drop(columns=[target])
        y = data[target]
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.2, random_state=0, stratify=y
        )
        {validation}

    def train(self):
        results = self.model.train_auto(
            self.X_train, self.y_train, X_val={x_val}, y_val={y_val}
        )
        print(f"Best score: {{self.model.best_score:.4f}}")
        return results

    def run(self, path, target):
        self.split(pd.read_csv(path), target)
        self.train()
        auc = roc_auc_score(self.y_test, self.model.best_model.predict_proba(self.X_test)[:, 1])
        print(f"Test AUC: {{auc:.4f}}")
        return auc
"""

ON_TEST = {"validation": "", "x_val": "self.X_test", "y_val": "self.y_test"}
ON_VALIDATION = {
    "validation": (
        "self.X_train, self.X_val, self.y_train, self.y_val = train_test_split(\n"
        "            self.X_train, self.y_train, test_size=0.25, random_state=0\n"
        "        )"
    ),
    "x_val": "self.X_val",
    "y_val": "self.y_val",
}


def _app(select: str = BY_VALIDATION_SCORE, handed: dict[str, str] = ON_TEST) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/automl.py": AUTOML.replace("{select}", select),
        "app/pipeline.py": PIPELINE.format(**handed),
    }


def _line(text: str, needle: str) -> int:
    return text.lstrip().splitlines().index(needle) + 1


def test_selection_in_helpers_on_the_test_set_is_reported_once_at_the_hand_over(
    tmp_path: Path,
) -> None:
    files = _app()
    found = ml_findings(tmp_path, files, "test-set-tuning")
    pipeline = files["app/pipeline.py"]
    call = _line(pipeline, "        results = self.model.train_auto(")
    assert [(path, line) for path, line, _ in found] == [("app/pipeline.py", call)]
    message = found[0][2]
    assert "LogisticRegression, RandomForestClassifier" in message
    automl = files["app/automl.py"]
    scored = (
        _line(automl, "            val_score = roc_auc_score(y_val, val_pred)"),
        _line(
            automl, "            val_score = roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])"
        ),
    )
    assert f"app/automl.py:{scored[0]}, {scored[1]}" in message
    best = _line(pipeline, '        print(f"Best score: {self.model.best_score:.4f}")')
    rescored = _line(
        pipeline,
        "        auc = roc_auc_score(self.y_test, "
        "self.model.best_model.predict_proba(self.X_test)[:, 1])",
    )
    assert f"(lines {best}, {rescored})" in message


def test_a_helper_returning_the_score_itself_is_followed(tmp_path: Path) -> None:
    direct = {
        "app/__init__.py": "",
        "app/search.py": """
            from sklearn.metrics import accuracy_score, f1_score
            from sklearn.model_selection import train_test_split
            from sklearn.tree import DecisionTreeClassifier


            def fit_depth(depth, X_train, y_train, X_eval, y_eval):
                model = DecisionTreeClassifier(max_depth=depth, random_state=0)
                model.fit(X_train, y_train)
                return f1_score(y_eval, model.predict(X_eval))


            def pick(X_train, y_train, X_eval, y_eval):
                best, best_depth = -1.0, None
                for depth in (2, 4, 8):
                    score = fit_depth(depth, X_train, y_train, X_eval, y_eval)
                    if score > best:
                        best, best_depth = score, depth
                return best_depth


            def main(X, y):
                X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
                depth = pick(X_train, y_train, X_test, y_test)
                print(depth)
            """,
    }
    found = ml_findings(tmp_path, direct, "test-set-tuning")
    assert [(path, line) for path, line, _ in found] == [("app/search.py", 16)]
    assert "DecisionTreeClassifier" in found[0][2]


def test_a_validation_split_handed_over_is_clean(tmp_path: Path) -> None:
    found = ml_findings(tmp_path, _app(handed=ON_VALIDATION), "test-set-tuning")
    assert found == []
    from team.review import review_path

    assert review_path(tmp_path) == []


def test_a_loop_that_only_checks_the_score_is_there_selects_nothing(tmp_path: Path) -> None:
    checks = """if results[algo]["val_score"] is None:
                continue
            self.best_model = results[algo]["model"]"""
    assert ml_findings(tmp_path, _app(select=checks), "test-set-tuning") == []


def test_a_loop_that_selects_by_the_training_score_is_not_test_set_tuning(
    tmp_path: Path,
) -> None:
    by_train = """if results[algo]["train_score"] > self.best_score:
                self.best_score = results[algo]["train_score"]
                self.best_model = results[algo]["model"]"""
    assert ml_findings(tmp_path, _app(select=by_train), "test-set-tuning") == []


# Part 3: a meta-model fitted on its base models' in-sample predictions (glupredkit's
# stacked_plsr.py 42-54).

STACKED = """
import numpy as np
from sklearn.cross_decomposition import PLSRegression
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_predict
from sklearn.neural_network import MLPRegressor


class Stacked:
    def fit(self, x_train, y_train):
        self.mlp = MLPRegressor(hidden_layer_sizes=(8,), random_state=0)
        self.pls = PLSRegression(2)
        {base_fits}
        self.meta = Ridge()
        self.meta.fit(np.column_stack((first_1, first_2)), y_train)
        return self

    def predict(self, x):
        first = np.column_stack((self.mlp.predict(x), self.pls.predict(x)))
        return self.meta.predict(first)
"""

IN_SAMPLE = """self.mlp.fit(x_train, y_train)
        self.pls.fit(x_train, y_train)
        first_1 = self.mlp.predict(x_train)
        first_2 = self.pls.predict(x_train)"""

OUT_OF_FOLD = """first_1 = cross_val_predict(self.mlp, x_train, y_train, cv=5)
        first_2 = cross_val_predict(self.pls, x_train, y_train, cv=5)
        self.mlp.fit(x_train, y_train)
        self.pls.fit(x_train, y_train)"""

HELD_OUT = """half = len(x_train) // 2
        self.mlp.fit(x_train[:half], y_train[:half])
        self.pls.fit(x_train[:half], y_train[:half])
        first_1 = self.mlp.predict(x_train[half:])
        first_2 = self.pls.predict(x_train[half:])
        y_train = y_train[half:]"""


def _stacked(base_fits: str) -> dict[str, str]:
    return {"stacked.py": STACKED.replace("{base_fits}", base_fits)}


def test_a_meta_model_on_in_sample_predictions_is_reported_at_its_fit(tmp_path: Path) -> None:
    files = _stacked(IN_SAMPLE)
    found = ml_findings(tmp_path, files, "leakage-preprocess-before-split")
    text = files["stacked.py"]
    meta = _line(text, "        self.meta.fit(np.column_stack((first_1, first_2)), y_train)")
    assert [(path, line) for path, line, _ in found] == [("stacked.py", meta)]
    bases = (
        _line(text, "        self.mlp.fit(x_train, y_train)"),
        _line(text, "        self.pls.fit(x_train, y_train)"),
    )
    assert "Ridge is fitted on the predictions of MLPRegressor, PLSRegression" in found[0][2]
    assert f"(fitted at lines {bases[0]}, {bases[1]})" in found[0][2]


def test_out_of_fold_predictions_are_clean(tmp_path: Path) -> None:
    from team.review import review_path

    write = _stacked(OUT_OF_FOLD)
    assert ml_findings(tmp_path, write, "leakage-preprocess-before-split") == []
    assert review_path(tmp_path) == []


def test_predictions_for_rows_the_bases_did_not_train_on_are_not_reported(
    tmp_path: Path,
) -> None:
    assert ml_findings(tmp_path, _stacked(HELD_OUT), "leakage-preprocess-before-split") == []


def test_one_models_output_among_the_features_is_no_stack(tmp_path: Path) -> None:
    one_base = """self.mlp.fit(x_train, y_train)
        first_1 = self.mlp.predict(x_train)
        first_2 = x_train[:, 0]"""
    assert ml_findings(tmp_path, _stacked(one_base), "leakage-preprocess-before-split") == []


def test_unsupervised_or_self_supervised_bases_are_not_stacking(tmp_path: Path) -> None:
    features = {
        "features.py": """
            import numpy as np
            from sklearn.cluster import KMeans
            from sklearn.linear_model import LogisticRegression
            from sklearn.neural_network import MLPRegressor


            def fit(x_train, y_train):
                clusters = KMeans(n_clusters=4, random_state=0).fit(x_train)
                codes = MLPRegressor(hidden_layer_sizes=(2,), random_state=0)
                codes.fit(x_train, x_train)
                extra = np.column_stack((clusters.predict(x_train), codes.predict(x_train)))
                return LogisticRegression().fit(np.hstack([x_train, extra]), y_train)
            """,
    }
    assert ml_findings(tmp_path, features, "leakage-preprocess-before-split") == []


# Part 2: a target encoding computed over every row and written into the features before the
# split (fresh54's weight-of-evidence miss, in its plain pandas forms).

ENCODED = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def run(path, target="default"):
    df = pd.read_csv(path)
    {encode}
    X = df.drop(columns=[target, "region"])
    y = df.pop(target)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    {after}
    model = LogisticRegression().fit(X_train, y_train)
    return roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
"""

TRANSFORMED = 'df["region_rate"] = df.groupby("region")[target].transform("mean")'
MAPPED = """rates = df.groupby("region")[target].mean()
    df["region_rate"] = df["region"].map(rates)"""


def _encoded(encode: str, after: str = "") -> dict[str, str]:
    return {"encode.py": ENCODED.replace("{encode}", encode).replace("{after}", after)}


def test_a_target_mean_written_before_the_split_is_reported_at_the_write(
    tmp_path: Path,
) -> None:
    for name, encode, write in (
        ("transform", TRANSFORMED, TRANSFORMED),
        ("map", MAPPED, '    df["region_rate"] = df["region"].map(rates)'),
    ):
        files = _encoded(encode)
        found = ml_findings(tmp_path / name, files, "leakage-preprocess-before-split")
        text = files["encode.py"]
        line = _line(text, "    " + write.strip())
        split = _line(
            text,
            "    X_train, X_test, y_train, y_test = "
            "train_test_split(X, y, test_size=0.2, random_state=0)",
        )
        assert [(path, at) for path, at, _ in found] == [("encode.py", line)], name
        assert "labels (target) per 'region'" in found[0][2]
        assert f"(train_test_split, line {split})" in found[0][2]


def test_an_encoding_of_the_training_split_mapped_onto_the_test_split_is_clean(
    tmp_path: Path,
) -> None:
    from team.review import review_path

    after = """train = X_train.assign(label=y_train)
    rates = train.groupby("zone")["label"].mean()
    X_train["zone_rate"] = X_train["zone"].map(rates)
    X_test["zone_rate"] = X_test["zone"].map(rates).fillna(rates.mean())"""
    write_app(tmp_path, _encoded("", after))
    assert review_path(tmp_path) == []


def test_a_grouped_statistic_of_a_feature_is_not_a_target_encoding(tmp_path: Path) -> None:
    feature = 'df["region_income"] = df.groupby("region")["income"].transform("mean")'
    assert ml_findings(tmp_path, _encoded(feature), "leakage-preprocess-before-split") == []
