"""Asks as routing round 45 found them read.

Other organisations' systems asking ours, a door for them to send to, a page asking for a result,
only named people allowed to see, a notice sent to each partner's system and sent again if it is
down, a list fetched a bit at a time, a system connected to theirs
(Backend). Changes put out while the shop stays open, told straight away when it happens again,
servers set up from one written recipe, passwords kept safe (DevOps). Something that reads and
sorts into kinds, one that suggests a thing, "you might also like", a forecast of how many or from
past records, a comparison against the rule of thumb used now (ML). How many it can answer at
once, a performance budget in shorthand (Performance). What to split, cache or copy, what would
break if one part stopped (System Architect). A list of what a thing must do with a test for each,
agreement with the owners on which goes first (PM). A piece of work named before a "then" in the
same sentence is a step of the run, and a "+" joining two of its words is no word. Each is read
as the card words it means (``team.routing.lexicon``), and a text that uses the same words in
another sense is not.
"""

from __future__ import annotations

from helpers import explained_owners

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words

API = "API endpoints integration"
ROLLOUT = "blue-green deployment rollout"
DIAGRAM = "architecture diagram components single point of failure"

SAID: dict[str, tuple[str, ...]] = {
    API: (
        "could the garages' own booking systems query ours at night",
        "the hotels' booking systems want to check our room prices directly",
        "we need an entrance for them to post their updates to",
        "the app should ask for it while the driver waits at the gate",
    ),
    "permissions access control": (
        "only he and the two managers are allowed to open the payroll page",
    ),
    "webhook integration API": ("a notice pushed to each dealer's stock system when a part ships",),
    "idempotency retries": ("tried again if the dealer's server is offline",),
    "pagination paginated": ("results returned a handful at a time",),
    "integration third-party API": (
        "a link to the wholesaler's ordering system",
        "the cinema system linked to the ticket agency",
    ),
    ROLLOUT: (
        "new releases go live without the website stopping",
        "the booking app deployed without taking down the site",
    ),
    "alerting monitoring on-call": ("I want to be alerted right away if that happens",),
    "infrastructure as code": ("the machines in each depot built from a shared script",),
    "secrets management": ("are the api keys stored securely?",),
    "classification model": ("a tool that looks at every invoice and files it into a cost type",),
    "recommendation model": (
        "a widget that recommends a matching scarf",
        "a 'you may also enjoy' strip under each recipe",
    ),
    "model predictions forecast": (
        "a forecast of how much flour each branch will use",
        "a forecast of next month's demand based on past sales",
    ),
    "baseline model evaluation": ("compared with the old rule of thumb the buyers use today",),
    "load test concurrent users": ("whether the booking page can handle 500 guests at once",),
    "performance budget": ("set a perf budget for the landing page",),
    "sharding scalability strategy": ("a note on what to shard, cache and replicate as we grow",),
    DIAGRAM: (
        "what will fail if any of those services goes down",
        "a map of how everything connects together",
    ),
    "requirements acceptance criteria": (
        "a list of what the booking page should do, each with a check that proves it works",
    ),
    "stakeholder decision sign-off": ("agreement with the trustees on what ships first",),
}

# The same words in other senses: none of these says the card words.
UNSAID: dict[str, tuple[str, ...]] = {
    API: (
        "our systems ask customers for a postcode",
        "a door for them to walk through at the back",
        "the website asks for your name when you check out",
    ),
    "permissions access control": ("only children are allowed to play in the yard",),
    "webhook integration API": ("a message sent to each of the volunteers",),
    "pagination paginated": ("we paint the fence a bit at a time",),
    "integration third-party API": ("the boiler is connected to the mains",),
    ROLLOUT: ("we opened the new branch without closing the shop",),
    "alerting monitoring on-call": ("tell me straight away when the parcel arrives",),
    "infrastructure as code": ("the cakes are made from the same written recipe",),
    "secrets management": ("the shop keys are kept safe in the office",),
    "classification model": ("we sort the post into trays every morning",),
    "recommendation model": (
        "the one that suggests we close early on Sundays",
        "you might also want to bring a coat",
    ),
    "model predictions forecast": ("check the weather forecast three days ahead",),
    "baseline model evaluation": ("compared with the old van, the new one is bigger",),
    "load test concurrent users": ("we ship 200 parcels at once on Mondays",),
    "performance budget": ("the marketing budget for the spring",),
    "sharding scalability strategy": ("what to copy from the old brochure",),
    DIAGRAM: ("what would happen if one of them left the choir",),
    "requirements acceptance criteria": ("a list of what the volunteers did last year",),
    "stakeholder decision sign-off": ("we agree with the directors that it went well",),
}


# Whole requests in plain words: the ask named goes to its owner.
PLAIN = [
    (
        "We make cider presses and garden centres resell them. They ring us every day about"
        " stock. Could the garden centres' ordering systems look up our stock levels directly?",
        "backend_architect",
    ),
    (
        "We run a small online bakery shop. Each time the developer puts a change up, the"
        " shop is closed for half an hour. Could updates go out without the shop closing?",
        "devops_engineer",
    ),
    (
        "We sell hiking socks online and want the shop to show 'you might also like' socks"
        " to each customer, based on what they bought before.",
        "ml_engineer",
    ),
]


def test_each_text_is_read_by_what_it_means() -> None:
    misread = [
        (t, words) for words, texts in SAID.items() for t in texts if words not in card_words(t)
    ]
    misread += [
        (t, words) for words, texts in UNSAID.items() for t in texts if words in card_words(t)
    ]
    assert misread == []


def test_plain_requests_go_to_the_owner(reading: str) -> None:
    owners = {text: explained_owners(text)[-1] for text, _ in PLAIN}
    assert owners == dict(PLAIN)


def test_work_named_before_a_then_in_the_same_sentence_is_a_step() -> None:
    clauses = read_clauses(
        "lamp maker: stock report takes 40s. query plan review + index fix, then archive the"
        " old orders table"
    )
    assert [(c, c.kind) for c in clauses][-2:] == [
        ("query plan review + index fix", "ask"),
        ("archive the old orders table", "ask"),
    ]
    # ... but a condition before its "then" is an acceptance criterion's step, no work
    given = read_clauses(
        "Acceptance: given a paid order, then the stock drops by one. Add the stock check."
    )
    assert ("given a paid order", "ask") not in [(c, c.kind) for c in given]


def test_a_plus_that_joins_work_is_no_word() -> None:
    clauses = read_clauses(
        "quarry co: price list rework. trim scope to fit May; design sketch of quote app +"
        " offline mode before any estimates"
    )
    assert clauses[-1] == "design sketch of quote app + offline mode before any estimates"
    assert clauses[-1].kind == "ask"
