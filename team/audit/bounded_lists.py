"""List endpoints whose length is bounded by what people make by hand, so they need no paging:
the list-not-paginated rule (`backend.py`) leaves them alone.

A list scoped to one parent (`/project/{project_id}/workflow/`: the workflows of one project)
or to the caller (`.where(Link.user_id == user.id)`: the projects one user owns or shares,
`/current-user/...`) holds the configuration entities a few people create one at a time:
projects, datasets, workflows, guests, invitations. Such a list stays a handful to tens long.
So does a list at a path that ends with the object it belongs to, selected by that parent's key
(`GET /webhooks/target/{path}`, `.where(Webhook.node_id == entry.node.id)`: tiled's webhooks of
one node); a list at such a path filtered otherwise (a search by its `{query}`) is reported.

A list only an administrator may read (`@require_permission("admin.sso_providers:read")`) holds
what operators set up or must act on: the identity providers configured, the sign-ups awaiting
approval. It is bounded the same way.

Records that pile up with use are not bounded that way, whoever they belong to: jobs, runs,
activities, logs, events, messages, orders, uploads... (`/project/{project_id}/job/` gains a
row at every submission). A list of those, or a list over the whole table (`/scopes`), is
still reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint

__all__ = ["bounded_list"]

# records that accumulate with use rather than being set up by hand
_ACCUMULATING = re.compile(
    r"(?i)job|run|activit|log|event|histor|message|notif|alert|audit|entr(?:y|ies)|record"
    r"|order|transaction|payment|invoice|charge|ticket|issue|comment|post|repl|review|vote"
    r"|like|follow|subscri|member|upload|file|image|document|attachment|media|photo|video"
    r"|version|revision|release|build|commit|deploy|execution|result|report|sample|measure"
    r"|metric|reading|session|visit|login|token|workout|task|item|download|backup|snapshot"
)
_CALLER = re.compile(r"(?i)^(?:me|my|self|current[-_]?user)$")
_OWNED = re.compile(
    r"(?:==\s*|\b\w+=)(?:self\.)?(?:request\.|g\.)?(?:current_|auth_|api_)?user(?:\.(?:id|pk))?\b"
)


def bounded_list(e: Endpoint) -> bool:
    """A GET list of one parent's or the caller's own configuration entities, or one only an
    administrator may read.

    Example:
        >>> bounded_list(Endpoint("GET", "/project/{project_id}/workflow/", "get_workflow_list",
        ...                       "app.py", 1, "fastapi"))
        True
        >>> bounded_list(Endpoint("GET", "/project/{project_id}/job/", "get_job_list",
        ...                       "app.py", 1, "fastapi"))
        False
    """
    segments = [s for s in e.path.split("/") if s]
    literal = [s for s in segments if not _parameter(s)]
    if not literal or _ACCUMULATING.search(f"{literal[-1]} {e.handler}"):
        return False
    if _admin_permission(e.node):
        return True
    nested = any(_parameter(s) for s in segments[: segments.index(literal[-1])])
    # what a path ending with its parent lists is named anywhere before it (`/events/of/{id}`)
    of_one = (
        _parameter(segments[-1])
        and not _ACCUMULATING.search(" ".join(literal))
        and _by_parent_key(e.node)
    )
    return nested or of_one or any(_CALLER.match(s) for s in literal) or _owned(e.node)


# a permission only administrators hold: "admin.sso_providers:read", "admin.user_management"
_ADMIN_PERMISSION = re.compile(r"(?i)^(?:admin|superuser|staff)(?:[.:_]|$)")


def _admin_permission(node: ast.AST | None) -> bool:
    """A decorator of the handler requires an administrator's permission, named in a string
    (`@require_permission("admin.sso_providers:read")`), not a user's (`"metrics:read"`)."""
    decorators = getattr(node, "decorator_list", [])
    return any(
        isinstance(d, ast.Call)
        and any(
            isinstance(a, ast.Constant)
            and isinstance(a.value, str)
            and _ADMIN_PERMISSION.match(a.value)
            for a in [*d.args, *(k.value for k in d.keywords)]
        )
        for d in decorators
    )


def _parameter(segment: str) -> bool:
    return segment.startswith(("{", "<", "(", ":"))


# a row's parent key compared or passed: `Webhook.node_id == entry.node.id`, `project_id=pid`
_PARENT_KEY = re.compile(r"\b\w+_id\s*==|\b\w+_id=(?!=)")


def _by_parent_key(node: ast.AST | None) -> bool:
    """The handler selects its rows by a parent's key (`.where(Webhook.node_id == ...)`)."""
    return node is not None and bool(_PARENT_KEY.search(ast.unparse(node)))


def _owned(node: ast.AST | None) -> bool:
    """The handler filters its rows by the calling user (`Link.user_id == user.id`,
    `owner=request.user`)."""
    return node is not None and bool(_OWNED.search(ast.unparse(node)))
