"""Role profiles from the cards, and triage: which role takes a request first.

Each role gets a weighted bag of word stems (and adjacent-stem bigrams) built from its own card:
Triggers weigh most, then Vocabulary and Core Capability titles, then capability texts. A stem
shared by many roles counts for less (inverse document frequency over roles). Labelled examples
(``team.routing.examples``) add what people call a role's work in words its card does not use. A request scores against every profile; the best wins, and the trigger
line that shares the most weight with the request is the reason.

This module must not import LangGraph: ``team route`` stays fast.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from team.cards import Card
from team.routing.clauses import ask_core, for_meaning, read_clauses
from team.routing.examples import count_features, packaged_counts
from team.routing.intro import request_body
from team.routing.kinds import is_input_check, is_priority, is_success_criteria
from team.routing.project_asks import is_decision, is_project_report, is_stakeholder_message
from team.routing.semantic import MIN_WORDS, NEAREST_MIN, Reading, semantic_reader
from team.routing.text import CHOICE, _stem, features, is_choice, slips, stems, words

__all__ = ["Route", "Router", "router_for"]


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
    "capability": 1.0,
}
# A criterion's meaning reaches the target's card lines that share a rare word with it.
_NEAR = 0.5


class Router:
    """Scores texts against the roles of a team, and asks against handoff criteria.

    A role's profile comes from its own card only (Triggers, Capabilities, Vocabulary): what
    another card says about a role when handing work to it is that card's condition, not the
    role's work.

    Args:
        cards: The team's cards by role id.
        fallback: The role that takes a request nobody's triggers match.
        min_score: Below this score triage falls back.
        examples: Labelled ``(text, role)`` pairs learnt into the profiles (default: the
            packaged ones); examples of roles the team does not have are left out.
        semantic: Also read asks by meaning (``team.routing.semantic``) when the encoder is
            fetched; False keeps to the words.

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> router.route("Our ETL job drops rows when ingesting the clickstream").agent
        'data_engineer'
    """

    def __init__(
        self,
        cards: dict[str, Card],
        *,
        fallback: str = "pm",
        min_score: float = 5.0,
        examples: list[tuple[str, str]] | None = None,
        semantic: bool = True,
    ):
        self.cards = cards
        # The nearest labelled asks by meaning, when the encoder is fetched (``understood``).
        self.reader = semantic_reader(frozenset(cards)) if semantic else None
        self.fallback = fallback
        self.min_score = min_score
        best: dict[str, dict[str, float]] = {role: {} for role in cards}
        count: dict[str, Counter[str]] = {role: Counter() for role in cards}
        self.lines: dict[str, list[str]] = {role: [] for role in cards}

        def add(role: str, text: str, kind: str) -> None:
            self.lines[role].append(text)
            for feature in set(features(text)):
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
        self.names = _names(cards)
        self.known = frozenset(w for lines in self.lines.values() for t in lines for w in words(t))
        self._spelled: dict[str, str] = {}
        self._line_features: dict[str, set[str]] = {}
        df: Counter[str] = Counter()
        for found in best.values():
            df.update(found.keys())
        n = len(cards)
        self.idf = {f: math.log(1 + n / df[f]) for f in df}
        self.rare = {f for f in df if df[f] <= n // 2 and " " not in f}
        # A feature's weight: its strongest source, a little more when the card repeats it.
        self.profiles: dict[str, dict[str, float]] = {
            role: {f: (w + 0.5 * math.log(count[role][f])) * self.idf[f] for f, w in found.items()}
            for role, found in best.items()
        }
        self._learn(packaged_counts() if examples is None else count_features(examples))
        self.criteria = {
            (role, h.target_id): self._criterion_words(h.condition, h.target_id)
            for role, card in cards.items()
            for h in card.handoffs
            if h.target_id in cards
        }
        # A word only a criterion says ("a smaller model, fewer features, or quantization") is as
        # rare as a card word can be: it names the ask the criterion is for.
        for said in self.criteria.values():
            for stem in said.keys() - self.idf.keys():
                self.idf[stem] = math.log(1 + n)
                self.rare.add(stem)

    def understood(self, text: str) -> str | None:
        """The role the labelled asks nearest ``text`` in meaning give it, or None to leave the
        ask to the words: the vote must be confident and the team have that role, and where the
        card words clearly name another role (a lead of ``WORDS_CLEAR`` over the runner-up, at
        least ``LEAD_MIN``) only a near-unanimous vote (``SURE``) overrules them. A lead taken on
        words that name who or what the ask is about (``_GENERIC``: "the manager", "our app")
        is not clear: "warn the manager when the app stops" leans PM on "manager" alone. An ask
        that only points back at what was just said (``points_back``) is left to the words. On a
        check of what an endpoint takes (``is_input_check``) no vote overrules clear words: its
        nearest labelled asks are checks on a table's values, and "the endpoint needs input
        validation" went to the Data Engineer on a 0.90 vote."""
        if self.reader is None or points_back(text):
            return None
        found = self.reader.read(for_meaning(text))
        if not found.confident or found.role not in self.cards or self._thin_fallback(found):
            return None
        if found.confidence >= SURE and not is_input_check(text):
            return found.role
        specific = {f for f in self.features(text) if not set(f.split()) <= _GENERIC}
        scores = {r: self._score(specific, r) for r in self.cards}
        owner = max(scores, key=lambda r: scores[r])
        ranked = sorted(scores.values(), reverse=True)
        best, second = ranked[0], ranked[1] if len(ranked) > 1 else 0.0
        words_clear = best >= LEAD_MIN and (best - second) >= WORDS_CLEAR * best
        return found.role if owner == found.role or not words_clear else None

    def _thin_fallback(self, found: Reading) -> bool:
        """A vote for the fallback role (the PM) that is barely taken (a share under
        ``THIN_SHARE``) on labelled asks barely alike (the nearest under ``THIN_NEAREST``) is a
        lean, and a lean to the PM is no reading (``leaning``): the PM's asks are told by their
        kind. "set up plan review on PRs" (a Terraform plan, said after its state) got 0.705 for
        the PM from post-launch reviews 0.46-0.52 alike once asks_final49 joined the vote."""
        return (
            found.role == self.fallback
            and found.confidence < THIN_SHARE
            and found.similarity < THIN_NEAREST
        )

    def leaning(self, text: str) -> str | None:
        """The role that has at least ``LEANING`` of the nearest labelled asks' vote on
        ``text``, short of a confident vote, or None when no labelled ask is ``NEAREST_MIN``
        alike, the ask is under ``MIN_WORDS`` words ("model again" means too little alone) or the
        vote is spread thinner: it only breaks a near tie
        of the card words ("set memory requests and limits ..., plus a PodDisruptionBudget"
        fits DevOps and Performance alike in words; its meaning is DevOps'). A lean to the
        fallback role (the PM) is no reading: the PM's asks are told by their kind, and "set up
        plan review on PRs" leaned PM from a DevOps holder that owned it."""
        if self.reader is None:
            return None
        found = self.reader.read(for_meaning(text))
        if (
            found.similarity < NEAREST_MIN
            or len(found.text.split()) < MIN_WORDS
            or found.confidence < LEANING
            or found.role not in self.cards
            or found.role == self.fallback
        ):
            return None
        return found.role

    def _learn(self, counts: dict[str, dict[str, int]]) -> None:
        """Add what labelled examples say about each role: a feature seen in a role's examples
        adds up to ``EXAMPLE_WEIGHT`` (full at ``EXAMPLE_SATURATION`` examples), times its rarity
        across roles (counting the roles whose card or examples have it)."""
        seen = {role: counts.get(role, {}) for role in self.cards}
        df: Counter[str] = Counter()
        for role in self.cards:
            df.update(set(seen[role]) | set(self.profiles[role]))
        n = len(self.cards)
        for role, found in seen.items():
            profile = self.profiles[role]
            for feature, times in found.items():
                share = min(times, EXAMPLE_SATURATION) / EXAMPLE_SATURATION
                learnt = EXAMPLE_WEIGHT * share * math.log(1 + n / df[feature])
                profile[feature] = profile.get(feature, 0.0) + learnt

    def _criterion_words(self, condition: str, target: str) -> dict[str, float]:
        """What a criterion covers: its own stems, and at half weight the stems of the target's
        card lines that share a rare stem with it (the card says what "ETL jobs" means)."""
        own = set(stems(condition))
        words = dict.fromkeys(own, 1.0)
        if is_choice(condition) or "choic" in own:  # "a technology choice such as ..."
            words[CHOICE] = 1.0
        for line in self.lines[target]:
            line_stems = set(stems(line))
            if line_stems & own & self.rare:
                for stem in line_stems - own:
                    words[stem] = _NEAR
        return words

    def addressee(self, name: str) -> str | None:
        """The role a request addresses as ``name`` ("devops", "perf", "data"), if any.

        Example:
            >>> from team.topology import Team
            >>> router = Router(Team.load().cards)
            >>> router.addressee("perf"), router.addressee("someone")
            ('performance_engineer', None)
        """
        return self.names.get(name.lower())

    def spell(self, word: str) -> str:
        """A word the cards do not use, read as the card word it misspells ("endpiont")."""
        fixed = self._spelled.get(word)
        if fixed is None:
            fixed = word
            if len(word) >= 6 and word not in self.known and _stem(word) not in self.idf:
                alike = [self._singular(w, word) for w in slips(word)]
                alike = [w for w in alike if w in self.known]
                close = difflib.get_close_matches(word, alike, n=1, cutoff=0.0)
                fixed = close[0] if close else word
            self._spelled[word] = fixed
        return fixed

    def _singular(self, slip: str, word: str) -> str:
        """A plural slip read as the singular the cards use ("recomendations"), where the slip
        did not change the plural's ending ("drives" is not "drivens")."""
        if slip in self.known or not slip.endswith("s") or slip[-2:] != word[-2:]:
            return slip
        return slip[:-1]

    def features(self, text: str) -> set[str]:
        """The features of ``text``, misspelt card words read as the card writes them."""
        return set(features(text, spell=self.spell))

    def score(self, text: str, role: str) -> float:
        """How well ``text`` matches ``role``'s profile."""
        return self._score(self.features(text), role)

    def _score(self, found: set[str], role: str) -> float:
        return sum(map(self.profiles[role].get, found, repeat(0.0)))

    def best_line(self, text: str, lines: list[str]) -> str:
        """The line of ``lines`` that shares the most rare words with ``text``."""
        found = set(features(text))

        def overlap(line: str) -> float:
            line_features = self._line_features.get(line)
            if line_features is None:  # card lines: read once per router
                line_features = self._line_features[line] = set(features(line))
            return sum(self.idf.get(f, 0.0) for f in found & line_features)

        return max(lines, key=overlap)

    def route(self, text: str, *, among: set[str] | None = None) -> Route:
        """Pick the role that should own ``text`` first (triage), among ``among`` if given."""
        found = self.features(text)
        scores = {
            role: self._score(found, role) for role in self.cards if among is None or role in among
        }
        best = max(scores, key=lambda role: (scores[role], -list(self.cards).index(role)))
        if scores[best] < self.min_score:
            return Route(
                self.fallback, scores[best], "no role's triggers match; fallback role takes it"
            )
        triggers = [t.text for t in self.cards[best].triggers]
        return Route(best, scores[best], self.best_line(text, triggers))

    def route_request(self, text: str, *, among: set[str] | None = None) -> Route:
        """Triage for a whole request: every clause counts, the opening clause counts double.

        A request that asks for several things belongs first to the role its opening clause
        needs, even when that clause only sets the scene ("We moved search to the new cluster");
        the other asks travel on as handoffs.
        """
        clauses = read_clauses(text, addressee=self.addressee)
        text = request_body(text)  # who writes says nothing of whose work it is
        if len(clauses) < 2:
            # a lone ask of a kind that is the PM's ("Host the kickoff call with ...") is too
            to = (self.understood(clauses[0]) or self.decider(clauses[0])) if clauses else None
            if to is not None and (among is None or to in among):
                return self.route(text, among={to})
            return self.route(text, among=among)
        roles = [r for r in self.cards if among is None or r in among]
        # The lead is the first ask (a problem report is one unless the request asks outright)
        # that one card fits well and ahead of the others, or that is put to a role by name.
        lead = next(
            (
                c
                for c in clauses
                if c.is_ask
                and (
                    c.to in roles
                    or self._leads(ask_core(c), roles)
                    or self.decider(c)
                    or self.understood(c) in roles
                )
            ),
            clauses[0],
        )
        # A whole opening sentence sets the scene; a fragment ("For the new service:") does not.
        opening = clauses[0] if lead is not clauses[0] and len(stems(clauses[0])) >= 5 else ""
        # The request's story and its lead count in full; the other asks, which travel on as
        # handoffs, count less: the first role is the lead's, not the busiest domain's.
        scene = self.features(" ".join(c for c in clauses if not c.is_ask or c is lead))
        others = self.features(" ".join(c for c in clauses if c.is_ask and c is not lead))
        whole, opened = self.features(text), self.features(opening)
        led = self.features(ask_core(lead))
        scores = {
            r: self._score(scene, r)
            + OTHER_ASKS_WEIGHT * self._score(others, r)
            + LEAD_WEIGHT * self._score(led, r)
            + OPENING_WEIGHT * self._score(opened, r)
            for r in roles
        }
        best = max(roles, key=lambda r: (scores[r], -roles.index(r)))
        to = lead.to or self.understood(lead) or self.decider(lead) or self.chooser(lead)
        if to in roles:  # the first ask names whom it is for ("Can PM write ..."), or is a
            best = to  # decision no engineering card recognises
        elif self._score(whole, best) < self.min_score:
            return self.route(text, among=among)
        triggers = [t.text for t in self.cards[best].triggers]
        return Route(best, scores[best], self.best_line(lead, triggers))

    def kind_owner(self, clause: str) -> str | None:
        """The fallback role (the PM) for an ask that defines the goal or how to judge it
        ("write down what faster actually means and how we'd know we got there"): the kind of
        ask says whose it is before the labelled asks its speed words are near."""
        if self.fallback in self.cards and is_success_criteria(clause):
            return self.fallback
        return None

    def decider(self, clause: str) -> str | None:
        """The fallback role (the PM) for a report on the project, a message or a meeting for
        the people the work is for ("let the partners know when ..."), or a decision or a
        definition whose object no other card fits at least ``LEAD_MIN`` ("Decide which one
        goes first based on the revenue at stake"); a decision about something a card knows ("decide between Postgres and
        DynamoDB") is that card's to weigh, like any ask."""
        if self.fallback not in self.cards:
            return None
        if (
            is_project_report(clause)
            or is_stakeholder_message(clause)
            or is_priority(clause)
            or is_success_criteria(clause)
        ):
            return self.fallback  # the kind of ask says whose it is, not its nouns
        if not is_decision(clause):
            return None
        others = [self.score(clause, r) for r in self.cards if r != self.fallback]
        return self.fallback if max(others, default=0.0) < LEAD_MIN else None

    def chooser(self, clause: str, scores: dict[str, float] | None = None) -> str | None:
        """The role a choice goes to when the card that fits it best hands technology choices
        on: a choice of stores or platforms ("MySQL tables or ClickHouse?") says a Data
        Engineer's words, and the Data Engineer's own card gives such a choice to the System
        Architect. That role takes it when it is the runner-up, at least ``CHOICE_SHARE`` of the
        best; the PM's choices (what goes first) stay the PM's. A choice said in the words of one
        ("stay on MySQL or move to ClickHouse") is the System Architect's by its words already.

        Example:
            >>> from team.topology import Team
            >>> router = Router(Team.load().cards)
            >>> router.chooser("Should the ledger live in partitioned MySQL tables or in ClickHouse?")
            'system_architect'
            >>> router.chooser("Add a MySQL table for the daily ledger") is None
            True
        """
        if not is_choice(clause):
            return None
        if scores is None:
            scores = {r: self.score(clause, r) for r in self.cards}
        order = list(self.cards)
        best, second = sorted(scores, key=lambda r: (-scores[r], order.index(r)))[:2]
        hands_on = CHOICE in self.criteria.get((best, second), {})
        if best == self.fallback or not hands_on or scores[second] < CHOICE_SHARE * scores[best]:
            return None
        return second

    def _leads(self, clause: str, roles: list[str]) -> bool:
        """Whether ``clause`` may lead triage: some card fits it at least ``LEAD_MIN``, and by
        ``LEAD_MARGIN`` ahead of the next ("Labels want to be told when a release goes live" fits
        ML and the PM alike: it says too little about whose work the request is)."""
        top = [*sorted((self.score(clause, r) for r in roles), reverse=True), 0.0]
        return top[0] >= LEAD_MIN and top[0] - top[1] >= LEAD_MARGIN * top[0]


