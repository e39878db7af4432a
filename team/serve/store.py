"""Where the server keeps conversations: an async LangGraph checkpointer chosen by a URL.

- no URL: SQLite at ``TEAM_HOME/threads.sqlite`` (the file ``team run`` uses too);
- a file path or ``sqlite:///abs/path.sqlite``: SQLite there;
- ``postgresql://user:pass@host:port/db``: PostgreSQL (``pip install 'teamgraph[postgres]'``),
  so several servers share conversations;
- ``memory``: nothing persists (benchmarks, throwaway servers).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from team.errors import TeamError
from team.home import check_store, default_store

__all__ = ["describe_checkpoint", "open_checkpointer"]

_POSTGRES = ("postgresql://", "postgres://")
_SETUP_LOCK = 0x7E46_5E4F  # a pg advisory lock id: servers starting together migrate one at a time


def describe_checkpoint(checkpoint: str | None) -> str:
    """Where threads live, printable (a PostgreSQL password is masked).

    Example:
        >>> describe_checkpoint("postgresql://app:secret@127.0.0.1:5432/team")
        'postgresql://app:***@127.0.0.1:5432/team'
        >>> describe_checkpoint("postgresql:///team?host=/run/pg&password=secret")
        'postgresql:///team?host=/run/pg&password=***'
    """
    if checkpoint and checkpoint.startswith(_POSTGRES):
        for secret in _passwords(checkpoint):
            checkpoint = checkpoint.replace(secret, "***")
        return checkpoint
    if checkpoint == "memory":
        return "memory (not persisted)"
    return f"sqlite {_sqlite_path(checkpoint)}"


def _passwords(url: str) -> list[str]:
    """The password of a PostgreSQL URL, in ``user:password@`` or ``?password=`` form."""
    found = re.findall(r"^\w+://[^:/@?#]*:([^@/?#]*)@", url)
    found += re.findall(r"(?i)[?&]password=([^&#]*)", url)
    return [p for p in found if p]


def _sqlite_path(checkpoint: str | None) -> Path:
    if not checkpoint:
        return default_store()
    if checkpoint.startswith("sqlite://"):
        return Path(checkpoint.removeprefix("sqlite://")).expanduser()
    if "://" in checkpoint:
        raise TeamError(
            f"unknown checkpoint URL scheme {checkpoint.split('://')[0]!r}: "
            "use a file path, sqlite:///path, postgresql://... or memory"
        )
    return Path(checkpoint).expanduser()


@asynccontextmanager
async def open_checkpointer(checkpoint: str | None = None) -> AsyncIterator[Any]:
    """An async LangGraph checkpointer for ``checkpoint`` (see the module docstring), set up.

    Must be entered in the event loop that will use it.

    Raises:
        TeamError: The store cannot be opened (one line; never includes a password).

    Example (with a PostgreSQL at that address)::

        async with open_checkpointer("postgresql://127.0.0.1:5432/team") as saver:
            await Engine(Team.load(), checkpointer=saver).achat("hi", thread_id="t")
    """
    if checkpoint == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
    elif checkpoint is not None and checkpoint.startswith(_POSTGRES):
        async with _postgres(checkpoint) as saver:
            yield saver
    else:
        async with _sqlite(_sqlite_path(checkpoint)) as saver:
            yield saver


@asynccontextmanager
async def _sqlite(path: Path) -> AsyncIterator[Any]:
    import sqlite3

    import aiosqlite

    from team.checkpoint import AsyncCompactSqliteSaver

    check_store(path)  # a damaged or read-only store: one line before anything starts
    try:
        conn = await aiosqlite.connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise TeamError(f"cannot open the conversation store: {exc}", path=path) from None
    try:
        saver = AsyncCompactSqliteSaver(conn)  # each thread's latest checkpoint, compressed
        try:
            await conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # a new store only
            await saver.setup()  # WAL mode
            # Commits survive a killed process; only an OS crash may lose the last ones.
            await conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise TeamError(f"cannot open the conversation store: {exc}", path=path) from None
        yield saver
        await conn.executescript("PRAGMA incremental_vacuum")  # free pages back to the disk
    finally:
        await conn.close()


@asynccontextmanager
async def _postgres(url: str) -> AsyncIterator[Any]:
    try:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg import AsyncConnection
        from psycopg import Error as PsycopgError
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool, PoolTimeout
    except ImportError:
        raise TeamError(
            "a postgresql:// checkpoint needs the postgres extra: pip install 'teamgraph[postgres]'"
        ) from None
    where = describe_checkpoint(url)
    pool = AsyncConnectionPool(
        url,
        min_size=1,
        max_size=4,
        open=False,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        check=AsyncConnectionPool.check_connection,
    )
    try:
        try:
            # One direct connection first: a wrong URL fails now, not after the pool's retries.
            probe = await AsyncConnection.connect(url, connect_timeout=10)
            await probe.close()
            await pool.open(wait=True, timeout=15)
            saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
            async with pool.connection() as conn:
                await conn.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
                try:
                    await saver.setup()
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        except (PoolTimeout, PsycopgError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            for secret in _passwords(url):  # a parse error may quote the URL back
                first = first.replace(secret, "***")
            raise TeamError(
                f"cannot open the PostgreSQL conversation store {where}: {first}"
            ) from None
        yield saver
    finally:
        await pool.close()
