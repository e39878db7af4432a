"""Blocking I/O in async code through a synchronous SQLAlchemy session: an `async def` that
takes a `Session` (`db: Session = Depends(get_db)` in a FastAPI handler) or opens one (`with
Session(self.engine) as session:`) and queries it on the event loop. Every query is a round trip
to the database that holds the loop, and every other request on it, until the rows come back
(mcp-contextforge's routers, evidently's SQL storage). FastAPI runs a plain `def` handler in its
threadpool; an `async def` one runs on the loop.

`Session` is the one the module imports from `sqlalchemy.orm` or `sqlmodel` (an `AsyncSession`
is awaited and is left alone); a session made by a synchronous `sessionmaker`, directly, through
a function that returns one or through a `@contextmanager` that yields one, counts too, and so
does a plain function of a repository module it imports by name (`database.get_chats(session)`,
ragna's API; `session_makers.py`). A use counts when the function itself queries the session
(`execute`, `query`, `scalars`, `get`, `commit`...) or hands it, without awaiting and not as an
argument of another call (`StreamingResponse(stream(db))`), to a plain function of the module or
one it imports by name, or to a model's class method (`FidesUser.get(db=db, ...)`); a service
object's method or a nested function or lambda handed to a thread does not count.
One finding per folder (the routers of one app), at its first direct read: the fix is one change
of session or handlers.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable
from typing import NamedTuple, Protocol, TypeVar

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test
from team.audit.session_makers import module_helpers, repo_makers, session_openers
from team.audit.sync_clients import own_nodes

__all__ = ["by_folder", "folder_finding", "sync_session_calls"]

_SYNC_MODULES = frozenset(["sqlalchemy.orm", "sqlalchemy.orm.session", "sqlmodel"])
# the session methods that talk to the database (`add` and `delete` only mark objects): reads,
# the clearest to point at, then writes
_READS = frozenset(["execute", "query", "scalar", "scalars", "get"])
_ROUND_TRIPS = _READS | {"commit", "flush", "refresh", "merge", "exec"}  # exec: sqlmodel's


class _Use(NamedTuple):
    """One use of a synchronous session in an async function."""

    rel: str
    function: str
    call: ast.Call
    direct: bool  # the function queries the session itself (not through a helper)


def sync_session_calls(repo: Repo) -> list[RoleFinding]:
    """One blocking-io-in-async finding per folder whose modules' async functions use a
    synchronous SQLAlchemy session: the routers of one app share the cause and the fix. It
    points at the first direct read (`db.execute(...)`) when there is one."""
    found: list[_Use] = []
    makers = repo_makers(repo)
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        name = _imported_session(tree) or ""
        openers = session_openers(tree, makers)  # `session_makers.py`
        if not (name or openers):
            continue
        helpers = _sync_helpers(tree) | module_helpers(repo, rel, tree)
        held = _session_properties(tree, name)
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)):
            for call, direct in _session_uses(fn, name, helpers, held, openers):
                found.append(_Use(rel, fn.name, call, direct))
    out: list[RoleFinding] = []
    for folder, uses in by_folder(found):
        first = min(uses, key=_shown_first)
        out.append(
            folder_finding(
                repo,
                folder,
                (first.rel, first.function, first.call),
                {(u.rel, u.function) for u in uses},
                does="uses a synchronous SQLAlchemy Session",
                fix="use an AsyncSession, plain def handlers (run in the threadpool) or run the "
                "queries in a thread",
            )
        )
    return out


class _Located(Protocol):
    """A use found in a module of the repository."""

    @property
    def rel(self) -> str: ...


_L = TypeVar("_L", bound=_Located)


def by_folder(uses: Iterable[_L]) -> list[tuple[str, list[_L]]]:
    """`uses` grouped by the folder of their module (the routers of one app), folders in order.

    Example:
        >>> from types import SimpleNamespace as Use
        >>> uses = [Use(rel="api/a.py"), Use(rel="main.py"), Use(rel="api/b.py")]
        >>> [(folder, len(group)) for folder, group in by_folder(uses)]
        [('', 1), ('api', 2)]
    """
    grouped: dict[str, list[_L]] = {}
    for use in uses:
        grouped.setdefault(posixpath.dirname(use.rel), []).append(use)
    return sorted(grouped.items(), key=lambda item: item[0])


def folder_finding(
    repo: Repo,
    folder: str,
    first: tuple[str, str, ast.Call],
    functions: set[tuple[str, str]],
    *,
    does: str,
    fix: str,
) -> RoleFinding:
    """The one blocking-io-in-async finding of a folder whose async functions (`functions`,
    as (path, name)) query a synchronous database: at the `first` call (path, function, call),
    with how far the cause spreads."""
    rel, function, call = first
    modules = len({r for r, _ in functions})
    return finding(
        "blocking-io-in-async",
        rel,
        call.lineno,
        f"{ast.unparse(call.func)}() {does} inside async {function}() ({len(functions)} async "
        f"function(s) in {modules} module(s) of "
        f"{folder + '/' if folder else 'the reviewed folder'} do): each query stalls the event "
        f"loop for every request; {fix}",
        evidence=repo.line_text(rel, call.lineno),
    )


def _shown_first(use: _Use) -> tuple[int, str, int, int]:
    """The use a reader checks first: a direct read (`db.execute(...)`), then a direct write
    (`db.commit()`), then a helper given the session; in path and line order within each."""
    func = use.call.func
    read = use.direct and isinstance(func, ast.Attribute) and func.attr in _READS
    rank = 0 if read else 1 if use.direct else 2
    return rank, use.rel, use.call.lineno, use.call.col_offset


def _imported_session(tree: ast.Module) -> str | None:
    """The local name of `Session` imported from `sqlalchemy.orm` or `sqlmodel`, if any."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in _SYNC_MODULES and not node.level:
            for alias in node.names:
                if alias.name == "Session":
                    return alias.asname or alias.name
    return None


