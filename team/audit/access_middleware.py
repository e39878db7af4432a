"""A project's middleware that lets a request through only for a privileged user.

byro lists its own `byro.common.middleware.PermissionMiddleware` in `MIDDLEWARE`:

    def __call__(self, request):
        url = resolve(request.path_info)
        if has_backend_access(request.user) or url_allows_unauthenticated(request, url):
            return self.get_response(request)
        ...
        return redirect(reverse("common:login") + f"?next={request.path}")

Every view behind it is reached only by a user with backend access (or on a URL the
middleware lists as open), though no `if` tests for an anonymous user: the check is written the
other way round, passing the request on when the user's right holds and sending everyone else
to the login page (`admits_only_privileged`).
"""

from __future__ import annotations

import ast
import re

__all__ = ["admits_only_privileged"]

# a test of the user's right: a call that is given the user, or an attribute of the user
_RIGHT = re.compile(r"\w+\([^()]*\buser\b[^()]*\)|\buser\.(?:is_staff|is_superuser|has_perms?\()")
_HOOKS = frozenset({"__call__", "process_request", "process_view"})
_LOGIN = re.compile(r"(?i)login|PermissionDenied|Forbidden|\b40[13]\b")


def admits_only_privileged(cls: ast.ClassDef) -> bool:
    """A request hook of the middleware class returns `get_response(...)` (passes the request
    on) under an `if` that tests the user's right, and ends by sending the rest to the login
    page or refusing them.

    Example:
        >>> cls = ast.parse(
        ...     "class Gate:\\n"
        ...     "    def __call__(self, request):\\n"
        ...     "        if has_backend_access(request.user):\\n"
        ...     "            return self.get_response(request)\\n"
        ...     "        return redirect('login')\\n"
        ... ).body[0]
        >>> admits_only_privileged(cls)
        True
        >>> cls.body[0].body[-1] = ast.parse("return self.get_response(request)").body[0]
        >>> admits_only_privileged(cls)
        False
    """
    for hook in cls.body:
        if not (isinstance(hook, ast.FunctionDef) and hook.name in _HOOKS and hook.body):
            continue
        admits = any(
            isinstance(s, ast.If) and _RIGHT.search(ast.unparse(s.test)) and _passes_on(s.body)
            for s in hook.body
        )
        last = hook.body[-1]
        refuses = isinstance(last, ast.Return | ast.Raise) and not _passes_on([last])
        if admits and refuses and _LOGIN.search(ast.unparse(last)):
            return True
    return False


def _passes_on(body: list[ast.stmt]) -> bool:
    """The block returns what the next handler answers (`self.get_response(request)`)."""
    return any(
        isinstance(s, ast.Return) and "get_response(" in ast.unparse(s.value or ast.Constant(None))
        for s in body
    )
