"""Where teamgraph keeps conversations: ``TEAM_HOME`` (default: the user's data folder)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from team.errors import TeamError

__all__ = ["sqlite_checkpointer", "team_home"]


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


@contextmanager
def sqlite_checkpointer(path: Path | None = None) -> Iterator[Any]:
    """A LangGraph ``SqliteSaver`` on ``path`` (default ``TEAM_HOME/threads.sqlite``).

    Example:
        >>> from team import Team, run_team
        >>> with sqlite_checkpointer() as saver:
        ...     run_team(Team.load(), "Plan the launch", thread_id="t1", checkpointer=saver).visited
        ['pm']
    """
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = path or team_home() / "threads.sqlite"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise TeamError(f"cannot open the conversation store: {exc}", path=path) from None
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()
