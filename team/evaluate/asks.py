"""Labelled ask sets: requests with the owner of each ask, scored on real runs of the team.

A set is a YAML list of cases (``tests/data/asks_dev.yaml`` shows the format): a ``request``, its
``asks`` (verbatim parts of the request) each with the role that owns it, the ``first_role``,
roles that must not appear (``forbidden``) and whether one role should do it all
(``single_role``). Each request runs once through the team; the scores are what a user sees:

- first role: triage picked ``first_role``;
- ask ownership: each ask ended with its owner (see ``ask_holder``);
- criterion fit: each handoff's criterion fits the ask it handed over;
- forbidden roles: runs that brought in a role the request does not need;
- single-role purity: single-role requests that stayed with one role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel

from team.errors import TeamError
from team.routing import ESCALATION, Router, criterion_fit, quoted_ask, stems
from team.scenarios import AskOwner
from team.yamlfile import load_model, read_text

__all__ = [
    "AskCase",
    "AskScores",
    "CaseRun",
    "ask_holder",
    "read_ask_set",
    "run_ask_set",
    "run_measures",
    "score_ask_set",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)
# An ask is found in a text when this share of its words is there.
FOUND = 0.6


class AskCase(BaseModel):
    """One labelled request."""

    model_config = _STRICT
    id: str
    request: str = Field(min_length=1, pattern=r"\S")
    asks: tuple[AskOwner, ...] = Field(min_length=1)
    first_role: str
    forbidden: tuple[str, ...] = ()
    single_role: bool = False
    trap: str = ""
    note: str = ""


class _AskSet(RootModel[tuple[AskCase, ...]]):
    model_config = ConfigDict(frozen=True)


def read_ask_set(path: Path, roles: set[str] | list[str]) -> list[AskCase]:
    """Read and check a labelled ask set (one-line errors with the file, line or case id).

    Raises:
        TeamError: Invalid YAML, a missing or unknown key, an unknown role, an ask that is not
            part of its request, a repeated id.
    """
    cases = list(load_model(_AskSet, path, what="ask set").root)
    if not cases:
        raise TeamError("ask set has no cases", path=path)
    root = yaml.compose(read_text(path, what="ask set"))
    lines = [n.start_mark.line + 1 for n in (root.value if root is not None else [])]
    seen: set[str] = set()
    for case, line in zip(cases, lines, strict=True):

        def fail(message: str, *, line: int = line, case: AskCase = case) -> TeamError:
            return TeamError(f"{case.id}: {message}", path=path, line=line)

        if case.id in seen:
            raise fail("id repeated")
        seen.add(case.id)
        named = [("first_role", case.first_role)] + [("forbidden", r) for r in case.forbidden]
        named += [("owner", a.owner) for a in case.asks]
        for key, role in named:
            if role not in roles:
                raise fail(f"{key}: unknown role {role!r}")
        for ask in case.asks:
            if ask.ask not in case.request:
                raise fail(f"ask {ask.ask!r} is not part of the request")
    return cases


def _found(ask: str, text: str) -> float:
    """The share of the ask's words that ``text`` holds."""
    words = set(stems(ask))
    return len(words & set(stems(text))) / len(words) if words else 0.0


def ask_holder(ask: str, result: Any) -> str:
    """The role an ask ended with in a run.

    The target of the handoff whose reason holds the ask; else the role whose deliverable holds
    it on one line (the request itself and handoff notes do not count); else the first role, which
    kept what it did not hand on.

    Example:
        >>> from types import SimpleNamespace
        >>> reason = 'The request asks "expose it behind an API", which needs the Backend Architect'
        >>> run = SimpleNamespace(visited=["ml_engineer", "backend_architect"], deliverables={},
        ...     handoffs=[{"target": "backend_architect", "reason": reason}])
        >>> ask_holder("expose it behind an API", run), ask_holder("Train a model", run)
        ('backend_architect', 'ml_engineer')
    """
    best, holder = FOUND, ""
    for handoff in result.handoffs:
        share = _found(ask, handoff["reason"])
        if share >= best:  # a later handoff of the same ask: it travelled on
            best, holder = share, handoff["target"]
    if holder:
        return holder
    for role in result.visited:
        text = result.deliverables.get(role, "")
        for line in text.splitlines():
            if line.startswith(("**Request:**", "**Taken over because:**")):
                continue
            share = _found(ask, line)
            if share > best or (share >= best and not holder):
                best, holder = share, role
    return holder or (result.visited[0] if result.visited else "")


