"""Who owns each ask of a request, and whether a handoff criterion fits the ask handed over.

An ask's owner is the role whose card fits it best (the ask's own words, its request's context
at a lower weight) by a margin. A role keeps the asks it owns. It hands an ask to its owner only
along an edge whose criterion fits that ask: the fit is the weight of the words the ask shares
with the criterion (and, at half weight, with the owner's card lines the criterion names). Where
no edge fits, an ask the owner's card fits clearly and well goes straight to the owner along the
holder's edge to it as an escalation (it claims no fit); else an ask for the escalation role (the
PM) goes there as an escalation, and any other ask stays open, said so in the role's answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from team.routing.clause_kind import Clause
from team.routing.clauses import ask_core, read_clauses
from team.routing.kinds import is_part_of_previous, is_verdict
from team.routing.router import LEAD_MIN, Route, Router
from team.routing.text import CHOICE, is_choice, stems

__all__ = [
    "ESCALATION",
    "Ask",
    "Fit",
    "Misfit",
    "Move",
    "check_handoff",
    "criterion_fit",
    "decide_handoff",
    "first_handoff",
    "next_move",
    "plan_request",
    "quoted_ask",
    "read_request",
    "travels_with",
]

# The best role owns an ask outright when the runner-up scores below this share of it.
OWNER_MARGIN = 0.15
# A holder that owns an ask by this margin keeps it whatever its criteria say.
CLEAR_MARGIN = 0.3
# Context sentences count this much towards an ask's owner.
CONTEXT_WEIGHT = 0.35
# ... and at most this share of the best score the ask's own words give.
CONTEXT_CAP = 0.5
# A criterion fits an ask when they share at least this much weight.
FIT_MIN = 1.0
# The holder hands an ask on when a target outweighs this share of the holder's own score (the
# holder's words describe its own situation, so its score runs high).
KEEP_SHARE = 0.9
# A criterion of the holder's card disclaims an ask the holder's card fits best when it names
# the ask in this many words.
DISCLAIM_WORDS = 2
# A target must score at least this share of the holder's own card score on the ask: a criterion
# that fits does not make another role's core work.
OWN_SHARE = 0.7
# A handoff goes to a role that could own the ask: the owner, or a role within the owner margin
# (a role well behind the owner that shares a word with a criterion is not the one to ask).
PLAUSIBLE = 1 - OWNER_MARGIN
# An ask whose best role leads by less than this share has no owner: its holder answers it, and
# only the best role, not a runner-up a criterion happens to fit, may be handed it, and only
# along a criterion that says one of the ask's words itself (not only its target card's lines).
UNOWNED = 0.05
# A criterion's fit counts this much towards its target owning the ask (the holder's view).
FIT_BONUS = 1.5
# An ask goes straight to its owner along an edge whose criterion does not fit only when the
# owner's card fits it this well (and by the clear margin): a weak reading is not sent on.
STRAIGHT_MIN = 2 * LEAD_MIN


@dataclass(frozen=True)
class Ask:
    """One ask of a request and the roles that could own it, best first."""

    text: str
    scores: tuple[tuple[str, float], ...]
    # the card words tied and the meaning's leaning chose the owner (``_break_tie``)
    tie_broken: bool = False

    @property
    def owner(self) -> str:
        return self.scores[0][0]

    @property
    def margin(self) -> float:
        """How far the owner leads the runner-up, as a share of the owner's score (0..1)."""
        best = self.scores[0][1]
        second = self.scores[1][1] if len(self.scores) > 1 else 0.0
        return (best - second) / best if best > 0 else 0.0

    def score(self, role: str) -> float:
        return dict(self.scores).get(role, 0.0)

    def owned_by(self, role: str) -> bool:
        """Whether ``role`` may keep this ask: it owns it, or it is within the margin."""
        best = self.scores[0][1]
        return role == self.owner or (best > 0 and self.score(role) >= best * (1 - OWNER_MARGIN))


@dataclass(frozen=True)
class Fit:
    """How well the criterion of the edge ``source -> target`` fits a text."""

    source: str
    target: str
    criterion: str
    score: float
    shared: tuple[str, ...]
    direct: int = (
        0  # how many of ``shared`` the criterion itself says (the rest, its target's card)
    )

    @property
    def fits(self) -> bool:
        return self.score >= FIT_MIN


