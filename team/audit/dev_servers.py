"""A request to a development server on the same machine that the app expects to find absent,
so http-no-timeout (`performance.py`) leaves it alone.

Newsroom asks the webpack dev server for its asset manifest
(`requests.get('{0}{1}'.format(app.config['WEBPACK_SERVER_URL'], 'manifest.json'))`, the
setting defaulting to `http://localhost:8080/`) and, on `ConnectionError`, reads the built
manifest from disk instead. Where the app runs for its users nothing listens on that local
port, so the connection is refused at once and the fallback taken; a hang needs a local
process that accepts the connection and never answers, which no deployment runs.

All of these must hold for the call: it sits in a `try` with a handler for a connection error
(`ConnectionError`, httpx's `ConnectError`) that does not raise again, so the app carries on
without the server; and its URL is built from loopback URLs only (`localhost`, `127.0.0.1`,
`[::1]`): literals written in it, or settings whose every default in the project is one. A
call to a remote host, to a setting with no loopback default, or whose connection error
propagates (the app needs the service) is still reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.local_streams import is_loopback
from team.audit.repo import Repo, innermost_function

__all__ = ["probes_local_server"]

_CONNECTION_ERROR = re.compile(r"(?:^|\.)(?:ConnectionError|ConnectError)$")
_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ENVIRONMENT_READS = frozenset(["get", "getenv", "setdefault"])


def probes_local_server(repo: Repo, rel: str, line: int) -> bool:
    """Whether the call at `rel:line` asks a server on a loopback URL and falls back when
    nothing answers the connection.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "settings.py").write_text(
        ...     "DEV_SERVER_URL = os.environ.get('DEV_SERVER_URL', 'http://localhost:8080/')\\n")
        >>> _ = (top / "assets.py").write_text(
        ...     "def manifest(app):\\n"
        ...     "    try:\\n"
        ...     "        return requests.get(app.config['DEV_SERVER_URL'] + 'm.json').json()\\n"
        ...     "    except requests.exceptions.ConnectionError:\\n"
        ...     "        return read_built_manifest()\\n")
        >>> probes_local_server(Repo.scan(top), "assets.py", 3)
        True
        >>> _ = (top / "settings.py").write_text("DEV_SERVER_URL = 'https://cdn.example.com/'\\n")
        >>> probes_local_server(Repo.scan(top), "assets.py", 3)
        False
    """
    tree = repo.tree(rel)
    fn = innermost_function(tree, line) if tree is not None else None
    if fn is None:
        return False
    for node in ast.walk(fn):
        if isinstance(node, ast.Try) and _falls_back(node):
            for call in (n for s in node.body for n in ast.walk(s) if isinstance(n, ast.Call)):
                if call.lineno == line and _url_is_local(repo, call):
                    return True
    return False


def _falls_back(node: ast.Try) -> bool:
    """A handler of the `try` catches a connection error and does not raise again."""
    for handler in node.handlers:
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
        if any(_CONNECTION_ERROR.search(ast.unparse(n)) for n in names) and not any(
            isinstance(n, ast.Raise) for s in handler.body for n in ast.walk(s)
        ):
            return True
    return False


def _url_is_local(repo: Repo, call: ast.Call) -> bool:
    """The call's URL is built from loopback literals and settings defaulting to one."""
    url = (
        call.args[0]
        if call.args
        else next((k.value for k in call.keywords if k.arg == "url"), None)
    )
    if url is None:
        return False
    texts = [
        n.value for n in ast.walk(url) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    urls = [t for t in texts if "://" in t]
    settings = [t for t in texts if _SETTING.match(t)]
    settings += [
        n.attr for n in ast.walk(url) if isinstance(n, ast.Attribute) and _SETTING.match(n.attr)
    ]
    if not (urls or settings) or not all(is_loopback(u) for u in urls):
        return False
    defaults = _defaults(repo)
    return all(defaults.get(s) and all(is_loopback(d) for d in defaults[s]) for s in settings)


def _defaults(repo: Repo) -> dict[str, list[str]]:
    """The values each upper-case setting of the project is given at module level: a string
    (`X = "http://..."`), an environment read's string default
    (`X = os.environ.get("X", "http://...")`), or "" for anything else."""
    if "setting_urls" not in repo.memo:
        found: dict[str, list[str]] = {}
        for _, tree in repo.modules():
            for node in tree.body:
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                    continue
                target = node.targets[0]
                if isinstance(target, ast.Name) and _SETTING.match(target.id):
                    found.setdefault(target.id, []).append(_default_text(node.value) or "")
        repo.memo["setting_urls"] = found
    found = repo.memo["setting_urls"]
    return found if isinstance(found, dict) else {}


def _default_text(value: ast.expr) -> str | None:
    """A string constant, or the string default of an environment read."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _ENVIRONMENT_READS
        and len(value.args) == 2
    ):
        return _default_text(value.args[1])
    return None
