"""How a handoff works, in one place.

A handoff is a ``transfer_to_<role>`` tool call. The tools are generated from the team graph's
edges (the cards' Handoff Criteria), one per edge, each tagged with its edge in ``tool.metadata``
(as langgraph-swarm tags its handoff tools). When a role calls one, ``decide`` - a pure function
of the call and the turn so far - says what happens:

1. ``refuse``: the target is not an edge of the caller, or a human rejected that handoff earlier
   in this turn; the model gets a tool error and may answer itself or choose another edge.
   ``misfit``: the edge's criterion does not fit the ask the reason quotes (or the reason), and
   another legal edge's criterion does, or the caller's own card fits the ask best; the model
   gets a tool error naming what fits and decides: calling the same edge again hands off.
2. ``stop``: the turn's handoff limit is reached (outcome ``limit``), or the work ping-pongs
   between two roles (outcome ``loop``; with ``on_loop: escalate`` it goes to the escalation
   role instead).
3. ``approval``: the target is listed under ``approval:``; a human approves or rejects first.
4. ``handoff``: the work moves (``Command(goto=target, graph=Command.PARENT)`` in the graph).

Every text a handoff produces - the tool results, the refusals, the rejection - is written here.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from team.routing import ESCALATION

if TYPE_CHECKING:
    from collections.abc import Mapping

    from langchain_core.messages import AIMessage, ToolCall, ToolMessage
    from langchain_core.tools import BaseTool

    from team.state import HandoffRecord
    from team.topology import Limits, Team

__all__ = [
    "HANDOFF_PREFIX",
    "Decision",
    "HandoffArgs",
    "answers",
    "decide",
    "handoff_schemas",
    "handoff_target",
    "handoff_tools",
    "is_transfer",
    "parse_approval",
    "pick_call",
    "rejected_targets",
    "tool_name",
]

HANDOFF_PREFIX = "transfer_to_"
_TRANSFERRED = "Transferred to "
_REJECTED = "Handoff to {target} rejected by a human reviewer: "
_EDGE_KEY = "teamgraph_handoff"
_LOOP_ESCALATION = "loop escalation"


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


def tool_name(target: str) -> str:
    """The handoff tool's name for ``target``.

    Example:
        >>> tool_name("pm")
        'transfer_to_pm'
    """
    return f"{HANDOFF_PREFIX}{target}"


def handoff_target(name: str) -> str | None:
    """The role a tool name hands off to, or ``None`` for other tools.

    Example:
        >>> handoff_target("transfer_to_pm"), handoff_target("grep")
        ('pm', None)
    """
    return name.removeprefix(HANDOFF_PREFIX) if name.startswith(HANDOFF_PREFIX) else None


def is_transfer(name: str, text: str) -> bool:
    """Whether a tool result is a completed handoff (the work moved), not an error or a refusal.

    Example:
        >>> is_transfer("transfer_to_pm", "Transferred to pm."), is_transfer("transfer_to_pm", "error: no")
        (True, False)
    """
    return handoff_target(name) is not None and text.startswith(_TRANSFERRED)


def _description(team: Team, source: str, target: str) -> str:
    condition = team.graph.edges[source, target]["condition"]
    return f"Hand the work to the {team.cards[target].name} when {condition}"


@functools.cache
def _parameters() -> dict[str, Any]:
    """The JSON schema of a handoff tool's arguments, as every chat model's ``bind_tools`` takes it."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    parameters: dict[str, Any] = convert_to_openai_tool(HandoffArgs)["function"]["parameters"]
    return parameters