def _sessions(
    fn: ast.AsyncFunctionDef, name: str, openers: frozenset[str] = frozenset()
) -> set[str]:
    """Names in `fn` holding a synchronous session: parameters annotated with it (`db:
    Session`), and names bound to `Session(...)` or entered as `with Session(...) as s:`, or
    made by one of `openers` (`with get_session() as s:`, `session_makers.py`)."""
    made = openers | {name}
    params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    out = {
        a.arg
        for a in params
        if a.annotation is not None and ast.unparse(a.annotation) in (name, f"Optional[{name}]")
    }
    for node in own_nodes(fn):
        if isinstance(node, ast.Assign) and _made(node.value, made):
            out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.With):
            out |= {
                item.optional_vars.id
                for item in node.items
                if isinstance(item.optional_vars, ast.Name) and _made(item.context_expr, made)
            }
    return out


def _made(expr: ast.expr, names: frozenset[str]) -> bool:
    """`Session(engine)`, `SessionLocal()`: a new synchronous session."""
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in names


def _session_properties(tree: ast.Module, name: str) -> frozenset[str]:
    """`self.db_session` for each property of the module's classes that returns a synchronous
    session (`@property def db_session(self) -> Session:`, warren's indicator cache mixin):
    every async method that queries it queries a synchronous session."""
    return frozenset(
        f"self.{fn.name}"
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef)
        and fn.returns is not None
        and ast.unparse(fn.returns) == name
        and any(_dotted_end(d) in ("property", "cached_property") for d in fn.decorator_list)
    )


def _dotted_end(node: ast.expr) -> str:
    """`cached_property` for `functools.cached_property`, `property` for `property`."""
    return ast.unparse(node).rsplit(".", 1)[-1]


def _session_uses(
    fn: ast.AsyncFunctionDef,
    name: str,
    helpers: set[str],
    held: frozenset[str] = frozenset(),
    openers: frozenset[str] = frozenset(),
) -> list[tuple[ast.Call, bool]]:
    """The calls of `fn` (not of its nested functions) that query one of its synchronous
    sessions (direct: True), or hand one to a synchronous helper (False); `held` names the
    sessions it reaches through a property of its class (`self.db_session`)."""
    sessions = _sessions(fn, name, openers) | (
        held if fn.args.args[:1] and fn.args.args[0].arg == "self" else set()
    )
    if not sessions:
        return []
    nodes = own_nodes(fn)
    awaited = {id(n.value) for n in nodes if isinstance(n, ast.Await)}
    wrapped = {
        id(a)
        for n in nodes
        if isinstance(n, ast.Call)
        for a in [*n.args, *(k.value for k in n.keywords)]
    }
    out: list[tuple[ast.Call, bool]] = []
    for call in (n for n in nodes if isinstance(n, ast.Call)):
        if _queries(call, sessions):
            out.append((call, True))
        elif (
            id(call) not in awaited | wrapped
            and _sync_helper(call, helpers)
            and _given(call, sessions)
        ):
            out.append((call, False))
    return out


def _queries(call: ast.Call, sessions: set[str]) -> bool:
    """`db.execute(...)`, `session.scalars(...)`: a round trip on one of the sessions."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in _ROUND_TRIPS
        and isinstance(func.value, ast.Name | ast.Attribute)
        and ast.unparse(func.value) in sessions
    )


def _sync_helpers(tree: ast.Module) -> set[str]:
    """Names of the module's own plain `def` functions and of the functions it imports by name:
    called without `await`, each runs to its end right there."""
    own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    imported = {
        a.asname or a.name
        for n in tree.body
        if isinstance(n, ast.ImportFrom)
        for a in n.names
        if a.name[:1].islower()
    }
    return own | imported


def _sync_helper(call: ast.Call, helpers: set[str]) -> bool:
    """`validate_user_id(db, ...)` (a helper of `helpers`) or `FidesUser.get(db=db, ...)` (a
    model's class method): a function that queries the session it is given, not a service
    object's method, which may hand it on to a thread."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in helpers
    if ast.unparse(func) in helpers:  # `database.get_chats`: a module's function (`module_helpers`)
        return True
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id[:1].isupper()
        and func.attr[:1].islower()
    )


def _given(call: ast.Call, sessions: set[str]) -> bool:
    """One of the sessions is an argument of `call`."""
    return any(
        isinstance(a, ast.Name) and a.id in sessions
        for a in [*call.args, *(k.value for k in call.keywords)]
    )
