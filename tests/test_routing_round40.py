"""Asks as routing round 40 found them read.

Work said by what it does rather than by a card's words went to the role whose nouns the setting
shared: a model named by what it works on ("a photo model that grades stems"), learning from past
seasons, a forecast of an amount; capacity that comes by itself, a new version seen first by a
small share of visitors, a change tried before the public sees it, passwords taken out of a shared
file, a rented server, a warning system that rings someone at night; a way for another program to
look something up, only signed-in people let in, a list served in pages of fifty; a rerun that
changes nothing, records combined each night into one clean list; a service tried at a day's
crowd, a site that crawls; which copy of a record wins; a ranked list of what comes first. Each is
now read as the card words it means (``team.routing.lexicon``).

"I'd love something that warns us ..." is the writer's wish for a thing, an ask as "I'd like" is
(someone else's "would love" and "we'd love to put ..." are not); and "Asking for:" and "Work:"
label a list of wanted work as "Needed:" does.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words

SAID = [
    ("a picture model that sorts the tiles into cracked and whole", "ML model predictions"),
    ("an image model per kiln", "ML model predictions"),
    ("a model that estimates each fleece's fibre length", "ML model predictions"),
    ("learn from previous winters which roads ice over first", "model training predictions"),
    ("a forecast of weekly admissions for the new ward", "forecast predictions model"),
    ("make it get more computing power by itself on match days", "autoscaling capacity"),
    ("let a tiny slice of members use the new checkout first", "canary gradual rollout"),
    ("every change checked before customers see it", "staging environment"),
    ("a rehearsal environment that mirrors the ticket gates", "staging environment"),
    ("the shop's logins taken out of the team notebook", "secrets management"),
    ("set up a leased server for the archive", "hosting provisioning infrastructure"),
    ("find the new shop a home", "hosting provisioning infrastructure"),
    ("something that calls the manager overnight if the freezer warms", "alerting on-call paging"),
    ("a way for the suppliers to check their invoices", "API endpoints integration"),
    ("a way to post the meter readings in", "API endpoints integration"),
    ("only registered members can book", "permissions access control authentication"),
    (
        "tenants should only see the notices intended for them",
        "permissions access control authentication",
    ),
    ("decide who is permitted to refund", "permissions access control authentication"),
    ("the invoices returned in pages of twenty", "pagination paginated"),
    ("a repeat import should add nothing", "idempotent rerun data pipeline"),
    ("the four rota sheets merged every morning", "data pipeline ingestion"),
    ("the club's records in one tidy table", "data pipeline ingestion"),
    ("the kiosk tested at festival crowd size", "load test"),
    ("5,000 simulated shoppers in a minute", "load test"),
    ("the checkout crawls on payday", "latency slow bottleneck"),
    ("the scanner hangs during the morning rush", "latency slow bottleneck"),
    (
        "which of the three stock databases wins when they disagree",
        "source of truth system ownership architecture",
    ),
    ("a ranked list of which features to cut", "prioritization priorities"),
    ("which of the requests matter most this spring", "prioritization priorities"),
]


@pytest.mark.parametrize(("text", "words"), SAID)
def test_work_said_by_what_it_does_reads_as_the_card_words(text: str, words: str) -> None:
    assert words in card_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "a data model for the orders table",  # a table's model, no prediction
        "a forecast of the delivery date",  # a date forecast is the PM's
        "we learn from the mistakes",  # no history a model learns from
        "a prioritised list of what to fix first",  # the architect's list of debts
        "the app hangs under load",  # the card's own words already
        "Thanks, which of those matters most?",  # points back to a role's findings
    ],
)
def test_the_same_words_in_other_senses_say_nothing_new(text: str) -> None:
    said = card_words(text)
    assert not {
        "ML model predictions",
        "forecast predictions model",
        "model training predictions",
        "prioritization priorities",
        "latency slow bottleneck",
    } & set(said)


def test_our_wish_for_a_thing_asks(reading: str) -> None:
    text = (
        "We keep bees on six farms and lose a hive or two to swarming every May. I'd love a"
        " program that tells us which hives are likely to swarm in the coming fortnight."
    )
    assert [c.is_ask for c in read_clauses(text)] == [False, True]
    assert explained_owners(text) == ["ml_engineer"]


@pytest.mark.parametrize(
    "text",
    [
        "Our buyers keep asking for gift cards, and the owner would love them on the roadmap.",
        "We'd love to put a seasonal quiz on the homepage by autumn.",
    ],
)
def test_a_wish_that_is_theirs_or_a_plan_asks_nothing_by_itself(text: str) -> None:
    assert not any(c.kind == "ask" for c in read_clauses(text))


@pytest.mark.parametrize("label", ["Asking for:", "We're looking for:", "Work:"])
def test_asking_for_and_work_label_a_list_of_wanted_work(label: str, reading: str) -> None:
    text = (
        "Our ferry timetable changes every season and the kiosks show the old one for days."
        f" {label} the timetable loaded every night into one table with repeats removed; an"
        " endpoint the kiosks call to fetch the day's sailings."
    )
    clauses = read_clauses(text)
    assert not clauses[0].is_ask
    assert [str(c) for c in clauses if c.is_ask] == [
        "the timetable loaded every night into one table with repeats removed",
        "an endpoint the kiosks call to fetch the day's sailings",
    ]
    assert explained_owners(text) == ["data_engineer", "backend_architect"]
