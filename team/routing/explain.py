"""``team route --explain``: how a request is read and where each of its asks would go."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from team.routing.clauses import for_meaning
from team.routing.ownership import Move, plan_request, read_request
from team.routing.router import Route, Router
from team.routing.semantic import Reading

__all__ = ["Explanation", "explain_request"]


@dataclass(frozen=True)
class Explanation:
    """A request read as asks and context, the first role, and each ask's owner and move."""

    text: str
    first: Route
    context: tuple[str, ...]
    steps: tuple[tuple[str, Move], ...]
    # Each ask's reading by meaning (``team.routing.semantic``) and whether the router took it
    # (``Router.understood``); empty when the encoder is off.
    meanings: dict[str, tuple[Reading, bool]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first.to_dict(),
            "context": list(self.context),
            "asks": [
                {
                    **_step_dict(holder, move),
                    "meaning": _meaning_dict(self.meanings.get(move.ask.text)),
                }
                for holder, move in self.steps
            ],
        }

    def lines(self, names: dict[str, str]) -> list[str]:
        """The explanation as text, roles named by ``names``."""
        out = [f"first role: {self.first.agent}  (score {self.first.score:.2f})"]
        out.append(f"  trigger: {self.first.reason}")
        out += [f'context: "{c}"' for c in self.context]
        number, last = 0, None
        for holder, move in self.steps:
            ask = move.ask
            # An ask escalated or handed on is one ask with two steps: the role that takes it on
            # is listed under it, not as a new ask.
            if ask.text == last:
                out += _move_lines(holder, move, names)
                continue
            number, last = number + 1, ask.text
            scores = ", ".join(f"{r} {s:.1f}" for r, s in ask.scores[:3])
            out.append(f'ask {number}: "{ask.text}"')
            out.append(f"  owner {ask.owner}  margin {ask.margin:.2f}  ({scores})")
            read = self.meanings.get(ask.text)
            if read is not None:
                meaning, took = read
                taken = "taken" if took else "not taken, the words decide"
                if not took and ask.tie_broken:
                    taken = "breaks the words' tie"
                out.append(
                    f"  meaning: {meaning.role} {meaning.confidence:.2f} ({taken}); nearest "
                    f'labelled ask "{meaning.nearest}" ({meaning.nearest_role}, '
                    f"{meaning.similarity:.2f})"
                )
            out += _move_lines(holder, move, names)
        return out


def _move_lines(holder: str, move: Move, names: dict[str, str]) -> list[str]:
    """What ``holder`` does with an ask: keeps it, leaves it open, or hands it on and why."""
    if move.action == "keep":
        return [f"  {holder} keeps it"]
    if move.action == "open":
        return [
            f"  {holder} answers it itself and says it is left open: none of its "
            f"handoff criteria leads to {move.target} and fits"
        ]
    assert move.fit is not None
    shared = ", ".join(move.fit.shared) or "nothing"
    verb = "escalates" if move.action == "escalate" else "hands it"
    return [
        f"  {holder} {verb} to {move.target} along: Hand off to "
        f"{names[move.target]} when {move.fit.criterion}",
        f"  criterion fit {move.fit.score:.2f} (shared: {shared})",
    ]


def _step_dict(holder: str, move: Move) -> dict[str, Any]:
    return {
        "text": move.ask.text,
        "owner": move.ask.owner,
        "margin": round(move.ask.margin, 3),
        "scores": {r: round(s, 3) for r, s in move.ask.scores},
        "holder": holder,
        "action": move.action,
        "target": move.target,
        "criterion": move.fit.criterion if move.fit else None,
        "fit": round(move.fit.score, 3) if move.fit else None,
        "shared": list(move.fit.shared) if move.fit else [],
    }


def _meaning_dict(read: tuple[Reading, bool] | None) -> dict[str, Any] | None:
    if read is None:
        return None
    found, taken = read
    return {
        "role": found.role,
        "confidence": round(found.confidence, 3),
        "confident": found.confident,
        "taken": taken,
        "nearest": found.nearest,
        "nearest_role": found.nearest_role,
        "similarity": round(found.similarity, 3),
    }


def explain_request(
    router: Router,
    text: str,
    *,
    targets: Callable[[str], Collection[str]],
    among: set[str] | None = None,
) -> Explanation:
    """Read ``text`` as asks and context and trace where each ask would go.

    Example:
        >>> from team.topology import Team
        >>> team = Team.load()
        >>> found = explain_request(Router(team.cards), "Train a churn model and expose it behind an API",
        ...                         targets=team.targets)
        >>> [(s["owner"], s["action"]) for s in found.to_dict()["asks"]]
        [('ml_engineer', 'keep'), ('backend_architect', 'handoff')]
    """
    first = router.route_request(text, among=among)
    asks, context = read_request(router, text)
    order = [a.text for a in asks]
    steps = sorted(
        plan_request(router, text, first.agent, targets), key=lambda s: order.index(s[1].ask.text)
    )
    reader = router.reader
    meanings = (
        {
            a.text: (
                reader.read(for_meaning(a.text)),
                router.understood(a.text) is not None and router.kind_owner(a.text) is None,
            )
            for a in asks
        }
        if reader is not None
        else {}
    )
    return Explanation(text, first, tuple(context), tuple(steps), meanings)
