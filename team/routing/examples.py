"""Labelled examples: asks and requests whose owner a person decided, learnt into the profiles.

A card says in a few hundred words what a role does; people ask in many more. The labelled sets
written for tuning (``tests/data/asks_dev*.yaml``: each ask with its owner; the triage and
handoff cases of ``tests/data/routing.jsonl``) are compiled into ``examples.jsonl``, which ships
with the package: each line is a text and the role that owns it. A feature seen in a role's
examples adds to that role's profile (see ``Router``), so "hit rate" or "sunset date" count for
the role people meant even where its card does not say them.

Regenerate the file after changing a tuning set (a test checks that it is in step)::

    python -m team.routing tests/data/asks_dev.yaml tests/data/asks_dev2.yaml tests/data/routing.jsonl

Held-out sets are never compiled in: a set scored as held out stays out of this file.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import yaml

__all__ = ["compile_examples", "main", "packaged_examples"]

_FILE = "examples.jsonl"


def compile_examples(paths: list[Path]) -> list[dict[str, str]]:
    """The labelled examples of ask sets (YAML) and routing sets (JSONL), in file order.

    An ask set gives each ask with its owner; a routing set gives each triage text with its role
    and each handoff text with the role it goes to (a text the holder keeps says nothing new).

    Example:
        >>> found = compile_examples([Path("tests/data/routing.jsonl")])
        >>> sorted(found[0])
        ['role', 'source', 'text']
    """
    found: list[dict[str, str]] = []
    for path in paths:
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    if case.get("from") != case["expect"]:
                        found.append(_example(case["text"], case["expect"], path))
        else:
            for case in yaml.safe_load(path.read_text(encoding="utf-8")):
                found += [_example(a["text"], a["owner"], path) for a in case["asks"]]
    return found


def _example(text: str, role: str, path: Path) -> dict[str, str]:
    return {"text": " ".join(text.split()), "role": role, "source": path.name}


def packaged_examples() -> list[tuple[str, str]]:
    """``(text, role)`` for every example that ships with the package.

    Example:
        >>> text, role = packaged_examples()[0]
        >>> isinstance(text, str) and bool(role)
        True
    """
    raw = (resources.files("team.routing") / _FILE).read_text(encoding="utf-8")
    return [(e["text"], e["role"]) for e in map(json.loads, raw.splitlines()) if e]


def main(argv: list[str]) -> None:
    """Write the compiled examples of ``argv``'s sets to the packaged file."""
    lines = [json.dumps(e, ensure_ascii=False) for e in compile_examples([Path(a) for a in argv])]
    target = Path(str(resources.files("team.routing") / _FILE))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} examples -> {target}")
