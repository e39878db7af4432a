"""An API private to the app's own built front end: what the Backend Architect's api-unversioned
rule asks before it wants a /v1/ prefix.

SQLMesh's UI server answers every unknown path with `web/client/dist/index.html`, the single-page
app built from the same repository and shipped in the same sdist, and its /api routes exist for
that page alone: client and server are released and started together (`sqlmesh ui`), so a
breaking change ships with its only consumer and a version in the path protects no one. The
same shape is the private back end of chainlit's and Aim's bundled UIs.

An API with clients outside the release is still reported, whatever UI ships beside it: one
that issues or checks keys or tokens for machines (a header API key, Django REST framework's
token authentication, an OAuth 2 authorization server, fittrackee's third-party apps), one that
publishes its OpenAPI document or interactive docs on purpose (a `docs_url`, Swagger or ReDoc
set up by the app), or one whose project ships a client package that calls it.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo, is_test
from team.review.calltools import leaf_name

__all__ = ["private_to_bundled_ui"]

# the page shell of a built single-page app: `index.html` (or a template of it) in a `dist` or
# `build` folder, named in the same module
_SHELL = re.compile(r"(?:^|/)index(?:[-_]\w+)?\.html$")
_BUILD_DIR = re.compile(r"(?:^|/)(?:dist|build)(?:/|$)")
_SERVES = frozenset(
    ["open", "FileResponse", "HTMLResponse", "send_from_directory", "send_file", "get_template"]
)
# signs of clients outside the release
_MACHINE_AUTH = re.compile(
    r"APIKey(?:Header|Query|Cookie)|TokenAuthentication|rest_framework\.authtoken"
    r"|AuthorizationServer|ResourceProtector|oauth2_provider|(?i:['\"]x-api-key['\"])"
    r"|(?i:headers?\.get\(\s*['\"](?:x-)?api[-_]?key['\"])"
)
_PUBLISHED_DOCS = re.compile(
    r"\b(?:docs_url|redoc_url|openapi_url)\s*=|swagger|redoc|flasgger|apispec|get_openapi\("
)
_CLIENT_DIRS = ("client", "sdk", "clients")


def private_to_bundled_ui(repo: Repo) -> bool:
    """The app serves the page shell of its own built front end (`dist/index.html`), and
    nothing in the reviewed folder says its API has clients outside that release: no API keys
    or machine tokens, no docs published on purpose, no client package of its own.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "main.py").write_text(
        ...     "@app.get('/{full_path:path}')\\n"
        ...     "async def index(full_path: str = ''):\\n"
        ...     "    with open(WEB / 'client/dist/index.html') as f:\\n"
        ...     "        return HTMLResponse(f.read())\\n")
        >>> private_to_bundled_ui(Repo.scan(top))
        True
        >>> _ = (top / "auth.py").write_text("key = APIKeyHeader(name='X-API-Key')\\n")
        >>> private_to_bundled_ui(Repo.scan(top))
        False
    """
    own = [rel for rel in repo.python if not is_test(rel)]
    if not any(_serves_shell(repo, rel) for rel in own):
        return False
    if any(
        _MACHINE_AUTH.search(repo.text(rel)) or _PUBLISHED_DOCS.search(repo.text(rel))
        for rel in own
    ):
        return False
    return not any(rel.split("/")[0] in _CLIENT_DIRS for rel in own)


def _serves_shell(repo: Repo, rel: str) -> bool:
    """A function of the module opens or sends an `index.html`, and the module names a
    `dist` or `build` folder."""
    text = repo.text(rel)
    if "index" not in text or not ("dist" in text or "build" in text):
        return False
    tree = repo.tree(rel)
    if tree is None:
        return False
    strings = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    if not any(_BUILD_DIR.search(s) for s in strings):
        return False
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        names = {
            n.value
            for n in ast.walk(fn)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and _SHELL.search(n.value)
        }
        calls = {leaf_name(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}
        if names and calls & _SERVES:
            return True
    return False
