"""The PM's review of a repository's documents: open questions left in them, requirements
without acceptance criteria, and goals with nothing to measure.

The request itself (its asks, the acceptance criteria to write, the dependencies between asks)
is the PM's deliverable, written from the conversation, not from files.
"""

from __future__ import annotations

import re

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo

__all__ = ["doc_files", "open_items", "product_review", "requirements"]

_OPEN = re.compile(
    r"\b(?:TBD|TODO|FIXME|to be (?:decided|defined|confirmed))\b|open question", re.I
)
# Outside requirement documents a TODO is a developer's note, not an undecided product question.
_UNDECIDED = re.compile(r"\b(?:TBD|to be (?:decided|defined|confirmed))\b|open question", re.I)
_REQUIREMENT = re.compile(r"(?i)^\s*(?:[-*]|\d+\.)\s+(?:as an? .+ i want|.*\b(?:must|shall)\b)")
_BULLET = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")
_REQUIREMENTS_HEADING = re.compile(
    r"(?i)^#+\s*(?:requirements?|user stories|stories|scope|must.haves?|features?)\b"
)
_ACCEPTANCE = re.compile(
    r"(?i)acceptance criteria|\bgiven\b.*\bwhen\b.*\bthen\b|definition of done"
)
_GOALS = re.compile(r"(?i)^#+\s*(?:goals?|objectives?|success (?:criteria|metrics?)|kpis?)\b")
_MEASURE = re.compile(r"\d|%")
_REQ_DOC = re.compile(r"(?i)prd|requirement|spec|stor(?:y|ies)|roadmap|backlog|brief|proposal|rfc")


def doc_files(repo: Repo) -> list[str]:
    """Markdown and text documents a PM would read (not licences, changelogs or vendored docs)."""
    return [
        f
        for f in repo.files
        if f.endswith((".md", ".rst", ".markdown"))
        and not re.search(
            r"(?i)(?:^|/)(?:license|licence|changelog|changes|history|code_of_conduct|contributing|security)[^/]*$",
            f,
        )
        and not f.startswith((".github/", "node_modules/"))
    ]


def requirements(repo: Repo, rel: str) -> list[tuple[int, str]]:
    """(line, text) of the requirement bullets of a document: every bullet under a
    Requirements / User stories / Scope heading, and elsewhere a bullet that says 'must',
    'shall' or 'As a ... I want'. An open item (TBD, TODO) is a question, not a requirement."""
    out, listed = [], False
    for n, line in enumerate(repo.lines(rel), 1):
        if line.lstrip().startswith("#"):
            listed = bool(_REQUIREMENTS_HEADING.search(line))
            continue
        bullet = _BULLET.match(line)
        if bullet and (listed or _REQUIREMENT.match(line)) and not _OPEN.search(line):
            out.append((n, line[bullet.end() :].strip()))
    return out


def open_items(repo: Repo, rel: str) -> list[tuple[int, str]]:
    """(line, text) of the open items of a document (TBD, TODO, open questions)."""
    return [(n, line.strip()) for n, line in enumerate(repo.lines(rel), 1) if _OPEN.search(line)]


def _is_requirements(rel: str, text: str) -> bool:
    """A requirements document: named so (PRD, spec, stories, roadmap...) or with a
    Requirements / User stories heading."""
    return bool(_REQ_DOC.search(rel.rsplit("/", 1)[-1])) or bool(
        re.search(r"(?im)^#+\s*(?:requirements|user stories)\b", text)
    )


def product_review(repo: Repo) -> list[RoleFinding]:
    """Every PM finding in the repository's documents.

    Example:
        >>> from pathlib import Path
        >>> product_review(Repo.scan(Path("scenarios/fixtures/clean_pipeline")))
        []
    """
    out: list[RoleFinding] = []
    for rel in doc_files(repo):
        lines = repo.lines(rel)
        text = repo.text(rel)
        in_code = False
        opens = 0
        pending = _OPEN if _is_requirements(rel, text) else _UNDECIDED
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("```"):
                in_code = not in_code
            if in_code or opens >= 5:
                continue
            if pending.search(line):
                opens += 1
                out.append(
                    finding(
                        "doc-open-question",
                        rel,
                        number,
                        f"an open item is left in the document: '{line.strip()[:80]}'; give it "
                        "an owner and a date, or decide it",
                        evidence=line,
                    )
                )
        is_requirements = _is_requirements(rel, text)
        requirement = next((i for i, line in enumerate(lines, 1) if _REQUIREMENT.match(line)), None)
        if is_requirements and requirement and not _ACCEPTANCE.search(text):
            out.append(
                finding(
                    "requirement-no-acceptance",
                    rel,
                    requirement,
                    "requirements with no acceptance criteria anywhere in the document: nobody "
                    "can say when one is done; add Given/When/Then criteria per requirement",
                    evidence=lines[requirement - 1],
                )
            )
        for number, line in enumerate(lines, 1):
            if not _GOALS.match(line):
                continue
            section = []
            for following in lines[number:]:
                if following.startswith("#"):
                    break
                section.append(following)
            if (
                section
                and any(s.strip() for s in section)
                and not _MEASURE.search("\n".join(section))
            ):
                out.append(
                    finding(
                        "goal-not-measurable",
                        rel,
                        number,
                        f"'{line.strip('# ').strip()}' states no number: no target, baseline or "
                        "date to tell success from failure",
                        evidence=line,
                    )
                )
    return out