@dataclass(frozen=True)
class CaseRun:
    """One case's run: roles visited, handoffs, and where each ask ended."""

    case: AskCase
    visited: tuple[str, ...]
    holders: tuple[str, ...]
    handoffs: tuple[dict[str, Any], ...]
    fits: tuple[bool | None, ...]
    to_owner: tuple[bool | None, ...]


def _judge(router: Router, case: AskCase, result: Any) -> CaseRun:
    holders = tuple(ask_holder(a.ask, result) for a in case.asks)
    fits: list[bool | None] = []
    to_owner: list[bool | None] = []
    for handoff in result.handoffs:
        shares = [_found(a.ask, handoff["reason"]) for a in case.asks]
        best = max(range(len(shares)), key=lambda i: shares[i])
        matched = case.asks[best] if shares[best] >= FOUND else None
        if handoff["criterion"] == ESCALATION:
            fits.append(None)  # an escalation claims no criterion and owns nothing
            to_owner.append(None)
            continue
        text = matched.ask if matched else handoff["reason"]
        fits.append(criterion_fit(router, text, handoff["source"], handoff["target"]).fits)
        to_owner.append(None if matched is None else matched.owner == handoff["target"])
    return CaseRun(
        case, tuple(result.visited), holders, tuple(result.handoffs), tuple(fits), tuple(to_owner)
    )


def run_ask_set(
    team: Any,
    cases: list[AskCase],
    *,
    model: Any = "offline",
    on_progress: Callable[[CaseRun], None] | None = None,
) -> list[CaseRun]:
    """Run every case's request once through the team and judge the run."""
    from team.engine import Engine
    from team.routing import router_for

    settings = team.topology.triage
    router = router_for(team.cards, fallback=settings.fallback, min_score=settings.min_score)
    engine = Engine(team, model=model)
    runs = []
    for case in cases:
        result = engine.run(case.request, thread_id=f"asks-{case.id}")
        runs.append(_judge(router, case, result))
        if on_progress is not None:
            on_progress(runs[-1])
    return runs


@dataclass(frozen=True)
class AskScores:
    """The scores of a labelled ask set, and the misses behind them."""

    cases: int
    first_role: tuple[int, int]
    ask_ownership: tuple[int, int]
    criterion_fit: tuple[int, int]
    escalations: int
    handoff_to_owner: tuple[int, int]
    forbidden: tuple[int, int]
    single_role: tuple[int, int]
    misses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def rate(pair: tuple[int, int]) -> dict[str, Any]:
            hit, total = pair
            return {"hit": hit, "total": total, "rate": round(hit / total, 4) if total else None}

        return {
            "cases": self.cases,
            "first_role": rate(self.first_role),
            "ask_ownership": rate(self.ask_ownership),
            "criterion_fit": rate(self.criterion_fit),
            "escalations": self.escalations,
            "handoff_to_owner": rate(self.handoff_to_owner),
            "forbidden_runs": self.forbidden[0],
            "single_role": rate(self.single_role),
            "misses": self.misses,
        }

    def lines(self) -> list[str]:
        """The scores as text, one measure a line."""

        def show(label: str, pair: tuple[int, int]) -> str:
            hit, total = pair
            value = f"{hit / total:.3f}" if total else "n/a"
            return f"{label:<22}{value}  ({hit}/{total})"

        return [
            show("first role", self.first_role),
            show("ask ownership", self.ask_ownership),
            show("criterion fit", self.criterion_fit) + f"  +{self.escalations} escalations",
            show("handoff to owner", self.handoff_to_owner),
            f"{'forbidden roles':<22}{self.forbidden[0]}  (runs that brought in a forbidden role, of {self.forbidden[1]})",
            show("single-role purity", self.single_role),
        ]


