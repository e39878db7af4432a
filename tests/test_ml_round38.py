"""ML review round 38: what real code hides from the review, by family.

Family 1, the best epoch kept by a one-word test loader: Brevitas' A2Q script loads
`trainloader, testloader = get_cifar10_dataloaders(...)`, scores each epoch on `testloader`,
keeps the weights whose `test_top_1` is best and reports them as final. `testloader` names the
test split in one word, so the loop was not seen to score test data. Such a name counts where
the module holds no validation split; beside one (`valloader`, `val_loader`) it stays silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TUNING = "test-set-tuning"

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
