"""The one engine that runs the team: a turn in, typed events and one result out.

Every surface - ``team run``, the chat REPL, ``team serve``, the MCP server, your own chat app -
goes through an ``Engine``. It compiles the team graph once (for its team, models, repository and
checkpointer) and runs user turns on threads. Sync and async share everything but the loop over
the graph's stream; a turn's events and result hold that turn's work and nothing else.

Example:
    >>> engine = Engine(Team.load())
    >>> first = engine.chat("Train a churn model and expose it behind a REST API", thread_id="u1")
    >>> second = engine.chat("Now add data quality checks to the ETL feeding it", thread_id="u1")
    >>> first.visited, second.visited
    (['ml_engineer', 'backend_architect'], ['data_engineer'])
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from team.errors import TeamError, held_back, scrub
from team.events import Event, events_from_message, message_text
from team.handoffs import handoff_target
from team.topology import Team

__all__ = [
    "MAX_MESSAGE_CHARS",
    "Engine",
    "RunResult",
    "check_message",
    "resume_run",
    "run_team",
    "validate_inputs",
    "validate_repo",
]

OnEvent = Callable[[Event], None]


@dataclass(frozen=True)
class RunResult:
    """What one or more user turns produced: the one result type of every surface.

    Attributes:
        request: The first user message of these turns.
        thread_id: The conversation.
        turns: The user messages, in order.
        visited: The roles in the order they took the work, in these turns only.
        handoffs: These turns' handoffs (source, target, criterion, reason, step, turn).
        deliverables: Each role's last deliverable written in these turns.
        outcome: ``done``, ``loop``, ``limit``, ``error`` or ``pending`` (approval needed).
        note: Why the turn stopped, when it was not ``done``.
        events: Everything that happened, in order.
        messages: These turns' transcript messages (as dicts).
        usage: Tokens and seconds per role.
        pending: The approval request when ``outcome == "pending"``.
    """

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
    active: str = ""

    @property
    def path(self) -> list[str]:
        """The roles in the order they held the work."""
        return list(self.visited)

    @property
    def role(self) -> str:
        """The role holding the work at the end."""
        return self.active or (self.visited[-1] if self.visited else "")

    @property
    def text(self) -> str:
        """The team's answer: the last thing a role wrote in these turns."""
        return next((e.text for e in reversed(self.events) if e.kind == "deliverable"), "")

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


MAX_MESSAGE_CHARS = 100_000
"""The longest request or message a turn takes (about 25,000 tokens): longer material belongs in
a file in the repository the roles can read."""


def check_message(message: object, what: str = "request") -> str:
    """A request or message the team can take, or a one-line ``TeamError`` why not.

    Example:
        >>> check_message("x" * 100_001)
        Traceback (most recent call last):
        team.errors.TeamError: the request has 100001 characters; the limit is 100000 (put long material in a file in the repository)
    """
    if not isinstance(message, str) or not message.strip():
        raise TeamError(f"empty {what}: give the team something to do")
    if len(message) > MAX_MESSAGE_CHARS:
        raise TeamError(
            f"the {what} has {len(message)} characters; the limit is {MAX_MESSAGE_CHARS} "
            "(put long material in a file in the repository)"
        )
    return message


def validate_inputs(request: str, repo: str | Path | None) -> Path | None:
    """Check a request and repository path before anything runs.

    Raises:
        TeamError: An empty or over-long request, or a repository path that is missing or not
            a folder.
    """
    check_message(request)
    return validate_repo(repo)


def effective_models(team: Team, model: Any) -> Any:
    """The topology's per-role models, with ``model`` as the default for the other roles."""
    per_role = {role: spec for role, spec in team.topology.models.items() if role != "default"}
    if isinstance(model, Mapping) or not per_role:
        return model
    default = (
        model if model not in (None, "offline") else team.topology.models.get("default", model)
    )
    return {"default": default or "offline", **per_role}


def default_thread(turns: list[str], root: Path | None) -> str:
    """Same input, same thread id: runs stay byte-for-byte reproducible."""
    digest = hashlib.sha256(json.dumps([turns, str(root)]).encode()).hexdigest()
    return f"run-{digest[:12]}"