# The criterion an escalation cites: it claims no fit.
ESCALATION = "escalation: none of my handoff criteria fits this ask"


@dataclass(frozen=True)
class Move:
    """What the holder of the work does with one ask."""

    ask: Ask
    action: Literal["keep", "handoff", "escalate", "open"]
    target: str
    fit: Fit | None = None

    @property
    def criterion(self) -> str:
        """The criterion a handoff cites (an escalation cites ``ESCALATION``)."""
        if self.action == "escalate":
            return ESCALATION
        return self.fit.criterion if self.fit else ""


_CONDITION = re.compile(
    r",?\s+\b(?:once|whenever|as soon as)\b",
    re.IGNORECASE,
)

# "Text the caretaker as soon as the pumps stop", "warn us whenever a disk fills up": the
# condition of a message is what it watches for, the ask itself, not its situation.
_TELLS = re.compile(
    r"^\W*(?:please\s+|and\s+)?(?:warn|alert|notify|text|email|e-mail|ping|page|message|let)\b",
    re.IGNORECASE,
)


def _condition(clause: str) -> tuple[str, str]:
    """An ask without its condition ("... once the data lands") or the requirement read into
    it ("...; it has to beat the bestseller list") or a verbless list item left with it, and
    that condition (context)."""
    head = ask_core(clause)
    required = clause[len(head) :].lstrip("; ")
    match = _CONDITION.search(head)
    if match is None or match.start() == 0 or _TELLS.match(head):
        return head, required
    return head[: match.start()], f"{head[match.end() :]} {required}".strip()


def read_request(router: Router, text: str) -> tuple[list[Ask], list[str]]:
    """A request's asks, each with its candidate owners, and its context sentences.

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> asks, context = read_request(router, "We trained a model. Expose it behind a REST API.")
        >>> [(a.text, a.owner) for a in asks], context
        ([('Expose it behind a REST API', 'backend_architect')], ['We trained a model'])
    """
    clauses = read_clauses(text, addressee=router.addressee)
    # What the request says about the situation (context, and problem reports) informs every ask.
    scene = [c for c in clauses if c.kind != "ask"]
    asks: list[Ask] = []
    asked: Ask | None = None  # the last ask asked outright (not a problem report)
    for i, c in enumerate(clauses):
        if not c.is_ask:
            continue
        if (
            asked is not None
            and not c.to
            and (is_verdict(c, content=len(stems(c))) or is_part_of_previous(c))
        ):
            # "..., and give us a ranked list of what to fix": the analyst's conclusion
            asks.append(Ask(str(c), asked.scores))
            continue
        around = [*(other for other in scene if other is not c), *_went_before(clauses, i)]
        asks.append(_ask(router, c, " ".join(around), to=c.to))
        if c.kind == "ask":
            asked = asks[-1]
    return asks, [str(c) for c in clauses if not c.is_ask]


# A word that points back at what was just asked ("..., and tell us at what rate it starts
# rejecting orders", "fix them"); "whether it's the database" and "its own service" do not.
_POINTS_BACK = re.compile(r"\b(?:it(?!'s|\s+is\b)|them|those|these)\b", re.IGNORECASE)


def _went_before(clauses: list[Clause], number: int) -> list[str]:
    """The ask just before clause ``number`` when the clause points back at it: the work it
    goes on with is its situation ("Load test the order path at 10x, and tell us at what rate
    it starts rejecting orders" is the load tester's to answer)."""
    clause = clauses[number]
    before = clauses[number - 1] if number > 0 else None
    if before is None or before.kind != "ask" or not _POINTS_BACK.search(clause):
        return []
    return [str(before)]


