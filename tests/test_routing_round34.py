"""Asks as routing round 34 found them read.

A check on what an endpoint takes ("the gauge endpoint accepts missing days and needs input
validation") is the Backend Architect's, yet its nearest labelled asks by meaning are checks on a
table's values ("add a check so a bad day doesn't wipe the table"), whose near-unanimous vote
overruled card words that name the endpoint. Now no vote overrules clear words on such a check;
where the words are not clear, the vote still reads it.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

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
