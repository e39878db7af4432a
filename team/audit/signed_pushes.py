"""Endpoints that receive another service's signed pushes beside an app of pages: what the
Backend Architect's api-unversioned rule asks before it wants a /v1/ prefix.

Newsroom's `push.py` is the receiving end of Superdesk's HTTP push publisher: Superdesk posts
each published item to `/push` and each medium to `/push_binary`, signed with the shared
`PUSH_KEY` (`hmac.new(key, request.get_data(), 'sha1')` compared with the
`x-superdesk-signature` header), and asks `GET /push_binary/<id>` whether it has a medium
before it sends it. The URLs are set once in the sender's configuration and the payload is
the sender's format, so a version segment here would change nothing for the one caller; the
rest of the app is pages for browsers. A module is such a receiver when at least half of its
routes compare an HMAC of the request body with a request header (themselves, or through a
function of the module that does), and none of its other routes sits behind the app's sign-in
(a signed-in user's route is no sender's). The app is left alone only when everything else it
serves is pages (`pages.py`); an API that signs every request with a client's key is not pages
and stays reported.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from team.audit.endpoints import Endpoint
from team.audit.pages import serves_pages
from team.audit.repo import Repo
from team.review.calltools import leaf_name

__all__ = ["pages_beside_receiver"]

# reads of the raw request body a signature is computed over
_BODY_READS = frozenset(["get_data", "body", "data", "read"])


def pages_beside_receiver(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """The app is pages for browsers plus a module that receives another service's signed
    pushes: nothing is left to version.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "push.py").write_text(
        ...     "import hmac\\n"
        ...     "def signed(request):\\n"
        ...     "    mac = hmac.new(KEY, request.get_data(), 'sha1')\\n"
        ...     "    return hmac.compare_digest(request.headers['x-sign'], mac.hexdigest())\\n"
        ...     "def push():\\n"
        ...     "    if not signed(flask.request):\\n"
        ...     "        flask.abort(403)\\n"
        ...     "    return flask.jsonify({})\\n")
        >>> repo = Repo.scan(top)
        >>> push = Endpoint("POST", "/push", "push", "push.py", 5, "flask",
        ...     node=repo.tree("push.py").body[2])
        >>> page = ast.parse("def home():\\n    return render_template('home.html')").body[0]
        >>> home = Endpoint("GET", "/", "home", "views.py", 1, "flask", node=page)
        >>> pages_beside_receiver(repo, [home, push]), pages_beside_receiver(repo, [push])
        (True, False)
    """
    receivers = _receiver_files(repo, endpoints)
    rest = [e for e in endpoints if e.file not in receivers]
    return bool(rest) and len(rest) < len(endpoints) and serves_pages(repo, rest)


def _receiver_files(repo: Repo, endpoints: list[Endpoint]) -> set[str]:
    """The modules whose routes are a signed push receiver's."""
    by_file: dict[str, list[Endpoint]] = defaultdict(list)
    for e in endpoints:
        by_file[e.file].append(e)
    found = set()
    for rel, group in by_file.items():
        tree = repo.tree(rel)
        if tree is None:
            continue
        checks = _checking_functions(tree)
        verified = [e for e in group if e.node is not None and _verifies(e.node, checks)]
        signed_in = any(e.auth for e in group if e not in verified)  # an auth besides the check
        if verified and 2 * len(verified) >= len(group) and not signed_in:
            found.add(rel)
    return found


def _checking_functions(tree: ast.Module) -> set[str]:
    """The module's functions that check a signature of the request body, or call one that
    does (`assert_test_signature` calling `test_signature`)."""
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    checks = {name for name, fn in functions.items() if _compares_body_mac(fn)}
    while True:
        more = {name for name, fn in functions.items() if name not in checks and _calls(fn, checks)}
        if not more:
            return checks
        checks |= more


def _compares_body_mac(fn: ast.AST) -> bool:
    """The function makes an HMAC of the request body and compares it with a header."""
    calls = [leaf_name(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)]
    reads = {n.attr for n in ast.walk(fn) if isinstance(n, ast.Attribute)}
    return (
        "compare_digest" in calls
        and any(c in ("new", "HMAC") for c in calls)
        and "hmac" in ast.unparse(fn)
        and "headers" in reads
        and bool(_BODY_READS & (reads | set(calls)))
    )


def _verifies(handler: ast.AST, checks: set[str]) -> bool:
    """The handler checks the body's signature itself or through a function that does."""
    return _compares_body_mac(handler) or _calls(handler, checks)


def _calls(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Call) and leaf_name(n.func) in names for n in ast.walk(node))
