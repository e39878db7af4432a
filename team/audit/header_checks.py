"""A handler that checks the caller's credential in its own body before it does its work.

xinference's token router serves `POST /v1/chat/completions` with no dependency, but the handler
starts with `if not _authorized(request, config): return _error(401, ...)`, and `_authorized`
reads the `Authorization` header and compares the bearer token with the configured key by
`hmac.compare_digest`. The endpoint is authenticated as a dependency would make it.

The check counts when an `if` of the handler refuses with 401/403 (returned or raised) and its
test compares the credential itself, or calls a function of the same module (one hop) that does:
reads the request's `Authorization` header, a bearer token or an API key header, and compares it
with a configured value (`compare_digest`, `==`/`!=` against settings, config or the
environment) or verifies it (`jwt.decode`, a `verify` call) with one. A handler that reads the
header only to log or forward it, compares it with another value of the request, or checks it
after it has read the body or written, is left to the rule.
"""

from __future__ import annotations

import ast
import re

from team.audit.configured_keys import SETTINGS
from team.review.calltools import leaf_name

__all__ = ["checks_credential_first"]

Function = ast.FunctionDef | ast.AsyncFunctionDef

# a header that carries the caller's credential
_CREDENTIAL = re.compile(r"(?i)authori[sz]ation|api[-_]?key|token|bearer")
# a value from the configuration or the environment
_CONFIGURED = re.compile(rf"{SETTINGS.pattern}|environ|getenv")
# a refusal: 401 or 403 returned or raised
_REFUSAL = re.compile(
    r"\b40[13]\b|UNAUTHORI[SZ]ED|FORBIDDEN|Unauthori[sz]ed|Forbidden|PermissionDenied"
    r"|NotAuthenticated|AuthenticationFailed"
)
# what a handler does once let in: reads the body, or writes
_WORK = frozenset(
    [
        "body",
        "json",
        "form",
        "get_json",
        "save",
        "commit",
        "add",
        "delete",
        "create",
        "update",
        "insert",
        "execute",
        "send",
        "write",
    ]
)


def _own_nodes(fn: ast.AST) -> list[ast.AST]:
    """The nodes of `fn`'s body, without those of the functions and classes it defines."""
    out: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(fn))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _reads_credential(fn: ast.AST) -> bool:
    """`request.headers.get("authorization")`, `headers["X-API-Key"]`, `META["HTTP_AUTHORIZATION"]`."""
    for node in ast.walk(fn):
        key: ast.AST | None = None
        owner: ast.AST | None = None
        if isinstance(node, ast.Call) and leaf_name(node.func) == "get" and node.args:
            key, owner = node.args[0], node.func
        elif isinstance(node, ast.Subscript):
            key, owner = node.slice, node.value
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and _CREDENTIAL.search(key.value)
            and re.search(r"(?i)headers|META", ast.unparse(owner or key))
        ):
            return True
    return False


def _configured_side(sides: list[ast.expr]) -> bool:
    """One side is read from the configuration and none from the request."""
    texts = [ast.unparse(s) for s in sides]
    return any(_CONFIGURED.search(t) for t in texts) and not any("request" in t for t in texts)


def _verifies(call: ast.Call) -> bool:
    """`compare_digest(token, config.key)`, `jwt.decode(token, settings.KEY)`, `verify(...)`
    handed a configured value; a decode told not to verify the signature is no check."""
    name = leaf_name(call.func)
    kind = (
        name == "compare_digest"
        or (name == "decode" and "jwt" in ast.unparse(call.func))
        or name.startswith("verify")
    )
    return (
        kind
        and "verify_signature" not in ast.unparse(call)
        and _configured_side([*call.args, *(k.value for k in call.keywords)])
    )


def _compares(node: ast.AST) -> bool:
    """`node` compares or verifies a value against a configured one."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and _verifies(sub):
            return True
        if (
            isinstance(sub, ast.Compare)
            and len(sub.ops) == 1
            and isinstance(sub.ops[0], ast.Eq | ast.NotEq)
            and _configured_side([sub.left, *sub.comparators])
        ):
            return True
    return False


def _checks(fn: ast.AST) -> bool:
    return _reads_credential(fn) and _compares(fn)


def _helpers(module: ast.Module) -> dict[str, Function]:
    return {
        n.name: n for n in ast.walk(module) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def checks_credential_first(handler: ast.AST | None, module: ast.Module | None) -> bool:
    """Whether the handler refuses with 401/403 on a failed credential check before its work.

    Example:
        >>> code = '''
        ... def _authorized(request):
        ...     value = request.headers.get("authorization", "")
        ...     return hmac.compare_digest(value[7:], settings.API_KEY)
        ... async def create(request):
        ...     if not _authorized(request):
        ...         return error(401, "no")
        ...     item = await request.json()
        ... '''
        >>> tree = ast.parse(code)
        >>> checks_credential_first(tree.body[1], tree)
        True
        >>> tree = ast.parse(code.replace("settings.API_KEY", "request.query_params['k']"))
        >>> checks_credential_first(tree.body[1], tree)
        False
    """
    if not isinstance(handler, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    helpers = _helpers(module) if module is not None else {}
    nodes = _own_nodes(handler)
    work = [
        n.lineno
        for n in nodes
        if isinstance(n, ast.Call) and leaf_name(n.func) in _WORK and hasattr(n, "lineno")
    ]
    first_work = min(work, default=handler.end_lineno or handler.lineno)
    for node in nodes:
        if not isinstance(node, ast.If) or node.lineno > first_work:
            continue
        if not _REFUSAL.search("\n".join(ast.unparse(s) for s in node.body)):
            continue
        calls = [c for c in ast.walk(node.test) if isinstance(c, ast.Call)]
        if any(leaf_name(c.func) in helpers and _checks(helpers[leaf_name(c.func)]) for c in calls):
            return True
        if _compares(node.test) and _reads_credential(handler):
            return True
    return False
