"""Role findings: the value every role's review produces, and the card line each rule enforces."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Literal

__all__ = [
    "NOT_READ",
    "ROLES",
    "RULES",
    "RoleFinding",
    "Rule",
    "Severity",
    "enforces",
    "finding",
    "findings_to_json",
    "format_findings",
    "one_per_cause",
]

Severity = Literal["error", "warning", "info"]

#: The roles that have a review, in the order `--role all` reports them.
ROLES = (
    "ml_engineer",
    "devops_engineer",
    "backend_architect",
    "performance_engineer",
    "data_engineer",
    "system_architect",
    "pm",
)


@dataclass(frozen=True)
class Rule:
    """A rule: the role that owns it, its default severity, and the card line it enforces.

    `card_line` is a phrase that occurs in exactly one line of the role's card (Quality
    Standards, Anti-Patterns or Workflow); the finding quotes that whole line.
    """

    role: str
    severity: Severity
    card_line: str
    card: str = ""  # the card quoted, when another role's card words the standard; default role


_D, _B, _P, _DE, _S, _PM = (
    "devops_engineer",
    "backend_architect",
    "performance_engineer",
    "data_engineer",
    "system_architect",
    "pm",
)

RULES: dict[str, Rule] = {
    # DevOps Engineer
    "image-unpinned": Rule(_D, "warning", "Images are pinned by digest"),
    "image-latest-tag": Rule(_D, "warning", "Do not deploy images by the latest tag"),
    "docker-root-user": Rule(_D, "warning", "run as non-root"),
    "docker-no-healthcheck": Rule(_D, "warning", "Do not deploy without health checks"),
    "docker-unpinned-install": Rule(_D, "warning", "Produce minimal, pinned images"),
    "requirements-unpinned": Rule(_D, "warning", "Produce minimal, pinned images"),
    "plaintext-secret": Rule(_D, "error", "Secrets live in a secret manager"),
    "k8s-no-resource-limits": Rule(_D, "warning", "with resource requests and limits"),
    "k8s-no-probes": Rule(_D, "warning", "Do not deploy without health checks"),
    "k8s-privileged": Rule(_D, "error", "run as non-root"),
    "terraform-local-state": Rule(_D, "warning", "state is remote and locked"),
    "ci-unpinned-action": Rule(_D, "warning", "keep pipeline runs deterministic"),
    "ci-no-cache": Rule(_D, "warning", "keep pipeline runs deterministic"),
    "no-dockerfile": Rule(_D, "warning", "Produce minimal, pinned images"),
    "no-ci": Rule(_D, "warning", "No manual changes reach production"),
    # Backend Architect
    "endpoint-no-auth": Rule(_B, "warning", "Every endpoint requires authentication"),
    "sql-string-built": Rule(_B, "error", "rate limits, and input validation"),
    "swallowed-exception": Rule(_B, "warning", "Do not return a success status"),
    "post-not-idempotent": Rule(_B, "warning", "mutating requests accept idempotency keys"),
    "list-not-paginated": Rule(_B, "warning", "List endpoints are paginated"),
    "api-unversioned": Rule(_B, "warning", "Breaking API changes ship only as a new version"),
    "state-changing-get": Rule(_B, "warning", "Do not change state in a GET handler"),
    # Performance Engineer
    "n-plus-one-query": Rule(_P, "warning", "remove N+1 patterns"),
    "blocking-io-in-async": Rule(_P, "error", "event-loop starvation"),
    "http-no-timeout": Rule(_P, "warning", "Every outbound call has a timeout", _B),
    "unbounded-cache": Rule(_P, "warning", "Every cache has defined invalidation"),
    "resource-loaded-per-request": Rule(_P, "warning", "excessive allocation"),
    "no-benchmarks": Rule(_P, "warning", "Critical paths have benchmarks in CI"),
    # Data Engineer
    "etl-append-not-idempotent": Rule(_DE, "warning", "Every job is idempotent"),
    "etl-no-validation": Rule(_DE, "warning", "Data quality checks run on every load"),
    "select-star": Rule(_DE, "warning", "Do not use SELECT star"),
    "data-null-key": Rule(_DE, "error", "documented grain, primary key"),
    "data-duplicate-key": Rule(_DE, "error", "documented grain, primary key"),
    "data-impossible-value": Rule(_DE, "warning", "Data quality checks run on every load"),
    "data-type-drift": Rule(_DE, "warning", "Do not change a column's meaning or type"),
    "data-naive-timestamp": Rule(_DE, "warning", "Do not change a column's meaning or type"),
    "data-not-profiled": Rule(_DE, "info", "Data quality checks run on every load"),
    # System Architect
    "import-cycle": Rule(_S, "warning", "documented interface"),
    "god-module": Rule(_S, "warning", "documented interface"),
    "layer-violation": Rule(_S, "error", "Check implementations against the decided architecture"),
    "forbidden-import": Rule(_S, "error", "Check implementations against the decided architecture"),
    "independence-violation": Rule(
        _S, "error", "Check implementations against the decided architecture"
    ),
    "layer-convention": Rule(_S, "warning", "architectural drift"),
    "shared-database": Rule(_S, "warning", "distributed monolith"),
    "single-replica": Rule(_S, "warning", "no unexamined single point of failure"),
    # PM
    "doc-open-question": Rule(_PM, "warning", "Stakeholders receive regular status updates"),
    "requirement-no-acceptance": Rule(_PM, "warning", "testable acceptance criteria"),
    "goal-not-measurable": Rule(_PM, "warning", "Success criteria are measurable"),
    # Any role
    "parse-error": Rule("", "info", ""),
}

#: Rules that say what a review could not read rather than a problem found: alone, they do not
#: fail `team review`.
NOT_READ = frozenset({"parse-error", "data-not-profiled"})


@cache
def enforces(rule: str) -> str:
    """The card line (Quality Standard, Anti-Pattern or Workflow step) a rule enforces, verbatim.

    Example:
        >>> enforces("image-latest-tag")
        'Do not deploy images by the latest tag'
    """
    from importlib import resources

    from team.cards import parse_card

    spec = RULES[rule]
    if not spec.card_line:
        return ""
    name = spec.card or spec.role
    text = (resources.files("team") / "agents" / f"{name}.md").read_text(encoding="utf-8")
    card = parse_card(text, path=f"agents/{name}.md")
    lines = [
        *(i.text for i in card.quality_standards),
        *(i.text for i in card.anti_patterns),
        *(f"{s.title}: {s.text}" for s in (*card.workflow, *card.capabilities)),
    ]
    return next(line for line in lines if spec.card_line in line)


@dataclass(frozen=True, order=True)
class RoleFinding:
    """One problem a role's review found, tied to the card line it enforces.

    Findings order by `path`, `line`, then `rule`.

    Attributes:
        path: File path relative to the reviewed root, with `/` separators.
        line: 1-based line (1 for a finding about a whole file).
        rule: Rule id, a key of `RULES` (or an ML review rule).
        severity: `error`, `warning` or `info`.
        message: What is wrong and what to do instead.
        role: The role id that owns the rule.
        enforces: The role card's line the rule enforces, verbatim.
        evidence: The offending source line, stripped and shortened.
        cell: For notebooks, the 1-based position of the cell among all cells; else None.
    """

    path: str
    line: int
    rule: str
    severity: Severity
    message: str
    role: str
    enforces: str = ""
    evidence: str = ""
    cell: int | None = None


def finding(
    rule: str,
    path: str,
    line: int,
    message: str,
    *,
    evidence: str = "",
    severity: Severity | None = None,
) -> RoleFinding:
    """A finding of `rule`, with its role, default severity and card line filled in.

    Example:
        >>> finding("image-latest-tag", "Dockerfile", 1, "FROM python:latest").role
        'devops_engineer'
    """
    spec = RULES[rule]
    return RoleFinding(
        path=path,
        line=max(line, 1),
        rule=rule,
        severity=severity or spec.severity,
        message=message,
        role=spec.role,
        enforces=enforces(rule),
        evidence=" ".join(evidence.split())[:160],
    )


_SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")  # gravest first

#: how many of a cause's other places a finding's message lists by path:line
OTHER_PLACES_LISTED = 5


def one_per_cause(found: list[tuple[Hashable, RoleFinding]]) -> list[RoleFinding]:
    """One finding per cause: findings that share a key (the endpoints of one app missing the
    same guard, the loops calling the same querying helper) are reported once, at the first
    place, with how many other places and the first few of them in the message, as the ML
    review reports one missing seed; it takes the gravest severity among them. One fix covers them all; a list of forty findings with
    one cause reads as forty problems.

    Example:
        >>> a, b = finding("no-ci", "a.py", 3, "no CI."), finding("no-ci", "b.py", 1, "no CI.")
        >>> [f.message for f in one_per_cause([("app", b), ("app", a)])]
        ['no CI. The same cause is at 1 other place: b.py:1.']
    """
    groups: dict[Hashable, list[RoleFinding]] = {}
    for key, f in sorted(found, key=lambda kf: kf[1]):
        groups.setdefault(key, []).append(f)
    out = []
    for first, *rest in groups.values():
        if not rest:
            out.append(first)
            continue
        listed = ", ".join(f"{f.path}:{f.line}" for f in rest[:OTHER_PLACES_LISTED])
        more = ", ..." if len(rest) > OTHER_PLACES_LISTED else ""
        places = "place" if len(rest) == 1 else "places"
        also = f" The same cause is at {len(rest)} other {places}: {listed}{more}."
        severity = min((f.severity for f in (first, *rest)), key=_SEVERITIES.index)
        out.append(replace(first, message=first.message.rstrip() + also, severity=severity))
    return out


def format_findings(findings: list[RoleFinding], *, with_role: bool = True) -> str:
    """Render findings as `path:line: severity rule: message [role]`, one per line.

    Example:
        >>> f = finding("image-latest-tag", "Dockerfile", 1, "pin the tag")
        >>> format_findings([f])
        'Dockerfile:1: warning image-latest-tag: pin the tag [devops_engineer]\\n'
    """
    out = []
    for f in findings:
        role = f" [{f.role}]" if with_role and f.role else ""
        cell = f" (cell {f.cell})" if f.cell is not None else ""
        out.append(f"{f.path}:{f.line}: {f.severity} {f.rule}: {f.message}{cell}{role}\n")
    return "".join(out)


def findings_to_json(findings: list[RoleFinding]) -> list[dict[str, object]]:
    """JSON-ready dicts with `role`, `rule`, `severity`, `path`, `line`, `message`, `enforces`,
    `evidence` and `cell` (notebooks).

    Example:
        >>> findings_to_json([finding("no-ci", "pyproject.toml", 1, "no CI")])[0]["role"]
        'devops_engineer'
    """
    keys = ("role", "rule", "severity", "path", "line", "message", "enforces", "evidence", "cell")
    return [{k: asdict(f)[k] for k in keys} for f in findings]
