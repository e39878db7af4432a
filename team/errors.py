"""The one error type users see: a message that names the file and line, or the value."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["StopRun", "TeamError", "held_back", "live_secrets", "mask", "scrub"]

_SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "TEAM_API_TOKEN")


def held_back(text: str) -> tuple[str, str]:
    """Split streamed text into what can be shown now, keys masked, and a tail to hold until
    more arrives: a key cut between two chunks would otherwise get out in halves.

    Example:
        >>> import os
        >>> os.environ["OPENAI_API_KEY"] = "sk-0123456789"
        >>> shown, tail = held_back("the key is sk-0123")
        >>> shown, tail
        ('the ke', 'y is sk-0123')
        >>> held_back(tail + "456789, keep it safe")
        ('y is ***, ', 'keep it safe')
        >>> del os.environ["OPENAI_API_KEY"]
    """
    longest = max((len(os.environ.get(name, "")) for name in _SECRET_ENV), default=0)
    masked = scrub(text)
    keep = longest - 1 if longest >= 6 else 0
    if keep <= 0:
        return masked, ""
    return masked[:-keep], masked[-keep:]


def scrub(text: str, *secrets: str) -> str:
    """Remove API keys from a text that may reach a user, a log or a trace.

    Example:
        >>> scrub("key sk-ant-123456 leaked", "sk-ant-123456")
        'key *** leaked'
    """
    return mask(text, live_secrets(*secrets))


def live_secrets(*secrets: str) -> tuple[str, ...]:
    """The keys ``scrub`` masks now: ``secrets`` and the API keys in the environment (read once
    here, so a caller masking many texts reads the environment once).

    Example:
        >>> live_secrets("sk-ant-123456", "short")
        ('sk-ant-123456',)
    """
    found = (*secrets, *(os.environ.get(name, "") for name in _SECRET_ENV))
    return tuple(secret for secret in found if secret and len(secret) >= 6)


def mask(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with each of ``secrets`` (from ``live_secrets``) replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


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


class StopRun(TeamError):
    """Stops a run where it is, instead of becoming a failed model call the run reports:
    a replay that does not match its recording, a spent budget."""
