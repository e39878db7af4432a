"""The endpoints of Falcon apps: resources routed by `app.add_route("/path", Resource())`, each
HTTP method answered by the resource's responder (`on_get`, `on_post`, ...; `on_get_item` under
`suffix="item"`). They have no route decorator, so `web.py`'s decorator walk never meets them.
robotoff 1.28.0's prediction API routes forty resources so, six of them open writes:

    api = falcon.API(middleware=[cors.middleware, MultipartMiddleware(), DBConnectionMiddleware()])
    api.add_route("/api/v1/products/dataset", UpdateDatasetResource())

Falcon authenticates in middleware (a class whose `process_request` or `process_resource` checks
the caller), in hooks (`@falcon.before(check_token)` on a resource or a responder) or in the
responder's own code; outside the app, a WSGI middleware can wrap it (OpenStack's Keystone
`auth_token`, set up in a paste pipeline). Precision comes first, so the app counts as guarded
whenever the review cannot tell: a middleware it does not know (not of the repository, named
for no chore it knows: CORS, multipart bodies, database connections, logs, metrics), a hook not
of the repository, a route added on an app built elsewhere, or a repository that sets up a
paste pipeline or Keystone's middleware. A middleware or hook of the repository guards when its
code refuses a caller or reads as auth.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from team.audit.body_auth import auth_called
from team.audit.endpoints import (
    _AUTH,
    App,
    Endpoint,
    _auth_in,
    _denies,
    _dotted,
    _kw,
    _Module,
    _str,
    guards_anonymous,
)
from team.audit.handlers import _endpoint
from team.audit.resources import _chain

__all__ = ["falcon_endpoints", "refusing_functions", "wrapped_outside"]

_RESPONDER = re.compile(r"on_(get|post|put|patch|delete)(?:_(\w+))?$")
# middleware named for a chore that is no authentication
_CHORES = re.compile(
    r"(?i)cors|multipart|\bdb|database|connection|sqlalchemy|peewee|log|metric|prometheus"
    r"|sentry|tim(?:ing|er)|compress|gzip|json|static|request_?id|trailing"
)
_MIDDLEWARE_HOOKS = ("process_request", "process_resource")
_FALCON_REFUSALS = ("HTTPUnauthorized", "HTTPForbidden")
# the app is wrapped by a WSGI middleware set up outside Python's view (a paste pipeline)
_WRAPPED = re.compile(r"keystonemiddleware|paste\.deploy|\bloadapp\(|\[pipeline:|auth_token")


def wrapped_outside(texts: list[str]) -> bool:
    """The repository wraps its WSGI app in middleware this review cannot read (a paste
    pipeline, Keystone's auth_token)."""
    return any(_WRAPPED.search(t) for t in texts)


def _is_app(call: ast.Call) -> bool:
    """`falcon.App(...)`, `falcon.API(...)` (Falcon < 3), `falcon.asgi.App(...)`."""
    return _dotted(call.func) in ("falcon.App", "falcon.API", "falcon.asgi.App")


def _guard(
    node: ast.AST,
    classes: dict[str, tuple[str, ast.ClassDef]],
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    known: frozenset[str],
) -> str:
    """What a middleware entry or a hook guards with ("" when it checks no one): the name of
    one that reads as auth or whose code of the repository refuses a caller, and the name of
    any other the review cannot read."""
    target = node.func if isinstance(node, ast.Call) else node
    name = _dotted(target) or ast.unparse(target)
    last = name.rsplit(".", 1)[-1]
    if _AUTH.search(last) or last in known:
        return name
    if last in classes:
        cls = classes[last][1]
        body = [f for f in cls.body if getattr(f, "name", "") in _MIDDLEWARE_HOOKS]
        return name if any(_refuses(f, known) for f in body) else ""
    if last in functions:
        return name if _refuses(functions[last], known) else ""
    return "" if _CHORES.search(name) else name


def refusing_functions(modules: list[tuple[str, ast.Module]]) -> frozenset[str]:
    """Top-level functions of the repository that refuse a caller with Falcon's errors (`raise
    falcon.HTTPUnauthorized(...)`, `HTTPForbidden`), as robotoff's `parse_auth` does with a bad
    Authorization header: a responder that binds what one returns reads its caller."""
    return frozenset(
        top.name
        for _, tree in modules
        for top in tree.body
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) and _raises_refusal(top)
    )


def _raises_refusal(fn: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Raise) and n.exc is not None and _dotted(n.exc).endswith(_FALCON_REFUSALS)
        for n in ast.walk(fn)
    )


def _checks_caller(fn: ast.FunctionDef | ast.AsyncFunctionDef, refusing: frozenset[str]) -> str:
    """The responder refuses a caller itself (`raise falcon.HTTPForbidden(...)`), after what
    it binds from a function that reads the caller (robotoff's `auth = parse_auth(req)`, then
    `if auth is None: raise falcon.HTTPForbidden(...)`). One that only reads the caller
    (robotoff's annotations, trusted when signed and counted as votes when not) lets anonymous
    callers in on purpose: it guards nothing, and is not reported either."""
    return (auth_called(fn, refusing) or "in-body") if _raises_refusal(fn) else ""


def _refuses(fn: ast.AST, known: frozenset[str]) -> bool:
    return _denies(fn) or _raises_refusal(fn) or guards_anonymous(fn) or bool(_auth_in(fn, known))


