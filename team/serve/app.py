"""The FastAPI app: an OpenAI-compatible chat API whose model is the team.

One turn per request, on the thread the request maps to (``protocol.thread_id_for``). Turns run
as tasks that finish and checkpoint even when a streaming client goes away; turns on one thread
run one at a time.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import time
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from team.run import Event
from team.serve.protocol import (
    TEAM_MODEL,
    Answer,
    ApiError,
    TurnSummary,
    approval_command,
    chunk,
    completion_body,
    completion_id,
    parse_chat_request,
    pending_notice,
    thread_id_for,
)
from team.serve.store import open_checkpointer

if TYPE_CHECKING:
    from team.topology import Team

__all__ = ["create_app"]

log = logging.getLogger("team.serve")
_STARTED = int(time.time())


def pinned(team: Team, role: str) -> Team:
    """The team with triage pinned to ``role``: every turn starts there, handoffs as usual."""
    triage = team.topology.triage.model_copy(
        update={"roles": (role,), "fallback": role, "min_score": 0.0}
    )
    # Same cards and edges; only the entry changed, so the team's validation still holds.
    return replace(team, topology=team.topology.model_copy(update={"triage": triage}))


class Server:
    """What the routes share: the teams by model id, the checkpointer, per-thread locks."""

    def __init__(self, team: Team, model: Any, checkpointer: Any) -> None:
        self.team, self.model, self.checkpointer = team, model, checkpointer
        self.models = [TEAM_MODEL, *(f"{TEAM_MODEL}/{role}" for role in team.roles)]
        self._teams: dict[str, Team] = {TEAM_MODEL: team}
        self._state_graph = team.compile(model=model, checkpointer=checkpointer)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.turns: set[asyncio.Task[None]] = set()

    def team_for(self, model_id: str) -> Team:
        if model_id not in self.models:
            raise ApiError(
                404,
                f"The model '{model_id}' does not exist: use one of {', '.join(self.models)}",
                param="model",
                code="model_not_found",
            )
        if model_id not in self._teams:
            self._teams[model_id] = pinned(self.team, model_id.split("/", 1)[1])
        return self._teams[model_id]

    def lock(self, thread_id: str) -> asyncio.Lock:
        lock = self._locks.get(thread_id)
        if lock is None:
            lock = self._locks[thread_id] = asyncio.Lock()
        return lock

    async def pending(self, thread_id: str) -> dict[str, Any] | None:
        snapshot = await self._state_graph.aget_state({"configurable": {"thread_id": thread_id}})
        for item in snapshot.interrupts:
            return dict(item.value) if isinstance(item.value, dict) else {"value": item.value}
        return None

    async def _events(
        self, team: Team, text: str, thread_id: str, tokens: bool
    ) -> AsyncIterator[Event]:
        options = {"model": self.model, "checkpointer": self.checkpointer}
        command = approval_command(text)
        if command is None:
            async for event in team.astream(text, thread_id=thread_id, tokens=tokens, **options):
                yield event
            return
        approve, note = command
        config = {"configurable": {"thread_id": thread_id}}
        shown = Counter(_turn_texts(await self._state_graph.aget_state(config, subgraphs=True)))
        # Team.approve/reject are synchronous; the async savers serve worker threads.
        decide = team.approve if approve else team.reject
        reply = await asyncio.to_thread(decide, thread_id, note=note, **options)
        for event in reply.events:
            if event.kind == "deliverable" and shown[event.role, event.text] > 0:
                shown[event.role, event.text] -= 1  # the paused turn already showed it
                continue
            yield event
        data: dict[str, Any] = {"outcome": reply.outcome}
        if reply.pending is not None:
            data["pending"] = reply.pending
        yield Event("done", reply.role, reply.note, data)

    async def start_turn(
        self, team: Team, text: str, thread_id: str, *, tokens: bool
    ) -> asyncio.Queue[Any]:
        """Check the thread can take ``text``, then run the turn; its events arrive on a queue
        (then ``None``, or the exception that ended it). ``tokens``: stream the model's tokens
        (else each message arrives whole, as a deliverable)."""
        lock = self.lock(thread_id)
        await lock.acquire()
        try:
            pending = await self.pending(thread_id)
            is_command = approval_command(text) is not None
            if is_command and pending is None:
                raise ApiError(
                    409,
                    f"thread '{thread_id}' has no handoff waiting for approval",
                    param="messages",
                    code="no_pending_approval",
                )
            if pending is not None and not is_command:
                raise ApiError(
                    409,
                    f"thread '{thread_id}' is paused. {pending_notice(pending)}",
                    param="messages",
                    code="approval_pending",
                )
        except BaseException:
            lock.release()
            raise
        queue: asyncio.Queue[Any] = asyncio.Queue()

        async def run() -> None:
            try:
                async for event in self._events(team, text, thread_id, tokens):
                    queue.put_nowait(event)
                queue.put_nowait(None)
            except Exception as exc:
                log.exception("turn failed on thread %s", thread_id)
                queue.put_nowait(exc)
            finally:
                lock.release()

        task = asyncio.create_task(run())
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)
        return queue


def _turn_texts(snapshot: Any) -> Iterator[tuple[str, str]]:
    """(role, text) of what the roles wrote this turn so far, subgraphs included: a resumed
    turn replays those messages."""
    from langchain_core.messages import AIMessage, HumanMessage

    from team.runtime import message_text

    messages = snapshot.values.get("messages", []) if isinstance(snapshot.values, dict) else []
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    for message in messages[start + 1 :]:
        if isinstance(message, AIMessage) and (text := message_text(message).strip()):
            yield message.name or "?", text
    for task in snapshot.tasks:
        if task.state is not None and hasattr(task.state, "values"):
            yield from _turn_texts(task.state)


async def _drain(queue: asyncio.Queue[Any]) -> AsyncIterator[Event]:
    while (item := await queue.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item


def _error(exc: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


def create_app(
    team: Team | None = None,
    *,
    model: Any = "offline",
    checkpoint: str | None = None,
    checkpointer: Any = None,
    token: str | None = None,
) -> FastAPI:
    """The OpenAI-compatible app serving ``team``.

    Args:
        team: The team (default ``Team.load()``).
        model: The chat model the roles run on (``offline``, ``provider:model``, ...).
        checkpoint: Where threads persist when no ``checkpointer`` is given (see
            ``team.serve.store``; default ``TEAM_HOME/threads.sqlite``), opened at start-up.
        checkpointer: An async LangGraph checkpointer already open in the serving loop.
        token: The bearer token clients must send (default ``TEAM_API_TOKEN``; none: no auth).

    Example:
        >>> import uvicorn  # doctest: +SKIP
        >>> uvicorn.run(create_app(Team.load(), checkpoint="memory"), port=8000)  # doctest: +SKIP
    """
    if team is None:
        from team.topology import Team

        team = Team.load()
    token = token or os.environ.get("TEAM_API_TOKEN") or None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _checkpointer(checkpoint, checkpointer) as saver:
            server = app.state.server = Server(team, model, saver)
            yield
            if server.turns:  # let running turns checkpoint before the store closes
                await asyncio.wait(server.turns, timeout=30)

    app = FastAPI(title="teamgraph", docs_url=None, redoc_url=None, lifespan=lifespan)

    async def authenticate(request: Request) -> None:
        if token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            raise ApiError(
                401,
                "Missing or incorrect API key: send 'Authorization: Bearer <TEAM_API_TOKEN>'",
                code="invalid_api_key",
            )

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authenticate)])

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc, {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = f"{exc.detail}: {request.method} {request.url.path}"
        code = "unknown_url" if exc.status_code == 404 else None
        return _error(ApiError(exc.status_code, message, code=code))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed: %s %s", request.method, request.url.path)
        return _error(ApiError(500, "the server failed to answer", type="server_error"))

    def model_card(model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": _STARTED, "owned_by": TEAM_MODEL}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @v1.get("/models")
    async def list_models(request: Request) -> dict[str, Any]:
        server: Server = request.app.state.server
        return {"object": "list", "data": [model_card(m) for m in server.models]}

    @v1.get("/models/{model_id:path}")
    async def get_model(model_id: str, request: Request) -> dict[str, Any]:
        request.app.state.server.team_for(model_id)
        return model_card(model_id)

    @v1.post("/chat/completions")
    async def chat_completions(request: Request) -> Response:
        server: Server = request.app.state.server
        body = parse_chat_request(await request.body())
        team_ = server.team_for(body.model)
        thread_id = thread_id_for(body, request.headers.get("x-thread-id"))
        queue = await server.start_turn(team_, body.text, thread_id, tokens=body.stream)
        headers = {"X-Thread-Id": thread_id}
        cid, answer, summary = completion_id(), Answer(), TurnSummary(thread_id)
        if not body.stream:
            async for event in _drain(queue):
                answer.feed(event)
                summary.feed(event)
            answer.notice(summary.notice())
            return JSONResponse(
                completion_body(cid, body.model, answer.text, summary), headers=headers
            )

        async def sse() -> AsyncIterator[str]:
            yield chunk(cid, body.model, {"role": "assistant", "content": ""})
            try:
                async for event in _drain(queue):
                    summary.feed(event)
                    if text := answer.feed(event):
                        yield chunk(cid, body.model, {"content": text})
                    elif event.kind == "handoff":
                        yield chunk(
                            cid, body.model, {}, teamgraph={"event": "handoff", **event.data}
                        )
            except Exception:
                failure = ApiError(500, "the turn failed on the server", type="server_error")
                yield f"data: {json.dumps(failure.body())}\n\n"
                yield "data: [DONE]\n\n"
                return
            if text := answer.notice(summary.notice()):
                yield chunk(cid, body.model, {"content": text})
            yield chunk(cid, body.model, {}, finish="stop", teamgraph=summary.to_dict())
            if body.include_usage:
                yield chunk(cid, body.model, None, usage=dict(summary.usage))
            yield "data: [DONE]\n\n"

        return StreamingResponse(
            sse(),
            media_type="text/event-stream",
            headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    app.include_router(v1)

    # -- the HTML report of a thread (team.report), behind the same token ----------------------
    @app.get("/threads/{thread_id}", dependencies=[Depends(authenticate)])
    async def thread_report(thread_id: str, request: Request) -> Response:
        from fastapi.responses import HTMLResponse

        from team.report.thread import thread_page

        server: Server = request.app.state.server
        page = await thread_page(server._state_graph, server.team, thread_id)
        if page is None:
            raise ApiError(404, f"no thread '{thread_id}'", code="thread_not_found")
        return HTMLResponse(page)

    return app


@asynccontextmanager
async def _checkpointer(checkpoint: str | None, checkpointer: Any) -> AsyncIterator[Any]:
    if checkpointer is not None:
        yield checkpointer
    else:
        async with open_checkpointer(checkpoint) as saver:
            yield saver
