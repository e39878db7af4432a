"""Persona cards: the markdown files in ``agents/`` parsed into strict, frozen values.

A card reads like the ML Engineer card the project started from::

    # Agent: Data Engineer
    ## Triggers
    - Activated when: an ETL job or data pipeline needs building
    ...
    ## Handoff Criteria
    - Hand off to **PM** when scope or timeline needs stakeholder alignment

Sections the format does not name are kept verbatim in ``Card.extra_sections``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import cast

from pydantic import BaseModel, ConfigDict

from team.errors import TeamError
from team.yamlfile import read_text

__all__ = [
    "Card",
    "Handoff",
    "Item",
    "NumberedItem",
    "load_card",
    "parse_card",
    "role_id",
]

_HEADING = re.compile(r"^#\s+Agent:\s*(?P<name>\S.*?)\s*$")
_SECTION = re.compile(r"^##\s+(?P<title>\S.*?)\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(?P<text>\S.*?)\s*$")
_NUMBERED = re.compile(r"^\s*(?P<number>\d+)[.)]\s+(?P<text>\S.*?)\s*$")
_TITLED = re.compile(r"^\*\*(?P<title>[^*]+?)\*\*\s*(?:--|—|–|:|-)\s*(?P<text>\S.*)$")
_TRIGGER = re.compile(r"^Activated when:\s*(?P<text>\S.*)$", re.IGNORECASE)
_HANDOFF = re.compile(
    r"^Hand off to\s+\*\*(?P<name>[^*]+?)\*\*\s+(?P<condition>\S.*)$", re.IGNORECASE
)

_SECTIONS = {
    "triggers": "triggers",
    "behavioral mindset": "mindset",
    "core capabilities": "capabilities",
    "tool orchestration": "tool_orchestration",
    "workflow": "workflow",
    "quality standards": "quality_standards",
    "anti-patterns": "anti_patterns",
    "handoff criteria": "handoffs",
    "vocabulary": "vocabulary",
}
_REQUIRED = ("triggers", "handoffs")
_FROZEN = ConfigDict(extra="forbid", frozen=True)


def role_id(name: str) -> str:
    """The public id of a role name: lower case, words joined by underscores.

    Example:
        >>> role_id("ML Engineer"), role_id("DevOps Engineer"), role_id("PM")
        ('ml_engineer', 'devops_engineer', 'pm')
    """
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class Item(BaseModel):
    """One bullet of a card section, with its line in the card."""

    model_config = _FROZEN
    text: str
    line: int


class NumberedItem(BaseModel):
    """A numbered capability or workflow step: ``1. **Title** -- text``."""

    model_config = _FROZEN
    number: int
    title: str
    text: str
    line: int


class Handoff(BaseModel):
    """``Hand off to **<target_name>** when <condition>``: one edge of the team graph."""

    model_config = _FROZEN
    target_name: str
    target_id: str
    condition: str
    line: int


class Card(BaseModel):
    """A parsed persona card."""

    model_config = _FROZEN
    id: str
    name: str
    path: str | None = None
    triggers: tuple[Item, ...]
    mindset: tuple[Item, ...] = ()
    capabilities: tuple[NumberedItem, ...] = ()
    tool_orchestration: tuple[Item, ...] = ()
    workflow: tuple[NumberedItem, ...] = ()
    quality_standards: tuple[Item, ...] = ()
    anti_patterns: tuple[Item, ...] = ()
    handoffs: tuple[Handoff, ...]
    vocabulary: tuple[str, ...] = ()
    extra_sections: dict[str, str] = {}
    text: str = ""

    def handoff_to(self, target_id: str) -> Handoff | None:
        """The card's criterion for handing off to ``target_id``, if it has one."""
        return next((h for h in self.handoffs if h.target_id == target_id), None)

    def summary(self) -> dict[str, object]:
        """Counts per section and handoff targets, as ``team card`` prints them."""
        return {
            "id": self.id,
            "name": self.name,
            "triggers": len(self.triggers),
            "mindset": len(self.mindset),
            "capabilities": len(self.capabilities),
            "tool_orchestration": len(self.tool_orchestration),
            "workflow": len(self.workflow),
            "quality_standards": len(self.quality_standards),
            "anti_patterns": len(self.anti_patterns),
            "vocabulary": len(self.vocabulary),
            "handoffs": [h.target_id for h in self.handoffs],
        }

    def to_json(self) -> str:
        """The card as indented JSON (without the raw text)."""
        return json.dumps(self.model_dump(exclude={"text"}), indent=2)


