"""The page of one run: the team graph with the path taken, a timeline of the turns, the review
findings with the cited code, and every role's deliverable."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from team.report.findings import findings_of
from team.report.graph import draw_team

__all__ = ["Segment", "ToolCall", "Turn", "run_report", "timeline"]


@dataclass
class ToolCall:
    """A tool call and its result (``None`` while unanswered)."""

    id: str
    tool: str
    args: dict[str, Any]
    result: str | None = None

    @property
    def args_text(self) -> str:
        return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in self.args.items())

    @property
    def first_line(self) -> str:
        lines = (self.result or "").strip().splitlines()
        return lines[0] if lines else "(no result)"

    @property
    def line_count(self) -> int:
        return len((self.result or "").splitlines())


@dataclass
class Segment:
    """A stretch of a turn during which one role held the work, in the order things happened.

    ``items`` are ``(kind, value)``: ``tool`` (a ``ToolCall``), ``deliverable`` (its text),
    ``handoff`` (the record, plus ``approval``), ``refused`` (a tool result refusing a handoff).
    """

    role: str
    items: list[tuple[str, Any]] = field(default_factory=list)
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0

    @property
    def tool_calls(self) -> int:
        return sum(1 for kind, _ in self.items if kind == "tool")


@dataclass
class Turn:
    """One user turn: the message, whom triage picked and why, and the segments."""

    number: int
    text: str
    entry: str = ""
    because: str = ""
    segments: list[Segment] = field(default_factory=list)


def timeline(result: Any, *, approval: frozenset[str] | set[str] = frozenset()) -> list[Turn]:
    """The turns of a run, rebuilt from its events (``approval``: roles a handoff into needs a
    human's approval, so the page can say it was approved).

    Example:
        >>> from team import Team, run_team
        >>> result = run_team(Team.load(), "Train a churn model and expose it through an API")
        >>> turns = timeline(result)
        >>> [s.role for s in turns[0].segments][:2]
        ['ml_engineer', 'backend_architect']
    """
    turns: list[Turn] = []
    calls: dict[str, ToolCall] = {}

    def turn() -> Turn:
        if not turns:
            turns.append(Turn(1, result.turns[0] if result.turns else result.request))
        return turns[-1]

    def segment(role: str) -> Segment:
        current = turn()
        if not current.segments or current.segments[-1].role != role:
            current.segments.append(Segment(role))
        return current.segments[-1]

    for event in result.events:
        kind = event.kind
        if kind == "triage":
            number = len(turns) + 1
            text = result.turns[number - 1] if number <= len(result.turns) else ""
            because = event.text.split("because: ", 1)[-1] if "because: " in event.text else ""
            turns.append(Turn(number, text, event.role, because))
        elif kind == "role":
            segment(event.role)
        elif kind == "tool_call":
            call = ToolCall(str(event.data.get("id", "")), event.data["tool"], event.data["args"])
            calls[call.id] = call
            segment(event.role).items.append(("tool", call))
        elif kind == "tool_result":
            answered = calls.get(str(event.data.get("id", "")))
            if answered is not None and answered.result is None:
                answered.result = event.text
            else:
                segment(event.role).items.append(("refused", event.text))
        elif kind == "deliverable":
            segment(event.role).items.append(("deliverable", event.text))
        elif kind == "handoff":
            record = {**event.data, "approval": event.data.get("target") in approval}
            segment(event.role).items.append(("handoff", record))
        elif kind == "usage":
            row = segment(event.role)
            row.calls += 1
            row.input_tokens += int(event.data.get("input_tokens") or 0)
            row.output_tokens += int(event.data.get("output_tokens") or 0)
            row.seconds = round(row.seconds + float(event.data.get("seconds") or 0.0), 3)
    return turns


def _names(team: Any) -> dict[str, str]:
    return {role: card.name for role, card in team.cards.items()}


def _excerpts(findings: list[Any]) -> list[tuple[Any, list[Any]]]:
    """One excerpt per cited location, with every finding that cites it, in order."""
    places: dict[str, tuple[Any, list[Any]]] = {}
    for finding in findings:
        if finding.excerpt is not None:
            places.setdefault(finding.anchor, (finding, []))[1].append(finding)
    return sorted(places.values(), key=lambda place: (place[0].path, place[0].line))


def run_context(
    result: Any, team: Any, *, repo: str | Path | None = None, title: str | None = None
) -> dict[str, Any]:
    """What the run template needs."""
    turns = timeline(result, approval=frozenset(team.topology.approval))
    findings = findings_of(result.events, repo)
    entries = [t.entry for t in turns if t.entry] or result.visited[:1]
    names = _names(team)
    tool_calls = sum(s.tool_calls for t in turns for s in t.segments)
    seconds = round(sum(float(u.get("seconds", 0.0)) for u in result.usage.values()), 3)
    return {
        "title": title or "Team run",
        "result": result,
        "names": names,
        "drawing": draw_team(team, path=result.visited, handoffs=result.handoffs, entries=entries),
        "turns": turns,
        "findings": findings,
        "excerpts": _excerpts(findings),
        "deliverables": [
            (role, names.get(role, role), text) for role, text in result.deliverables.items()
        ],
        "usage": result.usage,
        "tool_calls": tool_calls,
        "seconds": seconds,
        "team_name": team.name,
    }


def run_report(
    result: Any, team: Any, *, repo: str | Path | None = None, title: str | None = None
) -> str:
    """One self-contained HTML page of a run (no external resources: it opens offline).

    Args:
        result: A ``RunResult``.
        team: The ``Team`` it ran on (its graph is drawn).
        repo: The repository the run inspected, for excerpts of the cited lines.
        title: The page's heading (e.g. the scenario's name).

    Example:
        >>> from team.engine import run_team
        >>> from team.topology import Team
        >>> team = Team.load()
        >>> page = run_report(run_team(team, "Plan the relaunch timeline with stakeholders"), team)
        >>> page.startswith("<!doctype html>") and 'class="node visited' in page
        True
    """
    from team.report.render import render

    return render("run.html.j2", **run_context(result, team, repo=repo, title=title))
