"""Where teamgraph keeps conversations: ``TEAM_HOME`` (default: the user's data folder)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from team.errors import TeamError

__all__ = ["check_store", "default_store", "sqlite_checkpointer", "team_home"]

BUSY_SECONDS = 10.0
"""How long a command waits for another process's write on the store before giving up."""

# The columns LangGraph's SQLite savers read and write; a table without them is someone else's.
_SCHEMA = {
    "checkpoints": {"thread_id", "checkpoint_ns", "checkpoint_id", "parent_checkpoint_id",
                    "type", "checkpoint", "metadata"},
    "writes": {"thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx", "channel",
               "type", "value"},
}  # fmt: skip


def team_home() -> Path:
    """``$TEAM_HOME``, else ``$XDG_DATA_HOME/teamgraph``, else ``~/.local/share/teamgraph``.

    Example:
        >>> import os
        >>> os.environ["TEAM_HOME"] = "/srv/team"
        >>> team_home()
        PosixPath('/srv/team')
    """
    if os.environ.get("TEAM_HOME"):
        return Path(os.environ["TEAM_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "teamgraph"


def default_store() -> Path:
    """``TEAM_HOME/threads.sqlite``: where every command keeps conversations by default."""
    return team_home() / "threads.sqlite"


def check_store(path: Path) -> None:
    """Check that the SQLite conversation store at ``path`` can be read and written.

    A missing file is fine (it is created). Nothing in the store changes.

    Raises:
        TeamError: One line naming the file (or its folder) and the fix: the folder cannot be
            created or written, the file is read-only, not a database, damaged (truncated), or
            a database of another schema.

    Example:
        >>> import tempfile
        >>> store = Path(tempfile.mkdtemp()) / "threads.sqlite"
        >>> _ = store.write_bytes(b"not a database" * 100)
        >>> check_store(store)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        team.errors.TeamError: .../threads.sqlite: the conversation store is damaged (file is not a database): move it aside (its threads are lost) or use another store file
    """
    elsewhere = _elsewhere(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TeamError(
            f"cannot create the conversation store's folder ({exc.strerror}): {elsewhere}",
            path=path.parent,
        ) from None
    if path.exists() and not path.is_file():
        raise TeamError(f"the conversation store is not a file: {elsewhere}", path=path)
    # Asked of the OS before SQLite opens anything: a read-only WAL store would leave files.
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError:
        raise _unwritable_folder(path) from None
    try:
        with path.open("r+b") if path.exists() else contextlib.nullcontext():
            pass
    except PermissionError:
        raise _read_only(path) from None
    if path.exists() and _truncated(path):
        raise _damaged(path, "truncated")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise _store_error(path, exc) from None
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        for table in sorted(tables & set(_SCHEMA)):
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if missing := sorted(_SCHEMA[table] - columns):
                raise TeamError(
                    f"the conversation store is not teamgraph's (table {table!r} has no "
                    f"{missing[0]!r} column): move it aside or {elsewhere}",
                    path=path,
                )
        # Writing needs the file and, for its journal, the folder: try it, then roll back.
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE teamgraph_write_check (x)")
        conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise _store_error(path, exc) from None
    finally:
        conn.close()


def _truncated(path: Path) -> bool:
    """Whether the file is shorter than the page count its SQLite header records."""
    with path.open("rb") as file:
        header = file.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False  # not SQLite at all: opening it says so
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's count is valid when its change counter matches the version-valid-for one.
    valid = header[24:28] == header[92:96] and pages > 0
    return valid and path.stat().st_size < pages * page_size


def _elsewhere(path: Path) -> str:
    if path == default_store():
        return "set TEAM_HOME to another folder"
    return "use another store file"


def _read_only(path: Path) -> TeamError:
    return TeamError(
        f"the conversation store is read-only: make it writable or {_elsewhere(path)}", path=path
    )


def _unwritable_folder(path: Path) -> TeamError:
    return TeamError(
        f"the conversation store's folder is not writable: make it writable or {_elsewhere(path)}",
        path=path.parent,
    )


def _damaged(path: Path, why: str) -> TeamError:
    return TeamError(
        f"the conversation store is damaged ({why}): "
        f"move it aside (its threads are lost) or {_elsewhere(path)}",
        path=path,
    )


def _store_error(path: Path, exc: sqlite3.Error) -> TeamError:
    """What a SQLite error on the store means to a user, and what to do about it."""
    message = str(exc)
    if "readonly" in message:
        return _read_only(path)
    if "unable to open" in message:
        return _unwritable_folder(path)
    if "locked" in message:
        return TeamError(
            f"the conversation store is locked by another process: stop it or {_elsewhere(path)}",
            path=path,
        )
    return _damaged(path, message)


@contextmanager
def sqlite_checkpointer(path: Path | None = None) -> Iterator[Any]:
    """A compact LangGraph SQLite saver (``team.checkpoint``) on ``path`` (default
    ``TEAM_HOME/threads.sqlite``), checked first (``check_store``).

    Raises:
        TeamError: The store cannot be used, at the start or while it is in use.

    Example:
        >>> from team import Team, run_team
        >>> with sqlite_checkpointer() as saver:
        ...     run_team(Team.load(), "Plan the launch", thread_id="t1", checkpointer=saver).visited
        ['pm']
    """
    from team.checkpoint import CompactSqliteSaver

    path = path or default_store()
    check_store(path)
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect in a new store only
        yield CompactSqliteSaver(conn)
        conn.executescript("PRAGMA incremental_vacuum")  # free pages go back to the disk
    except sqlite3.DatabaseError as exc:
        # Damage found while a run reads or writes: the same one line as at the start.
        raise _store_error(path, exc) from None
    finally:
        conn.close()
