"""A request read as asks and context, clause by clause.

A request mixes what the user wants done (asks) with what they tell about their situation
(context): "We trained a model in a notebook. Expose it as an API" has one ask. An ask opens with
an imperative verb ("Add ...", "please review ..."), asks a question, says what is needed ("the
job should get checks", "we need a contract"), or is put to a role by name ("DevOps: ..."). A
problem report is context when the request asks outright, else an ask; a request with no ask at
all (a bare problem report) is one ask as a whole.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Literal

from team.routing.intro import forwarding_note, request_body
from team.routing.text import _STOP, stems

__all__ = [
    "Clause",
    "ask_core",
    "for_meaning",
    "is_decision",
    "is_project_report",
    "is_stakeholder_message",
    "read_clauses",
    "split_clauses",
    "without_listed",
    "without_requirement",
]

# Verbs that open an ask ("Add caching", "then plan the launch", "and if so fix the limits",
# "in the meantime bump the memory limit").
_VERBS = """add agree align analyze analyse ask assess audit automate backfill benchmark break build
calibrate change check clean clarify come compare confirm containerize convert cost create cut
debug decide dig
define deploy deprecate design detect document draft draw dockerize estimate evaluate expose
extend figure find fine-tune fix forecast gather get give harden identify implement improve
ingest instrument integrate investigate kick label lay load lock look make map measure migrate
model monitor move nail negotiate onboard optimize outline package pick pin plan prepare prioritize
profile propose prototype provision publish put rank recommend record reduce refactor rename
rerun retrain
review rewrite roll rotate run scale schedule scope secure send separate serve set ship shard spec
shrink sketch slice speed split spin stand standardize stop summarize swap switch talk test
tell terraform track train translate try tune turn update upgrade validate verify version watch wire work write
bump chase grab hammer rehearse reprocess reconcile remove delete enable disable ensure notify
restore replay dedupe revert patch downgrade archive purge retire announce communicate share brief
present tear kill handle justify raise allow enforce encrypt tag emit hook start ramp hold finish
resolve replace rework redo rebuild restructure reprioritize sort settle approve arrange
prep collect compile aggregate deliver reproduce bisect fetch simulate coordinate organize list
let inform warn chair host facilitate capture trace stress soak weigh repartition wrap
prove shadow mask phase compact deduplicate land
connect link pull jot teach ping sync
produce include import point quarantine read
choose consume feed partition recreate redraw repoint""".split()  # noqa: SIM905
_VERB_SET = frozenset(_VERBS)
# A clause's first word this close to a listed verb (difflib's ratio) is that verb misspelt.
_VERB_SPELLING = 0.8
# Verbs more often used as nouns before another noun ("hold queues", "sync calls", "soak tests").
_NOUN_USE = r"(?:hold|sync|stop|soak|stress|work)"
# A word made a verb by its ending ("sessionize", "codify") opens an ask like a listed verb.
_VERB = (
    # "Phase 2 is done" names a phase; "Phase it across three quarters" asks; "(readings) land
    # in a Postgres table" says where they go, "land them in the lake" asks
    r"(?!phase\s+(?:\d|one|two|three|four|five|[ivx]+)\b|land\s+(?:in|on|at|into)\b)"
    # "(an error analysis of the flags), split by region": a verb followed by "by" says how the
    # thing before it is cut, it asks for nothing of its own
    r"(?!(?:split|sort|slice|break)\s+by\b)"
    # "(features from borrowing history,) hold queues and branch", "(spike and) soak scenarios
    # and a traffic mix", "stop names and route codes": a word that is a verb or a noun names a
    # thing before a plural and the next item of a list; the fragment has no verb of its own
    r"(?!" + _NOUN_USE + r"\s+[a-z]+s\s+(?:and|or|vs|versus|plus)\b)"
    # "re-enable", "re-run": a verb done again is the verb
    # ... and so is a kind of test done to something ("load-test it", "stress-test the API")
    r"(?:re-)?(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r"|[a-z]{3,}(?:ize|ify)"
    r"|[a-z]+-test)"
    r"\b(?!-)"  # "Watch-history service" names a thing
    # "(the services poll each other) and break whenever a column is renamed": a verb followed
    # by when it happens tells what something does; an imperative goes on with its object
    r"(?!\s+(?:whenever|when|each time|all the time|sometimes|often|constantly)\b)"
)
_LEAD_IN = (
    r"(?:(?:and|then|also|separately|please|pls|plz|so|just|now|finally|next|first|second|third|lastly"
    r"|if so|if not|if needed|if necessary|otherwise|meanwhile|in the meantime|after that"
    r"|while you'?re at it|while (?:u|you)'?re in there)\s+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|someone|somebody|we)\s+(?:please\s+)?"
    r"|(?:we|i)\s+(?:need|want|would like|'d like|have)\s+(?:you\s+|someone\s+)?to\s+"
    r"|(?:need|want)\s+(?:you\s+|someone\s+)?to\s+|(?:someone|somebody)\s+(?:to\s+)?"
    r"|let'?s\s+|help\s+(?:me|us)\s+)?"
)
# "have someone profile it" asks too (but "If it breaks, have someone ..." is cut after the
# condition only by the "and have ..." reading below)
_HAVE_SOMEONE = r"(?:have\s+(?:someone|somebody)\s+(?:actually\s+|also\s+)?)?"
_SPLIT = re.compile(
    r"(?<=[.!?])\s+|;\s*|\n+|:\s+(?=(?-i:[A-Z])|\(?\d+[.)]\s|" + _LEAD_IN + _VERB + r")"
    r"|,?\s+(?=\(?\d[.)]\s+)|^\s*\(?\d[.)]\s+|,\s*(?:and\s+)?(?:then|also)\s+"
    # ("whoever owns the cluster should then set the autoscaler": "then" after a modal goes on
    # with the modal's own verb)
    r"|(?<!\bshould)(?<!\bmust)(?<!\bwill)(?<!\bcan)(?<!\bcould)(?<!\bwould)"
    r",?\s+(?:and|then|and then|and also|plus|\+|&)\s+(?=" + _LEAD_IN + _VERB + r")"
    r"|,\s*(?=" + _LEAD_IN + _VERB + r")"
    # "..., and have perf load-test it", "..., and have the backend folks define the contract":
    # a second ask, put to the one who is to do it ("and have it return a 409" says what the
    # thing asked for does)
    r"|,\s+(?:and|then|and\s+then)\s+(?=have\s+(?!(?:it|them|their|its)\b)"
    r"(?:the\s+)?[a-z]+(?:\s+(?:team|eng|engineering|folks|side|people|engineers?))?\s+"
    r"(?:actually\s+|also\s+)?" + _VERB + r")"
    # "..., and if the limit is structural, write up an option": the condition opens a clause
    # ("..., and if so which part goes first?" goes on with the question before it)
    r"|,\s+and\s+(?=(?:if(?!\s+(?:so|not)\b)|once|when|unless)\b)"
    # "..., and who's going to talk to the partners?", "..., and when can it ship?": a second
    # question, for whom or by when ("..., and what would that mean" goes on with the first)
    r"|,\s+(?:and|but)\s+(?=(?:who|when)\b)"
    # ", the game servers need autoscaling": a new subject that says what it needs (", or should
    # we ..." is the other side of the same choice)
    r"|,\s+(?:and\s+|but\s+|plus\s+)?(?!so\b|which\b|because\b|since\b|as\b|if\b|or\b)"
    r"(?=(?:someone|somebody)\b|(?:[^,(]|\([^)]*\))"
    r"{1,50}?\b(?:need|needs|should|must|has to|have to)\b)"
    # "data eng will need to build the ingestion and ops will need to stand up the
    # infrastructure": a second doer, of a word or two, with what it has to do
    r"|\s+and\s+(?=(?:the\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:will\s+need\s+to|'ll\s+need\s+to"
    r"|needs\s+to|has\s+to|should|must)\s+(?!be\b))",
    re.IGNORECASE,
)
# An item of a numbered list ("2) get the node pools in place") asks as its verb does.
_IMPERATIVE = re.compile(
    r"^\W*(?:\(?\d{1,2}[.)]\s*|[a-z]\)\s+)?" + _LEAD_IN + _HAVE_SOMEONE + _VERB, re.IGNORECASE
)
# What we want asks ("we'd want an endpoint", "I want you to ..."); what someone else wants
# ("Insurers want to query our score", "Labels want to be told") is the situation the asks serve.
_WE_WANT = (
    r"(?:we|i)(?:'d|'ll|\s+(?:would|will|probably|also|really|still|just|do|definitely))*\s+want"
    r"|want (?=(?:you|someone|somebody|us) to)"
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
    r"|requires|required|please|pls|plz|" + _LETS + r"|how (?:do|can|should) we|can we"
    r"|could we|is there a way|todo|to-do)\b",
    re.IGNORECASE,
)


# The next step, a thing someone else wants made ("Once that's in, the sales team wants a
# forecast of ...", "then QA will want a staging copy"); what they want to do ("Insurers want to
# query our score") or a want with no place in the work's order is the situation.
_THEY_WANT = re.compile(
    r"^\W*(?:once|after|afterwards|then|next|later|when)\b"
    r".*\b(?:wants|(?:will|'ll|would)\s+want)\s+(?:a|an)\s",
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


# The first item of a numbered list ("1) soak test ...", "(1) backfill ...").
_NUMBERED = re.compile(r"\(?\d+[.)]\s")


def _split(text: str) -> list[str]:
    """``text`` cut where ``_SPLIT`` opens a clause, except inside parentheses: "(new nullable
    column, backfill in batches, then the constraint)" spells out the ask before it. What opens
    a numbered list after a colon ("booking api, perf pass needed: 1) ...") keeps its colon: it
    labels the items that ask, it asks for nothing itself ("Profile it: 1) ..." still asks)."""
    pieces, start, depth, seen = [], 0, 0, 0
    for found in _SPLIT.finditer(text):
        for char in text[seen : found.start()]:
            # a ")" with none open numbers an item ("2) ..."), it closes nothing
            depth = depth + 1 if char == "(" else max(depth - (char == ")"), 0)
        seen = found.start()
        if depth == 0 and found.end() > found.start():
            piece = text[start : found.start()]
            labels = found[0].startswith(":") and _NUMBERED.match(text, found.end()) is not None
            pieces.append(piece + ":" if labels and not _IMPERATIVE.match(piece) else piece)
            start = found.end()
    return [*pieces, text[start:]]


def split_clauses(text: str) -> list[str]:
    """Split a request into clauses that may each belong to a different role.

    Sentences, semicolons, "then"/"also", and an "and" or a comma followed by a verb that opens an
    ask start a clause.

    Example:
        >>> split_clauses("Train a churn model and expose it behind an API; then plan the launch")
        ['Train a churn model', 'expose it behind an API', 'then plan the launch']
        >>> split_clauses("Decide the rollout, define the SLOs, and write the runbook")
        ['Decide the rollout', 'define the SLOs', 'write the runbook']
    """
    parts = _split(text)
    return [p.strip().rstrip(".!?,").strip() for p in parts if p and stems(p)]


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


# ... a word joined on by a hyphen names a thing ("Smart-meter readings", not "start")
_FIRST_WORD = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|plz|so|just|now)\s+)*([a-z]+)\b(?!-)", re.I
)


def _misspelt_verb(clause: str) -> bool:
    """Whether the clause opens with a misspelt imperative verb ("Desing the endpoint")."""
    found = _FIRST_WORD.match(clause)
    word = found[1].lower() if found else ""
    if len(word) < 5 or word in _STOP or any(word.startswith(v) for v in _VERB_SET):
        return False  # a verb, one inflected ("Deploys are slow" tells), or a function word
    if any(len(v) >= 6 and v.endswith("e") and word.startswith(v[:-1]) for v in _VERB_SET):
        return False  # a word made from a verb ("Product wants ..." is not "produce")
    near = [v for v in _VERBS if v[0] == word[0] and abs(len(v) - len(word)) <= 1]
    return bool(difflib.get_close_matches(word, near, n=1, cutoff=_VERB_SPELLING))


# What is asked about, not asked for: "(dispatch wants to know) which callbacks will need a
# second visit" says no one needs anything done.
_ASKED_ABOUT = re.compile(r"\b(?:which|whether)\b[^,.;:?]*", re.IGNORECASE)


# A report named as the thing wanted ("the COO wants a one-page summary of what happened", "and
# then a one-page status update for the board", "the growers want a roadmap"): someone is to
# write it, though no verb asks; a report spoken of ("the roadmap is a mess") is the situation.
_REPORT_WANTED = re.compile(
    r"^\W*(?:(?:and|then|also|so|plus)\s+)*(?:(?:a|an)\s|[^,;]{0,40}?\b(?:(?:wants?|needs?"
    r"|asked\s+for|expects?)|owes?(?:\s+[\w'’-]+){1,3}?)\s+(?:a|an)\s)",
    re.IGNORECASE,
)


# The heading of a meeting's notes ("Minutes, taco truck ordering", "Meeting minutes, pastry
# school enrolments (March)"): it names the notes, it reports no problem ("minutes" is no delay).
_HEADING = re.compile(r"^\W*(?:[\w-]+\s+)?(?:minutes|notes)\b(?:\s*,[^.;:?!]{0,80})?$", re.I)


# An engineer's arrow: "memory climbs between restarts -> someone profile the heap", "the call
# has no timeout -> fix it" say what is wrong and, after the arrow, what to do about it; a flow
# ("hubspot -> snowflake sync") or a change ("p99 went 300ms -> 2s") asks nothing after it.
_ARROW = re.compile(r"\s(?:->|=>|→)\s")


def _asks_after_arrow(clause: str) -> bool:
    """Whether what follows a clause's last arrow asks by itself ("... -> load test it"); a
    number there ("400ms -> 1.6s") is where a measure went, not a numbered item."""
    *before, after = _ARROW.split(clause)
    after = after.strip()
    return bool(before) and after[:1].isalpha() and _kind(after) == "ask"


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
    ):
        return "ask"
    if _ITEM.match(clause) or (_REPORT_WANTED.match(clause) and is_project_report(clause)):
        return "ask"
    return "problem" if _PROBLEM.search(clause) else "context"


def _after_label(part: str) -> list[str]:
    """A short label before a colon ("Two monitoring asks: the model ...") is a clause apart."""
    head, colon, rest = part.partition(": ")
    # "Please spec the webhook: payload, signing, retries" asks; what follows says what it holds.
    if colon and rest and len(head.split()) <= 5 and not _IMPERATIVE.match(head):
        return [head + ":", rest]
    return [part]


# A label that counts what follows ("We need three things:"): a list after it of that many items
# is that many asks ("Two asks: the Lambda has cold starts, which ..., can you look into it?"
# counts asks that run on past the sentence).
_COUNTED = re.compile(
    r"\b(?P<n>two|three|four|five|[2-5])\s+(?:things|asks|items|deliverables|requests)\W*$",
    re.IGNORECASE,
)
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5}
# ... and so does a label that says it lists what is needed ("Needed:", "What we need:").
_NEEDED = re.compile(
    r"^\W*(?:needed|needs|we need|what we need|asks|deliverables|to-?do|requirements)\W*$",
    re.IGNORECASE,
)
_LAST_ITEM = re.compile(r",\s+and\s+(?![^(]*\))[^,]*$", re.IGNORECASE)
# A comma (and "and") between the items of a list, outside parentheses.
_ITEM_COMMA = re.compile(r",\s+(?:and\s+)?(?![^(]*\))")


def _listed(sentence: str) -> list[str]:
    """The items of a list a counting label announces ("We need three things: a view of ...,
    the account-linking API, and a roadmap"), else nothing."""
    head, _, rest = sentence.partition(": ")
    counted = _COUNTED.search(head)
    if not rest or (counted is None and not _NEEDED.match(head)):
        return []
    items = [i.strip() for i in _ITEM_COMMA.split(rest)]
    if counted is None:  # "Needed: a, b, and c": a list closed by ", and"
        return items if len(items) > 1 and _LAST_ITEM.search(rest) else []
    n = counted["n"].lower()
    return items if len(items) == _COUNT.get(n, int(n) if n.isdigit() else 0) else []


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


# Who is addressed, by a name a team may use for a role: "DevOps: ...", "Backend, please ...",
# "q for arch:" at a sentence's start (for the rest of the sentence); "can data pick it up",
# "ML please check", "need product to decide", "@pm can u ..." (for that clause).
_GROUP = r"(?:\s+(?:team|eng|engineering|folks|side|people|engineers?|architects?|guys))?"
_HEADED = re.compile(
    # "(2) perf: ...", "3. PM: ...": the number of a listed item comes before the name
    r"^\W*(?:\d{1,2}[.)]\s*)?(?:(?:and|also|so|then|ok|okay|oh)\s+)*"
    r"(?:(?:[\w-]+\s+){0,2}(?:q|question|questions|ask|asks)\s+for\s+(?:the\s+)?)?"
    r"(?P<who>[a-z]+)" + _GROUP + r"\s*(?P<end>[:,]|$)",
    re.IGNORECASE,
)
_CALLED = (
    re.compile(r"(?:^|\s)@(?P<who>[a-z]+)" + _GROUP + r"\b", re.I),
    re.compile(r"\b(?:can|could|would|will)\s+(?P<who>[a-z]+)" + _GROUP + r"\s+[a-z]", re.I),
    re.compile(
        r"^\W*(?:(?:and|also|so|then)\s+)*(?P<who>[a-z]+)" + _GROUP + r",?\s+(?:please|pls|plz)\b",
        re.I,
    ),
    re.compile(r"\bneed\s+(?:the\s+)?(?P<who>[a-z]+)" + _GROUP + r"\s+to\s+[a-z]", re.I),
    # "ops will need to stand up the infrastructure", "ML should look at a lighter model": a team
    # named as the one to do it ("the data has to be cleaned" names what, not who)
    re.compile(
        r"^\W*(?:(?:and|also|so|then|but|plus)\s+)*(?:the\s+)?(?P<who>[a-z]+)"
        + _GROUP
        + r"\s+(?:will|'ll|would|also|probably|then|\s)*(?:needs?\s+to|has\s+to|have\s+to"
        r"|should|must)\s+(?:also\s+|then\s+)?(?!be\b)[a-z]",
        re.I,
    ),
    # "After that, backend can design the APIs between them", "data will backfill March": a
    # team named before what it can or will do, when that opens an ask as a verb does
    re.compile(
        r"^\W*(?:(?:and|also|so|then|but|plus|after\s+that|next|finally|meanwhile)\W+)*"
        r"(?P<who>[a-z]+)" + _GROUP + r"\s+(?:can|could|will|'ll)\s+(?:also\s+|then\s+)?"
        r"(?=" + _VERB + r")",
        re.I,
    ),
    # "ask the ML folks whether ...", "Also ask ML to look at ...": the question is theirs
    re.compile(
        r"^\W*(?:(?:and|also|so|then|please|pls)\s+)*ask\s+(?:the\s+)?(?P<who>[a-z]+)"
        + _GROUP
        + r"\b",
        re.I,
    ),
    # "Need a call from product", "waiting on a decision from the architects": theirs to make
    re.compile(
        r"\b(?:call|decision|sign-?off|go-ahead|ruling|answer)\s+from\s+(?:the\s+)?"
        r"(?P<who>[a-z]+)" + _GROUP + r"\b",
        re.I,
    ),
)
# "PM to draft the FAQ", "(2) data to backfill March", "and ops to rotate the keys", "then
# have infra rotate the keys": an action item names its doer before the verb of its work; the
# work is the ask ("infra to DevOps" names no work).
_DOER = re.compile(
    r"^\W*(?:\(?\d{1,2}[.)]\s*)?(?:(?:and|also|so|then|plus|please)\s+)*"
    r"(?:(?:the\s+)?(?P<who>[a-z]+)" + _GROUP + r"\s+to\s+(?:also\s+|then\s+)?"
    r"|have\s+(?:the\s+)?(?P<had>[a-z]+)" + _GROUP + r"\s+)"
    r"(?=(?:" + _VERB + r"))",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _addressed(
    sentence: list[str], addressee: Callable[[str], str | None]
) -> list[tuple[str, str | None]]:
    """The parts of a sentence, each with the role it is addressed to; a part that only names
    the role ("DevOps:", "backend") is left out, its name carried on."""
    out: list[tuple[str, str | None]] = []
    carried: str | None = None
    for part in sentence:
        head = _HEADED.match(part)
        if head and (role := addressee(head["who"].lower())):
            carried = role
            if not stems(part[head.end() :]):
                continue  # only the name
        doer = _DOER.match(part)
        if doer and (role := addressee((doer["who"] or doer["had"]).lower())):
            out.append((part[doer.end() :], role))
            continue
        # the first name a role answers to ("will need to" names no one)
        called = next(
            (r for p in _CALLED if (m := p.search(part)) and (r := addressee(m["who"].lower()))),
            None,
        )
        out.append((part, called or carried))
    return out


# A piece that is only a word leading into what follows ("Separately, does the ledger need ...").
_LEAD_WORD = re.compile(
    r"^\W*(?:and\s+)?(?:separately|also|plus|additionally|finally|lastly|meanwhile|next|then"
    r"|longer term|long term|in the meantime|on top of that"
    r"|(?:step|phase|part)\s+(?:one|two|three|four|five|\d{1,2}))\W*$",
    re.IGNORECASE,
)
# A question before a colon ("What is the target architecture here: ...") and the options after
# it, up to the question mark, are one question.
_OPEN_QUESTION = re.compile(
    r"^\W*(?:what|which|how|should|do|does|is|are|can|could|would)\b[^?]*$", re.IGNORECASE
)


# "Please write", "and plan": an opening verb and nothing after it ("Repartition it" has its
# object, "Lay out the tradeoff" too).
_VERB_ALONE = re.compile(r"^\W*" + _LEAD_IN + _VERB + r"\W*$", re.IGNORECASE)


def _verb_alone(piece: str) -> bool:
    """Whether a piece is only a verb that opens an ask ("Please write"), with no object."""
    return _VERB_ALONE.match(piece) is not None


def _joined(pieces: list[str], sentence: str) -> list[str]:
    """Pieces put back together where a split cut a lead-in word from what it leads into, or a
    question from the options it asks about."""
    out: list[str] = []
    for piece in pieces:
        if out and _LEAD_WORD.match(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        elif out and _verb_alone(out[-1]) and f"{out[-1]} and {piece}" in sentence:
            # "Please write and rehearse the upgrade runbook": two verbs share one object
            out[-1] = f"{out[-1]} and {piece}"
        elif (
            out
            and piece.endswith("?")
            and _OPEN_QUESTION.match(out[-1])
            # a short question before its colon was cut off as a label ("Which one fits:")
            and f"{out[-1].rstrip(':')}: {piece}" in sentence
        ):
            out[-1] = f"{out[-1].rstrip(':')}: {piece}"
        else:
            out.append(piece)
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


def _asks_itself(clause: str) -> bool:
    """Whether a clause asks by its own form: an imperative, a question."""
    return bool(
        _IMPERATIVE.match(clause)
        or _misspelt_verb(clause)
        or _QUESTION.search(clause)
        or clause.endswith("?")
    )


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


def _addressed_kind(part: str, to: str | None) -> Literal["ask", "problem", "context"]:
    """A part's kind; put to a role by name ("PM: the board wants a status update"), what it
    tells is what that role is asked to do, not only the situation."""
    kind = _kind(part.rstrip(".!,").strip())
    return "ask" if to is not None and kind == "context" else kind


# A label that says what done means ("Definition of done, delivery updates:", "Acceptance
# criteria for the portal:", "Done when:"): each line after it states a piece of the finished
# work ("shops receive a webhook on each status change"), an ask though it gives no order;
# "write the acceptance criteria" asks for the list itself.
_DONE_LABEL = re.compile(
    r"^\W*(?:acceptance\s+criteria|definition\s+of\s+done|done\s+when|success\s+criteria)\b"
    r"(?P<topic>[^.:;?!]{0,80}):\s*",
    re.IGNORECASE,
)
# A criterion said as "Given ..., when ..., then ...": what follows "then" is the finished state
# asked for; what is given, and when, is its situation.
_CRITERION = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?given\b.*\bthen\b", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\W*\d{1,2}\W*$")
_GIVEN = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?(?:given|when)\b", re.IGNORECASE)
# A line this short (content stems) after the label says no work ("Thanks, Marta").
_STATED = 3


def _states_work(part: str) -> bool:
    """Whether a line of a done list, or of a criterion, states finished work: not what is
    given or when (its situation), and not a word or two of courtesy."""
    return _GIVEN.match(part) is None and len(stems(part)) >= _STATED


# A line of a planning list ("- daily extract of kettle temperatures into the warehouse - dedupe
# the retries", "* Monday status note for the director", "3. capacity forecast for the order
# system") that names a piece of work as a noun phrase: the work is asked for, though no verb
# orders it. What follows " - " inside the item remarks on the same piece of work. An item that
# says what is ("Spaces are counted by barrier sensors.", "We have two developers.") or where
# things stand ("billing export: done", "launch date 4 May", "tests green") tells.
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(?!\[)")
_REMARK = re.compile(r"\s[-–—]\s")
# a semicolon or a colon joins a second clause to the item, or addresses it ("ML team: ...")
_JOINS = re.compile(r"[;:]\s")
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would|may|might|must|should"
    r"|shall|do|does|did|we|i|you|they|he|she|it|nobody|someone|need|needs|want|wants"
    r"|\w+n['’]t|\w+['’](?:re|ve|ll))\b",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"\b(?:done|green|red|amber|no\s+change|on\s+track|blocked|shipped|merged|closed|live)\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b",
    re.IGNORECASE,
)


# A label this long or shorter before a colon names what the item is about ("topic classifier for
# incoming chats: per-topic precision and recall"); what follows names the work.
_LABEL_WORDS = 5


def _names_work(sentence: str) -> bool:
    """Whether a line is a list item that names a piece of work as a noun phrase (``_LIST_ITEM``):
    its item, up to any remark, has no verb of its own, states no status, and holds at least
    ``_STATED`` content words."""
    marker = _LIST_ITEM.match(sentence)
    if marker is None:
        return False
    item = _REMARK.split(sentence[marker.end() :], maxsplit=1)[0].strip()
    label, colon, named = item.partition(": ")
    if colon and len(label.split()) <= _LABEL_WORDS and _FINITE.search(label) is None:
        if _kind(named) == "ask":
            return False  # "ML team: once loaded, build ...": the rest asks by itself
        item = named  # "price survey files: nightly load into the warehouse": the label's work
    return (
        not item.endswith((".", "?"))
        and _JOINS.search(item) is None
        and _FINITE.search(item) is None
        and _STATUS.search(item) is None
        and not _IMPERATIVE.match(item)
        and len(stems(item)) >= _STATED
    )


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
        if items:  # "We need three things: a, b, and c" is read as its items
            head = sentence.partition(": ")[0] + ":"
            pieces = [head, *(q.strip() for i in items for q in _SPLIT.split(i) if q)]
        else:
            pieces = [q.strip() for p in _split(sentence) if p for q in _after_label(p)]
        parts = _addressed(_joined([q for q in pieces if q], sentence), named)
        states = done or _CRITERION.match(sentence) is not None
        sentences.append(
            [
                Clause(
                    p.rstrip(".!,:").strip(),
                    kind="ask"
                    if p in items or (states and _states_work(p))
                    else _addressed_kind(p, to),
                    to=to,
                )
                for p, to in parts
            ]
        )
    clauses = _theirs_asked(
        _refer_back([_required(_items_told(sentence)) for sentence in sentences])
    )
    if clauses and not any(c.is_ask for c in clauses):
        return [Clause(c, kind="problem", to=c.to) for c in clauses]
    if any(c.kind == "ask" and _outright(c) for c in clauses):
        # A request that asks outright: its problem reports are the situation, not asks; but a
        # report that states a decision to make ("whether auth lives in each service is a
        # boundary decision") still asks for it. What others must be able to do, said before
        # any ask, is the scene the asks serve.
        scene = _their_scene(clauses)
        return [
            Clause(c, kind="context")
            if (c.kind == "problem" and not _DECISION.search(c)) or i in scene
            else c
            for i, c in enumerate(clauses)
        ]
    return clauses


def _their_scene(clauses: list[Clause]) -> set[int]:
    """The clauses, before any other ask, that only say what others must do (``_theirs``)."""
    found: set[int] = set()
    for i, clause in enumerate(clauses):
        if _theirs(clause):
            found.add(i)
        elif clause.kind == "ask":
            break
    return found


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
    r"^(?!.*\b(?:already|(?:is|was|been) made|made and)\b).*\b(?:decision|decide|whether)\b",
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
        or clause.to
    )


# An ask that asks for a decision or a definition and names it ("Decide which one goes first",
# "someone has to decide if the fix goes ahead of the launch", "nail down what 'on time' means";
# "make the call" names none: it is about what was said before).
_DECIDE = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|so|just|now|first|finally|before that)\s+)*"
    r"(?:(?:someone|somebody|we|you)\s+(?:has|have|needs?)\s+to\s+|(?:we\s+)?need\s+to\s+"
    r"|(?:can|could)\s+(?:you|someone)\s+)?"
    r"(?:decide|define|agree|settle|sign off|nail down|pin down|prioriti[sz]e|rank|commit"
    r"|approve|choose|pick|scope)\b",
    re.IGNORECASE,
)


