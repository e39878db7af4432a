"""ML review round 33: false alarms of real code, by family.

Family 1, a model's training method run by the package's own trainer, which seeds when it is
made: SetFit's `SetFitModel.fit` (`modeling.py`) loops over a shuffled loader of its own, and
its `Trainer` (`trainer.py`) calls `set_seed(args.seed)` in `__init__` and trains through
`self.model.fit(...)`. A trainer that seeds only later, or that runs another method of the
model, leaves the loop reported.
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
