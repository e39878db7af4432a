"""Planning lists whose items name work as noun phrases, as routing round 33 found them read.

A planning note may be a heading and a list: "- hourly load of turnstile counts into the
warehouse - drop the repeated rows", "* apple bruise classifier for the packing camera",
"2) CI pipeline for the catalogue service". Each item names a piece of work, and that work is asked
for, though no verb orders it. The reader took such items for the situation, so the one item
with a verb, or the heading, decided the whole request. Now an item that names work is an ask,
and what follows " - " inside it is a remark on the same item, kept with it. The heading stays
the situation, and so do items that state facts ("Visitor counts arrive every hour.") or where
things stand ("ticket export: done", "tests green").
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses

NAMED = [
    (
        "Ferry terminal spring plan - data and ops\n"
        "- hourly load of turnstile counts into the terminal warehouse - drop the repeated"
        " sensor rows\n"
        "- Kubernetes deployment for the ticket scanner service - with health checks\n"
        "- Friday progress update for the harbour board",
        ["data_engineer", "devops_engineer", "pm"],
    ),
    (
        "Orchard analytics backlog\n"
        "* apple bruise classifier for the packing line camera - a simple baseline first\n"
        "* relabelling of the 5k bruise photos before training - half the labels are guesses",
        ["ml_engineer", "ml_engineer"],
    ),
    (
        "Library app - next quarter\n"
        "1) versioned REST endpoint for loan renewals - idempotent on retries\n"
        "2) CI pipeline for the catalogue service with a staging environment",
        ["backend_architect", "devops_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), NAMED)
def test_a_list_item_that_names_work_is_asked_of_its_owner(text: str, roles: list[str]) -> None:
    assert explained_owners(text) == roles


def test_the_heading_tells_and_a_remark_stays_with_its_item() -> None:
    request = (
        "Bakery ordering - planning\n"
        "- nightly export of shop orders into the warehouse - skip the test shops\n"
        "- roadmap for the wholesale portal over two quarters"
    )
    assert [(str(c), c.is_ask) for c in read_clauses(request)] == [
        ("Bakery ordering - planning", False),
        ("- nightly export of shop orders into the warehouse - skip the test shops", True),
        ("- roadmap for the wholesale portal over two quarters", True),
    ]


def test_items_that_state_facts_or_status_tell() -> None:
    request = (
        "Museum kiosks, where we are\n"
        "- Visitor counts arrive every hour from each gallery.\n"
        "- kiosk ticket export: done\n"
        "- payment provider tests green\n"
        "- kiosk launch date 14 May"
    )
    assert not any(c.kind == "ask" for c in read_clauses(request))


# negatives: a list of facts beside an order, an addressed item, items joined by a semicolon
UNMOVED = [
    (
        "Museum kiosks\n"
        "- 300 kiosks across 12 galleries.\n"
        "- Visitor counts arrive every hour.\n"
        "Please design the API the kiosks call to report faults.",
        ["backend_architect"],
    ),
    (
        "Planning notes\n- PM: a date for the kiosk launch agreed with the curators",
        ["pm"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), UNMOVED)
def test_facts_beside_an_order_and_addressed_items_stay_as_they_were(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles
