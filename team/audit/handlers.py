"""An `Endpoint` built from the function that handles a route: its inputs, the authentication
its parameters, decorators and body ask for, whether it paginates, writes or returns a list, and
the error codes it answers. `web` calls it for decorated routes, `resources` for the methods of
Flask-RESTful resources.
"""

from __future__ import annotations

import ast
import re

from team.audit.body_auth import auth_called
from team.audit.endpoints import (
    _AUTH,
    METHODS,
    Endpoint,
    _auth_in,
    _call_name,
    _denies,
    _dotted,
    _kw,
    _Module,
)
from team.audit.paged_params import pages_by_parameter

__all__: list[str] = []

_CREDENTIAL = re.compile(r"(?i)api_?key|token|authorization|auth|credential|session|jwt")
_PAGE_PARAMS = frozenset(
    [
        "limit",
        "offset",
        "page",
        "page_size",
        "per_page",
        "pagesize",
        "cursor",
        "skip",
        "size",
        "after",
        "before",
    ]
)


def _param_auth(fn: ast.FunctionDef | ast.AsyncFunctionDef, known: frozenset[str]) -> str:
    """An authenticating parameter: a security scheme or known auth dependency in its default
    or annotation, or a credential-named header/cookie (`x_api_key: str = Header(None)`)."""
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults: list[ast.expr | None] = [None] * (
        len(args) - len(fn.args.defaults) - len(fn.args.kwonlyargs)
    )
    defaults += [*fn.args.defaults, *fn.args.kw_defaults]
    for arg, default in zip(args, defaults, strict=False):
        for node in (default, arg.annotation if _guarding(arg.annotation) else None):
            found = _auth_in(node, known) if node is not None else ""
            if found:
                return found
            if (
                node is not None
                and any(_call_name(n) in ("Header", "Cookie") for n in ast.walk(node))
                and _CREDENTIAL.search(arg.arg)
            ):
                return arg.arg
    return ""


def _scopes_required(deco: ast.expr) -> bool:
    """Starlette's `@requires(["authenticated"])` (or any scope): the request is refused unless
    the authentication middleware granted those scopes."""
    return (
        isinstance(deco, ast.Call)
        and _dotted(deco.func).rsplit(".", 1)[-1] == "requires"
        and bool(deco.args or deco.keywords)
    )


def _errors(fn: ast.AST) -> tuple[int, ...]:
    codes: set[int] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and _call_name(node) in (
            "HTTPException",
            "abort",
            "JSONResponse",
            "Response",
            "make_response",
        ):
            for arg in [*node.args[:2], _kw(node, "status_code"), _kw(node, "status")]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, int):
                    codes.add(arg.value)
                elif isinstance(arg, ast.Attribute) and (m := re.search(r"_(\d{3})_", arg.attr)):
                    codes.add(int(m[1]))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            last = node.value.elts[-1] if node.value.elts else None
            if isinstance(last, ast.Constant) and isinstance(last.value, int):
                codes.add(last.value)
    return tuple(sorted(c for c in codes if c >= 300))


_WRITE_CALLS = frozenset(
    [
        "add",
        "add_all",
        "insert",
        "insert_one",
        "insert_many",
        "create",
        "save",
        "commit",
        "bulk_create",
        "put_item",
    ]
)
_LIST_CALLS = frozenset(["all", "fetchall", "find", "scalars"])
_QUERY_CALLS = frozenset(["execute", "fetchall", "fetch", "scalars", "query", "all", "find"])


# a request body's model (letta's `AuthRequest`, `TokenPayload`, `UserCreate`): the data sent,
# not who sends it, whatever its name says
_BODY_MODEL = re.compile(
    r"(?:Request|Body|Payload|Schema|Model|Form|Create|Update|Input|Data|Params)$"
)


def _guarding(annotation: ast.expr | None) -> bool:
    """Whether a parameter's annotation can name a guard: not a plain body model, which
    FastAPI fills from the request body (`Annotated[User, Depends(...)]` still can).

    Example:
        >>> _guarding(ast.parse("AuthRequest", mode="eval").body)
        False
        >>> _guarding(ast.parse("Annotated[User, Depends(current_user)]", mode="eval").body)
        True
    """
    if annotation is None:
        return False
    if isinstance(annotation, ast.Name | ast.Attribute):
        return not _BODY_MODEL.search(_dotted(annotation))
    return True


def _endpoint(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    method: str,
    path: str,
    mod: _Module,
    framework: str,
    auth: str,
    call: ast.Call | None,
) -> Endpoint:
    params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults = dict(
        zip(
            [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]][::-1],
            fn.args.defaults[::-1],
            strict=False,
        )
    )
    defaults |= {
        a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True) if d
    }
    inputs: list[str] = []
    for param in params:
        if param.arg in ("self", "cls", "request"):
            continue
        ann = ast.unparse(param.annotation) if param.annotation else ""
        found = _auth_in(defaults.get(param.arg), mod.known) or (
            _auth_in(param.annotation, mod.known) if _guarding(param.annotation) else ""
        )
        if found:
            auth = auth or found
            continue
        if "Depends(" in ann or "Depends(" in ast.unparse(defaults.get(param.arg) or ast.Pass()):
            continue  # a database session or another injected helper
        inputs.append(f"{param.arg}: {ann}" if ann else param.arg)
    # a decorator above the route's wraps the function after the route has registered it
    at = fn.decorator_list.index(call) if call in fn.decorator_list else -1
    above = ""
    for i, deco in enumerate(fn.decorator_list):
        name = _dotted(deco)
        last = name.rsplit(".", 1)[-1]
        if (
            _AUTH.search(last) or last in mod.known or _scopes_required(deco)
        ) and not name.endswith((*METHODS, "route")):
            if i > at:
                auth = auth or name
            else:
                above = above or name
    if call is not None:
        auth = auth or _auth_in(_kw(call, "dependencies"), mod.known)
    auth = (
        auth
        or _param_auth(fn, mod.known)
        or ("in-body" if _denies(fn) else "")
        or auth_called(fn, mod.known)
    )
    text = ast.unparse(fn)
    names = {p.arg for p in params}
    paginated = (
        bool(names & _PAGE_PARAMS)
        or bool(re.search(r"(?i)Depends\([^)]*(?:filter|page|paginat)", ast.unparse(fn.args)))
        or bool(re.search(r"args\.get\(\s*['\"](?:page|limit|offset|cursor|per_page)", text))
        or pages_by_parameter(fn)
    )
    model = _kw(call, "response_model") if call else None
    response = ast.unparse(model) if model is not None else ""
    returns = ast.unparse(fn.returns) if fn.returns else ""
    queries = any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in _QUERY_CALLS
        for n in ast.walk(fn)
    ) or bool(re.search(r"\.objects\.|\bselect\b.+\bfrom\b", text, re.I))
    returns_list = any(
        isinstance(n, ast.Return) and n.value is not None and _call_name(n.value) in _LIST_CALLS
        for n in ast.walk(fn)
    ) or (queries and bool(re.match(r"(?:typing\.)?(?:list|List|Sequence)\[", response or returns)))
    creates = bool(
        re.match(r"(?i)(?:create|add|new|insert|register|submit|upload|place|post)", fn.name)
    )
    calls = {_call_name(n) for n in ast.walk(fn) if isinstance(n, ast.Call)}
    form = bool(calls & {"render_template", "redirect", "render"})  # an HTML form posts back
    writes = not form and (
        (creates and bool(calls & _WRITE_CALLS))
        or bool(re.search(r"\binsert\s+into\b", text, re.I))
    )
    return Endpoint(
        method=method.upper(),
        path=path or "/",
        handler=fn.name,
        file=mod.rel,
        line=fn.lineno,
        framework=framework,
        auth=auth,
        inputs=tuple(inputs),
        paginated=paginated,
        errors=_errors(fn),
        returns_list=returns_list,
        writes=writes,
        idempotency_key="idempotency" in text.lower(),
        guard_above="" if auth and auth != "in-body" else above,
        node=fn,
    )
