"""The one resolver of `from` imports that the role reviews and the ML review share
(team.pyimports)."""

from __future__ import annotations

import ast

import pytest

from team.pyimports import imported_module


def _resolve(rel: str, statement: str) -> str | None:
    node = ast.parse(statement).body[0]
    assert isinstance(node, ast.ImportFrom)
    return imported_module(rel, node)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("from x import y", "x"),
        ("from x.z import y", "x.z"),
        ("from .x import y", "a.b.x"),
        ("from . import y", "a.b"),
        ("from ..x import y", "a.x"),
        ("from .. import y", "a"),
        ("from ...x import y", "x"),
        ("from ... import y", ""),
        ("from ....x import y", None),
        ("from ..... import y", None),
    ],
)
def test_levels_from_a_plain_module(statement: str, expected: str | None) -> None:
    assert _resolve("a/b/c.py", statement) == expected


@pytest.mark.parametrize(
    "statement", ["from .x import y", "from ..x import y", "from . import y", "from ...x import y"]
)
def test_a_package_init_resolves_like_a_module_beside_it(statement: str) -> None:
    assert _resolve("a/b/__init__.py", statement) == _resolve("a/b/c.py", statement)


def test_at_the_top_of_the_reviewed_folder() -> None:
    assert _resolve("app.py", "from .views import index") == "views"
    assert _resolve("__init__.py", "from . import views") == ""
    assert _resolve("app.py", "from ..views import index") is None
