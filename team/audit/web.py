"""The HTTP endpoints of FastAPI, Flask and Django apps, read from the syntax tree.

An `Endpoint` holds what an API review needs: method, path (with router prefixes), handler,
the authentication it requires, its inputs, whether it paginates, and the error codes it raises.
Routers mounted under a prefix in another module (`include_router(x.router, prefix=...)`) get
that prefix, and the authentication of `dependencies=` there, also when the package enclosing the
reviewed one mounts them (`_enclosing_mounts`). A dependency counts as authentication when its name says so or when the repository's
function behind it takes a security scheme (`Security`, `APIKeyHeader`, `OAuth2PasswordBearer`)
or another such dependency, or refuses with 401/403. Django and DRF (urls, viewsets on routers,
permission classes) are read by `web_django`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from team.audit.body_auth import auth_called
from team.audit.paged_params import pages_by_parameter
from team.audit.repo import Repo, is_migration, is_test

__all__ = ["App", "Endpoint", "guards_anonymous", "web_inventory"]

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_AUTH = re.compile(
    r"(?i)auth|user|token|login|permission|security|verify|api_?key|credential|principal|admin"
    r"|jwt|oauth|bearer|scope|role|access|staff|superuser|member_required|passes_test"
)
# a middleware that checks who calls, by its name: auth, a password, a secret
_GUARD_MIDDLEWARE = re.compile(_AUTH.pattern + r"|password|secret")
_USER_AGENT = re.compile(r"(?i)user_?agent")
_PUBLIC = re.compile(
    r"(?i)^/?$|health|ready|live|ping|status|metrics|docs|openapi|redoc|login|logout|token"
    r"|signup|sign-up|register|callback|static|favicon|version|password|recover|reset|forgot"
    r"|csrf|verify|confirm|activat|oauth|anonymous"
)
_SCHEMES = re.compile(
    r"(?:APIKey(?:Header|Query|Cookie)|OAuth2\w*|HTTP(?:Bearer|Basic|Digest)|Security)$"
)
_DENIED = re.compile(r"(?i)UNAUTHORIZED|FORBIDDEN|_40[13](?:_|$)")
# exceptions a web app raises to refuse a caller (privacyIDEA's `AuthError`, DRF's
# `AuthenticationFailed` and `NotAuthenticated`)
_DENIED_ERRORS = re.compile(
    r"PermissionDenied|NotAuthenticated|Unauthorized|Forbidden"
    r"|Auth(?:entication)?(?:Error|Failed|Failure)\b"
)
_CREDENTIAL = re.compile(r"(?i)api_?key|token|authorization|auth|credential|session|jwt")
# a handler of the sign-in flow itself is reachable without signing in
_AUTH_FLOW = re.compile(
    r"(?i)sign_?up|register|recover|reset|invit|login|logout|auth(?!or)|callback|verify"
    r"|confirm|activat|(?:create|new|open)_?(?:user_?)?account"
)
# a webhook receiver is public by design when it checks the sender's signature or shared secret
# a Flask-RESTful resource registered by a call or in a table of registrations (`resources.py`)
_REGISTERS = re.compile(r"\.add_resource\(|\bresource\s*=|['\"]resource['\"]\s*:")
_WEBHOOK = re.compile(r"(?i)web_?hook")
_SIGNED = re.compile(
    r"(?i)signature|hmac|compare_digest|secret|construct_event|verify|token|x[-_]hub|authori[sz]"
)
# a one-time token or secret the caller sends (a reset link's token, an OAuth client secret):
# an endpoint that takes one and looks it up is authenticated by it, public by design; a device's
# push token or a page token identifies nothing the caller proves
_TOKEN_KEY = re.compile(
    r"(?i)^(?!(?:device|push|fcm|apns|csrf|page|next_page|sync)_)(?:\w+_)?token$"
    r"|^(?:client_)?secret$|^signature$"
)
# an attribute holding an object's shared key (`device.key`, `vpn.secret`, `node.api_token`)
_SHARED_KEY = re.compile(r"(?i)^(?:\w+_)?(?:key|token|secret)$")
# an OAuth2 server library (Authlib, oauthlib) answers the request and authenticates the client
_OAUTH_SERVER = frozenset(
    [
        "create_endpoint_response",
        "create_token_response",
        "create_authorization_response",
        "create_revocation_response",
        "create_introspect_response",
    ]
)
# a password check: the handler is the sign-in form itself (ihatemoney's /admin checks the admin
# password with check_password_hash and only then marks the session)
_PASSWORD_CHECKS = frozenset(
    ["check_password_hash", "check_password", "verify_password", "checkpw", "compare_digest"]
)
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
_APP_CLASSES = {"FastAPI": "fastapi", "Flask": "flask", "Starlette": "starlette", "Quart": "flask"}
_ROUTER_CLASSES = {"APIRouter": "fastapi", "Blueprint": "flask"}


@dataclass(frozen=True)
class Endpoint:
    """One HTTP operation a repository serves."""

    method: str
    path: str
    handler: str
    file: str
    line: int
    framework: str
    auth: str = ""
    inputs: tuple[str, ...] = ()
    paginated: bool = False
    errors: tuple[int, ...] = ()
    returns_list: bool = False
    writes: bool = False
    idempotency_key: bool = False
    marked_public: bool = False  # declared open on purpose (DRF AllowAny)
    guard_above: str = ""  # an auth decorator above the route's, so it never runs (guard_order)
    open_setting: str = ""  # permission classes from a setting empty by default (open_defaults)
    node: ast.AST | None = field(default=None, compare=False, repr=False)

    @property
    def webhook(self) -> bool:
        """The endpoint receives another service's events (named or routed as a webhook)."""
        return bool(_WEBHOOK.search(f"{self.handler} {self.path}"))

    @property
    def public(self) -> bool:
        if self.marked_public:
            return True
        if self.webhook:
            return self.node is None or bool(_SIGNED.search(ast.unparse(self.node)))
        literal = [p for p in self.path.split("/") if p and not _parameter(p)]
        return (
            not literal
            or bool(_PUBLIC.search(literal[-1]))
            or bool(_AUTH_FLOW.search(self.handler))
            or (self.method != "GET" and self.node is not None and _takes_token(self.node))
            or (self.node is not None and _checks_password(self.node))
        )


