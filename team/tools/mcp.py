"""Roles use the tools of MCP servers that a topology attaches (``mcp:``), via langchain-mcp-adapters.

One background event loop, a daemon thread owned by this module, holds one session per server
for the life of the process. The graph's ``tools`` node runs tools synchronously, so each MCP
tool is wrapped in a ``BaseTool`` whose ``_run`` hands the call to that loop and waits, bounded
by the server's ``timeout``: calls go through the same budget, trace and error handling as the
repository tools.

A server that cannot be reached is one warning line on stderr (logger ``team.mcp``) naming it,
and the run goes on without its tools. A server that dies mid-run answers every later call with
a tool error naming it; the role reads that like any failed tool and carries on.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import logging
import threading
from collections.abc import Coroutine, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.tools import BaseTool, ToolException

from team.handoffs import handoff_target
from team.topology import REPO_TOOLS

if TYPE_CHECKING:
    from team.topology import Team

__all__ = ["close_servers", "describe_error", "role_tools"]

_T = TypeVar("_T")
log = logging.getLogger("team.mcp")
_CLOSED = "the connection is closed (the server stopped)"


class _Loop:
    """An asyncio loop in a daemon thread; coroutines from any thread run there."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="team-mcp-client", daemon=True
                )
                thread.start()
                self._loop = loop
            return self._loop

    def run(self, coro: Coroutine[Any, Any, _T], timeout: float) -> _T:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop())
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise TimeoutError(f"no answer within {timeout:g} s") from None


_LOOP = _Loop()


def describe_error(exc: BaseException) -> str:
    """One line for an exception, unwrapping task-group exception groups.

    Example:
        >>> describe_error(ExceptionGroup("x", [FileNotFoundError(2, "No such file")]))
        'No such file'
    """
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror + (f": {exc.filename}" if exc.filename else "")
    else:
        text = str(exc).strip()
    name = type(exc).__name__
    if "Closed" in name or "EndOfStream" in name:
        return _CLOSED
    return (text.splitlines() or [name])[0] or name


@dataclass
class _Session:
    """A live session to one server, held open by a task in the background loop."""

    name: str
    tools: list[BaseTool] = field(default_factory=list)
    stopped: str | None = None  # why the session ended, once it has
    stop: asyncio.Event | None = None
    task: asyncio.Future[Any] | None = None
    session: Any = None

    def closed(self) -> bool:
        """Whether the server's side of the connection has ended (its output reached EOF).

        A request sent after that would wait for its whole timeout: the client session answers
        only the requests in flight when the connection closes.
        """
        stream = getattr(self.session, "_read_stream", None)
        return stream is not None and stream.statistics().open_send_streams == 0


_SESSIONS: dict[str, _Session] = {}
_SESSIONS_LOCK = threading.Lock()


async def _hold(state: _Session, connection: dict[str, Any], ready: asyncio.Future[None]) -> None:
    from langchain_mcp_adapters.sessions import create_session
    from langchain_mcp_adapters.tools import load_mcp_tools

    state.stop = asyncio.Event()
    try:
        async with create_session(connection) as session:  # type: ignore[arg-type]
            await session.initialize()
            state.session = session
            # MCP errors (isError) raise, so they reach the role as tool errors like any other.
            state.tools = await load_mcp_tools(
                session, server_name=state.name, handle_tool_errors=False
            )
            ready.set_result(None)
            await state.stop.wait()
    except BaseException as exc:
        state.stopped = describe_error(exc)
        if not ready.done():
            ready.set_exception(exc)
        if not isinstance(exc, Exception):
            raise
    finally:
        state.stopped = state.stopped or "the session was closed"


async def _open(name: str, connection: dict[str, Any], timeout: float) -> _Session:
    state = _Session(name)
    ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    state.task = asyncio.ensure_future(_hold(state, connection, ready))
    try:
        await asyncio.wait_for(asyncio.shield(ready), timeout)
    except BaseException:
        state.task.cancel()
        raise
    return state


def _session(name: str, connection: dict[str, Any], timeout: float) -> _Session | None:
    """The live session for ``connection`` (opened on first use), or ``None`` with a warning."""
    key = json.dumps(connection, sort_keys=True, default=str)
    with _SESSIONS_LOCK:
        state = _SESSIONS.get(key)
        if state is not None and state.stopped is None:
            return state
        try:
            state = _LOOP.run(_open(name, connection, timeout), timeout + 5)
        except Exception as exc:
            where = connection.get("url") or connection.get("command")
            log.warning(
                "MCP server '%s' (%s) is unreachable: %s; the team goes on without its tools",
                name,
                where,
                "no answer in time" if isinstance(exc, TimeoutError) else describe_error(exc),
            )
            return None
        _SESSIONS[key] = state
        return state


