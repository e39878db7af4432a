"""What makes a clause an ask, a problem report or context.

A clause asks when it opens with an imperative verb, asks a question, says what is needed or is
one more item of the request; it reports a problem when it says what is wrong; else it tells the
situation. How the kinds of a whole request are settled is ``team.routing.clauses``.
"""

from __future__ import annotations

import re
from typing import Literal

from team.routing.project_asks import _REPORT_WANTED, is_project_report
from team.routing.sentences import _IMPERATIVE, _misspelt_verb
from team.routing.text import stems

__all__ = ["Clause"]


# What we want asks ("we'd want an endpoint", "I want you to ..."); what someone else wants
# ("Insurers want to query our score", "Labels want to be told") is the situation the asks serve.
_WE_WANT = (
    r"(?:we|i)(?:'d|'ll|\s+(?:would|will|probably|also|really|still|just|do|definitely))*\s+want"
    r"|want (?=(?:you|someone|somebody|us) to)"
    # "want a crash-likelihood model per heat": shorthand for our want, its subject left out
    r"|^\W*(?:really\s+|also\s+)?want\s+(?=(?:a|an)\s)"
)
# "let's", or "lets" typed for it where a clause opens; "the page lets anyone see ..." allows.
_LETS = r"let['’]s|(?:^\W*|\b(?:ok|okay|so|and|then|now)\s+)lets"
_NEED = re.compile(
    # "the approval workflow needs too many clicks" complains; it asks for nothing; "lots they
    # should have won" says what went wrong, and "the must-have is the live feed" what matters;
    # "the upgrade needs about 45 min of downtime" says what the work takes
    r"\b(?:(?:need|needs|needed)(?!\s+(?:too|way too|so)\s+(?:many|much)\b)"
    r"(?!\s+(?:(?:about|roughly|around|approximately|at\s+least|another|up\s+to)\s+)?"
    r"(?:\d+|a\s+few|a\s+couple\s+of|one|two|three|four|five|six|several)\s*(?:more\s+)?"
    r"(?:mins?|minutes|hours?|days?|weeks?|months?|sprints?)\b)"
    r"|(?:should|must)(?!-|\s+have\s+(?:been|\w+ed|won|got|gotten|gone|done|seen|known|caught"
    r"|had|made|sent|taken)\b)|has to|have to|" + _WE_WANT + r"|(?:would|'d)(?: also"
    r"| really)? like"
    # "I'd love something that warns us ...", "we would love a program that ...": our wish for
    # a thing ("sales would love it on the roadmap" is theirs; "we'd love to put ..." our plan)
    r"|(?<![\w'’])(?:i|we)(?:['’]d|\s+would)(?:\s+also|\s+really)?\s+love(?!\s+to\b)"
    r"|requires|required|please|pls|plz|" + _LETS + r"|how (?:do|can|should) we|can we"
    r"|could we|is there a way|todo|to-do)\b",
    re.IGNORECASE,
)


class Clause(str):
    """A clause of a request and its kind: ``ask`` (asks for work), ``problem`` (reports a
    problem, which asks for a fix) or ``context``."""

    kind: Literal["ask", "problem", "context"]
    to: str | None  # the role the clause is addressed to by name ("DevOps: ..."), if any

    def __new__(
        cls, text: str, *, kind: Literal["ask", "problem", "context"], to: str | None = None
    ) -> Clause:
        clause = super().__new__(cls, text)
        clause.kind = kind
        clause.to = to
        return clause

    @property
    def is_ask(self) -> bool:
        return self.kind != "context"


# A sentence that reports a problem asks for it to be fixed, though it asks for nothing.
_PROBLEM = re.compile(
    r"\b(?:miss(?:es|ed|ing)?|fail(?:s|ed|ing|ure|ures)?|broken|breaks?|stale|late|drops?|dropped"
    r"|doubled|tripled|spikes?|spiked|crash(?:es|ed)?|errors?|timeouts?|time out|can'?t|cannot"
    r"|won'?t|doesn'?t|isn'?t|aren'?t|don'?t|didn'?t|no longer|not|never|too|forever|oom"
    r"|out of memory|leaks?|leaking|stuck|flaky|degraded|regress(?:ed|ion|ions)?|wrong|worse"
    r"|badly|ceiling|blows? up|climbs?|saturat\w*|throttl\w*|outage|losing|lost|duplicates?"
    r"|nulls?|mismatch\w*|takes? \d+|took \d+|hours?|minutes|seconds|slow\w*|bottleneck"
    r"|keeps? \w+ing|restart\w*|\d+\s?(?:ms|s|%)|decision|decide|whether)\b",
    re.IGNORECASE,
)