def _parameter(segment: str) -> bool:
    """A path segment the caller fills in (`{id}`, `<int:pk>`, `(?P<pk>...)`); a prefix held in
    a constant the inventory could not read (`{OTLP_TRACES_PATH}`) is a fixed name, not one."""
    if re.fullmatch(r"\{[A-Z][A-Z0-9_]*\}", segment):
        return False
    return segment.startswith(("{", "<", "("))


def _checks_password(node: ast.AST) -> bool:
    """The handler checks a password it was sent (`check_password_hash(...)`): it is the
    sign-in form itself (its GET shows the form, its POST signs in), reachable before any login."""
    return any(
        isinstance(sub, ast.Call) and _call_name(sub) in _PASSWORD_CHECKS for sub in ast.walk(node)
    )


def _checks_shared_key(call: ast.Call) -> bool:
    """The call is handed both the request and an object's own key (`device.key`)."""
    return any(_dotted(a) == "request" for a in call.args) and any(
        isinstance(a, ast.Attribute) and _SHARED_KEY.match(a.attr) for a in call.args
    )


def _takes_token(node: ast.AST) -> bool:
    """The handler is authenticated by what the caller sends rather than by a login: it reads
    a token, secret or signature from the request (`data.get("token")`, `form["client_secret"]`,
    a `token` path parameter), or hands the request to an OAuth2 server library
    (`create_endpoint_response`), which authenticates the client, or hands the request to a
    helper with the key of the object it acts on (`forbid_unallowed(request, "POST", "key",
    device.key)`: a device proves itself with its own key).

    Example:
        >>> code = "def reset(data):\\n    user = find(data.get('reset_token'))\\n    user.save()"
        >>> _takes_token(ast.parse(code).body[0])
        True
        >>> _takes_token(ast.parse("def add(data):\\n    Item(data.get('name')).save()").body[0])
        False
    """
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments) and any(
        _TOKEN_KEY.match(a.arg) for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]
    ):
        return True
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and (
            _call_name(sub) in _OAUTH_SERVER or _checks_shared_key(sub)
        ):
            return True
        key: ast.AST | None = None
        if isinstance(sub, ast.Call) and _call_name(sub) == "get" and sub.args:
            key = sub.args[0]
        elif isinstance(sub, ast.Subscript):
            key = sub.slice
        if (text := _str(key)) is not None and _TOKEN_KEY.match(text):
            return True
    return False


