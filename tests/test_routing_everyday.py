"""Asks said in another role's everyday words go to the role whose work they name.

Signing in is said "sign-in" or "log into the app" (the PM's sign-off and the DevOps logs share
the stems); who may see or change what is said "only allowed to see", "who can't see"; the cloud
bill is said "break the bill down", "switch them off at night". Before these entries of
``team.routing.lexicon`` each ask below went to the PM, DevOps, the System Architect or the ML
Engineer, whichever card shared a generic word (manager, team, model, cost) with it.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.lexicon import card_words

OWNED = [
    # signing in: a login, the Backend Architect's
    (
        "Customers who log into the app with their Google account get kicked out after a "
        "few minutes; find out why.",
        "backend_architect",
    ),
    ("Plan how sign-in should work for the tenants' portal.", "backend_architect"),
    ("The single sign-on for the partner schools still needs designing.", "backend_architect"),
    # who may see or change what: access rules
    ("Only shift leads should be allowed to see the payroll page.", "backend_architect"),
    ("Make it so cleaners only see the rooms they're assigned to.", "backend_architect"),
    ("Add a guest role who can't see the prices.", "backend_architect"),
    ("Work out the permission model for the team workspaces.", "backend_architect"),
    # what the cloud costs: DevOps's infrastructure cost
    ("Break the AWS bill down by team so managers see their share.", "devops_engineer"),
    ("Tag everything we pay for so each app's cost shows up.", "devops_engineer"),
    ("Switch the demo servers off at night so we stop paying for nothing.", "devops_engineer"),
]


@pytest.mark.parametrize(("text", "role"), OWNED)
def test_team_route_explain_gives_the_ask_to_the_role_whose_work_it_names(
    text: str, role: str, reading: str
) -> None:
    assert explained_owners(text) == [role]


def test_other_logs_and_sign_offs_are_not_a_login() -> None:
    """Logging runs into MLflow, a sign-in sheet and a manager's sign-off say no login."""
    for said in (
        "log everything into MLflow",
        "print the sign-in sheet for the open day",
        "get the director to sign off",
        "days since last login as a feature",
    ):
        assert not any("login" in words for words in card_words(said)), said


def test_a_bill_broken_down_is_infrastructure_cost_but_seeing_how_is_not_access() -> None:
    """Who may see or do what is an access rule; "can't see why" and "only then" are not."""
    assert card_words("break our cloud bill down by service") == ["infrastructure cost"]
    assert card_words("I can't see why the job fails") == []
    assert card_words("an editor who can't see the budget") == ["permissions access control"]
    assert card_words("open only what their role needs") == ["permissions access control"]