def _ask(router: Router, text: str, context: str, *, to: str | None = None) -> Ask:
    """An ask scored against every card: its own words, its condition and the request's context
    at ``CONTEXT_WEIGHT``. An ask addressed to a role by name is that role's, by a clear margin;
    so is an ask whose meaning the nearest labelled asks agree on (``Router.understood``)."""
    head, tail = _condition(text)
    around = f"{tail} {context}".strip()
    own = {r: router.score(head, r) for r in router.cards}
    near = {r: CONTEXT_WEIGHT * router.score(around, r) if around else 0.0 for r in router.cards}
    # The context tells apart the roles the ask fits; it does not outweigh what the ask says.
    cap = CONTEXT_CAP * max(own.values())
    if cap > 0 and max(near.values()) > cap:
        scale = cap / max(near.values())
        near = {r: s * scale for r, s in near.items()}
    scores = {r: own[r] + near[r] for r in router.cards}
    to = to or router.kind_owner(head) or router.understood(str(text))
    to = to or router.decider(head) or router.chooser(head, scores)
    tie_broken = to is None and _break_tie(scores, router.leaning(str(text)))
    if to in scores:  # named or a decision: worth handing to its owner, however few its words
        scores[to] = max(*scores.values(), router.min_score, LEAD_MIN) / (1 - CLEAR_MARGIN)
    order = list(router.cards)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], order.index(item[0])))
    return Ask(str(text), tuple(ranked), tie_broken=tie_broken)


def _break_tie(scores: dict[str, float], lean: str | None) -> bool:
    """Where the words cannot tell the owner (the role the meaning leans to is within
    ``OWNER_MARGIN`` of the best), the meaning decides: that role owns the ask outright.
    Returns whether it chose another role than the words' best.

    Example:
        >>> scores = {"performance_engineer": 22.4, "devops_engineer": 22.0, "ml_engineer": 9.0}
        >>> _break_tie(scores, "devops_engineer"), max(scores, key=lambda r: scores[r])
        (True, 'devops_engineer')
        >>> _break_tie({"pm": 20.0, "devops_engineer": 10.0}, "devops_engineer")
        False
    """
    best = max(scores.values(), default=0.0)
    if lean is None or best <= 0 or scores.get(lean, 0.0) < best * (1 - OWNER_MARGIN):
        return False
    first = scores[lean] == best
    scores[lean] = best / (1 - OWNER_MARGIN)
    return not first


def criterion_fit(router: Router, text: str, source: str, target: str) -> Fit:
    """How well ``source``'s criterion for handing off to ``target`` fits ``text``.

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> fit = criterion_fit(router, "add data quality checks to the ETL job", "ml_engineer", "data_engineer")
        >>> fit.fits, fit.shared[:2]
        (True, ('data', 'etl'))
    """
    handoff = router.cards[source].handoff_to(target)
    words = router.criteria.get((source, target), {})
    if handoff is None:
        return Fit(source, target, "", 0.0, ())
    said = set(stems(text, spell=router.spell)) | ({CHOICE} if is_choice(text) else set())
    shared = sorted({s for s in said if s in words and s in router.rare})
    score = sum(words[s] * router.idf.get(s, 0.0) for s in shared)
    direct = [s for s in shared if words[s] == 1.0]
    near = [s for s in shared if words[s] != 1.0]
    return Fit(source, target, handoff.condition, score, tuple(direct + near), len(direct))


def quoted_ask(reason: str) -> str:
    """The ask a handoff reason quotes ('The request asks "..."'), else the whole reason.

    Example:
        >>> quoted_ask('The request asks "set up CI/CD", which needs DevOps'), quoted_ask("dates")
        ('set up CI/CD', 'dates')
    """
    start = reason.find('"')
    end = reason.find('"', start + 1)
    return reason[start + 1 : end] if 0 <= start < end else reason


@dataclass(frozen=True)
class Misfit:
    """A handoff whose criterion does not fit its ask, and what fits instead: the best-fitting
    legal edge, or (``best is None``) the holder itself, whose card fits the ask best."""

    chosen: Fit
    best: Fit | None


def _names_role(router: Router, text: str, role: str) -> bool:
    """Whether ``text`` names ``role`` ("performance_engineer owns the next step", "perf should
    profile it"): a reason that says whose work it is is not read for that role's topic words,
    where "engineer" would match any engineer's criterion."""
    return any(router.addressee(word) == role for word in re.findall(r"\w+", text))


