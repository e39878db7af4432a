"""Where a Python `from` import points, read from the importing file's path alone.

The role review (`team.audit`) and the ML review (`team.review`) both resolve relative imports
with `imported_module`; it sits below both in the package's layers and imports only the standard
library.
"""

from __future__ import annotations

import ast

__all__ = ["absolute_imports", "imported_module"]


def imported_module(rel: str, node: ast.ImportFrom) -> str | None:
    """The dotted module a `from` import in the file at `rel` names, from the top of the
    reviewed folder: `from ..x import y` in `a/b/c.py` (package `a.b`, as in `a/b/__init__.py`)
    names `a.x`, `from . import y` names `a.b`, an absolute import its own module. None when a
    relative import climbs above the reviewed folder: what it names lies outside.

    Example:
        >>> imported_module("a/b/c.py", ast.parse("from ..x import y").body[0])
        'a.x'
    """
    if not node.level:
        return node.module or ""
    package = rel.split("/")[:-1]
    if node.level - 1 > len(package):
        return None
    anchor = package[: len(package) - node.level + 1]
    return ".".join([*anchor, node.module] if node.module else anchor)


def absolute_imports(tree: ast.AST) -> list[str]:
    """The dotted modules a tree imports by absolute name (`import a.b`, `from a.b import c`).

    Example:
        >>> absolute_imports(ast.parse("import ray.rllib, os; from httpx import get; from . import x"))
        ['ray.rllib', 'os', 'httpx']
    """
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names
