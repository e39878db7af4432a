"""Kinds of ask that routing round 27 found going to the wrong role, told in new sentences.

Engineers' shorthand puts what is wrong before an arrow and what to do after it ("memory
climbs steadily between restarts -> someone profile the heap", "the call has no timeout ->
fix both"). The reader took such a line for a problem report, and in a request that also asks
outright a problem report is only the situation, so the ask after the arrow was lost (or, read
as a problem alone, not counted as asked). What follows the arrow now asks when it asks by
itself. An arrow that shows a flow ("kafka -> lake") or a change ("p95 went 300ms -> 2s") asks
nothing, and a line of that kind stays the situation.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.clauses import read_clauses

OWNED = [
    (
        "payments API: workers OOMKilled nightly on k8s. 1) add memory requests and limits to the"
        " chart. 2) RSS keeps growing between deploys -> someone profile the heap.",
        ["devops_engineer", "performance_engineer"],
    ),
    (
        "kite shop: please scope the spring campaign to what ships by 1 April. the signup page"
        " fell over at 2k concurrent visitors last spring -> load test the signup flow before the"
        " campaign.",
        ["pm", "performance_engineer"],
    ),
    (
        "glassworks: move the CI runners onto our k8s cluster with Terraform. the kiln DAG"
        " reloads every year of readings each night -> make it load only the new day's"
        " partition.",
        ["devops_engineer", "data_engineer"],
    ),
    (
        "Please write the release notes for 4.2. the pricing call has no timeout and no retry"
        " limit -> fix both.",
        ["pm", "backend_architect"],
    ),
    # negatives: an arrow of a change or a flow beside an ask adds no ask
    (
        "Please profile the search endpoint. p95 went 300ms -> 2s after Tuesday's release.",
        ["performance_engineer"],
    ),
    (
        "Build the nightly load of the turnstile taps into the warehouse. taps -> lake, about 40k"
        " a day.",
        ["data_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED)
def test_what_follows_an_arrow_asks_for_its_owners_work(text: str, roles: list[str]) -> None:
    assert explained_owners(text) == roles


ASKED = [
    "the shipments table has no index on tracking number -> add one with an online migration",
    "the quote call never times out -> give it a timeout and a retry budget",
    "RSS keeps growing between deploys -> someone profile the heap",
]
# an arrow that shows where data flows or how a number moved asks nothing after it
TOLD = [
    "turnstile taps -> lake, about 40k a day",
    "search p95 went 300ms -> 2s after the release",
]


@pytest.mark.parametrize("line", ASKED)
def test_a_line_that_asks_after_its_arrow_is_an_ask(line: str) -> None:
    request = f"Please add a status page for the ticket desk. {line}."
    assert [c.is_ask for c in read_clauses(request)] == [True, True]


@pytest.mark.parametrize("line", TOLD)
def test_an_arrow_of_a_flow_or_a_change_stays_the_situation(line: str) -> None:
    request = f"Please add a status page for the ticket desk. {line}."
    assert [c.is_ask for c in read_clauses(request)] == [True, False]
