"""Kinds of ask that routing round 21 found going to the wrong role, told in new sentences.

Coping is load only when what is coped with is counted; an endpoint told by who calls it or what
it does, and an old version's Sunset header, are the API's; a model's quality per group is its
error analysis; a one-page summary, update or business case someone wants is a report on the
project; and one more item of a list ("our dispatchers also want a model ...", "and someone on
call for the first weekend") asks, though no verb of its own does. Each kind has a negative: a
sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

from team.routing import read_clauses

OWNED = [
    # coping with a change, not a crowd
    (
        "The ferry timetable site runs on one server. Sketch how the booking platform would have"
        " to change to cope with several languages and time zones.",
        ["system_architect"],
    ),
    ("Make the importer cope with the supplier's new column names.", ["data_engineer"]),
    # an endpoint a client calls
    (
        "Our clinic trained a no-show model last spring. The reception desk also wants a"
        " /patients/{id}/no-show-risk endpoint they can call.",
        ["backend_architect"],
    ),
    # a model's quality per group
    (
        "Our ticket scanner flags fake passes. The festival director needs a proper evaluation"
        " per gate, not just the overall hit rate.",
        ["ml_engineer"],
    ),
    # a one-page report someone wants
    (
        "The school portal was down for an hour on Monday with nobody told. Please set up alerts"
        " on the login service. And the head teacher wants a one-page summary of what happened"
        " and what we are changing.",
        ["devops_engineer", "pm"],
    ),
    (
        "The toy library tracks loans in a spreadsheet. Before the trustees meet, please check"
        " whether the overdue-reminder model is biased against new members, and then a one-page"
        " status update for the trustees covering what shipped and the risks.",
        ["ml_engineer", "pm"],
    ),
    # one more item of a list
    (
        "The fridge-repair bookings come in by phone. Our dispatchers also want a model that"
        " guesses how long each repair will take.",
        ["ml_engineer"],
    ),
    (
        "The new parking app goes live on 3 June. Please chair the go/no-go meeting. We need a"
        " production environment stood up by then, and someone on call for the opening weekend.",
        ["pm", "devops_engineer", "devops_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED)
def test_team_route_explain_gives_each_ask_to_its_role(
    text: str, roles: list[str], reading: str
) -> None:
    assert explained_owners(text) == roles


# the negatives: alike, and read as before
UNMOVED = [
    ("Can the ticket page cope with 2,000 fans at nine o'clock?", ["performance_engineer"]),
    (
        "The endpoint for booking rooms times out every lunchtime; find out where the time goes.",
        ["performance_engineer"],
    ),
    ("Agree the v1 sunset date with the resellers and tell them.", ["pm"]),
    (
        "The chart of errors per second on the checkout API doubled after the release; find out"
        " why.",
        ["performance_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), UNMOVED)
def test_a_sentence_alike_keeps_its_role(text: str, roles: list[str], reading: str) -> None:
    assert explained_owners(text) == roles


# a kind reads its card words; a sentence alike does not
READINGS = [
    # coping counted is load; coping with a change is not
    (
        "test how many riders at once it copes with",
        "make it cope with the new tax rules",
        "load test capacity",
    ),
    # an endpoint a client calls is the contract's; one that is slow is not said so
    (
        "an endpoint the kiosk can call with a member id",
        "the search endpoint is slow",
        "new endpoints request payloads API contract",
    ),
    # a Sunset header versions the API; a sunset date is agreed with people
    (
        "add a Sunset header to the v1 responses",
        "agree the v1 sunset date with the partners",
        "API versioned versioning backward compatibility",
    ),
    # a model's recall per group is error analysis; errors per second are a rate
    (
        "report recall per warehouse",
        "errors per second on the checkout API",
        "model error analysis subgroup evaluation",
    ),
]


@pytest.mark.parametrize(("said", "unsaid", "words"), READINGS)
def test_a_kind_reads_its_card_words_and_its_negative_does_not(
    said: str, unsaid: str, words: str
) -> None:
    assert reads_card_words(said, unsaid, words)


@pytest.mark.parametrize(
    "text",
    [
        # a report spoken of is the situation
        "The roadmap for the pantry app is a mess. Please rank the backlog.",
        # what they will do is the situation
        "The couriers also want to notify us when a parcel ships. Please design the webhook.",
        # what someone did is the situation
        "Someone logs into the server and copies files by hand. Please automate the deploy.",
    ],
)
def test_a_told_sentence_alike_stays_context(text: str) -> None:
    kinds = [clause.kind for clause in read_clauses(text)]
    assert kinds == ["context", "ask"]
