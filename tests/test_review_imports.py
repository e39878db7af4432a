"""How the ML review reads a relative import (team.review.sources, with team.pyimports)."""

from __future__ import annotations

from pathlib import Path

from team.review.sources import RepoIndex, SourceFile, load_source


def _index(tmp_path: Path, files: dict[str, str], packages: tuple[str, ...] = ()) -> RepoIndex:
    sources: list[SourceFile] = []
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sources.append(load_source(path, rel))
    return RepoIndex(sources, packages=packages)


def test_a_relative_import_inside_the_folder_names_its_module(tmp_path: Path) -> None:
    index = _index(tmp_path, {"a/b/c.py": "from ..x import y\nfrom . import z\n"})
    assert index.imports(index.sources[0]) == {"y": "a.x.y", "z": "a.b.z"}


def test_climbing_above_a_plain_folder_names_nothing_in_it(tmp_path: Path) -> None:
    # Python refuses it; the level used to wrap around and name the folder's a/x.py
    index = _index(tmp_path, {"a/b/c.py": "from ....x import y\n", "a/x.py": "y = 1\n"})
    assert index.imports(index.sources[0]) == {}


def test_climbing_above_a_package_folder_names_the_package_s_modules(tmp_path: Path) -> None:
    files = {
        "qlearning/dqn.py": "from ...base import Learnable\nfrom ...algos.qlearning import sac\n",
        "qlearning/sac.py": "def fit(): ...\n",
    }
    index = _index(tmp_path, files, packages=("d3rlpy.algos",))
    table = index.imports(index.sources[0])
    assert table == {"Learnable": "d3rlpy.base.Learnable", "sac": "d3rlpy.algos.qlearning.sac"}
    assert index.resolve("d3rlpy.base.Learnable") is None
    hit = index.resolve(table["sac"])
    assert hit is not None and hit[0].rel == "qlearning/sac.py"


def test_the_folder_s_own_init_names_its_modules(tmp_path: Path) -> None:
    # it used to read `from .csai import CSAI` there as `.csai.CSAI`, which named nothing
    index = _index(
        tmp_path, {"__init__.py": "from .csai import CSAI\n", "csai.py": "class CSAI: ...\n"}
    )
    assert index.imports(index.sources[0]) == {"CSAI": "csai.CSAI"}
    hit = index.resolve("csai.CSAI")
    assert hit is not None and hit[0].rel == "csai.py"
