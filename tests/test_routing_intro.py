"""A request that opens by saying who writes goes to the role its asks need, not to the PM.

"Support lead at ...", "From our finance director:" say manager, lead and director words, the
PM's card words, and an opening sentence counts extra in triage: before ``team.routing.intro``
both requests below went to the PM.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.routing.intro import request_body, without_introduction

INTRODUCED = [
    (
        "Support lead at a small gym chain. Members get logged out of the app every hour; "
        "keep them signed in.",
        "backend_architect",
    ),
    (
        "From our finance director: the cloud bill doubled. Tag every resource so we can see "
        "what each service costs.",
        "devops_engineer",
    ),
]


@pytest.mark.parametrize(("text", "role"), INTRODUCED)
def test_team_route_reads_past_the_writers_introduction(text: str, role: str) -> None:
    result = CliRunner().invoke(app, ["route", text, "--explain"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"first role: {role} ")
    assert 'context: "Support lead' not in result.output
    assert "From our finance director" not in result.output


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I'm the practice manager for a chain of vet clinics.",
        "Finance at a cruise line.",
        "Owner of a theatre costume rental site here.",
        "I own four dance studios.",
        "From: Lounge Experience Lead.",
    ],
)
def test_an_introduction_alone_is_left_out(text: str) -> None:
    assert without_introduction(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "I run the nightly job and it keeps failing.",
        "I'm a bit worried the cache is stale.",
        "The slow part is here.",
        "We need three things: a, b and c.",
    ],
)
def test_a_sentence_that_says_more_is_kept(text: str) -> None:
    assert without_introduction(text) == text


def test_a_request_that_is_only_an_introduction_is_kept_whole() -> None:
    assert request_body("I'm the office manager at a moving company.") == (
        "I'm the office manager at a moving company."
    )