# A clause that opens as one more item of the request ("Also, the /send endpoint has no auth",
# "Separately, ...", "2) ...", "HR also wants a memo") adds to what is asked, whatever its verb.
_ITEM = re.compile(
    r"^\W*(?:\(?\d{1,2}[.)]|[a-z]\)|(?:and\s+|oh\s+and\s+)?(?:also|separately|additionally|plus"
    r"|on top of that|one more thing|another thing)\b)"
    # "Step one is the data side: ...", "Phase 2: ..." number the asks in words
    r"|^\W*(?:step|phase|part)\s+(?:one|two|three|four|five|\d{1,2})\b"
    r"|^[^,;]{0,40}?\balso\s+(?:wants|needs|asks|asked|requested|expects|would like)\b"
    # ... and so do "our owners also want a clear list", "the scientists also want a model"
    # ("they also want to notify us" is what they will do)
    r"|^[^,;]{0,40}?\balso\s+(?:want|need)\b(?!\s+to\b)"
    # "(we need a production environment ...,) and someone on call with a runbook": who is
    # needed, one more item of the list ("someone logs into the server" tells what happens)
    r"|^\W*(?:(?:and|also|plus)\s+)*(?:someone|somebody)\s+(?:on[\s-]call|on\s+duty)\b",
    re.IGNORECASE,
)


# A question put to someone ("Can PM write the story", "hey could someone chase it", "and fyi
# the backfill is pending, can data pick it up"): opening the clause with a modal, or a modal
# followed by whom it asks.
_QUESTION = re.compile(
    r"^\W*(?:(?:and|so|also|hey|hi|ok|okay|fyi|then|but)\W+)*(?:can|could|would|will)\s+\w"
    r"|\b(?:can|could|would|will)\s+(?:you|u|someone|somebody|anyone|ml|pm|devops|ops|data"
    r"|perf|performance|backend|infra|platform|sre|eng|engineering|product|security|qa)\b",
    re.IGNORECASE,
)


# "I don't need the design yet", "no need to ...", "so no new endpoints are needed", "the table
# it should read from already exists": what is not asked for, or is there already.
_NOT_ASKED = re.compile(
    r"\b(?:(?:do|does|did)\s*n[o']?t|not)\s+(?:need|want|ask(?:ing)? for|require)\b|\bno need\b"
    r"|\bno\b[^,.;?]{0,40}\b(?:is|are)\s+(?:needed|required)\b"
    r"|\b(?:is|are)(?:\s*n't|\s+not)\s+(?:needed|required)\b"
    r"|\balready\s+(?:exists?|in place|built|available)\b",
    re.IGNORECASE,
)
# A note on how soon, and nothing else ("not urgent-urgent but before month end pls", "by Friday
# ideally"): it qualifies the asks around it, it asks for nothing itself.
_WHEN_ONLY = frozenset(
    stems(
        """urgent urgently rush asap soon today tonight tomorrow eod eow week weeks month months
        end day days friday monday tuesday wednesday thursday weekend morning ideally latest
        priority before by next not no"""
    )
)


def _when_only(clause: str) -> bool:
    """Whether a clause says only how soon (it has words, and all of them are about time)."""
    found = set(stems(clause))
    return bool(found) and found <= _WHEN_ONLY


# What is asked about, not asked for: "(dispatch wants to know) which callbacks will need a
# second visit" says no one needs anything done, and "(the owners keep pulling in different
# directions) about what the new website should do" says what they disagree on.
_ASKED_ABOUT = re.compile(r"\b(?:which|whether|about what)\b[^,.;:?]*", re.IGNORECASE)


# The heading of a meeting's notes ("Minutes, taco truck ordering", "Meeting minutes, pastry
# school enrolments (March)"): it names the notes, it reports no problem ("minutes" is no delay).
_HEADING = re.compile(r"^\W*(?:[\w-]+\s+)?(?:minutes|notes)\b(?:\s*,[^.;:?!]{0,80})?$", re.I)


# An engineer's arrow: "memory climbs between restarts -> someone profile the heap", "the call
# has no timeout -> fix it" say what is wrong and, after the arrow, what to do about it; a flow
# ("hubspot -> snowflake sync") or a change ("p99 went 300ms -> 2s") asks nothing after it.
_ARROW = re.compile(r"\s(?:->|=>|→)\s")


# ... and so does a document to write, named alone after it ("lake vs warehouse for 3 sources ->
# adr", "which queue -> design doc"): the arrow says what to make of what comes before
_DOCUMENT = re.compile(
    r"^(?:an?\s+|the\s+)?(?:adr|rfc|design\s+doc(?:ument)?|decision\s+(?:record|doc)|write-?up"
    r"|runbook|proposal|one-?pager|memo|spike|poc)s?\W*$",
    re.IGNORECASE,
)


