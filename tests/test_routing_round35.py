"""Asks as routing round 35 found them read.

A doubt the writer voices ("I'm not sure a handwriting model trained on so few forms would save
anyone time", "I doubt the nightly load copes with a whole season at once") asks whether it holds,
as a question would. It was read as a problem report beside the others, so a report of the
situation before it ("the pile keeps growing") stayed an ask and could lead triage on its words.
Now the doubt asks outright, and the reports before it are its situation.

A need may name two things in one sentence, the second after ", plus" or ", and a" ("We need a
ballot API that ..., plus written acceptance criteria ...", "... needs a sync API that ..., and a
recorded decision on ..."). The two were one ask, owned by whichever card's words weighed more;
now the second is one more ask. Only a clause that says what is needed is cut so: "Design the
endpoint + the table, and a migration that ..." goes on with what is designed (cut, the table
alone read as the Data Engineer's), and a list of things told ("We have a site, and a rota")
stays the situation.

A second party's want after ", and", ", but" or ", while" ("Please add the retry, and the ops
team would like a runbook", "Our volunteers want the sign-up API to ..., and the trustees want a
date") was read as one ask with the clause before it, owned by whichever card's words weighed
more. Now it is cut off: after an ask it is one more ask, and beside a first party's want it is
read as that one is (asked if either is). A want that says more of the same ("and wants it to
...") or what someone means to do ("and the owner wants to know whether ...") is not cut.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners
from typer.testing import CliRunner

from team.cli import app
from team.routing.clauses import read_clauses


def first_role(text: str) -> str:
    """The first role that `team route TEXT --explain` prints."""
    result = CliRunner().invoke(app, ["route", text, "--explain"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[0].split()[2]


DOUBTS = [
    (
        "The clinic has scanned 400 handwritten intake forms and the pile keeps growing. I'm not"
        " sure a handwriting model trained on so few forms would save the nurses any time.",
        "ml_engineer",
    ),
    (
        "Rangers upload a whole season of trail-counter readings in one go every autumn. I doubt"
        " the nightly load into the warehouse copes with that without overwriting newer rows.",
        "data_engineer",
    ),
]


@pytest.mark.parametrize(("text", "owner"), DOUBTS)
def test_a_doubt_the_writer_voices_is_asked(text: str, owner: str) -> None:
    told, doubt = read_clauses(text)
    assert (told.is_ask, doubt.is_ask) == (False, True)
    assert explained_owners(text) == [owner]
    assert first_role(text) == owner


@pytest.mark.parametrize(
    "told",
    [
        "The trustees were not convinced by the demo last week.",
        "Nobody is sure when the old scanner was last serviced.",
    ],
)
def test_someone_elses_doubt_asks_nothing(told: str) -> None:
    assert [c.kind == "ask" for c in read_clauses(told)] == [False]


NEEDS_OF_TWO = [
    (
        "The allotment society needs a plot-booking API that stops two members booking the same"
        " plot, plus a rollout plan with dates the committee can sign off.",
        ["backend_architect", "pm"],
    ),
    (
        "The ferry company requires nightly backups of the ticketing database, restored weekly to"
        " prove they work, and a decision on whether to keep self-hosting Postgres or move to a"
        " managed service.",
        ["devops_engineer", "system_architect"],
    ),
]


@pytest.mark.parametrize(("text", "owners"), NEEDS_OF_TWO)
def test_a_second_thing_needed_after_plus_or_and_a_is_asked(
    text: str, owners: list[str], reading: str
) -> None:
    assert [c.is_ask for c in read_clauses(text)] == [True, True]
    assert explained_owners(text) == owners


def test_what_is_designed_goes_on_after_and_a(reading: str) -> None:
    text = (
        "Design the loan endpoint + the postgres table for renewals, and a migration that adds"
        " the due date without locking the table."
    )
    assert [c.is_ask for c in read_clauses(text)] == [True]
    assert explained_owners(text) == ["backend_architect"]


def test_things_told_in_a_list_stay_the_situation() -> None:
    text = (
        "We have a berth booking site, and a volunteer rota kept in a spreadsheet. Please"
        " containerise the booking site."
    )
    assert [c.is_ask for c in read_clauses(text)] == [False, True]


THEIRS_TOO = [
    (
        "Please add rate limiting to the tee-time booking API, and the club secretary would like"
        " a date for switching on online payments.",
        ["backend_architect", "pm"],
    ),
    (
        "Our volunteers want the shift sign-up API to refuse double bookings, and the trustees"
        " want a date for the new app.",
        ["backend_architect", "pm"],
    ),
    (
        "Migrate the nightly tide readings into the warehouse, while the harbour master is asking"
        " for a weekly status update.",
        ["data_engineer", "pm"],
    ),
]


@pytest.mark.parametrize(("text", "owners"), THEIRS_TOO)
def test_a_second_partys_want_is_one_more_ask(text: str, owners: list[str], reading: str) -> None:
    assert [c.is_ask for c in read_clauses(text)] == [True, True]
    assert explained_owners(text) == owners


@pytest.mark.parametrize(
    "text",
    [
        "The clinic wants an appointment API that rejects double bookings, and wants it to text a"
        " reminder the day before.",
        "Load the ferry sales into the warehouse every night, and the finance team wants it to"
        " keep cancelled tickets.",
        "The stables keep their bookings in a paper diary, and the owner wants to know whether a"
        " booking site is worth it.",
        "Sales, marketing and finance want a weekly report of sign-ups by region.",
    ],
)
def test_one_want_that_says_more_of_itself_is_not_cut(text: str) -> None:
    assert len(read_clauses(text)) == 1


def test_two_parties_wanting_what_is_only_the_scene_stay_the_scene() -> None:
    text = (
        "Riders want live bus times on the app, but some want printed timetables kept. Should we"
        " build our own feed or buy one?"
    )
    assert [c.is_ask for c in read_clauses(text)] == [False, False, True]
