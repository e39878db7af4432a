"""A database connection that a class of the application opens for each request.

LibreTranslate's `/suggest` ends with `SuggestionsDatabase().add(q, s, source, target)`: the
class (`suggestions.py`) opens `sqlite3.connect(db_path)` in its `__init__` and runs `CREATE
TABLE IF NOT EXISTS` on it, so every suggestion opens a new connection, creates the table again
and leaves the connection to the garbage collector, while the app builds its API-key database
(the same kind of class) once at start-up. For a database server the same code is a TCP and
login handshake per request, and a connection the server holds until the collector runs.

Precision first: the class is the repository's own (defined in the handler's module or imported
from one of the repository's by a `from` import), its `__init__` binds an attribute to the
connection (`self.c = sqlite3.connect(...)`, `psycopg2.connect`, `create_engine`, ...), and the
handler calls it inline or binds it to a local name, never enters it with `with` and closes
nothing. A connection kept on the request context (`g.db = Database()`) is closed by the app's
teardown, as Flask's tutorial does, and is left alone. One finding per class, at the first
handler's call, with the other places in the message: the fix is one change.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Hashable

from team.audit.core import RoleFinding, finding, one_per_cause
from team.audit.endpoints import Endpoint
from team.audit.repo import Repo, is_test
from team.audit.route_strings import _module_rel

__all__ = ["connections_per_request"]

_CONNECTS = frozenset(
    [
        "sqlite3.connect",
        "duckdb.connect",
        "psycopg2.connect",
        "psycopg.connect",
        "pymysql.connect",
        "MySQLdb.connect",
        "mysql.connector.connect",
        "create_engine",
        "sqlalchemy.create_engine",
        "pymongo.MongoClient",
        "MongoClient",
    ]
)
_DDL = re.compile(r"(?i)\bcreate\s+(?:table|index)\b")


def _opens(cls: ast.ClassDef) -> tuple[ast.Call, bool] | None:
    """The connect call `__init__` binds to an attribute of `self`, and whether `__init__`
    also creates a table or an index."""
    init = next(
        (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
    )
    if init is None:
        return None
    connect = next(
        (
            n.value
            for n in ast.walk(init)
            if isinstance(n, ast.Assign)
            and isinstance(n.value, ast.Call)
            and ast.unparse(n.value.func) in _CONNECTS
            and any(ast.unparse(t).startswith("self.") for t in n.targets)
        ),
        None,
    )
    if connect is None:
        return None
    ddl = any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _DDL.search(n.value)
        for n in ast.walk(init)
    )
    return connect, ddl


def _classes(rel: str, by_rel: dict[str, ast.Module]) -> dict[str, tuple[str, ast.ClassDef]]:
    """The classes module `rel` names: its own, and those it imports from the repository's
    modules by a `from` import (under their local name)."""
    tree = by_rel[rel]
    named = {n.name: (rel, n) for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        other = _module_rel(rel, node, by_rel)
        if other is None or other == rel:
            continue
        defined = {n.name: n for n in by_rel[other].body if isinstance(n, ast.ClassDef)}
        for alias in node.names:
            if alias.name in defined:
                named[alias.asname or alias.name] = (other, defined[alias.name])
    return named


def _kept_or_closed(fn: ast.AST, call: ast.Call) -> bool:
    """The handler enters the instance with `with`, stores it on an object (the request
    context, the app), or closes something."""
    for n in ast.walk(fn):
        if isinstance(n, ast.With | ast.AsyncWith) and any(i.context_expr is call for i in n.items):
            return True
        if (
            isinstance(n, ast.Assign)
            and n.value is call
            and not all(isinstance(t, ast.Name) for t in n.targets)
        ):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "close":
            return True
    return False


def connections_per_request(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """resource-loaded-per-request: a handler that builds one of the repository's classes whose
    `__init__` opens a database connection, and never closes it."""
    out: list[tuple[Hashable, RoleFinding]] = []
    handled = [e for e in endpoints if e.node is not None]
    by_rel = {r: t for r, t in repo.modules() if not is_test(r)} if handled else {}
    for e in handled:
        if e.file not in by_rel or e.node is None:
            continue
        classes = _classes(e.file, by_rel)
        for call in (n for n in ast.walk(e.node) if isinstance(n, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else ""
            rel, cls = classes.get(name, ("", None))
            opens = _opens(cls) if cls else None
            if cls is None or opens is None or _kept_or_closed(e.node, call):
                continue
            connect, ddl = opens
            schema = ", creates its table again" if ddl else ""
            message = (
                f"{e.method} {e.path} builds {name}() on every request, which opens a new "
                f"database connection ({ast.unparse(connect.func)} in {rel}:{connect.lineno})"
                f"{schema} and never closes it; open it once at start-up (or take it from a "
                "pool) and reuse it"
            )
            f = finding(
                "resource-loaded-per-request",
                e.file,
                call.lineno,
                message,
                evidence=repo.line_text(e.file, call.lineno),
            )
            out.append(((rel, cls.name), f))
            break
    return one_per_cause(out)
