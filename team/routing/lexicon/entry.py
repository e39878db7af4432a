"""A lexicon entry: a compiled pattern of everyday words and the card words it means."""

from __future__ import annotations

import re

__all__ = ["Entry", "entries"]

Entry = tuple[re.Pattern[str], str]


def entries(*pairs: tuple[str, str]) -> tuple[Entry, ...]:
    """Compile (pattern, card words) pairs, ignoring case.

    Example:
        >>> pattern, words = entries(("on duty", "on-call alerting"))[0]
        >>> bool(pattern.search("who is ON DUTY tonight")), words
        (True, 'on-call alerting')
    """
    return tuple((re.compile(pattern, re.IGNORECASE), words) for pattern, words in pairs)
