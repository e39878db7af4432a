"""``team mcp``: the team as an MCP server, on the official SDK's FastMCP, over stdio or HTTP.

Tools:

- ``ask``: one user turn (a request, an optional repository path and thread id). The reply holds
  who spoke and what they wrote, the handoffs with criterion and reason, and the outcome. While
  the team works, a progress notification per event (triage, a role taking over, a tool call, a
  handoff). Cancelling the request ends the run; the thread keeps its checkpoint.
- ``route``: the triage decision for a request, or whom a role would hand it to, and why.
- ``review``: a role's findings for a path (today the ML Engineer's review).
- ``approve`` / ``reject``: answer a handoff waiting for approval and continue the turn.

Resources: ``team://cards/<role>`` (each persona card), ``team://graph`` (Mermaid) and
``team://threads/{thread_id}`` (a conversation's transcript).

``team.mcp.serving`` runs it over stdio or HTTP, with conversations where ``team serve`` and
``team chat`` keep them (``team.serve.store``).
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from mcp.server.fastmcp import Context, FastMCP
from mcp.types import CallToolResult, TextContent

from team.engine import Engine, validate_inputs
from team.errors import TeamError
from team.events import Event
from team.mcp.replies import progress_message, transcript, turn_reply, turn_text
from team.topology import Team

__all__ = ["REVIEWS", "create_server", "review_findings", "route_decision"]

REVIEWS = ("ml_engineer",)
"""Roles whose review the ``review`` tool offers."""

INSTRUCTIONS = (
    "A software team of role agents (ML, data, backend, DevOps, performance, system architecture, "
    "PM). Call ask with a request; pass the returned thread_id to continue the conversation. "
    "Handoffs between roles come back with their criterion and reason."
)


class _Shared:
    """What the tools share: an engine per repository, the checkpointer, a lock per thread."""

    def __init__(self, team: Team, model: Any, checkpointer: Any) -> None:
        self.team, self.model, self.checkpointer = team, model, checkpointer
        self.names = {role: card.name for role, card in team.cards.items()}
        self._engines: dict[str, Engine] = {}
        self.graph = self.engine(None).graph
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def engine(self, repo: Any) -> Engine:
        """The engine whose roles inspect ``repo`` (compiled once per repository)."""
        key = str(repo or "")
        if key not in self._engines:
            self._engines[key] = Engine(
                self.team, model=self.model, repo=repo or None, checkpointer=self.checkpointer
            )
        return self._engines[key]

    def lock(self, thread_id: str) -> asyncio.Lock:
        lock = self._locks.get(thread_id)
        if lock is None:
            lock = self._locks[thread_id] = asyncio.Lock()
        return lock

    async def state(self, thread_id: str) -> Any:
        return await self.graph.aget_state({"configurable": {"thread_id": thread_id}})

    async def pending(self, thread_id: str) -> dict[str, Any] | None:
        for item in (await self.state(thread_id)).interrupts:
            return dict(item.value) if isinstance(item.value, dict) else {"value": item.value}
        return None


class _Progress:
    """Sends one progress notification per event worth telling (when the client asked)."""

    def __init__(self, ctx: Context | None, names: dict[str, str]) -> None:
        self.ctx, self.names, self.count = ctx, names, 0

    async def __call__(self, event: Event) -> None:
        message = progress_message(event, self.names)
        if message is None or self.ctx is None:
            return
        self.count += 1
        await self.ctx.report_progress(self.count, None, message)


def _result(reply: dict[str, Any]) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=turn_text(reply))], structuredContent=reply
    )


def create_server(
    team: Team | None = None,
    *,
    model: Any = "offline",
    checkpointer: Any = None,
    host: str = "127.0.0.1",
    port: int = 8765,
) -> FastMCP:
    """The team as a FastMCP server (run it with ``run_stdio_async`` or ``streamable_http_app``).

    Args:
        team: The team (default ``Team.load()``).
        model: The chat model the roles run on (``offline``, ``provider:model``, a chat model).
        checkpointer: A LangGraph checkpointer open in the serving loop (default: in memory).
        host: The interface HTTP serving listens on (loopback enables DNS-rebinding checks).
        port: The HTTP port.

    Example:
        >>> server = create_server(Team.load())
        >>> server.name
        'teamgraph'

        ``anyio.run(server.run_stdio_async)`` then serves it over stdio.
    """
    if team is None:
        team = Team.load()
    if checkpointer is None:
        from langgraph.checkpoint.memory import InMemorySaver

        checkpointer = InMemorySaver()
    shared = _Shared(team, model, checkpointer)
    server = FastMCP("teamgraph", INSTRUCTIONS, host=host, port=port, log_level="WARNING")

    @server.tool()
    async def ask(
        request: str,
        repo: str | None = None,
        thread_id: str | None = None,
        ctx: Context | None = None,
    ) -> CallToolResult:
        """Ask the team: one user turn. Returns who spoke and what they wrote, each handoff with
        its criterion and reason, the outcome, and the thread_id to continue the conversation.

        Args:
            request: What you want done.
            repo: A repository folder the roles may inspect (read-only).
            thread_id: Continue this conversation (default: a new one).
        """
        root = validate_inputs(request, repo)
        thread = thread_id or f"mcp-{uuid.uuid4().hex[:12]}"
        report = _Progress(ctx, shared.names)
        async with shared.lock(thread):
            pending = await shared.pending(thread)
            if pending is not None:
                raise TeamError(
                    f"thread {thread!r} waits for approval of {pending.get('source')} -> "
                    f"{pending.get('target')}: call approve or reject first"
                )
            events = []
            stream = shared.engine(root).astream(request, thread_id=thread, tokens=False)
            async for event in stream:
                events.append(event)
                await report(event)
        return _result(turn_reply(thread, events, shared.names))

    async def decide(
        thread_id: str, note: str, approve: bool, ctx: Context | None
    ) -> CallToolResult:
        report = _Progress(ctx, shared.names)
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        async with shared.lock(thread_id):
            repo = (await shared.state(thread_id)).values.get("repo") or None
            work = asyncio.ensure_future(
                shared.engine(repo).adecide(
                    thread_id, approve=approve, note=note, on_event=queue.put_nowait
                )
            )
            work.add_done_callback(lambda _: queue.put_nowait(None))
            while (event := await queue.get()) is not None:
                await report(event)
            reply = await work
        return _result(turn_reply(thread_id, reply.events, shared.names))

    @server.tool()
    async def approve(thread_id: str, note: str = "", ctx: Context | None = None) -> CallToolResult:
        """Approve the handoff waiting on a thread; the turn continues and its reply comes back.

        Args:
            thread_id: The thread whose handoff waits for approval.
            note: A note for the role taking over.
        """
        return await decide(thread_id, note, True, ctx)

    @server.tool()
    async def reject(thread_id: str, note: str = "", ctx: Context | None = None) -> CallToolResult:
        """Reject the handoff waiting on a thread; the role hears why and goes on another way.

        Args:
            thread_id: The thread whose handoff waits for approval.
            note: Why the handoff is rejected.
        """
        return await decide(thread_id, note, False, ctx)

    @server.tool()
    def route(request: str, from_role: str | None = None) -> dict[str, Any]:
        """Which role triage picks for a request, or whom from_role would hand it to, and why.

        Args:
            request: A request.
            from_role: The role holding the work (default: triage picks the first role).
        """
        return route_decision(team, request, from_role)

    @server.tool()
    async def review(path: str, role: str = "ml_engineer") -> dict[str, Any]:
        """A role's static review of a repository or file: findings as path:line, rule, message.

        Args:
            path: A repository folder or one file.
            role: Whose review (today: ml_engineer).
        """
        return await anyio.to_thread.run_sync(review_findings, path, role)

    _resources(server, team, shared)
    return server


def _resources(server: FastMCP, team: Team, shared: _Shared) -> None:
    def card_text(role: str) -> Callable[[], str]:
        return lambda: team.cards[role].text

    for role, card in team.cards.items():
        server.resource(
            f"team://cards/{role}",
            name=role,
            title=f"{card.name} persona card",
            mime_type="text/markdown",
        )(card_text(role))

    @server.resource("team://graph", name="graph", mime_type="text/vnd.mermaid")
    def graph() -> str:
        """The team graph: triage, roles and handoff edges, as a Mermaid flowchart."""
        return team.to_mermaid()

    @server.resource("team://threads/{thread_id}", name="thread", mime_type="text/markdown")
    async def thread(thread_id: str) -> str:
        """A conversation's transcript: user turns, what each role wrote, the handoffs."""
        values = (await shared.state(thread_id)).values
        if not values:
            raise TeamError(f"no thread {thread_id!r}")
        return transcript(values.get("messages", []), shared.names)


