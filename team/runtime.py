"""The team as a LangGraph state machine.

``triage`` picks the first role from the cards' Triggers. Each role is a subgraph: an ``agent``
node (system prompt from the card + bound tools + any chat model) and a ``tools`` node that runs
the repository tools and returns to the agent. A handoff is a ``transfer_to_<role>`` tool call that
the agent node turns into ``Command(goto=<role>, graph=Command.PARENT)``.

Rules every provider can live with:
- Every tool call gets exactly one tool result, right after the message that made it.
- One handoff per turn: the first legal ``transfer_to_*`` call wins; the turn's other calls are
  answered "not run" (a repository call and a handoff in one turn: the handoff wins).
- A handoff to a role outside the caller's Handoff Criteria is refused with a tool error naming
  the allowed targets; the model may try again.
- An empty model reply is never stored; the agent is asked again (bounded), then the run ends
  with outcome ``error``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from team.agent import RoleNodes, RoleOutput, message_text
from team.routing import router_for
from team.state import TeamState
from team.topology import Team

__all__ = ["RoleOutput", "build_graph", "message_text"]


def _last_human(state: TeamState) -> str:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return message_text(message)
    return ""


def build_graph(
    team: Team,
    *,
    model: BaseChatModel | Callable[[str], BaseChatModel],
    repo: str | Path | None = None,
    checkpointer: Any = None,
    extra_tools: Mapping[str, list[BaseTool]] | None = None,
) -> Any:
    """Compile the team into a LangGraph graph.

    Args:
        team: The validated team.
        model: A chat model for every role, or a function from role id to chat model.
        repo: A repository the roles may inspect with the read-only tools.
        checkpointer: Any LangGraph checkpointer (threads persist across turns with one).
        extra_tools: More tools per role id (default: the topology's MCP servers' tools).

    Example:
        >>> graph = build_graph(Team.load(), model=OfflineModel(team=Team.load()))  # doctest: +SKIP
        >>> graph.invoke({"messages": [("user", "Train a churn model")]})["visited"]  # doctest: +SKIP
        ['ml_engineer']
    """
    tools: list[BaseTool] = []
    if repo is not None:
        from team.tools import repo_tools

        tools = repo_tools(Path(repo))
    if extra_tools is None and team.topology.mcp:
        from team.mcp.client import role_tools

        extra_tools = role_tools(team)
    extra_tools = extra_tools or {}
    triage_settings = team.topology.triage
    router = router_for(
        team.cards, fallback=triage_settings.fallback, min_score=triage_settings.min_score
    )
    entry = set(team.entry_roles())

    def triage(state: TeamState) -> Command:
        text = _last_human(state)
        route = router.route_request(text, among=entry)
        active = state.get("active")
        if active and route.score < triage_settings.min_score:
            target, reason = active, f"continuing with the active role ({route.reason})"
        else:
            target, reason = route.agent, route.reason
        note = f"triage: {target} (score {route.score:.2f}) because: {reason}"
        return Command(
            goto=target,
            update={
                "turn": state.get("turn", 0) + 1,
                "active": target,
                "visited": [target],
                "outcome": None,
                "note": note,
            },
        )

    builder = StateGraph(TeamState)
    builder.add_node(
        "triage", triage, destinations=tuple(sorted(entry | {triage_settings.fallback}))
    )
    builder.add_edge(START, "triage")
    for role in team.roles:
        role_model = (
            model(role) if callable(model) and not isinstance(model, BaseChatModel) else model
        )
        node = RoleNodes(
            team,
            role,
            role_model,  # type: ignore[arg-type]
            tools,
            extra_tools.get(role, ()),
        ).subgraph()
        builder.add_node(role, node, destinations=tuple(team.targets(role)))
        builder.add_edge(role, END)
    return builder.compile(checkpointer=checkpointer, name=team.name)
