"""ML review round 71: unseeded-randomness findings on spent corpora that the judges found false
(issue 14).

Part 1: TabPFN 0.1.10's prior modules end with `DataLoader = get_batch_to_dataloader(get_batch)`;
the trainer iterates that loader to draw a fresh synthetic dataset per batch. The draws that
`get_batch` reaches (the causes of the random MLP, its block count, the missing-value markers)
are the prior's sampling, which the runner that iterates the loader seeds. A helper that an
evaluation also calls, or one that no loader reaches, stays reported.

Part 2: nnU-Net's `nnUNetDataLoader(DataLoader)` tosses a coin per sample for a foreground patch,
and flair's `TextDataset(Dataset).__getitem__` shuffles a training split's lines: a data loader's
own sampling, like `DataLoader(shuffle=True)`, whose seed belongs to the trainer iterating it
(reported at its loop). A draw in the dataset's `__init__`, or in a class that is no framework
loader, stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

LOADERS = """
class PriorDataLoader:
    pass


def get_batch_to_dataloader(get_batch_method_):
    class DL(PriorDataLoader):
        get_batch_method = get_batch_method_

        def __iter__(self):
            return iter([get_batch_method_(8) for _ in range(4)])

    return DL
"""

MLP = """
import numpy as np
import torch

from pkg.priors.utils import get_batch_to_dataloader


def causes_sampler_f(num_causes):
    means = np.random.normal(0, 1, (num_causes))
    return means, np.abs(means)


def get_batch(batch_size):
    means, std = causes_sampler_f(batch_size)
    x = torch.tensor(means) + torch.randn(batch_size)
    return x, x.sum()


DataLoader = get_batch_to_dataloader({generator})
"""

TRAIN = """
import torch

import pkg.priors.mlp as mlp


def train(model, steps):
    opt = torch.optim.Adam(model.parameters())
    for x, y in mlp.DataLoader():
        loss = (model(x) - y) ** 2
        loss.backward()
        opt.step()
    return model


if __name__ == "__main__":
    train(torch.nn.Linear(8, 1), 100)
"""

EVALUATE = """
from pkg.priors.mlp import causes_sampler_f

if __name__ == "__main__":
    print(causes_sampler_f(10)[0].mean())
"""


def _prior_lines(folder: Path, *, generator: str = "get_batch", **extra: str) -> list[int]:
    files = {
        "pkg/__init__.py": "",
        "pkg/priors/__init__.py": "",
        "pkg/priors/utils.py": LOADERS,
        "pkg/priors/mlp.py": MLP.replace("{generator}", generator),
        "pkg/train.py": TRAIN,
        **extra,
    }
    write_app(folder, files)
    return [
        f.line
        for f in review_path(folder)
        if f.rule == "unseeded-randomness" and f.path == "pkg/priors/mlp.py"
    ]


def _draw_line() -> int:
    lines = MLP.lstrip("\n").splitlines()
    return next(n for n, t in enumerate(lines, 1) if "np.random.normal" in t)


def test_a_draw_reached_only_from_a_batch_generator_made_into_a_loader_is_the_priors(
    tmp_path: Path,
) -> None:
    assert _prior_lines(tmp_path) == []


def test_a_prior_helper_that_an_evaluation_also_calls_stays_reported(tmp_path: Path) -> None:
    lines = _prior_lines(tmp_path, **{"pkg/evaluate.py": EVALUATE})
    assert lines == [_draw_line()]


def test_a_draw_no_loader_reaches_stays_reported(tmp_path: Path) -> None:
    # the loader wraps another function of the module; get_batch is the trainer's own call
    fixed = "def fixed_batch(batch_size):\n    return torch.zeros(batch_size), 0.0\n\n\n"
    module_extra = MLP.replace("DataLoader = ", fixed + "DataLoader = ").replace(
        "{generator}", "fixed_batch"
    )
    train = TRAIN.replace("mlp.DataLoader()", "[mlp.get_batch(8)]")
    lines = _prior_lines(tmp_path, **{"pkg/priors/mlp.py": module_extra, "pkg/train.py": train})
    assert lines == [_draw_line()]


DATASET = """
import numpy as np
from torch.utils.data import Dataset


class Patches(Dataset):
    def __init__(self, images):
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        start = np.random.randint(0, 8)
        return self.images[i][start : start + 8]
