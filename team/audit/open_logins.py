"""Sign-in endpoints that take no secret: a login route that puts the user it is handed into the
session without checking a password, a token or a provider's answer signs anyone in as anyone.

A login path is public on purpose, so `backend.py`'s endpoint-no-auth leaves it alone; quetz's
`GET /api/dummylogin/{username}` (tagged "dev" but mounted in every deployment) looks the user
up by the name in the URL, then sets `session["user_id"]` to that user's id and redirects: the
caller needs only a user name. A handler whose code mentions a password, a token, a code, a
signature, a form's validation or an `authenticate` call checks something and is left alone, as
is one that only redirects to a provider, or one guarded by a check of its own (an
administrator's "sign in as"), or one of a blueprint registered only under a debug or test
setting (anitya's `/login/debug/<name>`, `safe_methods.py`). An application-wide guard (quetz's `CondaTokenMiddleware`) does
not count: it cannot ask for a sign-in on the route that signs in.
"""

from __future__ import annotations

import ast
import re

from team.audit.core import RoleFinding, finding
from team.audit.endpoints import Endpoint
from team.audit.repo import Repo
from team.audit.safe_methods import registered_for_tests, test_only_route

__all__ = ["open_logins"]

_LOGIN = re.compile(r"(?i)log_?in|sign_?in")
# anything that proves the caller: a secret, a one-time code, a provider's answer, a check
_PROOF = re.compile(
    r"(?i)passw|passwd|secret|token|\bcode\b|otp|signature|credential|assert|ticket|verify|valid"
    r"|authenticat|check_|hash|nonce|state|callback|oauth|saml|ldap|openid|\bpin\b|api_?key"
    r"|csrf|captcha|webauthn|fido|totp|magic|link|invit|cookie|header"
)
# putting a user into the session: flask-login's login_user, Django's login(request, user),
# pyramid's remember, or a session key named for the user
_SIGNS_IN = frozenset(["login_user", "login", "remember", "auth_login"])
_GUARD = re.compile(
    r"(?i)admin|permission|staff|superuser|role|require|auth|current_user|get_user|protect"
)


def open_logins(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """An endpoint-no-auth finding per login route whose handler signs in a user it is handed
    with nothing that proves the caller is that user.

    Example:
        >>> code = (
        ...     "def dummy_login(username, session):\\n"
        ...     "    user = dao.get_user_by_username(username)\\n"
        ...     "    session['user_id'] = user.id\\n"
        ...     "    return RedirectResponse('/')\\n")
        >>> fn = ast.parse(code).body[0]
        >>> e = Endpoint("GET", "/dummylogin/{username}", "dummy_login", "m.py", 1, "fastapi",
        ...     node=fn)
        >>> _signs_in_anyone(e)
        True
        >>> fn = ast.parse(code.replace("username)", "username, password)")).body[0]
        >>> _signs_in_anyone(Endpoint("GET", "/login", "dummy_login", "m.py", 1, "x", node=fn))
        False
    """
    out: list[RoleFinding] = []
    for_tests: set[tuple[str, str]] | None = None
    for e in endpoints:
        if not _signs_in_anyone(e):
            continue
        for_tests = registered_for_tests(repo) if for_tests is None else for_tests
        if test_only_route(repo, e, for_tests):
            continue  # a blueprint registered only in debug or test runs
        out.append(
            finding(
                "endpoint-no-auth",
                e.file,
                e.line,
                f"{e.method} {e.path} ({e.handler}) signs the caller in as the user the request "
                "names and checks no password, token or provider answer: anyone can act as any "
                "user; remove the route or guard it behind a real sign-in",
                evidence=repo.line_text(e.file, e.line),
                severity="error",
            )
        )
    return out


def _signs_in_anyone(e: Endpoint) -> bool:
    fn = e.node
    if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if not (_LOGIN.search(e.handler) or _LOGIN.search(e.path)):
        return False
    if _own_guard(fn):
        return False  # an administrator's "sign in as" behind its own check
    source = ast.unparse(fn)
    return not _PROOF.search(source) and _sets_identity(fn)


def _own_guard(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A decorator or a parameter's default (`Depends(require_admin)`) of the handler itself
    checks the caller. An application-wide guard does not count: it cannot ask for a sign-in
    on the route that signs in."""
    guards = [*fn.decorator_list, *fn.args.defaults, *(d for d in fn.args.kw_defaults if d)]
    return any(_GUARD.search(ast.unparse(g)) for g in guards)


def _sets_identity(fn: ast.AST) -> bool:
    """The handler calls a sign-in function or stores a user key in the session."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _SIGNS_IN and node.args:
                return True
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and "session" in ast.unparse(target.value).lower()
                    and "user" in ast.unparse(target.slice).lower()
                ):
                    return True
    return False