def _lines_of(section: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join wrapped continuation lines onto the bullet or numbered item they continue."""
    items: list[tuple[int, str]] = []
    for number, raw in section:
        if not raw.strip():
            continue
        starts_item = _BULLET.match(raw) or _NUMBERED.match(raw)
        if starts_item or not items:
            items.append((number, raw.rstrip()))
        else:
            first, text = items[-1]
            items[-1] = (first, f"{text} {raw.strip()}")
    return items


def _bullets(section: list[tuple[int, str]], path: str, title: str) -> list[Item]:
    items = []
    for number, raw in _lines_of(section):
        match = _BULLET.match(raw)
        if not match:
            raise TeamError(
                f"expected a '- ' bullet in '## {title}', got {raw.strip()!r}",
                path=path,
                line=number,
            )
        items.append(Item(text=match["text"], line=number))
    return items


def _numbered(section: list[tuple[int, str]], path: str, title: str) -> list[NumberedItem]:
    items = []
    for number, raw in _lines_of(section):
        match = _NUMBERED.match(raw)
        titled = _TITLED.match(match["text"]) if match else None
        if not match or not titled:
            raise TeamError(
                f"expected '1. **Title** -- text' in '## {title}', got {raw.strip()!r}",
                path=path,
                line=number,
            )
        items.append(
            NumberedItem(
                number=int(match["number"]),
                title=titled["title"].strip(),
                text=titled["text"].strip(),
                line=number,
            )
        )
    return items


def _triggers(items: list[Item], path: str) -> list[Item]:
    out = []
    for item in items:
        match = _TRIGGER.match(item.text)
        if not match:
            raise TeamError(
                f"trigger must read '- Activated when: ...', got {item.text!r}",
                path=path,
                line=item.line,
            )
        out.append(Item(text=match["text"], line=item.line))
    return out


def _handoffs(items: list[Item], path: str) -> list[Handoff]:
    out = []
    for item in items:
        match = _HANDOFF.match(item.text)
        if not match:
            raise TeamError(
                f"handoff line names no role: expected 'Hand off to **<Role>** when ...', "
                f"got {item.text!r}",
                path=path,
                line=item.line,
            )
        name = match["name"].strip()
        condition = re.sub(r"^when\s+", "", match["condition"], flags=re.IGNORECASE).strip()
        if not role_id(name):
            raise TeamError(
                f"handoff line names an empty role: {item.text!r}", path=path, line=item.line
            )
        out.append(
            Handoff(target_name=name, target_id=role_id(name), condition=condition, line=item.line)
        )
    return out


def parse_card(text: str, *, path: str | Path = "<card>") -> Card:
    """Parse the markdown of one persona card.

    Args:
        text: The card's markdown.
        path: Where it came from, for error messages.

    Raises:
        TeamError: One line naming the path and line of the first problem.

    Example:
        >>> card = parse_card(Path("agents/ml_engineer.md").read_text())
        >>> card.id, [h.target_id for h in card.handoffs][:1]
        ('ml_engineer', ['data_engineer'])
    """
    where = str(path)
    lines = text.splitlines()
    if not text.strip():
        raise TeamError(
            "empty card: expected '# Agent: <Name>' and its sections", path=where, line=1
        )
    name: str | None = None
    current: str | None = None
    sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    for number, raw in enumerate(lines, start=1):
        if name is None:
            if not raw.strip():
                continue
            heading = _HEADING.match(raw)
            if not heading:
                raise TeamError(
                    f"expected '# Agent: <Name>' as the first line, got {raw.strip()!r}",
                    path=where,
                    line=number,
                )
            name = heading["name"]
            continue
        section = _SECTION.match(raw)
        if section:
            current = section["title"]
            if current.lower() in {s.lower() for s in sections}:
                raise TeamError(f"duplicate section '## {current}'", path=where, line=number)
            sections[current] = (number, [])
        elif raw.startswith("# "):
            raise TeamError(
                f"a card has one '# Agent:' heading, got {raw.strip()!r}", path=where, line=number
            )
        elif current is not None:
            sections[current][1].append((number, raw))
        elif raw.strip():
            raise TeamError(
                f"text before the first '## ' section: {raw.strip()!r}", path=where, line=number
            )
    assert name is not None  # text.strip() is non-empty, so a first line was seen
    if not role_id(name):
        raise TeamError(f"role name {name!r} has no letters or digits", path=where, line=1)

    fields: dict[str, object] = {}
    extra: dict[str, str] = {}
    for title, (heading_line, body) in sections.items():
        key = _SECTIONS.get(title.lower())
        if key is None:
            extra[title] = "\n".join(raw for _, raw in body).strip("\n")
            continue
        if key in ("capabilities", "workflow"):
            fields[key] = _numbered(body, where, title)
            continue
        items = _bullets(body, where, title)
        if key == "vocabulary":
            fields[key] = tuple(t.strip() for i in items for t in i.text.split(",") if t.strip())
            continue
        if key == "triggers":
            items = _triggers(items, where)
        fields[key] = _handoffs(items, where) if key == "handoffs" else items
        if key in _REQUIRED and not items:
            raise TeamError(f"section '## {title}' is empty", path=where, line=heading_line)
    for key in _REQUIRED:
        if key not in fields:
            title = next(t for t, k in _SECTIONS.items() if k == key).title()
            raise TeamError(f"card has no '## {title}' section", path=where, line=1)

    card_id = role_id(name)
    for handoff in cast("tuple[Handoff, ...]", fields["handoffs"]):
        if handoff.target_id == card_id:
            raise TeamError(f"{name} hands off to itself", path=where, line=handoff.line)
    return Card(id=card_id, name=name, path=where, extra_sections=extra, text=text, **fields)  # type: ignore[arg-type]


def load_card(path: str | Path) -> Card:
    """Read and parse one card file.

    Example:
        >>> load_card("agents/pm.md").name
        'PM'
    """
    path = Path(path)
    return parse_card(read_text(path, what="card"), path=path)
