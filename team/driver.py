"""Driving a compiled team graph one user turn at a time, as a stream of typed events.

One class serves ``team run``, ``Team.chat``/``Team.stream`` and their async twins: it streams
the graph (``updates`` for what happened, ``messages`` for tokens), turns state updates into
``Event``s in order, and works out how the turn ended: ``done``, ``loop``, ``limit``,
``error`` (a model failure; the thread stays checkpointed), or ``pending`` (a handoff waits for
human approval).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from team.run import Event, events_from_message

__all__ = ["Driver"]


class Driver:
    """Streams a graph turn by turn.

    Args:
        graph: A graph compiled by ``build_graph`` (with a checkpointer).
        config: The LangGraph config: ``thread_id`` and ``recursion_limit``.
        on_event: Called with every event as it happens.
    """

    def __init__(
        self, graph: Any, config: dict[str, Any], on_event: Callable[[Event], None] | None = None
    ):
        self.graph, self.config, self.on_event = graph, config, on_event
        self.events: list[Event] = []
        self.seen: set[str] = set()
        self.roles: list[str] = []
        self.outcome, self.note = "done", ""
        self.pending: dict[str, Any] | None = None

    @property
    def thread_id(self) -> str:
        return self.config["configurable"]["thread_id"]

    def _emit(self, event: Event) -> Event:
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def _from_update(self, node: str, update: dict[str, Any]) -> Iterator[Event]:
        if node == "triage":
            yield Event(
                "triage", update["active"], update.get("note", ""), {"turn": update["turn"]}
            )
        for message in update.get("messages", []) or []:
            if message.id not in self.seen:
                self.seen.add(message.id)
                yield from events_from_message(message, self.roles)
        for message_id, record in (update.get("usage") or {}).items():
            key = f"usage:{message_id}"
            if message_id in self.seen and key not in self.seen:
                self.seen.add(key)
                yield Event("usage", record["role"], data=dict(record))
        for record in update.get("handoffs", []) or []:
            yield Event("handoff", record["source"], record["reason"], dict(record))
            self.roles.append(record["target"])
            yield Event("role", record["target"])

    def _from_chunk(self, namespace: tuple[str, ...], mode: str, chunk: Any) -> Iterator[Event]:
        if mode == "messages":
            message, _ = chunk
            content = message.content
            text = (
                content
                if isinstance(content, str)
                else "".join(
                    b.get("text", "")
                    for b in content
                    if isinstance(b, dict) and b.get("type") == "text"
                )
            )
            if text and message.type == "AIMessageChunk" and namespace:
                yield Event("token", namespace[0].split(":")[0], text)
            return
        for node, update in chunk.items():
            if isinstance(update, dict):
                yield from self._from_update(node, update)

    def _modes(self, tokens: bool) -> list[str]:
        return ["updates", "messages"] if tokens else ["updates"]

    def _finish(self, error: BaseException | None) -> None:
        snapshot = None if error is not None else self.graph.get_state(self.config, subgraphs=True)
        self._finish_from(snapshot, error)

    def iter_turn(self, payload: Any, *, tokens: bool = False) -> Iterator[Event]:
        """Run one turn and yield its events (``payload`` None continues a stopped turn)."""
        from langgraph.errors import GraphRecursionError

        from team.agent import ModelError

        self.roles.clear()
        error: BaseException | None = None
        try:
            for namespace, mode, chunk in self.graph.stream(
                payload, self.config, stream_mode=self._modes(tokens), subgraphs=True
            ):
                for event in self._from_chunk(namespace, mode, chunk):
                    yield self._emit(event)
        except (GraphRecursionError, ModelError) as exc:
            error = exc
        self._finish(error)

    async def aiter_turn(self, payload: Any, *, tokens: bool = False) -> AsyncIterator[Event]:
        """The async twin of ``iter_turn``."""
        from langgraph.errors import GraphRecursionError

        from team.agent import ModelError

        self.roles.clear()
        error: BaseException | None = None
        try:
            async for namespace, mode, chunk in self.graph.astream(
                payload, self.config, stream_mode=self._modes(tokens), subgraphs=True
            ):
                for event in self._from_chunk(namespace, mode, chunk):
                    yield self._emit(event)
        except (GraphRecursionError, ModelError) as exc:
            error = exc
        snapshot = (
            None if error is not None else await self.graph.aget_state(self.config, subgraphs=True)
        )
        self._finish_from(snapshot, error)

    def _finish_from(self, snapshot: Any, error: BaseException | None) -> None:
        from langgraph.errors import GraphRecursionError

        self.pending = None
        if isinstance(error, GraphRecursionError):
            self.outcome = "limit"
            self.note = f"recursion limit of {self.config['recursion_limit']} steps reached"
        elif error is not None:
            self.outcome = "error"
            self.note = f"{error} (the run is checkpointed: team run --resume {self.thread_id})"
        elif interrupts := _interrupts(snapshot):
            self.outcome, self.pending = "pending", interrupts[0]
            self.note = f"waiting for approval: {self.pending.get('source')} -> {self.pending.get('target')}"
        else:
            self.outcome = snapshot.values.get("outcome") or "done"
            self.note = snapshot.values.get("note", "")

    def turn(self, payload: Any) -> tuple[str, str]:
        """Run one turn to its end; return its outcome and note."""
        for _ in self.iter_turn(payload):
            pass
        return self.outcome, self.note

    def done_event(self) -> Event:
        """The closing event of a run (its outcome and note)."""
        return self._done(self.graph.get_state(self.config).values)

    async def adone_event(self) -> Event:
        """The async twin of ``done_event``."""
        return self._done((await self.graph.aget_state(self.config)).values)

    def _done(self, state: dict[str, Any]) -> Event:
        data: dict[str, Any] = {"outcome": self.outcome}
        if self.pending is not None:
            data["pending"] = self.pending
        return self._emit(Event("done", state.get("active") or "", self.note, data))


def _interrupts(snapshot: Any) -> list[dict[str, Any]]:
    """Pending interrupt payloads of a state snapshot, subgraphs included."""
    found: list[dict[str, Any]] = []
    for task in getattr(snapshot, "tasks", ()) or ():
        for item in getattr(task, "interrupts", ()) or ():
            value = getattr(item, "value", item)
            found.append(dict(value) if isinstance(value, dict) else {"value": value})
        state = getattr(task, "state", None)
        if state is not None and hasattr(state, "tasks"):
            found += [f for f in _interrupts(state) if f not in found]
    return found
