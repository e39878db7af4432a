"""Kinds of ask that routing round 22 found going to the wrong role, told in new sentences.

Who may "only ever see their own" records is an access rule, the Backend Architect's; what a
model puts out (its chances, estimates, suggestions), said to be wrong or off, is its error
analysis, the ML Engineer's. Each kind has a negative: a sentence alike that must not move.
"""

from __future__ import annotations

import pytest
from helpers import explained_owners, reads_card_words

OWNED = [
    # only ever seeing one's own records
    (
        "The choir's rota app shows every singer's absences to everyone. Singers should only"
        " ever see their own absences.",
        ["backend_architect"],
    ),
    # a model's output said to be wrong
    (
        "The bakery app predicts how many loaves to bake each morning. Find out why its"
        " estimates are so wrong on bank holidays.",
        ["ml_engineer"],
    ),
]


# the negatives: alike, and read as before
UNMOVED = [
    (
        "Our dashboard counts are off since Tuesday; trace where the numbers come from.",
        ["data_engineer"],
    ),
    (
        "Customers only ever see the old version of the checkout page after a release; make the"
        " deploy clear the cache.",
        ["devops_engineer"],
    ),
]


@pytest.mark.parametrize(("text", "roles"), OWNED + UNMOVED)
def test_each_kind_goes_to_its_owner_and_a_sentence_alike_stays(
    text: str, roles: list[str], reading: str
) -> None:
    assert explained_owners(text) == roles


# a kind reads its card words; a sentence alike does not
READINGS = [
    # only ever seeing one's own is access; only ever seeing an old page is not
    (
        "tenants must only ever view their own repair requests",
        "I only ever see the old version of the page",
        "permissions access control",
    ),
    # a model's estimates off is its error; a report's totals off are not a model's
    (
        "its estimates are way off for rainy days",
        "the invoice totals are off by a few cents",
        "model accuracy errors",
    ),
]


@pytest.mark.parametrize(("said", "unsaid", "words"), READINGS)
def test_only_the_kind_reads_its_card_words(said: str, unsaid: str, words: str) -> None:
    assert reads_card_words(said, unsaid, words)
