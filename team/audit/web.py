"""The HTTP endpoints of FastAPI, Flask and Django apps, read from the syntax tree.

An `Endpoint` holds what an API review needs: method, path (with router prefixes), handler,
the authentication it requires, its inputs, whether it paginates, and the error codes it raises.
Routers mounted under a prefix in another module (`include_router(x.router, prefix=...)`) get
that prefix, and the authentication of `dependencies=` there, also when the package enclosing the
reviewed one mounts them (`_enclosing_mounts`). A dependency counts as authentication when its name says so or when the repository's
function behind it takes a security scheme (`Security`, `APIKeyHeader`, `OAuth2PasswordBearer`)
or another such dependency, or refuses with 401/403. Django and DRF (urls, viewsets on routers,
permission classes) are read by `web_django`, Flask-RESTful resources by `resources`, Falcon
resources by `falcon_resources`; the model they share is `endpoints`, and `handlers` reads a
route's function.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path
from typing import cast

from team.audit.endpoints import (
    _AUTH,
    _SCHEMES,
    METHODS,
    App,
    Endpoint,
    _auth_in,
    _call_name,
    _denies,
    _dotted,
    _kw,
    _Module,
    _prefix,
    _scope,
    _str,
    guards_anonymous,
)
from team.audit.falcon_resources import falcon_endpoints, wrapped_outside
from team.audit.handlers import _endpoint, _errors, _param_auth
from team.audit.repo import Repo, is_migration, is_test
from team.audit.resources import resource_endpoints
from team.audit.route_owners import enclosing_functions, route_owners
from team.audit.web_django import django_endpoints as django_endpoints_of

__all__ = ["web_inventory"]

# a middleware that checks who calls, by its name: auth, a password, a secret
_GUARD_MIDDLEWARE = re.compile(_AUTH.pattern + r"|password|secret")
# a Flask-RESTful resource registered by a call or in a table of registrations (`resources.py`)
_REGISTERS = re.compile(r"\.add_resource\(|\bresource\s*=|['\"]resource['\"]\s*:")
_APP_CLASSES = {"FastAPI": "fastapi", "Flask": "flask", "Starlette": "starlette", "Quart": "flask"}
_ROUTER_CLASSES = {"APIRouter": "fastapi", "Blueprint": "flask"}


def _auth_functions(modules: list[tuple[str, ast.Module]]) -> frozenset[str]:
    """Module-level functions of the web modules that authenticate a request: they take a
    security scheme or another such function as a dependency, or refuse with 401/403."""
    functions = {
        node.name: node
        for _, tree in modules
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    known = {
        t.id
        for _, tree in modules
        for node in tree.body
        if isinstance(node, ast.Assign) and _SCHEMES.match(_call_name(node.value))
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for _ in range(4):  # dependencies of dependencies
        before = len(known)
        for name, fn in functions.items():
            if name not in known and (_param_auth(fn, frozenset(known)) or _denies(fn)):
                known.add(name)
        if len(known) == before:
            break
    return frozenset(known)


_HOOKS = ("before_request", "before_app_request", "url_value_preprocessor")
# where a hook sends a caller it refuses: the login page or an authenticate endpoint
_TO_LOGIN = re.compile(r"(?i)\b\.?(log_?in|sign_?in|authenticate)\b")


# a call that checks the caller's credentials (and raises when they do not hold), by its name
_VERIFIES = re.compile(
    r"(?i)^(?:verify|check|validate|require|ensure)_?\w*"
    r"(?:auth|token|login|jwt|credential|signature|api_?key)|^authenticate"
)


def _hook(mod: _Module, owner: str, kind: str, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """Record a Flask request hook that authenticates: on a blueprint it guards the blueprint's
    routes; on the application (or `before_app_request` on any blueprint) every route of the
    app, blueprints included, when its code refuses an anonymous request."""
    decorated = any(
        _AUTH.search(_dotted(_unwrapped_call(d)).rsplit(".", 1)[-1])
        for d in fn.decorator_list
        if _call_name(d) not in _HOOKS
    )  # @admin_required on the hook itself
    calls = {_call_name(n) for n in ast.walk(fn) if isinstance(n, ast.Call)}
    verifies = any(_VERIFIES.match(c) for c in calls)  # verify_auth_token(token, [...])
    refuses = guards_anonymous(fn) or _denies(fn) or decorated or verifies
    if kind == "url_value_preprocessor":
        read = _url_values_read(fn)
        if read and (refuses or _sends_to_login(fn)):
            mod.param_auth.setdefault(owner, set()).update(read)
        return
    if kind == "before_request" and (refuses or _AUTH.search(fn.name) or calls & mod.known):
        mod.global_auth.add(owner)
        if owner in mod.imported:  # a hook module guarding blueprints defined elsewhere
            mod.guards_elsewhere.add(mod.imported[owner])
    if refuses and (kind == "before_app_request" or owner in {a.name for a in mod.apps}):
        mod.app_auth.setdefault("flask", f"{owner}.{kind} {fn.name}")
    elif refuses and owner in mod.imported:  # `from archivy import app`, then @app.before_request
        mod.refusing_elsewhere[mod.imported[owner]] = f"{owner}.{kind} {fn.name}"


def _url_values_read(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The URL values a `url_value_preprocessor(endpoint, values)` takes: `values.pop("x")`,
    `values.get("x")`, `values["x"]`."""
    params = [a.arg for a in fn.args.args]
    if len(params) < 2:
        return set()
    values, out = params[1], set()
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("pop", "get")
            and values in {n.id for n in ast.walk(node.func.value) if isinstance(n, ast.Name)}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            out.add(str(node.args[0].value))
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == values
            and isinstance(node.slice, ast.Constant)
        ):
            out.add(str(node.slice.value))
    return out


