"""Blocking I/O in async code through peewee: an `async def` handler that calls one of the app's
own query functions (`open_tab_repository.get_open_tab_session_ids(...)`), a plain `def` that
runs a peewee model's query (`OpenTab.select()...`). peewee is synchronous: every query is a
round trip to the database that holds the event loop, and every other request on it, until the
rows come back (Jesse's FastAPI controllers over its repositories and models).

A model is a class of a module that imports peewee with a base named `Model` (`peewee.Model`,
`BaseModel`). A query function is a module-level plain `def` that calls a model's query method
itself. A call counts when the async function makes it itself (not in a nested function or a
lambda handed to a thread), does not await it, and names the function through the module or
the name it imports. One finding per folder (the routers of one app), at its first call: the
fix is one change of handlers (plain `def`, run in the threadpool) or of the database layer.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

from team.audit.core import RoleFinding
from team.audit.repo import Repo, is_test
from team.audit.sync_clients import own_nodes
from team.audit.sync_sessions import by_folder, folder_finding

__all__ = ["sync_peewee_calls"]

# the model class methods that run a query when called or when the query they build is run
_QUERIES = frozenset(
    [
        "select",
        "get",
        "get_or_none",
        "get_by_id",
        "get_or_create",
        "create",
        "insert",
        "insert_many",
        "update",
        "delete",
        "delete_by_id",
        "replace",
    ]
)


class _Call(NamedTuple):
    """One call of a peewee query function from an async function."""

    rel: str
    function: str
    call: ast.Call
    target: str  # the query function's dotted name


def sync_peewee_calls(repo: Repo) -> list[RoleFinding]:
    """One blocking-io-in-async finding per folder whose async functions call the app's own
    peewee query functions on the event loop, at the first such call."""
    project = _Project(repo.root)
    found: list[_Call] = []
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        names = _imported_names(tree, project.dotted(repo.root / rel))
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)):
            nodes = own_nodes(fn)
            awaited = {id(n.value) for n in nodes if isinstance(n, ast.Await)}
            for call in (n for n in nodes if isinstance(n, ast.Call) and id(n) not in awaited):
                target = _resolved(call.func, names)
                if target and project.query(target):
                    found.append(_Call(rel, fn.name, call, target))
    out: list[RoleFinding] = []
    for folder, calls in by_folder(found):
        first = min(calls, key=lambda c: (c.rel, c.call.lineno, c.call.col_offset))
        out.append(
            folder_finding(
                repo,
                folder,
                (first.rel, first.function, first.call),
                {(c.rel, c.function) for c in calls},
                does=f"runs a synchronous peewee query ({project.query(first.target)})",
                fix="use plain def handlers (run in the threadpool) or run the queries in a thread",
            )
        )
    return out


class _Project:
    """The modules of the project around the reviewed folder, by dotted name: a handler's
    query functions often live in the package's repositories or models beside the folder."""

    def __init__(self, root: Path) -> None:
        top = root.resolve()
        while (top / "__init__.py").exists() and top.parent != top:
            top = top.parent  # the folder on the import path: the first without __init__.py
        self.top = top
        self._trees: dict[str, ast.Module | None] = {}

    def dotted(self, path: Path) -> str:
        """`<top>/jesse/models/OpenTab.py` -> `jesse.models.OpenTab`."""
        rel = path.resolve().relative_to(self.top).with_suffix("").as_posix()
        return rel.removesuffix("/__init__").replace("/", ".")

    def tree(self, module: str) -> ast.Module | None:
        """The parsed module of a dotted name in the project, or None."""
        if module not in self._trees:
            base = self.top.joinpath(*module.split("."))
            path = next(
                (p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None
            )
            try:
                self._trees[module] = ast.parse(path.read_text()) if path else None
            except (SyntaxError, UnicodeDecodeError, ValueError):
                self._trees[module] = None
        return self._trees[module]

    def query(self, target: str) -> str:
        """`OpenTab.select()` when `target` (`pkg.module.function`) is a module-level plain
        `def` that calls a peewee model's query method itself, else ""."""
        module, _, name = target.rpartition(".")
        tree = self.tree(module) if module else None
        if tree is None:
            return ""
        fn = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        return _first_query(fn, self._models(tree)) if fn else ""

    def _models(self, tree: ast.Module) -> set[str]:
        """Names of peewee models in a module: its own, and those it imports by name."""
        out = _own_models(tree)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                source = self.tree(node.module)
                if source is not None:
                    own = _own_models(source)
                    out |= {a.asname or a.name for a in node.names if a.name in own}
        return out


def _own_models(tree: ast.Module) -> set[str]:
    """Classes of a module that imports peewee with a base named for a model (`peewee.Model`)."""
    if not _imports_peewee(tree):
        return set()
    return {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef)
        and any(ast.unparse(b).rsplit(".", 1)[-1].endswith("Model") for b in n.bases)
    }


def _imports_peewee(tree: ast.Module) -> bool:
    """The module imports `peewee` (or playhouse, its extensions)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        if any(n.split(".")[0] in ("peewee", "playhouse") for n in names):
            return True
    return False


def _first_query(fn: ast.FunctionDef, models: set[str]) -> str:
    """`OpenTab.select()`: the first call in `fn` of a model's query method, or ""."""
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _QUERIES
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in models
        ):
            return f"{node.func.value.id}.{node.func.attr}()"
    return ""


def _imported_names(tree: ast.Module, here: str) -> dict[str, str]:
    """Local name -> dotted name, for the module's own functions and what it imports
    (`from jesse.repositories import open_tab_repository`, `import a.b as c`), at any depth
    (a handler's own `from ... import ...`)."""
    out = {n.name: f"{here}.{n.name}" for n in tree.body if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out |= {a.asname or a.name: f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.asname: a.name for a in node.names if a.asname}
    return out


def _resolved(func: ast.expr, names: dict[str, str]) -> str:
    """The dotted name a call's function refers to through `names`: `get(...)` or
    `module.get(...)`; "" for anything else (a method of an object)."""
    if isinstance(func, ast.Name):
        return names.get(func.id, "")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        base = names.get(func.value.id)
        return f"{base}.{func.attr}" if base else ""
    return ""
