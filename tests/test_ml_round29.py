"""`unseeded-randomness` tells a library's training loop, which its caller seeds, from a script.

A library function that trains the model and loaders its caller hands it draws only from
torch's global generator, which the caller's entry script seeds: no finding. The same loop in a
script, in a function that builds its own layer, or in one that takes a seed it never uses is
reported, and the message says why it fires in library code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from team.review import review_path
from team.review.libloop import library_shaped

RULE = "unseeded-randomness"

LOOP = """\
def train_model(model, train_loader, opt{params}):
    for batch in train_loader:
        loss = model(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        debug_print("step done")
    return evaluate(model, train_loader)
"""
HEADER = """\
import torch
from .helpers import debug_print, evaluate

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

"""
HELPERS = """\
def debug_print(text):
    print(text)


def evaluate(model, loader):
    return sum(float(model(b)) for b in loader)
"""


def _package(root: Path, train_py: str) -> Path:
    pkg = root / "kt"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "helpers.py").write_text(HELPERS)
    (pkg / "train.py").write_text(train_py)
    return pkg / "train.py"


def _unseeded(root: Path) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.message) for f in review_path(root) if f.rule == RULE]


def test_a_library_loop_on_what_its_caller_hands_it_is_the_callers_to_seed(
    tmp_path: Path,
) -> None:
    _package(tmp_path, HEADER + LOOP.format(params=""))
    assert _unseeded(tmp_path) == []


def test_a_library_loop_that_takes_a_seed_and_drops_it_is_reported(tmp_path: Path) -> None:
    source = HEADER + LOOP.format(params=", seed=0").replace(
        "    for batch", "    head = torch.nn.Linear(4, 1)\n    for batch"
    )
    _package(tmp_path, source)
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("kt/train.py", 11)
    assert "train_model() takes seed" in found[2]
    assert "a dropped seed" in found[2]


def test_a_library_loop_that_builds_its_own_layer_is_reported(tmp_path: Path) -> None:
    source = HEADER + LOOP.format(params="").replace(
        "    for batch", "    head = torch.nn.Linear(4, 1)\n    for batch"
    )
    _package(tmp_path, source)
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("kt/train.py", 11)
    assert "torch.nn.Linear() at line 7" in found[2]
    assert "builds its own random model" in found[2]


def test_the_same_loop_in_a_script_is_reported(tmp_path: Path) -> None:
    script = (
        HEADER
        + LOOP.format(params="")
        + '\n\nif __name__ == "__main__":\n    train_model(torch.nn.Linear(4, 1), [], None)\n'
    )
    _package(tmp_path, script)
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("kt/train.py", 10)
    assert "torch.nn.Linear() at line 17" in found[2]
    assert "Library code" not in found[2]


def test_a_library_draw_that_ignores_the_seed_it_takes_says_so(tmp_path: Path) -> None:
    source = (
        "import numpy as np\nfrom sklearn.linear_model import Ridge\n\n\n"
        "def subsample(X, y, frac, seed=0):\n"
        "    keep = np.random.permutation(len(X))[: int(frac * len(X))]\n"
        "    return Ridge().fit(X[keep], y[keep])\n"
    )
    _package(tmp_path, source)
    (found,) = _unseeded(tmp_path)
    assert found[:2] == ("kt/train.py", 6)
    assert "subsample() takes seed and this draw does not use it (a dropped seed)" in found[2]


@pytest.mark.parametrize(
    ("source", "shaped"),
    [
        ('import torch\ndevice = torch.device("cpu")\ndef f():\n    pass\n', True),
        ("import logging\nlog = logging.getLogger(__name__)\nclass A:\n    pass\n", True),
        ("import torch\nmodel = torch.nn.Linear(2, 1)\n", False),
        ('def main():\n    pass\n\nif __name__ == "__main__":\n    main()\n', False),
        ("print('hello')\n", False),
    ],
)
def test_a_library_module_is_told_by_what_runs_at_import(source: str, shaped: bool) -> None:
    assert library_shaped(ast.parse(source)) is shaped
