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

__all__ = [
    "Event",
    "RunResult",
    "events_from_message",
    "result_of",
    "resume_team",
    "run_team",
    "validate_inputs",
    "validate_repo",
]

EventKind = Literal[
    "triage", "role", "token", "tool_call", "tool_result", "handoff", "deliverable", "usage", "done"
]


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
    usage: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: dict[str, Any] | None = None

    @property
    def path(self) -> list[str]:
        """The roles in the order they held the work."""
        return list(self.visited)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["events"] = [e.to_dict() for e in self.events]
        return data

    def to_json(self, *, timings: bool = True) -> str:
        """The result as JSON; ``timings=False`` leaves out what varies between identical runs
        (token usage and latency), so offline runs compare byte for byte."""
        data = self.to_dict()
        if not timings:
            data.pop("usage")
            data["events"] = [e for e in data["events"] if e["kind"] != "usage"]
        return json.dumps(data, indent=2, ensure_ascii=False)


def validate_repo(repo: str | Path | None) -> Path | None:
    """A repository path that exists and is a folder, resolved (``None`` stays ``None``).

    Raises:
        TeamError: The path is missing or not a folder.
    """
    if repo is None or repo == "":
        return None
    path = Path(repo).expanduser()
    if not path.exists():
        raise TeamError("repository path does not exist", path=repo)
    if not path.is_dir():
        raise TeamError("repository path is not a folder", path=repo)
    return path.resolve()


def validate_inputs(request: str, repo: str | Path | None) -> Path | None:
    """Check a request and repository path before anything runs.

    Raises:
        TeamError: An empty request, or a repository path that is missing or not a folder.
    """
    if not isinstance(request, str) or not request.strip():
        raise TeamError("empty request: give the team something to do")
    return validate_repo(repo)


def events_from_message(message: Any, seen_roles: list[str]) -> Iterator[Event]:
    """The events one new transcript message stands for (``seen_roles`` tracks who spoke)."""
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


def _effective_models(team: Team, model: Any) -> Any:
    """The topology's per-role models, with ``model`` as the default for the other roles."""
    from collections.abc import Mapping

    per_role = {role: spec for role, spec in team.topology.models.items() if role != "default"}
    if isinstance(model, Mapping) or not per_role:
        return model
    default = (
        model if model not in (None, "offline") else team.topology.models.get("default", model)
    )
    return {"default": default or "offline", **per_role}


def result_of(driver: Any, request: str, turns: list[str]) -> RunResult:
    """The ``RunResult`` of a driven thread (closes it with a ``done`` event)."""
    driver.done_event()
    state = driver.graph.get_state(driver.config).values
    return RunResult(
        request=request,
        thread_id=driver.thread_id,
        turns=turns,
        visited=list(state.get("visited", [])),
        handoffs=[dict(h) for h in state.get("handoffs", [])],
        deliverables=dict(state.get("deliverables", {})),
        outcome=driver.outcome,
        note=driver.note if driver.outcome != "done" else "",
        events=driver.events,
        messages=[_message_dict(m) for m in state.get("messages", [])],
        usage=_usage_by_role(state.get("usage", {})),
        pending=driver.pending,
    )


def _usage_by_role(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for record in records.values():
        row = totals.setdefault(
            record["role"],
            {
                "calls": 0,
                "input_tokens": 0,
                "output_tokens": 0,
                "cache_read": 0,
                "cache_creation": 0,
                "seconds": 0.0,
            },
        )
        row["calls"] += 1
        for key in ("input_tokens", "output_tokens", "cache_read", "cache_creation"):
            row[key] += record.get(key, 0) or 0
        row["seconds"] = round(row["seconds"] + record.get("seconds", 0.0), 3)
    return totals


def _config(team: Team, thread_id: str) -> dict[str, Any]:
    return {
        "configurable": {"thread_id": thread_id},
        "recursion_limit": team.topology.limits.recursion_limit,
    }


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
        model: A model spec (``"offline"``, ``"anthropic:<model>"``, ...), a chat model, or a
            mapping ``{role: spec, "default": spec}``. The topology's ``models`` apply too.
        thread_id: The conversation thread (default: derived from the input, so reruns match).
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

    from team.driver import Driver
    from team.models import resolve_team_models
    from team.runtime import build_graph

    if graph is None:
        chat_model = resolve_team_models(_effective_models(team, model), team)
        graph = build_graph(
            team, model=chat_model, repo=root, checkpointer=checkpointer or InMemorySaver()
        )
    turns = [request, *followups]
    driver = Driver(graph, _config(team, thread_id or _default_thread(turns, root)), on_event)
    for index, text in enumerate(turns):
        payload = {
            "messages": [HumanMessage(content=text)],
            "queue": turns[index + 1 :],
            "repo": str(root or ""),
        }
        if driver.turn(payload)[0] != "done":
            break
    return result_of(driver, request, turns)


def resume_team(
    team: Team,
    thread_id: str,
    *,
    checkpointer: Any,
    model: Any = "offline",
    on_event: Callable[[Event], None] | None = None,
) -> RunResult:
    """Continue a checkpointed run where it stopped: the interrupted turn, then queued turns.

    Raises:
        TeamError: No such thread in the checkpointer.

    Example:
        >>> resume_team(Team.load(), "run-1a2b3c", checkpointer=saver)  # doctest: +SKIP
    """
    from langchain_core.messages import HumanMessage

    from team.driver import Driver
    from team.models import resolve_team_models
    from team.runtime import build_graph

    probe = build_graph(team, model=resolve_team_models("offline", team), checkpointer=checkpointer)
    saved = probe.get_state(_config(team, thread_id))
    if not saved.values:
        raise TeamError(f"no saved run with thread id {thread_id!r}")
    repo = saved.values.get("repo") or None
    if repo and not Path(repo).is_dir():
        raise TeamError("the run's repository is gone", path=repo)
    chat_model = resolve_team_models(_effective_models(team, model), team)
    graph = build_graph(team, model=chat_model, repo=repo, checkpointer=checkpointer)
    driver = Driver(graph, _config(team, thread_id), on_event)
    humans = [m.content for m in saved.values.get("messages", []) if isinstance(m, HumanMessage)]
    queue = list(saved.values.get("queue", []))
    outcome = driver.turn(None)[0] if saved.next else "done"
    while outcome == "done" and queue:
        text = queue.pop(0)
        outcome = driver.turn({"messages": [HumanMessage(content=text)], "queue": queue})[0]
        humans.append(text)
    return result_of(driver, str(humans[0]) if humans else "", [str(h) for h in humans])
