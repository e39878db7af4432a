"""teamgraph: a software team of role agents on LangGraph.

Heavy modules (LangGraph, model clients) are imported lazily, so ``import team`` and
``team --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Card",
    "Engine",
    "Team",
    "TeamError",
    "Topology",
    "load_card",
    "parse_card",
    "resume_run",
    "run_team",
]

_LAZY = {
    "Card": "team.cards",
    "load_card": "team.cards",
    "parse_card": "team.cards",
    "Team": "team.topology",
    "Topology": "team.topology",
    "TeamError": "team.errors",
    "Engine": "team.engine",
    "run_team": "team.engine",
    "resume_run": "team.engine",
}

if TYPE_CHECKING:
    from team.cards import Card, load_card, parse_card
    from team.engine import Engine, resume_run, run_team
    from team.errors import TeamError
    from team.topology import Team, Topology


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'team' has no attribute {name!r}")
    return getattr(import_module(module), name)