def is_decision(clause: str) -> bool:
    """Whether a clause asks for a decision or a definition (whose, its object says).

    Example:
        >>> is_decision("Decide which one goes first"), is_decision("Deploy the decision service")
        (True, False)
    """
    return _DECIDE.match(clause) is not None


# An ask for a report on the project itself: its status, scope, roadmap, milestones, timeline or
# risks. That is the PM's, whatever the nouns that fill it ("a status update on when the shared
# dashboard is ready", "what's out of scope for phase one"); a status the product stores ("filter
# by status", "status codes") or a milestone a feature belongs to ("the API for the first
# milestone") is not one.
_REPORT = re.compile(
    r"\b(?:status\s+(?:updates?|notes?|reports?|summary)"
    r"|(?:a|weekly|monthly|written|short|readiness|one-paragraph|one-page)\s+status\b"
    # a status said for someone or on something is a report; one followed by a noun of the
    # product ("a status filter", "a status resource") is a field the product keeps
    r"(?=\s*$|\s*[.,;:?!)]|\s+(?:for|on|with|of|about|to|by|before|every|each|from|in|that|so"
    r"|and|as|two|three|four)\b)"
    # a page for the people the work is for ("a one-page summary of the decision", "a
    # one-pager with timeline and budget", "a one-page business case for the owners")
    r"|one-pager\b|one-page\s+(?:[\w-]+\s+)?(?:summary|update|plan|scope|case|brief|report|memo"
    r"|overview|status)\b"
    r"|(?:in|out\s+of)\s+scope|scope\b(?!s)|roadmap|milestones|milestone\s+(?:plan|breakdown)"
    r"|risks?\s+(?:register|log)|top\s+(?:\w+\s+)?risks|risks\s+and\s+dependencies"
    r"|(?:the|with)\s+risks\b(?!\s+of\b)|dependency\s+map|cross-team\s+dependencies"
    r"|timeline\b(?!\s+(?:views?|charts?|components?|events?)\b)"
    # a launch, release or ship date wanted is the plan's ("the franchisees want a launch date");
    # rows "by delivery date" name a column
    r"|(?<!\bby\s)(?:launch|go-live|release|ship|delivery)\s+dates?\b"
    # ... and so is a date or a go/no-go someone can pass on ("a realistic date I can give the
    # board", "a go/no-go date for switching"); "a date filter" is a field the product keeps
    r"|(?<=\ba\s)(?:[\w/-]+\s+)?date\b(?=\s*$|\s*[.,;:?!)+]|\s+(?:for|on|by|they|we|i|she|he|you"
    r"|from|when|that|so|and|both|relative|agreed|to|once|based|everyone)\b)|\bgo/no-go\b"
    # what "done" means for the work is its definition of done
    r"|(?:counts|qualifies|is\s+considered)\s+as\s+(?:done|complete|finished)|definition\s+of\s+done)",
    re.IGNORECASE,
)


