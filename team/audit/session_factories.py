"""Functions that build and return a plain requests session: their callers' sessions have no
timeout either, so the http-no-timeout rule (`sessions.py`) reads a name bound to one of their
calls as a session.

Specter's `Specter.requests_session(force_tor=False)` (in `specter.py`, beside the reviewed
`server_endpoints/`) makes a `requests.Session()`, sets Tor proxies on it and returns it; the
wallet endpoint binds `requests_session = app.specter.requests_session(force_tor=use_tor)` and
POSTs the transaction to a block explorer with it, with no timeout. A factory that mentions a
timeout or mounts an adapter may set one and is left alone, as is a name that another function
of the repository also defines (a database `get_session()` beside it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from team.audit.repo import Repo, is_test

__all__ = ["session_factories"]

_SESSION_CALLS = frozenset(["requests.Session", "requests.session", "requests.sessions.Session"])


def session_factories(repo: Repo) -> frozenset[str]:
    """Names of the functions of the repository, or of the package enclosing it, that return a
    new requests session with no timeout and no adapter, and that no other function of the
    repository shares.

    Example:
        >>> tree = ast.parse(
        ...     "import requests\\n"
        ...     "def http():\\n    s = requests.Session()\\n    s.proxies['https'] = 'x'\\n"
        ...     "    return s\\n"
        ...     "def timed():\\n    s = requests.Session()\\n    s.mount('https://', A())\\n"
        ...     "    return s\\n")
        >>> sorted(_factories([("a.py", tree)]))
        ['http']
    """
    if "session_factories" not in repo.memo:
        own = [(rel, tree) for rel, tree in repo.modules() if not is_test(rel)]
        found = _factories([*own, *_enclosing(repo.root)])
        others = {
            fn.name
            for _, tree in own
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            and fn.name in found
            and not _returns_session(fn)
        }
        repo.memo["session_factories"] = frozenset(found - others)
    return cast("frozenset[str]", repo.memo["session_factories"])


def _factories(modules: list[tuple[str, ast.Module]]) -> set[str]:
    return {
        fn.name
        for _, tree in modules
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and _returns_session(fn)
    }


def _returns_session(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`fn` returns a requests session it built (`s = requests.Session()` ... `return s`, or
    `return requests.Session()`) and sets it no timeout and mounts no adapter."""
    built = {
        t.id
        for node in ast.walk(fn)
        if isinstance(node, ast.Assign) and _is_session_call(node.value)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    returned = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None]
    if not returned or not all(
        _is_session_call(v) or (isinstance(v, ast.Name) and v.id in built) for v in returned
    ):
        return False
    source = ast.unparse(fn)
    return "timeout" not in source and ".mount(" not in source


def _is_session_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and ast.unparse(node.func) in _SESSION_CALLS


def _enclosing(root: Path) -> Iterator[tuple[str, ast.Module]]:
    """The modules directly in the package enclosing the reviewed one (Specter's `specter.py`
    beside `server_endpoints/`), when both are packages."""
    outer = root.parent
    if not ((root / "__init__.py").exists() and (outer / "__init__.py").exists()):
        return
    for path in sorted(outer.glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "requests" in text and "Session" in text:
            try:
                yield path.name, ast.parse(text)
            except SyntaxError:
                continue
