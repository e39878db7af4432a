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

A list whose rows the handler builds field by field from each record's own short attributes
(`DatasetResponseSchema(id=ds.id, name=ds.name, created_at=ds.uploaded_at)`: a summary, no
content, log or nested payload) of records people make one at a time (datasets, evaluation
runs, output files, knowledge bases: pyspur's lists) stays tens of kilobytes for the life of an
instance. Records machines emit at volume (events, logs, metrics, messages, jobs...) are still
reported however small their rows.
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
    if not literal:
        return False
    named = f"{literal[-1]} {e.handler}"
    if not _EMITTED.search(named) and _summary_rows(e.node):
        return True
    if _ACCUMULATING.search(named):
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


# records machines emit at volume, not one by one by people
_EMITTED = re.compile(
    r"(?i)job|log|event|histor|message|notif|alert|audit|activit|metric|measure|reading"
    r"|visit|login|session|token|transaction|payment|order|invoice|charge|deliver|request"
    r"|task|execution|build|deploy|entr(?:y|ies)|record|sample|snapshot|backup|comment|post"
)
# a row field that carries a payload rather than a short attribute
_PAYLOAD = re.compile(
    r"(?i)(?:^|_)(?:logs?|content|text|body|data|payload|dumps?|outputs?|results?|config|spec"
    r"|definition|messages|chunks|items|children|nodes|graph|history|details?)$"
)
_MAX_FIELDS = 12


def _summary_rows(node: ast.AST | None) -> bool:
    """The handler returns a list it builds row by row from a few short attributes of each
    record (`[Row(id=r.id, name=r.name) for r in rows]`, returned or bound to the name it
    returns)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    built = {
        t.id: a.value
        for a in ast.walk(node)
        if isinstance(a, ast.Assign) and isinstance(a.value, ast.ListComp)
        for t in a.targets
        if isinstance(t, ast.Name)
    }
    returned = [
        built.get(r.value.id) if isinstance(r.value, ast.Name) else r.value
        for r in ast.walk(node)
        if isinstance(r, ast.Return) and r.value is not None
    ]
    return bool(returned) and all(isinstance(v, ast.ListComp) and _short_row(v) for v in returned)


def _short_row(comp: ast.ListComp) -> bool:
    """Each row is a call of keyword fields or a dict literal, every field a short attribute
    of the loop's record (`r.created_at.isoformat()`, `Status(r.status.value)`)."""
    record = {n.id for g in comp.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
    row = comp.elt
    if isinstance(row, ast.Call) and not row.args:
        fields: list[tuple[object, ast.expr]] = [(k.arg, k.value) for k in row.keywords]
    elif isinstance(row, ast.Dict):
        fields = [
            (k.value if isinstance(k, ast.Constant) else None, v)
            for k, v in zip(row.keys, row.values, strict=True)
        ]
    else:
        return False
    return 0 < len(fields) <= _MAX_FIELDS and all(
        isinstance(name, str) and not _PAYLOAD.search(name) and _attribute_of(value, record)
        for name, value in fields
    )


def _attribute_of(value: ast.expr, record: set[str]) -> bool:
    """`r.name`, `r.config["model"]`, `r.created_at.isoformat()` or `Enum(r.status.value)`."""
    if isinstance(value, ast.Call):
        inner = value.func.value if isinstance(value.func, ast.Attribute) else None
        args = [*value.args, *(k.value for k in value.keywords)]
        if inner is not None and not args:
            return _attribute_of(inner, record)
        return len(args) == 1 and _attribute_of(args[0], record)
    if isinstance(value, ast.Subscript):
        return isinstance(value.slice, ast.Constant) and _attribute_of(value.value, record)
    if isinstance(value, ast.Attribute):
        if isinstance(value.value, ast.Name):
            return value.value.id in record
        return _attribute_of(value.value, record)
    return False
