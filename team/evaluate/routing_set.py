"""Labelled routing sets: ``{"text", "from", "expect"}`` per line, scored without LangGraph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from team.errors import TeamError
from team.evaluate.metrics import Scores, score_pairs
from team.routing import Route, Router, decide_handoff
from team.yamlfile import read_text

__all__ = ["RoutingCase", "decide", "evaluate_routing", "read_routing_set"]


@dataclass(frozen=True)
class RoutingCase:
    """One labelled case: ``source`` is ``None`` for triage, else the role holding the work."""

    text: str
    source: str | None
    expect: str
    line: int


def read_routing_set(path: Path, roles: set[str]) -> list[RoutingCase]:
    """Read and check a JSONL routing set (one-line errors with file and line)."""
    cases = []
    for number, raw in enumerate(read_text(path, what="routing set").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TeamError(f"invalid JSON: {exc.msg}", path=path, line=number) from None
        if (
            not isinstance(data, dict)
            or set(data) - {"text", "from", "expect"}
            or "text" not in data
        ):
            raise TeamError(
                'expected {"text": ..., "from": role or null, "expect": role}',
                path=path,
                line=number,
            )
        source, expect = data.get("from"), data.get("expect")
        for label, value in (("from", source), ("expect", expect)):
            if value is not None and value not in roles:
                raise TeamError(f"{label}: unknown role {value!r}", path=path, line=number)
        if not isinstance(data["text"], str) or not data["text"].strip():
            raise TeamError("text must be a non-empty string", path=path, line=number)
        cases.append(RoutingCase(data["text"], source, expect or "", number))
    if not cases:
        raise TeamError("routing set has no cases", path=path)
    return cases


def decide(router: Router, text: str, source: str | None) -> Route:
    """Triage (no source) or the handoff decision of ``source`` (itself = keep the work)."""
    return router.route_request(text) if source is None else decide_handoff(router, text, source)


def iter_decisions(router: Router, cases: list[RoutingCase]) -> Iterator[tuple[RoutingCase, Route]]:
    for case in cases:
        yield case, decide(router, case.text, case.source)


def evaluate_routing(
    router: Router, cases: list[RoutingCase]
) -> tuple[Scores, list[tuple[RoutingCase, Route]]]:
    """Score a routing set: per-role P/R/F1, macro-F1 and the confusion matrix, plus misses.

    Example:
        >>> from team import Team
        >>> from team.routing import router_for
        >>> router = router_for(Team.load().cards)
        >>> from pathlib import Path
        >>> cases = read_routing_set(Path("tests/data/routing.jsonl"), set(router.cards))
        >>> scores, misses = evaluate_routing(router, cases)
        >>> scores.macro_f1 >= 0.9
        True
    """
    decisions = list(iter_decisions(router, cases))
    scores = score_pairs([(c.expect, r.agent) for c, r in decisions], labels=list(router.cards))
    misses = [(c, r) for c, r in decisions if c.expect != r.agent]
    return scores, misses
