"""A client given `timeout=None` on purpose: a streaming proxy to the app's own local service, so
http-no-timeout (`performance.py`) leaves it alone. llama-deploy's API server proxies its
deployments' UI (`httpx.AsyncClient(timeout=None)`, then `client.send(req, stream=True)` to
`http://localhost:{port}` and `upstream.aiter_raw()` back): uploads and downloads are streamed
both ways, server-sent events and a dev server's long-lived connections included, which a read
timeout would cut; and a connection to a local port nobody listens on fails at once.

All three must hold in the function of the call: the `None` is written at the call, every URL
written in the function is a loopback one (`localhost`, `127.0.0.1`, `[::1]`) and one is, and the
function streams the answer back (`stream=True`, or an `aiter_*`/`iter_*` read of the body; an
upload streamed from `request.stream()` alone is no long-lived read). An OIDC client built with `timeout=None` (a remote identity provider) stays reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo, innermost_function

__all__ = ["is_loopback", "streams_to_local_service"]

_URL = re.compile(r"^(?:https?|wss?)://")
_LOOPBACK = re.compile(r"^(?:https?|wss?)://(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/]|$)")
_STREAM_READS = re.compile(r"^a?iter_(?:raw|bytes|text|lines|content)$")


def streams_to_local_service(repo: Repo, rel: str, line: int) -> bool:
    """Whether the call at `rel:line` passes `timeout=None` and its function streams to and
    from a service on the same machine only."""
    tree = repo.tree(rel)
    fn = innermost_function(tree, line) if tree is not None else None
    if fn is None or not any(_none_timeout(n) for n in ast.walk(fn) if _at(n, line)):
        return False
    urls = [_text(n) for n in ast.walk(fn) if isinstance(n, ast.Constant | ast.JoinedStr)]
    urls = [u for u in urls if _URL.match(u)]
    return bool(urls) and all(is_loopback(u) for u in urls) and _streams(fn)


def is_loopback(url: str) -> bool:
    """The URL names a host on the same machine.

    Example:
        >>> is_loopback("http://localhost:8080/"), is_loopback("https://cdn.example.com/")
        (True, False)
    """
    return bool(_LOOPBACK.match(url))


def _at(node: ast.AST, line: int) -> bool:
    return isinstance(node, ast.Call) and node.lineno == line


def _none_timeout(call: ast.AST) -> bool:
    return any(
        k.arg == "timeout" and isinstance(k.value, ast.Constant) and k.value.value is None
        for k in getattr(call, "keywords", [])
    )


def _text(node: ast.Constant | ast.JoinedStr) -> str:
    """A string constant, or the literal start of an f-string (`f"http://localhost:{port}"`)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    first = node.values[0] if node.values else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""


def _streams(fn: ast.AST) -> bool:
    """The function streams an answer: `stream=True` or a read such as `aiter_raw()`."""
    for node in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
        if any(
            k.arg == "stream" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in node.keywords
        ):
            return True
        if isinstance(node.func, ast.Attribute) and _STREAM_READS.match(node.func.attr):
            return True
    return False
