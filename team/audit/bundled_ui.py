"""An API private to the app's own built front end: what the Backend Architect's api-unversioned
rule asks before it wants a /v1/ prefix.

SQLMesh's UI server answers every unknown path with `web/client/dist/index.html`, the single-page
app built from the same repository and shipped in the same sdist, and its /api routes exist for
that page alone: client and server are released and started together (`sqlmesh ui`), so a
breaking change ships with its only consumer and a version in the path protects no one. The
same shape is the private back end of chainlit's and Aim's bundled UIs.

An API with clients outside the release is still reported, whatever UI ships beside it: one
that issues or checks keys or tokens for machines (a header API key, one a route takes as a
query parameter, Django REST framework's token authentication, an OAuth 2 authorization server,
fittrackee's third-party apps), one that publishes its OpenAPI document or interactive docs on
purpose (a `docs_url`, Swagger or ReDoc set up by the app), or one whose project ships a client
package that calls it.

The shell is a file the app reads and serves: a `dist` or `build` string counts only where it
is written as a path (`WEB / "client/dist"`, `os.path.join(root, "dist")`, `directory=`), not
as a route (`@app.post("/api/build/{job_id}")`), and an `open` that writes (`"w"`, `"a"`, `"x"`)
makes a file, not a page served.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo, is_test
from team.review.calltools import leaf_name

__all__ = ["private_to_bundled_ui"]

# the page shell of a built single-page app: `index.html` (or a template of it) in a `dist` or
# `build` folder, named as a path in the same module
_SHELL = re.compile(r"(?:^|/)index(?:[-_]\w+)?\.html$")
_BUILD_DIR = re.compile(r"(?:^|/)(?:dist|build)(?:/|$)")
_SERVES = frozenset(
    ["open", "FileResponse", "HTMLResponse", "send_from_directory", "send_file", "get_template"]
)
# where a string is a file path: arguments of these calls, values of these keywords
_PATH_CALLS = frozenset(["join", "joinpath", "Path", "PurePath", "StaticFiles", *_SERVES])
_PATH_KEYWORDS = frozenset(["directory", "static_folder", "template_folder"])
# a helper or a name for a file path: `relative_path(...)`, `BUILD_DIR = ...`
_PATH_NAME = re.compile(r"(?i).*(?:_path|_dir|_directory|_folder|_root)")
_WRITE_MODE = re.compile(r"[rbt]*[wax+][rwxabt+]*")
# signs of clients outside the release
_MACHINE_AUTH = re.compile(
    r"APIKey(?:Header|Query|Cookie)|TokenAuthentication|rest_framework\.authtoken"
    r"|AuthorizationServer|ResourceProtector|oauth2_provider|(?i:['\"]x-api-key['\"])"
    r"|(?i:headers?\.get\(\s*['\"](?:x-)?api[-_]?key['\"])"
    r"|(?i:\b(?:args|query_params|GET|params)(?:\.get\(|\[)\s*['\"](?:api[-_]?key|access[-_]?token)['\"])"
)
# a machine key a route takes as a parameter (FastAPI reads it from the query string)
_KEY_PARAMETER = re.compile(r"(?i)api_?key|access_?token")
_PUBLISHED_DOCS = re.compile(
    r"\b(?:docs_url|redoc_url|openapi_url)\s*=|swagger|redoc|flasgger|apispec|get_openapi\("
)
_CLIENT_DIRS = ("client", "sdk", "clients")
_CLIENT_NAME = re.compile(r"(?:\w+_)?(?:client|clients|sdk)")
_API_PATH = re.compile(r"""["'][^"'\n]*/api(?:/|["'])""")


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
        _MACHINE_AUTH.search(repo.text(rel))
        or _PUBLISHED_DOCS.search(repo.text(rel))
        or _route_takes_key(repo, rel)
        for rel in own
    ):
        return False
    return not any(_is_client(repo, rel) for rel in own)


def _route_takes_key(repo: Repo, rel: str) -> bool:
    """A route of the module takes a machine key as a parameter (`@router.post("/plans")` over
    `def apply_plan(body, api_key: str = Query(...))`): a key handed to scripts. A function
    that is no route may take one for a service it calls (chainlit's LiteralAI client's
    `api_key`, the `access_token` its login hands the browser) and is left out."""
    tree = repo.tree(rel) if _KEY_PARAMETER.search(repo.text(rel)) else None
    return tree is not None and any(
        isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) for d in fn.decorator_list
        )
        and any(_KEY_PARAMETER.fullmatch(a.arg) for a in [*fn.args.args, *fn.args.kwonlyargs])
        for fn in ast.walk(tree)
    )


def _is_client(repo: Repo, rel: str) -> bool:
    """`rel` is a client of the project's API: a top-level client, clients or sdk package, or a
    package or module of that name anywhere (`acme/client.py`, `acme/client/`, `acme_client/`)
    that names a path under /api. A module of clients of other services is none: chainlit's
    `data/storage_clients` (S3, GCS), maubot's Matrix `client.py`."""
    if rel.split("/")[0] in _CLIENT_DIRS:
        return True
    parts = rel.removesuffix(".py").split("/")
    named = any(_CLIENT_NAME.fullmatch(part) for part in parts)
    return named and _API_PATH.search(repo.text(rel)) is not None


def _serves_shell(repo: Repo, rel: str) -> bool:
    """A function of the module reads or sends an `index.html`, and the module names a
    `dist` or `build` folder as a path."""
    text = repo.text(rel)
    if "index" not in text or not ("dist" in text or "build" in text):
        return False
    tree = repo.tree(rel)
    if tree is None:
        return False
    if not any(_BUILD_DIR.search(s) for s in _path_strings(tree)):
        return False
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        names = {
            n.value
            for n in ast.walk(fn)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and _SHELL.search(n.value)
        }
        calls = {
            leaf_name(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call) and not _writes(n)
        }
        if names and calls & _SERVES:
            return True
    return False


def _path_strings(tree: ast.AST) -> list[str]:
    """The string constants `tree` writes as file paths: an operand of `/` (`WEB /
    "client/dist/index.html"`), an argument of a path join, of a path helper
    (`self.relative_path("webapp/build/index.html")`) or of a call that opens or serves a file,
    a folder keyword (`directory=`, `static_folder=`), the value of a path's name (`BUILD_DIR =
    "frontend/build"`). A route's string (`@app.post("/api/build/{job_id}")`) is none."""
    out = []
    for node in ast.walk(tree):
        parts: list[ast.expr] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            parts = [node.left, node.right]
        elif isinstance(node, ast.Call):
            name = leaf_name(node.func)
            if name in _PATH_CALLS or _PATH_NAME.fullmatch(name):
                parts = list(node.args)
            parts += [k.value for k in node.keywords if k.arg in _PATH_KEYWORDS]
        elif isinstance(node, ast.Assign) and any(
            _PATH_NAME.fullmatch(leaf_name(t)) for t in node.targets
        ):
            parts = [node.value]
        out += [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
    return out


def _writes(call: ast.Call) -> bool:
    """`open(path, "w")`, `path.open(mode="a")`: a file the code writes, no page it serves."""
    if leaf_name(call.func) != "open":
        return False
    modes = [*call.args[:2], *(k.value for k in call.keywords if k.arg == "mode")]
    return any(
        isinstance(m, ast.Constant) and isinstance(m.value, str) and _WRITE_MODE.fullmatch(m.value)
        for m in modes
    )