class _Turn:
    """Reads one stretch of a thread's stream: events in order, then the result."""

    def __init__(
        self,
        engine: Engine,
        thread_id: str,
        before: dict[str, Any],
        turns: list[str],
        *,
        seen: set[str] | None = None,
        on_event: OnEvent | None = None,
    ):
        self.engine, self.thread_id, self.turns = engine, thread_id, turns
        self.before = before
        self.seen = seen if seen is not None else {m.id for m in before.get("messages", [])}
        self.roles: list[str] = []
        self.events: list[Event] = []
        self.on_event = on_event
        self.error: BaseException | None = None
        self.held: dict[str, str] = {}  # streamed text per role not shown yet (see ``feed``)
        # The state as the stream last showed it, and whether the stretch stopped at an interrupt.
        self.values: dict[str, Any] | None = None
        self.interrupted = False

    def emit(self, event: Event) -> Event:
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def feed(self, mode: str, chunk: Any) -> Iterator[Event]:
        if mode == "values":
            self.values = chunk
            return
        if mode == "messages":
            message, metadata = chunk
            text = message_text(message)
            role = metadata.get("role")
            if text and message.type == "AIMessageChunk" and role:
                # Tokens go out with API keys masked; a key's first half waits for the rest.
                shown, self.held[role] = held_back(self.held.get(role, "") + text)
                if shown:
                    yield Event("token", role, shown)
            return
        for role, tail in list(self.held.items()):  # the reply is complete: the rest goes out
            del self.held[role]
            if tail:
                yield Event("token", role, scrub(tail))
        self.interrupted = self.interrupted or "__interrupt__" in chunk
        for node, update in chunk.items():
            if isinstance(update, dict):
                yield from self._update(node, update)

    def _update(self, node: str, update: dict[str, Any]) -> Iterator[Event]:
        if node == "triage" and "active" in update:
            data = {"turn": update["turn"]}
            yield Event("triage", update["active"], update.get("note", ""), data)
        for message in update.get("messages", []) or []:
            if message.type != "remove" and message.id not in self.seen:
                self.seen.add(message.id)
                yield from events_from_message(message, self.roles)
                if message.type == "tool" and message.additional_kwargs.get("rejected"):
                    source = message.additional_kwargs.get("role", "")
                    data = {"approved": False, "target": message.additional_kwargs["rejected"]}
                    yield Event("approval", source, message_text(message), data)
        for message_id, record in (update.get("usage") or {}).items():
            key = f"usage:{message_id}"
            if message_id in self.seen and key not in self.seen:
                self.seen.add(key)
                yield Event("usage", record["role"], data=dict(record))
        for record in update.get("handoffs", []) or []:
            if node == "approval":
                yield Event("approval", record["source"], "approved", {"approved": True, **record})
            yield Event("handoff", record["source"], record["reason"], dict(record))
            self.roles.append(record["target"])
            yield Event("role", record["target"])

    def outcome(
        self, snapshot: Any, error: BaseException | None
    ) -> tuple[str, str, dict[str, Any] | None]:
        """How the stretch ended: ``(outcome, note, pending approval)``."""
        from langgraph.errors import GraphRecursionError

        if isinstance(error, GraphRecursionError):
            limit = self.engine.team.topology.limits.recursion_limit
            return "limit", f"recursion limit of {limit} steps reached", None
        if error is not None:
            return "error", f"{error} (the run is saved as thread {self.thread_id})", None
        if snapshot.interrupts:
            value = snapshot.interrupts[0].value
            pending = dict(value) if isinstance(value, dict) else {"value": value}
            return (
                "pending",
                f"waiting for approval: {pending.get('source')} -> {pending.get('target')}",
                pending,
            )
        values = snapshot.values
        return values.get("outcome") or "done", values.get("note", ""), None

    def finish(self, snapshot: Any, error: BaseException | None) -> RunResult:
        """Close with the ``done`` event and build the result."""
        outcome, note, pending = self.outcome(snapshot, error)
        values = snapshot.values
        data = {"outcome": outcome, **({"pending": pending} if pending else {})}
        self.emit(Event("done", values.get("active") or "", note, data))
        return self._result(values, outcome, note, pending)

    def _result(
        self, values: dict[str, Any], outcome: str, note: str, pending: dict[str, Any] | None
    ) -> RunResult:
        before = self.before
        old = {m.id for m in before.get("messages", [])}
        new = [m for m in values.get("messages", []) if m.id not in old]
        deliverables: dict[str, str] = {}
        for message in new:
            text = message_text(message).strip()
            handoff = any(handoff_target(c["name"]) for c in getattr(message, "tool_calls", []))
            if message.type == "ai" and text and (handoff or not message.tool_calls):
                deliverables[message.name or "?"] = text
        old_usage = before.get("usage", {})
        return RunResult(
            request=self.turns[0] if self.turns else "",
            thread_id=self.thread_id,
            turns=list(self.turns),
            visited=list(values.get("visited", []))[len(before.get("visited", [])) :],
            handoffs=[dict(h) for h in values.get("handoffs", [])][
                len(before.get("handoffs", [])) :
            ],
            deliverables=deliverables,
            outcome=outcome,
            note=note if outcome != "done" else "",
            events=list(self.events),
            messages=[_message_dict(m) for m in new],
            usage=usage_by_role(
                {k: v for k, v in values.get("usage", {}).items() if k not in old_usage}
            ),
            pending=pending,
            active=values.get("active") or "",
        )


