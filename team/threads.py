"""The threads in a conversation store: list, show, delete, and prune the old ones.

What ``team threads list|show|delete|prune`` does, for the SQLite store every command keeps
(``TEAM_HOME/threads.sqlite`` unless ``store`` names another file). Deleting gives the space back
to the file.

Example:
    >>> import tempfile
    >>> from team import Team, run_team
    >>> from team.home import sqlite_checkpointer
    >>> store = Path(tempfile.mkdtemp()) / "threads.sqlite"
    >>> with sqlite_checkpointer(store) as saver:
    ...     _ = run_team(Team.load(), "Plan the launch", thread_id="t1", checkpointer=saver)
    >>> [(t.thread_id, t.visited, t.outcome) for t in list_threads(store=store)]
    [('t1', ['pm'], 'done')]
    >>> prune_threads(timedelta(days=30), store=store)
    []
    >>> delete_thread("t1", store=store)
    >>> list_threads(store=store)
    []
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from team.errors import TeamError
from team.home import default_store, sqlite_checkpointer

__all__ = [
    "ThreadInfo",
    "delete_thread",
    "list_threads",
    "parse_duration",
    "prune_threads",
    "show_thread",
]

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class ThreadInfo:
    """One thread as its latest checkpoint has it.

    Attributes:
        thread_id: The thread.
        updated: When it last changed (UTC).
        turns: The user messages, in order.
        visited: The roles in the order they took the work.
        outcome: How the last turn ended (``""`` while a turn is unfinished).
        handoffs: Every handoff (source, target, criterion, reason, step, turn).
        deliverables: Each role's latest deliverable.
        bytes: What the thread takes in the store.
    """

    thread_id: str
    updated: datetime
    turns: list[str]
    visited: list[str]
    outcome: str
    handoffs: list[dict[str, Any]] = field(repr=False)
    deliverables: dict[str, str] = field(repr=False)
    bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["updated"] = self.updated.isoformat()
        return data


def parse_duration(text: str) -> timedelta:
    """A duration like ``30d``, ``12h``, ``90m``, ``2w`` or ``45s``.

    Raises:
        TeamError: Anything else.

    Example:
        >>> parse_duration("36h")
        datetime.timedelta(days=1, seconds=43200)
    """
    found = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text or "")
    if found is None:
        raise TeamError(f"duration {text!r}: give a number and a unit, s m h d or w (e.g. 30d)")
    return timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})


def _info(saver: Any, thread_id: str) -> ThreadInfo | None:
    saved = saver.get_tuple({"configurable": {"thread_id": thread_id}})
    if saved is None:
        return None
    values = saved.checkpoint.get("channel_values", {})
    messages = values.get("messages", [])
    (size,) = saver.conn.execute(
        "SELECT coalesce(sum(length(checkpoint) + length(metadata)), 0) FROM checkpoints "
        "WHERE thread_id = ?",
        (thread_id,),
    ).fetchone()
    (writes,) = saver.conn.execute(
        "SELECT coalesce(sum(length(value)), 0) FROM writes WHERE thread_id = ?", (thread_id,)
    ).fetchone()
    return ThreadInfo(
        thread_id=thread_id,
        updated=datetime.fromisoformat(saved.checkpoint["ts"]).astimezone(UTC),
        turns=[str(m.content) for m in messages if m.type == "human"],
        visited=list(values.get("visited", [])),
        outcome=values.get("outcome") or "",
        handoffs=[dict(h) for h in values.get("handoffs", [])],
        deliverables=dict(values.get("deliverables", {})),
        bytes=size + writes,
    )


def _thread_ids(saver: Any) -> list[str]:
    saver.setup()  # a new store has no tables yet
    rows = saver.conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id")
    return [thread_id for (thread_id,) in rows]


def list_threads(*, store: Path | None = None) -> list[ThreadInfo]:
    """Every thread in the store, the most recently updated first.

    Raises:
        TeamError: The store cannot be used (see ``team.home.check_store``).
    """
    with sqlite_checkpointer(store) as saver:
        found = [_info(saver, thread_id) for thread_id in _thread_ids(saver)]
    return sorted((t for t in found if t), key=lambda t: t.updated, reverse=True)


def show_thread(thread_id: str, *, store: Path | None = None) -> ThreadInfo:
    """One thread.

    Raises:
        TeamError: No such thread, or the store cannot be used.
    """
    with sqlite_checkpointer(store) as saver:
        info = _info(saver, thread_id)
    if info is None:
        raise TeamError(f"no thread {thread_id!r}", path=store or default_store())
    return info


def delete_thread(thread_id: str, *, store: Path | None = None) -> None:
    """Delete a thread and everything saved for it.

    Raises:
        TeamError: No such thread, or the store cannot be used.
    """
    with sqlite_checkpointer(store) as saver:
        if thread_id not in _thread_ids(saver):
            raise TeamError(f"no thread {thread_id!r}", path=store or default_store())
        saver.delete_thread(thread_id)


def prune_threads(
    older_than: timedelta, *, store: Path | None = None, now: datetime | None = None
) -> list[str]:
    """Delete the threads not updated for ``older_than``; return their ids.

    Raises:
        TeamError: A negative duration, or the store cannot be used.
    """
    if older_than < timedelta(0):
        raise TeamError(f"prune: the age must not be negative, got {older_than}")
    cutoff = (now or datetime.now(UTC)) - older_than
    with sqlite_checkpointer(store) as saver:
        old = [
            info.thread_id
            for info in (_info(saver, thread_id) for thread_id in _thread_ids(saver))
            if info is not None and info.updated < cutoff
        ]
        for thread_id in old:
            saver.delete_thread(thread_id)
    return old
