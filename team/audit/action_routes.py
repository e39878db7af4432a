"""A write endpoint whose route names the action it runs on the server: `POST
/data-updater/trigger`, `POST /cache/flush`, `POST /index/rebuild`.

The Backend Architect's endpoint-no-auth rule (`backend.py`) reports an open write endpoint of an
app that authenticates others only when the handler's code changes state, read from the names of
the calls it makes (save, update, delete...). A trigger's handler often calls a method named for
what it fetches (OPAL client's `data_updater.get_base_policy_data(...)`, which refetches every data
source and rewrites the policy store's data), which reads as a read. The route's last word says
it: the caller asks the server to run something.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint

__all__ = ["route_action"]

# the last literal part of a route that asks the server to run an action
_ACTION = re.compile(r"(?i)^(?:trigger|reload|resync|sync|rebuild|reindex|rescan|flush|purge)$")
# calls that only log
_LOG = re.compile(r"(?i)^(?:print|(?:\w+\.)*(?:log|logger|logging|_log|_logger)\.\w+)$")


def _first_call(body: list[ast.stmt]) -> str:
    """The first call the handler makes, in reading order, that is neither logging nor an
    exception it raises: the action it hands on (`data_updater.get_base_policy_data()`)."""
    nodes = [n for statement in body for n in ast.walk(statement)]
    raised = {id(n.exc) for n in nodes if isinstance(n, ast.Raise) and n.exc}
    calls = sorted(
        (n for n in nodes if isinstance(n, ast.Call) and id(n) not in raised),
        key=lambda n: (n.lineno, n.col_offset),
    )
    names = [ast.unparse(n.func) for n in calls]
    return next((f"{name}()" for name in names if not _LOG.match(name)), "")


def route_action(e: Endpoint, body: list[ast.stmt]) -> str:
    """The call a write endpoint's handler `body` hands its action to, when the endpoint's path
    ends in an action word (trigger, reload, sync, rebuild, reindex, rescan, flush, purge), else
    "".

    Example:
        >>> code = '''
        ... async def trigger_data_update():
        ...     logger.info("triggered")
        ...     await updater.get_base_data(reason="api")
        ... '''
        >>> body = ast.parse(code).body[0].body
        >>> route_action(Endpoint("POST", "/data-updater/trigger", "h", "a.py", 1, ""), body)
        'updater.get_base_data()'
        >>> route_action(Endpoint("POST", "/data-updater/status", "h", "a.py", 1, ""), body)
        ''
    """
    literal = [p for p in e.path.split("/") if p and not p.startswith(("{", "<", "(", ":"))]
    if e.method == "GET" or not literal or not _ACTION.match(literal[-1]):
        return ""
    return _first_call(body)
