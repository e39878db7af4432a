"""How a data-flow finding is written: its evidence line and card text, where the offending
step really is when a helper holds it, and the trace steps that name the rows' sources.
"""

from __future__ import annotations

from team.review.core import RULE_ENFORCES, RULE_SEVERITY, Finding, Severity
from team.review.sources import SourceFile
from team.review.values import Origin, Record

__all__ = ["make_finding", "path_line", "read_steps", "where_note"]


def make_finding(
    src: SourceFile,
    rule: str,
    line: int,
    message: str,
    severity: str | None = None,
    *,
    trace: tuple[str, ...] = (),
) -> Finding:
    """Build a finding on a line of `src`, with its evidence, cell and card text."""
    evidence = src.line_text(line).strip()
    if len(evidence) > 120:
        evidence = evidence[:117] + "..."
    sev: Severity = severity or RULE_SEVERITY[rule]  # type: ignore[assignment]
    return Finding(
        src.rel, line, rule, sev, message, RULE_ENFORCES[rule], evidence, src.cell_of(line), trace
    )


def where_note(origin: Origin, src: SourceFile) -> str:
    """` (at helper.py:12)` when the real location differs from the reported line."""
    if origin.path == src.rel and origin.line == origin.site:
        return ""
    where = f"line {origin.line}" if origin.path == src.rel else f"{origin.path}:{origin.line}"
    return f" (at {where})"


def path_line(origin: Origin) -> str:
    """`train.py:12`: where an origin really is, for traces and messages."""
    return f"{origin.path}:{origin.line}"


def read_steps(record: Record, ids: frozenset[int]) -> tuple[str, ...]:
    """`read: pd.read_csv('x.csv') (train.py:6)` for the sources of some rows."""
    seen = {record.reads[i] for i in sorted(ids) if i in record.reads}
    return tuple(f"read: {what} ({path_line(at)})" for at, what in sorted(seen, key=str))