@dataclass(frozen=True)
class App:
    """An application object (`FastAPI()`, `Flask()`) or a Django project, where it is created."""

    file: str
    line: int
    framework: str
    name: str


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _prefix(call: ast.Call) -> str:
    """A router's prefix; one computed at run time (`settings.API_V1_STR`) reads `{expression}`."""
    node = _kw(call, "prefix") or _kw(call, "url_prefix")
    if node is None:
        return ""
    text = _str(node)
    return text if text is not None else "{" + ast.unparse(node) + "}"


def _auth_in(node: ast.AST | None, known: frozenset[str] = frozenset()) -> str:
    """The name of an auth dependency inside `node` (Depends(x), Security(x), names): one whose
    name reads as auth, or a function of the repository `known` to authenticate."""
    if node is None:
        return ""
    for sub in ast.walk(node):
        name = _dotted(sub) if isinstance(sub, ast.Name | ast.Attribute) else ""
        last = name.rsplit(".", 1)[-1]
        if _USER_AGENT.search(last):
            continue  # the client's software, named in a header; it proves no one's identity
        if name and (_AUTH.search(last) or last in known or _SCHEMES.match(last)):
            return name
    return ""


def _denies(fn: ast.AST) -> bool:
    """The function refuses a request itself: 401/403 raised, aborted or returned as Flask's
    (body, status) pair, PermissionDenied."""
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Raise)
            and node.exc is not None
            and _DENIED_ERRORS.match(_call_name(node.exc))
        ):
            return True
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Tuple)
            and any(isinstance(e, ast.Constant) and e.value in (401, 403) for e in node.value.elts)
        ):
            return True  # Flask's `return "Forbidden", 403`
        if isinstance(node, ast.Call) and _call_name(node) in ("HTTPException", "abort"):
            for arg in [*node.args[:1], _kw(node, "status_code"), _kw(node, "code")]:
                if isinstance(arg, ast.Constant) and arg.value in (401, 403):
                    return True
                if isinstance(arg, ast.Attribute) and _DENIED.search(arg.attr):
                    return True
    return False


# the test of a check that the request comes from nobody: `user.is_anonymous`, `not
# user.is_authenticated`, `g.user is None`
_ANONYMOUS = re.compile(
    r"is_anonymous|\bnot\s+[\w.()]*is_authenticated|\buser\s+is\s+None|\bnot\s+[\w.]*\buser\b"
)
# what such a check does when it holds: send to the login page, refuse with 401/403 or 404
_REFUSES = re.compile(
    r"(?i)login|PermissionDenied|Forbidden|Unauthori[sz]ed|NotAuthenticated|\b40[134]\b|abort"
    r"|Http404"
)
# the test of a check that the caller lacks a right: `not user.is_superuser`, `not
# user.has_perm(...)`, `not article.can_write(user)`
_UNPRIVILEGED = re.compile(
    r"\bnot\s+[\w.]*\b(?:is_superuser|is_staff|is_admin|has_perms?\(|can_\w+\()"
)


def _exits(body: list[ast.stmt]) -> bool:
    """The block leaves the handler: it returns or raises (a refusal, whatever its form)."""
    return any(isinstance(n, ast.Return | ast.Raise) for s in body for n in ast.walk(s))