@dataclass(frozen=True)
class _Streamed:
    """How a stretch that ran to its end left the thread, read from the stream: the same values a
    checkpoint read would give (no interrupt, nothing left to run), without deserializing it."""

    values: dict[str, Any]
    interrupts: tuple[Any, ...] = ()
    next: tuple[str, ...] = ()


def _modes(tokens: bool) -> list[str]:
    """What a stretch streams: node updates (events), the state after each step (the result)
    and, for live output, model tokens."""
    return ["updates", "values", "messages"] if tokens else ["updates", "values"]


def _message_dict(message: Any) -> dict[str, Any]:
    from langchain_core.messages import message_to_dict

    data = message_to_dict(message)
    data["data"].pop("id", None)  # random per run; not part of the transcript
    return data


def usage_by_role(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
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


class Engine:
    """Runs a team on threads: the graph is compiled once and reused for every turn.

    Args:
        team: The team.
        model: A model spec (``"offline"``, ``"anthropic:<model>"``, ...), a chat model, or a
            mapping ``{role: spec, "default": spec}``. The topology's ``models`` apply too.
        repo: A repository the roles inspect with read-only tools.
        checkpointer: A LangGraph checkpointer (default: in memory). Use an async one
            (``AsyncSqliteSaver``) for the async methods to persist on disk.
        graph: A graph compiled by ``team.graph.build_graph`` to drive instead.
        tape: Every model call goes through this ``team.models.tape.Tape``: recorded,
            replayed from a recording, measured against a budget.
    """

    def __init__(
        self,
        team: Team,
        *,
        model: Any = "offline",
        repo: str | Path | None = None,
        checkpointer: Any = None,
        graph: Any = None,
        tape: Any = None,
    ) -> None:
        self.team = team
        self.repo = validate_repo(repo)
        if graph is None:
            from langgraph.checkpoint.memory import InMemorySaver

            from team.graph import build_graph
            from team.models import resolve_team_models

            chat_model = resolve_team_models(effective_models(team, model), team, tape=tape)
            saver = checkpointer if checkpointer is not None else InMemorySaver()
            graph = build_graph(team, model=chat_model, repo=self.repo, checkpointer=saver)
        self.graph = graph

    def config(self, thread_id: str) -> dict[str, Any]:
        """The LangGraph config of a thread."""
        if not isinstance(thread_id, str) or not thread_id.strip():
            raise TeamError("thread_id must be a non-empty string")
        return {
            "configurable": {"thread_id": thread_id},
            "recursion_limit": self.team.topology.limits.recursion_limit,
        }

    def _payload(
        self,
        message: str,
        *,
        queue: list[str] | tuple[str, ...] = (),
        history: Any = (),
        active: str | None = None,
    ) -> dict[str, Any]:
        from langchain_core.messages import HumanMessage

        check_message(message, "message")
        payload: dict[str, Any] = {
            "messages": [*history, HumanMessage(content=message)],
            "queue": list(queue),
            "repo": str(self.repo or ""),
        }
        if active:
            payload["active"] = active
        return payload

    def _open(
        self, snapshot: Any, thread_id: str, payload: dict[str, Any], on_event: OnEvent | None
    ) -> _Turn:
        if snapshot.interrupts:
            from team.graph import pending_notice

            value = snapshot.interrupts[0].value
            raise TeamError(
                f"thread {thread_id!r} is paused. {pending_notice(value if isinstance(value, dict) else {})}"
            )
        stored = sum(len(message_text(m)) for m in snapshot.values.get("messages", []))
        limit = self.team.topology.limits.max_thread_chars
        if stored > limit:
            raise TeamError(
                f"thread {thread_id!r} holds {stored} characters of conversation; the limit is "
                f"{limit} (limits.max_thread_chars): start a new thread, or delete this one"
            )
        seen = {m.id for m in snapshot.values.get("messages", [])}
        seen |= {m.id for m in payload["messages"][:-1] if m.id}
        text = payload["messages"][-1].content
        return _Turn(self, thread_id, snapshot.values, [text], seen=seen, on_event=on_event)

    # The loop over the graph's stream: the only part sync and async do not share.

    def _drive(self, turn: _Turn, payload: Any, *, tokens: bool) -> Iterator[Event]:
        from langgraph.errors import GraphRecursionError

        from team.agent import ModelError

        config = self.config(turn.thread_id)
        turn.error, turn.values, turn.interrupted = None, None, False
        try:
            for mode, chunk in self.graph.stream(payload, config, stream_mode=_modes(tokens)):
                for event in turn.feed(mode, chunk):
                    yield turn.emit(event)
        except (GraphRecursionError, ModelError) as exc:
            turn.error = exc

    async def _adrive(self, turn: _Turn, payload: Any, *, tokens: bool) -> AsyncIterator[Event]:
        from langgraph.errors import GraphRecursionError

        from team.agent import ModelError

        config = self.config(turn.thread_id)
        turn.error, turn.values, turn.interrupted = None, None, False
        try:
            async for mode, chunk in self.graph.astream(
                payload, config, stream_mode=_modes(tokens)
            ):
                for event in turn.feed(mode, chunk):
                    yield turn.emit(event)
        except (GraphRecursionError, ModelError) as exc:
            turn.error = exc

    def _after(self, turn: _Turn) -> Any:
        """The thread after a stretch: as the stream left it when the stretch ran to its end (no
        error, no interrupt), else read from the checkpoint."""
        if turn.error is None and not turn.interrupted and turn.values is not None:
            return _Streamed(turn.values)
        return self.graph.get_state(self.config(turn.thread_id))

    async def _aafter(self, turn: _Turn) -> Any:
        """The async twin of ``_after``."""
        if turn.error is None and not turn.interrupted and turn.values is not None:
            return _Streamed(turn.values)
        return await self.graph.aget_state(self.config(turn.thread_id))

    # Conversations: one user turn at a time.

    def stream(
        self,
        message: str,
        *,
        thread_id: str,
        tokens: bool = True,
        history: Any = (),
        active: str | None = None,
    ) -> Iterator[Event]:
        """Run one user turn and yield its events as they happen, ``done`` last.

        ``history`` (LangChain messages) and ``active`` seed a new thread with a conversation
        held by the client (a stateless chat API).

        Example:
            >>> kinds = [e.kind for e in Engine(Team.load()).stream("Write user stories for search", thread_id="s1")]
            >>> kinds[0], kinds[-1]
            ('triage', 'done')
        """
        config = self.config(thread_id)
        payload = self._payload(message, history=history, active=active)
        turn = self._open(self.graph.get_state(config), thread_id, payload, None)
        yield from self._drive(turn, payload, tokens=tokens)
        turn.finish(self._after(turn), turn.error)
        yield turn.events[-1]

    def chat(
        self, message: str, *, thread_id: str, on_event: OnEvent | None = None, **seed: Any
    ) -> RunResult:
        """Send one user message on a thread; the result holds this turn's work only.

        Raises:
            TeamError: An empty message, or the thread waits for a handoff approval.
        """
        config = self.config(thread_id)
        payload = self._payload(message, **seed)
        turn = self._open(self.graph.get_state(config), thread_id, payload, on_event)
        for _ in self._drive(turn, payload, tokens=on_event is not None):
            pass
        return turn.finish(self._after(turn), turn.error)

    async def astream(
        self,
        message: str,
        *,
        thread_id: str,
        tokens: bool = True,
        history: Any = (),
        active: str | None = None,
    ) -> AsyncIterator[Event]:
        """The async twin of ``stream``."""
        config = self.config(thread_id)
        payload = self._payload(message, history=history, active=active)
        turn = self._open(await self.graph.aget_state(config), thread_id, payload, None)
        async for event in self._adrive(turn, payload, tokens=tokens):
            yield event
        turn.finish(await self._aafter(turn), turn.error)
        yield turn.events[-1]

    async def achat(
        self, message: str, *, thread_id: str, on_event: OnEvent | None = None, **seed: Any
    ) -> RunResult:
        """The async twin of ``chat``."""
        config = self.config(thread_id)
        payload = self._payload(message, **seed)
        turn = self._open(await self.graph.aget_state(config), thread_id, payload, on_event)
        async for _ in self._adrive(turn, payload, tokens=on_event is not None):
            pass
        return turn.finish(await self._aafter(turn), turn.error)

    # Approvals.

    def pending(self, thread_id: str) -> dict[str, Any] | None:
        """The handoff waiting for approval on a thread, if any."""
        return _pending(self.graph.get_state(self.config(thread_id)))

    async def apending(self, thread_id: str) -> dict[str, Any] | None:
        """The async twin of ``pending``."""
        return _pending(await self.graph.aget_state(self.config(thread_id)))

    def _decision(
        self, snapshot: Any, thread_id: str, approve: bool, note: str, on_event: OnEvent | None
    ) -> tuple[_Turn, Any]:
        from langgraph.types import Command

        if _pending(snapshot) is None:
            raise TeamError(f"thread {thread_id!r} has no handoff waiting for approval")
        seen = {m.id for m in snapshot.values.get("messages", [])}
        humans = _humans(snapshot.values)
        turn = _Turn(self, thread_id, snapshot.values, humans[-1:], seen=seen, on_event=on_event)
        return turn, Command(resume={"approve": approve, "note": note})

    def decide(
        self, thread_id: str, *, approve: bool, note: str = "", on_event: OnEvent | None = None
    ) -> RunResult:
        """Answer a pending approval and continue the turn (the result holds what follows).

        Raises:
            TeamError: The thread has no pending approval.
        """
        config = self.config(thread_id)
        turn, command = self._decision(
            self.graph.get_state(config), thread_id, approve, note, on_event
        )
        for _ in self._drive(turn, command, tokens=on_event is not None):
            pass
        return turn.finish(self._after(turn), turn.error)

    async def adecide(
        self, thread_id: str, *, approve: bool, note: str = "", on_event: OnEvent | None = None
    ) -> RunResult:
        """The async twin of ``decide``."""
        config = self.config(thread_id)
        snapshot = await self.graph.aget_state(config)
        turn, command = self._decision(snapshot, thread_id, approve, note, on_event)
        async for _ in self._adrive(turn, command, tokens=on_event is not None):
            pass
        return turn.finish(await self._aafter(turn), turn.error)

    def approve(
        self, thread_id: str, *, note: str = "", on_event: OnEvent | None = None
    ) -> RunResult:
        """Approve the pending handoff on a thread and continue."""
        return self.decide(thread_id, approve=True, note=note, on_event=on_event)

    def reject(
        self, thread_id: str, *, note: str = "", on_event: OnEvent | None = None
    ) -> RunResult:
        """Reject the pending handoff; the role goes on with the rejection in its context."""
        return self.decide(thread_id, approve=False, note=note, on_event=on_event)

    # Runs: a request and its follow-ups, start to end.

    def run(
        self,
        request: str,
        *,
        followups: list[str] | tuple[str, ...] = (),
        thread_id: str | None = None,
        on_event: OnEvent | None = None,
    ) -> RunResult:
        """Run a request and its follow-up turns on one thread; stop at the first turn that
        does not end ``done``.

        Example:
            >>> Engine(Team.load()).run("Write user stories for saved searches").visited
            ['pm']
        """
        validate_inputs(request, None)
        turns = [request, *followups]
        for index, text in enumerate(followups, start=1):
            if not isinstance(text, str) or not text.strip():
                raise TeamError(f"empty follow-up #{index}")
        thread_id = thread_id or default_thread(turns, self.repo)
        config = self.config(thread_id)
        snapshot = self.graph.get_state(config)
        payload = self._payload(request, queue=followups)
        turn = self._open(snapshot, thread_id, payload, on_event)
        turn.turns = turns
        for index, text in enumerate(turns):
            if index:
                payload = self._payload(text, queue=turns[index + 1 :])
            for _ in self._drive(turn, payload, tokens=False):
                pass
            snapshot = self._after(turn)
            if turn.error is not None or turn.outcome(snapshot, None)[0] != "done":
                break
        return turn.finish(snapshot, turn.error)

    def unfinished(self, thread_id: str) -> bool:
        """Whether a thread's run stopped before its end (an interrupt or a failed model call
        in a turn, or turns still queued), so that ``resume`` would continue it. A turn waiting
        for an approval is paused, not unfinished.
        """
        snapshot = self.graph.get_state(self.config(thread_id))
        if not snapshot.values or snapshot.interrupts:
            return False
        queued = snapshot.values.get("outcome") == "done" and snapshot.values.get("queue")
        return _unfinished(snapshot) or bool(queued)

    def resume(self, thread_id: str, *, on_event: OnEvent | None = None) -> RunResult:
        """Continue a saved run where it stopped: the interrupted turn, then its queued turns.

        The result covers the whole run, as if it had never stopped.

        Raises:
            TeamError: No such thread, or it waits for a handoff approval.
        """
        config = self.config(thread_id)
        snapshot = self.graph.get_state(config)
        if not snapshot.values:
            raise TeamError(f"no saved run with thread id {thread_id!r}")
        if snapshot.interrupts:
            raise TeamError(f"run {thread_id!r} waits for a handoff approval: approve or reject it")
        seen = {m.id for m in snapshot.values.get("messages", [])}
        humans = _humans(snapshot.values)
        queue = list(snapshot.values.get("queue", []))
        turn = _Turn(self, thread_id, {}, [*humans, *queue], seen=seen, on_event=on_event)
        if _unfinished(snapshot):
            for _ in self._drive(turn, None, tokens=False):
                pass
            snapshot = self._after(turn)
        while turn.error is None and queue and turn.outcome(snapshot, None)[0] == "done":
            text = queue.pop(0)
            for _ in self._drive(turn, self._payload(text, queue=queue), tokens=False):
                pass
            snapshot = self._after(turn)
        return turn.finish(snapshot, turn.error)


def _humans(values: dict[str, Any]) -> list[str]:
    return [message_text(m) for m in values.get("messages", []) if m.type == "human"]


def _unfinished(snapshot: Any) -> bool:
    """Whether a saved turn stopped before its end (an interrupted step or no outcome yet)."""
    return bool(snapshot.next) or not snapshot.values.get("outcome")


def _pending(snapshot: Any) -> dict[str, Any] | None:
    for item in snapshot.interrupts:
        return dict(item.value) if isinstance(item.value, dict) else {"value": item.value}
    return None


def run_team(
    team: Team,
    request: str,
    *,
    followups: list[str] | tuple[str, ...] = (),
    repo: str | Path | None = None,
    model: Any = "offline",
    thread_id: str | None = None,
    checkpointer: Any = None,
    on_event: OnEvent | None = None,
    graph: Any = None,
    tape: Any = None,
) -> RunResult:
    """Run a request (and follow-up turns) once: an ``Engine`` for one run.

    Example:
        >>> run_team(Team.load(), "Train a churn model and expose it through an API").visited
        ['ml_engineer', 'backend_architect']
    """
    validate_inputs(request, repo)
    engine = Engine(team, model=model, repo=repo, checkpointer=checkpointer, graph=graph, tape=tape)
    return engine.run(request, followups=followups, thread_id=thread_id, on_event=on_event)


def resume_run(
    team: Team,
    thread_id: str,
    checkpointer: Any,
    *,
    model: Any = None,
    on_event: OnEvent | None = None,
) -> RunResult:
    """Continue a saved run on its own repository (see ``Engine.resume``).

    Raises:
        TeamError: No such thread, or its repository is gone.
    """
    saved = checkpointer.get_tuple({"configurable": {"thread_id": thread_id}})
    if saved is None:
        raise TeamError(f"no saved run with thread id {thread_id!r}")
    repo = saved.checkpoint.get("channel_values", {}).get("repo") or None
    if repo and not Path(repo).is_dir():
        raise TeamError("the run's repository is gone", path=repo)
    engine = Engine(team, model=model or "offline", repo=repo, checkpointer=checkpointer)
    return engine.resume(thread_id, on_event=on_event)
