"""Deterministic routing from the cards: which role owns a request, and whom a role hands off to.

Each role gets a weighted bag of word stems (and adjacent-stem bigrams) built from its card:
Triggers weigh most, then Core Capability titles, the handoff conditions other cards write about
the role, and capability texts. A stem shared by many roles counts for less (inverse document
frequency over roles). A request scores against every profile; the best wins, and the trigger
line that shares the most weight with the request is the reason.

This module must not import LangGraph: ``team route`` stays fast.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

import snowballstemmer

from team.cards import Card

__all__ = ["Route", "Router", "router_for", "split_clauses", "stems"]

_STOP = frozenset(
    """a an and are as at be been being but by can could do does for from has have how i if in
    into is it its me my need needs needed of on or our please should so some that the their
    them then there these this those to up us was we what when where which while who why will
    with would you your get got make made want wants help also just any all more most very
    across other another one two each every new using use used via per than like about over
    after before out it's let lets we're i'm don't can't they them what do did done first
    now still someone somebody anyone nobody everyone thing things here""".split()  # noqa: SIM905
)
_ALIASES = {
    "k8s": "kubernetes",
    "kube": "kubernetes",
    "ml": "ml",
    "ai": "ml",
    "apis": "api",
    "endpoint": "api",
    "endpoints": "api",
    "rest": "api",
    "graphql": "api",
    "grpc": "api",
    "db": "database",
    "postgres": "database",
    "postgresql": "database",
    "mysql": "database",
    "p95": "latency",
    "p99": "latency",
    "p50": "latency",
    "slow": "latency",
    "slower": "latency",
    "faster": "latency",
    "qps": "throughput",
    "rps": "throughput",
    "etl": "etl",
    "elt": "etl",
    "tf": "terraform",
    "ci": "ci",
    "cd": "cd",
    "gpus": "gpu",
    "deadline": "timeline",
    "roadmap": "roadmap",
    "stakeholder": "stakeholder",
    "stakeholders": "stakeholder",
}


_LOCAL = threading.local()  # a snowball stemmer keeps state while it works: one per thread


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(_ALIASES.get(word, word))


def stems(text: str) -> list[str]:
    """Content-word stems of a text, in order.

    Example:
        >>> stems("Training pipelines for the models")
        ['train', 'pipelin', 'model']
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [_stem(w) for w in words if w not in _STOP and not w.isdigit()]


def _features(text: str) -> list[str]:
    tokens = stems(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


_VERBS = [
    "add",
    "agree",
    "align",
    "assess",
    "automate",
    "build",
    "check",
    "clean",
    "containerize",
    "create",
    "cut",
    "decide",
    "define",
    "deploy",
    "design",
    "document",
    "estimate",
    "evaluate",
    "expose",
    "figure",
    "find",
    "fix",
    "get",
    "give",
    "improve",
    "integrate",
    "investigate",
    "load",
    "make",
    "migrate",
    "monitor",
    "move",
    "optimize",
    "plan",
    "prioritize",
    "profile",
    "provision",
    "publish",
    "put",
    "reduce",
    "review",
    "roll",
    "run",
    "scale",
    "schedule",
    "serve",
    "set",
    "ship",
    "speed",
    "stand",
    "test",
    "train",
    "tune",
    "validate",
    "version",
    "wire",
    "write",
]
_SPLIT = re.compile(
    r"(?<=[.!?])\s+|;\s*|\n+|,\s*(?:and\s+)?(?:then|also)\s+"
    r"|,?\s+(?:and|then|and then|and also)\s+(?=(?:we\s+need\s+to\s+|also\s+)?(?:"
    + "|".join(_VERBS)
    + r")\b)",
    re.IGNORECASE,
)


def split_clauses(text: str) -> list[str]:
    """Split a request into clauses that may each belong to a different role.

    Sentences, semicolons, "then"/"also" and an "and" followed by a new verb start a clause.

    Example:
        >>> split_clauses("Train a churn model and expose it behind an API; then plan the launch")
        ['Train a churn model', 'expose it behind an API', 'then plan the launch']
    """
    parts = _SPLIT.split(text)
    return [p.strip().rstrip(".!?").strip() for p in parts if p and stems(p)]


@dataclass(frozen=True)
class Route:
    """A routing decision.

    Attributes:
        agent: The chosen role id.
        score: How strongly the text matched (0 when nothing matched).
        reason: The trigger or criterion line that matched best.
        criterion: For a handoff, the criterion's condition; ``None`` for triage or keeping work.
    """

    agent: str
    score: float
    reason: str
    criterion: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "agent": self.agent,
            "score": round(self.score, 3),
            "reason": self.reason,
            "criterion": self.criterion,
        }


_WEIGHTS = {
    "trigger": 3.0,
    "vocabulary": 2.0,
    "capability_title": 2.0,
    "inbound": 1.5,
    "capability": 1.0,
}


