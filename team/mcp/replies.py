"""What ``team mcp`` sends back: a turn's reply, progress lines, a thread's transcript.

Plain functions over the team's events and messages; nothing here imports the MCP SDK.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from team.events import Event

__all__ = ["progress_message", "transcript", "turn_reply", "turn_text"]

_HANDOFF_KEYS = ("source", "target", "criterion", "reason")


def progress_message(event: Event, names: Mapping[str, str]) -> str | None:
    """One progress line for an event worth telling a client about, else ``None``.

    Example:
        >>> progress_message(Event("role", "pm"), {"pm": "PM"})
        'PM takes the work'
        >>> progress_message(Event("token", "pm", "Pl"), {"pm": "PM"}) is None
        True
    """
    name = names.get(event.role, event.role)
    if event.kind == "triage":
        return event.text or f"triage: {event.role}"
    if event.kind == "role":
        return f"{name} takes the work"
    if event.kind == "tool_call":
        return f"{name} calls {event.data.get('tool')}"
    if event.kind == "handoff":
        target = names.get(event.data.get("target", ""), event.data.get("target", "?"))
        return f"{name} hands off to {target}: {event.text}"
    if event.kind == "deliverable":
        return f"{name} wrote its part"
    if event.kind == "done":
        outcome = event.data.get("outcome", "done")
        return f"turn {outcome}" + (f": {event.text}" if event.text else "")
    return None


def turn_reply(thread_id: str, events: Iterable[Event], names: Mapping[str, str]) -> dict[str, Any]:
    """A turn as data: who spoke (in order, with what they wrote), the handoffs and the outcome.

    Example:
        >>> events = [Event("deliverable", "pm", "Plan."), Event("done", "pm", "", {"outcome": "done"})]
        >>> turn_reply("t1", events, {"pm": "PM"})["spoke"]
        [{'role': 'pm', 'name': 'PM', 'text': 'Plan.'}]
    """
    spoke: list[dict[str, str]] = []
    handoffs: list[dict[str, Any]] = []
    outcome, note, pending = "done", "", None
    for event in events:
        if event.kind == "deliverable":
            spoke.append(
                {"role": event.role, "name": names.get(event.role, event.role), "text": event.text}
            )
        elif event.kind == "handoff":
            handoffs.append({key: event.data.get(key) for key in _HANDOFF_KEYS})
        elif event.kind == "done":
            outcome, note = event.data.get("outcome", "done"), event.text
            pending = event.data.get("pending")
    return {
        "thread_id": thread_id,
        "spoke": spoke,
        "handoffs": handoffs,
        "outcome": outcome,
        "note": note if outcome != "done" else "",
        "pending": pending,
    }


def turn_text(reply: Mapping[str, Any]) -> str:
    """The reply as readable text: each role's part under its name, handoffs between them.

    Example:
        >>> print(turn_text({"thread_id": "t1", "spoke": [{"role": "pm", "name": "PM",
        ...     "text": "Plan."}], "handoffs": [], "outcome": "done", "note": "", "pending": None}))
        ## PM (pm)
        Plan.
        <BLANKLINE>
        outcome: done  (thread t1)
    """
    lines: list[str] = []
    handoffs = list(reply["handoffs"])
    for part in reply["spoke"]:
        lines += [f"## {part['name']} ({part['role']})", part["text"], ""]
        while handoffs and handoffs[0]["source"] == part["role"]:
            h = handoffs.pop(0)
            lines += [
                f"-> handoff {h['source']} -> {h['target']}",
                f"   criterion: {h['criterion']}",
                f"   reason: {h['reason']}",
                "",
            ]
    for h in handoffs:  # handoffs of roles that wrote nothing
        lines += [f"-> handoff {h['source']} -> {h['target']}", f"   reason: {h['reason']}", ""]
    status = f"outcome: {reply['outcome']}  (thread {reply['thread_id']})"
    if reply.get("note"):
        status += f"\n{reply['note']}"
    pending = reply.get("pending")
    if pending:
        status += (
            f"\nwaiting for approval: {pending.get('source')} -> {pending.get('target')}"
            f" ({pending.get('reason', '')}); call approve or reject with this thread id"
        )
    return "\n".join([*lines, status])


def transcript(messages: Iterable[Any], names: Mapping[str, str]) -> str:
    """A thread's conversation as markdown: user turns, what each role wrote, the handoffs."""
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from team.events import message_text
    from team.handoffs import handoff_target, is_transfer

    lines: list[str] = []
    reasons: dict[str, str] = {}
    for message in messages:
        if isinstance(message, HumanMessage):
            lines += ["### user", message_text(message).strip(), ""]
        elif isinstance(message, AIMessage):
            role = message.name or "?"
            if text := message_text(message).strip():
                lines += [f"### {names.get(role, role)} ({role})", text, ""]
            reasons |= {str(c["id"]): str(c["args"].get("reason", "")) for c in message.tool_calls}
        elif isinstance(message, ToolMessage) and is_transfer(
            message.name or "", message_text(message)
        ):
            target = handoff_target(message.name or "") or "?"
            role = str(message.additional_kwargs.get("role", "?"))
            reason = reasons.get(message.tool_call_id, "")
            lines += [f"-> handoff {role} -> {target}: {reason}", ""]
    return "\n".join(lines).strip() + "\n"
