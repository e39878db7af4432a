"""`unseeded-randomness`: a library seed taken and dropped; Lightning logs no one reads.

A library class whose `__init__` takes a seed it never reads, and whose training method builds
its own shuffled loader, drops the seed its caller hands it: reported at the loader, with the
reason. A class that keeps its seed leaves the loop to its caller, as before.
A Lightning module that logs only through returned `{"log": ...}` dicts (ignored since Lightning
1.3), logs nothing with `self.log`, monitors and prints nothing, trains without any number
leaving it: no finding. The same module with one `self.log` is reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path

RULE = "unseeded-randomness"

KT = """\
import torch
from torch.utils.data import DataLoader


class KTModel(torch.nn.Module):
    def __init__(self, n_items, seed=0):
        super().__init__()
        self.n_items = n_items
{seeding}
    def train_model(self, dataset, opt, epochs=3, shuffle=True):
        loader = DataLoader(dataset, batch_size=16, shuffle=shuffle)
        for _ in range(epochs):
            for batch in loader:
                loss = self(batch)
                opt.zero_grad()
                loss.backward()
                opt.step()
        return self
"""


def _unseeded(root: Path) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.message) for f in review_path(root) if f.rule == RULE]


def _package(root: Path, seeding: str) -> None:
    pkg = root / "kt"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text(KT.format(seeding=seeding))


def test_a_library_class_that_takes_a_seed_and_never_uses_it_is_reported_at_the_loader(
    tmp_path: Path,
) -> None:
    _package(tmp_path, "        # set_seed(seed)\n")
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("kt/model.py", 12)
    assert "KTModel.__init__() takes seed and never uses it" in found[2]
    assert "DataLoader(shuffle=True) in train_model()" in found[2]


def test_a_library_class_that_keeps_its_seed_is_its_callers_to_seed(tmp_path: Path) -> None:
    _package(tmp_path, "        self.seed = seed\n")
    assert _unseeded(tmp_path) == []


LIGHTNING = """\
import torch
import pytorch_lightning as pl


class Net(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_nb):
        loss = self.layer(batch).sum()
{logging}
        return {{"loss": loss, "log": {{"train_loss": loss}}}}

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


if __name__ == "__main__":
    trainer = pl.Trainer(max_epochs=1)
    trainer.fit(Net())
"""


def test_a_lightning_module_logging_only_through_returned_dicts_is_no_finding(
    tmp_path: Path,
) -> None:
    (tmp_path / "train.py").write_text(LIGHTNING.format(logging=""))
    assert _unseeded(tmp_path) == []


def test_the_same_module_logging_with_self_log_is_reported(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(LIGHTNING.format(logging='        self.log("loss", loss)'))
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("train.py", 21)
    assert "without torch.manual_seed" in found[2]
