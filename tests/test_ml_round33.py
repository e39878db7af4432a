"""ML review round 33: false alarms of real code, by family.

Family 1, a model's training method run by the package's own trainer, which seeds when it is
made: SetFit's `SetFitModel.fit` (`modeling.py`) loops over a shuffled loader of its own, and
its `Trainer` (`trainer.py`) calls `set_seed(args.seed)` in `__init__` and trains through
`self.model.fit(...)`. A trainer that seeds only later, or that runs another method of the
model, leaves the loop reported.

A target encoder fitted on test labels: SetFit's `Trainer.evaluate` fits `LabelEncoder()` on
the label strings of the evaluation set and of the predictions, only to turn both into integers
for the metric (`trainer.py`). It learns the label names and nothing a model sees. A scaler or a
model fitted on the test rows, and a `LabelEncoder` fitted on a test feature column, stay
reported.

The predict of a modelling library's model class: Simple Transformers'
`MultiLabelClassificationModel` loads pretrained weights and has `train_model` beside `predict`;
that `predict` hands predictions to the caller's program, and no service answers requests there.
A class that only loads a model and predicts (a serving wrapper) stays reported.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from team.cli import app
from team.review import review_path
from tests.helpers import write_app

RULE = "unseeded-randomness"

MODELING = """\
    import torch
    from torch.utils.data import DataLoader
    from transformers.utils import logging

    logging.set_verbosity_info()

    class FewShotModel:
        def __init__(self):
            self.head = torch.nn.Linear(8, 2)

        def fit(self, rows, labels):
            optimizer = torch.optim.SGD(self.head.parameters(), lr=0.1)
            for x, y in DataLoader(list(zip(rows, labels)), shuffle=True):
                loss = torch.nn.functional.cross_entropy(self.head(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
"""

TRAINER = """\
    from transformers import set_seed

    from pkg.modeling import FewShotModel


    class Trainer:
        def __init__(self, model: FewShotModel, seed: int = 42):
            set_seed(seed)
            self.model = model

        def train(self, rows, labels):
            self.model.fit(rows, labels)
"""


CARD = """\
    from transformers.utils import logging

    from pkg.modeling import FewShotModel

    logging.set_verbosity_info()


    def card(model: FewShotModel) -> str:
        return repr(model)
"""


def _write_package(tmp_path: Path, trainer: str) -> Path:
    """The model, a trainer, and a model-card module that imports the model and seeds nothing
    (as SetFit's `model_card.py`), so no seed of an importer covers the model's module."""
    files = {"pkg/__init__.py": "", "pkg/modeling.py": MODELING, "pkg/card.py": CARD}
    return write_app(tmp_path, {**files, "pkg/trainer.py": trainer}) / "pkg"


def _package(tmp_path: Path, trainer: str) -> list[str]:
    folder = _write_package(tmp_path, trainer)
    return [f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == RULE]


def test_a_loop_run_by_a_trainer_that_seeds_when_made_is_not_reported(tmp_path: Path) -> None:
    assert _package(tmp_path, TRAINER) == []


def test_explain_names_the_trainer_that_seeds(tmp_path: Path) -> None:
    folder = _write_package(tmp_path, TRAINER)
    result = CliRunner().invoke(app, ["review", str(folder), "--explain"])
    assert (
        "modeling.py:16: not reported unseeded-randomness: FewShotModel.fit is run by Trainer "
        "(trainer.py), whose __init__ seeds every generator first (line 8)"
    ) in result.output.splitlines()


def test_a_trainer_that_seeds_only_when_training_still_leaves_it_reported(tmp_path: Path) -> None:
    late = TRAINER.replace("        set_seed(seed)\n", "").replace(
        "            self.model.fit(", "            set_seed(0)\n            self.model.fit("
    )
    assert _package(tmp_path, late) == ["modeling.py:16"]


def test_a_trainer_that_runs_another_method_leaves_it_reported(tmp_path: Path) -> None:
    other = TRAINER.replace("self.model.fit(rows, labels)", "self.model.predict(rows)")
    assert _package(tmp_path, other) == ["modeling.py:16"]


EVALUATE = """\
    from sklearn.metrics import accuracy_score
    from sklearn.preprocessing import LabelEncoder


    def evaluate(model, x_test, y_test):
        y_pred = model.predict(x_test)
        encoder = LabelEncoder()
        encoder.fit(list(y_test) + list(y_pred))
        return accuracy_score(encoder.transform(y_test), encoder.transform(y_pred))
"""
MODEL_CLASS = """\
    import torch


    class TextModel:
        def __init__(self, path):
            self.model = torch.load(path)

        def train_model(self, rows):
            return self.model.train(rows)

        def predict(self, texts):
            return self.model.predict(texts)
"""


def _lines(tmp_path: Path, text: str, rule: str, *, name: str = "lib.py") -> list[int]:
    write_app(tmp_path, {name: text})
    return [f.line for f in review_path(tmp_path) if f.rule == rule]


def test_a_label_encoder_fitted_on_test_labels_is_not_fit_on_test(tmp_path: Path) -> None:
    assert _lines(tmp_path, EVALUATE, "fit-on-test") == []


def test_a_scaler_fitted_on_the_test_rows_is_still_reported(tmp_path: Path) -> None:
    scaled = """\
        from sklearn.preprocessing import StandardScaler


        def evaluate(model, x_test, y_test):
            scaler = StandardScaler()
            scaler.fit(x_test)
            return model.score(scaler.transform(x_test), y_test)
    """
    assert _lines(tmp_path, scaled, "fit-on-test") == [6]


def test_a_model_fitted_on_the_test_labels_is_still_reported(tmp_path: Path) -> None:
    fitted = EVALUATE.replace(
        "        encoder = LabelEncoder()\n", "        encoder = LogisticRegression()\n"
    ).replace(
        "from sklearn.preprocessing import LabelEncoder",
        "from sklearn.linear_model import LogisticRegression",
    )
    fitted = fitted.replace(
        "encoder.fit(list(y_test) + list(y_pred))", "encoder.fit(x_test, y_test)"
    )
    assert _lines(tmp_path, fitted, "fit-on-test") == [8]


def test_a_label_encoder_fitted_on_a_test_feature_column_is_still_reported(tmp_path: Path) -> None:
    column = """\
        import pandas as pd
        from sklearn.preprocessing import LabelEncoder

        test = pd.read_csv("test.csv")
        codes = LabelEncoder().fit(test["segment"])
    """
    assert _lines(tmp_path, column, "fit-on-test", name="encode.py") == [5]


def test_the_predict_of_a_model_class_that_trains_is_no_service(tmp_path: Path) -> None:
    assert _lines(tmp_path, MODEL_CLASS, "serving-without-monitoring") == []


def test_a_serving_class_that_only_predicts_is_still_reported(tmp_path: Path) -> None:
    serving = MODEL_CLASS.replace(
        "        def train_model(self, rows):\n            return self.model.train(rows)\n\n", ""
    )
    assert _lines(tmp_path, serving, "serving-without-monitoring") == [9]
