"""Sign-in decorators written above the route decorator, where they never run.

Decorators apply from the bottom up. `@blueprint.route(...)` (Flask, Quart) and `@router.post(...)`
(FastAPI) register the function they are handed and return it unchanged, so a decorator placed
above them wraps a function the framework no longer calls: invenio-github's API routes read

    @login_required
    @request_session_token()
    @blueprint.route("/user/github/", methods=["POST"])
    def init_user_github(): ...

and Flask serves `init_user_github` itself, with neither check. The inventory (`web.py`) counts
only the decorators below a route's as its authentication and keeps the first guard found above
as `Endpoint.guard_above`; this module reports each such handler once, at the misplaced line,
whatever its method: whoever wrote the guard meant the route to be private. A refusal in the
handler's own body (an `abort(403)` when the repository is not the user's) does not make up
for it: that code reads the user the missing check was to ensure. `backend.py`'s
general endpoint-no-auth finding leaves these handlers to it.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.endpoints import Endpoint, by_handler, methods_and_paths
from team.audit.repo import Repo

__all__ = ["misplaced_guards"]


def misplaced_guards(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """An endpoint-no-auth finding per handler whose only sign-in check sits above its route.

    Example:
        >>> code = "@login_required\\n@bp.route('/x', methods=['POST'])\\ndef x():\\n    pass"
        >>> fn = ast.parse(code).body[0]
        >>> e = Endpoint("POST", "/x", "x", "m.py", 3, "flask", guard_above="login_required",
        ...     node=fn)
        >>> _decorator_line(e)
        1
    """
    out: list[RoleFinding] = []
    for group in by_handler(endpoints, lambda e: bool(e.guard_above) and e.auth in ("", "in-body")):
        e = group[0]
        line = _decorator_line(e)
        out.append(
            finding(
                "endpoint-no-auth",
                e.file,
                line,
                f"{methods_and_paths(group)} ({e.handler}): @{e.guard_above} sits above the route "
                "decorator, which registers the function before it is wrapped, so the check "
                "never runs and the route is served to callers who are not signed in; move the "
                "route decorator to the top",
                evidence=repo.line_text(e.file, line),
                severity="error",
            )
        )
    return out


def _decorator_line(e: Endpoint) -> int:
    """The line of the misplaced decorator (the handler's own line if it cannot be found)."""
    if isinstance(e.node, ast.FunctionDef | ast.AsyncFunctionDef):
        for deco in e.node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if ast.unparse(target) == e.guard_above:
                return deco.lineno
    return e.line