"""

TRAINER = """
import torch
from torch.utils.data import DataLoader

from pkg.data import Patches


def train(model, images):
    opt = torch.optim.Adam(model.parameters())
    for x in DataLoader(Patches(images), batch_size=4):
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
    print(loss.item())


if __name__ == "__main__":
    train(torch.nn.Linear(8, 1), torch.randn(32, 16))
"""


def _dataset_lines(folder: Path, dataset: str) -> tuple[list[int], list[str]]:
    """Lines reported in the dataset module, and the paths of every unseeded finding."""
    files = {"pkg/__init__.py": "", "pkg/data.py": dataset, "pkg/train.py": TRAINER}
    found = [f for f in review_path(write_app(folder, files)) if f.rule == "unseeded-randomness"]
    return [f.line for f in found if f.path == "pkg/data.py"], [f.path for f in found]


def _line_of(module: str, text: str) -> int:
    lines = module.lstrip("\n").splitlines()
    return next(n for n, t in enumerate(lines, 1) if text in t)


def test_a_draw_in_a_datasets_own_sampling_is_left_to_the_training_loop(tmp_path: Path) -> None:
    lines, paths = _dataset_lines(tmp_path, DATASET)
    assert lines == []
    assert "pkg/train.py" in paths  # the unseeded training loop itself stays reported


def test_a_draw_in_a_datasets_init_stays_reported(tmp_path: Path) -> None:
    dataset = DATASET.replace(
        "        self.images = images\n",
        "        self.images = images[np.random.permutation(len(images))]\n",
    )
    lines, _ = _dataset_lines(tmp_path, dataset)
    assert _line_of(dataset, "np.random.permutation") in lines


def test_a_draw_in_a_class_that_is_no_framework_loader_stays_reported(tmp_path: Path) -> None:
    dataset = DATASET.replace("class Patches(Dataset):", "class Patches:")
    lines, _ = _dataset_lines(tmp_path, dataset)
    assert lines == [_line_of(dataset, "np.random.randint")]


def test_an_unseeded_split_in_a_datasets_method_stays_reported(tmp_path: Path) -> None:
    # no bare draw from a global generator: the split itself takes the seed it is not given
    dataset = DATASET.replace(
        "from torch.utils.data import Dataset\n",
        "from sklearn.model_selection import train_test_split\nfrom torch.utils.data import Dataset\n",
    ).replace(
        "    def __len__(self):",
        "    def splits(self):\n"
        "        return train_test_split(np.arange(len(self.images)), test_size=0.2)\n\n"
        "    def __len__(self):",
    )
    lines, _ = _dataset_lines(tmp_path, dataset)
    assert _line_of(dataset, "return train_test_split") in lines


def test_an_unseeded_split_a_batch_generator_reaches_stays_reported(tmp_path: Path) -> None:
    split = "    train, test = train_test_split(means, test_size=0.5)\n    return train, test\n"
    module = (
        MLP.replace(
            "import numpy as np\n",
            "import numpy as np\nfrom sklearn.model_selection import train_test_split\n",
        )
        .replace(
            "    means = np.random.normal(0, 1, (num_causes))\n",
            "    means = np.ones(num_causes)\n",
        )
        .replace("    return means, np.abs(means)\n", split)
        .replace("{generator}", "get_batch")
    )
    lines = _prior_lines(tmp_path, **{"pkg/priors/mlp.py": module})
    rows = module.lstrip("\n").splitlines()
    assert next(n for n, t in enumerate(rows, 1) if "train_test_split(means" in t) in lines


def test_a_loader_made_by_a_factory_that_is_no_batch_to_loader_stays_reported(
    tmp_path: Path,
) -> None:
    # `dataset_loader = memoize(get_batch)` caches a function; nothing iterates it per batch
    module = MLP.replace(
        "DataLoader = get_batch_to_dataloader({generator})",
        "def memoize(f):\n    return f\n\n\ndataset_loader = memoize(get_batch)",
    )
    train = TRAIN.replace("mlp.DataLoader()", "[mlp.dataset_loader(8)]")
    lines = _prior_lines(tmp_path, **{"pkg/priors/mlp.py": module, "pkg/train.py": train})
    assert lines == [_draw_line()]
