"""http-no-timeout for the standard library's XML-RPC client: `ServerProxy(url)` with no transport.

ruff's S113 knows requests and httpx; `xmlrpc.client.ServerProxy` takes no timeout at all. Its
default transport opens an `http.client` connection with the socket default, none, so a server
that accepts the connection and never answers holds every call on the proxy for good (greenwave
asks Koji for a build's source this way on its POST /decision path, and its retry decorator
only retries a refused connection). A proxy given a `transport=` (one that sets a timeout, as
squad's LAVA backend does) is left alone, as is one built with keyword arguments spread from
elsewhere (`**options`), a `ServerProxy` of the application's own, and a repository
that sets `socket.setdefaulttimeout()`. One finding per construction, outside the tests.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["xmlrpc_timeouts"]

# the modules whose `ServerProxy` (and its old alias `Server`) is the standard library's
_XMLRPC = ("xmlrpc.client", "xmlrpclib", "six.moves.xmlrpc_client")
_PROXIES = ("ServerProxy", "Server")


def _proxy_names(tree: ast.Module) -> set[str]:
    """The spellings under which a module calls the standard library's proxy class:
    `xmlrpc.client.ServerProxy`, `client.ServerProxy` (`from xmlrpc import client`), or a name
    imported from the module (`from xmlrpc.client import ServerProxy as RPC`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in _XMLRPC:
                    bound = alias.asname or alias.name
                    names.update(f"{bound}.{cls}" for cls in _PROXIES)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module in _XMLRPC and alias.name in _PROXIES:
                    names.add(bound)
                elif f"{node.module}.{alias.name}" in _XMLRPC:
                    names.update(f"{bound}.{cls}" for cls in _PROXIES)
    return names


def _no_transport(call: ast.Call) -> bool:
    """No `transport=` (the second positional parameter), no `**` spread that could carry one."""
    return len(call.args) < 2 and not any(k.arg in ("transport", None) for k in call.keywords)


def xmlrpc_timeouts(repo: Repo) -> list[RoleFinding]:
    """An http-no-timeout finding per `ServerProxy(...)` outside the tests built with no
    transport, unless the repository sets a default socket timeout.

    Example:
        >>> from pathlib import Path
        >>> xmlrpc_timeouts(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    texts = {rel: repo.text(rel) for rel in repo.python}
    if any("setdefaulttimeout(" in text for text in texts.values()):
        return []
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel) or "xmlrpc" not in texts.get(rel, ""):
            continue
        names = _proxy_names(tree)
        if not names:
            continue
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if ast.unparse(call.func) in names and _no_transport(call):
                out.append(
                    finding(
                        "http-no-timeout",
                        rel,
                        call.lineno,
                        f"{ast.unparse(call.func)}() is built with no transport, so every "
                        "call on it uses the socket default, none, and waits as long as the "
                        "server does; pass a transport= that sets a timeout",
                        evidence=repo.line_text(rel, call.lineno),
                    )
                )
    return out
