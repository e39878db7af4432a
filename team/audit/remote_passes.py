"""A background sync whose passes each call a remote API, so the N+1 rule (`performance.py`)
leaves its queries alone: a Celery task, a task module's function, a management command or a
sync class's method that, for every item it walks, also makes an HTTP call to another service
(waldur-mastermind's Rancher plugin: `update_nodes` matches the nodes Rancher lists to stored
ones and then asks Rancher for each node's details; `SyncUser.update_users_roles` looks up a
user's link and deletes the role in Rancher, once per change). The remote round trip costs far
more than an indexed query beside it, and no request waits on the job: batching the queries
would change nothing anyone notices.

A remote call is a method called on a client object: a name or attribute that reads as one
(`backend`, `self.client`, `rancher_api`), or a name bound in the function to a call that builds
or fetches one (`RancherBackend(settings)`, `cluster.get_backend()`), or a call of `requests` or
`httpx`. It counts where it runs once per item: in the loop's body, or in another loop of the
same function (the same job walking the same objects again, one remote call each). A module that
serves a request (an endpoint in it) is never background work here: an N+1 in a view stays
reported whatever else the view does.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import assignments

__all__ = ["remote_per_pass"]

# an object that talks to another service
_CLIENT = re.compile(r"(?i)^(?:\w+_)?(?:backend|client|api|gateway)$")
# a call that builds or fetches one (`RancherBackend(...)`, `get_backend()`, `get_client()`)
_BUILDS_CLIENT = re.compile(r"(?i)(?:backend|client|api|gateway)$")
_HTTP_MODULES = frozenset(["requests", "httpx"])
# how a background job reads: a task queue's decorator, a sync's class or function name
_TASK_DECORATORS = re.compile(r"(?i)(?:^|\.)(?:shared_task|task|periodic_task)$")
_SYNC = re.compile(r"(?i)sync")


def remote_per_pass(
    loop: ast.AST, unit: ast.AST, cls: str, name: str, module: tuple[bool, bool]
) -> bool:
    """Whether `loop`, in the function `unit` (named `name`, a method of `cls` or of no class),
    is a pass of a background job that calls a remote API once per item. `module` says whether
    the module serves a request (an endpoint in it) and whether it is one of background work or
    a management command."""
    serving, background = module
    if serving or not (background or _task(unit) or _SYNC.search(cls) or _SYNC.search(name)):
        return False
    clients = _client_names(unit)
    loops = [n for n in ast.walk(unit) if isinstance(n, ast.For | ast.AsyncFor)]
    return any(_calls_remote(other, clients) for other in [loop, *loops])


def _task(unit: ast.AST) -> bool:
    """`unit` is decorated as a task queue's task (`@shared_task`, `@app.task(...)`)."""
    return any(
        _TASK_DECORATORS.search(ast.unparse(d.func if isinstance(d, ast.Call) else d))
        for d in getattr(unit, "decorator_list", [])
    )


def _client_names(unit: ast.AST) -> set[str]:
    """The names `unit` binds to a call that builds or fetches a client."""
    return {
        name
        for name, values in assignments(unit).items()
        if any(
            isinstance(v, ast.Call) and _BUILDS_CLIENT.search(_last_name(v.func)) for v in values
        )
    }


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _calls_remote(loop: ast.AST, clients: set[str]) -> bool:
    """A call in the body of `loop` goes to another service."""
    for node in (n for stmt in getattr(loop, "body", []) for n in ast.walk(stmt)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and (
            receiver.id in clients or receiver.id in _HTTP_MODULES
        ):
            return True
        if _CLIENT.search(_last_name(receiver)):
            return True
    return False
