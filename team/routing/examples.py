"""Labelled examples: asks and requests whose owner a person decided, learnt into the profiles.

A card says in a few hundred words what a role does; people ask in many more. The labelled sets
written for tuning (``tests/data/asks_dev*.yaml``: each ask with its owner; the triage and
handoff cases of ``tests/data/routing.jsonl``) are compiled into ``examples.json``, which ships
with the package: for each role, how many of its examples hold each feature (stems, bigrams). A
feature seen in a role's examples adds to that role's profile (see ``Router``), so "hit rate" or
"sunset date" count for the role people meant even where its card does not say them. Counts,
not texts, ship: the router then stems nothing but the cards.

Regenerate the file after changing a tuning set or how texts are read (a test checks that it is
in step)::

    python -m team.routing tests/data/asks_dev.yaml tests/data/asks_dev2.yaml \
        tests/data/asks_dev3.yaml tests/data/routing.jsonl

Held-out sets are never compiled in: a set scored as held out stays out of this file.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from team.routing.text import features

__all__ = ["compile_examples", "count_features", "main", "packaged_counts"]

_FILE = "examples.json"


def compile_examples(paths: list[Path]) -> list[tuple[str, str]]:
    """``(text, role)`` for the labelled examples of ask sets (YAML) and routing sets (JSONL).

    An ask set gives each ask with its owner; a routing set gives each triage text with its role
    and each handoff text with the role it goes to (a text the holder keeps says nothing new).

    Example:
        >>> compile_examples([Path("tests/data/routing.jsonl")])[0][1]
        'ml_engineer'
    """
    found: list[tuple[str, str]] = []
    for path in paths:
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    if case.get("from") != case["expect"]:
                        found.append((case["text"], case["expect"]))
        else:
            for case in yaml.safe_load(path.read_text(encoding="utf-8")):
                found += [(a["text"], a["owner"]) for a in case["asks"]]
    return found


def count_features(examples: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """For each role, how many of its examples hold each feature.

    Example:
        >>> count_features([("dbt model", "data_engineer"), ("dbt run", "data_engineer")])
        {'data_engineer': {'dbt': 2, 'model': 1, 'dbt model': 1, 'run': 1, 'dbt run': 1}}
    """
    counts: dict[str, Counter[str]] = {}
    for text, role in examples:
        counts.setdefault(role, Counter()).update(dict.fromkeys(features(text), 1))
    return {role: dict(found) for role, found in counts.items()}


def packaged_counts() -> dict[str, dict[str, int]]:
    """The feature counts that ship with the package (see ``count_features``).

    Example:
        >>> packaged_counts()["devops_engineer"]["terraform"] > 0
        True
    """
    raw = (resources.files("team.routing") / _FILE).read_text(encoding="utf-8")
    counts: dict[str, dict[str, int]] = json.loads(raw)
    return counts


def main(argv: list[str]) -> None:
    """Count the features of ``argv``'s sets into the packaged file."""
    examples = compile_examples([Path(a) for a in argv])
    target = Path(str(resources.files("team.routing") / _FILE))
    text = json.dumps(count_features(examples), ensure_ascii=False, sort_keys=True, indent=0)
    target.write_text(text + "\n", encoding="utf-8")
    print(f"{len(examples)} examples -> {target}")