def _sends_to_login(fn: ast.AST) -> bool:
    """The hook raises or returns a redirect to the login page or an authenticate endpoint
    (ihatemoney's `pull_project`: `raise Redirect303(url_for(".authenticate", ...))` when the
    project is not in the caller's session)."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise | ast.Return):
            text = ast.unparse(node)
            if _TO_LOGIN.search(text) and re.search(r"(?i)redirect", text):
                return True
    return False


def _unwrapped_call(deco: ast.expr) -> ast.expr:
    """`@jwtauth(...)` -> `jwtauth`; a bare decorator as it is."""
    return deco.func if isinstance(deco, ast.Call) else deco


def _imports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Local name -> (module stem, name in that module) for every `from x import y [as z]`."""
    return {
        alias.asname or alias.name: ((node.module or "").rsplit(".", 1)[-1], alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def _scan_objects(rel: str, tree: ast.Module, known: frozenset[str]) -> _Module:
    mod = _Module(rel, tree, known=known, imported=_imports(tree))
    functions = {
        n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            cls = _call_name(node.value)
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            fw = _APP_CLASSES.get(cls) or _ROUTER_CLASSES.get(cls)
            if not fw or not targets:
                continue
            prefix = _prefix(node.value)
            deps = _kw(node.value, "dependencies")
            auth = _auth_in(_bound(deps, tree), known) or _dependencies_call(deps, mod, functions)
            if cls in _APP_CLASSES:  # Starlette(middleware=[Middleware(AuthenticationMiddleware)])
                auth = auth or _auth_in(_bound(_kw(node.value, "middleware"), tree), known)
            scope = getattr(_scope(tree, node), "lineno", 0)
            for target in targets:
                mod.routers[target] = (fw, prefix, auth)
                mod.scoped[(target, scope)] = (fw, prefix, auth)
                if cls in _APP_CLASSES:
                    mod.apps.append(App(rel, node.lineno, fw, target))
                    if auth:  # FastAPI(dependencies=[Depends(verify_key)])
                        mod.app_auth.setdefault(fw, auth)
        elif (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value) in _APP_CLASSES
        ):  # an app factory's `return FastAPI(dependencies=dependencies)`: every route it serves
            auth = _auth_in(_bound(_kw(node.value, "dependencies"), tree), known)
            if auth:
                mod.app_auth.setdefault(_APP_CLASSES[_call_name(node.value)], auth)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if _call_name(deco) in _HOOKS:
                    _hook(mod, _dotted(deco).split(".")[0], _call_name(deco), node)
                elif _http_middleware(deco) and _refuses_caller(node):
                    _guard_all(mod, _dotted(deco).split(".")[0], f"middleware {node.name}")
        elif (
            isinstance(node, ast.Call)
            and _call_name(node) in _HOOKS
            and isinstance(node.func, ast.Attribute)
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in functions
        ):  # app.before_request(require_login)
            owner = _dotted(node.func.value).split(".")[0]
            _hook(mod, owner, _call_name(node), functions[node.args[0].id])
        elif (
            isinstance(node, ast.Call)
            and _call_name(node) == "add_middleware"
            and node.args
            and _GUARD_MIDDLEWARE.search(_dotted(node.args[0]))
        ):  # app.add_middleware(CheckPasswordMiddleware, password=...): every route of the app
            _guard_all(mod, _dotted(node.func).split(".")[0], f"{_dotted(node.args[0])}")
    return mod


def _dependencies_call(
    node: ast.AST | None,
    mod: _Module,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
) -> str:
    """`APIRouter(dependencies=get_dependencies())`: the list every route of the router runs
    is what a function returns. Defined in the module, its body is read for an auth dependency;
    imported from elsewhere, it is a check the review cannot see into, set on the router as a
    whole on purpose (OpenHands' routers take the session-key check this way): its routes are
    guarded alike, and none is an open outlier among them."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return ""
    name = node.func.id
    if name in functions:
        return _auth_in(functions[name], mod.known)
    return f"{name}()" if name in mod.imported else ""


def _bound(node: ast.AST | None, tree: ast.Module) -> ast.AST | None:
    """`dependencies=deps` read through the name: every value the module binds to `deps` or
    appends to it (phoenix builds `dependencies = [...]`, then
    `dependencies.append(Depends(is_authenticated))` when auth is on, then
    `APIRouter(dependencies=dependencies)`), also when only a set list is passed (txtai's
    `dependencies=dependencies if dependencies else None`); any other node as it is."""
    if isinstance(node, ast.IfExp):
        sides = (_bound(node.body, tree), _bound(node.orelse, tree))
        return ast.List(elts=[b for b in sides if isinstance(b, ast.expr)], ctx=ast.Load())
    if not isinstance(node, ast.Name):
        return node
    name, values = node.id, list[ast.expr]()
    for sub in ast.walk(_scope(tree, node)):
        if isinstance(sub, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            if sub.value is not None and any(
                isinstance(t, ast.Name) and t.id == name for t in targets
            ):
                values.append(sub.value)
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr in ("append", "extend", "insert")
            and isinstance(sub.func.value, ast.Name)
            and sub.func.value.id == name
        ):
            values += sub.args
    return ast.List(elts=values, ctx=ast.Load())


def _mount_key(mod: _Module, arg: ast.expr) -> tuple[str, str] | None:
    """(module stem, var) of the router or blueprint an include names."""
    if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
        return (arg.value.id, arg.attr)
    if isinstance(arg, ast.Name):
        return mod.imported.get(arg.id, (_stem(mod.rel), arg.id))  # `router as api_v1`
    return None


def _http_middleware(deco: ast.expr) -> bool:
    """`@app.middleware("http")`: a function every request of the app passes through."""
    return (
        isinstance(deco, ast.Call)
        and _call_name(deco) == "middleware"
        and isinstance(deco.func, ast.Attribute)
        and _str(deco.args[0] if deco.args else None) == "http"
    )


def _refuses_caller(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function answers 401/403 (raised, aborted or returned as a response) or sends an
    anonymous caller away."""
    return _denies(fn) or guards_anonymous(fn) or bool({401, 403} & set(_errors(fn)))


def _guard_all(mod: _Module, owner: str, how: str) -> None:
    """Every route of `owner` (an application: of the whole app) passes through a check."""
    if owner in {a.name for a in mod.apps}:
        mod.app_auth.setdefault(mod.routers[owner][0], f"{owner}.{how}")
    mod.global_auth.add(owner)


def _mounts(modules: list[_Module]) -> dict[tuple[str, str], tuple[str, str]]:
    """(module stem, router var) -> (prefix, auth) from `include_router`/`register_blueprint`.

    A router included into a router that authenticates gets that router's authentication, up
    the chain (phoenix: each resource router is included into one that is included into the
    `/v1` router built with `Depends(is_authenticated)`)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    parents: dict[tuple[str, str], tuple[str, str]] = {}
    for mod in modules:
        for node in ast.walk(mod.tree):
            if not (
                isinstance(node, ast.Call)
                and _call_name(node) in ("include_router", "register_blueprint")
                and node.args
            ):
                continue
            key = _mount_key(mod, node.args[0])
            if key is None:
                continue
            auth = _auth_in(_bound(_kw(node, "dependencies"), mod.tree), mod.known)
            parent = _dotted(node.func.value) if isinstance(node.func, ast.Attribute) else ""
            if not auth and parent in mod.routers:
                auth = mod.routers[parent][2]
            out[key] = (_prefix(node), auth)
            if parent:
                parents[key] = (_stem(mod.rel), parent)
    for _ in range(4):  # routers of routers of routers
        for key, above in parents.items():
            prefix, auth = out[key]
            if not auth and out.get(above, ("", ""))[1]:
                out[key] = (prefix, out[above][1])
    return out


def _enclosing_mounts(root: Path) -> dict[tuple[str, str], str]:
    """(module stem, router var) -> auth for the routers of a reviewed package that the package
    enclosing it mounts behind an authenticating dependency: mediaflow-proxy's `main.py` runs
    `app.include_router(proxy_router, dependencies=[Depends(verify_api_key)])` for the
    routers of the reviewed `routes/`, so every route of `proxy_router` asks for the API key."""
    outer = root.parent
    if not ((root / "__init__.py").exists() and (outer / "__init__.py").exists()):
        return {}
    web = []
    for path in sorted(outer.glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "include_router" in text:
            try:
                web.append((path.name, ast.parse(text)))
            except SyntaxError:
                continue
    known = _auth_functions(web)
    mounts = _mounts([_scan_objects(rel, tree, known) for rel, tree in web])
    return {key: auth for key, (_, auth) in mounts.items() if auth}


def _module_names(rel: str, root: str) -> set[str]:
    """The last name a module is imported by: its stem, and for a package's `__init__.py` the
    package's folder (the review's root folder at the top: `from archivy import app`)."""
    parts = rel.split("/")
    if parts[-1] != "__init__.py":
        return {_stem(rel)}
    return {parts[-2] if len(parts) > 1 else root, "__init__"}


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".py")


def _route_endpoints(
    mod: _Module, mounts: dict[tuple[str, str], tuple[str, str]]
) -> list[Endpoint]:
    out: list[Endpoint] = []
    stem = _stem(mod.rel)
    enclosing = enclosing_functions(mod.tree)
    for fn in ast.walk(mod.tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in fn.decorator_list:
            if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                continue
            for owner, router in route_owners(mod, enclosing, fn, _dotted(deco.func.value)):
                out += _routes(mod, fn, deco, owner, router, mounts.get((stem, owner), ("", "")))
    return out


def _routes(
    mod: _Module,
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    deco: ast.Call,
    owner: str,
    router: tuple[str, str, str],
    mount: tuple[str, str],
) -> list[Endpoint]:
    """The endpoints a route decorator on `owner` (its framework, prefix and auth) registers."""
    framework, prefix, router_auth = router
    mount_prefix, mount_auth = mount
    verb = deco.func.attr if isinstance(deco.func, ast.Attribute) else ""
    route = _str(deco.args[0]) if deco.args else _str(_kw(deco, "path"))
    if route is None:
        return []
    if verb in METHODS:
        methods = [verb]
    elif verb in ("route", "api_route", "websocket"):
        listed = _kw(deco, "methods")
        methods = [
            m
            for m in (
                [_str(e) for e in listed.elts]
                if isinstance(listed, ast.List | ast.Tuple)
                else ["GET"]
            )
            if m
        ]
    else:
        return []
    auth = router_auth or mount_auth or ("global" if owner in mod.global_auth else "")
    if not auth and any(
        re.search(rf"<(?:\w+:)?{re.escape(v)}>", route) for v in mod.param_auth.get(owner, ())
    ):
        auth = "url_value_preprocessor"  # the hook checks the caller for this value
    path = mount_prefix + prefix + route
    return [_endpoint(fn, method, path, mod, framework, auth, deco) for method in methods]


def web_inventory(repo: Repo) -> tuple[list[Endpoint], list[App]]:
    """Every endpoint and application object in the repository, sorted by file and line.

    Example:
        >>> from pathlib import Path
        >>> endpoints, apps = web_inventory(Repo.scan(Path("scenarios/fixtures/churn")))
        >>> [(e.method, e.path, e.handler) for e in endpoints]
        [('POST', '/predict', 'predict')]
    """
    if "web" in repo.memo:
        return cast("tuple[list[Endpoint], list[App]]", repo.memo["web"])
    web = [
        (rel, tree)
        for rel, tree in repo.modules()
        if re.search(r"fastapi|flask|starlette|quart|Blueprint|APIRouter", repo.text(rel))
    ]
    known = _auth_functions(web)
    modules = [_scan_objects(rel, tree, known) for rel, tree in web]
    guarded = {key for mod in modules for key in mod.guards_elsewhere}
    for mod in modules:  # hooks another module registers on this module's blueprints
        mod.global_auth |= {var for stem, var in guarded if stem == _stem(mod.rel)}
    mounts = _mounts(modules)
    for key, auth in _enclosing_mounts(repo.root).items():
        prefix, own = mounts.get(key, ("", ""))
        mounts[key] = (prefix, own or auth)
    endpoints = [e for mod in modules for e in _route_endpoints(mod, mounts)]
    resource_apps: list[App] = []
    if any(_REGISTERS.search(repo.text(rel)) for rel in repo.python):
        scanned = {mod.rel: mod for mod in modules}
        resources, resource_apps = resource_endpoints(list(repo.modules()), scanned, known)
        endpoints += resources
    falcon = [(rel, tree) for rel, tree in repo.modules() if "falcon" in repo.text(rel)]
    falcon_apps: list[App] = []
    if falcon:  # resources routed by `app.add_route` (`falcon_resources.py`)
        configs = [repo.text(rel) for rel in [*repo.python, *repo.named(r"\.ini$")]]
        found, falcon_apps = falcon_endpoints(
            falcon,
            known | _auth_functions(falcon),
            wrapped=wrapped_outside(configs),
        )
        endpoints += found
    app_auth = {fw: auth for mod in modules for fw, auth in mod.app_auth.items()}
    apps_by_place = {
        (name, a.name): a
        for mod in modules
        for name in _module_names(mod.rel, repo.root.name)
        for a in mod.apps
    }
    for mod in modules:  # a refusing hook registered on an application imported from elsewhere
        for place, hook in mod.refusing_elsewhere.items():
            if place in apps_by_place:
                app_auth.setdefault(apps_by_place[place].framework, hook)
    # an application-wide hook or dependency guards the routes of its blueprints and routers
    endpoints = [
        replace(e, auth=app_auth[e.framework]) if not e.auth and e.framework in app_auth else e
        for e in endpoints
    ]
    apps = [a for mod in modules for a in mod.apps] + resource_apps + falcon_apps
    django = [(rel, tree) for rel, tree in repo.modules() if not is_migration(rel)]
    django_endpoints = django_endpoints_of(django, {rel: repo.text(rel) for rel, _ in django})
    urls = next((rel for rel, _ in django if rel.endswith("urls.py")), "")
    django_apps = (
        [App(urls or django_endpoints[0].file, 1, "django", "urlpatterns")]
        if django_endpoints
        else []
    )
    served = [e for e in endpoints + django_endpoints if not is_test(e.file)]  # not scaffolding
    result = (
        sorted(served, key=lambda e: (e.file, e.line, e.method)),
        apps + django_apps,
    )
    repo.memo["web"] = result
    return result