class Router:
    """Scores texts against the roles of a team.

    Args:
        cards: The team's cards by role id.
        fallback: The role that takes a request nobody's triggers match.
        min_score: Below this score triage falls back.

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> router.route("Our ETL job drops rows when ingesting the clickstream").agent
        'data_engineer'
    """

    def __init__(self, cards: dict[str, Card], *, fallback: str = "pm", min_score: float = 5.0):
        self.cards = cards
        self.fallback = fallback
        self.min_score = min_score
        best: dict[str, dict[str, float]] = {role: {} for role in cards}
        count: dict[str, Counter[str]] = {role: Counter() for role in cards}

        def add(role: str, text: str, kind: str) -> None:
            for feature in set(_features(text)):
                best[role][feature] = max(best[role].get(feature, 0.0), _WEIGHTS[kind])
                count[role][feature] += 1

        for role, card in cards.items():
            for item in card.triggers:
                add(role, item.text, "trigger")
            for cap in card.capabilities:
                add(role, cap.title, "capability_title")
                add(role, cap.text, "capability")
            for term in card.vocabulary:
                add(role, term, "vocabulary")
            for handoff in card.handoffs:
                if handoff.target_id in best:
                    add(handoff.target_id, handoff.condition, "inbound")
        df: Counter[str] = Counter()
        for features in best.values():
            df.update(features.keys())
        n = len(cards)
        self.idf = {f: math.log(1 + n / df[f]) for f in df}
        # A feature's weight: its strongest source, a little more when the card repeats it.
        self.profiles: dict[str, dict[str, float]] = {
            role: {
                f: (w + 0.5 * math.log(count[role][f])) * self.idf[f] for f, w in features.items()
            }
            for role, features in best.items()
        }

    def score(self, text: str, role: str) -> float:
        """How well ``text`` matches ``role``'s profile."""
        profile = self.profiles[role]
        return sum(profile.get(f, 0.0) for f in set(_features(text)))

    def _best_line(self, text: str, lines: list[str]) -> str:
        features = set(_features(text))

        def overlap(line: str) -> float:
            return sum(self.idf.get(f, 0.0) for f in features & set(_features(line)))

        return max(lines, key=overlap)

    def route(self, text: str, *, among: set[str] | None = None) -> Route:
        """Pick the role that should own ``text`` first (triage), among ``among`` if given."""
        scores = {
            role: self.score(text, role) for role in self.cards if among is None or role in among
        }
        best = max(scores, key=lambda role: (scores[role], -list(self.cards).index(role)))
        if scores[best] < self.min_score:
            return Route(
                self.fallback, scores[best], "no role's triggers match; fallback role takes it"
            )
        triggers = [t.text for t in self.cards[best].triggers]
        return Route(best, scores[best], self._best_line(text, triggers))

    def route_request(self, text: str, *, among: set[str] | None = None) -> Route:
        """Triage for a whole request: every clause counts, the opening ask counts double.

        A request that asks for several things belongs first to the role its opening ask needs;
        the other clauses travel on as handoffs.
        """
        clauses = split_clauses(text)
        if len(clauses) < 2:
            return self.route(text, among=among)
        roles = [r for r in self.cards if among is None or r in among]
        scores = {r: self.score(text, r) + LEAD_WEIGHT * self.score(clauses[0], r) for r in roles}
        best = max(roles, key=lambda r: (scores[r], -roles.index(r)))
        if self.score(text, best) < self.min_score:
            return self.route(text, among=among)
        triggers = [t.text for t in self.cards[best].triggers]
        return Route(best, scores[best], self._best_line(clauses[0], triggers))

    def criterion_score(self, text: str, role: str, target: str) -> float:
        """How well ``text`` matches ``role``'s criterion for handing off to ``target``."""
        handoff = self.cards[role].handoff_to(target)
        if handoff is None:
            return 0.0
        shared = set(_features(text)) & set(_features(handoff.condition))
        direct = sum(self.idf.get(f, 1.0) for f in shared)
        return self.score(text, target) + CRITERION_BONUS * direct

    def handoff(self, text: str, role: str) -> Route:
        """Whom ``role`` should give ``text`` to: a handoff target, or ``role`` itself to keep it."""
        own = self.score(text, role)
        best: Route | None = None
        for handoff in self.cards[role].handoffs:
            if handoff.target_id not in self.cards:
                continue
            score = self.criterion_score(text, role, handoff.target_id)
            if best is None or score > best.score:
                best = Route(
                    handoff.target_id,
                    score,
                    f"Hand off to {handoff.target_name} when {handoff.condition}",
                    handoff.condition,
                )
        if best is not None and best.score >= self.min_score and best.score > own * KEEP_MARGIN:
            return best
        triggers = [t.text for t in self.cards[role].triggers]
        return Route(role, own, self._best_line(text, triggers))


# A target's score counts the words its criterion shares with the text once more, twice over.
CRITERION_BONUS = 2.0
# A role hands work off when a target scores above this share of its own score.
KEEP_MARGIN = 0.9
# In a request of several clauses, the opening ask counts this much once more.
LEAD_WEIGHT = 1.0

_ROUTERS: dict[tuple[object, ...], tuple[list[Card], Router]] = {}


def router_for(cards: dict[str, Card], *, fallback: str = "pm", min_score: float = 5.0) -> Router:
    """A shared ``Router`` for a team's cards (building one scores every card; do it once).

    Example:
        >>> from team.topology import Team
        >>> cards = Team.load().cards
        >>> router_for(cards) is router_for(cards)
        True
    """
    # Keyed by the card objects themselves: a copied dict of the same cards shares the router.
    key = (tuple((role, id(card)) for role, card in sorted(cards.items())), fallback, min_score)
    cached = _ROUTERS.get(key)
    if cached is None or any(a is not b for a, b in zip(cached[0], cards.values(), strict=False)):
        cached = (list(cards.values()), Router(cards, fallback=fallback, min_score=min_score))
        _ROUTERS[key] = cached
    return cached[1]
