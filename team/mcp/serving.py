"""Running ``team mcp``: the MCP server over stdio or streamable HTTP, threads in the team's store.

Over HTTP the rule of ``team serve`` holds: beyond loopback only with ``TEAM_API_TOKEN`` set, and
then every request carries ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from team.mcp.server import create_server
from team.serve.store import open_checkpointer
from team.topology import Team

__all__ = ["serve_mcp"]


def _unauthorized() -> Any:
    from starlette.responses import JSONResponse

    body = {"error": "missing or incorrect token: send 'Authorization: Bearer'"}
    return JSONResponse(body, 401, {"WWW-Authenticate": "Bearer"})


def serve_mcp(
    *,
    http: bool = False,
    host: str = "127.0.0.1",
    port: int = 8765,
    checkpoint: str | None = None,
    model: str = "offline",
    agents_dir: str | Path | None = None,
    graph: str | Path | None = None,
) -> None:
    """Serve the team over MCP until the client leaves (stdio) or the process is stopped (HTTP).

    Args:
        http: Streamable HTTP at ``http://host:port/mcp`` instead of stdio.
        host: Interface to listen on; beyond loopback only with ``TEAM_API_TOKEN`` set.
        port: TCP port.
        checkpoint: Where conversations persist (see ``team.serve.store``; default
            ``TEAM_HOME/threads.sqlite``).
        model: The chat model the roles run on.
        agents_dir: A folder of persona cards.
        graph: A topology file.

    Raises:
        TeamError: A bad team, model or checkpoint, a port in use, or a non-loopback host
            without a token; raised before anything listens.

    Example (serves until interrupted)::

        serve_mcp(http=True, port=8765)
    """
    from team.engine import effective_models
    from team.models import resolve_team_models
    from team.serve import check_bind
    from team.serve.guard import api_token

    token = api_token()
    if http:
        check_bind(host, token)
    team = Team.load(agents_dir=agents_dir, graph=graph)
    resolve_team_models(effective_models(team, model), team)  # a bad model spec: one line now
    main = (
        _serve_http(team, host, port, checkpoint, model, token)
        if http
        else _serve_stdio(team, checkpoint, model)
    )
    asyncio.run(main)


async def _serve_stdio(team: Team, checkpoint: str | None, model: str) -> None:
    async with open_checkpointer(checkpoint) as saver:
        await create_server(team, model=model, checkpointer=saver).run_stdio_async()


async def _serve_http(
    team: Team, host: str, port: int, checkpoint: str | None, model: str, token: str | None
) -> None:
    import uvicorn

    from team.serve import _listen
    from team.serve.guard import BearerGuard
    from team.serve.store import describe_checkpoint

    async with open_checkpointer(checkpoint) as saver:
        sock = _listen(host, port)
        server = create_server(team, model=model, checkpointer=saver, host=host, port=port)
        app = server.streamable_http_app()
        shown = f"[{host}]" if ":" in host else host
        print(
            f"team mcp: http://{shown}:{sock.getsockname()[1]}/mcp  "
            f"threads: {describe_checkpoint(checkpoint)}  auth: {'on' if token else 'off'}",
            file=sys.stderr,
            flush=True,
        )
        if token:
            app.add_middleware(BearerGuard, token=token, unauthorized=_unauthorized)
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        await uvicorn.Server(config).serve(sockets=[sock])
