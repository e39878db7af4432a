"""HTTP calls through a `requests.Session` with no timeout: ruff's S113 sees `requests.get(url)`
but not `self.session.get(url)`, and a session has no default timeout either. A retry adapter
mounted on it (`HTTPAdapter(max_retries=...)`) retries failed connections; it does not bound a
server that accepts the connection and never answers, so the caller (a request handler, a
worker) waits as long as that server does.

A session is a name or a `self` attribute bound to `requests.Session()` in the same function or
class; one with an adapter that sets a timeout itself (a repository class whose code mentions
`timeout`, such as a `TimeoutHTTPAdapter`) is left alone, as is any call passing `timeout=` or
`**kwargs`, unless the function builds that `kwargs` itself as a dict with no timeout and never
mentions one (aodh's webhook notifier: `kwargs = {'data': ..., 'headers': ...}`, then
`session.post(url, **kwargs)`). A session a function takes as a parameter defaulting to None
(building its own only when none is given) is its callers'; where the repository builds its
sessions with a function that mounts such an adapter (quetz's `get_remote_session()`), that is
the one they hand in.

requests-oauthlib's `OAuth2Session` and `OAuth1Session` are requests sessions too, and their
`fetch_token()` and `refresh_token()` POST to the provider's token endpoint with no timeout
unless one is passed (django-esi's SSO callback and token refresh: `oauth.fetch_token(...)`,
`session.refresh_token(...)`).

So is a name bound to a call of a function that builds and returns a plain session, in the
repository or in the package enclosing it (Specter's `requests_session()`,
`session_factories.py`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cache, partial

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, assignments, innermost_function, is_test
from team.audit.session_factories import session_factories

__all__ = ["session_timeouts"]

_VERBS = frozenset(
    [
        *("get", "post", "put", "patch", "delete", "head", "options", "request"),
        *("fetch_token", "refresh_token"),  # an OAuth session's calls to the token endpoint
    ]
)
# requests-oauthlib's sessions: subclasses of requests.Session
_OAUTH_SESSIONS = frozenset(["OAuth2Session", "OAuth1Session"])


def session_timeouts(repo: Repo) -> list[RoleFinding]:
    """An http-no-timeout finding per call of a requests session that passes no timeout."""
    timed_adapters = cache(partial(_timed_adapters, repo))  # only for a session that mounts one
    timed_factory = cache(partial(_builds_timed_sessions, repo, timed_adapters))
    out: list[RoleFinding] = []
    factories = session_factories(repo)
    for rel, tree in repo.modules():
        text = repo.text(rel)
        if is_test(rel) or ("Session" not in text and not any(f in text for f in factories)):
            continue
        bare = _imports_session(tree) | factories
        for scope in _scopes(tree):
            sessions = _sessions(scope, bare=bare, methods=factories)
            if sessions:
                sessions -= _timed(scope, timed_adapters)
            if sessions and timed_factory():
                sessions -= _handed_in(scope)
            for call in (n for n in ast.walk(scope) if isinstance(n, ast.Call)):
                func = call.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in _VERBS
                    and ast.unparse(func.value) in sessions
                    and not any(k.arg == "timeout" for k in call.keywords)
                    and _spreads_no_timeout(call, innermost_function(tree, call.lineno))
                ):
                    out.append(
                        finding(
                            "http-no-timeout",
                            rel,
                            call.lineno,
                            f"{ast.unparse(func)}() on a requests.Session passes no timeout: a "
                            "session has no default one and a retry adapter bounds no answer, "
                            "so the caller waits as long as the server does; pass timeout=",
                            evidence=repo.line_text(rel, call.lineno),
                        )
                    )
    return out


def _spreads_no_timeout(call: ast.Call, fn: ast.AST | None) -> bool:
    """Every `**name` the call spreads is a dict the function `fn` builds itself from a literal
    (`kwargs = {'data': body, 'headers': headers}`), and `fn` never mentions a timeout: none
    can be inside. A spread of anything else (a parameter, a helper's result) may carry one."""
    spreads = [k.value for k in call.keywords if k.arg is None]
    if not spreads:
        return True
    if fn is None or "timeout" in ast.unparse(fn):
        return False
    bound = assignments(fn)
    return all(
        isinstance(v, ast.Name)
        and bool(bound.get(v.id))
        and all(isinstance(d, ast.Dict) and None not in d.keys for d in bound[v.id])
        for v in spreads
    )


def _scopes(tree: ast.Module) -> list[ast.AST]:
    """The classes and the module-level functions: where a session is bound and used."""
    return [
        n for n in tree.body if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _imports_session(tree: ast.Module) -> frozenset[str]:
    """The bare names this module imports a requests session class by: `Session` from requests
    (elsewhere a bare `Session()` is as likely SQLAlchemy's, whose `session.get(Model, id)` is
    no HTTP call), `OAuth2Session` and `OAuth1Session` from requests_oauthlib."""
    return frozenset(
        a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and not node.level
        for a in node.names
        if a.asname is None
        and (
            (a.name == "Session" and (node.module or "").startswith("requests"))
            or (a.name in _OAUTH_SESSIONS and (node.module or "").startswith("requests_oauthlib"))
        )
    )


def _is_session(
    expr: ast.expr | None, *, bare: frozenset[str], methods: frozenset[str] = frozenset()
) -> bool:
    """`requests.Session()`, `requests.session()`, `requests_oauthlib.OAuth2Session()`, a
    session class imported by its bare name, or a call of a session factory (`bare`:
    `app.specter.requests_session(force_tor=True)`, `session_factories.py`)."""
    if not isinstance(expr, ast.Call):
        return False
    name = ast.unparse(expr.func)
    return (
        name in ("requests.Session", "requests.session", "requests.sessions.Session")
        or name in {f"requests_oauthlib.{cls}" for cls in _OAUTH_SESSIONS}
        or name in bare
        or (isinstance(expr.func, ast.Attribute) and expr.func.attr in methods)
    )


def _sessions(
    scope: ast.AST, *, bare: frozenset[str], methods: frozenset[str] = frozenset()
) -> set[str]:
    """Names and `self.` attributes bound to a new requests session in `scope`
    (`self.session = requests.Session()`, `with requests.Session() as s:`)."""
    out: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and _is_session(node.value, bare=bare, methods=methods):
            out |= {ast.unparse(t) for t in node.targets if isinstance(t, ast.Name | ast.Attribute)}
        elif isinstance(node, ast.With):
            out |= {
                ast.unparse(item.optional_vars)
                for item in node.items
                if item.optional_vars is not None
                and _is_session(item.context_expr, bare=bare, methods=methods)
            }
    return out


def _timed_adapters(repo: Repo) -> set[str]:
    """Repository classes that set a timeout themselves (an adapter whose `send` adds one)."""
    return {
        node.name
        for rel, tree in repo.modules()
        if "timeout" in repo.text(rel)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and "timeout" in ast.unparse(node)
    }


def _builds_timed_sessions(repo: Repo, timed_adapters: Callable[[], set[str]]) -> bool:
    """The repository has a function that returns a session it mounts a timeout-setting adapter
    on (quetz's `deps.get_remote_session()`, whose `TimeoutHTTPAdapter` sets 5 s whenever a call
    passes none): the sessions its code hands around are that function's."""
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and _timed(node, timed_adapters)
        & {ast.unparse(r.value) for r in ast.walk(node) if isinstance(r, ast.Return) and r.value}
        for rel, tree in repo.modules()
        if not is_test(rel) and "mount" in repo.text(rel)
        for node in tree.body
    )


def _handed_in(scope: ast.AST) -> set[str]:
    """Sessions a function of `scope` takes as a parameter defaulting to None, building its own
    only when none is given (`if session is None: session = requests.Session()`, quetz's
    `RemoteFile`): its callers hand it theirs."""
    out: set[str] = set()
    for fn in ast.walk(scope):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = fn.args.args[len(fn.args.args) - len(fn.args.defaults) :]
            pairs = [
                *zip(positional, fn.args.defaults, strict=True),
                *zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True),
            ]
            out |= {
                arg.arg
                for arg, default in pairs
                if isinstance(default, ast.Constant) and default.value is None
            }
    return out


def _timed(scope: ast.AST, timed_adapters: Callable[[], set[str]]) -> set[str]:
    """Sessions of `scope` that mount an adapter of a class setting its own timeout."""
    built = {
        ast.unparse(t): ast.unparse(node.value.func).rsplit(".", 1)[-1]
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for t in node.targets
    }
    out: set[str] = set()
    for call in (n for n in ast.walk(scope) if isinstance(n, ast.Call)):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "mount" and len(call.args) == 2:
            adapter = call.args[1]
            cls = (
                ast.unparse(adapter.func).rsplit(".", 1)[-1]
                if isinstance(adapter, ast.Call)
                else built.get(ast.unparse(adapter), "")
            )
            if cls in timed_adapters():
                out.add(ast.unparse(func.value))
    return out