def check_handoff(
    router: Router, text: str, source: str, target: str, legal: Collection[str]
) -> Misfit | None:
    """``None`` when the criterion of ``source -> target`` fits ``text``, or nothing fits better;
    else what fits better: another legal edge whose criterion fits, or the holder's own card.

    Example:
        >>> from team.topology import Team
        >>> team = Team.load()
        >>> router, legal = Router(team.cards), team.targets("devops_engineer")
        >>> found = check_handoff(router, "add dependency caching to the CI workflow",
        ...                       "devops_engineer", "performance_engineer", legal)
        >>> found.chosen.fits, found.best  # no criterion fits; DevOps's own card does
        (False, None)
        >>> found = check_handoff(router, "write the OpenAPI contract for the health endpoints",
        ...                       "devops_engineer", "performance_engineer", legal)
        >>> found.best.target
        'backend_architect'
    """
    chosen = criterion_fit(router, text, source, target)
    if chosen.fits or not stems(text) or _names_role(router, text, target):
        return None
    fits = [criterion_fit(router, text, source, t) for t in legal if t not in (source, target)]
    best = max((f for f in fits if f.fits), key=lambda f: f.score, default=None)
    if best is not None:
        return Misfit(chosen, best)
    asks, _ = read_request(router, text)
    return Misfit(chosen, None) if {a.owner for a in asks} == {source} else None


def next_move(router: Router, ask: Ask, holder: str, legal: Collection[str]) -> Move:
    """What ``holder`` does with ``ask``, given the targets it may hand off to.

    The holder weighs each target by its card's fit to the ask plus the fit of the criterion
    that leads there; it keeps the ask when its own card fits about as well (within the margin).

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> [ask], _ = read_request(router, "Add data quality checks to the nightly ETL job")
        >>> move = next_move(router, ask, "ml_engineer", {"data_engineer", "pm"})
        >>> move.action, move.target
        ('handoff', 'data_engineer')
    """
    if ask.scores[0][1] < max(router.min_score, LEAD_MIN) or (
        ask.owner == holder and ask.margin >= CLEAR_MARGIN
    ):
        # Nobody's work in particular (too weak to lead triage, too weak to hand on), or
        # clearly mine.
        return Move(ask, "keep", holder)
    fits = {t: criterion_fit(router, ask.text, holder, t) for t in legal if t != holder}
    own = ask.score(holder)
    # When the holder's card fits the ask best, only a criterion of its own card that names the
    # ask in two words or more ("a model registry ... provisioned") says the ask is not its own.
    named = DISCLAIM_WORDS if ask.owner == holder else 0
    weighed = {
        t: ask.score(t) + FIT_BONUS * fit.score
        for t, fit in fits.items()
        if fit.fits
        and fit.direct >= named
        and ask.score(t) >= own * OWN_SHARE
        and ask.score(t) >= ask.scores[0][1] * PLAUSIBLE
        # an ask its owner leads by a hair goes only along a criterion that itself names it
        and (ask.margin >= UNOWNED or (t == ask.owner and fit.direct >= 1))
        # ... and so does an ask the cards read weakly: words the target's card lines share
        # with it ("changes", "safely") are no reason to pass on what nobody's card names
        and (fit.direct >= 1 or ask.scores[0][1] >= STRAIGHT_MIN)
    }
    best = max(weighed, key=lambda t: (weighed[t], ask.score(t)), default=None)
    if best is not None and weighed[best] > own * KEEP_SHARE:
        return Move(ask, "handoff", best, fits[best])
    if ask.owned_by(holder) or best is not None or ask.margin < UNOWNED:
        return Move(ask, "keep", holder)
    owner, escalation = ask.owner, router.fallback
    if owner in fits and ask.margin >= CLEAR_MARGIN and ask.scores[0][1] >= STRAIGHT_MIN:
        # No criterion fits, but the holder has an edge to the owner: it goes there straight,
        # claiming no fit, rather than through the escalation role, who has no part in it.
        return Move(ask, "escalate", owner, fits[owner])
    if escalation in fits and owner == escalation:
        return Move(ask, "escalate", escalation, fits[escalation])
    if owner in fits:
        # The holder could reach the owner, but no criterion names the ask and the reading is
        # too weak or too close to send it straight: the holder answers it.
        return Move(ask, "keep", holder)
    # An owner out of the holder's reach is not reached through the escalation role: that
    # brings in a role with no part in the ask. The holder says the ask is left open, and whose.
    return Move(ask, "open", owner)