def guards_anonymous(node: ast.AST) -> bool:
    """`node` refuses an anonymous or unprivileged request: an `if` that tests for no user
    (`is_anonymous`, `not user.is_authenticated`, `user is None`) and then redirects to a login
    page, raises PermissionDenied or Http404 or answers 401/403; or an `if` that tests for a
    missing right (`not user.is_superuser`, `not user.has_perm(...)`, `not x.can_write(user)`)
    and then returns or raises. Loading the user, or reading it to pick a locale, is not a
    guard.

    Example:
        >>> code = "if request.user.is_anonymous:\\n    return redirect_to_login(request.path)"
        >>> guards_anonymous(ast.parse(code))
        True
        >>> guards_anonymous(ast.parse("if not request.user.is_superuser:\\n    return redirect('/')"))
        True
    """
    for sub in ast.walk(node):
        if not isinstance(sub, ast.If):
            continue
        test = ast.unparse(sub.test)
        if _ANONYMOUS.search(test) and _REFUSES.search("\n".join(ast.unparse(s) for s in sub.body)):
            return True
        if _UNPRIVILEGED.search(test) and _exits(sub.body):
            return True
    return False


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


@dataclass
class _Module:
    rel: str
    tree: ast.Module
    routers: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # var -> fw, prefix, auth
    apps: list[App] = field(default_factory=list)
    global_auth: set[str] = field(default_factory=set)  # router/app vars guarded as a whole
    known: frozenset[str] = frozenset()  # the repository's functions that authenticate
    # framework -> the hook or dependency that guards every route of the application
    app_auth: dict[str, str] = field(default_factory=dict)
    # local name -> (module stem, name there) of what this module imports
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (module stem, blueprint var) guarded by a hook registered here on an imported blueprint
    guards_elsewhere: set[tuple[str, str]] = field(default_factory=set)
    # blueprint var -> the URL values its url_value_preprocessor checks the caller for
    param_auth: dict[str, set[str]] = field(default_factory=dict)
    # (module stem, var) of an imported object a refusing hook is registered on, with the hook
    refusing_elsewhere: dict[tuple[str, str], str] = field(default_factory=dict)


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


def _scopes_required(deco: ast.expr) -> bool:
    """Starlette's `@requires(["authenticated"])` (or any scope): the request is refused unless
    the authentication middleware granted those scopes."""
    return (
        isinstance(deco, ast.Call)
        and _dotted(deco.func).rsplit(".", 1)[-1] == "requires"
        and bool(deco.args or deco.keywords)
    )


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
            for target in targets:
                mod.routers[target] = (fw, prefix, auth)
                if cls in _APP_CLASSES:
                    mod.apps.append(App(rel, node.lineno, fw, target))
                    if auth:  # FastAPI(dependencies=[Depends(verify_key)])
                        mod.app_auth.setdefault(fw, auth)
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
    `APIRouter(dependencies=dependencies)`); any other node as it is."""
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


def _scope(tree: ast.Module, node: ast.AST) -> ast.AST:
    """The innermost function around `node` (the module at top level): where a local is bound."""
    line = getattr(node, "lineno", 0)
    around = [
        f
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        and f.lineno <= line <= (f.end_lineno or f.lineno)
    ]
    return max(around, key=lambda f: f.lineno, default=tree)


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


def _route_endpoints(
    mod: _Module, mounts: dict[tuple[str, str], tuple[str, str]]
) -> list[Endpoint]:
    out: list[Endpoint] = []
    stem = _stem(mod.rel)
    for fn in ast.walk(mod.tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in fn.decorator_list:
            if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                continue
            owner = _dotted(deco.func.value)
            if owner not in mod.routers:
                continue
            framework, prefix, router_auth = mod.routers[owner]
            mount_prefix, mount_auth = mounts.get((stem, owner), ("", ""))
            verb = deco.func.attr
            route = _str(deco.args[0]) if deco.args else _str(_kw(deco, "path"))
            if route is None:
                continue
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
                continue
            auth = router_auth or mount_auth or ("global" if owner in mod.global_auth else "")
            if not auth and any(
                re.search(rf"<(?:\w+:)?{re.escape(v)}>", route)
                for v in mod.param_auth.get(owner, ())
            ):
                auth = "url_value_preprocessor"  # the hook checks the caller for this value
            for method in methods:
                out.append(
                    _endpoint(fn, method, mount_prefix + prefix + route, mod, framework, auth, deco)
                )
    return out


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
    from team.audit.resources import resource_endpoints
    from team.audit.web_django import django_endpoints as django_endpoints_of

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
    apps = [a for mod in modules for a in mod.apps] + resource_apps
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
