"""``team serve``: the team behind an OpenAI-compatible HTTP API.

Any OpenAI client talks to it (``base_url=http://127.0.0.1:8000/v1``):

- ``GET /v1/models``: ``teamgraph`` (triage picks the first role) and ``teamgraph/<role_id>``
  for each role (every turn sent with that model starts at that role; handoffs as usual).
- ``POST /v1/chat/completions``, streamed (SSE ``chat.completion.chunk``\\s, then
  ``data: [DONE]``) or not. The last user message is the turn; the thread remembers the rest.
  The reply is what the roles wrote this turn, one paragraph per role in order; the extra
  ``teamgraph`` field says who answered (``role``, ``roles``), the ``handoffs``, the
  ``outcome`` and any ``pending`` approval. A paused turn is resumed by sending
  ``/approve [note]`` or ``/reject [note]`` on the same thread.
- Threads: the ``X-Thread-Id`` header, else ``metadata.thread_id``, else ``user``, else a hash
  of the first user message; the response's ``X-Thread-Id`` header names the thread.
- ``GET /healthz``. With ``TEAM_API_TOKEN`` set, ``/v1`` wants ``Authorization: Bearer``; the
  server will not listen beyond loopback without it.

Conversations persist in ``TEAM_HOME/threads.sqlite`` unless ``checkpoint`` says otherwise
(``team.serve.store``); ``postgresql://`` lets several servers share them.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from team.errors import TeamError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["check_bind", "create_app", "serve"]

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without an API token.

    Raises:
        TeamError: ``host`` is not loopback and ``token`` is empty.

    Example:
        >>> check_bind("127.0.0.1", None)
        >>> check_bind("0.0.0.0", None)
        Traceback (most recent call last):
        team.errors.TeamError: refusing to listen on 0.0.0.0 without TEAM_API_TOKEN: set it, or use --host 127.0.0.1
    """
    if token:
        return
    try:
        loopback = host in LOOPBACK_NAMES or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise TeamError(
            f"refusing to listen on {host} without TEAM_API_TOKEN: set it, or use --host 127.0.0.1"
        )


def create_app(team: Any = None, **options: Any) -> FastAPI:
    """The FastAPI app; see ``team.serve.app.create_app`` (imported here on first use).

    Example:
        >>> create_app(checkpoint="memory").title
        'teamgraph'
    """
    from team.serve.app import create_app as make

    return make(team, **options)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        raise TeamError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    checkpoint: str | None = None,
    model: str = "offline",
    agents_dir: str | Path | None = None,
    graph: str | Path | None = None,
    repo: str | Path | None = None,
    cors: tuple[str, ...] = (),
    max_body_bytes: int | None = None,
) -> None:
    """Serve the team until interrupted (Ctrl-C or SIGTERM end it cleanly).

    Args:
        host: Interface to listen on; beyond loopback only with ``TEAM_API_TOKEN`` set.
        port: TCP port.
        checkpoint: Where conversations persist: default ``TEAM_HOME/threads.sqlite``, a file
            path, ``postgresql://...`` (shared between servers) or ``memory``.
        model: The chat model the roles run on (``offline`` or ``provider:model``).
        agents_dir: A folder of persona cards.
        graph: A topology file.
        repo: A repository the roles inspect with their read-only tools.
        cors: Browser origins allowed to call the API (none by default).
        max_body_bytes: The largest request body accepted (413 beyond it); default 4 MiB.

    Raises:
        TeamError: A bad team, model or checkpoint, a port in use, or a non-loopback host
            without a token; raised before anything listens.

    Example (serves until interrupted)::

        serve(port=8000, checkpoint="postgresql://127.0.0.1:5432/team")
    """
    import asyncio

    from team.serve.guard import BodyLimits, api_token
    from team.topology import Team

    token = api_token()
    check_bind(host, token)
    limits = BodyLimits()
    if max_body_bytes is not None:
        if max_body_bytes < 1024:
            raise TeamError(f"the body limit must be at least 1024 bytes, got {max_body_bytes}")
        limits = BodyLimits(max_body_bytes=max_body_bytes)
    from team.engine import effective_models, validate_repo
    from team.models import resolve_team_models

    team = Team.load(agents_dir=agents_dir, graph=graph)
    resolve_team_models(effective_models(team, model), team)  # a bad model spec: one line now
    root = validate_repo(repo)
    options = {"model": model, "token": token, "repo": root, "cors": tuple(cors), "limits": limits}
    asyncio.run(_serve(team, host, port, checkpoint, options))


async def _serve(team: Any, host: str, port: int, checkpoint: str | None, options: Any) -> None:
    import uvicorn

    from team.serve.app import create_app as make
    from team.serve.store import describe_checkpoint, open_checkpointer

    async with open_checkpointer(checkpoint) as saver:
        sock = _listen(host, port)
        app = make(team, checkpointer=saver, **options)
        shown = f"[{host}]" if ":" in host else host
        print(
            f"team serve: http://{shown}:{sock.getsockname()[1]}/v1  "
            f"threads: {describe_checkpoint(checkpoint)}  auth: {'on' if options['token'] else 'off'}",
            file=sys.stderr,
            flush=True,
        )
        config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="on")
        await uvicorn.Server(config).serve(sockets=[sock])
