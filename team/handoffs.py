"""Handoff tools, generated from the team graph's edges: one ``transfer_to_<role>`` per edge.

Each tool carries its edge in ``tool.metadata`` so the graph can be read back from the tools
(langgraph-swarm tags its handoff tools the same way).
"""

from __future__ import annotations

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field, field_validator

from team.topology import Team

__all__ = ["HANDOFF_PREFIX", "edges_from_tools", "handoff_target", "handoff_tools"]

HANDOFF_PREFIX = "transfer_to_"
METADATA_KEY = "__teamgraph_handoff"


class HandoffArgs(BaseModel):
    """Arguments of every handoff tool."""

    reason: str = Field(
        min_length=1, description="Why this role should take over: the open need, with evidence."
    )
    criterion: str = Field(
        default="", description="The Handoff Criteria condition of your card that applies, quoted."
    )

    @field_validator("reason", "criterion", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


def handoff_target(tool_name: str) -> str | None:
    """The role a tool name hands off to, or ``None`` for other tools.

    Example:
        >>> handoff_target("transfer_to_pm"), handoff_target("grep")
        ('pm', None)
    """
    return tool_name.removeprefix(HANDOFF_PREFIX) if tool_name.startswith(HANDOFF_PREFIX) else None


def handoff_tools(team: Team, role: str) -> list[BaseTool]:
    """The handoff tools of ``role`` (built once per team and role, then shared)."""
    cache = team.__dict__.setdefault("_handoff_tools", {})
    if role not in cache:
        cache[role] = _build_handoff_tools(team, role)
    return list(cache[role])


def _build_handoff_tools(team: Team, role: str) -> list[BaseTool]:
    """The handoff tools of ``role``: one per edge of its card's Handoff Criteria.

    Example:
        >>> [t.name for t in handoff_tools(Team.load(), "ml_engineer")][:1]
        ['transfer_to_data_engineer']
    """
    tools: list[BaseTool] = []
    for target, data in team.graph[role].items():
        name = team.cards[target].name

        def transfer(reason: str, criterion: str = "", _target: str = target) -> str:
            return f"Transferred to {_target}."

        tools.append(
            StructuredTool.from_function(
                func=transfer,
                name=f"{HANDOFF_PREFIX}{target}",
                description=f"Hand the work to the {name} when {data['condition']}",
                args_schema=HandoffArgs,
                metadata={
                    METADATA_KEY: {"source": role, "target": target, "criterion": data["condition"]}
                },
            )
        )
    return tools


def edges_from_tools(tools: list[BaseTool]) -> list[tuple[str, str, str]]:
    """Read ``(source, target, criterion)`` edges back from handoff tools."""
    edges = []
    for tool in tools:
        edge = (tool.metadata or {}).get(METADATA_KEY)
        if edge:
            edges.append((edge["source"], edge["target"], edge["criterion"]))
    return edges
