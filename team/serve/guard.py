"""What stands between the network and the routes: the bearer token and the request body limits.

``BearerGuard`` wraps any ASGI app (``team serve`` and ``team mcp`` over HTTP) so that every
path but the health check wants ``Authorization: Bearer <token>``, compared as UTF-8 bytes in
constant time. ``read_body`` reads a request body within ``BodyLimits``: too large is a 413, too
slow a 408, and a client that leaves mid-body is logged in one line.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from team.engine import MAX_MESSAGE_CHARS
from team.errors import TeamError
from team.serve.protocol import ApiError

__all__ = ["BearerGuard", "BodyLimits", "ClientGone", "api_token", "read_body", "token_matches"]

log = logging.getLogger("team.serve")

OPEN_PATHS = frozenset({"/healthz"})
"""Paths answered without the token: a liveness probe that says nothing about the team."""


def api_token(environ: dict[str, str] | None = None) -> str | None:
    """``TEAM_API_TOKEN`` from the environment; ``None`` when unset or empty.

    Raises:
        TeamError: The token is only whitespace, or has whitespace around it (a client could
            never send it back exactly).

    Example:
        >>> api_token({"TEAM_API_TOKEN": "s3cret"})
        's3cret'
        >>> api_token({"TEAM_API_TOKEN": "   "})
        Traceback (most recent call last):
        team.errors.TeamError: TEAM_API_TOKEN is blank (only whitespace): set a real token or unset it
    """
    token = (os.environ if environ is None else environ).get("TEAM_API_TOKEN")
    if not token:
        return None
    if not token.strip():
        raise TeamError("TEAM_API_TOKEN is blank (only whitespace): set a real token or unset it")
    if token != token.strip():
        raise TeamError("TEAM_API_TOKEN starts or ends with whitespace: remove it")
    return token


def token_matches(header: bytes, token: str) -> bool:
    """Whether a raw ``Authorization`` header carries ``token`` (UTF-8 bytes, constant time).

    Example:
        >>> token_matches("Bearer clé".encode(), "clé"), token_matches("Bearer clé".encode("latin-1"), "clé")
        (True, False)
    """
    scheme, _, given = header.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), token.encode())


Unauthorized = Callable[[], Any]


class BearerGuard:
    """ASGI middleware: every path but ``OPEN_PATHS`` wants ``Authorization: Bearer <token>``.

    A CORS preflight (``OPTIONS`` with an ``Origin``) passes: browsers send it without
    credentials, and it reaches no route.

    Args:
        app: Any ASGI app.
        token: The token every request must carry.
        unauthorized: Builds the 401 response (a Starlette ``Response``) for a refused request.

    Example:
        >>> from starlette.applications import Starlette
        >>> from starlette.responses import PlainTextResponse
        >>> app = Starlette()
        >>> app.add_middleware(BearerGuard, token="s3cret", unauthorized=PlainTextResponse)
    """

    def __init__(self, app: Any, *, token: str, unauthorized: Unauthorized) -> None:
        self.app, self.token, self.unauthorized = app, token, unauthorized

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            headers = dict(scope["headers"])
            preflight = scope["method"] == "OPTIONS" and b"origin" in headers
            if not preflight and not token_matches(headers.get(b"authorization", b""), self.token):
                await self.unauthorized()(scope, receive, send)
                return
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class BodyLimits:
    """How much a client may send in one request, and how slowly.

    Attributes:
        max_body_bytes: Request bodies larger than this are refused with 413.
        max_message_chars: The longest message (the turn's text, or any history message).
        body_seconds: A body not fully received within this many seconds is refused with 408.

    Example:
        >>> BodyLimits().max_body_bytes
        4194304
    """

    max_body_bytes: int = 4 * 1024 * 1024
    max_message_chars: int = MAX_MESSAGE_CHARS
    body_seconds: float = 30.0


class ClientGone(Exception):
    """The client closed the connection before it finished sending the body."""


async def read_body(request: Any, limits: BodyLimits) -> bytes:
    """The request body, read within ``limits``.

    Raises:
        ApiError: 413 when the body (or its ``Content-Length``) is over the limit, 408 when it
            does not arrive in time.
        ClientGone: The client went away mid-body (logged here in one line).
    """
    from starlette.requests import ClientDisconnect

    declared = request.headers.get("content-length", "")  # the HTTP server checked its syntax
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        await _drain(request, limits)
        raise _too_large(limits)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.body_seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_body_bytes:
                    await _drain(request, limits)
                    raise _too_large(limits)
                chunks.append(chunk)
    except TimeoutError:
        raise ApiError(
            408,
            f"the request body did not arrive within {limits.body_seconds:g} s",
            code="request_timeout",
        ) from None
    except ClientDisconnect:
        log.warning(
            "client went away after %d bytes of %s %s", size, request.method, request.url.path
        )
        raise ClientGone from None
    return b"".join(chunks)


async def _drain(request: Any, limits: BodyLimits) -> None:
    """Read and drop what the client is still sending, so it reads the 413 instead of a reset.

    A server that answers while the body is still arriving and closes the socket with unread
    data makes the kernel send a TCP reset, and the client loses the answer. Up to four times
    the limit is read (within the body time limit); a client sending more than that is cut off.
    """
    from starlette.requests import ClientDisconnect

    left = 4 * limits.max_body_bytes
    try:
        async with asyncio.timeout(limits.body_seconds):
            async for chunk in request.stream():
                left -= len(chunk)
                if left < 0:
                    return
    except (TimeoutError, ClientDisconnect, RuntimeError):  # RuntimeError: all of it was read
        return


def _too_large(limits: BodyLimits) -> ApiError:
    return ApiError(
        413,
        f"the request body is over the server's limit of {limits.max_body_bytes} bytes",
        code="request_too_large",
    )
