"""Forwarded mail, as routing round 31 found it read, told in new sentences.

A request may forward someone else's message: a short note on top ("See below from the box
office, thoughts?", "Can we help the ferry desk with this? Note below.") over the message quoted
in lines that start with "> ". The reader kept the quote markers in what it read and took the
note for an ask of its own, owned by whoever its few words suggested (a job title is the PM's).
Now a quoted line is read as the text it quotes, and a note that only points at the message and
hands it on is context. A note that asks work of its own still asks, and a request that quotes
nothing reads as before.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses

FORWARDED = [
    (
        "Forwarded from our dairy herd vet; can we help?\n"
        "> The milk-yield sheets from the parlour arrive as CSV every evening.\n"
        "> Please load them into the warehouse each night and reject rows with no cow tag.",
        ["data_engineer"],
    ),
    (
        "See below from the orchestra's box office, thoughts?\n"
        "> Seat maps freeze for six seconds when a concert goes on sale.\n"
        "> Please profile the seat-map service under a replay of the last big on-sale.",
        ["performance_engineer"],
    ),
    (
        "Can we help the ferry desk with this? Note below.\n"
        "> Passengers keep asking which crossings will be cancelled for wind.\n"
        "> Could someone train a model that predicts cancellations from the marine forecast, and"
        " tell us how well it would have done last winter?",
        ["ml_engineer", "ml_engineer"],
    ),
    (
        "Passing this on from the quarry foreman, can we take it?\n"
        "> > The blast-scheduling app is one big program; weighing, permits and haulage all share"
        " one database.\n"
        "> > Please propose how to split it into services, with a decision record for each"
        " boundary.",
        ["system_architect"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), FORWARDED)
def test_the_forwarded_message_is_asked_not_the_note_that_hands_it_on(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles


def test_a_quoted_line_is_read_as_the_text_it_quotes() -> None:
    request = (
        "FYI, from our archive volunteers:\n"
        ">> The catalogue site runs on one hand-built server.\n"
        ">> We'd like it moved to containers with deploys from CI and a rollback button."
    )
    assert [(c, c.kind) for c in read_clauses(request)] == [
        ("FYI, from our archive volunteers", "context"),
        ("The catalogue site runs on one hand-built server", "context"),
        ("We'd like it moved to containers with deploys from CI and a rollback button", "ask"),
    ]


UNMOVED = [
    (  # the note asks work of its own
        "See below. Also please write a release plan the school governors can sign.\n"
        "> The timetable app has slipped twice.",
        ["pm"],
    ),
    (  # it points at the numbers, then asks outside the quote
        "Our repair portal is slow at lunchtime, see below for the numbers.\n"
        "> p95 is 4 seconds.\n"
        "Please profile the search endpoint.",
        ["performance_engineer"],
    ),
    (  # nothing quoted
        "Please profile the checkout API under load; the last run showed p99 at 3 seconds.",
        ["performance_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), UNMOVED)
def test_a_note_that_asks_or_a_request_that_quotes_nothing_stays_as_it_was(
    text: str, roles: list[str]
) -> None:
    assert explained_owners(text) == roles


def test_a_note_with_work_of_its_own_stays_an_ask() -> None:
    request = (
        "See below. Also please write a release plan the school governors can sign.\n"
        "> The timetable app has slipped twice."
    )
    asks = [c for c in read_clauses(request) if c.is_ask]
    assert asks == ["Also please write a release plan the school governors can sign"]
