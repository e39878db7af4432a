"""A leak said beside the words of a model's training is target leakage, the ML Engineer's.

"Our churn model scores 0.97 AUC offline but drops in production; review the training notebook
for leakage" went to the Performance Engineer: read for its meaning alone, "leakage" sits nearest
a memory leak ("track down the leak"), and the vote of the nearest labelled asks was sure enough
to overrule the card words, which named the ML Engineer. The meaning is now read with the leak
named as the target leakage it is (``team.routing.clauses.for_meaning``). A leak with no word of
a model's training (a memory leak, a leaked key, internals leaking through errors) reads as
before.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners

from team.routing.encoder import encoder

OWNED = [
    (
        "Our churn model scores 0.97 AUC offline but drops in production; review the training"
        " notebook for leakage.",
        ["ml_engineer"],
    ),
    (
        "The fraud classifier looks too good on the holdout. Check the feature notebook for"
        " leakage before we ship it.",
        ["ml_engineer"],
    ),
    # negatives: a leak that is no model's
    (
        "The invoice worker's memory grows every hour until it is killed; track down the leak.",
        ["performance_engineer"],
    ),
    (
        "An API key leaked in a public gist last night; rotate it and move the CI secrets into a"
        " vault.",
        ["devops_engineer", "devops_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED)
def test_a_leak_beside_training_words_is_the_ml_engineers_and_other_leaks_stay(
    text: str, roles: list[str]
) -> None:
    if encoder() is None:
        pytest.skip("the meaning reading needs the encoder: run `team models fetch`")
    assert explained_owners(text) == roles
