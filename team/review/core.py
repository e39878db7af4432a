"""Findings: the value every rule produces, the card text each rule enforces, and renderers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = [
    "RULE_ENFORCES",
    "RULE_SEVERITY",
    "Finding",
    "Note",
    "Severity",
    "findings_to_json",
    "format_findings",
]

Severity = Literal["error", "warning", "info"]

# Which line of the ML Engineer card each rule enforces: (section, 0-based index).
_CARD_LINES: dict[str, tuple[str, int]] = {
    "leakage-preprocess-before-split": ("quality_standards", 3),
    "fit-on-test": ("quality_standards", 3),
    "eval-on-train": ("quality_standards", 3),
    "test-set-tuning": ("quality_standards", 3),
    "temporal-random-split": ("quality_standards", 3),
    "target-in-features": ("quality_standards", 3),
    "accuracy-only": ("anti_patterns", 4),
    "unseeded-randomness": ("quality_standards", 0),
    "training-serving-skew": ("quality_standards", 6),
    "serving-without-monitoring": ("anti_patterns", 2),
}


def _card_texts() -> dict[str, str]:
    """The packaged ML Engineer card's wording of each enforced standard or anti-pattern."""
    from importlib import resources

    from team.cards import parse_card

    text = (resources.files("team") / "agents" / "ml_engineer.md").read_text(encoding="utf-8")
    card = parse_card(text, path="agents/ml_engineer.md")
    out = {
        rule: getattr(card, section)[index].text for rule, (section, index) in _CARD_LINES.items()
    }
    return {**out, "parse-error": ""}


#: The ML Engineer card's Quality Standard or Anti-Pattern each rule enforces, as the card words it.
RULE_ENFORCES: dict[str, str] = _card_texts()

#: Default severity of each rule; a rule may lower it for a weaker case (e.g. encoders).
RULE_SEVERITY: dict[str, Severity] = {
    "leakage-preprocess-before-split": "error",
    "fit-on-test": "error",
    "eval-on-train": "error",
    "test-set-tuning": "error",
    "temporal-random-split": "warning",
    "target-in-features": "error",
    "accuracy-only": "warning",
    "unseeded-randomness": "warning",
    "training-serving-skew": "error",
    "serving-without-monitoring": "warning",
    "parse-error": "info",
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a repository, tied to the card text it enforces.

    Findings order by `path`, `line`, then `rule`.

    Attributes:
        path: File path relative to the reviewed root, with `/` separators.
        line: 1-based line; for a notebook, the line in its concatenated code cells.
        rule: Rule id, a key of `RULE_ENFORCES`.
        severity: `error`, `warning` or `info`.
        message: What is wrong and what to do instead.
        enforces: The card's Quality Standard or Anti-Pattern, verbatim.
        evidence: The offending source line, stripped and shortened.
        cell: For notebooks, the 1-based position of the cell among all cells; else None.
        trace: The data flow the rule followed, one step a line (`read: ...`, `split: ...`,
            `fit: ...`, `evaluate: ...`, each with `path:line`); shown by `format_findings`
            with `explain=True`.
    """

    path: str
    line: int
    rule: str
    severity: Severity
    message: str
    enforces: str
    evidence: str = ""
    cell: int | None = None
    trace: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Note:
    """A place a rule looked at and chose not to report, and why (for `--explain`)."""

    path: str
    line: int
    rule: str
    text: str


def format_findings(
    findings: list[Finding], *, explain: bool = False, notes: list[Note] | None = None
) -> str:
    """Render findings as `path:line: severity rule: message`, one per line.

    Args:
        findings: Findings, usually from `review_path`.
        explain: Also show each finding's data flow, indented under it.
        notes: With `explain`, places a rule looked at and did not report, and why.

    Returns:
        The text, ending with a newline, or an empty string when there are no findings.

    Example:
        >>> f = Finding("train.py", 3, "accuracy-only", "warning", "only accuracy", "...")
        >>> format_findings([f])
        'train.py:3: warning accuracy-only: only accuracy\\n'
    """
    lines = []
    for f in findings:
        where = f" (cell {f.cell})" if f.cell is not None else ""
        lines.append(f"{f.path}:{f.line}: {f.severity} {f.rule}: {f.message}{where}")
        if explain:
            lines.extend(f"    {step}" for step in f.trace)
    if explain:
        for n in notes or []:
            lines.append(f"{n.path}:{n.line}: not reported {n.rule}: {n.text}")
    return "".join(line + "\n" for line in lines)


def format_unread(unread: list[Note]) -> str:
    """One line saying which files were not reviewed because they need another Python, and why
    (each reason once, after the files it holds for), or "" when there are none.

    Example:
        >>> n = Note("a.py", 4, "parse-error", "not reviewed: needs Python 3.12 (PEP 701)")
        >>> format_unread([n, Note("b.py", 9, "parse-error", n.text)])
        'note: 2 files not reviewed (a.py:4, b.py:9): needs Python 3.12 (PEP 701)'
        >>> format_unread([n, Note("c.py", 1, "parse-error", "not reviewed: requires Python >=3.13")])
        'note: 2 files not reviewed (a.py:4): needs Python 3.12 (PEP 701); (c.py:1): requires Python >=3.13'
    """
    if not unread:
        return ""
    files = {n.path for n in unread}
    reasons: dict[str, list[Note]] = {}
    for n in unread:
        reasons.setdefault(n.text.split("reviewed: ", 1)[-1], []).append(n)
    said = "; ".join(
        f"({', '.join(f'{n.path}:{n.line}' for n in notes)}): {why}"
        for why, notes in reasons.items()
    )
    return f"note: {len(files)} file{'s' if len(files) > 1 else ''} not reviewed {said}"


def findings_to_json(findings: list[Finding]) -> list[dict[str, object]]:
    """Turn findings into JSON-ready dicts (one key per `Finding` field).

    Args:
        findings: Findings, usually from `review_path`.

    Returns:
        A list of plain dicts, safe for `json.dumps`.

    Example:
        >>> f = Finding("train.py", 3, "accuracy-only", "warning", "only accuracy", "...")
        >>> findings_to_json([f])[0]["line"]
        3
    """
    return [asdict(f) for f in findings]
