"""Routes whose latency no load test would measure: redirects only, or a control plane.

A benchmark or a load test of a service times the pages and the API its users wait on. Two kinds
of route set have none:

- every handler answers with a redirect and nothing else (Alliance Auth's Discord module: send
  the member to Discord's OAuth or bot-invite page, take the callback, deactivate or reset the
  link, then redirect back), a few calls per member in the life of an account;
- most routes are health and readiness probes, update triggers and on/off switches (OPAL
  client's `/healthcheck`, `/ready`, `/policy-updater/trigger`, `/data-updater/trigger`,
  `/opal-server/connectivity/enable`): a sidecar's control plane, called by an orchestrator
  or an operator, never in the path of a user's request.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint

__all__ = ["quiet_routes"]

# the last part of a probe's, a trigger's or a switch's path
_CONTROL = re.compile(
    r"(?i)(?:^|/)(?:health\w*|ready\w*|readiness|live\w*|ping|trigger|enable|disable"
    r"|connectivity|config|reload)/?$"
)
_REDIRECT = re.compile(r"(?i)redirect")


def quiet_routes(endpoints: list[Endpoint]) -> bool:
    """Of three endpoints or more, every one only redirects, or more than half are probes,
    triggers and switches.

    Example:
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> quiet_routes([route(p) for p in ("/healthcheck", "/ready", "/x/trigger", "/items")])
        True
        >>> quiet_routes([route(p) for p in ("/healthcheck", "/items", "/items/{id}")])
        False
    """
    if len(endpoints) < 3:  # too few to tell a kind of route set from one route's shape
        return False
    if all(_redirects_only(e) for e in endpoints):
        return True
    control = sum(1 for e in endpoints if _CONTROL.search(e.path))
    return control >= 3 and 2 * control > len(endpoints)


def _redirects_only(endpoint: Endpoint) -> bool:
    """The handler returns something, and every value it returns is a redirect's call
    (`redirect(...)`, `HttpResponseRedirect(...)`, `RedirectResponse(...)`)."""
    if not isinstance(endpoint.node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    returned = [
        node.value
        for node in ast.walk(endpoint.node)
        if isinstance(node, ast.Return) and node.value is not None
    ]
    return bool(returned) and all(
        isinstance(v, ast.Call) and _REDIRECT.search(ast.unparse(v.func)) for v in returned
    )
