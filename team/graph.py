"""The team as a LangGraph state machine.

``triage`` picks the first role from the cards' Triggers. Each role is a subgraph (``team.agent``:
an ``agent`` node and a ``tools`` node). A handoff is a ``transfer_to_<role>`` tool call that the
agent node turns into ``Command(goto=<role>, graph=Command.PARENT)`` (``team.handoffs`` decides).
When the topology lists roles under ``approval:``, a handoff into one goes to the ``approval``
node first: the whole conversation so far is in the graph's own state while it waits, and the
human's answer sends the work on (approved) or back to the role with the rejection (rejected).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

from team.agent import APPROVAL_NODE, TOOLS_NODE, RoleNodes
from team.events import message_text
from team.handoffs import Decision, answers, parse_approval
from team.routing import router_for
from team.state import HandoffRecord, TeamState
from team.topology import Team

__all__ = ["APPROVAL_NODE", "build_graph", "pending_notice"]

_RECORD_KEYS = ("source", "target", "criterion", "reason", "step", "turn")


def pending_notice(pending: dict[str, Any]) -> str:
    """What the team says while a handoff waits for a human.

    Example:
        >>> pending_notice({"source": "ml_engineer", "target": "pm", "criterion": "scope"})
        'Waiting for approval: handoff ml_engineer -> pm (scope). Approve or reject it to continue.'
    """
    return (
        f"Waiting for approval: handoff {pending.get('source')} -> {pending.get('target')} "
        f"({pending.get('criterion') or 'no criterion'}). Approve or reject it to continue."
    )


def unrun_notice(pending: dict[str, Any], text: str) -> str:
    """What the team says to a message that arrives while a handoff waits for a human.

    Example:
        >>> unrun_notice({"source": "ml_engineer", "target": "pm", "criterion": "scope"}, "costs?")
        'Waiting for approval: handoff ml_engineer -> pm (scope). Approve or reject it to continue. Your new message was not run: "costs?". Send it again after the decision.'
    """
    quoted = " ".join(text.split())
    quoted = quoted if len(quoted) <= 80 else quoted[:77] + "..."
    return (
        f'{pending_notice(pending)} Your new message was not run: "{quoted}". '
        "Send it again after the decision."
    )


def _last_human(state: TeamState) -> HumanMessage | None:
    for message in reversed(state.get("messages", [])):
        if isinstance(message, HumanMessage):
            return message
    return None


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
        extra_tools: More tools per role id (default: the tools of the topology's MCP servers).

    Example:
        >>> from team.models.offline import OfflineModel
        >>> team = Team.load()
        >>> graph = build_graph(team, model=OfflineModel(cards=team.cards))
        >>> graph.invoke({"messages": [("user", "Train a churn model")]})["visited"]
        ['ml_engineer']
    """
    tools: list[BaseTool] = []
    if repo is not None:
        from team.tools import Access, repo_tools

        wanted = team.topology.repo_access
        access = Access(read_ignored=wanted.read_ignored)
        if wanted.hidden is not None:
            access = Access(hidden=wanted.hidden, read_ignored=wanted.read_ignored)
        tools = repo_tools(Path(repo), access=access)
    if extra_tools is None and team.topology.mcp:
        from team.tools.mcp import role_tools

        extra_tools = role_tools(team)
    extra_tools = extra_tools or {}
    settings = team.topology.triage
    router = router_for(team.cards, fallback=settings.fallback, min_score=settings.min_score)
    entry = set(team.entry_roles())
    gated = bool(team.topology.approval)

    def triage(state: TeamState) -> Command[str]:
        human = _last_human(state)
        if state.get("pending"):
            # A message for a paused thread is not run: the handoff is asked about again.
            note = unrun_notice(state["pending"] or {}, message_text(human) if human else "")
            drop = [RemoveMessage(id=human.id)] if human is not None and human.id else []
            return Command(goto=APPROVAL_NODE, update={"messages": drop, "note": note})
        text = message_text(human) if human is not None else ""
        if not text.strip():
            note = "empty request: tell the team what you need"
            reply = AIMessage(content=f"The {note}.", name="triage")
            return Command(goto=END, update={"messages": [reply], "outcome": "error", "note": note})
        route = router.route_request(text, among=entry)
        active = state.get("active")
        if active and route.score < settings.min_score:
            target, reason = active, f"continuing with the active role ({route.reason})"
        else:
            target, reason = route.agent, route.reason
        return Command(
            goto=target,
            update={
                "turn": state.get("turn", 0) + 1,
                "active": target,
                "visited": [target],
                "outcome": None,
                "note": f"triage: {target} (score {route.score:.2f}) because: {reason}",
            },
        )

    def approval(state: TeamState) -> Command[str]:
        pending = state["pending"] or {}
        source, target = pending["source"], pending["target"]
        asked = {k: pending[k] for k in ("source", "target", "criterion", "reason")}
        # The interrupt says why the thread waits, and which message was not run if one came in.
        note = state.get("note") or ""
        notice = note if note.startswith(pending_notice(pending)) else pending_notice(pending)
        value = interrupt({"type": "approval", **asked, "message": notice})
        approved, note = parse_approval(value)
        reply = next(
            m
            for m in reversed(state["messages"])
            if isinstance(m, AIMessage) and any(c["id"] == pending["call_id"] for c in m.tool_calls)
        )
        call = next(c for c in reply.tool_calls if c["id"] == pending["call_id"])
        record: HandoffRecord = {k: pending[k] for k in _RECORD_KEYS}  # type: ignore[assignment]
        decision = Decision("handoff", target, record=record)
        results = answers(reply, call, decision, source, approved=approved, note=note)
        if approved:
            update = {
                "messages": results,
                "active": target,
                "visited": [target],
                "handoffs": [record],
                "pending": None,
            }
            return Command(goto=target, update=update)
        return Command(goto=source, update={"messages": results, "pending": None, "note": ""})

    from langchain_core.utils.function_calling import convert_to_openai_tool

    schemas = {tool.name: convert_to_openai_tool(tool) for tool in tools}
    nodes = {
        role: RoleNodes(
            team,
            role,
            model(role) if callable(model) and not isinstance(model, BaseChatModel) else model,
            tools,
            schemas,
            extra_tools.get(role, ()),
        )
        for role in team.roles
    }

    def run_tools(state: TeamState) -> Command[str]:
        return nodes[state["active"] or ""].tools(state)

    # Nodes are added as ``partial`` objects: LangGraph then skips disassembling each function
    # to look for subgraphs inside it (the team has none), which made compiling 2x slower.
    builder = StateGraph(TeamState)
    triage_to = entry | {settings.fallback} | ({APPROVAL_NODE} if gated else set())
    builder.add_node("triage", partial(triage), destinations=tuple(sorted(triage_to)))
    builder.add_edge(START, "triage")
    for role, role_nodes in nodes.items():
        targets = (*team.targets(role), *([APPROVAL_NODE] if gated else []), TOOLS_NODE, END)
        builder.add_node(role, partial(role_nodes.agent), destinations=targets)
    builder.add_node(TOOLS_NODE, partial(run_tools), destinations=(*team.roles, END))
    if gated:
        builder.add_node(APPROVAL_NODE, partial(approval), destinations=tuple(team.roles))
    return builder.compile(checkpointer=checkpointer, name=team.name)
