"""Route sets that a /v1/ prefix would not version: probes and debug routes only, or the paths
of a published standard. What the Backend Architect's api-unversioned rule asks before it wants
a version in the paths.

- Health probes (`/healthz`, `/ready`, `/ping`) and debug routes (tagged `debug`, under a
  `/debug/` segment, or registered only when a debug setting is on: tipg's `/rawcatalog` and
  `/refresh` under `if settings.debug:`) are called by an orchestrator or a developer, never by a
  client that a breaking change would break: a count made only of them is no API.
- An API whose paths a published standard fixes is versioned by that standard, and a /v1/ in
  front would break the clients that find it by those paths: OGC API and STAC (`/conformance`
  beside `/collections`, the conformance classes declaring what the server implements), SCIM 2
  (`/ServiceProviderConfig`, `/ResourceTypes`), WebDAV (PROPFIND, MKCOL... on the resources'
  own paths). OAuth / OpenID Connect endpoints are `protocol_paths.py`'s.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint
from team.audit.repo import Repo

__all__ = ["probes_only", "standard_paths"]

# the last fixed segment of a liveness, readiness or health probe's path
_PROBE = re.compile(
    r"(?i)^(?:health(?:z|[-_]?checks?)?|ready(?:z)?|readiness|live(?:z)?|liveness|ping|heartbeat)$"
)
_DEBUG = re.compile(r"(?i)\bdebug")
_WEBDAV = {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"}
_SCIM = {"ServiceProviderConfig", "ResourceTypes"}


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s and not s.startswith(("{", "<", "(", ":"))]


def _tagged_debug(node: ast.AST | None) -> bool:
    """The route's decorator files it under a `debug` tag (`@app.get(..., tags=["debug"])`)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(
        isinstance(d, ast.Call)
        and any(k.arg == "tags" and _DEBUG.search(ast.unparse(k.value)) for k in d.keywords)
        for d in node.decorator_list
    )


def _debug_only(repo: Repo, e: Endpoint) -> bool:
    """The route is defined inside an `if` on a debug setting (`if settings.debug:`)."""
    tree = repo.tree(e.file)
    if tree is None or e.node is None:
        return False
    return any(
        isinstance(branch, ast.If)
        and _DEBUG.search(ast.unparse(branch.test))
        and any(node is e.node for stmt in branch.body for node in ast.walk(stmt))
        for branch in ast.walk(tree)
    )


def _probe_or_debug(repo: Repo, e: Endpoint) -> bool:
    segments = _segments(e.path)
    return bool(
        (segments and _PROBE.match(segments[-1]))
        or any(_DEBUG.match(s.strip("_")) for s in segments)
        or _tagged_debug(e.node)
        or _debug_only(repo, e)
    )


def probes_only(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """Every endpoint is a health probe or a debug route.

    Example:
        >>> from pathlib import Path
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> probes_only(repo, [route("/healthz"), route("/debug/catalog")])
        True
        >>> probes_only(repo, [route("/healthz"), route("/items")])
        False
    """
    return bool(endpoints) and all(_probe_or_debug(repo, e) for e in endpoints)


def standard_paths(endpoints: list[Endpoint]) -> str:
    """The published standard whose paths the endpoints follow, or "".

    Example:
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> standard_paths([route("/conformance"), route("/collections/{collectionId}/items")])
        'OGC API'
        >>> standard_paths([route("/collections"), route("/collections/{id}")])
        ''
    """
    segments = [_segments(e.path) for e in endpoints]
    if any(s[-1:] == ["conformance"] for s in segments) and any(
        "collections" in s for s in segments
    ):
        return "OGC API"
    if any(_SCIM & set(s) for s in segments):
        return "SCIM"
    if any(e.method.upper() in _WEBDAV for e in endpoints):
        return "WebDAV"
    return ""
