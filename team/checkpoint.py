"""Compact SQLite checkpointers: each thread keeps its latest checkpoint only, compressed.

LangGraph's SQLite savers keep every checkpoint of a thread, and each holds the whole state: a
run's store grew with the square of its length, because every step saved the full message list
with every tool output again. Resuming needs only the latest checkpoint and its pending writes,
so that is what these savers keep (no time travel through old steps, which nothing here uses),
and blobs over a few hundred bytes are stored zlib-compressed. Stores written before remain
readable: uncompressed rows load as they are.
"""

from __future__ import annotations

import zlib
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

__all__ = ["AsyncCompactSqliteSaver", "CompactSqliteSaver", "CompressedSerializer"]

_ZLIB = "+zlib"
_SMALLEST = 256  # bytes: below this, compressing does not pay for itself


class CompressedSerializer:
    """Wraps a LangGraph serializer: blobs of ``_SMALLEST`` bytes or more are zlib-compressed,
    marked by a ``+zlib`` suffix on their type tag.

    Example:
        >>> from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
        >>> serde = CompressedSerializer(JsonPlusSerializer())
        >>> kind, blob = serde.dumps_typed({"text": "tool output " * 100})
        >>> kind, len(blob) < 100, serde.loads_typed((kind, blob)) == {"text": "tool output " * 100}
        ('msgpack+zlib', True, True)
    """

    def __init__(self, inner: Any):
        self.inner = inner

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        kind, data = self.inner.dumps_typed(obj)
        if len(data) < _SMALLEST:
            return kind, data
        return kind + _ZLIB, zlib.compress(data, 6)

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        kind, blob = data
        if kind.endswith(_ZLIB):
            return self.inner.loads_typed((kind.removesuffix(_ZLIB), zlib.decompress(blob)))
        return self.inner.loads_typed(data)


# Checkpoint ids sort by time. Only older rows go: the writes of a newer step may be saved
# before the put of its checkpoint comes through (LangGraph saves in the background).
_DROP_OLDER = "DELETE FROM {table} WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id < ?"


def _older(saved: Any) -> tuple[str, str, str]:
    configurable = saved["configurable"]
    return (
        str(configurable["thread_id"]),
        configurable["checkpoint_ns"],
        configurable["checkpoint_id"],
    )


class CompactSqliteSaver(SqliteSaver):
    """A ``SqliteSaver`` that keeps each thread's latest checkpoint only, compressed.

    Example:
        >>> import sqlite3
        >>> saver = CompactSqliteSaver(sqlite3.connect(":memory:", check_same_thread=False))
        >>> from team import Team, run_team
        >>> _ = run_team(Team.load(), "Plan the launch", thread_id="t1", checkpointer=saver)
        >>> saver.conn.execute("SELECT count(*) FROM checkpoints").fetchone()
        (1,)
    """

    def __init__(self, conn: Any) -> None:
        super().__init__(conn)
        self.serde = CompressedSerializer(self.serde)

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        saved = super().put(config, checkpoint, metadata, new_versions)
        with self.cursor() as cur:
            for table in ("checkpoints", "writes"):
                cur.execute(_DROP_OLDER.format(table=table), _older(saved))
        return saved


class AsyncCompactSqliteSaver(AsyncSqliteSaver):
    """The async twin of ``CompactSqliteSaver`` (``team serve``, ``team mcp``)."""

    def __init__(self, conn: Any) -> None:
        super().__init__(conn)
        self.serde = CompressedSerializer(self.serde)

    async def aput(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        saved = await super().aput(config, checkpoint, metadata, new_versions)
        async with self.lock:
            for table in ("checkpoints", "writes"):
                await self.conn.execute(_DROP_OLDER.format(table=table), _older(saved))
            await self.conn.commit()
        return saved
