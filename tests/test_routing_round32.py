"""Predictions said as which members of a population will act, as routing round 32 found them read.

"Which substations are likely to fail an inspection next quarter?" asks, of each substation,
whether it will fail: a prediction, the ML Engineer's. The router read only its time words
("next quarter" is the PM card's) and sent it to the PM; other such questions went wherever a
noun of their setting pointed. Over all spent asks, an ask asking which of a population are
likely to, are heading for, are at risk of, or will do something is the ML Engineer's 23/23.
What "we" will do, what "this" will cost, and which features will ship or which endpoints a
change will need are plans and designs, and stay where they were.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.lexicon import card_words

PREDICTIONS = [
    "Which substations are likely to fail an inspection next quarter? The asset team wants a list.",
    "Tell me which apprentices are heading for a failed practical exam this spring.",
    "Which library members are most likely to let their cards lapse next year?",
    "Which tenants will fall behind on rent next quarter? Finance wants names.",
    "Which vineyards will hit frost damage this season, and which will not?",
]


@pytest.mark.parametrize("text", PREDICTIONS)
def test_which_members_will_act_is_a_prediction_whatever_the_time_words(text: str) -> None:
    assert explained_owners(text) == ["ml_engineer"]


PLANS = [
    ("Which features will ship in the next quarter's release?", ["pm"]),
    ("Tell the board which milestones we will hit next quarter.", ["pm"]),
    ("What this migration will cost next quarter, roughly?", ["pm"]),
    ("Which endpoints will need versioning when the mobile app goes to v3?", ["backend_architect"]),
    ("Which teams will be affected when we move the ledger service?", ["system_architect"]),
]


@pytest.mark.parametrize(("text", "roles"), PLANS)
def test_what_we_will_do_or_ship_or_pay_stays_a_plan(text: str, roles: list[str]) -> None:
    assert explained_owners(text) == roles


@pytest.mark.parametrize(
    "text",
    [
        "which endpoints the kiosk will call first",
        "which week the fix will land",
        "what these upgrades will change for the pickers",
    ],
)
def test_a_plan_said_with_will_is_not_read_as_a_prediction(text: str) -> None:
    assert "propensity prediction model" not in card_words(text)
