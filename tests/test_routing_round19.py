"""Kinds of ask that routing round 19 found going to the wrong role, told in new sentences.

How often generated text invents what its source does not say is a model's
error to measure (it went to whoever shared "customer" or "check"). An ask its holder keeps only
because its reading is too weak to send straight goes on with the work when the work goes to its
owner anyway ("move it into Vault" stayed with the Data Engineer). Each kind has a negative: a
sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.lexicon import card_words

OWNED = [
    (
        "Measure how often the chatbot's answers make up refund rules that are not in the policy.",
        "ml_engineer",
    ),
]


@pytest.mark.parametrize(("text", "role"), OWNED)
def test_team_route_explain_gives_the_ask_to_its_role(text: str, role: str, reading: str) -> None:
    assert explained_owners(text) == [role]


def test_people_who_invent_names_are_no_model_error() -> None:
    assert "model evaluation hallucination errors" not in card_words(
        "The team invented new names for the queues."
    )
    assert "model evaluation hallucination errors" in card_words(
        "the summaries invent facts the call never mentioned"
    )


def _ends_with(text: str) -> dict[str, str]:
    """Which role each ask of ``text`` ends with, in the plan ``team route --explain`` prints."""
    from team.routing import Router, plan_request
    from team.topology import Team

    team = Team.load()
    router = Router(team.cards)
    first = router.route_request(text).agent
    return {
        move.ask.text: move.target for _, move in plan_request(router, text, first, team.targets)
    }


def test_an_ask_read_weakly_goes_on_with_the_work_to_its_owner(reading: str) -> None:
    """The Data Engineer escalates "rotate its password" to DevOps; "move it into Vault", read
    on "Vault" alone, used to stay with the Data Engineer though DevOps takes the work next."""
    text = (
        "Customer emails are showing up unmasked in the analytics tables. Please mask the email "
        "columns in the reporting layer. Also, the loader's service account has owner rights; "
        "rotate its password and move it into Vault."
    )
    ends = _ends_with(text)
    assert ends["move it into Vault"] == "devops_engineer"
    assert ends["Please mask the email columns in the reporting layer"] == "data_engineer"


def test_an_ask_the_holder_owns_stays_when_the_work_moves_on(reading: str) -> None:
    text = (
        "Train a churn model on last year's cancellations and expose it behind an API the "
        "billing app can call."
    )
    assert _ends_with(text) == {
        "Train a churn model on last year's cancellations": "ml_engineer",
        "expose it behind an API the billing app can call": "backend_architect",
    }
