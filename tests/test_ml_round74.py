"""ML review round 74: unseeded-randomness findings on the spent fresh61 corpus that the judges
found false (issue 14).

Part 1: YAIB's `icu_benchmarks/models/train.py` trains in `train_common` on a shuffled
`DataLoader`, and nothing in the reviewed folder seeds; its one caller,
`icu_benchmarks/cross_validation.py` (outside the folder), calls Lightning's
`seed_everything(seed)` before it trains any fold (a tuning script runs other code of the
folder unseeded, so no seed outside covers the whole folder). A caller that seeds only after the call, or a
call of the function that is not read as its own, leaves the loop reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TRAIN = """
import os

import torch
from torch.utils.data import DataLoader

WORKERS = os.cpu_count()  # run at import: a module that is no quiet library hook


def train_common(dataset, model, epochs=3):
    loader = DataLoader(dataset, batch_size=8, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(epochs):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model
"""

RUNNER = """
from pytorch_lightning import seed_everything

from icu.data import load_folds
from icu.models.train import train_common


def execute_repeated_cv(model, seed: int = 1234):
    seed_everything(seed)
    for dataset in load_folds():
        train_common(dataset, model)
"""


def _lines(folder: Path, runner: str = RUNNER, **more: str) -> list[int]:
    files = {
        "pyproject.toml": "[project]\nname = 'icu'\n",
        "icu/__init__.py": "",
        "icu/data.py": "def load_folds():\n    return []\n",
        "icu/cross_validation.py": runner,
        "icu/models/__init__.py": "",
        "icu/models/utils.py": "def describe():\n    return 'models'\n",
        # a script that runs other code of the folder unseeded: no seed covers the whole folder
        "icu/tuning.py": (
            "from icu.models.utils import describe\n\n"
            "if __name__ == '__main__':\n    print(describe())\n"
        ),
        "icu/models/train.py": TRAIN,
        **more,  # last: a test may replace `icu/__init__.py` with a re-export
    }
    return _reported(folder, files, "icu/models", "train.py")


def _reported(folder: Path, files: dict[str, str], reviewed: str, path: str) -> list[int]:
    """The unseeded-randomness lines at `path` of a review of `reviewed` in the written app."""
    write_app(folder, files)
    return [
        f.line
        for f in review_path(folder / reviewed)
        if f.rule == "unseeded-randomness" and f.path == path
    ]


def _line(text: str, source: str = TRAIN) -> int:
    lines = source.lstrip("\n").splitlines()
    return next(n for n, t in enumerate(lines, 1) if text in t)


def test_a_loop_whose_only_caller_outside_the_folder_seeds_first_is_seeded(tmp_path: Path) -> None:
    assert _lines(tmp_path) == []


def test_a_caller_outside_the_folder_that_seeds_after_the_call_leaves_it_reported(
    tmp_path: Path,
) -> None:
    runner = RUNNER.replace(
        "    seed_everything(seed)\n    for dataset in load_folds():\n"
        "        train_common(dataset, model)\n",
        "    for dataset in load_folds():\n        train_common(dataset, model)\n"
        "    seed_everything(seed)\n",
    )
    assert _lines(tmp_path, runner) == [_line("loss.backward()")]


def test_a_second_caller_that_seeds_nothing_leaves_it_reported(tmp_path: Path) -> None:
    script = (
        "import torch\n\nfrom icu.models.train import train_common\n\n"
        "if __name__ == '__main__':\n    train_common([], torch.nn.Linear(2, 1))\n"
    )
    assert _lines(tmp_path, **{"icu/quick.py": script}) == [_line("loss.backward()")]


# Part 2: views-hydranet's `train/training_engine.py` draws from torch's global generator
# (`family.sample(..., generator=None)`) and NumPy's, and `training_loop` calls
# `ReproducibilityGate.lock_entropy(...)`, a static method of a class in the package's
# `infrastructure/reproducibility_gate.py` (outside the folder), which runs `random.seed`,
# `np.random.seed` and `torch.manual_seed` on entry.

GATE = """
import random

import numpy as np
import torch


class ReproducibilityGate:
    @staticmethod
    def lock_entropy(np_seed: int, torch_seed: int | None = None) -> None:
        if torch_seed is None:
            torch_seed = np_seed
        random.seed(np_seed)
        np.random.seed(np_seed)
        torch.manual_seed(torch_seed)
"""

ENGINE = """
import os

import numpy as np
import torch

from hydra.infrastructure.gate import ReproducibilityGate

os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # run at import: no quiet library


def _feedback(pred, family, generator=None):
    return family.sample(pred, 1, generator)


def train(model, batches, family, optimizer):
    for x, y in batches:
        if np.random.rand() < 0.5:
            x = _feedback(model(x), family)
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def training_loop(config, model, batches, family):
    ReproducibilityGate.lock_entropy(np_seed=config["np_seed"], torch_seed=config["torch_seed"])
    train(model, batches, family, torch.optim.Adam(model.parameters()))
    return model
"""


def _engine_lines(folder: Path, gate: str = GATE, engine: str | None = None) -> list[int]:
    files = {
        "pyproject.toml": "[project]\nname = 'hydra'\n",
        "hydra/__init__.py": "",
        "hydra/infrastructure/__init__.py": "",
        "hydra/infrastructure/gate.py": gate,
        "hydra/train/__init__.py": "",
        "hydra/train/engine.py": engine or ENGINE,
    }
    return _reported(folder, files, "hydra/train", "engine.py")


def test_a_project_helper_method_that_seeds_on_entry_seeds_the_module(tmp_path: Path) -> None:
    assert _engine_lines(tmp_path) == []


def test_a_helper_named_like_a_seeder_that_seeds_nothing_leaves_it_reported(
    tmp_path: Path,
) -> None:
    gate = GATE.split("        if torch_seed")[0] + "        print(np_seed, torch_seed)\n"
    assert _line("family.sample", ENGINE) in _engine_lines(tmp_path, gate)


def test_a_helper_that_seeds_only_in_a_branch_leaves_it_reported(tmp_path: Path) -> None:
    gate = GATE.replace("        random.seed", "        if np_seed:\n            random.seed")
    gate = gate.replace("        np.random.seed", "            np.random.seed")
    gate = gate.replace("        torch.manual_seed", "            torch.manual_seed")
    assert _line("family.sample", ENGINE) in _engine_lines(tmp_path, gate)


def test_a_helper_that_seeds_from_the_os_leaves_it_reported(tmp_path: Path) -> None:
    gate = GATE.replace("random.seed(np_seed)", "random.seed()")
    gate = gate.replace("np.random.seed(np_seed)", "np.random.seed()")
    gate = gate.replace("torch.manual_seed(torch_seed)", "torch.seed()")
    assert _line("family.sample", ENGINE) in _engine_lines(tmp_path, gate)


def test_a_helper_left_at_its_none_default_seeds_nothing(tmp_path: Path) -> None:
    gate = GATE.replace("np_seed: int,", "np_seed: int | None = None,")
    engine = ENGINE.replace('np_seed=config["np_seed"], torch_seed=config["torch_seed"]', "")
    assert _line("family.sample", engine) in _engine_lines(tmp_path, gate, engine)


def test_a_caller_outside_that_seeds_only_when_handed_a_seed_leaves_it_reported(
    tmp_path: Path,
) -> None:
    runner = RUNNER.replace("seed: int = 1234", "seed: int | None = None").replace(
        "    seed_everything(seed)\n", "    if seed is not None:\n        seed_everything(seed)\n"
    )
    assert _lines(tmp_path, runner) == [_line("loss.backward()")]


def test_a_caller_outside_that_seeds_with_a_none_default_leaves_it_reported(
    tmp_path: Path,
) -> None:
    runner = RUNNER.replace("seed: int = 1234", "seed: int | None = None")
    assert _lines(tmp_path, runner) == [_line("loss.backward()")]


def test_a_caller_through_the_packages_re_export_is_read(tmp_path: Path) -> None:
    script = (
        "from icu import train_common\n\nif __name__ == '__main__':\n    train_common([], None)\n"
    )
    reexport = {"icu/__init__.py": "from icu.models.train import train_common\n"}
    assert _lines(tmp_path, **reexport, **{"scripts/quick.py": script}) == [
        _line("loss.backward()")
    ]


def test_a_re_export_whose_callers_seed_first_keeps_it_seeded(tmp_path: Path) -> None:
    runner = RUNNER.replace(
        "from icu.models.train import train_common", "from icu import train_common"
    )
    reexport = {"icu/__init__.py": "from icu.models.train import train_common\n"}
    assert _lines(tmp_path, runner, **reexport) == []
