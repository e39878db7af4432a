"""Kinds of ask that routing round 25 found going to the wrong role, told in new sentences.

An item opened by a verb the reader did not know ("Choose between ...", "Partition the table",
"Feed the counts into the warehouse", "Redraw the boundaries", "Recreate the cluster") asks like
any imperative; a word joined on by a hyphen ("Smart-lock rentals") is no misspelt verb. The
heading of a meeting's notes ("Minutes, box office") names the notes; "minutes" there is no
delay. A launch, release or ship date someone wants is the PM's plan. What an endpoint takes,
checked ("needs input validation", "accepts negative days"), is the Backend Architect's input
validation, not a model's validation set. A report "refreshed every hour" is the Data
Engineer's freshness. A migration made step by step, with no big-bang switch, is the System
Architect's migration planning, not a pipeline's incremental loads. Each kind has a negative: a
sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

OWNED = [
    # items opened by verbs the reader did not know
    (
        "Weekly sync, ferry ticket office.\n- Redraw the service boundaries so an outage in"
        " payments cannot stop ticket sales.\n- Partition the crossings table by sailing month.",
        ["system_architect", "data_engineer"],
    ),
    (
        "Notes from the cider press call:\n- Choose between staying on the nightly batch or moving"
        " the press readings to streaming, with an ADR.\n- Feed the bottling line counts into the"
        " warehouse every morning.",
        ["system_architect", "data_engineer"],
    ),
    (
        "Stand-up, soap works.\n- Recreate the staging cluster in Terraform.\n- Consume the order"
        " events into the warehouse.",
        ["devops_engineer", "data_engineer"],
    ),
    # a word joined on by a hyphen opens a name, not a misspelt verb ("start", "sort")
    (
        "Smart-lock rentals for the holiday flats. Add an endpoint the cleaners' app can call to"
        " open a door once.",
        ["backend_architect"],
    ),
    (
        "Short-stay bookings for the marina. Deduplicate the berth sensor readings before the"
        " nightly load.",
        ["data_engineer"],
    ),
    # a meeting's notes, headed
    (
        "Minutes, puppet theatre box office. The seat map endpoint needs pagination.",
        ["backend_architect"],
    ),
    # a launch date wanted, as one item of the notes
    (
        "Minutes, bike courier co-op.\n- The route planner page takes 9 seconds to load; profile"
        " it.\n- The partner shops want a launch date for same-day returns.",
        ["performance_engineer", "pm"],
    ),
    # what an endpoint takes, checked
    (
        "The tide-table endpoint accepts negative days and needs input validation.",
        ["backend_architect"],
    ),
    # a report refreshed on a schedule
    ("We need the allotment waiting-list report refreshed every hour.", ["data_engineer"]),
    # a migration in steps
    (
        "Plan a step-by-step migration off the old ticketing monolith that keeps sales running.",
        ["system_architect"],
    ),
]


# the negatives: alike, and read as before
UNMOVED = [
    # "cache" opens no ask: a cache's hit rate is a fact about it
    (
        "Cache hit rate on the product pages fell to 40% after the deploy; profile it.",
        ["performance_engineer"],
    ),
    # minutes that a page takes are still slowness
    ("The checkout takes minutes to load at lunchtime; profile it.", ["performance_engineer"]),
    # rows cut by a delivery date name a column
    ("Partition the bouquet orders table by delivery date.", ["data_engineer"]),
    # a model's validation set is the ML Engineer's
    (
        "Rebuild the validation set by month so the forecast is judged on later weeks.",
        ["ml_engineer"],
    ),
    # incremental loads are a pipeline's
    ("Switch the till import to incremental loads by store.", ["data_engineer"]),
]


@pytest.mark.parametrize(("text", "roles"), OWNED + UNMOVED)
def test_each_kind_goes_to_its_owner_and_a_sentence_alike_stays(
    text: str, roles: list[str], reading: str
) -> None:
    assert explained_owners(text) == roles


# a kind reads its card words; a sentence alike does not
READINGS = [
    (
        "the sign-up endpoint accepts empty emails",
        "check the validation split for leakage",
        "input validation error codes",
    ),
    (
        "the stock sheet should be refreshed daily",
        "stop the mart from refreshing when a check fails",
        "freshness nightly job",
    ),
    (
        "the growers want a release date for the app",
        "sort the parcels by delivery date",
        "timeline deadline",
    ),
    (
        "no big-bang switch, please",
        "make the loads incremental by day",
        "incremental migration strangler fig",
    ),
]


def test_each_kind_reads_its_card_words_and_a_sentence_alike_does_not() -> None:
    assert [
        said for said, unsaid, words in READINGS if not reads_card_words(said, unsaid, words)
    ] == []
