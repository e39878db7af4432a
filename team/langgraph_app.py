"""The team graph for LangGraph Server, Studio and Agent Chat UI (``langgraph.json`` points here).

``graph`` is compiled without a checkpointer: the platform brings its own persistence. Choose the
team and model with environment variables (the platform reads ``env`` from ``langgraph.json``):
``TEAM_MODEL`` (default ``offline``), ``TEAM_AGENTS`` (a folder of cards), ``TEAM_GRAPH`` (a
topology file).

Example:
    >>> from team.langgraph_app import graph  # doctest: +SKIP
    >>> graph.invoke({"messages": [("user", "Train a churn model")]})["active"]  # doctest: +SKIP
    'ml_engineer'
"""

from __future__ import annotations

import os

from team.topology import Team

__all__ = ["graph"]

graph = Team.load(
    agents_dir=os.environ.get("TEAM_AGENTS") or None, graph=os.environ.get("TEAM_GRAPH") or None
).compile(model=os.environ.get("TEAM_MODEL") or "offline")
