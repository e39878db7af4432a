"""Asks as routing round 35 found them read.

A doubt the writer voices ("I'm not sure a handwriting model trained on so few forms would save
anyone time", "I doubt the nightly load copes with a whole season at once") asks whether it holds,
as a question would. It was read as a problem report beside the others, so a report of the
situation before it ("the pile keeps growing") stayed an ask and could lead triage on its words.
Now the doubt asks outright, and the reports before it are its situation.
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
