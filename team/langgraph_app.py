"""The team graph for LangGraph Server, Studio and Agent Chat UI (``langgraph.json`` points here).

``graph`` is compiled without a checkpointer: the platform brings its own persistence. Choose the
team, model and repository with environment variables (the platform reads ``env`` from
``langgraph.json``): ``TEAM_MODEL`` (default ``offline``), ``TEAM_AGENTS`` (a folder of cards),
``TEAM_GRAPH`` (a topology file), ``TEAM_REPO`` (a repository the roles inspect with their tools).

Example:
    >>> from team.langgraph_app import graph
    >>> graph.invoke({"messages": [("user", "Train a churn model")]})["active"]
    'ml_engineer'
"""

from __future__ import annotations

import os

from team.engine import effective_models, validate_repo
from team.graph import build_graph
from team.models import resolve_team_models
from team.topology import Team

__all__ = ["graph"]

_team = Team.load(
    agents_dir=os.environ.get("TEAM_AGENTS") or None, graph=os.environ.get("TEAM_GRAPH") or None
)
graph = build_graph(
    _team,
    model=resolve_team_models(
        effective_models(_team, os.environ.get("TEAM_MODEL") or "offline"), _team
    ),
    repo=validate_repo(os.environ.get("TEAM_REPO") or None),
)