def _hooks(node: ast.AST) -> list[ast.expr]:
    """The hooks `@falcon.before(hook, ...)` runs before `node` (a resource or a responder)."""
    return [
        d.args[0]
        for d in getattr(node, "decorator_list", [])
        if isinstance(d, ast.Call) and _dotted(d.func) in ("falcon.before", "before") and d.args
    ]


def _resource(
    value: ast.expr, tree: ast.Module, classes: dict[str, tuple[str, ast.ClassDef]]
) -> str:
    """The resource class an `add_route` argument instantiates: `Resource(...)`, or a name the
    module binds to one."""
    if isinstance(value, ast.Name):
        bound = [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == value.id for t in n.targets)
        ]
        value = bound[-1] if len(bound) == 1 else value
    if isinstance(value, ast.Call):
        name = _dotted(value.func).rsplit(".", 1)[-1]
        return name if name in classes else ""
    return ""


def _responders(
    cls: ast.ClassDef, classes: dict[str, tuple[str, ast.ClassDef]], suffix: str
) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(HTTP method, responder) of the resource and its bases of the repository, for a route's
    suffix; the nearest definition wins."""
    out: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for c in _chain(cls, classes):
        for fn in c.body:
            m = _RESPONDER.match(getattr(fn, "name", ""))
            if (
                m
                and (m[2] or "") == suffix
                and isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            ):
                out.setdefault(m[1].upper(), fn)
    return list(out.items())


def _calls(modules: list[tuple[str, ast.Module]], method: str) -> list[tuple[ast.Module, ast.Call]]:
    """Every `x.<method>(arg, ...)` call of the modules, with its module."""
    return [
        (tree, node)
        for _, tree in modules
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and node.args
    ]


def falcon_endpoints(
    modules: list[tuple[str, ast.Module]], known: frozenset[str], *, wrapped: bool
) -> tuple[list[Endpoint], list[App]]:
    """An endpoint per responder of every resource routed on a Falcon app of `modules` (rel,
    tree), guarded by the app's middleware, the resource's or responder's hooks or its own
    code; and the apps, where they are built. `wrapped`: the repository wraps the app in a
    WSGI middleware it sets up outside Python (`wrapped_outside`).

    Example:
        >>> import ast
        >>> code = '''
        ... import falcon
        ... class Notes:
        ...     def on_get(self, req, resp): ...
        ...     def on_post(self, req, resp): ...
        ... app = falcon.App(middleware=[CORSMiddleware()])
        ... app.add_route("/notes", Notes())
        ... '''
        >>> found, apps = falcon_endpoints([("a.py", ast.parse(code))], frozenset(), wrapped=False)
        >>> [(e.method, e.path, e.handler, e.auth) for e in found], [a.line for a in apps]
        ([('GET', '/notes', 'Notes.on_get', ''), ('POST', '/notes', 'Notes.on_post', '')], [6])
    """
    refusing = refusing_functions(modules)
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for rel, tree in modules:
        for top in tree.body:
            if isinstance(top, ast.ClassDef):
                classes.setdefault(top.name, (rel, top))
            elif isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.setdefault(top.name, top)
    apps: dict[str, tuple[App, str]] = {}  # app variable -> where it is built, its guard
    for rel, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                if not _is_app(node.value):
                    continue
                listed = _kw(node.value, "middleware")
                entries = listed.elts if isinstance(listed, ast.List | ast.Tuple) else [listed]
                guard = ""
                for entry in entries:
                    if entry is not None:
                        guard = guard or _guard(entry, classes, functions, known)
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        apps[t.id] = (App(rel, node.lineno, "falcon", t.id), guard)
    for _, node in _calls(modules, "add_middleware"):  # app.add_middleware(X())
        owner = _dotted(node.func).rsplit(".", 1)[0]
        if owner in apps:
            app, guard = apps[owner]
            apps[owner] = (app, guard or _guard(node.args[0], classes, functions, known))
    out: list[Endpoint] = []
    for tree, node in _calls(modules, "add_route"):
        path = _str(node.args[0])
        name = _resource(node.args[-1], tree, classes) if len(node.args) == 2 else ""
        if path is None or not name:
            continue
        owner = _dotted(node.func).rsplit(".", 1)[0]
        built = apps.get(owner)
        app_guard = (built[1] if built else f"app {owner} built elsewhere") or (
            "WSGI middleware outside the app" if wrapped else ""
        )
        cls_rel, cls = classes[name]
        mod = _Module(cls_rel, ast.Module(body=[], type_ignores=[]), known=known)
        on_class = next((g for h in _hooks(cls) if (g := _guard(h, classes, functions, known))), "")
        for method, fn in _responders(cls, classes, _str(_kw(node, "suffix")) or ""):
            hook = next((g for h in _hooks(fn) if (g := _guard(h, classes, functions, known))), "")
            auth = app_guard or on_class or hook or _checks_caller(fn, refusing)
            e = _endpoint(fn, method, path, mod, "falcon", auth, None)
            reads = not e.auth and bool(auth_called(fn, refusing))  # open on purpose
            out.append(replace(e, handler=f"{cls.name}.{fn.name}", marked_public=reads))
    return out, [app for app, _ in apps.values()]
