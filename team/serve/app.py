"""The FastAPI app: an OpenAI-compatible chat API whose model is the team.

One turn per request, on the thread the request maps to (``protocol.thread_id_for``). Turns run
as tasks that finish and checkpoint even when a streaming client goes away; turns on one thread
run one at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from team.engine import Engine, validate_repo
from team.errors import TeamError
from team.events import Event
from team.serve.guard import BearerGuard, BodyLimits, ClientGone, api_token, read_body
from team.serve.protocol import (
    TEAM_MODEL,
    Answer,
    ApiError,
    ChatRequest,
    TurnSummary,
    approval_command,
    chunk,
    completion_body,
    completion_id,
    parse_chat_request,
    pending_notice,
    speaker_of,
    thread_id_for,
)
from team.serve.store import open_checkpointer
from team.serve.tasks import ui_task_reply

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
    """What the routes share: an engine per model id, the checkpointer, per-thread locks.

    Turns with a thread id run on the persistent checkpointer; turns without one (the client
    holds the conversation) run on an in-memory one and leave nothing behind unless a handoff
    waits for approval.
    """

    def __init__(self, team: Team, model: Any, checkpointer: Any, repo: Any = None) -> None:
        from langgraph.checkpoint.memory import InMemorySaver

        self.team, self.model, self.repo = team, model, repo
        self.models = [TEAM_MODEL, *(f"{TEAM_MODEL}/{role}" for role in team.roles)]
        self.names = {role: card.name for role, card in team.cards.items()}
        self._savers = {"thread": checkpointer, "stateless": InMemorySaver()}
        self._engines: dict[tuple[str, str], Engine] = {}
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.turns: set[asyncio.Task[None]] = set()

    def engine(self, model_id: str, store: str = "thread") -> Engine:
        """The engine serving ``model_id``, on the thread store or the stateless one."""
        if model_id not in self.models:
            raise ApiError(
                404,
                f"The model '{model_id}' does not exist: use one of {', '.join(self.models)}",
                param="model",
                code="model_not_found",
            )
        key = (model_id, store)
        if key not in self._engines:
            team = (
                self.team
                if model_id == TEAM_MODEL
                else pinned(self.team, model_id.split("/", 1)[1])
            )
            self._engines[key] = Engine(
                team, model=self.model, repo=self.repo, checkpointer=self._savers[store]
            )
        return self._engines[key]

    def lock(self, thread_id: str) -> asyncio.Lock:
        lock = self._locks.get(thread_id)
        if lock is None:
            lock = self._locks[thread_id] = asyncio.Lock()
        return lock

    def seed(self, body: ChatRequest) -> dict[str, Any]:
        """A stateless turn's history as LangChain messages, and the role that spoke last."""
        from langchain_core.messages import AIMessage, HumanMessage

        history: list[Any] = []
        active = None
        for role, text, name in body.history:
            if role == "user":
                history.append(HumanMessage(content=text, id=f"h-{uuid.uuid4().hex}"))
            else:
                speaker = speaker_of(text, name, self.names)
                active = speaker or active
                history.append(AIMessage(content=text, name=speaker, id=f"h-{uuid.uuid4().hex}"))
        return {"history": history, "active": active}

    async def start_turn(
        self, body: ChatRequest, thread_id: str | None, *, tokens: bool
    ) -> tuple[str, asyncio.Queue[Any]]:
        """Check the thread can take the message, then run the turn; its events arrive on a
        queue (then ``None``, or the exception that ended it). ``tokens``: stream the model's
        tokens (else each message arrives whole, as a deliverable)."""
        stateless = thread_id is None
        engine = self.engine(body.model, "stateless" if stateless else "thread")
        thread_id = thread_id or f"stateless-{uuid.uuid4().hex}"
        command = approval_command(body.text)
        lock = self.lock(thread_id)
        await lock.acquire()
        try:
            pending = await engine.apending(thread_id)
            if command is not None and pending is None:
                raise ApiError(
                    409,
                    f"thread '{thread_id}' has no handoff waiting for approval",
                    param="messages",
                    code="no_pending_approval",
                )
            if pending is not None and command is None:
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
                if command is not None:
                    approve, note = command
                    await engine.adecide(
                        thread_id, approve=approve, note=note, on_event=queue.put_nowait
                    )
                else:
                    seed = self.seed(body) if stateless else {}
                    async for event in engine.astream(
                        body.text, thread_id=thread_id, tokens=tokens, **seed
                    ):
                        queue.put_nowait(event)
                queue.put_nowait(None)
            except Exception as exc:
                log.exception("turn failed on thread %s", thread_id)
                queue.put_nowait(exc)
            finally:
                lock.release()
                if stateless and await engine.apending(thread_id) is None:
                    await engine.graph.checkpointer.adelete_thread(thread_id)

        task = asyncio.create_task(run())
        self.turns.add(task)
        task.add_done_callback(self.turns.discard)
        return thread_id, queue


