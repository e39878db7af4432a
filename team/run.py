"""Running the team on a request: turns, live events, and the result of a run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from team.errors import TeamError
from team.topology import Team

__all__ = ["Event", "RunResult", "run_team", "validate_inputs"]

EventKind = Literal["triage", "role", "tool_call", "tool_result", "handoff", "deliverable", "done"]


@dataclass(frozen=True)
class Event:
    """Something that happened in a run, in order.

    Attributes:
        kind: ``triage``, ``role`` (a role takes the work), ``tool_call``, ``tool_result``,
            ``handoff``, ``deliverable`` or ``done``.
        role: The role it concerns.
        text: The event's text (deliverable, tool result, reason, outcome note).
        data: Structured details (tool name and args, handoff target and criterion, ...).
    """

    kind: EventKind
    role: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RunResult:
    """The result of a run: what a test or a report needs."""

    request: str
    thread_id: str
    turns: list[str]
    visited: list[str]
    handoffs: list[dict[str, Any]]
    deliverables: dict[str, str]
    outcome: str
    note: str
    events: list[Event]
    messages: list[dict[str, Any]] = field(repr=False)

    @property
    def path(self) -> list[str]:
        """The roles in the order they held the work."""
        return list(self.visited)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["events"] = [e.to_dict() for e in self.events]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def validate_inputs(request: str, repo: str | Path | None) -> Path | None:
    """Check a request and repository path before anything runs.

    Raises:
        TeamError: An empty request, or a repository path that is missing or not a folder.
    """
    if not isinstance(request, str) or not request.strip():
        raise TeamError("empty request: give the team something to do")
    if repo is None:
        return None
    path = Path(repo).expanduser()
    if not path.exists():
        raise TeamError("repository path does not exist", path=repo)
    if not path.is_dir():
        raise TeamError("repository path is not a folder", path=repo)
    return path.resolve()


def _events_from(message: Any, seen_roles: list[str]) -> Iterator[Event]:
    from langchain_core.messages import AIMessage, ToolMessage

    from team.handoffs import handoff_target
    from team.runtime import message_text

    if isinstance(message, AIMessage):
        role = message.name or "?"
        if not seen_roles or seen_roles[-1] != role:
            seen_roles.append(role)
            yield Event("role", role)
        text = message_text(message).strip()
        if text:
            yield Event("deliverable", role, text)
        for call in message.tool_calls:
            target = handoff_target(call["name"])
            if target is None:
                yield Event(
                    "tool_call",
                    role,
                    data={"tool": call["name"], "args": call["args"], "id": call["id"]},
                )
    elif isinstance(message, ToolMessage):
        role = message.additional_kwargs.get("role", "?")
        target = handoff_target(message.name or "")
        text = message_text(message)
        if target is None or not text.startswith("Transferred"):
            yield Event(
                "tool_result", role, text, {"tool": message.name, "id": message.tool_call_id}
            )


def _default_thread(turns: list[str], root: Path | None) -> str:
    """Same input, same thread id: runs stay byte-for-byte reproducible."""
    digest = hashlib.sha256(json.dumps([turns, str(root)]).encode()).hexdigest()
    return f"run-{digest[:12]}"


def _message_dict(message: Any) -> dict[str, Any]:
    from langchain_core.messages import message_to_dict

    data = message_to_dict(message)
    data["data"].pop("id", None)  # random per run; not part of the transcript
    return data


def run_team(
    team: Team,
    request: str,
    *,
    followups: list[str] | tuple[str, ...] = (),
    repo: str | Path | None = None,
    model: Any = "offline",
    thread_id: str | None = None,
    checkpointer: Any = None,
    on_event: Callable[[Event], None] | None = None,
    graph: Any = None,
) -> RunResult:
    """Run a request (and follow-up turns) through the team.

    Args:
        team: The team to run.
        request: The user's first message.
        followups: Further user turns, run in order on the same thread.
        repo: A repository the roles inspect with read-only tools.
        model: A model spec (``"offline"``, ``"anthropic:<model>"``, ...) or a chat model.
        thread_id: The conversation thread (a new one by default).
        checkpointer: A LangGraph checkpointer (default: in memory).
        on_event: Called with each event as it happens (for a live transcript).
        graph: A graph compiled by ``build_graph`` to reuse (then ``model``, ``repo`` and
            ``checkpointer`` are the graph's own).

    Example:
        >>> result = run_team(Team.load(), "Train a churn model and expose it through an API")
        >>> result.visited[:2]  # doctest: +SKIP
        ['ml_engineer', 'backend_architect']
    """
    root = validate_inputs(request, repo)
    for index, text in enumerate(followups, start=1):
        if not isinstance(text, str) or not text.strip():
            raise TeamError(f"empty follow-up #{index}")
    from langchain_core.messages import HumanMessage
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.errors import GraphRecursionError

    from team.models import resolve_team_models
    from team.runtime import build_graph

    if graph is None:
        chat_model = resolve_team_models(model, team)
        graph = build_graph(
            team, model=chat_model, repo=root, checkpointer=checkpointer or InMemorySaver()
        )
    turns = [request, *followups]
    thread_id = thread_id or _default_thread(turns, root)
    config = {
        "configurable": {"thread_id": thread_id},
        "recursion_limit": team.topology.limits.recursion_limit,
    }
    events: list[Event] = []
    seen_ids: set[str] = set()
    roles: list[str] = []

    def emit(event: Event) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    outcome, note = "done", ""
    for text in turns:
        roles.clear()
        try:
            for _, chunk in graph.stream(
                {"messages": [HumanMessage(content=text)]},
                config,
                stream_mode="updates",
                subgraphs=True,
            ):
                for node, update in chunk.items():
                    if not isinstance(update, dict):
                        continue
                    if node == "triage":
                        emit(
                            Event(
                                "triage",
                                update["active"],
                                update.get("note", ""),
                                {"turn": update["turn"]},
                            )
                        )
                    for message in update.get("messages", []) or []:
                        if message.id in seen_ids:
                            continue
                        seen_ids.add(message.id)
                        for event in _events_from(message, roles):
                            emit(event)
                    for record in update.get("handoffs", []) or []:
                        emit(Event("handoff", record["source"], record["reason"], dict(record)))
                        roles.append(record["target"])
                        emit(Event("role", record["target"]))
        except GraphRecursionError:
            outcome, note = "limit", f"recursion limit of {config['recursion_limit']} steps reached"
            break
        state = graph.get_state(config).values
        outcome, note = state.get("outcome") or "done", state.get("note", "")
        if outcome != "done":
            break
    state = graph.get_state(config).values
    emit(Event("done", state.get("active") or "", note, {"outcome": outcome}))
    return RunResult(
        request=request,
        thread_id=thread_id,
        turns=turns,
        visited=list(state.get("visited", [])),
        handoffs=[dict(h) for h in state.get("handoffs", [])],
        deliverables=dict(state.get("deliverables", {})),
        outcome=outcome,
        note=note if outcome != "done" else "",
        events=events,
        messages=[_message_dict(m) for m in state.get("messages", [])],
    )