def score_ask_set(runs: list[CaseRun]) -> AskScores:
    """Score judged runs; ``misses`` names each miss with the case id.

    Example:
        >>> score_ask_set([]).to_dict()["first_role"]
        {'hit': 0, 'total': 0, 'rate': None}
    """
    misses: list[str] = []
    first = owned = asks = fit = handed = to_owner = matched = bad = single = singles = 0
    escalated = 0
    for run in runs:
        case = run.case
        got = run.visited[0] if run.visited else "(nothing)"
        path = " -> ".join(run.visited)
        if got == case.first_role:
            first += 1
        else:
            misses.append(f"{case.id}: first role {got}, expected {case.first_role} ({path})")
        for ask, holder in zip(case.asks, run.holders, strict=True):
            asks += 1
            if holder == ask.owner:
                owned += 1
            else:
                misses.append(f'{case.id}: "{ask.ask}" went to {holder}, owner {ask.owner}')
        for handoff, fits, owner in zip(run.handoffs, run.fits, run.to_owner, strict=True):
            edge = f"{handoff['source']} -> {handoff['target']}"
            if fits is None:
                escalated += 1
            else:
                handed += 1
                fit += fits
            if fits is False:
                misses.append(f"{case.id}: {edge} cites a criterion that does not fit its ask")
            if owner is not None:
                matched += 1
                to_owner += owner
        intruders = [r for r in case.forbidden if r in run.visited]
        if intruders:
            bad += 1
            misses.append(f"{case.id}: forbidden {', '.join(intruders)} visited ({path})")
        if case.single_role:
            singles += 1
            if len(set(run.visited)) == 1:
                single += 1
            else:
                misses.append(f"{case.id}: single-role request went {path}")
    return AskScores(
        cases=len(runs),
        first_role=(first, len(runs)),
        ask_ownership=(owned, asks),
        criterion_fit=(fit, handed),
        escalations=escalated,
        handoff_to_owner=(to_owner, matched),
        forbidden=(bad, len(runs)),
        single_role=(single, singles),
        misses=misses,
    )


def run_measures(router: Router, expect: Any, result: Any) -> dict[str, list[int]]:
    """A scenario run's share of the suite's ask measures, as ``[hit, total]`` pairs.

    Ask ownership counts the scenario's ``owners``; criterion fit, every handoff but escalations
    (against the ask its reason quotes); forbidden, whether a forbidden role came in; single
    role, whether a one-role ``path`` stayed with one role.

    Example:
        >>> from types import SimpleNamespace
        >>> from team.scenarios import Expect
        >>> from team.topology import Team
        >>> run = SimpleNamespace(visited=["pm"], handoffs=[], deliverables={})
        >>> run_measures(Router(Team.load().cards), Expect(path=["pm"]), run)["single_role"]
        [1, 1]
    """
    owners = [ask_holder(o.ask, result) == o.owner for o in expect.owners] if expect else []
    fits = [
        criterion_fit(router, quoted_ask(h["reason"]), h["source"], h["target"]).fits
        for h in result.handoffs
        if h["criterion"] != ESCALATION and h["source"] in router.cards
    ]
    forbidden = bool(expect and any(r in result.visited for r in expect.forbidden))
    single = expect is not None and expect.path is not None and len(expect.path) == 1
    return {
        "ask_ownership": [sum(owners), len(owners)],
        "criterion_fit": [sum(fits), len(fits)],
        "forbidden_runs": [int(forbidden), 1],
        "single_role": [int(single and len(set(result.visited)) == 1), int(single)],
    }
