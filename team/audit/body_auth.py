"""A handler that authenticates by binding the caller the repository's authenticating function
returns.

A view may sign its caller in with a call rather than a decorator or a dependency: waiverdb's
`WaiversResource.post()` starts with `user, headers = waiverdb.auth.get_user(request)`, and
`get_user` checks the bearer token, the Kerberos ticket or the client certificate and raises
`Unauthorized` when none holds. The inventory (`web.py`) already knows such functions (`known`:
the functions of the web modules that refuse with 401/403 or take a security scheme). A call of
one whose answer the handler binds to a name (who the caller is) authenticates the endpoint as a
decorator would. A call whose answer is dropped is a check of something else as often as of the
caller (Skyvern's `_require_local_access(request)` refuses with 403 by network address, which
authenticates nobody) and does not count.
"""

from __future__ import annotations

import ast

__all__ = ["auth_called"]


def auth_called(fn: ast.FunctionDef | ast.AsyncFunctionDef, known: frozenset[str]) -> str:
    """The name of the first authenticating function of `known` whose result the handler
    binds, called by its name or as an attribute of a module (`waiverdb.auth.get_user()`),
    else "".

    Example:
        >>> import ast
        >>> src = "def post(self):\\n    user, _ = auth.get_user(request)\\n    return save(user)"
        >>> auth_called(ast.parse(src).body[0], frozenset(["get_user"]))
        'get_user'
    """
    for node in ast.walk(fn):
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        name = func.id if isinstance(func, ast.Name) else ""
        name = func.attr if isinstance(func, ast.Attribute) else name
        if name in known:
            return name
    return ""
