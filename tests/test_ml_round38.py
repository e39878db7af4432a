"""ML review round 38: what real code hides from the review, by family.

Family 1, the best epoch kept by a one-word test loader: Brevitas' A2Q script loads
`trainloader, testloader = get_cifar10_dataloaders(...)`, scores each epoch on `testloader`,
keeps the weights whose `test_top_1` is best and reports them as final. `testloader` names the
test split in one word, so the loop was not seen to score test data. Such a name counts where
the module holds no validation split; beside one (`valloader`, `val_loader`) it stays silent.

Family 2, draws that make no result: ADBench's Deep SAD dataset classes draw the known outlier
classes in `__init__`, but their imports are commented out and no module names them; its
`other_utils/gmm/test.py` is a module of `unittest.TestCase` classes that draw inputs on purpose
and assert shapes; solo-learn's `GaussianBlur.__call__(self, img)` draws a blur radius per
image, the augmentation itself. Each is noted, not reported. A class some module names, a
`test.py` script that evaluates a model, and a `__call__` that trains stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TUNING = "test-set-tuning"
UNSEEDED = "unseeded-randomness"

BEST_BY_TESTLOADER = """\
    import copy

    import torch

    from cifar import utils

    torch.manual_seed(0)
    trainloader, testloader = utils.get_cifar10_dataloaders(batch_size=128)
    model = utils.get_model()
    best_top_1, best_weights = 0.0, copy.deepcopy(model.state_dict())
    for epoch in range(10):
        utils.train_for_epoch(trainloader, model)
        test_top_1 = utils.evaluate(testloader, model)
        if test_top_1 >= best_top_1:
            best_weights = copy.deepcopy(model.state_dict())
            best_top_1 = test_top_1
    model.load_state_dict(best_weights)
    print("Final:", utils.evaluate(testloader, model))
"""


def _tuning(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    folder = write_app(tmp_path, {"train.py": source})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == TUNING]


def test_the_best_epoch_kept_by_a_one_word_test_loader_is_reported(tmp_path: Path) -> None:
    found = _tuning(tmp_path, BEST_BY_TESTLOADER)
    assert [line for line, _ in found] == [14]
    assert "testloader is the test split" in found[0][1]


def test_a_one_word_test_set_is_read_like_a_test_loader(tmp_path: Path) -> None:
    source = BEST_BY_TESTLOADER.replace("testloader", "testset")
    assert [line for line, _ in _tuning(tmp_path, source)] == [14]


def test_a_best_epoch_beside_a_validation_loader_is_not_reported(tmp_path: Path) -> None:
    source = BEST_BY_TESTLOADER.replace(
        "trainloader, testloader =", "trainloader, valloader, testloader ="
    )
    assert _tuning(tmp_path, source) == []


def test_a_best_epoch_kept_by_a_loader_that_names_no_split_is_not_reported(
    tmp_path: Path,
) -> None:
    source = BEST_BY_TESTLOADER.replace("testloader", "evalloader")
    assert _tuning(tmp_path, source) == []


def test_a_test_loader_only_scored_each_epoch_is_not_reported(tmp_path: Path) -> None:
    source = BEST_BY_TESTLOADER.replace("if test_top_1 >= best_top_1:", "if epoch % 2:")
    assert _tuning(tmp_path, source) == []


DATASET_CLASS = """\
    import random

    import torch

    class CIFAR10_Dataset:
        def __init__(self, root, n_known=2):
            self.root = root
            self.known = tuple(random.sample(range(10), n_known))
            self.train_set = CIFAR10(root=root, train=True, download=True)
"""

RUNNER = """\
    from datasets.main import load_dataset

    load_dataset("cifar")
"""

MAIN_NAMING_IT = """\
    from datasets.cifar10 import CIFAR10_Dataset


    def load_dataset(name):
        return CIFAR10_Dataset(name)
"""


def _unseeded(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    folder = write_app(tmp_path, files)
    return [(f.path, f.line) for f in review_path(folder) if f.rule == UNSEEDED]


SEEDING = """\
    import random


    class Runner:
        def __init__(self, seed):
            random.seed(seed)
"""


def _dataset_package(main: str) -> dict[str, str]:
    """ADBench's layout: a class elsewhere in the package seeds in its `__init__`, so the
    dataset class's `__init__` is not left to a caller as a library's."""
    return {
        "seeding.py": SEEDING,
        "datasets/__init__.py": "",
        "datasets/cifar10.py": DATASET_CLASS,
        "datasets/main.py": main,
        "run.py": RUNNER,
    }


def test_a_draw_in_a_class_no_module_names_is_not_reported(tmp_path: Path) -> None:
    main = MAIN_NAMING_IT.replace("from datasets.cifar10 import CIFAR10_Dataset", "# (removed)")
    main = main.replace("CIFAR10_Dataset(name)", "name")
    assert _unseeded(tmp_path, _dataset_package(main)) == []


def test_a_draw_in_a_class_another_module_builds_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, _dataset_package(MAIN_NAMING_IT)) == [("datasets/cifar10.py", 8)]


UNIT_TESTS = """\
    import unittest

    import numpy as np

    from gmm import GaussianMixture


    class CpuCheck(unittest.TestCase):
        def testPredictClasses(self):
            n_components = np.random.randint(1, 100)
            model = GaussianMixture(n_components)
            model.fit(np.random.randn(400, 2))
            self.assertEqual(model.n_components, n_components)


    if __name__ == "__main__":
        unittest.main()
"""

EVALUATION_SCRIPT = """\
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.random.randn(400, 2)
    y = X[:, 0] > 0
    print(LogisticRegression().fit(X, y).score(X, y))
"""


def test_a_module_of_unit_tests_named_test_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, {"gmm/test.py": UNIT_TESTS}) == []


def test_a_test_script_that_evaluates_a_model_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, {"gmm/test.py": EVALUATION_SCRIPT}) == [("gmm/test.py", 4)]


BLUR = """\
    import random

    import torch
    from PIL import ImageFilter


    class GaussianBlur:
        def __init__(self, sigma=(0.1, 2.0)):
            self.sigma = sigma

        def __call__(self, img):
            sigma = random.uniform(self.sigma[0], self.sigma[1])
            return img.filter(ImageFilter.GaussianBlur(radius=sigma))


    def build(train_dir):
        return torch.utils.data.DataLoader(train_dir, shuffle=False, transform=GaussianBlur())
"""


def test_a_draw_in_a_transform_call_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, {"pretrain_dataloader.py": BLUR}) == []


def test_a_draw_in_a_call_that_trains_stays_reported(tmp_path: Path) -> None:
    source = BLUR.replace(
        "return img.filter(ImageFilter.GaussianBlur(radius=sigma))",
        "img.fit(sigma)\n            return img",
    )
    assert _unseeded(tmp_path, {"pretrain_dataloader.py": source}) == [
        ("pretrain_dataloader.py", 12)
    ]
