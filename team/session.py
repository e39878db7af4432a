"""The Python API for chat apps: ``Team.chat``, ``Team.stream`` and their async twins.

A thread is a conversation: it remembers the active role, the handoffs and the deliverables
across turns (through the checkpointer; in memory by default, ``sqlite_checkpointer()`` or any
LangGraph saver to persist). A handoff into a role listed under ``approval:`` in the topology
stops the turn with ``outcome == "pending"`` until ``approve``/``reject`` is called.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from team.errors import TeamError
from team.run import Event, validate_repo

if TYPE_CHECKING:
    from team.topology import Team

__all__ = ["ChatReply", "achat", "astream", "chat", "compile_team", "decide", "stream"]


@dataclass(frozen=True)
class ChatReply:
    """What one user turn produced.

    Attributes:
        thread_id: The conversation.
        role: The role holding the work at the end of the turn.
        text: The team's answer: the last thing a role wrote this turn.
        handoffs: This turn's handoffs (source, target, criterion, reason).
        outcome: ``done``, ``loop``, ``limit``, ``error`` or ``pending`` (approval needed).
        note: Why the turn stopped, when it was not ``done``.
        pending: The approval request when ``outcome == "pending"``.
        events: Everything that happened this turn, in order.
    """

    thread_id: str
    role: str
    text: str
    handoffs: list[dict[str, Any]]
    outcome: str
    note: str = ""
    pending: dict[str, Any] | None = None
    events: list[Event] = field(default_factory=list, repr=False)


def compile_team(
    team: Team, *, model: Any = "offline", repo: str | Path | None = None, checkpointer: Any = None
) -> Any:
    """The team as a compiled LangGraph graph (usable as a subgraph of your own graph).

    Example:
        >>> graph = Team.load().compile()  # doctest: +SKIP
        >>> graph.invoke({"messages": [("user", "Train a churn model")]})["visited"]  # doctest: +SKIP
        ['ml_engineer']
    """
    from team.models import resolve_team_models
    from team.run import _effective_models
    from team.runtime import build_graph

    root = validate_repo(repo)
    return build_graph(
        team,
        model=resolve_team_models(_effective_models(team, model), team),
        repo=root,
        checkpointer=checkpointer,
    )


def _graph(team: Team, model: Any, repo: Any, checkpointer: Any) -> Any:
    """One compiled graph per (model, repo, checkpointer), kept on the team for later turns."""
    cache = team.__dict__.setdefault("_graphs", {})
    if checkpointer is None:
        from langgraph.checkpoint.memory import InMemorySaver

        checkpointer = team.__dict__.setdefault("_memory", InMemorySaver())
    key = (model if isinstance(model, str) else id(model), str(repo), id(checkpointer))
    if key not in cache:
        cache[key] = compile_team(team, model=model, repo=repo, checkpointer=checkpointer)
    return cache[key]


def _driver(team: Team, thread_id: str, model: Any, repo: Any, checkpointer: Any) -> Any:
    from team.driver import Driver

    if not isinstance(thread_id, str) or not thread_id.strip():
        raise TeamError("thread_id must be a non-empty string")
    validate_repo(repo)
    config = {
        "configurable": {"thread_id": thread_id},
        "recursion_limit": team.topology.limits.recursion_limit,
    }
    return Driver(_graph(team, model, repo, checkpointer), config)


def _payload(message: str, repo: Any) -> dict[str, Any]:
    from langchain_core.messages import HumanMessage

    if not isinstance(message, str) or not message.strip():
        raise TeamError("empty message: give the team something to do")
    return {"messages": [HumanMessage(content=message)], "queue": [], "repo": str(repo or "")}


def _reply(driver: Any, turn_events: list[Event], state: dict[str, Any] | None = None) -> ChatReply:
    """The ``ChatReply`` of the turn just driven (``state``: the thread's values, if at hand)."""
    if state is None:
        state = driver.graph.get_state(driver.config).values
    turn = state.get("turn", 0)
    text = next((e.text for e in reversed(turn_events) if e.kind == "deliverable"), "")
    return ChatReply(
        thread_id=driver.thread_id,
        role=state.get("active") or "",
        text=text,
        handoffs=[dict(h) for h in state.get("handoffs", []) if h.get("turn") == turn],
        outcome=driver.outcome,
        note=driver.note if driver.outcome != "done" else "",
        pending=driver.pending,
        events=turn_events,
    )


def stream(
    team: Team,
    message: str,
    *,
    thread_id: str,
    model: Any = "offline",
    repo: Any = None,
    checkpointer: Any = None,
    tokens: bool = True,
) -> Iterator[Event]:
    """Run one user turn and yield typed events as they happen (tokens included by default).

    Example:
        >>> for event in Team.load().stream("Train a churn model", thread_id="t1"):  # doctest: +SKIP
        ...     print(event.kind, event.role)
    """
    driver = _driver(team, thread_id, model, repo, checkpointer)
    yield from driver.iter_turn(_payload(message, repo), tokens=tokens)
    yield driver.done_event()


def chat(
    team: Team,
    message: str,
    *,
    thread_id: str,
    model: Any = "offline",
    repo: Any = None,
    checkpointer: Any = None,
) -> ChatReply:
    """Send one user message on a thread and return the team's reply.

    Example:
        >>> reply = Team.load().chat("Train a churn model", thread_id="t1")  # doctest: +SKIP
        >>> reply.role, reply.outcome  # doctest: +SKIP
        ('ml_engineer', 'done')
    """
    driver = _driver(team, thread_id, model, repo, checkpointer)
    events = list(driver.iter_turn(_payload(message, repo)))
    return _reply(driver, events)


def decide(
    team: Team,
    thread_id: str,
    *,
    approve: bool,
    note: str = "",
    model: Any = "offline",
    repo: Any = None,
    checkpointer: Any = None,
    on_event: Any = None,
) -> ChatReply:
    """Answer a pending approval on a thread and continue the turn.

    Raises:
        TeamError: The thread has no pending approval.

    Example:
        >>> team.approve("t1")  # doctest: +SKIP
    """
    from langgraph.types import Command

    driver = _driver(team, thread_id, model, repo, checkpointer)
    snapshot = driver.graph.get_state(driver.config, subgraphs=True)
    from team.driver import _interrupts

    if not _interrupts(snapshot):
        raise TeamError(f"thread {thread_id!r} has no handoff waiting for approval")
    driver.on_event = on_event
    resume = Command(resume={"approve": approve, "note": note})
    events = list(driver.iter_turn(resume, tokens=on_event is not None))
    return _reply(driver, events)


async def astream(
    team: Team,
    message: str,
    *,
    thread_id: str,
    model: Any = "offline",
    repo: Any = None,
    checkpointer: Any = None,
    tokens: bool = True,
) -> AsyncIterator[Event]:
    """The async twin of ``stream`` (use an async-capable checkpointer to persist)."""
    driver = _driver(team, thread_id, model, repo, checkpointer)
    async for event in driver.aiter_turn(_payload(message, repo), tokens=tokens):
        yield event
    yield await driver.adone_event()


async def achat(
    team: Team,
    message: str,
    *,
    thread_id: str,
    model: Any = "offline",
    repo: Any = None,
    checkpointer: Any = None,
) -> ChatReply:
    """The async twin of ``chat``."""
    driver = _driver(team, thread_id, model, repo, checkpointer)
    events = [e async for e in driver.aiter_turn(_payload(message, repo))]
    state = (await driver.graph.aget_state(driver.config)).values
    return _reply(driver, events, state)