def _asks_after_arrow(clause: str) -> bool:
    """Whether what follows a clause's last arrow asks by itself ("... -> load test it", "...
    -> adr"); a number there ("400ms -> 1.6s") is where a measure went, not a numbered item."""
    *before, after = _ARROW.split(clause)
    after = after.strip()
    return (
        bool(before)
        and after[:1].isalpha()
        and (_kind(after) == "ask" or _DOCUMENT.match(after) is not None)
    )


# A doubt the writer voices ("I am not sure a recognizer trained on so little audio would save
# anyone time", "I'm not convinced the split is right", "I doubt the nightly load copes") asks
# whether it holds, as a question would: over the spent sets, 11 of the 12 such clauses are
# labelled asks (the twelfth sits between two asks of the role it would go to).
_DOUBT = re.compile(
    r"^\W*(?:[\w'’-]+\W+){0,2}?(?:i|we)(?:['’]m|\s+am|['’]re|\s+are)?\s+"
    r"(?:(?:also|still|really|just|honestly|genuinely)\s+)?"
    r"(?:not\s+(?:(?:so|really|entirely|fully|too|yet)\s+)?(?:sure|convinced|certain)|unsure|doubt)\b",
    re.IGNORECASE,
)


def _kind(clause: str) -> Literal["ask", "problem", "context"]:
    if clause.endswith(":") or _HEADING.match(clause):
        return "context"  # a label ("Need help with two decisions:"): what follows asks
    if _NOT_ASKED.search(clause) and not _IMPERATIVE.match(clause):
        return "context"
    # a note on how soon qualifies the asks around it; a question put to someone asks, though
    # its words are all of time ("can someone own the go/no-go": "no" and "go" say how soon too)
    if _when_only(clause) and not _QUESTION.search(clause):
        return "context"
    if (
        _IMPERATIVE.match(clause)
        or _misspelt_verb(clause)
        or _NEED.search(_ASKED_ABOUT.sub(" ", clause))
        or _QUESTION.search(clause)
        or clause.endswith("?")
        or _asks_after_arrow(clause)
        or _DOUBT.match(clause)
    ):
        return "ask"
    if _ITEM.match(clause) or (_REPORT_WANTED.match(clause) and is_project_report(clause)):
        return "ask"
    return "problem" if _PROBLEM.search(clause) else "context"


def _asks_itself(clause: str) -> bool:
    """Whether a clause asks by its own form: an imperative, a question."""
    return bool(
        _IMPERATIVE.match(clause)
        or _misspelt_verb(clause)
        or _QUESTION.search(clause)
        or clause.endswith("?")
    )


def _addressed_kind(part: str, to: str | None) -> Literal["ask", "problem", "context"]:
    """A part's kind; put to a role by name ("PM: the board wants a status update"), what it
    tells is what that role is asked to do, not only the situation."""
    kind = _kind(part.rstrip(".!,").strip())
    return "ask" if to is not None and kind == "context" else kind


# "walkers need to see their upcoming walks", "They'll need to check availability", "Gate
# validators have to keep accepting tickets", "the platform has to survive 20x traffic": what
# someone or something other than us must do ("we need to ...", "someone has to ...", "the
# migration must be designed ..." and a sign-off to get are work asked for).
_THEIR_NEED = re.compile(
    r"^\W*(?!(?:we|i|you|someone|somebody|anyone|it|this|that|need|needs|what|where|which|how"
    r"|who|when|why|should|can|could|would|will|do|does|is|are)\b)"
    r"(?:(?!(?:if|whether|we|i)\b)[\w'’.-]+\s+){1,8}?(?:will\s+|would\s+)?"
    r"(?:need\s+to|needs\s+to|has\s+to|have\s+to|must|should)\s+"
    r"(?:(?:never|always|only|still|also|really|ever|now|not)\s+)*"
    r"(?!be\b|sign\b|approve\b)",
    re.IGNORECASE,
)


def _theirs(clause: Clause) -> bool:
    """Whether an ask only says what others must do (``_THEIR_NEED``), not put to anyone."""
    return (
        clause.kind == "ask"
        and clause.to is None
        and not _outright(clause)
        and not clause.rstrip().endswith("?")
        # "the schedule should update once the payment goes through, but it only works
        # sometimes" reports what fails to happen: the problem to fix
        and _BUT.search(clause) is None
        and _ACCESS_RULE.search(clause) is None
        and _THEIR_NEED.match(clause) is not None
    )


