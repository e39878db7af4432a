"""What a role sees of the transcript when it takes the work: a policy per team or per edge.

- ``full``: the whole transcript.
- ``packet`` (default): the user's turns and the team's earlier answers, then one handoff packet
  (who handed over, the criterion, the reason, every deliverable so far), then the role's own
  messages since it took over. Small prompts; tool calls of other roles are left out whole, so
  every tool call the model sees still has its result.
- ``summary``: the packet with each deliverable cut to its opening (what it addressed), plus the
  last ``last_n`` messages before the handoff, cut only where no tool call would lose its result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from team.events import message_text
from team.handoffs import handoff_target, is_transfer

if TYPE_CHECKING:
    from langchain_core.messages import AnyMessage

    from team.topology import Policy

__all__ = ["PACKET_HEADER", "view"]

PACKET_HEADER = "[Handoff packet]"


def _turn_start(messages: list[AnyMessage]) -> int:
    return max((i for i, m in enumerate(messages) if m.type == "human"), default=0)


def _activation(messages: list[AnyMessage], role: str, start: int) -> int:
    """Index of the first message after ``role`` took the work in this turn."""
    index = start + 1
    for i in range(start, len(messages)):
        message = messages[i]
        name = message.name or ""
        transfer = message.type == "tool" and is_transfer(name, message_text(message))
        if transfer and handoff_target(name) == role:
            index = i + 1
    return index


def _earlier_turns(messages: list[AnyMessage], end: int) -> list[AnyMessage]:
    """Each earlier user turn and the last answer the team gave to it, as plain text."""
    from langchain_core.messages import AIMessage

    out: list[AnyMessage] = []
    answer: str | None = None
    for message in messages[:end]:
        if message.type == "human":
            if answer:
                out.append(AIMessage(content=answer))
            out.append(message)
            answer = None
        elif message.type == "ai" and message_text(message).strip():
            answer = message_text(message).strip()
    if answer:
        out.append(AIMessage(content=answer))
    return out


def _summarize(text: str, limit: int = 600) -> str:
    """A deliverable's opening: what it addressed, before its first ``###`` section, capped."""
    head = text.split("\n### ", 1)[0].strip()
    if len(head) <= limit:
        return (
            head if head == text.strip() else f"{head}\n(... the rest of the deliverable left out)"
        )
    return f"{head[:limit].rsplit(' ', 1)[0]} ... ({len(text) - limit} more characters left out)"


def _packet(
    role: str,
    handoffs: Sequence[Mapping[str, Any]],
    deliverables: dict[str, str],
    turn: int,
    *,
    brief: bool = False,
) -> str:
    current = [h for h in handoffs if h.get("turn") == turn]
    lines = [PACKET_HEADER]
    last = next((h for h in reversed(current) if h["target"] == role), None)
    if last is not None:
        lines += [
            f"From: {last['source']}",
            f"Criterion: {last['criterion']}",
            f"Reason: {last['reason']}",
        ]
    if current:
        lines.append("Handoffs this turn:")
        lines += [f"- {h['source']} -> {h['target']}: {h['reason']}" for h in current]
    others = {r: text for r, text in deliverables.items() if text}
    if others:
        lines.append("Deliverables so far:")
        for owner, text in others.items():
            lines += [f"### {owner}", _summarize(text) if brief else text]
    return "\n".join(lines)


def _safe_tail(messages: list[AnyMessage], count: int) -> list[AnyMessage]:
    """The last ``count`` messages, widened so no tool result loses the call it answers."""
    start = max(0, len(messages) - count)
    while start > 0 and messages[start].type == "tool":
        start -= 1
    return messages[start:]


def view(
    messages: list[AnyMessage],
    *,
    role: str,
    policy: Policy,
    handoffs: Sequence[Mapping[str, Any]],
    deliverables: dict[str, str],
    turn: int,
    last_n: int = 6,
) -> list[AnyMessage]:
    """The messages ``role`` is shown under ``policy`` (the system prompt is added by the caller).

    Example:
        >>> from langchain_core.messages import HumanMessage
        >>> said = view([HumanMessage("hi")], role="pm", policy="packet", handoffs=[],
        ...             deliverables={}, turn=1)
        >>> [(m.type, m.content) for m in said]
        [('human', 'hi')]
    """
    if policy == "full" or not messages:
        return list(messages)
    start = _turn_start(messages)
    activation = _activation(messages, role, start)
    handed_over = activation > start + 1
    shown = [*_earlier_turns(messages, start), messages[start]]
    if not handed_over:
        return shown + list(messages[start + 1 :])
    if policy == "summary":
        shown += _safe_tail(list(messages[start + 1 : activation]), last_n)
    from langchain_core.messages import HumanMessage

    packet = _packet(role, handoffs, deliverables, turn, brief=policy == "summary")
    shown.append(HumanMessage(content=packet))
    return shown + list(messages[activation:])
