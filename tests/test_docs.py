"""What a reader copies: the README's Python blocks and every docstring example run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import team

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def readme_blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_python_blocks() -> None:
    assert len(readme_blocks()) >= 2


@pytest.mark.parametrize("index", range(len(readme_blocks())))
def test_readme_python_block_runs(index: int, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(readme_blocks()[index], f"README.md block {index + 1}", "exec"), {})


def modules_with_examples() -> list[str]:
    names = []
    finder = doctest.DocTestFinder()
    for info in pkgutil.walk_packages(team.__path__, "team."):
        module = importlib.import_module(info.name)
        if any(t.examples for t in finder.find(module)):
            names.append(info.name)
    return names


@pytest.mark.parametrize("module", modules_with_examples())
def test_docstring_examples(module: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every ``>>>`` example in the package runs from the checkout root and prints what it says."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TEAM_HOME", str(tmp_path))
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failures, tried = doctest.testmod(importlib.import_module(module), optionflags=flags)
    assert tried > 0 and failures == 0
