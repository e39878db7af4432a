"""The review findings a run reported, read back from its ``review`` tool results, with the
cited lines of the repository embedded as excerpts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Excerpt", "ReportedFinding", "findings_of", "parse_review_text"]

_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<severity>error|warning|info) (?P<rule>[\w-]+): "
    r"(?P<message>.*?)(?: \(cell (?P<cell>\d+)\))?(?: \[enforces: (?P<enforces>.*)\])?$"
)
_CONTEXT = 3


@dataclass(frozen=True)
class Excerpt:
    """Lines around a cited line: ``(number, text, is_cited)`` each."""

    lines: tuple[tuple[int, str, bool], ...]


@dataclass(frozen=True)
class ReportedFinding:
    """One finding as the run reported it, and the code it cites (when the repository is known)."""

    path: str
    line: int
    severity: str
    rule: str
    message: str
    enforces: str
    cell: int | None = None
    excerpt: Excerpt | None = None

    @property
    def anchor(self) -> str:
        """The id of its excerpt in the page."""
        return "code-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.path}-{self.line}").strip("-")

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def parse_review_text(text: str) -> list[ReportedFinding]:
    """The findings in a ``review`` tool result (``path:line: severity rule: message`` lines).

    Example:
        >>> found = parse_review_text("1 finding(s)\\ntrain.py:3: warning accuracy-only: only accuracy")
        >>> found[0].where, found[0].rule
        ('train.py:3', 'accuracy-only')
    """
    found = []
    for raw in text.splitlines():
        match = _LINE.match(raw.strip())
        if match:
            found.append(
                ReportedFinding(
                    path=match["path"],
                    line=int(match["line"]),
                    severity=match["severity"],
                    rule=match["rule"],
                    message=match["message"],
                    enforces=match["enforces"] or "",
                    cell=int(match["cell"]) if match["cell"] else None,
                )
            )
    return found


def _excerpt(root: Path, rel: str, line: int, cache: dict[str, list[str]]) -> Excerpt | None:
    from team.review.sources import load_source

    if rel not in cache:
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            cache[rel] = []
        else:  # notebooks are cited by line in their concatenated code cells, as review reads them
            cache[rel] = load_source(target, rel).text.splitlines()
    lines = cache[rel]
    if not 0 < line <= len(lines):
        return None
    first, last = max(1, line - _CONTEXT), min(len(lines), line + _CONTEXT)
    return Excerpt(tuple((n, lines[n - 1], n == line) for n in range(first, last + 1)))


def findings_of(events: Iterable[Any], repo: str | Path | None = None) -> list[ReportedFinding]:
    """Every distinct finding the run's ``review`` tool calls reported, errors first, with
    excerpts of the cited lines read from ``repo`` (none without a repository)."""
    seen: set[tuple[str, int, str]] = set()
    found: list[ReportedFinding] = []
    for event in events:
        if event.kind != "tool_result" or event.data.get("tool") != "review":
            continue
        for finding in parse_review_text(event.text):
            key = (finding.path, finding.line, finding.rule)
            if key not in seen:
                seen.add(key)
                found.append(finding)
    rank = {"error": 0, "warning": 1, "info": 2}
    found.sort(key=lambda f: rank.get(f.severity, 3))  # the worst first; stable otherwise
    if repo is None or str(repo) == "":
        return found
    root, cache = Path(repo).resolve(), dict[Any, Any]()
    return [
        ReportedFinding(**{**f.__dict__, "excerpt": _excerpt(root, f.path, f.line, cache)})
        for f in found
    ]
