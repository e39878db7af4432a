"""Kinds of ask that routing round 30 found going unread, told in new sentences.

A ticket may say what finished looks like instead of giving orders: "Definition of done: [ ] the
export lands in the warehouse; [ ] tutors sign off the rubric", "Acceptance criteria for the
kiosk: ...", or a criterion in the form "Given ..., when ..., then ...". Each such line states a
piece of the finished work, and that piece is asked for, though no verb orders it. The reader
took these lines for the situation (or, merged with the label, for the PM's acceptance
criteria), so the work went to whoever the rest of the request named. Now what follows such a
label, and what follows "then" in a criterion, ask; what is given, and when, stays the
situation. A request to write the acceptance criteria is still the PM's, a "Given ..." with no
"then" still tells, and a word of thanks after the list asks nothing.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses

OWNED = [
    (
        "Definition of done, tide gauge upgrade: [ ] every gauge's hourly readings land in the"
        " warehouse once, with no duplicate rows after a rerun; [ ] the harbour master approves"
        " the switch-over date with the pilots.",
        ["data_engineer", "pm"],
    ),
    (
        "Acceptance criteria for the allotment booking site: [ ] the plots API rejects a booking"
        " for a plot that is already taken with a clear error code; [ ] the site runs on"
        " Kubernetes with liveness probes and memory limits.",
        ["backend_architect", "devops_engineer"],
    ),
    (
        "Done when: the ferry delay predictor is evaluated per route and per season against"
        " last year's timetable guesses; the harbour app must get the forecasts from a versioned"
        " endpoint.",
        ["ml_engineer", "backend_architect"],
    ),
    (
        "Please put the locker service on Kubernetes with readiness probes. Given a parcel locker"
        " reports a door fault, when the courier scans the parcel, then the service refuses the"
        " drop-off and returns a retryable error code.",
        ["devops_engineer", "backend_architect"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED)
def test_what_a_done_label_or_a_criterion_states_is_asked_of_its_owner(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles


def test_a_criterion_asks_for_what_follows_then_not_for_what_is_given() -> None:
    request = (
        "Move the ticket shop's CI to GitHub Actions. Given 5,000 fans buying tickets in the first"
        " minute, when the sale opens, then checkout stays under two seconds at p99."
    )
    assert [(str(c), c.is_ask) for c in read_clauses(request)] == [
        ("Move the ticket shop's CI to GitHub Actions", True),
        ("Given 5,000 fans buying tickets in the first minute, when the sale opens", False),
        ("checkout stays under two seconds at p99", True),
    ]


def test_the_done_label_is_not_an_ask_but_says_what_the_items_are_for() -> None:
    request = "Acceptance criteria, kiosk rollout: 1. The kiosks pull updates from CI."
    assert [(str(c), c.is_ask) for c in read_clauses(request)] == [
        ("kiosk rollout", False),
        ("The kiosks pull updates from CI", True),
    ]


# negatives: a request for the criteria themselves, a "Given" that only tells, thanks
UNMOVED = [
    (
        "Definition of done: [ ] the ferry timetable feed lands in the warehouse every hour"
        " without duplicates. Thanks, Ines",
        ["data_engineer"],
    ),
    (
        "Write the user stories and acceptance criteria for the allotment waiting list.",
        ["pm"],
    ),
    (
        "acceptance criteria for the refund flow before the devs start, pls",
        ["pm"],
    ),
    (
        "Given the harbour closes in January, the tide gauge team is short of people. Please"
        " profile the readings endpoint under load.",
        ["performance_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), UNMOVED)
def test_asking_for_criteria_or_a_given_that_tells_stays_as_it_was(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles
