"""Helpers shared by the tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "000_e59ae8dee5f18307.txt"


def write_scenario(folder: Path, name: str, request: str, expect: dict) -> Path:
    """A scenario file ``<name>.yaml`` (JSON is YAML) with a request and expectations."""
    import json

    path = folder / f"{name}.yaml"
    path.write_text(json.dumps({"name": name, "request": request, "expect": expect}))
    return path


def write_card(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_CARD = """\
# Agent: {name}

## Triggers
- Activated when: {trigger}

## Handoff Criteria
- Hand off to **{target}** when {condition}
"""


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Wait until ``condition()`` holds (polled), for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def reads_card_words(said: str, unsaid: str, words: str) -> bool:
    """Whether ``said`` reads as saying the card ``words`` and ``unsaid``, a sentence alike,
    does not (``team.routing.lexicon.card_words``)."""
    from team.routing.lexicon import card_words

    return words in card_words(said) and words not in card_words(unsaid)


def misreadings(
    said: dict[str, tuple[str, ...]], unsaid: dict[str, tuple[str, ...]]
) -> list[tuple[str, str]]:
    """(text, card words) for each text of ``said`` not read as its card words, and each text of
    ``unsaid`` (the same words in another sense) read as them."""
    from team.routing.lexicon import card_words

    missed = [(t, w) for w, texts in said.items() for t in texts if w not in card_words(t)]
    return missed + [(t, w) for w, texts in unsaid.items() for t in texts if w in card_words(t)]


def explained_owners(text: str) -> list[str]:
    """The owner of each ask that `team route TEXT --explain` prints, in order."""
    from typer.testing import CliRunner

    from team.cli import app

    result = CliRunner().invoke(app, ["route", text, "--explain"])
    assert result.exit_code == 0, result.output
    return [line.split()[1] for line in result.output.splitlines() if line.startswith("  owner ")]


def write_app(folder: Path, files: dict[str, str]) -> Path:
    """Write a small fixture app (relative path -> dedented source) under `folder`, for a review."""
    from textwrap import dedent

    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip())
    return folder


def web_findings(folder: Path, files: dict[str, str], rule: str) -> set[tuple[str, int]]:
    """(path, line) of each `rule` finding the Backend Architect's and Performance Engineer's
    reviews report on a small fixture app written under `folder`."""
    from team.audit import audit_path

    found = audit_path(
        write_app(folder, files), roles=["performance_engineer", "backend_architect"]
    )
    return {(f.path, f.line) for f in found if f.rule == rule}


def notebook_findings(folder: Path, *cells: str) -> set[tuple[int, str]]:
    """The (line, rule) of each finding of `team review` on a notebook of these code cells."""
    import json

    from team.review import review_path

    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nb.ipynb").write_text(json.dumps(notebook))
    return {(f.line, f.rule) for f in review_path(folder)}


def ml_findings(folder: Path, files: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    """(path, line, message) of each `rule` finding of `team review` on a small fixture app
    written under `folder`, in the order the review sorts them."""
    from team.review import review_path

    return [
        (f.path, f.line, f.message) for f in review_path(write_app(folder, files)) if f.rule == rule
    ]
