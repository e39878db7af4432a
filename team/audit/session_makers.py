"""Synchronous SQLAlchemy sessions reached without naming `Session`: through a
`sessionmaker(...)`, a function that returns one, or a context manager that yields a session
made by one, and handed to a module of the repository's own query functions.

ragna's FastAPI app (deploy/_api/core.py) does `make_session = database.get_sessionmaker(url)`,
where `get_sessionmaker` returns `sessionmaker(bind=create_engine(url))`; a `@contextmanager`
`get_session()` yields `make_session()`, and every `async def` handler runs `with get_session() as
session: database.get_chats(session, user=user)`, a plain function of its database module that
executes the query on the event loop. A maker built with `class_=AsyncSession` (or by
`async_sessionmaker`) gives sessions that are awaited, and is left alone.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from team.audit.repo import Repo, is_test
from team.pyimports import imported_module

__all__ = ["Makers", "module_helpers", "repo_makers", "session_openers"]

_ORM = frozenset(["sqlalchemy.orm", "sqlalchemy.orm.session"])

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _maker_names(tree: ast.Module) -> set[str]:
    """The local names of `sessionmaker` imported from `sqlalchemy.orm`."""
    return {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module in _ORM and not n.level
        for a in n.names
        if a.name == "sessionmaker"
    }


def _sync_maker(expr: ast.expr | None, makers: set[str]) -> bool:
    """`sessionmaker(bind=engine)`: a maker of synchronous sessions (no `class_=AsyncSession`)."""
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id in makers
        and not any(k.arg == "class_" and "Async" in ast.unparse(k.value) for k in expr.keywords)
    )


class Makers(NamedTuple):
    """The repository's synchronous session makers, by name."""

    factories: frozenset[str]  # plain functions that return a `sessionmaker(...)`
    makers: frozenset[str]  # module-level names bound to one (`SessionLocal`)


def repo_makers(repo: Repo) -> Makers:
    """The functions that return a synchronous `sessionmaker(...)` and the module-level names
    bound to one, over the repository's modules outside the tests.

    Example:
        >>> class One:
        ...     def modules(self):
        ...         return [("db.py", ast.parse(
        ...             "from sqlalchemy.orm import sessionmaker as _sm\\n"
        ...             "def get_maker(url):\\n    return _sm(bind=url)\\n"
        ...             "SessionLocal = _sm()\\n"
        ...             "AsyncLocal = _sm(class_=AsyncSession)\\n"
        ...         ))]
        >>> repo_makers(One())
        Makers(factories=frozenset({'get_maker'}), makers=frozenset({'SessionLocal'}))
    """
    factories: set[str] = set()
    makers: set[str] = set()
    for rel, tree in repo.modules():
        names = _maker_names(tree) if not is_test(rel) else set()
        if not names:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(r, ast.Return) and _sync_maker(r.value, names) for r in ast.walk(node)
            ):
                factories.add(node.name)
            elif isinstance(node, ast.Assign) and _sync_maker(node.value, names):
                makers |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return Makers(frozenset(factories), frozenset(makers))


def _last(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def session_openers(tree: ast.Module, known: Makers) -> frozenset[str]:
    """Names whose call, in this module, gives a synchronous session: a maker imported by name
    or bound here (`SessionLocal = sessionmaker(...)`, `make_session = db.get_maker(url)`), and a
    `@contextmanager` function that yields a session of one (`with make_session() as s: yield
    s`)."""
    makers = _maker_names(tree)
    openers = {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        for a in n.names
        if a.name in known.makers
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and (
            _sync_maker(node.value, makers)
            or (isinstance(node.value, ast.Call) and _last(node.value.func) in known.factories)
        ):
            openers |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and _yields_session(node, frozenset(openers)):
            openers.add(node.name)
    return frozenset(openers)


def _yields_session(fn: ast.FunctionDef, openers: frozenset[str]) -> bool:
    """A `@contextmanager` generator that yields a session of one of `openers`."""
    if not any(_last(d) == "contextmanager" for d in fn.decorator_list):
        return False
    opened = {
        item.optional_vars.id
        for w in ast.walk(fn)
        if isinstance(w, ast.With)
        for item in w.items
        if isinstance(item.optional_vars, ast.Name) and _opened(item.context_expr, openers)
    }
    opened |= {
        t.id
        for a in ast.walk(fn)
        if isinstance(a, ast.Assign) and _opened(a.value, openers)
        for t in a.targets
        if isinstance(t, ast.Name)
    }
    return any(
        isinstance(y, ast.Yield)
        and y.value is not None
        and (_opened(y.value, openers) or (isinstance(y.value, ast.Name) and y.value.id in opened))
        for y in ast.walk(fn)
    )


def _opened(expr: ast.expr, openers: frozenset[str]) -> bool:
    return (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in openers
    )


def module_helpers(repo: Repo, rel: str, tree: ast.Module) -> frozenset[str]:
    """`database.get_chats` for each plain top-level function of a repository module that `rel`
    imports as a module by name (`from . import database`): a call of one, given a session,
    runs its queries right there."""
    out: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        package = imported_module(rel, node)
        if package is None:
            continue
        for alias in node.names:
            dotted = f"{package}.{alias.name}" if package else alias.name
            path = dotted.replace(".", "/") + ".py"
            module = repo.tree(path) if path in repo.python else None
            if module is None:
                continue
            local = alias.asname or alias.name
            out |= {f"{local}.{f.name}" for f in module.body if isinstance(f, ast.FunctionDef)}
    return frozenset(out)
