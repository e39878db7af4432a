"""A request's text cut into sentences and clauses.

Where a clause opens: after a sentence, a semicolon or a line; at "then"/"also"; at an "and" or a
comma followed by a verb that opens an ask ("Add ...", "please review ..."). The verbs that open
an ask are listed here, with their misspellings; what kind each clause is, is
``team.routing.clause_kind``.
"""

from __future__ import annotations

import difflib
import re

from team.routing.text import _STOP, stems

__all__ = ["split_clauses"]


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
choose consume feed partition recreate redraw repoint consolidate distill distil""".split()  # noqa: SIM905
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
# Who wants something: a word or three ("the board", "our support team", "legal"), not one that
# points back ("it", "which") nor a list of parties ("sales and marketing want ...").
_PARTY = (
    r"(?:the\s+|our\s+|their\s+|your\s+)?(?!(?:it|that|which|who|what|this|there|so|if|as)\b)"
    r"[a-z][\w'-]*(?:\s+(?!(?:and|or|that|which|who|it|not|never|do|does|don't|doesn't)\b)"
    r"[a-z][\w'-]*){0,2}\s+"
)
# ... and what it wants: a thing ("wants a date", "would like the export to run nightly"), not
# what it means to do ("wants to know whether ...") nor more of the same ("wants it to ...").
_WANTS = (
    r"(?:also\s+|really\s+|still\s+)?(?:wants?|would\s+(?:also\s+)?(?:like|love)"
    r"|'d\s+(?:also\s+)?(?:like|love)|(?:is|are)\s+(?:also\s+)?asking\s+for|asks?\s+for)\b"
    r"(?!\s+(?:it|them|this|that|these|those|to)\b)"
)
# A clause that opens with what a party wants ("the board wants a date for the relaunch").
_PARTY_WANTS = re.compile(r"^\W*" + _PARTY + _WANTS, re.IGNORECASE)
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
    # "Could changes be tested ..., and could the app stop changing ...?": a second question
    # put with its own subject ("..., and could it" asks of the same thing again)
    r"|(?<=\w),\s+and\s+(?=(?:can|could|would|will)\s+(?:the|our|my|their|your|this|that)\s+"
    r"[\w'’-]+(?:\s+[\w'’-]+)?\s+(?!be\b|have\b)[a-z]+)"
    # ", the game servers need autoscaling": a new subject that says what it needs (", or should
    # we ..." is the other side of the same choice)
    r"|,\s+(?:and\s+|but\s+|plus\s+)?(?!so\b|which\b|because\b|since\b|as\b|if\b|or\b)"
    r"(?=(?:someone|somebody)\b|(?:[^,(]|\([^)]*\))"
    r"{1,50}?\b(?:need|needs|should|must|has to|have to)\b)"
    # "data eng will need to build the ingestion and ops will need to stand up the
    # infrastructure": a second doer, of a word or two, with what it has to do
    r"|\s+and\s+(?=(?:the\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:will\s+need\s+to|'ll\s+need\s+to"
    r"|needs\s+to|has\s+to|should|must)\s+(?!be\b))"
    # "..., and the board wants a date for the relaunch", "..., while finance would like a cost
    # estimate": a second party, of a word or three, with what it wants (", and wants it to ..."
    # and ", and we'd like it to return a 409" say more of the same want)
    r"|,\s+(?:and|but|while|whereas)\s+(?=" + _PARTY + _WANTS + r")"
    # "We need a ballot API that ..., plus written acceptance criteria", "... needs a sync API
    # that ..., and a recorded decision on ...": one more thing needed, after a comma (only where
    # the clause says what is needed: see ``_NEEDS``)
    r"|(?P<more>)(?:,\s+plus\s+|,\s+and\s+(?=(?:a|an)\s))",
    re.IGNORECASE,
)
# A clause that says what is needed names each thing it needs: "design the sync endpoint + the
# postgres table, and a migration that doesnt lock the table" goes on with what is designed.
_NEEDS = re.compile(r"\b(?:need|needs|needed|require|requires|required)\b", re.IGNORECASE)
# An item of a numbered list ("2) get the node pools in place") asks as its verb does.
_IMPERATIVE = re.compile(
    r"^\W*(?:\(?\d{1,2}[.)]\s*|[a-z]\)\s+)?" + _LEAD_IN + _HAVE_SOMEONE + _VERB, re.IGNORECASE
)
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
        if found["more"] is not None and not _NEEDS.search(text, start, found.start()):
            continue
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


def _after_label(part: str) -> list[str]:
    """A short label before a colon ("Two monitoring asks: the model ...") is a clause apart."""
    head, colon, rest = part.partition(": ")
    # "Please spec the webhook: payload, signing, retries" asks; what follows says what it holds.
    if colon and rest and len(head.split()) <= 5 and not _IMPERATIVE.match(head):
        return [head + ":", rest]
    return [part]


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


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
