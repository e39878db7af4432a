"""What the web review knows of an HTTP endpoint and an application, and the small readings of
the syntax tree that every web reader shares.

`Endpoint` and `App` are the model the rules take; `_Module` is what `web` learns of one module
(its routers, apps and hooks) and hands to `resources` and `handlers`. The helpers name a call
(`_call_name`, `_dotted`), read its keywords (`_kw`, `_str`, `_prefix`), find an auth dependency
(`_auth_in`) and tell a refusal (`_denies`, `guards_anonymous`). They import nothing of the web
review, so `web`, `web_django`, `resources` and `url_builders` all import them one way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["App", "Endpoint", "by_handler", "guards_anonymous", "methods_and_paths"]

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_AUTH = re.compile(
    r"(?i)auth|user|token|login|permission|security|verify|api_?key|credential|principal|admin"
    r"|jwt|oauth|bearer|scope|role|access|staff|superuser|member_required|passes_test"
)
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
# a handler of the sign-in flow itself is reachable without signing in
_AUTH_FLOW = re.compile(
    r"(?i)sign_?up|register|recover|reset|invit|login|logout|auth(?!or)|callback|verify"
    r"|confirm|activat|(?:create|new|open)_?(?:user_?)?account"
)
# a webhook receiver is public by design when it checks the sender's signature or shared secret
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


def by_handler(endpoints: list[Endpoint], keep: Callable[[Endpoint], bool]) -> list[list[Endpoint]]:
    """The endpoints `keep` selects, grouped by handler (file and line), in first-seen order: one
    finding per handler, however many routes or methods it serves."""
    groups: dict[tuple[str, int], list[Endpoint]] = {}
    for e in endpoints:
        if keep(e):
            groups.setdefault((e.file, e.line), []).append(e)
    return list(groups.values())


def methods_and_paths(group: list[Endpoint]) -> str:
    """`POST, PUT /a, /b`: the methods of one handler's routes, then their paths."""
    methods = ", ".join(dict.fromkeys(g.method for g in group))
    return f"{methods} {', '.join(sorted(dict.fromkeys(g.path for g in group)))}"


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


@dataclass
class _Module:
    rel: str
    tree: ast.Module
    routers: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # var -> fw, prefix, auth
    # (var, line of the function binding it, 0 at module level) -> fw, prefix, auth: two
    # functions of one module may each build a blueprint under the same name
    scoped: dict[tuple[str, int], tuple[str, str, str]] = field(default_factory=dict)
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
