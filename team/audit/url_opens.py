"""http-no-timeout for the standard library's HTTP client: `urlopen()` with no timeout.

ruff's S113 knows requests and httpx; `urllib.request.urlopen(request)` has the same flaw, and
a worse default: with no `timeout=` (its third positional argument) it uses the socket default,
which is none, so a server that accepts the connection and never answers holds the caller for
good (django-push-notifications' WNS sender authenticates and posts each notification so, in
the request or task that sends them). A repository that sets `socket.setdefaulttimeout()` gives
every such call a bound and is left alone, as is a call that spreads keyword arguments (a
timeout may be inside) and a module that defines a `urlopen` of its own.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["urlopen_timeouts"]

# the modules whose `urlopen` is the standard library's (Python 3, Python 2, six)
_URLLIB = ("urllib.request", "urllib2", "urllib", "request", "urlrequest")


def urlopen_timeouts(repo: Repo) -> list[RoleFinding]:
    """An http-no-timeout finding per `urlopen()` call outside the tests that passes no
    timeout, unless the repository sets a default socket timeout.

    Example:
        >>> from pathlib import Path
        >>> urlopen_timeouts(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    texts = {rel: repo.text(rel) for rel in repo.python}
    if any("setdefaulttimeout(" in text for text in texts.values()):
        return []
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel) or "urlopen" not in texts.get(rel, ""):
            continue
        if any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == "urlopen"
            for n in ast.walk(tree)
        ):
            continue
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if _is_urlopen(call.func) and _no_timeout(call):
                out.append(
                    finding(
                        "http-no-timeout",
                        rel,
                        call.lineno,
                        f"{ast.unparse(call.func)}() passes no timeout: urllib then uses the "
                        "socket default, none, so the caller waits as long as the server "
                        "does; pass timeout=",
                        evidence=repo.line_text(rel, call.lineno),
                    )
                )
    return out


def _is_urlopen(func: ast.expr) -> bool:
    """`urlopen(...)` as imported, or `urllib.request.urlopen(...)` and its spellings."""
    if isinstance(func, ast.Name):
        return func.id == "urlopen"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "urlopen"
        and ast.unparse(func.value).endswith(_URLLIB)
    )


def _no_timeout(call: ast.Call) -> bool:
    """No `timeout=`, no third positional argument, no `**` spread that could carry one."""
    return len(call.args) < 3 and not any(k.arg in ("timeout", None) for k in call.keywords)
