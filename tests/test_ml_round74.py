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
        **more,
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
    }
    write_app(folder, files)
    return [
        f.line
        for f in review_path(folder / "icu" / "models")
        if f.rule == "unseeded-randomness" and f.path == "train.py"
    ]


def _line(text: str) -> int:
    lines = TRAIN.lstrip("\n").splitlines()
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
