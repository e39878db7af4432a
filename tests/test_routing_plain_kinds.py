"""Kinds of work said without their card words still go to the role whose work they are.

A likelihood given to each case is a prediction, who would suit whom a recommendation (ML);
a message sent the moment something stops is an alert (DevOps); records landing in another
system and card payments through a payment company are an integration (Backend); what a site
can really take is its capacity (Performance); how the whole is put together is its design
(System Architect); a date others can count on is a delivery estimate (PM). Before these
entries of ``team.routing.lexicon`` (and before a message's "whenever ..." was read as the
ask rather than its situation) each ask below went to whichever card shared a generic word
(owner, members, site, parents) with it.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.lexicon import card_words

OWNED = [
    (
        "Give every new member a rough chance of renewing next year so the desk can call "
        "the unsure ones.",
        "ml_engineer",
    ),
    ("Find tenants who would be a good match for each empty flat.", "ml_engineer"),
    ("Email the owner whenever the booking site goes down.", "devops_engineer"),
    ("Text the warden as soon as the freezer monitor stops sending readings.", "devops_engineer"),
    (
        "Bookings made on the website should flow straight into our accounts software.",
        "backend_architect",
    ),
    ("Let members pay by card when they renew online.", "backend_architect"),
    (
        "Before the open day, find out what the registration site can really take.",
        "performance_engineer",
    ),
    (
        "We should rethink how the whole platform is put together before we add three more "
        "clinics.",
        "system_architect",
    ),
    ("The parents need a firm date for when the new portal opens.", "pm"),
]


@pytest.mark.parametrize(("text", "role"), OWNED)
def test_team_route_explain_gives_the_plainly_said_ask_to_its_role(
    text: str, role: str, reading: str
) -> None:
    assert explained_owners(text) == [role]


def test_a_chance_or_a_suggestion_in_passing_is_no_model() -> None:
    """A chance that something happens once, or a suggestion of which option is cheaper, is
    the writer's, not a model's likelihood or recommendation."""
    assert card_words("there is a chance that someone sends it twice") == []
    assert card_words("suggest which option would be cheaper") == []
    assert card_words("give each visit a rough chance of being cancelled") == [
        "predictions probability model"
    ]


def test_a_message_sent_when_something_stops_is_an_alert_but_stopping_alone_is_not() -> None:
    assert card_words("let the caretaker know the moment the boiler stops") == [
        "alerting monitoring on-call"
    ]
    assert card_words("the import stops halfway through") == []
