"""Asks as routing round 44 found them read.

Where the work runs said plainly, on the device or on a server, and how the parts should be split
or laid out (System Architect). A model named by what it looks at and then does, a classifier
named by what it flags, what a customer will probably like or what similar buyers picked, a
computer that sorts messages into kinds (ML). Records landed in the warehouse, gathered into a
store or put together in one place on a schedule (Data). Work listed in order of importance (PM).
Hanging kits and freezing weather are no stall (Performance). Who sends a shorthand request,
named before its first colon, is the sender and not a problem of theirs. Each is read as the card
words it means (``team.routing.lexicon``), and a text that uses the same words in another sense
is not.
"""

from __future__ import annotations

from helpers import explained_owners

from team.routing.clauses import read_clauses
from team.routing.lexicon import card_words

ON_DEVICE = "architecture on-device or server trade-offs"
SPLIT = "service boundaries architecture components"

SAID = [
    ("whether the scoring should run on the tablet itself or on our servers", ON_DEVICE),
    ("should the reading be done inside the sensor or sent off to the cloud", ON_DEVICE),
    ("is it checked on their handsets or on a server of ours", ON_DEVICE),
    ("does the matching happen on our own servers or on the customer's phone", ON_DEVICE),
    ("a sketch of how billing, rota and the app should be divided", SPLIT),
    ("decide how the whole platform should be structured before we hire", SPLIT),
    (
        "a model that looks at each weld photo and marks the weak ones",
        "ML model predictions classifier",
    ),
    ("a detector spotting cracked tiles on the belt", "ML model predictions classifier"),
    ("show each reader titles members would probably enjoy", "recommendation model"),
    ("based on what other guests booked", "recommendation model"),
    (
        "could the software go through the letters and file them into three piles",
        "classification model",
    ),
    ("the job that lands our meter readings in the lake", "ingestion data pipeline load warehouse"),
    ("all the till exports loaded into a central database every night", "batch data pipeline load"),
    (
        "the bookings from both sites put together in one table every morning",
        "batch data pipeline load",
    ),
    ("the repairs we should do, in order of priority", "prioritization priorities"),
    ("the wish list ranked by importance", "prioritization priorities"),
]

# The same words in other senses: none of these says the card words.
UNSAID = [
    ("call us on the phone or come to our shop", ON_DEVICE),
    ("the plugs run on the wall unit itself", ON_DEVICE),
    ("how the bill should be split between the three of us", SPLIT),
    ("how the garden should be laid out for the fete", SPLIT),
    ("a model that reads like a real magazine", "ML model predictions classifier"),
    ("the model flagging down a taxi on the poster", "ML model predictions classifier"),
    ("our customers will probably come back in spring", "recommendation model"),
    ("we sort the laundry into whites and colours by hand", "classification model"),
    ("the pallets land in the warehouse on Tuesdays", "ingestion data pipeline load warehouse"),
    ("the spare chairs are put together in one room every evening", "batch data pipeline load"),
    ("the speakers, in order of appearance", "prioritization priorities"),
]


# Whole requests in plain words: the ask named goes to its owner.
PLAIN = [
    (
        "We make bird feeders and want an app where people photograph a bird and it names it."
        " Someone needs to decide whether the photo should be judged on the phone itself or"
        " sent to our server, since gardens often have poor signal.",
        "system_architect",
    ),
    (
        "We bake for cafes. Could the delivery notes be gathered into a proper store each"
        " night so we can see orders per cafe over the year?",
        "data_engineer",
    ),
    (
        "We sell garden tools online. We'd like the site to show the tools a customer will"
        " probably like, based on what similar buyers picked before.",
        "ml_engineer",
    ),
]


def test_a_text_says_the_card_words_it_means() -> None:
    assert [(text, words) for text, words in SAID if words not in card_words(text)] == []


def test_the_same_words_in_another_sense_say_nothing() -> None:
    assert [(text, words) for text, words in UNSAID if words in card_words(text)] == []


def test_hanging_kits_and_freezing_weather_are_no_stall() -> None:
    stall = "hangs blocking calls"
    assert stall not in card_words("we make picture hooks and hanging kits")
    assert stall not in card_words("the roads in freezing weather")
    assert stall in card_words("the export hangs for a minute")
    assert stall in card_words("the till keeps freezing at closing")


def test_the_sender_of_a_shorthand_request_is_no_ask() -> None:
    clauses = read_clauses(
        "seed label maker: go/no-go checklist for the shop launch; post-launch review w/ kpis"
    )
    assert (clauses[0], clauses[0].kind) == ("seed label maker", "context")
    assert all(c.is_ask for c in clauses[1:])
    # a topic before the colon is not a sender: it stays part of what is asked
    topic = read_clauses(
        "label printing: go/no-go checklist for the launch; post-launch review w/ kpis"
    )
    assert all(c.is_ask for c in topic)


def test_plain_requests_go_to_the_owner(reading: str) -> None:
    assert [(text, owner) for text, owner in PLAIN if explained_owners(text)[-1] != owner] == []


def test_a_sentence_that_names_work_is_the_step_before_then() -> None:
    clauses = read_clauses(
        "kettle maker: returns classifier for the repair desk, xgboost. then: score in the"
        " vendor's cloud or on our own box? write the adr"
    )
    assert [(c, c.kind) for c in clauses][:2] == [
        ("kettle maker", "context"),
        ("returns classifier for the repair desk, xgboost", "ask"),
    ]
    # ... but a label, or figures that state the constraints, ask nothing
    figures = read_clauses("booking: rent or build? 30k users, 3 devs. then scope an MVP for May")
    assert ("30k users, 3 devs", "context") in [(c, c.kind) for c in figures]
    labelled = read_clauses(
        "Tide-table app: tide forecast model for the harbours. Then add a push alert for it."
    )
    assert [(c, c.kind) for c in labelled][:2] == [
        ("Tide-table app", "context"),
        ("tide forecast model for the harbours", "ask"),
    ]


def test_what_people_disagree_about_is_no_ask() -> None:
    told = read_clauses(
        "We bind notebooks, and the two founders keep arguing about what the new shop should"
        " sell first. Could someone list the options with a date for each?"
    )
    assert told[0].kind == "context"
    asked = read_clauses("We bind notebooks. The new shop should sell gift sets.")
    assert any(c.is_ask for c in asked)