def decide_handoff(router: Router, text: str, holder: str) -> Route:
    """Whom ``holder`` gives ``text`` to (itself to keep it), as a ``Route`` with the criterion.

    The text is one need the holder has found; every ask in it counts as one ask.

    Example:
        >>> from team.topology import Team
        >>> router = Router(Team.load().cards)
        >>> decide_handoff(router, "the CRM app needs an endpoint to fetch scores", "ml_engineer").agent
        'backend_architect'
    """
    clauses = read_clauses(text)
    context = " ".join(c for c in clauses if not c.is_ask)
    ask = _ask(router, " ".join(c for c in clauses if c.is_ask), context)
    ask = Ask(text, ask.scores)
    legal = {h.target_id for h in router.cards[holder].handoffs}
    move = next_move(router, ask, holder, legal)
    if move.action in ("handoff", "escalate") and move.fit is not None:
        name = router.cards[move.target].name
        return Route(
            move.target,
            ask.score(move.target),
            f"Hand off to {name} when {move.fit.criterion}",
            move.fit.criterion,
        )
    triggers = [t.text for t in router.cards[holder].triggers]
    return Route(holder, ask.score(holder), router.best_line(text, triggers))


def travels_with(ask: Ask, holder: str, give: Move | None) -> bool:
    """Whether an ask ``holder`` would keep goes on with the work instead: its owner is the role
    the work goes to this reply, and the holder's card does not own it. A holder keeps an ask
    whose reading is too weak to send it straight, but when the work goes to its owner anyway
    ("rotate its credentials and move them into Vault": the first goes to DevOps, the second,
    read on "Vault" alone, stayed with the Data Engineer), the owner takes it there.

    Example:
        >>> ask = Ask("move them into Vault", (("devops_engineer", 13.0), ("data_engineer", 6.0)))
        >>> give = Move(ask, "handoff", "devops_engineer")
        >>> travels_with(ask, "data_engineer", give), travels_with(ask, "data_engineer", None)
        (True, False)
    """
    return (
        give is not None
        and give.target == ask.owner != holder
        and give.action in ("handoff", "escalate")
        # read clearly as the owner's: a near tie or a reading too weak to lead is nobody's
        # work in particular, and the holder answers it as before
        and ask.margin >= CLEAR_MARGIN
        and ask.scores[0][1] >= LEAD_MIN
    )


def first_handoff(moves: list[Move]) -> Move | None:
    """The move a holder makes this reply: its first handoff along an edge whose criterion fits,
    else its first escalation, else none.

    Example:
        >>> first_handoff([]) is None
        True
    """
    return next((m for m in moves if m.action == "handoff"), None) or next(
        (m for m in moves if m.action == "escalate"), None
    )


def plan_request(
    router: Router, text: str, first: str, targets: Callable[[str], Collection[str]]
) -> list[tuple[str, Move]]:
    """How the asks of a request would travel: ``(holder, move)`` for every ask, in order.

    The first role takes the request; each holder keeps the asks it owns, hands one open ask to
    its owner along a fitting edge, and leaves the rest for the next holder (as the offline model
    does, one handoff per reply). An ask handed over stays with the role that received it.

    Args:
        router: The team's router.
        text: The request.
        first: The role triage picks.
        targets: The roles a holder may hand off to.

    Example:
        >>> from team.topology import Team
        >>> team = Team.load()
        >>> router = Router(team.cards)
        >>> steps = plan_request(router, "Train a churn model and expose it behind an API",
        ...                      "ml_engineer", team.targets)
        >>> [(holder, move.action, move.target) for holder, move in steps]
        [('ml_engineer', 'keep', 'ml_engineer'), ('ml_engineer', 'handoff', 'backend_architect')]
    """
    asks, _ = read_request(router, text)
    steps: list[tuple[str, Move]] = []
    holder, done, seen = first, set(), {first}
    while True:
        moves = [next_move(router, a, holder, targets(holder)) for a in asks if a.text not in done]
        give = first_handoff(moves)
        for move in moves:
            if move.action == "keep" and travels_with(move.ask, holder, give):
                continue  # its owner, who takes the work next, keeps it
            # An ask for a role out of reach travels on while the work moves.
            if move.action == "keep" or (move.action == "open" and give is None):
                steps.append((holder, move))
                done.add(move.ask.text)
        if give is None or give.target in seen:
            return steps
        steps.append((holder, give))
        if give.action == "handoff":  # an escalated ask goes on from the escalation role
            done.add(give.ask.text)
        holder = give.target
        seen.add(holder)
