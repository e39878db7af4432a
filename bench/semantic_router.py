"""How well the nearest labelled asks read an ask set they were not built from.

    python bench/semantic_router.py [SET.yaml ...]   # default: every tests/data/asks_*.yaml

For each set, every ask is read by the vote of the packaged labelled asks with that set's own
asks left out (leave one set out), as ``team.routing.semantic`` reads a new request. Prints, per
set, the share of asks the vote gives to their owner, the share it is confident on
(``CONFIDENT``), and how often it is right there: the router takes the vote only where it is
confident, so the last column is what the vote brings to unseen asks. Needs the encoder
(``team models fetch``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from team.routing.semantic import Semantic, packaged_examples, semantic_reader

ROOT = Path(__file__).resolve().parent.parent


def score_set(reader: Semantic, path: Path) -> tuple[int, int, int, int]:
    """(asks, right, confident, right where confident) for one set, its own asks left out."""
    asks = [(a["text"], a["owner"]) for c in yaml.safe_load(path.read_text()) for a in c["asks"]]
    own = {text for text, _ in asks}
    keep = [i for i, (text, _) in enumerate(reader.examples) if text not in own]
    others = Semantic(reader.model, [reader.examples[i] for i in keep], reader.vectors[keep])
    right = confident = sure = 0
    for text, owner in asks:
        found = others.read(text)
        right += found.role == owner
        confident += found.confident
        sure += found.confident and found.role == owner
    return len(asks), right, confident, sure


def main(argv: list[str]) -> None:
    reader = semantic_reader()
    if reader is None:
        sys.exit("error: the encoder is not fetched; run `team models fetch` first")
    paths = [Path(a) for a in argv] or sorted((ROOT / "tests" / "data").glob("asks_*.yaml"))
    print(f"{len(packaged_examples()[0])} packaged labelled asks")
    print(f"{'set':<16}{'asks':>6}{'vote right':>12}{'confident':>11}{'right there':>13}")
    totals = [0, 0, 0, 0]
    for path in paths:
        n, right, confident, sure = score_set(reader, path)
        totals = [a + b for a, b in zip(totals, (n, right, confident, sure), strict=True)]
        print(
            f"{path.stem:<16}{n:>6}{right / n:>12.3f}{confident / n:>11.3f}{sure / max(confident, 1):>13.3f}"
        )
    n, right, confident, sure = totals
    print(
        f"{'all':<16}{n:>6}{right / n:>12.3f}{confident / n:>11.3f}{sure / max(confident, 1):>13.3f}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
