"""Kinds of ask that routing round 24 found going to the wrong role, told in new sentences.

A scheduled job given retries beside its SLA, or an alert when it misses its SLA, is the
scheduler's orchestration, the Data Engineer's, though "alert" alone is the DevOps Engineer's
monitoring. A request's lines stay apart once its introduction is read off: a ticket's title
line and the items listed under it are each read alone, not run together into one ask. Each kind
has a negative: a sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

OWNED = [
    # an alert on a missed SLA, and retries beside an SLA
    ("page us on an SLA miss for the billing sync", ["data_engineer"]),
    ("give the hourly reconciliation job retries and an SLA alert", ["data_engineer"]),
    # a title line, then one ask a line
    (
        "Title: Gallery app before the spring show\n"
        "- Add an alt text field to the artwork endpoint\n"
        "- Load the visitor counts from the door sensors into the warehouse every night",
        ["backend_architect", "data_engineer"],
    ),
]


# the negatives: alike, and read as before
UNMOVED = [
    # an uptime SLA promised to a client, with alerting on the API, is monitoring
    (
        "We promised the ferry company a 99.9% uptime SLA. Add alerting on the booking API.",
        ["devops_engineer"],
    ),
    # retries on a client call with no SLA are the integration's
    (
        "Add timeouts and retries with backoff on the courier client",
        ["backend_architect"],
    ),
    # two asks on one line are read as before
    (
        "Add an alt text field to the artwork endpoint. Load the visitor counts into the"
        " warehouse every night.",
        ["backend_architect", "data_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED + UNMOVED)
def test_each_kind_goes_to_its_owner_and_a_sentence_alike_stays(
    text: str, roles: list[str], reading: str
) -> None:
    assert explained_owners(text) == roles


# a kind reads its card words; a sentence alike does not
READINGS = [
    # retries beside an SLA are orchestration; an uptime SLA is not
    (
        "set retries and an SLA on the stock import",
        "we owe the client a 99.9% uptime SLA",
        "retries SLAs orchestration",
    ),
]


def test_each_kind_reads_its_card_words_and_a_sentence_alike_does_not() -> None:
    assert [
        said for said, unsaid, words in READINGS if not reads_card_words(said, unsaid, words)
    ] == []
