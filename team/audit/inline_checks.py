"""What an open write endpoint's own code shows about its caller and its effects, so that the
Backend Architect's endpoint-no-auth rule (`backend.py`) stays silent where it cannot tell:

- the handler decides on the caller itself: it branches on `request.user`, or on what a helper
  handed the request or its user returns (`profile = getProfile(request)` then `if profile:`,
  `if "change" not in getPermissions(request.user): return ...`); the check is there, in a
  helper the rule does not read (graphite-web's profile and dashboard views);
- a container method called on a local copy (`params = request.GET.copy(); params.update(
  request.POST)`) merges values in memory: it changes no state.
"""

from __future__ import annotations

import ast
import re

__all__ = ["decides_on_caller", "local_containers"]

# calls that build an in-memory container (a query string parsed into a dict included)
_CONTAINERS = frozenset(
    ["dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "QueryDict", "parse_qs"]
)

# a helper that finds or checks the caller: its profile, rights, account, membership
_ABOUT_CALLER = re.compile(r"(?i)user|profile|perm|auth|login|account|owner|member|access|role")


def _is_request(node: ast.expr) -> bool:
    """`request`, `request.user`, `self.request` or `self.request.user`."""
    text = ast.unparse(node)
    return text in ("request", "request.user", "self.request", "self.request.user")


def _asks_about_caller(call: ast.Call) -> bool:
    """`getProfile(request, ...)`, `getPermissions(request.user)`: a helper named for the
    caller's identity or rights, handed the request or its user."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    values = [*call.args, *(k.value for k in call.keywords)]
    return bool(_ABOUT_CALLER.search(name)) and any(_is_request(v) for v in values)


def decides_on_caller(body: list[ast.stmt]) -> bool:
    """Whether an `if` of the handler tests the caller: `request.user`, a helper that asks
    about the caller, or a name bound to such a helper's answer.

    Example:
        >>> code = '''
        ... def update(request):
        ...     profile = getProfile(request, allowDefault=False)
        ...     if profile:
        ...         profile.save()
        ... '''
        >>> decides_on_caller(ast.parse(code).body[0].body)
        True
        >>> decides_on_caller(ast.parse(code.replace("getProfile", "load_form")).body[0].body)
        False
    """
    nodes = [n for stmt in body for n in ast.walk(stmt)]
    answers = {
        t.id
        for n in nodes
        if isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Call)
        and _asks_about_caller(n.value)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    for node in (n for n in nodes if isinstance(n, ast.If)):
        for sub in ast.walk(node.test):
            if isinstance(sub, ast.Attribute) and ast.unparse(sub).endswith("request.user"):
                return True
            if isinstance(sub, ast.Call) and _asks_about_caller(sub):
                return True
            if isinstance(sub, ast.Name) and sub.id in answers:
                return True
    return False


def local_containers(body: list[ast.stmt]) -> set[str]:
    """Names the handler binds to a container of its own: a `.copy()` of something, or a
    dict, list or set it builds (`params = request.GET.copy()`, `seen = set()`, a query string
    parsed with `parse_qs`).

    Example:
        >>> local_containers(ast.parse("q = request.GET.copy()\\nn = compute()").body)
        {'q'}
    """
    out: set[str] = set()
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        built = isinstance(value, ast.Dict | ast.List | ast.Set) or (
            isinstance(value, ast.Call)
            and (
                (isinstance(value.func, ast.Attribute) and value.func.attr == "copy")
                or (isinstance(value.func, ast.Name) and value.func.id in _CONTAINERS)
            )
        )
        if built:
            out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return out
