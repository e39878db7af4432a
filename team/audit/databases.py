"""Which database a repository talks to, read from the code that opens it.

An app whose every database is a SQLite file (calibre-web's `create_engine('sqlite:///...')` on
its metadata.db and app.db) runs its queries in its own process: a query per row costs a
function call into the library, not a network round trip, so the N+1 rule (`performance.py`)
leaves it alone. SQLite's own documentation says as much ("Many Small Queries Are Efficient In
SQLite"). An app that opens any other database, names a client/server driver, or is a Django
project (its database is set in settings, usually PostgreSQL) is not in-process.

What still costs there is a write transaction per pass: SQLite syncs the file on every commit
(calibre-web's Kobo sync committing one reading state per book, sqlite-utils' `update` per row
in its own `with conn:` transaction), so a pass that commits, or deletes or updates through a
query, is still reported (`commits_per_pass`).
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import Key, callee, units
from team.audit.repo import Repo, is_test

__all__ = ["commits_per_pass", "in_process_only"]

# calls that open a database: SQLAlchemy engines, the sqlite3/aiosqlite modules, peewee, Pony
_OPENERS = frozenset({"create_engine", "create_async_engine", "connect", "SqliteDatabase", "bind"})
_SQLITE_MODULES = frozenset({"sqlite3", "aiosqlite", "apsw"})
# a client/server database or a framework whose database lives in settings
_SERVER_DRIVERS = re.compile(
    r"^(?:psycopg\w*|asyncpg|pymysql|MySQLdb|mysql|aiomysql|pymongo|motor|cx_Oracle|oracledb"
    r"|pyodbc|django|peewee_async|databases|tortoise)$"
)
_SERVER_URL = re.compile(r"(?i)postgres|mysql|mariadb|oracle|mssql|mongodb|cockroach")


def in_process_only(repo: Repo) -> bool:
    """Whether every database the repository opens is a SQLite file, and it opens one.

    Example:
        >>> import ast
        >>> _opens_sqlite(ast.parse("e = create_engine('sqlite:///app.db')").body[0].value)
        True
    """
    if "in_process_only" not in repo.memo:
        repo.memo["in_process_only"] = _in_process_only(repo)
    return bool(repo.memo["in_process_only"])


def _in_process_only(repo: Repo) -> bool:
    opened = False
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and _server_import(node):
                return False
            if _server_url(node):
                return False
            if isinstance(node, ast.Call) and _name(node.func) in _OPENERS:
                if _opens_sqlite(node):
                    opened = True
                elif _name(node.func) not in ("connect", "bind"):
                    return False  # an engine on a URL we cannot read: settings, an env var
    return opened


def _server_url(node: ast.AST) -> bool:
    """A string naming a client/server database URL (`postgresql://...`)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "://" in node.value
        and bool(_SERVER_URL.search(node.value))
    )


def _server_import(node: ast.Import | ast.ImportFrom) -> bool:
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    return any(_SERVER_DRIVERS.match(n.split(".")[0]) for n in names)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _opens_sqlite(call: ast.Call) -> bool:
    """`create_engine('sqlite:///{0}'.format(path))`, `create_engine(f"sqlite:///{p}")`,
    `sqlite3.connect(path)`, `SqliteDatabase(path)`, Pony's `db.bind(provider='sqlite', ...)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and ast.unparse(func.value) in _SQLITE_MODULES:
        return True
    if _name(func) == "SqliteDatabase":
        return True
    first = call.args[0] if call.args else None
    text = ast.unparse(first) if first is not None else ""
    provider = next((k.value for k in call.keywords if k.arg == "provider"), None)
    if provider is not None:
        text = ast.unparse(provider)
    return bool(re.match(r"""^[fbr]?['"]sqlite""", text))


_COMMITS = frozenset({"commit", "session_commit"})
_BULK_WRITES = frozenset({"delete", "update"})


def _commits(node: ast.AST) -> bool:
    """`session.commit()`, `query(...).filter(...).delete()` (a chained query's bulk write), or
    `with conn:` / `with self.db.conn:` (a sqlite3 connection commits when the block ends)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute | ast.Name):
            name = _name(sub.func)
            if name in _COMMITS:
                return True
            if (
                name in _BULK_WRITES
                and isinstance(sub.func, ast.Attribute)
                and isinstance(sub.func.value, ast.Call)
            ):
                return True
        if isinstance(sub, ast.With | ast.AsyncWith) and any(
            re.search(r"(?:^|\.)conn(?:ection)?$", ast.unparse(i.context_expr)) for i in sub.items
        ):
            return True
    return False


def _committing(repo: Repo) -> set[Key]:
    """The repository's functions and methods that commit a transaction themselves."""
    if "committing" not in repo.memo:
        repo.memo["committing"] = {
            (rel, f"{cls}.{name}" if cls else name)
            for rel, tree in repo.modules()
            for cls, name, node in units(tree)
            if _commits(node)
        }
    return set(repo.memo["committing"])


def commits_per_pass(
    repo: Repo,
    body: list[ast.AST],
    where: tuple[str, str, set[str], dict[str, Key]],
) -> bool:
    """Whether a loop's pass commits: directly, or through a function of the repository that
    commits (`get_or_create_reading_state(book_id)` ending in `session_commit()`). `where` is
    (file, enclosing class, the module's function names, its imported names), to resolve calls.

    Example:
        >>> import ast
        >>> from pathlib import Path
        >>> loop = ast.parse("for b in books:\\n    q(b).filter(x).delete()").body[0]
        >>> commits_per_pass(Repo(Path(".")), loop.body, ("m.py", "", set(), {}))
        True
    """
    if any(_commits(stmt) for stmt in body):
        return True
    committing = _committing(repo)
    rel, cls, local, imported = where
    return any(
        callee(c, rel, cls, local, imported) in committing
        for stmt in body
        for c in ast.walk(stmt)
        if isinstance(c, ast.Call)
    )