async def _drain(queue: asyncio.Queue[Any]) -> AsyncIterator[Event]:
    while (item := await queue.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item


def _error(exc: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


def _unauthorized() -> JSONResponse:
    refused = ApiError(
        401,
        "Missing or incorrect API key: send 'Authorization: Bearer <TEAM_API_TOKEN>'",
        code="invalid_api_key",
    )
    return _error(refused, {"WWW-Authenticate": "Bearer"})


def create_app(
    team: Team | None = None,
    *,
    model: Any = "offline",
    checkpoint: str | None = None,
    checkpointer: Any = None,
    token: str | None = None,
    repo: str | None = None,
    cors: tuple[str, ...] = (),
    limits: BodyLimits | None = None,
) -> FastAPI:
    """The OpenAI-compatible app serving ``team``.

    Args:
        team: The team (default ``Team.load()``).
        model: The chat model the roles run on (``offline``, ``provider:model``, ...).
        checkpoint: Where threads persist when no ``checkpointer`` is given (see
            ``team.serve.store``; default ``TEAM_HOME/threads.sqlite``), opened at start-up.
        checkpointer: An async LangGraph checkpointer already open in the serving loop.
        token: The bearer token clients must send (default ``TEAM_API_TOKEN``; none: no auth).
        repo: A repository the roles inspect with their read-only tools.
        cors: Browser origins allowed to call the API from another origin (none by default).
        limits: How large and how slow a request body may be (default ``BodyLimits()``).

    Example (serves until interrupted)::

        import uvicorn
        uvicorn.run(create_app(Team.load(), checkpoint="memory"), port=8000)
    """
    if team is None:
        from team.topology import Team

        team = Team.load()
    token = token or api_token()
    if token is not None and not token.strip():
        raise TeamError("the API token is blank (only whitespace): give a real token or none")
    limits = limits or BodyLimits()
    root = validate_repo(repo)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _checkpointer(checkpoint, checkpointer) as saver:
            server = app.state.server = Server(team, model, saver, root)
            yield
            if server.turns:  # let running turns checkpoint before the store closes
                await asyncio.wait(server.turns, timeout=30)

    # The schema is served behind the token like every route; there are no docs pages.
    app = FastAPI(title="teamgraph", docs_url=None, redoc_url=None, lifespan=lifespan)
    if token is not None:
        app.add_middleware(BearerGuard, token=token, unauthorized=_unauthorized)
    if cors:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Thread-Id"],
            expose_headers=["X-Thread-Id"],
        )

    app.state.limits = limits
    for kind, handler in _ERROR_HANDLERS.items():
        app.add_exception_handler(kind, handler)
    app.include_router(routes)
    return app


# -- errors, as OpenAI-style bodies -----------------------------------------------------------------


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    # A body refused before it was read in full: close the connection, do not drain it.
    closing = {"Connection": "close"} if exc.status in (408, 413) else None
    return _error(exc, closing)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = f"{exc.detail}: {request.method} {request.url.path}"
    code = "unknown_url" if exc.status_code == 404 else None
    return _error(ApiError(exc.status_code, message, code=code))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("request failed: %s %s", request.method, request.url.path)
    return _error(ApiError(500, "the server failed to answer", type="server_error"))


_ERROR_HANDLERS: dict[type[Exception], Any] = {
    ApiError: _api_error,
    StarletteHTTPException: _http_error,
    Exception: _server_error,
}

# -- routes ------------------------------------------------------------------------------------

routes = APIRouter()


def _model_card(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": _STARTED, "owned_by": TEAM_MODEL}


@routes.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@routes.get("/v1/models")
async def list_models(request: Request) -> dict[str, Any]:
    server: Server = request.app.state.server
    return {"object": "list", "data": [_model_card(m) for m in server.models]}


@routes.get("/v1/models/{model_id:path}")
async def get_model(model_id: str, request: Request) -> dict[str, Any]:
    request.app.state.server.engine(model_id)
    return _model_card(model_id)


@routes.post("/v1/chat/completions")
async def chat_completions(request: Request) -> Response:
    server: Server = request.app.state.server
    limits: BodyLimits = request.app.state.limits
    try:
        raw = await read_body(request, limits)
    except ClientGone:
        return Response(status_code=400)  # nobody is there to read it
    body = parse_chat_request(raw, max_message_chars=limits.max_message_chars)
    server.engine(body.model)  # an unknown model is a 404 before anything runs
    cid = completion_id()
    if (reply := ui_task_reply(body.text)) is not None:  # a chat UI's background task
        if not body.stream:
            return JSONResponse(completion_body(cid, body.model, reply, None))
        lines = [chunk(cid, body.model, {"role": "assistant", "content": reply})]
        lines += [chunk(cid, body.model, {}, finish="stop"), "data: [DONE]\n\n"]
        return StreamingResponse(iter(lines), media_type="text/event-stream")
    asked = thread_id_for(body, request.headers.get("x-thread-id"))
    thread_id, queue = await server.start_turn(body, asked, tokens=body.stream)
    headers = {"X-Thread-Id": thread_id} if asked else {}
    answer, summary = Answer(server.names), TurnSummary(thread_id, stateless=asked is None)
    if not body.stream:
        async for event in _drain(queue):
            answer.feed(event)
            summary.feed(event)
        answer.notice(summary.notice())
        return JSONResponse(completion_body(cid, body.model, answer.text, summary), headers=headers)
    return StreamingResponse(
        _sse(queue, body, cid, answer, summary),
        media_type="text/event-stream",
        headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _sse(
    queue: asyncio.Queue[Any], body: ChatRequest, cid: str, answer: Answer, summary: TurnSummary
) -> AsyncIterator[str]:
    """A turn as OpenAI chunks: tokens as they come, handoffs as ``teamgraph`` events."""
    yield chunk(cid, body.model, {"role": "assistant", "content": ""})
    try:
        async for event in _drain(queue):
            summary.feed(event)
            if text := answer.feed(event):
                yield chunk(cid, body.model, {"content": text})
            elif event.kind == "handoff":
                yield chunk(cid, body.model, {}, teamgraph={"event": "handoff", **event.data})
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


@routes.get("/threads/{thread_id}")
async def thread_report(thread_id: str, request: Request) -> Response:
    """The HTML report of a thread (``team.report``), behind the same token as the API."""
    from fastapi.responses import HTMLResponse

    from team.report.thread import thread_page

    server: Server = request.app.state.server
    page = await thread_page(server.engine(TEAM_MODEL).graph, server.team, thread_id)
    if page is None:
        raise ApiError(404, f"no thread '{thread_id}'", code="thread_not_found")
    return HTMLResponse(page)


@asynccontextmanager
async def _checkpointer(checkpoint: str | None, checkpointer: Any) -> AsyncIterator[Any]:
    if checkpointer is not None:
        yield checkpointer
    else:
        async with open_checkpointer(checkpoint) as saver:
            yield saver
