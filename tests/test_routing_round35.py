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

A label that says the work wanted follows ("Needed:", "Wanted:", "Requested:", "What we'd
like:"), after a sentence that gives the goal, lists its items up to semicolons: "Wanted: a model
that guesses how many loaves to bake; an endpoint the till calls ...". The items were read as
bare noun phrases, told rather than asked, so the work stayed with the role the goal sentence
pulled triage to (an API with paging after "the booking page fell over" stayed with the
Performance Engineer). Now each item is an ask of its own, owned by its own words, and what the
goal sentence says must hold is the situation they serve. An item keeps the details it names ("a
read-only API ... with paging and a key per partner gym" is one ask), and a label of what is given
("Constraint: two volunteers, no budget") asks for nothing.
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


WANTED = [
    (
        "The bakery throws away a tray of rye most evenings and runs out of sourdough by noon."
        " Wanted: a model that guesses how many loaves of each kind to bake every morning; an"
        " endpoint the till app calls to fetch the day's baking list, with a clear error when the"
        " list is not ready.",
        ["ml_engineer", "backend_architect"],
    ),
    (
        "Our climbing gym's booking page fell over twice during the winter sale. Needed: load tests"
        " that find where the booking page breaks; a read-only API for the class timetable with"
        " paging and a key per partner gym.",
        ["performance_engineer", "backend_architect"],
    ),
    (
        "Members must be able to renew online before the season starts. Requested: the renewal"
        " endpoint with a check that the member exists; a plan with the dates the committee signs"
        " off.",
        ["backend_architect", "pm"],
    ),
]


@pytest.mark.parametrize(("text", "owners"), WANTED)
def test_each_item_a_label_lists_as_wanted_is_an_ask_of_its_own(
    text: str, owners: list[str], reading: str
) -> None:
    clauses = read_clauses(text)
    asked = [str(c) for c in clauses if c.is_ask]
    assert not clauses[0].is_ask  # the goal sentence
    assert len(asked) == 2 and all(a in text.partition(": ")[2] for a in asked)
    assert explained_owners(text) == owners
    assert first_role(text) == owners[0]


def test_a_wanted_item_keeps_the_details_it_names() -> None:
    text = WANTED[1][0]
    assert [str(c) for c in read_clauses(text) if c.is_ask][1] == (
        "a read-only API for the class timetable with paging and a key per partner gym"
    )


def test_what_is_given_before_the_wanted_list_asks_nothing(reading: str) -> None:
    text = (
        "Volunteers write down river levels on paper at six gauges. Constraint: two volunteers, no"
        " budget for hosting. What we'd like: the sheets loaded every night into one table with"
        " repeats removed; and a text to the duty volunteer's phone when the loading server goes"
        " down."
    )
    assert [str(c) for c in read_clauses(text) if c.is_ask] == [
        "the sheets loaded every night into one table with repeats removed",
        "a text to the duty volunteer's phone when the loading server goes down",
    ]
    assert explained_owners(text) == ["data_engineer", "devops_engineer"]


def test_a_wanted_list_of_imperatives_is_cut_at_each_verb() -> None:
    text = (
        "Our checkout got slow during the sale. Actions: load-test the checkout flow, add an alert"
        " on the p95 latency, and write a runbook for the on-call engineer."
    )
    assert [str(c) for c in read_clauses(text) if c.is_ask] == [
        "load-test the checkout flow",
        "add an alert on the p95 latency",
        "write a runbook for the on-call engineer",
    ]
