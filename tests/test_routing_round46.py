"""Asks as routing round 46 found them read.

A door another organisation sends to, a check or key only they can use, another system telling
ours the moment something happens, things pulled into their own sites, a way to ask for something
and get it back, a list that comes back a part at a time, token scopes (Backend). Each one sorted
into named kinds, a model taught again on new examples (ML). Records brought over on a schedule,
numbers pulled together from several sources (Data). A path profiled, an explain plan, whether
the site copes when everyone orders at once (Performance). A retro with owners for its actions,
a choice of what goes first between two pieces of work (PM). Hosting set up, a process that
starts itself again, a canary with rollback (DevOps). Each is read as the card words it means
(``team.routing.lexicon``), and a text that uses the same words in another sense is not.
What we do said in one breath with "and" is the scene, and a numbered item of a plan named as
work is one more ask.
"""

from __future__ import annotations

from helpers import explained_owners, misreadings

from team.routing.clauses import read_clauses

API = "API endpoints integration"
KEYS = "authentication API keys"
WEBHOOK = "webhook integration API"
PAGES = "pagination paginated"
SCOPES = "permissions access control authentication"
CLASSIFIER = "classification model"
RETRAIN = "retraining model training"
LOAD = "batch data pipeline load"
PROFILE = "profiling latency"
LOAD_TEST = "load test concurrent users"
RETRO = "retrospective post-launch review"
PRIORITY = "prioritization priorities"
HOSTING = "hosting provisioning infrastructure"
CANARY = "canary gradual rollout"

SAID: dict[str, tuple[str, ...]] = {
    WEBHOOK: ("the courier should notify our shop the moment a parcel is delivered",),
    API: (
        "we need an endpoint their systems can post to every hour",
        "the bakeries want to show our cake list inside their own websites",
        "a simple way to ask for the delivery dates and get them back",
    ),
    KEYS: (
        "with a login that only the agency can use",
        "each shop gets a key that is only theirs",
    ),
    PAGES: (
        "the results come back one week at a time",
        "the replies should be sent in smaller pages",
    ),
    SCOPES: ("oauth scopes so drivers only read their own routes",),
    CLASSIFIER: ("sort them into 'urgent', 'billing' or 'other'",),
    "model predictions forecast": (
        "could it tell us how many of each colour the shops will order in May",
    ),
    "model accuracy errors": ("how often it files a parcel under the wrong depot",),
    RETRAIN: ("the spotter trained again on last winter's photos",),
    LOAD: (
        "the bookings copied over into the ledger automatically each morning",
        "the figures pulled together automatically from both tills",
    ),
    PROFILE: ("profile the checkout endpoint", "run explain analyze on it"),
    LOAD_TEST: ("see if the app can handle it when all 300 stores log in at nine",),
    RETRO: ("a retro on the failed launch", "a list of owners for actions after the incident"),
    PRIORITY: ("prioritise the bug fixes versus the new reports",),
    HOSTING: (
        "setting up our new hosting before June",
        "a service that starts back up again if it crashes",
    ),
    CANARY: ("canary the billing svc at 10% first", "ship it with auto-rollback"),
}

# The same words in other senses: none of these says the card words.
UNSAID: dict[str, tuple[str, ...]] = {
    API: (
        "a door they walk through to the yard",
        "customers walked into their own shops",
        "we show our range in their own shops",
        "a way to ask for help and get it back on track",
    ),
    KEYS: ("a locker only they can use on Fridays",),
    WEBHOOK: ("tell our shop manager straight away when she arrives",),
    PAGES: ("the coal comes in small batches", "the feeling comes back one day at a time"),
    SCOPES: ("the telescope scopes are in the cupboard",),
    CLASSIFIER: ("sort them into alphabetical order", "we sort the post into trays"),
    "model predictions forecast": ("tell us how many guests you will want at dinner",),
    "model accuracy errors": ("how often it rains on the wrong day",),
    RETRAIN: ("the staff trained again using the new manual",),
    LOAD: ("the chairs brought over into the hall", "we pulled together as a team"),
    PROFILE: ("update the company profile page", "can you explain the plan first"),
    LOAD_TEST: ("ask whether the shop can do that when all the staff agree",),
    RETRO: ("the retro style shop front", "fixes that came out of the retro"),
    PRIORITY: ("prioritise the bug fixes",),
    HOSTING: ("hosting a party for the staff", "the engine starts again after it cools"),
    CANARY: ("the canary sings at 6 in the morning",),
}


# Whole requests in plain words: the ask named goes to its owner.
PLAIN = [
    (
        "We make garden benches. Our paint supplier wants to send us its price changes, which now"
        " come by post. Could we give them a proper door they send to, with a check that only they"
        " can use it?",
        "backend_architect",
    ),
    (
        "We run a shoe shop. About 300 emails come in each week. Could the computer read each"
        " email and sort it into 'return', 'size' or 'other'?",
        "ml_engineer",
    ),
    (
        "We bake bread for three cafes. Our stock sheet is typed up by hand from the till each"
        " week; could the sales be brought over into it automatically every night?",
        "data_engineer",
    ),
]


def test_each_text_is_read_by_what_it_means() -> None:
    assert misreadings(SAID, UNSAID) == []


def test_plain_requests_go_to_the_owner(reading: str) -> None:
    assert {text: explained_owners(text)[-1] for text, _ in PLAIN} == dict(PLAIN)


def test_what_we_do_said_with_and_is_the_scene() -> None:
    clauses = read_clauses(
        "We bake rye bread and run a web shop where regulars order weekly loaves. Needed: the"
        " shop's servers set up from a script."
    )
    assert ("run a web shop where regulars order weekly loaves", "context") in [
        (c, c.kind) for c in clauses
    ]
    # ... but a need said after "and" asks
    asked = read_clauses("We bake rye bread and need a web shop that takes weekly orders.")
    assert [c.kind for c in asked] == ["ask"]


def test_a_numbered_item_named_as_work_is_an_ask() -> None:
    clauses = read_clauses(
        "kettle co: draft the autumn plan for the trade site; item 2 is a stock api w/ paging"
    )
    assert clauses[-1] == "item 2 is a stock api w/ paging"
    assert clauses[-1].kind == "ask"
    # ... but an item said to be late names no work
    late = read_clauses("kettle co: draft the autumn plan; item 2 is late again")
    assert late[-1].kind == "context"