# The report is what the ask asks for when it comes this early ("list the risks ...", "what's out
# of scope ..."); later, it is one more thing a merged clause asks ("sketch how it would fit
# ..., and a phased roadmap"), and the words before it say whose the clause is.
_REPORT_WITHIN = 4
# ... not counting the word that joins the clause to the one before, nor who wants the report
# ("And the COO wants a one-page summary", "Studio heads want a six-month roadmap")
_JOINED = re.compile(r"^\W*(?:(?:and|then|also|so|plus)\s+)+", re.IGNORECASE)


def is_project_report(clause: str) -> bool:
    """Whether a clause asks for a report on the project (status, scope, roadmap, risks).

    Example:
        >>> is_project_report("a status update on when the dashboard is ready")
        True
        >>> is_project_report("add cursor pagination and filters by status")
        False
        >>> is_project_report("add a status filter to the endpoint")
        False
        >>> is_project_report("purchasing wants a date they can promise the suppliers")
        True
    """
    found = _REPORT.search(clause)
    if found is None:
        return False
    wanted = _REPORT_WANTED.match(clause)
    start = wanted.end() if wanted and wanted.end() <= found.start() else 0
    return len(_JOINED.sub("", clause[start : found.start()]).split()) <= _REPORT_WITHIN


# A message for people outside the work ("let the partners know ...", "tell finance that the
# numbers will shift", "inform the clinics when ..."): whom to tell, what and when is the PM's,
# whatever it is about. "Tell us whether an index fixes it" asks the analysis itself.
_TELL = (
    r"(?:tell|inform|warn|brief|reassure)\s+(?!(?:us|me|you|we|it|them)\b)"
    r"|let\s+(?!(?:us|me|it|them)\b)(?:[\w'’-]+\s+){1,5}?know\b"
    # "send the growers a short note on ...": a note, update or explanation written to people
    r"|(?:send|email)\s+(?!(?:us|me|you|it|them)\b)(?:[\w'’-]+\s+){1,5}?(?:a|an)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:note|explanation|update|message|email|letter|heads-up)\b"
)
# What someone wants to hear about when the work will be done ("the station manager wants to
# hear whether we'll be ready", "sales wants to know if it makes the March release").
_WANTS_DATE = (
    r"\b(?:wants?|needs?|asked|asks)\s+to\s+(?:hear|know)\b(?=.*\b(?:ready|release|launch|ship"
    r"|go(?:es)?\s+live|go-live|slips?|on\s+track|in\s+time|deadline|date)\b)"
)
# A meeting to run: "chair the go/no-go call", "set up the kickoff with support", "run the retro".
_MEETING = (
    r"(?:chair|host|facilitate|run|hold|set\s+up|book|schedule|organi[sz]e)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:[\w/-]+\s+){0,3}?(?<![\w-])(?:call|meeting|sync|kick-?off|retro(?:spective)?|workshop"
    r"|go/no-go)\b"
)
# An agreement to reach with people ("agree with the director on what counts as a visitor", "get
# merchandising and finance to agree which marts go first", "agree the sunset date with the big
# carriers"): bringing them to it is the PM's. "agree its grain with them" settles the work
# itself with whoever asked.
_NOT_PEOPLE = r"(?!(?:us|me|you|it|them|each other)\b)"
_AGREE = (
    r"(?:agree|align)\s+with\s+"
    + _NOT_PEOPLE
    + r"|get\s+(?:[\w'’-]+\s+){1,6}?to\s+(?:agree|align|sign\s+off)\b"
    + r"|agree\s+(?:on\s+)?(?:a|an|the|our|their)\s+(?:[\w'’/-]+\s+){0,5}?with\s+"
    + _NOT_PEOPLE
)
_MESSAGE = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|plz|so|just|now|finally)\s+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|someone|somebody"
    # "can we agree with the director ...": we are to reach it with them ("can we tell if ..."
    # asks whether it can be told)
    r"|we(?=\s+(?:also\s+|please\s+)?(?:agree|align|get)\b))\s+(?:also\s+|please\s+)?)?"
    r"(?:" + _TELL + "|" + _MEETING + "|" + _AGREE + r")|" + _WANTS_DATE,
    re.IGNORECASE,
)


def is_stakeholder_message(clause: str) -> bool:
    """Whether a clause asks for a message to people outside the work, a meeting with them, or
    an agreement to reach with them.

    Example:
        >>> is_stakeholder_message("and let the store managers know when it lands")
        True
        >>> is_stakeholder_message("tell us whether an index fixes it")
        False
        >>> is_stakeholder_message("get the growers and the co-op to agree on a picking window")
        True
    """
    return _MESSAGE.search(clause) is not None