def route_decision(team: Team, request: str, from_role: str | None = None) -> dict[str, Any]:
    """The routing decision for ``request`` with an ``explanation`` line.

    Raises:
        TeamError: An empty request or an unknown role.

    Example:
        >>> route_decision(Team.load(), "Our nightly Airflow DAG keeps failing")["agent"]
        'data_engineer'
    """
    from team.evaluate.routing_set import decide
    from team.routing import router_for

    if not request.strip():
        raise TeamError("empty request: give the team something to route")
    if from_role is not None and from_role not in team.cards:
        raise TeamError(f"unknown role {from_role!r}; roles: {', '.join(team.roles)}")
    settings = team.topology.triage
    router = router_for(team.cards, fallback=settings.fallback, min_score=settings.min_score)
    found = decide(router, request, from_role).to_dict()
    if from_role is None:
        why = f"triage picks {found['agent']} (score {found['score']}): {found['reason']}"
    elif found["agent"] == from_role:
        why = f"{from_role} keeps the work (score {found['score']}): {found['reason']}"
    else:
        why = f"{from_role} hands off to {found['agent']} when {found['criterion']}"
    return {**found, "explanation": why}


def review_findings(path: str, role: str = "ml_engineer") -> dict[str, Any]:
    """``role``'s review of ``path``: findings as data, and the same as text lines.

    Raises:
        TeamError: No review for ``role``, or a path that does not exist.

    Example:
        >>> review_findings("scenarios/fixtures/churn_skew", "pm")
        Traceback (most recent call last):
        team.errors.TeamError: no review for role 'pm' yet; reviews: ml_engineer
    """
    from team.review import findings_to_json, format_findings, review_path

    if role not in REVIEWS:
        raise TeamError(f"no review for role {role!r} yet; reviews: {', '.join(REVIEWS)}")
    target = Path(path).expanduser()
    if not target.exists():
        raise TeamError("path does not exist", path=path)
    root, only = (target, None) if target.is_dir() else (target.parent, [target])
    try:
        findings = review_path(root, paths=only)
    except ValueError as exc:
        raise TeamError(str(exc), path=path) from None
    return {
        "role": role,
        "path": str(target),
        "count": len(findings),
        "text": format_findings(findings) or "no findings\n",
        "findings": findings_to_json(findings),
    }
