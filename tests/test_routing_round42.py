"""Asks as routing round 42 found them read.

Other organisations' systems reaching ours were said in plain words, with no "API" in them: their
buying systems placing orders with ours, its system pulling our list, fetching the times from
ours, orders sent by their systems, a look-up from their end, one way in for all the insurers, a
way for a council's system to ask us, a form backed by an interface that checks what is sent, a
look-up a partner's site can call (Backend). So were the rules around them: no one seeing anyone
else's records, only some people let in, results sent back the moment something happens, safe to
take the same thing twice, each caller held to a share, an answer cut to what was asked, a few at
a time, signing up with an email. DevOps and data work in everyday words: a setup kept in code
and easy to rebuild, proper hosting, copies in a second region, capacity added on its own when
busy, staging matched to prod (DevOps); records copied to someone each evening or gathered into
one list, a copy safe if it fails halfway, a source gone silent (Data). A model said by what it
warns of (ML); slowness said as sluggish, memory profiled, where the time goes, how it holds up
when many come at once (Performance); what comes first, the order in which things are switched
on, what is needed written down, what counts as good enough (PM); what each option
gives up, a store split per country (System Architect). Each is read as the card words it means
(``team.routing.lexicon``), and a text that uses the same words in another sense is not.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words

SAID = [
    (
        "the wholesalers want their ordering systems to place orders with ours",
        "API endpoints integration",
    ),
    ("the league wants its system to pull our fixtures list", "API endpoints integration"),
    (
        "whether their own stock systems could check our prices directly",
        "API endpoints integration",
    ),
    (
        "the timing firm needs to fetch the results from ours during the race",
        "API endpoints integration",
    ),
    ("accept bookings sent by their systems", "API endpoints integration"),
    ("a way to look a parcel up from their end", "API endpoints integration"),
    ("one way in for every lab to send us their results", "API endpoints integration"),
    (
        "a way for each school's system to ask us for its pupils' scores",
        "API endpoints integration",
    ),
    ("a repair form backed by an interface that checks the warranty", "API endpoints integration"),
    ("a price lookup the partner's app can call", "API endpoints integration"),
    ("members see their own bookings, never anyone else's", "permissions access control"),
    ("with only club captains let in", "permissions access control"),
    ("the result sent back to the garage the moment the part ships", "webhook integration API"),
    ("safe to receive the same booking twice", "idempotency retries"),
    ("each caller limited to a hundred requests", "rate limiting"),
    ("a lighter search request that returns only the titles", "request payload response API"),
    ("fetch the invoices ten at a time", "pagination paginated"),
    ("customers sign up with their email", "authentication login"),
    ("the servers set up through code", "infrastructure as code"),
    ("so that it's easy to rebuild", "infrastructure as code"),
    ("move it to proper hosting", "hosting provisioning infrastructure"),
    ("weekly backups to a second region", "backups disaster recovery"),
    ("the shop adds servers automatically when it's busy", "autoscaling capacity"),
    ("staging lacks half of prod's queues; fix the parity", "staging environment parity"),
    ("the sales copied over to the accountant every night", "batch data pipeline load"),
    ("each sale copied to them every evening", "batch data pipeline load"),
    ("the ratings from both shops gathered into one table", "batch data pipeline load"),
    ("still right even if the copy fails halfway", "idempotent rerun data pipeline"),
    ("tell us when a till goes quiet", "data freshness checks"),
    ("a model that warns when a freezer begins to fail", "ML model predictions"),
    ("the search feels sluggish at lunchtime", "slowness response time"),
    ("memory-profile the importer", "profiling memory"),
    ("find where the report spends its time", "profiling latency"),
    ("see how the booking page holds up when the school run starts", "load test concurrent users"),
    ("decide which of the fixes comes first", "prioritization priorities"),
    ("agree what gets done this quarter", "prioritization priorities"),
    ("the order in which the branches are switched on", "prioritization priorities"),
    ("could a computer suggest the three most likely to renew", "can ML model predictions"),
    ("write down exactly what the florists need", "requirements what they actually need"),
    ("agree what counts as finished", "success criteria measure success"),
    ("two designs, with what each gives up", "trade-offs architecture decision"),
    ("split the orders database per region", "sharding scalability strategy"),
]


# The same words in other senses: none of these says the card words.
UNSAID = [
    ("their systems to be upgraded before spring", "API endpoints integration"),
    ("his ideas went straight to the board", "API endpoints integration"),
    ("a recipe that is ours", "API endpoints integration"),
    ("a better way to ask customers for reviews", "API endpoints integration"),
    ("the meeting went on for too long", "webhook integration API"),
    ("the photocopies to the second floor", "backups disaster recovery"),
    ("the hall goes quiet at noon and the vans go out", "API endpoints integration"),
    ("our reviews copied into the brochure", "batch data pipeline load"),
    ("the whole site copied every night in case it disappears", "batch data pipeline load"),
    ("the registration system of the club", "authentication login"),
    ("a model of the bridge that shows the loads", "ML model predictions"),
    ("the customers who came first this year", "prioritization priorities"),
    ("the order in which the events arrive", "prioritization priorities"),
    ("split the data by customer for the holdout", "sharding scalability strategy"),
    ("we hold up the queue when the printer jams", "load test concurrent users"),
]


@pytest.mark.parametrize(
    ("text", "words", "says"),
    [(t, w, True) for t, w in SAID] + [(t, w, False) for t, w in UNSAID],
)
def test_a_text_says_the_card_words_only_in_their_sense(text: str, words: str, says: bool) -> None:
    assert (words in card_words(text)) is says


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        (
            "We bake pies for twelve pubs. The pubs want their till systems to place orders with"
            " ours directly, instead of phoning at six in the morning.",
            "backend_architect",
        ),
        (
            "We run a small cattery. The website lives on my nephew's old computer; could it be"
            " moved onto proper hosting, set up so it's easy to rebuild?",
            "devops_engineer",
        ),
        (
            "We hire out bouncy castles. Could someone agree with the two depot managers which"
            " repairs come first this year?",
            "pm",
        ),
        (
            "We service lifts in forty buildings. Each lift reports its door faults; we'd like a"
            " model that warns when a door starts to stick.",
            "ml_engineer",
        ),
    ],
)
def test_plain_requests_go_to_the_owner(text: str, owner: str, reading: str) -> None:
    assert explained_owners(text)[-1] == owner


def test_a_step_opening_its_own_sentence_with_then_asks(reading: str) -> None:
    text = "tile shop: quotes svc + stock svc share one db. who owns which data? then openapi contract for quotes api"
    clauses = read_clauses(text)
    assert [c.is_ask for c in clauses] == [False, False, True, True]
    assert explained_owners(text) == ["system_architect", "backend_architect"]


@pytest.mark.parametrize(
    "text",
    [
        "Please fix the invoice export. Then the app crashed again.",  # told: what happened next
        "Can you profile the search? Then a load test of the import.",  # opens as a sentence
        "Please add a returns page. Then orders doubled overnight.",  # a report
    ],
)
def test_a_sentence_after_then_that_tells_stays_the_situation(text: str) -> None:
    assert not read_clauses(text)[-1].is_ask


def test_how_people_decide_today_is_the_situation(reading: str) -> None:
    text = (
        "We match dog walkers with owners. Right now our two coordinators decide by feel which"
        " walkers to offer each owner. Could the computer suggest the walkers most likely to be"
        " kept on by a new owner?"
    )
    clauses = read_clauses(text)
    assert [c.is_ask for c in clauses] == [False, False, True]
    assert explained_owners(text) == ["ml_engineer"]
    # a decision still to make asks for it
    assert read_clauses(
        "We need to decide whether the coordinators keep a spreadsheet. Please help"
    )[0].is_ask
