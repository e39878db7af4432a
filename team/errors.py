"""The one error type users see: a message that names the file and line, or the value."""

from __future__ import annotations

from pathlib import Path

__all__ = ["TeamError"]


class TeamError(ValueError):
    """A problem with something the user gave: a card, topology, scenario, path or model reply.

    The CLI prints ``str(error)`` as one line and exits with code 2; nothing else is shown.

    Args:
        message: What is wrong, in one sentence.
        path: The file the problem is in, if any.
        line: The 1-based line in ``path``, if known.

    Example:
        >>> str(TeamError("card has no '## Triggers' section", path="agents/x.md", line=1))
        "agents/x.md:1: card has no '## Triggers' section"
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
