"""Kinds of ask that routing round 23 found going to the wrong role, told in new sentences.

Who may only see or change what, said as a need before the ask ("each member should only see
their own notes"), is an access rule to build, the Backend Architect's, not the scene; a list
fetched "a page at a time" or "page by page" is pagination, also the Backend Architect's; an
"eval" (or "evals") is a model's evaluation, the ML Engineer's, and "teh" is "the"; what opens a
numbered list after a colon ("ops cleanup needed: 1) ...") labels the items, it asks for nothing
itself; logs gathered "in one place" are records kept, not anyone logging in, and waking
someone up when a thing goes quiet is on-call alerting, the DevOps Engineer's. Each kind has a
negative: a sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

from team.routing.clauses import read_clauses

OWNED = [
    # an access rule said as a need, then asked to be sorted
    (
        "The allotment society's plot map shows every member's notes to everyone. Each member"
        " should only see their own plot notes. Can someone sort that out?",
        ["backend_architect", "backend_architect"],
    ),
    # a list fetched a page at a time
    (
        "The quilting guild's member list loads all 3,000 quilters in one go and the phones give"
        " up. Could the list come back a page at a time?",
        ["backend_architect"],
    ),
    # evals to redo
    (
        "the evals for the cheese grader are from March, can u redo them",
        ["ml_engineer"],
    ),
    (
        "Our parcel-size guesser got new photos this week. Can someone rerun teh eval and send"
        " me the numbers?",
        ["ml_engineer"],
    ),
    # a label before a numbered list
    (
        "ferry timetable api, ops cleanup needed: 1) rotate the TLS certificates before they"
        " expire; 2) move the nightly backups to a second region",
        ["devops_engineer", "devops_engineer"],
    ),
    # logs kept in one place, and someone woken when a machine goes quiet
    (
        "The ice rink's chiller units write logs nobody ever reads. Please gather those logs in"
        " one place and wake somebody up when a chiller stops reporting.",
        ["devops_engineer"],
    ),
]


# the negatives: alike, and read as before
UNMOVED = [
    # what others need to see, with no rule on who may, is the scene
    (
        "The dog walkers need to see their upcoming walks on their phones. Can someone design the"
        " endpoint the app calls for them?",
        ["backend_architect"],
    ),
    # stalling for seconds at a time is still slowness
    (
        "The label printer worker freezes for seconds at a time during the evening rush; profile"
        " where it blocks.",
        ["performance_engineer"],
    ),
    # "teh" before a data word leaves the data work where it was
    (
        "fix teh nightly load of till receipts, it dropped Sunday's rows",
        ["data_engineer"],
    ),
    # an ask before a numbered list stays an ask
    (
        "Harden the kiosk deploy: 1) pin the base images; 2) add a canary stage before the full"
        " rollout",
        ["devops_engineer", "devops_engineer", "devops_engineer"],
    ),
    # people who log in are still signing in
    (
        "Members who log in to the climbing gym app with their Google account get kicked out"
        " after a minute; keep them signed in.",
        ["backend_architect", "backend_architect"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED + UNMOVED)
def test_each_kind_goes_to_its_owner_and_a_sentence_alike_stays(
    text: str, roles: list[str], reading: str
) -> None:
    assert explained_owners(text) == roles


def _asks(text: str) -> list[str]:
    return [str(c) for c in read_clauses(text) if c.is_ask]


def test_an_access_rule_said_before_the_ask_is_asked_and_what_others_need_is_not() -> None:
    ruled = (
        "The rota shows every cleaner's hours to all. Cleaners should never see each other's"
        " pay. Please fix it."
    )
    needed = "The cleaners need to see their hours on the rota. Please build the rota page."
    assert _asks(ruled) == ["Cleaners should never see each other's pay", "Please fix it"]
    assert _asks(needed) == ["Please build the rota page"]


def test_a_label_before_a_numbered_list_asks_nothing_but_an_imperative_does() -> None:
    items = "1) load test the calendar; 2) profile the search"
    assert _asks(f"kiln booking app, perf pass needed: {items}") == [
        "1) load test the calendar",
        "2) profile the search",
    ]
    assert _asks(f"Review the kiln booking app: {items}")[0] == "Review the kiln booking app"


# a kind reads its card words; a sentence alike does not
READINGS = [
    # people logging in sign in; logs put in one place are records
    (
        "staff who log in to the till each morning",
        "gather those logs in one place",
        "login authentication",
    ),
    # someone woken up is paged; an alarm clock set is not
    (
        "wake someone up when the freezer goes quiet",
        "the app should wake up faster in the morning",
        "on-call paging alerting",
    ),
    # a page at a time is paging; seconds at a time is not
    (
        "return the orders a page at a time",
        "it freezes for seconds at a time",
        "pagination paginated",
    ),
]


def test_each_kind_reads_its_card_words_and_a_sentence_alike_does_not() -> None:
    assert [
        said for said, unsaid, words in READINGS if not reads_card_words(said, unsaid, words)
    ] == []
