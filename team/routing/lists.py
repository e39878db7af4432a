"""Lists in a request and their labels: a label that counts or announces its items ("We need three
things: a, b, and c"), a label that says what done means and the criteria after it, a planning
list whose items name work as noun phrases.
"""

from __future__ import annotations

import re

from team.routing.clause_kind import _kind
from team.routing.sentences import _IMPERATIVE
from team.routing.text import stems

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
    # "lettuce beds out of scope": where an item stands in the plan, no work
    r"|\b(?:out\s+of|not\s+in)\s+scope\b"
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


# A terse message's run of items cut by semicolons ("drift report by supplier; camera images
# → lake w/ dedupe; GPU node pool via terraform for retrain", "scope v1 + a date first, then
# ingest their sales feeds, then baseline fcst"): where one item of the run asks, an item that
# names a piece of work as a noun phrase (no verb of its own, no status) asks too, as a list
# item does; after a label of what holds ("Constraints: two devs; budget covers one more")
# the items are what there is, no work.
_GIVEN_LABEL = re.compile(
    r"^\W*(?:constraints?|context|background|budget|limits?|givens?|assumptions?|status|notes?"
    r"|fyi|situation|facts?|today|current\s+state|what\s+we\s+have)\b[^:;]{0,40}:",
    re.IGNORECASE,
)


# ... but an item that opens as a sentence does ("the orders seem to wait on each other", "The
# endpoint for booking rooms times out every lunchtime") tells what happens, though its verb is
# not one ``_FINITE`` knows: shorthand names its work bare
_TOLD = re.compile(
    r"^\W*(?:the|a|an|our|my|their|his|her|its|this|that|these|those|some|every|each|all|it"
    r"|they|he|she|there)\b"
    # ... and so does a forwarding note ("Forwarding the trustees' note; Marek needs a reply",
    # "Note from the secretary below; who owns this?"): it says where the message came from
    r"|^\W*(?:forward(?:ed|ing)?|fwd?|below|above)\b|\b(?:below|above)\W*$",
    re.IGNORECASE,
)


# ... and so does a long one ("Customers only ever see the old version of the checkout page after
# a release"): an item of shorthand names its work in a few words
_RUN_WORDS = 9


# ... counted in words: a "+" or "&" that joins two of them is no word ("arch sketch of field app
# + offline sync before estimates" names nine)
_JOINER = frozenset({"+", "&"})


# ... and so is a step that opens a sentence of its own with "then" after a sentence that asks
# ("who owns which data? then openapi contract for the proofs api")
THEN_STEP = re.compile(r"^\W*(?:then|after that|afterwards)(?:\s*:)?\s+", re.IGNORECASE)
# ... and a step put before the work named just ahead of it ("REST api for rig telemetry. first
# decide if rigs hit one svc or an event bus"): the work named still follows it
FIRST_STEP = re.compile(r"^\W*(?:first|but first|before that)(?:\s*[:,])?\s+", re.IGNORECASE)


# ... but not a condition before its "then" ("Given a new version, when released, then ..."):
# an acceptance criterion's steps, not a run of work
_CONDITION = re.compile(r"^\W*(?:given|when|if|once|after|before|as soon as)\b", re.IGNORECASE)


def _in_run(piece: str, sentence: str) -> bool:
    """Whether ``piece`` is an item of a run cut by semicolons, or a step after "then"."""
    if THEN_STEP.match(piece):
        return True
    at = sentence.find(piece)
    if at < 0:
        return False
    before, after = sentence[:at].rstrip(), sentence[at + len(piece) :].lstrip(" .!,")
    # ... or the step before a "then" in the same sentence ("explain plan + index fix, then
    # partition the fact table")
    return (
        before.endswith(";")
        or after.startswith(";")
        or re.search(r"\bthen$", before) is not None
        or (THEN_STEP.match(after) is not None and _CONDITION.match(piece) is None)
        # ... or an item cut by commas from a shorthand sentence with no verb of its own
        # ("webhook to freight partners when an order ships, dockerize the svc"): a run too
        # (written in lower case, as shorthand is; not figures, "3 sites, 2 devs", which say
        # what there is, nor a heading or a condition: "Q3 roadmap, ...", "before the launch, ...")
        or (
            sentence[at + len(piece) :].startswith(",")
            and _FINITE.search(sentence) is None
            and piece[:1].islower()
            and re.search(r"(?<!\w)\d", piece) is None
            and _CONDITION.match(piece) is None
        )
    )