# A choice the best card hands on goes to its runner-up when that scores this share of the best.
CHOICE_SHARE = 0.55
# What a feature of a role's labelled examples adds to its profile, before its rarity.
EXAMPLE_WEIGHT = 2.0
# A feature seen in this many of a role's examples adds the whole ``EXAMPLE_WEIGHT``.
EXAMPLE_SATURATION = 3
# In a request of several clauses, the opening ask counts this much once more (3.0 let the words
# of a later ask outweigh it: "Can someone confirm whether the throttling explains the latency,
# and if so fix the CPU limits in the chart?" went to DevOps).
LEAD_WEIGHT = 5.0
# The lead is the first ask that some card fits at least this well; an ask no card fits this
# well is too weak to lead triage or to be handed on ("confirm", "hold a room").
LEAD_MIN = 8.0
# The card words name an ask's owner clearly when it leads the runner-up by this share; then
# only a vote of ``SURE`` or more of the nearest labelled asks reads it otherwise.
WORDS_CLEAR = 0.3
SURE = 0.9
# Words that name who or what a request is about rather than the work asked: a lead of the card
# words on these alone does not outweigh a confident vote (``Router.understood``).
_GENERIC = frozenset(
    stems(
        "manager managers customer customers team teams app apps system systems data people "
        "user users staff member members client clients business company website site owner "
        "owners"
    )
)
# "which of these", "those", "them": words that point back at what was just said.
_BACK = re.compile(r"\b(?:these|those|them|this one|that one)\b", re.I)


