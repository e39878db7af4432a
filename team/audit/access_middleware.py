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
to the login page (`admits_only_privileged`). It guards only when every branch that passes the
request on tests the right: a hook that first passes on whatever lies outside `/office/` leaves
those views open, and a test of the path counts only beside the right, OR-ed with it, as the
list of URLs open to all.
"""

from __future__ import annotations

import ast
import re

__all__ = ["admits_only_privileged"]

# a test of the user's right: a call that is given the user (not `getattr`/`hasattr`, which
# only ask whether there is one), or an attribute of the user
_RIGHT = re.compile(
    r"\b(?!(?:get|has)attr\()\w+\([^()]*\buser\b[^()]*\)"
    r"|\buser\.(?:is_staff|is_superuser|has_perms?\()"
)
_LOGIN = re.compile(r"(?i)login|PermissionDenied|Forbidden|\b40[13]\b")
# a test of the request's path or URL: an allow-list of open pages when OR-ed with the right
_PATH = re.compile(r"(?i)\b(?:path(?:_info)?|url\w*|\w+_urls?)\b")


def admits_only_privileged(cls: ast.ClassDef) -> bool:
    """The middleware's `__call__` passes the request on (`get_response(...)`) only under an
    `if` that tests the user's right, and ends by sending the rest to the login page or refusing
    them. (`process_request` and `process_view` pass on by returning None, or by running to
    their end, which this does not follow: they are not read.)

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
        if not (isinstance(hook, ast.FunctionDef) and hook.name == "__call__" and hook.body):
            continue
        parents = {c: p for p in ast.walk(hook) for c in ast.iter_child_nodes(p)}
        passes = [n for n in ast.walk(hook) if _passes_on(n)]
        last = hook.body[-1]  # it passes on under no `if`, unless as a conditional expression
        refuses = isinstance(last, ast.Return | ast.Raise) and _LOGIN.search(ast.unparse(last))
        if passes and refuses and all(_under_right(n, parents) for n in passes):
            return True
    return False


def _passes_on(node: ast.AST) -> bool:
    """A call of the next handler (`self.get_response(request)`)."""
    return isinstance(node, ast.Call) and ast.unparse(node.func).endswith("get_response")


def _under_right(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """`node` runs only in a branch (of an `if` or a conditional expression) taken when the
    user's right holds."""
    while node in parents:
        parent = parents[node]
        if isinstance(parent, ast.If | ast.IfExp) and node is not parent.test:
            taken = node in parent.body if isinstance(parent, ast.If) else node is parent.body
            if _right(parent.test, holds=taken):
                return True
        node = parent
    return False


def _right(test: ast.expr, *, holds: bool) -> bool:
    """`test` (true if `holds`, else false) means the user's right holds, or for an OR the
    right or a path on the list of pages open to all (byro's `has_backend_access(request.user)
    or url_allows_unauthenticated(request, url)`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _right(test.operand, holds=not holds)
    if isinstance(test, ast.BoolOp):
        parts = test.values
        if isinstance(test.op, ast.And) == holds:  # every part holds: one right is enough
            return any(_right(v, holds=holds) for v in parts)
        return any(_right(v, holds=holds) for v in parts) and all(
            _right(v, holds=holds) or _PATH.search(ast.unparse(v)) for v in parts
        )
    return holds and bool(_RIGHT.search(ast.unparse(test)))
