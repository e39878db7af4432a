"""Reading what an ask means: the nearest asks people labelled, by sentence meaning.

The word router (``Router.score``) counts a card's words in an ask; an ask written in other words
("write down what it must do and how we'll know it's working") finds none of the PM's. Here each
ask is encoded (``team.routing.encoder``) and compared with every labelled ask of the tuning sets:
its ten nearest vote, each by how alike it is (``exp(SHARPNESS * (similarity - 1))``), and when
one role gets at least ``CONFIDENT`` of the vote and the nearest labelled ask is at least
``NEAREST_MIN`` alike, the ask is that role's (``Router.understood``; where the card words
clearly name another role, only a vote of ``SURE`` overrules them). Elsewhere the words decide.

The labelled asks ship with the package (``semantic.json``: text and owner; ``semantic.npy``:
their vectors, float16). Regenerate both after changing a labelled set (a test checks that they
are in step)::

    python -m team.routing --semantic tests/data/asks_dev.yaml ... tests/data/routing.jsonl

Which sets go in: the development sets and every held-out set once it has been scored (a spent
set is training data); a set not yet scored never does. On the seven held-out sets scored from
the sixth round on, taking the vote where it is confident and the words elsewhere would have owned
0.922 of 1,354 asks where the words owned 0.866 (each set's vote from the other sets only;
``bench/semantic_router.py`` prints it per set).
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from team.routing.encoder import MODEL, Encoder, encoder
from team.routing.examples import compile_examples

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CONFIDENT",
    "NEAREST_MIN",
    "NEIGHBOURS",
    "Reading",
    "Semantic",
    "main",
    "semantic_reader",
]

NEIGHBOURS = 10
SHARPNESS = 10.0
CONFIDENT = 0.7
NEAREST_MIN = 0.45
MIN_WORDS = 3
_TEXTS, _VECTORS = "semantic.json", "semantic.npy"


@dataclass(frozen=True)
class Reading:
    """What the labelled asks nearest a text say about its owner."""

    text: str  # the text read
    role: str
    confidence: float  # the owner's share of the vote (0..1)
    nearest: str  # the most alike labelled ask
    nearest_role: str
    similarity: float

    @property
    def confident(self) -> bool:
        """The vote is taken: one role has ``CONFIDENT`` of it, the nearest labelled ask is at
        least ``NEAREST_MIN`` alike (an ask unlike every labelled one is left to the words), and
        the ask has ``MIN_WORDS`` words (a word or two, "model again", means too little alone)."""
        return (
            self.confidence >= CONFIDENT
            and self.similarity >= NEAREST_MIN
            and len(self.text.split()) >= MIN_WORDS
        )


class Semantic:
    """Votes of the nearest labelled asks, by meaning.

    Example:
        >>> reader = semantic_reader()
        >>> if reader is not None:
        ...     found = reader.read("could a computer guess which patients will skip their visit")
        ...     assert found.role == "ml_engineer"
    """

    def __init__(
        self, model: Encoder, examples: list[tuple[str, str]], vectors: np.ndarray
    ) -> None:
        self.model = model
        self.examples = examples
        self.vectors = vectors
        # one ask is read for its owner, then for a lean, then by --explain: encode it once
        self.read = lru_cache(maxsize=4096)(self._vote)

    def _vote(self, text: str) -> Reading:
        """The vote of the ``NEIGHBOURS`` labelled asks nearest ``text`` (``read``, memoised)."""
        import numpy as np

        similarity = self.vectors @ self.model.encode([_core(text)])[0]
        nearest = np.argsort(-similarity, kind="stable")[:NEIGHBOURS]
        votes: dict[str, float] = {}
        for i in nearest:
            role = self.examples[i][1]
            votes[role] = votes.get(role, 0.0) + float(np.exp(SHARPNESS * (similarity[i] - 1)))
        role = max(votes, key=lambda r: (votes[r], r))
        first = int(nearest[0])
        return Reading(
            text=text,
            role=role,
            confidence=votes[role] / sum(votes.values()),
            nearest=self.examples[first][0],
            nearest_role=self.examples[first][1],
            similarity=float(similarity[first]),
        )


# Words that open an ask without saying what it asks ("Please ...", "and can someone ..."): the
# labelled asks are written without them, and they pull a text towards asks that share them.
_OPENERS = re.compile(
    r"^(?:(?:and|also|then|so|but|pls|please|kindly|(?:can|could|would|will)\s+"
    r"(?:you|someone|somebody|we|they)(?:\s+(?:please|also))?)\b[\s,]*)+",
    re.IGNORECASE,
)


def _core(text: str) -> str:
    """``text`` without the courtesy and joining words it opens with."""
    return _OPENERS.sub("", text.strip()) or text


def packaged_examples() -> tuple[list[tuple[str, str]], np.ndarray]:
    """The labelled asks that ship with the package and their vectors."""
    import numpy as np

    here = resources.files("team.routing")
    examples = [(t, r) for t, r in json.loads((here / _TEXTS).read_text(encoding="utf-8"))]
    vectors = np.load(io.BytesIO((here / _VECTORS).read_bytes())).astype(np.float32)
    return examples, vectors


@lru_cache(maxsize=8)
def semantic_reader(roles: frozenset[str] | None = None) -> Semantic | None:
    """The shared reader over the packaged examples of ``roles`` (default all), or None when
    the encoder is not fetched or ``TEAM_ROUTING=words`` asks for the word router alone.
    ``TEAM_ROUTING_LEAVE_OUT=SET.yaml`` leaves a labelled set's own asks out (for scoring it)."""
    if os.environ.get("TEAM_ROUTING", "").lower() == "words":
        return None
    model = encoder()
    if model is None:
        return None
    examples, vectors = packaged_examples()
    unseen = _left_out(os.environ.get("TEAM_ROUTING_LEAVE_OUT", ""))
    keep = [
        i
        for i, (text, role) in enumerate(examples)
        if (roles is None or role in roles) and text not in unseen
    ]
    return Semantic(model, [examples[i] for i in keep], vectors[keep])


def _left_out(paths: str) -> set[str]:
    """The ask texts of the sets in ``paths`` (``os.pathsep``-separated): left out of the
    examples so a labelled set can be scored as if the reader had never seen it."""
    return {text for text, _ in compile_examples([Path(p) for p in paths.split(os.pathsep) if p])}


def main(argv: list[str]) -> None:
    """Encode the labelled asks of ``argv``'s sets into the packaged files."""
    import numpy as np

    model = encoder()
    if model is None:
        sys.exit(f"error: {MODEL.name} is not fetched; run `team models fetch` first")
    examples = list(dict.fromkeys(compile_examples([Path(a) for a in argv])))
    vectors = model.encode([_core(text) for text, _ in examples]).astype(np.float16)
    here = Path(str(resources.files("team.routing")))
    (here / _TEXTS).write_text(
        json.dumps(examples, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    buffer = io.BytesIO()
    np.save(buffer, vectors)
    (here / _VECTORS).write_bytes(buffer.getvalue())
    print(f"{len(examples)} labelled asks -> {here / _TEXTS}, {here / _VECTORS}")
