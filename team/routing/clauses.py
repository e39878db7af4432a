"""A request read as asks and context, clause by clause.

A request mixes what the user wants done (asks) with what they tell about their situation
(context): "We trained a model in a notebook. Expose it as an API" has one ask. An ask opens with
an imperative verb ("Add ...", "please review ..."), asks a question, says what is needed ("the
job should get checks", "we need a contract"), or is put to a role by name ("DevOps: ..."). A
problem report is context when the request asks outright, else an ask; a request with no ask at
all (a bare problem report) is one ask as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from team.routing.addressing import _addressed
from team.routing.clause_kind import (
    _DECISION,
    _ITEM,
    _NEED,
    Clause,
    _addressed_kind,
    _asks_itself,
    _names_item,
    _outright,
    _theirs,
    _we_also_do,
)
from team.routing.intro import forwarding_note, request_body
from team.routing.lists import (
    _CRITERION,
    _DONE_LABEL,
    _NUMBER_ONLY,
    FIRST_STEP,
    THEN_STEP,
    _listed,
    _names_work,
    _states_work,
    _wanted,
    names_run_work,
)
from team.routing.sentences import (
    _NOUN_USE,
    _PARTY_WANTS,
    _SENTENCE,
    _SPLIT,
    _after_label,
    _joined,
    _split,
)
from team.routing.text import stems

__all__ = [
    "ask_core",
    "for_meaning",
    "read_clauses",
    "without_listed",
    "without_requirement",
]


# The next step, a thing someone else wants made ("Once that's in, the sales team wants a
# forecast of ...", "then QA will want a staging copy"); what they want to do ("Insurers want to
# query our score") or a want with no place in the work's order is the situation.
_THEY_WANT = re.compile(
    r"^\W*(?:once|after|afterwards|then|next|later|when)\b"
    r".*\b(?:wants|(?:will|'ll|would)\s+want)\s+(?:a|an)\s",
    re.IGNORECASE,
)


# Who sends a request in shorthand, named before its first colon by what the business is
# ("adze maker: ...", "plant label maker: ...", "bike hire co: ...", "slate quarry: ..."): the
# sender, whatever their trade's words say ("label", "plant").
_SENDER = re.compile(
    r"^\W*(?P<who>(?:[\w'’&-]+ ){0,4}?(?:makers?|co|company|shop|webshop|store|chain|brand"
    r"|workshop|factory|works|mill|importer|hire|farm|bakery|brewery|studio|quarry|firm"
    r"|retailer|wholesaler|supplier|manufacturer|distributor|charity|council|clinic|school"
    r"|club|agency|cooperative|co-op|ltd|inc|llc))\s*:\s",
    re.IGNORECASE,
)


# A word that points back at what was said before ("fix that", "can you look into it?").
_BACK = re.compile(r"\b(?:that|it|this|those|these|them)\b", re.IGNORECASE)
# An ask this short (content stems) that points back has no object of its own; one this short
# has none whether it points back or not ("someone please check").
_SHORT = 2
_BARE = 1


# A clause that only states a condition ("if the limit turns out to be structural").
_CONDITION = re.compile(r"^\W*(?:and\s+)?(?:if|once|when|unless)\b(?![^,]*\?)", re.IGNORECASE)


def _refer_back(sentences: list[list[Clause]]) -> list[Clause]:
    """A short ask that points back at the situation just described in its sentence ("...,
    please speed that up"), or one that names no object at all ("...; someone please check",
    "... incident. We want to untangle this"), asks about that situation: the two are read as
    one ask. Clauses with no content words are dropped."""
    out: list[Clause] = []
    for sentence in sentences:
        for number, clause in enumerate(sentence):
            size = len(stems(clause))
            short = size <= _BARE or (
                number > 0 and size <= _SHORT and _BACK.search(clause) is not None
            )
            if clause.kind == "ask" and short and out and out[-1].kind != "ask":
                out[-1] = Clause(f"{out[-1]}, {clause}", kind="ask", to=clause.to)
            elif (
                clause.kind == "ask"
                and size <= _BARE
                and number > 0
                and out
                and out[-1] is sentence[number - 1]
                and out[-1].kind == "ask"
            ):
                # "Decide lake versus warehouse and document why": no object of its own, it goes
                # on with the ask before it
                out[-1] = Clause(f"{out[-1]} and {clause}", kind="ask", to=out[-1].to)
            elif (
                clause.kind == "ask"
                and out
                and out[-1] is sentence[number - 1]
                and _CONDITION.match(out[-1])
            ):
                # "if the limit is structural, write up an option": the ask and its condition
                out[-1] = Clause(f"{out[-1]}, {clause}", kind="ask", to=clause.to)
            elif stems(clause):
                out.append(clause)
    return out


# "...; it has to beat the bestseller list on hit rate", ", and they must stay under 2 MB": what
# the thing just asked for must do.
_REQUIRED = re.compile(
    r"^\W*(?:and\s+|but\s+)?(?:it|they|this|that|these|those)\s+(?:also\s+|still\s+)?"
    r"(?:has\s+to|have\s+to|must|should|needs?\s+to|will\s+need\s+to|'ll\s+need\s+to)\s+"
    r"(?!be\s+(?:done|ready|finished|shipped|live)\b)",
    re.IGNORECASE,
)


def _required(sentence: list[Clause]) -> list[Clause]:
    """A need said of what the ask before it makes ("Build a baseline recommender; it has to
    beat the bestseller list on hit rate") is that ask's requirement, not an ask of its own:
    the two are read as one ask."""
    out: list[Clause] = []
    for clause in sentence:
        if out and out[-1].kind == "ask" and clause.kind == "ask" and _REQUIRED.match(clause):
            out[-1] = Clause(f"{out[-1]}; {clause}", kind="ask", to=out[-1].to)
        else:
            out.append(clause)
    return out


def without_requirement(clause: str) -> str:
    """An ask without the requirement read into it ("build a recommender; it has to beat the
    bestseller list on hit rate" -> "build a recommender"): what the work must achieve does not
    say whose work it is.

    Example:
        >>> without_requirement("Build the index; it must stay under 2 GB")
        'Build the index'
    """
    head, sep, rest = clause.partition("; ")
    return head if sep and _REQUIRED.match(rest) else clause


# ", hold queues and branch" after an ask's object: a fragment with no verb of its own, one more
# item of the list the ask is about (see ``_NOUN_USE``).
_LISTED = re.compile(r",\s+(?=" + _NOUN_USE + r"\s+[a-z]+s\s+(?:and|or|vs|versus|plus)\b)", re.I)


def without_listed(clause: str) -> str:
    """An ask without a verbless list item that stayed with it ("design features from borrowing
    history, hold queues and branch" -> "design features from borrowing history"): the items
    name what the work draws on, not whose work it is, and read alone they pull it elsewhere.

    Example:
        >>> without_listed("design features from borrowing history, hold queues and branch")
        'design features from borrowing history'
    """
    found = _LISTED.search(clause)
    return clause[: found.start()] if found else clause


# A leak said beside the words of a model's training ("review the training notebook for leakage",
# "check whether tenure_days leaks the label") is data leakage, the ML Engineer's: over every
# spent set, asks that say both are the ML Engineer's 10/10. Read for its meaning alone, "leakage"
# sits nearest a memory leak ("track down the leak", the Performance Engineer's 28 of them), and a
# near-unanimous vote overruled the card words. A leak with no such word (a memory leak, a leaked
# key, internals leaking through errors) is read as before.
_LEAK = re.compile(r"\b(?:(?:data|target|label) )?leak(?:age|s|ing|ed)?\b", re.IGNORECASE)
_TRAINING = re.compile(
    r"\b(?:train(?:ing|ed|s)?|models?|features?|labels?|target|notebooks?|splits?|validation"
    r"|evaluation)\b",
    re.IGNORECASE,
)


def for_meaning(clause: str) -> str:
    """The words of an ask that its meaning is read from: the ask without a verbless list item
    that stayed with it (``without_listed``), and a leak beside the words of a model's training
    named as the target leakage it is.

    Example:
        >>> for_meaning("review the training notebook for leakage")
        'review the training notebook for target leakage'
        >>> for_meaning("track down the leak in the worker")
        'track down the leak in the worker'
    """
    text = without_listed(clause)
    return _LEAK.sub("target leakage", text) if _TRAINING.search(text) else text


def ask_core(clause: str) -> str:
    """What says whose an ask is: the ask without the requirement read into it and without a
    verbless list item that stayed with it.

    Example:
        >>> ask_core("Build the index, hold queues and branch; it must stay under 2 GB")
        'Build the index'
    """
    return without_listed(without_requirement(clause))


# "..., so profile where the call spends its time": an ask that follows from what was just told.
_SO = re.compile(r"^\W*(?:and\s+)?so\s+", re.IGNORECASE)


def _items_told(sentence: list[Clause]) -> list[Clause]:
    """A clause that is an ask only as one more item of the request ("Also checkout got slower
    since it shipped") and goes on in its sentence to the ask it calls for ("..., so profile
    where the call spends its time") is that ask's situation: the two are read as one ask."""
    out: list[Clause] = []
    for clause in sentence:
        told = out[-1] if out else None
        if (
            told is not None
            and told.kind == "ask"
            and clause.is_ask
            and _SO.match(clause)
            and _ITEM.match(told)
            and not (_asks_itself(told) or _NEED.search(told))
        ):
            out[-1] = Clause(f"{told}, {clause}", kind="ask", to=clause.to or told.to)
        else:
            out.append(clause)
    return out


def _theirs_asked(clauses: list[Clause]) -> list[Clause]:
    """A thing someone else wants made next, said after an ask, is one more ask on their behalf
    ("Dedupe the feed. Once that's done, the sales team wants a forecast of ..."); said before
    any ask, it is what the request is about ("The board wants a loyalty app"), its scene."""
    out: list[Clause] = []
    for clause in clauses:
        asked = any(c.is_ask for c in out)
        if asked and clause.kind == "context" and _THEY_WANT.search(clause):
            clause = Clause(clause, kind="ask", to=clause.to)
        out.append(clause)
    return out


def read_clauses(
    text: str, *, addressee: Callable[[str], str | None] | None = None
) -> list[Clause]:
    """The clauses of a request, each marked as an ask or as context, and with ``addressee``
    (a name to a role id) the role each is addressed to.

    Example:
        >>> [(c, c.is_ask) for c in read_clauses("We trained a model in a notebook. Expose it as an API.")]
        [('We trained a model in a notebook', False), ('Expose it as an API', True)]
        >>> [c.to for c in read_clauses("DevOps: add a canary stage.", addressee={"devops": "devops_engineer"}.get)]
        ['devops_engineer']
    """
    named = addressee or (lambda _: None)
    note, message = forwarding_note(request_body(text))
    sentences = [[Clause(s.rstrip(".!?,:;"), kind="context")] for s in _SENTENCE.split(note) if s]
    done = False  # a label that says what done means came before: what follows states it
    listed: set[str] = set()  # the work a label listed as wanted: the request asks outright
    last = ""  # the sentence before, as written
    for sentence in _SENTENCE.split(message):
        label = _DONE_LABEL.match(sentence)
        if label is not None:
            done = True
            sentence = sentence[label.end() :]
            if stems(label["topic"]):  # "Acceptance criteria for the portal": what it is for
                sentences.append([Clause(label["topic"].strip(" ,"), kind="context")])
            if _NUMBER_ONLY.match(sentence):  # "Acceptance criteria: 1. Given ...": the first
                continue  # item's number, cut off from its item
        if _names_work(sentence):  # "- daily extract of X - dedupe the retries": one ask
            sentences.append([Clause(sentence.strip(), kind="ask")])
            continue
        items = _listed(sentence.strip().rstrip("."))
        head, wanted = ("", []) if items else _wanted(sentence.strip())
        if items:  # "We need three things: a, b, and c" is read as its items
            head = sentence.partition(": ")[0] + ":"
            pieces = [head, *(q.strip() for i in items for q in _SPLIT.split(i) if q)]
        elif wanted:  # "Needed: a model that ...; an endpoint ...": each item asks, by itself
            items = wanted
            pieces = [head, *items]
            listed.update(items)
        else:
            pieces = [q.strip() for p in _split(sentence) if p for q in _after_label(p)]
        parts = _addressed(_joined([q for q in pieces if q], sentence), named)
        states = done or _CRITERION.match(sentence) is not None
        read: list[Clause] = []
        for p, to in parts:
            kind = (
                "ask"
                if p in items
                or (states and _states_work(p))
                or (read and read[-1].kind == "ask" and _one_more(p, sentence))
                else _addressed_kind(p, to)
            )
            if read and _theirs_too(p, read[-1], sentence):
                if read[-1].kind == "ask" or (_PARTY_WANTS.match(read[-1]) and read[-1].is_ask):
                    kind = "ask"
                elif kind == "ask" and _PARTY_WANTS.match(read[-1]):
                    read[-1] = Clause(read[-1], kind="ask", to=read[-1].to)
            if kind == "ask" and read and read[-1].kind == "context":
                kind = "context" if _we_also_do(p, read[-1], sentence) else kind
            elif kind == "context" and read and read[-1].is_ask and _names_item(p):
                kind = "ask"
            read.append(Clause(p.rstrip(".!,:").strip(), kind=kind, to=to))
        # ... and a step that opens its own sentence with "then" after a sentence that asks
        stepped = THEN_STEP.match(sentence) is not None and any(
            c.is_ask for c in (sentences[-1] if sentences else [])
        )
        if any(c.is_ask for c in read) or stepped:  # "fix + cache deps; nightly export dups rows"
            read = [
                Clause(c, kind="ask", to=c.to)
                if c.kind == "context" and names_run_work(c, sentence)
                else c
                for c in read
            ]
        # ... and a sentence that only names work is the first step of a "then" that asks after
        # it ("churn model for trade accounts, lightgbm. then: where should scoring run?")
        if (
            (THEN_STEP.match(sentence) or FIRST_STEP.match(sentence))
            and any(c.is_ask for c in read)
            and sentences
            and not any(c.is_ask for c in sentences[-1])
        ):
            first = FIRST_STEP.match(sentence) is not None
            sentences[-1] = [
                Clause(c, kind="ask", to=c.to)
                if c.kind == "context"
                and names_run_work(f"then {c}", f"then {c}")
                and f"{c}:" not in last  # a label ("Before anyone designs anything:") asks nothing
                and not re.search(r"\d", c)  # ... nor do figures ("40k visitors, 2 devs")
                # ... and before a "first" step, only work named after a sender's label ("sheet
                # piling co: REST api for ..."); a sentence of its own there is a heading
                and not (first and i == 0)
                else c
                for i, c in enumerate(sentences[-1])
            ]
        sentences.append(read)
        last = sentence
    clauses = _theirs_asked(
        _refer_back([_required(_items_told(sentence)) for sentence in sentences])
    )
    if clauses and not any(c.is_ask for c in clauses):
        # ... but who is asking, named before the first colon ("plant label maker: go/no-go
        # checklist ...", "bakery co: ..."), is the sender, not a problem of theirs
        sender = _SENDER.match(message)
        who = sender["who"].lower() if sender and len(clauses) > 1 else None
        return [
            Clause(c, kind="context" if i == 0 and c.lower() == who else "problem", to=c.to)
            for i, c in enumerate(clauses)
        ]
    if listed or any(c.kind == "ask" and _outright(c) for c in clauses):
        # A request that asks outright: its problem reports are the situation, not asks; but a
        # report that states a decision to make ("whether auth lives in each service is a
        # boundary decision") still asks for it. What others must be able to do, said before
        # any ask, is the scene the asks serve.
        scene = _their_scene(clauses)
        # ... and so is a second party's want said beside it ("the warehouse team insists stock
        # must never oversell, while the storefront team wants ...")
        scene |= {
            i
            for i in range(1, len(clauses))
            if i - 1 in scene and _theirs_too(clauses[i], f"{clauses[i - 1]}", message)
        }
        # ... and so is what must hold, said before a label lists the work wanted ("Captains
        # must enter scores for their own team only. Needed: the score endpoint ...")
        scene |= _goal(clauses, listed)
        return [
            Clause(c, kind="context")
            if (c.kind == "problem" and not _DECISION.search(c)) or (i in scene and c not in listed)
            else c
            for i, c in enumerate(clauses)
        ]
    return clauses


def _goal(clauses: list[Clause], listed: set[str]) -> set[int]:
    """The clauses before the first item a label lists as wanted (``listed``) that state a need
    without asking outright: the goal the listed work serves."""
    first = next((i for i, c in enumerate(clauses) if c in listed), 0)
    return {i for i in range(first) if clauses[i].kind == "ask" and not _outright(clauses[i])}


def _one_more(piece: str, sentence: str) -> bool:
    """Whether ``piece`` is one more thing the ask before it names, after ", plus" or ", and a"
    ("We need a ballot API that ..., plus written acceptance criteria"): it is asked as well."""
    return f", plus {piece}" in sentence or (
        f", and {piece}" in sentence and re.match(r"(?:a|an)\s", piece) is not None
    )


def _theirs_too(piece: str, before: str, text: str) -> bool:
    """Whether ``piece`` is a second party's want cut off after a comma from ``before`` ("...,
    and the board wants a date for the relaunch"). After an ask it is one more ask ("Please add
    the retry, and the ops team would like a runbook"); beside a first party's want it is asked
    as that one is ("Our volunteers want the sign-up API to ..., and the trustees want a date":
    both, since a date wanted is asked), though what others want, alone, is the scene."""
    if _PARTY_WANTS.match(piece) is None:
        return False
    cut = r"\W*,\s+(?:and|but|while|whereas)\s+"
    return re.search(re.escape(before) + cut + re.escape(piece), text) is not None


def _their_scene(clauses: list[Clause]) -> set[int]:
    """The clauses, before any other ask, that only say what others must do (``_theirs``)."""
    found: set[int] = set()
    for i, clause in enumerate(clauses):
        if _theirs(clause):
            found.add(i)
        elif clause.kind == "ask":
            break
    return found