def names_run_work(piece: str, sentence: str) -> bool:
    """Whether ``piece``, an item of a terse run (``_in_run``), names a piece of work as a noun
    phrase: no verb of its own, no status, no question, at least ``_NAMED`` content words.

    Example:
        >>> names_run_work("lake load w/ dedupe", "fix the retries; lake load w/ dedupe")
        True
        >>> names_run_work("budget covers one more", "Constraints: two devs; budget covers one more")
        False
    """
    item = THEN_STEP.sub("", piece)
    return (
        _in_run(piece, sentence)
        and _TOLD.search(item) is None
        and len([w for w in item.split() if w not in _JOINER]) <= _RUN_WORDS
        and _GIVEN_LABEL.match(sentence) is None
        and not item.rstrip().endswith(("?", ":"))
        and _FINITE.search(item) is None
        and _STATUS.search(item) is None
        and len(stems(item)) >= _NAMED
    )


# A label that says the work wanted follows ("Needed:", "Wanted:", "Requested:", "What we'd like:",
# "Deliverables:", "Asking for:", "Work:"), after a goal or a situation: each item it lists, up to a semicolon, is an ask
# of its own, owned by its own words ("Needed: a model that flags ...; an endpoint the app calls
# ..."). An item keeps the details it names ("an API for results with paging and a key per
# sponsor" is one item); a list of constraints or of what there is ("Constraint: two developers")
# is not wanted work.
_WANTED_LABEL = re.compile(
    r"^\W*(?:needed|wanted|requested|required|deliverables?|asks?|tasks|actions|action\s+items"
    # "Two asks: a model that ...; and someone to agree ...": the count says how many follow
    r"|(?:two|three|four|five|[2-5])\s+(?:asks|things|requests|deliverables|items|tasks)"
    r"|to-?do|work|(?:we(?:['’]re|\s+are)\s+|i(?:['’]m|\s+am)\s+)?(?:asking|looking)\s+for"
    r"|(?:what\s+)?(?:we|i)(?:\s+(?:need|want|would\s+like)|['’]d\s+like)"
    r"|what(?:['’]s|\s+is)\s+(?:needed|wanted))"
    r"\s*:\s+(?=\S)",
    re.IGNORECASE,
)
# An item this short (content stems) names no work ("a realistic date" names some).
_NAMED = 2
# a semicolon between two items, outside parentheses; "and" may open the last
_ITEM_SEMICOLON = re.compile(r";\s*(?![^(]*\))(?:and\b[,\s]*)?", re.IGNORECASE)


def _wanted(sentence: str) -> tuple[str, list[str]]:
    """The label and the items of a list of wanted work (``_WANTED_LABEL``), else ("", []).

    Example:
        >>> _wanted("Needed: a churn model from order history; and an API serving it")
        ('Needed:', ['a churn model from order history', 'an API serving it'])
    """
    label = _WANTED_LABEL.match(sentence)
    if label is None:
        return "", []
    rest = sentence[label.end() :].strip().rstrip(".")
    if ";" not in rest and _IMPERATIVE.match(rest):  # "Actions: load-test the flow, add an
        return "", []  # alert, and ...": asked by their verbs, cut where each verb opens
    items = [i.strip() for i in _ITEM_SEMICOLON.split(rest) if len(stems(i)) >= _NAMED]
    return (sentence[: label.end()].strip(), items) if items else ("", [])
