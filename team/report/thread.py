"""A conversation thread's page, rebuilt from its checkpointed state (what ``team serve`` keeps):
the same page as a run's, since the state holds the messages, handoffs and usage."""

from __future__ import annotations

from typing import Any

__all__ = ["result_from_state", "thread_page", "thread_report"]


def result_from_state(
    values: dict[str, Any], *, thread_id: str, pending: dict[str, Any] | None = None
) -> Any:
    """A ``RunResult`` of a thread from its checkpointed state values.

    Events come from the messages (as a live run emits them); each handoff from the state's
    handoff records, after the message that made it. Triage's reasons are not checkpointed, so
    the turns show whom triage picked but not why.
    """
    from langchain_core.messages import AIMessage, HumanMessage

    from team.engine import RunResult, usage_by_role
    from team.events import Event, events_from_message
    from team.handoffs import handoff_target

    records = [dict(h) for h in values.get("handoffs", [])]
    usage = values.get("usage", {}) or {}
    messages = list(values.get("messages", []))
    events: list[Event] = []
    turns: list[str] = []
    roles: list[str] = []
    waiting_triage = False
    next_record = 0
    for message in messages:
        if isinstance(message, HumanMessage):
            turns.append(str(message.content))
            waiting_triage = True
            continue
        if isinstance(message, AIMessage) and waiting_triage:
            events.append(Event("triage", message.name or "?", "", {"turn": len(turns)}))
            roles.clear()  # each turn starts with the role triage picked
            waiting_triage = False
        events.extend(events_from_message(message, roles))
        if not isinstance(message, AIMessage):
            continue
        if message.id in usage:
            events.append(Event("usage", usage[message.id]["role"], data=dict(usage[message.id])))
        for call in message.tool_calls:
            target = handoff_target(call["name"])
            if target is None or next_record >= len(records):
                continue
            record = records[next_record]
            if (record["source"], record["target"]) == (message.name, target):
                next_record += 1
                events.append(Event("handoff", record["source"], record["reason"], record))
                roles.append(target)
                events.append(Event("role", target))
    outcome = "pending" if pending else str(values.get("outcome") or "done")
    note = str(values.get("note") or "") if outcome != "done" else ""
    events.append(Event("done", roles[-1] if roles else "", note, {"outcome": outcome}))
    return RunResult(
        request=turns[0] if turns else "",
        thread_id=thread_id,
        turns=turns,
        visited=list(values.get("visited", [])),
        handoffs=records,
        deliverables=dict(values.get("deliverables", {})),
        outcome=outcome,
        note=note,
        events=events,
        messages=[],
        usage=usage_by_role(usage),
        pending=pending,
    )


def thread_report(
    values: dict[str, Any], team: Any, *, thread_id: str, pending: dict[str, Any] | None = None
) -> str:
    """The page of a checkpointed thread (code excerpts from the thread's repository, if any).

    Example:
        >>> from team.engine import Engine
        >>> from team.topology import Team
        >>> engine = Engine(Team.load())
        >>> _ = engine.chat("Write user stories for saved searches", thread_id="t1")
        >>> values = engine.graph.get_state(engine.config("t1")).values
        >>> "<svg" in thread_report(values, engine.team, thread_id="t1")
        True
    """
    from team.report.runpage import run_report

    result = result_from_state(values, thread_id=thread_id, pending=pending)
    return run_report(result, team, repo=values.get("repo") or None, title=f"Thread {thread_id}")


async def thread_page(graph: Any, team: Any, thread_id: str) -> str | None:
    """The page of ``thread_id`` from a compiled team graph's checkpointer (``None``: no such
    thread)."""
    snapshot = await graph.aget_state({"configurable": {"thread_id": thread_id}})
    if not snapshot.values:
        return None
    pending = next((dict(i.value) for i in snapshot.interrupts if isinstance(i.value, dict)), None)
    return thread_report(snapshot.values, team, thread_id=thread_id, pending=pending)