_BUT = re.compile(r"\bbut\b", re.IGNORECASE)
# "each one should only see its own price list", "only office staff should be able to change
# prices", "guests must never see the notes": who may see or change what is a rule the system
# has to enforce, asked of whoever builds it, not what others will do
_ACCESS_RULE = re.compile(
    r"\bonly\s+(?:ever\s+)?(?:be\s+(?:able|allowed)\s+to\s+)?(?:see|view|edit|change|access"
    r"|open)\b|\b(?:see|view|edit|change|access)\s+only\b|\bonly\s+(?:[\w-]+\s+){1,3}?(?:should|must"
    r"|can|may)\s+(?:ever\s+)?(?:be\s+(?:able|allowed)\s+to\s+)?(?:see|view|edit|change|access)\b"
    r"|\b(?:never|not)\s+(?:be\s+(?:able|allowed)\s+to\s+)?(?:see|view|edit|change|access)\b",
    re.IGNORECASE,
)


# Asking outright, not only stating a need: "please", "can we", "how do we", "let's".
_PLEASE = re.compile(
    r"\b(?:please|pls|plz|"
    + _LETS
    + r"|how (?:do|can|should) we|can we|could we|is there a way)\b",
    re.IGNORECASE,
)
# ... but not one already made ("that decision is already made and recorded").
_DECISION = re.compile(
    r"^(?!.*\b(?:already|(?:is|was|been) made|made and)\b)"
    # ... nor is how people decide today ("my recruiters decide by gut which ...")
    r"(?!.*\bdecid(?:e|es|ed|ing) (?:[\w'’-]+ ){0,2}?by (?:gut|feel|eye|instinct|hand|memory"
    r"|habit|guesswork)\b).*\b(?:decision|decide|whether)\b",
    re.IGNORECASE,
)


def _outright(clause: Clause) -> bool:
    """Whether an ask asks in so many words (an imperative, a question, "please", a request put
    to someone by name or as one more item), not only says what is needed ("we need a smaller
    model", "the ETL should switch"): a need stated after a problem report is what the report
    implies, and the report stays an ask."""
    return bool(
        _IMPERATIVE.match(clause)
        or _misspelt_verb(clause)
        or _QUESTION.search(clause)
        or clause.endswith("?")
        or _ITEM.match(clause)
        or _PLEASE.search(clause)
        or _DOUBT.match(clause)
        or clause.to
    )


# What we do, said in one breath with "and" ("We sell moth traps and run a website where ...",
# "We sell waterbeds online and ship from one unit"): the second verb goes on describing the
# business, whatever its object's words say; "We sell moth traps and need a website" asks.
_WE_DO = (
    r"(?:sell|sells|make|makes|run|runs|build|builds|ship|ships|grow|grows|bake|bakes|brew|brews"
    r"|own|owns|operate|operates|repair|repairs|hire|hires|rent|rents|supply|supplies|import"
    r"|imports|export|exports|print|prints|host|hosts|deliver|delivers|roast|roasts|serve|serves"
    r"|produce|produces|publish|publishes|employ|employs|stock|stocks)"
)
_WE_DESCRIBE = re.compile(r"^\W*(?:we|i)\s+(?:also\s+|mostly\s+|mainly\s+)?" + _WE_DO + r"\b", re.I)
_WE_ALSO_DO = re.compile(r"^\W*(?:also\s+)?" + _WE_DO + r"\b", re.IGNORECASE)


def _we_also_do(piece: str, before: str, sentence: str) -> bool:
    """Whether ``piece`` goes on saying what we do after ``before`` in one breath ("We make
    kites and ship them from Leeds"): the scene, like the clause it continues.

    Example:
        >>> _we_also_do("run a shop", "We make kites", "We make kites and run a shop.")
        True
        >>> _we_also_do("need a shop", "We make kites", "We make kites and need a shop.")
        False
    """
    if _WE_DESCRIBE.match(before) is None or _WE_ALSO_DO.match(piece) is None:
        return False
    cut = r"\W*,?\s+and\s+"
    return re.search(re.escape(before) + cut + re.escape(piece), sentence) is not None


# A numbered item of the plan named as work ("item 1 is a reorder api contract w/ pagination",
# "step two is the nightly load"): one more ask, whoever's it is; "item 1 is late" is no work.
_PART = r"(?:item|step|task|phase|priority)"
_NUMBERED = rf"(?:{_PART}\s*(?:#?\d+|one|two|three)|(?:first|second|third|next)\s+{_PART})"
_NOT_WORK = r"(?!(?:bit|lot|little|week|day|month)\b)"
_NAMED_ITEM = re.compile(
    rf"^\W*(?:the\s+)?{_NUMBERED}\s+(?:is|=)\s+(?:a|an|the|our)\s+{_NOT_WORK}[\w-]+", re.I
)


def _names_item(piece: str) -> bool:
    """Whether ``piece`` names a numbered item of a plan as a piece of work.

    Example:
        >>> _names_item("item 1 is a reorder api contract w/ pagination")
        True
        >>> _names_item("item 1 is late again")
        False
    """
    return _NAMED_ITEM.match(piece) is not None