class McpTool(BaseTool):
    """An MCP server's tool, callable synchronously (the graph's tools node calls ``invoke``)."""

    server: str
    timeout: float
    session: Any
    remote: Any

    def _run(self, *args: Any, **kwargs: Any) -> str:
        kwargs.pop("run_manager", None)
        state: _Session = self.session
        if state.stopped is not None:
            raise ToolException(f"MCP server '{self.server}' is gone: {state.stopped}")
        try:
            content = _LOOP.run(_call(state, self.remote, kwargs), self.timeout)
        except ToolException:
            raise
        except TimeoutError as exc:
            raise ToolException(f"MCP server '{self.server}' timed out: {exc}") from None
        except Exception as exc:
            detail = describe_error(exc)
            if "closed" in detail.lower():
                state.stopped = detail  # the next graph built reconnects
            raise ToolException(f"MCP server '{self.server}': {detail}") from None
        return _text(content)


async def _call(state: _Session, remote: BaseTool, kwargs: dict[str, Any]) -> Any:
    """Call a remote tool, ending early with "closed" when the server goes away meanwhile."""
    call = asyncio.ensure_future(remote.ainvoke(kwargs))
    while not state.closed():
        done, _ = await asyncio.wait({call}, timeout=0.1)
        if done:
            return call.result()
    call.cancel()
    raise ConnectionError(_CLOSED)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(b.get("text", "")) if isinstance(b, Mapping) else str(b) for b in content
        ).strip()
    return str(content)


def _wrap(server: str, state: _Session, remote: BaseTool, timeout: float) -> McpTool:
    return McpTool(
        name=remote.name,
        description=remote.description,
        args_schema=remote.args_schema,
        server=server,
        timeout=timeout,
        session=state,
        remote=remote,
        handle_tool_error=False,
    )


def role_tools(team: Team) -> dict[str, list[BaseTool]]:
    """The MCP tools each role of ``team`` may call, from the topology's ``mcp:`` servers.

    Servers connect on first use and stay connected for the process. Unreachable servers,
    unknown tool names and names that clash with a built-in tool are warned about and left out.

    Example:
        >>> from team import Team
        >>> role_tools(Team.load(graph="graphs/with_tickets_mcp.yaml"))["pm"][0].name
        'create_ticket'
    """
    topology = team.topology
    base = Path(topology.path).resolve().parent if topology.path else None
    granted: dict[str, dict[str, BaseTool]] = {}
    for name, server in topology.mcp.items():
        state = _session(name, server.connection(base), server.timeout)
        if state is None:
            continue
        offered = {t.name: t for t in state.tools}
        for missing in sorted(set(server.tools or ()) - set(offered)):
            log.warning("MCP server '%s' has no tool '%s'; it is left out", name, missing)
        for tool_name, remote in offered.items():
            if server.tools is not None and tool_name not in server.tools:
                continue
            if tool_name in (*REPO_TOOLS, "review") or handoff_target(tool_name):
                log.warning(
                    "MCP server '%s': tool '%s' clashes with a built-in tool; left out",
                    name,
                    tool_name,
                )
                continue
            for role in server.roles:
                tools = granted.setdefault(role, {})
                if tool_name in tools:
                    log.warning(
                        "MCP server '%s': %s already has a tool '%s'; left out",
                        name,
                        role,
                        tool_name,
                    )
                    continue
                tools[tool_name] = _wrap(name, state, remote, server.timeout)
    return {role: list(tools.values()) for role, tools in granted.items()}


def close_servers() -> None:
    """Close every MCP session (stdio servers exit); later graphs reconnect on first use."""
    with _SESSIONS_LOCK:
        states = list(_SESSIONS.values())
        _SESSIONS.clear()
    if not states or _LOOP._loop is None:
        return

    async def close() -> None:
        for state in states:
            if state.stop is not None:
                state.stop.set()
        tasks = [s.task for s in states if s.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=5)

    with contextlib.suppress(Exception):  # closing is best effort at exit
        _LOOP.run(close(), 10)


atexit.register(close_servers)
