"""Asks as routing round 34 found them read.

A check on what an endpoint takes ("the gauge endpoint accepts missing days and needs input
validation") is the Backend Architect's, yet its nearest labelled asks by meaning are checks on a
table's values ("add a check so a bad day doesn't wipe the table"), whose near-unanimous vote
overruled card words that name the endpoint. Now no vote overrules clear words on such a check;
where the words are not clear, the vote still reads it.

A date or a go/no-go that someone wants, needs or is owed ("purchasing wants a date they can
promise the suppliers", "I owe our board a go/no-go date") is the PM's plan asked for, though no
verb orders it; it was read as the situation. A date the product stores ("a date filter") is not.

A model's evaluation asked as a question of fairness ("is it unfair to small clubs?", "is it fair
across disciplines?") or of errors per group in one word ("per-topic precision", "misgrades by
origin", "which topics get confused") is the ML Engineer's bias assessment or error analysis; a
trade fair, a fair price or users confused by a page are not.

A list item may name its subject before a colon and the work after it ("3) price survey files:
nightly load into the warehouse with row-count checks", "2) whichever wins: dbt models for daily
plating summaries"). Round 33 read a noun-phrase item as asked only without a colon, so such items
were the situation; now the work after a short label is asked, and an item whose rest states where
things stand ("fermenter dashboard: done") still tells.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

from team.routing.clauses import read_clauses

INPUT_CHECKS = [
    (
        "The river-gauge endpoint accepts missing days and repeated readings and needs input"
        " validation.",
        ["backend_architect"],
    ),
]

# Checks on a dataset's values, a model validated, and an endpoint check the vote reads already.
STILL = [
    (
        "Add a check that stops the nightly load of river-gauge rows when a station sends the"
        " same day twice.",
        ["data_engineer"],
    ),
    ("Validate the flood model on the two wettest winters before we trust it.", ["ml_engineer"]),
    (
        "Make the kayak rental endpoint reject bookings that end before they start.",
        ["backend_architect"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), INPUT_CHECKS + STILL)
def test_a_check_on_what_an_endpoint_takes_is_told_by_the_words(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles


DATES_OWED = [
    (
        "Containerise the pantry app and build the image in CI. The food bank's trustees want"
        " a date they can announce at the spring fair.",
        ["devops_engineer", "devops_engineer", "pm"],
    ),
    (
        "Set up drift checks on the bus-arrival model. I owe the transit board a go/no-go date"
        " for showing riders the predictions.",
        ["ml_engineer", "pm"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), DATES_OWED)
def test_a_date_someone_wants_or_is_owed_is_asked_of_the_pm(text: str, roles: list[str]) -> None:
    assert explained_owners(text) == roles


@pytest.mark.parametrize(
    "told",
    [
        "We owe the transit board nothing until spring.",
        "The trustees want a date filter on the pantry orders page.",
    ],
)
def test_what_is_owed_or_a_stored_date_stays_the_situation(told: str) -> None:
    assert [c.kind != "ask" for c in read_clauses(told)] == [True]


def test_a_question_of_fairness_is_the_models_evaluation(reading: str) -> None:
    text = (
        "Harbour pilot scheduler: the queue-jump flagger, is it unfair to the small fishing boats?"
    )
    assert explained_owners(text) == ["ml_engineer"]


@pytest.mark.parametrize(
    ("said", "unsaid", "words"),
    [
        (
            "the loan model, is it fair across branches?",
            "we need the booth ready for the trade fair to open",
            "model bias fairness subgroup evaluation",
        ),
        (
            "which wound types get confused, and the per-ward recall",
            "customers are confused by the new checkout page",
            "model error analysis subgroup evaluation",
        ),
    ],
)
def test_fairness_and_errors_per_group_are_read_as_the_models(
    said: str, unsaid: str, words: str
) -> None:
    assert reads_card_words(said, unsaid, words)


def test_the_work_named_after_an_items_label_is_asked() -> None:
    notes = (
        "Brewery ops notes\n"
        "- hop store sensors: hourly load into the lake with a duplicate check on sensor id\n"
        "- keg tracker: Helm chart and a staging environment for the service\n"
        "- fermenter dashboard: done"
    )
    assert [(str(c), c.is_ask) for c in read_clauses(notes)] == [
        ("Brewery ops notes", False),
        (
            "- hop store sensors: hourly load into the lake with a duplicate check on sensor id",
            True,
        ),
        ("- keg tracker: Helm chart and a staging environment for the service", True),
        ("- fermenter dashboard", False),
    ]
    assert explained_owners(notes) == ["data_engineer", "devops_engineer"]
