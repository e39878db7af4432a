"""A refusal a server setting decides refuses every caller alike: it authenticates no one.

LibreTranslate's `/suggest` starts with `if not args.suggestions: abort(403, ...)`: the route
is off unless the operator turns suggestions on, and once on it takes any caller, while its
sibling routes wear `@access_check` (API keys). Its 403 is a switch, not a check of who calls,
so the handler is no more authenticated than one without it. A refusal counts as a check of
the caller only outside such a switch: under an `if` whose test reads nothing but a setting
(`args.x`, `settings.X`, `app.config["X"]`, `os.environ.get(...)`) and names nothing of
authentication (`if not settings.API_KEYS: abort(403)` still counts).
"""

from __future__ import annotations

import ast
import copy

from team.audit.endpoints import _AUTH, _denies

__all__ = ["refuses_caller"]

# the names a handler reads the server's settings through
_SETTINGS = frozenset(
    ["args", "settings", "config", "conf", "cfg", "options", "app", "current_app", "os"]
)


def _setting_switch(test: ast.expr) -> bool:
    """The test reads only settings, and none that names authentication."""
    names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)}
    return bool(names) and names <= _SETTINGS and not _AUTH.search(ast.unparse(test))


class _DropSwitched(ast.NodeTransformer):
    def visit_If(self, node: ast.If) -> ast.AST:
        self.generic_visit(node)
        if _setting_switch(node.test):
            node.body = [ast.Pass()]
        return node


def refuses_caller(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The handler refuses a request itself (`_denies`), outside a switch a setting decides.

    Example:
        >>> def handler(test):
        ...     return ast.parse(f"def suggest():\\n    if {test}:\\n        abort(403)").body[0]
        >>> [refuses_caller(handler(t)) for t in ("not args.suggestions", "not valid(request)")]
        [False, True]
    """
    return _denies(_DropSwitched().visit(copy.deepcopy(fn)))
