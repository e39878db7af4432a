"""What happens in a run, as typed events in order: the one vocabulary every surface formats.

A low-level module: it knows messages and handoffs, never the engine, the graph or a surface.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from team.handoffs import handoff_target, is_transfer

__all__ = ["Event", "EventKind", "events_from_message", "message_text"]

EventKind = Literal[
    "triage",
    "role",
    "token",
    "tool_call",
    "tool_result",
    "handoff",
    "approval",
    "deliverable",
    "usage",
    "done",
]


@dataclass(frozen=True)
class Event:
    """Something that happened in a run, in order.

    Attributes:
        kind: ``triage``, ``role`` (a role takes the work), ``token``, ``tool_call``,
            ``tool_result``, ``handoff``, ``approval`` (a human answered a pending handoff),
            ``deliverable``, ``usage`` or ``done``.
        role: The role it concerns.
        text: The event's text (deliverable, tool result, reason, outcome note).
        data: Structured details (tool name and args, handoff target and criterion, ...).

    Example:
        >>> Event("handoff", "ml_engineer", "needs an API", {"target": "backend_architect"}).kind
        'handoff'
    """

    kind: EventKind
    role: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def message_text(message: Any) -> str:
    """The plain text of a message, whatever its content blocks.

    Example:
        >>> from langchain_core.messages import AIMessage
        >>> message_text(AIMessage(content=[{"type": "text", "text": "Plan"}, {"type": "text", "text": " ready"}]))
        'Plan ready'
    """
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        (block.get("text", "") if block.get("type", "text") == "text" else "")
        if isinstance(block, dict)
        else str(block)
        for block in content
    )


def events_from_message(message: Any, seen_roles: list[str]) -> Iterator[Event]:
    """The events one new transcript message stands for (``seen_roles`` tracks who spoke).

    Example:
        >>> from langchain_core.messages import AIMessage
        >>> [e.kind for e in events_from_message(AIMessage(content="Plan.", name="pm"), [])]
        ['role', 'deliverable']
    """
    from langchain_core.messages import AIMessage, ToolMessage

    if isinstance(message, AIMessage):
        role = message.name or "?"
        if not seen_roles or seen_roles[-1] != role:
            seen_roles.append(role)
            yield Event("role", role)
        text = message_text(message).strip()
        if text:
            yield Event("deliverable", role, text)
        for call in message.tool_calls:
            if handoff_target(call["name"]) is None:
                yield Event(
                    "tool_call",
                    role,
                    data={"tool": call["name"], "args": call["args"], "id": call["id"]},
                )
    elif isinstance(message, ToolMessage):
        role = message.additional_kwargs.get("role", "?")
        text = message_text(message)
        if not is_transfer(message.name or "", text):
            yield Event(
                "tool_result", role, text, {"tool": message.name, "id": message.tool_call_id}
            )
