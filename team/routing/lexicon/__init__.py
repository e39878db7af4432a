"""Plain words for card concepts: what a non-specialist says where a card says its own term.

The router scores a request by the words the cards use ("model predictions", "load test",
"on-call", "idempotency"). People who are not engineers describe the same work in everyday
words: "the thing that guesses how many volunteers we need", "test whether it copes with that
many people", "text whoever's on duty when the site stops responding", "make sure it only counts
once when they resend". None of those words is in a card, so the request went to whichever card
happened to share a noun with its setting.

Each entry maps a plain-language phrase to the card words it means, taken from the
cards' own Triggers and Vocabulary (``agents/*.md``); the misses of the spent ask sets
(``tests/data/asks_*.yaml``) showed which phrasings people use. A text that says a phrase is
read as also saying the card words (``team.routing.text.features``), so the card, not the
setting's nouns, decides whose work it is. An entry names a way of saying a concept, never one
request's nouns: "guesses" means predictions whatever is guessed.

The entries are kept by the card they speak for, one module each (`ml_engineer`,
`performance_engineer`, `devops_engineer`, `backend_architect`, `data_engineer`,
`system_architect`, `pm`; `entry` compiles them). `PLAIN_WORDS` joins them in that order, which
is the order `card_words` reports card words in.
"""

from __future__ import annotations

from team.routing.lexicon import (
    backend_architect,
    data_engineer,
    devops_engineer,
    ml_engineer,
    performance_engineer,
    pm,
    system_architect,
)
from team.routing.lexicon.entry import Entry

__all__ = ["PLAIN_WORDS", "card_words"]

PLAIN_WORDS: tuple[Entry, ...] = (
    *ml_engineer.PLAIN_WORDS,
    *performance_engineer.PLAIN_WORDS,
    *devops_engineer.PLAIN_WORDS,
    *backend_architect.PLAIN_WORDS,
    *data_engineer.PLAIN_WORDS,
    *system_architect.PLAIN_WORDS,
    *pm.PLAIN_WORDS,
)


def card_words(text: str) -> list[str]:
    """The card phrases ``text`` says in plain words, in lexicon order.

    Example:
        >>> card_words("the thing that guesses how many volunteers we need")
        ['predictions forecast', 'model predictions forecast']
        >>> card_words("Add a composite index to the orders table")
        []
        >>> card_words("My guess is the cache; any suggestions on how to check?")
        []
    """
    return [words for pattern, words in PLAIN_WORDS if pattern.search(text)]