def handoff_schemas(
    team: Team, role: str, *, exclude: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The handoff tools of ``role`` in OpenAI tool format, ready for ``bind_tools``.

    Example:
        >>> from team.topology import Team
        >>> schema = handoff_schemas(Team.load(), "ml_engineer")[0]["function"]
        >>> schema["name"], schema["parameters"]["required"]
        ('transfer_to_data_engineer', ['reason'])
    """
    return [
        {
            "type": "function",
            "function": {
                "name": tool_name(target),
                "description": _description(team, role, target),
                "parameters": _parameters(),
            },
        }
        for target in team.graph[role]
        if target not in exclude
    ]


def handoff_tools(
    team: Team, role: str, *, exclude: frozenset[str] = frozenset()
) -> list[BaseTool]:
    """The handoff tools of ``role``: one per edge of its card's Handoff Criteria.

    Args:
        team: The team.
        role: The role whose outgoing edges become tools.
        exclude: Targets not to offer (a handoff a human rejected this turn).

    Example:
        >>> from team.topology import Team
        >>> [t.name for t in handoff_tools(Team.load(), "ml_engineer")][:1]
        ['transfer_to_data_engineer']
    """
    from langchain_core.tools import StructuredTool

    tools: list[BaseTool] = []
    for target in team.graph[role]:
        if target in exclude:
            continue

        def transfer(reason: str, criterion: str = "", _target: str = target) -> str:
            return f"{_TRANSFERRED}{_target}."

        tools.append(
            StructuredTool.from_function(
                func=transfer,
                name=tool_name(target),
                description=_description(team, role, target),
                args_schema=HandoffArgs,
                metadata={_EDGE_KEY: {"source": role, "target": target}},
            )
        )
    return tools


def pick_call(reply: AIMessage, legal: list[str]) -> ToolCall | None:
    """The handoff call of a reply that counts: the first one to a legal target with valid args."""
    for call in reply.tool_calls:
        if handoff_target(call["name"]) in legal:
            try:
                HandoffArgs.model_validate(call["args"])
            except ValidationError:
                continue
            return call
    return None


def rejected_targets(messages: list[Any], *, key: str = "rejected") -> frozenset[str]:
    """Targets a human rejected since the last user message (not to be offered again this turn);
    with ``key="misfit"``, targets whose criterion the role was told does not fit its ask."""
    found: set[str] = set()
    for message in reversed(messages):
        if message.type == "human":
            break
        target = message.additional_kwargs.get(key) if message.type == "tool" else None
        if target:
            found.add(target)
    return frozenset(found)


def _misfit(team: Team, source: str, target: str, reason: str, legal: list[str]) -> str:
    """The tool result for a handoff whose criterion does not fit the ask it hands over, naming
    what fits instead; empty when the criterion fits or nothing fits better."""
    from team.routing import check_handoff, quoted_ask, router_for  # scoring, only when asked

    settings = team.topology.triage
    router = router_for(team.cards, fallback=settings.fallback, min_score=settings.min_score)
    ask = quoted_ask(reason)
    found = check_handoff(router, ask, source, target, legal)
    if found is None:
        return ""
    chosen = found.chosen
    text = (
        f'error: handoff not made: your criterion for {tool_name(target)} ("{chosen.criterion}") '
        f'does not fit the ask "{ask}" (fit {chosen.score:.2f}). '
    )
    if found.best is not None:
        best = found.best
        text += (
            f"The legal edge whose criterion fits it best is {tool_name(best.target)}: "
            f'"{best.criterion}" (fit {best.score:.2f}; shared: {", ".join(best.shared)}). '
        )
    else:
        text += "No handoff criterion of yours fits it, and your own card fits it best. "
    return (
        text
        + f"Hand off along the edge that fits, answer it yourself, or call {tool_name(target)} again to hand off anyway."
    )


def parse_approval(value: Any) -> tuple[bool, str]:
    """A human's answer to an approval request: ``(approved, note)``.

    Accepts ``True``/``False``, ``"approve"``/``"reject: why"`` or ``{"approve": bool, "note": str}``
    (the shape LangGraph Server clients send with ``Command(resume=...)``).

    Example:
        >>> parse_approval({"approve": False, "note": "no budget"}), parse_approval("approve")
        ((False, 'no budget'), (True, ''))
    """
    if isinstance(value, dict):
        return bool(value.get("approve", value.get("approved", False))), str(value.get("note", ""))
    if isinstance(value, str):
        word, _, note = value.partition(":")
        return word.strip().lower() in {"approve", "approved", "yes", "y"}, note.strip()
    return bool(value), ""


@dataclass(frozen=True)
class Decision:
    """What happens to a handoff call (see the module docstring)."""

    action: Literal["handoff", "approval", "stop", "refuse", "misfit"]
    target: str
    note: str = ""
    outcome: Literal["limit", "loop"] | None = None
    record: HandoffRecord | None = None


def _ping_pong(handoffs: list[HandoffRecord], source: str, target: str, repeats: int) -> bool:
    """A->B->A->B...: the last ``2*repeats - 1`` handoffs plus this one alternate on one pair."""
    chain = [(h["source"], h["target"]) for h in handoffs] + [(source, target)]
    window = chain[-2 * repeats :]
    if len(window) < 2 * repeats:
        return False
    return all({a, b} == {source, target} for a, b in window)


def decide(
    team: Team,
    source: str,
    call: Mapping[str, Any],
    *,
    handoffs: list[HandoffRecord],
    turn: int,
    rejected: frozenset[str] = frozenset(),
    warned: frozenset[str] = frozenset(),
) -> Decision:
    """Decide what a handoff call does, from the team and the thread's handoffs so far.

    Args:
        team: The team (edges, limits, approval roles, escalation role).
        source: The role that made the call.
        call: The tool call (``name``, ``args``).
        handoffs: Every handoff of the thread so far.
        turn: The current user turn.
        rejected: Targets a human rejected this turn.
        warned: Targets the role was told this turn its criterion does not fit (``misfit``);
            calling one again hands off: the model decides.

    Example:
        >>> from team.topology import Team
        >>> call = {"name": "transfer_to_pm", "args": {"reason": "scope needs sign-off"}}
        >>> d = decide(Team.load(), "ml_engineer", call, handoffs=[], turn=1)
        >>> d.action, d.target, d.record["criterion"][:29]
        ('handoff', 'pm', 'stakeholders must agree on th')
    """
    target = handoff_target(call["name"]) or ""
    legal = team.targets(source)
    if target not in legal:
        allowed = ", ".join(legal) or "none"
        return Decision(
            "refuse",
            target,
            f"error: {source} cannot hand off to '{target}'; allowed targets: {allowed}",
        )
    if target in rejected:
        return Decision(
            "refuse",
            target,
            f"error: a human rejected the handoff to {target} this turn; answer the request "
            "yourself or hand off to another role",
        )
    args = HandoffArgs.model_validate(call["args"])
    if target not in warned and args.criterion not in (ESCALATION, _LOOP_ESCALATION):
        note = _misfit(team, source, target, args.reason, [t for t in legal if t not in rejected])
        if note:
            return Decision("misfit", target, note)
    limits: Limits = team.topology.limits
    this_turn = [h for h in handoffs if h["turn"] == turn]
    if len(this_turn) >= limits.max_handoffs:
        note = f"handoff limit reached ({limits.max_handoffs} handoffs this turn)"
        return Decision("stop", target, note, outcome="limit")
    if _ping_pong(this_turn, source, target, limits.ping_pong):
        note = (
            f"ping-pong between {source} and {target}: work went back and forth "
            f"{limits.ping_pong} times with nothing new"
        )
        escalate = team.escalation_role
        if limits.on_loop != "escalate" or escalate in (source, target):
            return Decision("stop", target, note, outcome="loop")
        args = HandoffArgs(
            reason=f"Escalated: ping-pong between {source} and {target}. {args.reason}",
            criterion=_LOOP_ESCALATION,
        )
        target = escalate
    criterion = args.criterion
    if not criterion and team.graph.has_edge(source, target):
        # A model that names no criterion gets the edge's own condition from the card.
        criterion = team.graph.edges[source, target]["condition"]
    record: HandoffRecord = {
        "source": source,
        "target": target,
        "criterion": criterion,
        "reason": args.reason,
        "step": len(handoffs) + 1,
        "turn": turn,
    }
    action: Literal["handoff", "approval"] = (
        "approval" if target in team.topology.approval else "handoff"
    )
    return Decision(action, target, record=record)


def answers(
    reply: AIMessage,
    call: ToolCall | None,
    decision: Decision | None,
    role: str,
    *,
    approved: bool | None = None,
    note: str = "",
) -> list[ToolMessage]:
    """The tool results that answer every call of a reply once its handoff is decided.

    ``approved`` is the human's answer when the handoff needed approval (``False``: rejected, with
    ``note``). Each call gets exactly one result, right after the reply.
    """
    from langchain_core.messages import ToolMessage

    def result(c: ToolCall, text: str, **extra: Any) -> ToolMessage:
        return ToolMessage(
            content=text,
            id=f"tool-{uuid.uuid4().hex}",
            tool_call_id=c["id"],
            name=c["name"],
            additional_kwargs={"role": role, **extra},
        )

    assert decision is not None and call is not None
    target = decision.target
    if decision.action == "misfit":
        return [
            result(c, decision.note, misfit=target)
            if c["id"] == call["id"]
            else result(c, f"Not run: the handoff to {target} was not made yet.")
            for c in reply.tool_calls
        ]
    if decision.action == "stop":
        text = f"error: handoff refused: {decision.note}. The run ends here."
        return [result(c, text) for c in reply.tool_calls]
    if approved is False:
        rejection = _REJECTED.format(target=target) + (note or "no reason given")
        return [
            result(c, rejection, rejected=target)
            if c["id"] == call["id"]
            else result(c, f"Not run: the handoff to {target} was rejected.")
            for c in reply.tool_calls
        ]
    return [
        result(c, f"{_TRANSFERRED}{target}.")
        if c["id"] == call["id"]
        else result(c, f"Not run: this turn handed off to {target}.")
        for c in reply.tool_calls
    ]