def points_back(text: str) -> bool:
    """An ask that points back at what was just said and has at most two words of its own
    ("Great, which of these matters most?"): its topic is the answer before it, so a reading by
    meaning, which sees only the words, has nothing to read; its nearest labelled ask ("put them
    in order of what matters most") would hand a follow-up on a role's own findings to the PM.

    Example:
        >>> points_back("Great, which of these matters most?"), points_back("Deploy these to staging on Kubernetes")
        (True, False)
    """
    return bool(_BACK.search(text)) and len(words(text)) <= 2


# A vote for the fallback role under this share, on a nearest labelled ask under this
# similarity, is thin: a lean, and no reading for the PM (``Router._thin_fallback``).
THIN_SHARE = 0.75
THIN_NEAREST = 0.55
# Where the card words tie, a vote of this share of the nearest labelled asks breaks the tie (a
# plurality of 0.37 is no reading: "Labels need to be told when a release goes live").
LEANING = 0.5
# ... and leads the runner-up by this share of its score.
LEAD_MARGIN = 0.05
# An opening sentence that sets the scene before the first ask counts this much once more.
OPENING_WEIGHT = 3.0
# The asks after the lead count this much in triage (the scene and the lead count 1.0): "can you
# tell me if the model gets there? also write the acceptance criteria for the review screen"
# is the ML Engineer's first, though the PM's words are more.
OTHER_ASKS_WEIGHT = 0.75

# What people call a role besides its card name's first word ("DevOps", "ML", "data").
_NICKNAMES = {
    "perf": "performance_engineer",
    "arch": "system_architect",
    "architect": "system_architect",
    "architecture": "system_architect",
    "infra": "devops_engineer",
    "sre": "devops_engineer",
    "ops": "devops_engineer",
    "product": "pm",
    # initials, as in "question for SA:", "DE to confirm ..."
    "sa": "system_architect",
    "de": "data_engineer",
}


def _names(cards: dict[str, Card]) -> dict[str, str]:
    """The names a request may address a role by: its card name's first word ("DevOps" of
    "DevOps Engineer", "PM") and, for the roles the team has, the common nicknames."""
    names = {role: role for role in cards}
    names.update((card.name.split()[0].lower(), role) for role, card in cards.items())
    names.update((nick, role) for nick, role in _NICKNAMES.items() if role in cards)
    return names


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
