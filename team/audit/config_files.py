"""Files of the app's own configuration an async handler may open without stalling the loop.

Rhasspy's web server keeps a voice assistant's settings in its profile: the sentences a person
types on the Sentences page, the custom pronunciations of the Words page, a slot list, the
phoneme map of the speech system. Its Quart handlers find each file through the profile
(`core.profile.write_path(core.profile.get("speech_to_text.sentences_ini"))`) and read it line
by line, or write it from the request body already awaited whole (`data = await
request.data`) or from a set of values in memory. Judges called these reads and writes of a
few kilobytes, landing in the page cache, no measurable stall of the event loop (fresh53).

What is opened and how it is fed decides, not the `open()` itself: a file the configuration
names by a key written in the code holds what a person edits, kilobytes. A request's upload
copied chunk by chunk from its stream (the same server's `/api/evaluate` archive, tens to
hundreds of megabytes), a path built from an upload's own file name, and a settings file read
under a file lock (aim's pinned metrics: the lock wait stalls the loop for up to its timeout)
are still reported.

A file the deployment names in the environment is configuration too: kube-web-view reads its
OAuth2 client id and secret from the files `OAUTH2_CLIENT_ID_FILE` and `OAUTH2_CLIENT_SECRET_FILE`
name (`client_id = open(os.getenv("OAUTH2_CLIENT_ID_FILE")).read().strip()`, a secret mounted
from Kubernetes), only on the login redirect and the OAuth2 callback: a few bytes from the page
cache, re-read so that a rotated secret takes effect (judged false, fresh54). Round 74's reading
missed it twice: the path is an environment lookup, not a configuration object's, and the file
is opened and read whole in one expression (`open(path).read()`), not in a `with` block. The
same checks hold: a written key, no upload's name, no lock around it.

Nothing given to the handler may go into a path the environment names: a parameter of the
enclosing function (a URL's name, the `environ` of a WSGI-style callable) or anything of the
request joined onto the deployment's directory (`os.path.join(os.getenv("DATA_DIR"),
request.query["file"])`) names a file the caller picks, and the read is reported. The environment counts only as `os.environ` /
`os.getenv`, or `environ` / `getenv` imported from `os`.

Limit: the size of a configured file is not read. A file the configuration or the environment
names, read whole, is taken for a few kilobytes whatever it holds, so a data set the deployment
names (`rows = open(os.environ["DATASET_CSV"]).readlines()`) is not reported either.
"""

from __future__ import annotations

import ast
import re
from typing import TypeGuard

from team.audit.queries import call_name
from team.audit.repo import innermost_function

__all__ = ["configured_file"]

# an object that holds the app's configuration: rhasspy's `core.profile`, a `settings` or
# `config` object
_CONFIG = re.compile(r"(?i)^(?:profile|settings|config|conf|configuration|preferences|prefs)$")
# what a stream or an upload is read through, piece by piece
_STREAMED = re.compile(r"(?i)^(?:stream|file|iter_\w+|chunks?|read|readinto|copyfileobj)$")


def configured_file(tree: ast.Module, line: int) -> bool:
    """The file opened on `line` (`with open(path, ...) as f:`, or `open(path).read()`) is one
    the app's configuration names: its path, followed through the last assignment of each
    name before the line, holds a lookup of the configuration object or of the environment by
    a key written in the code (`core.profile.get("speech_to_text.sentences_ini")`,
    `os.getenv("OAUTH2_CLIENT_ID_FILE")`) and no upload's file name; no lock is held around it,
    and the block reads the file itself or writes values in memory, never a stream piece by
    piece.

    Example:
        >>> code = '''
        ... async def api_sentences():
        ...     path = core.profile.write_path(core.profile.get("speech_to_text.sentences_ini"))
        ...     data = await request.data
        ...     with open(path, "wb") as f:
        ...         f.write(data)
        ... '''
        >>> streamed = code.replace("f.write(data)", "for c in up.stream: f.write(c)")
        >>> named = code.replace('core.profile.get("speech_to_text.sentences_ini")', "up.filename")
        >>> [configured_file(ast.parse(c), 5) for c in (code, streamed, named)]
        [True, False, False]
        >>> secret = '''
        ... async def get_oauth2_client():
        ...     secret_file = os.getenv("OAUTH2_CLIENT_SECRET_FILE")
        ...     return open(secret_file).read().strip()
        ... '''
        >>> given = secret.replace('os.getenv("OAUTH2_CLIENT_SECRET_FILE")', "request.query['f']")
        >>> [configured_file(ast.parse(c), 4) for c in (secret, given)]
        [True, False]
    """
    scope: ast.AST = innermost_function(tree, line) or tree
    from_os = _imported_from_os(tree)
    for node in ast.walk(scope):
        opened = _read_whole_inline(node, line)
        if opened is not None:
            configured = _configured(opened.args[0], scope, line, from_os)
            return configured and not _locked(scope, node)
        if not isinstance(node, ast.With | ast.AsyncWith):
            continue
        for item in node.items:
            call = item.context_expr
            if not (_opens(call) and call.lineno == line):
                continue
            return (
                _configured(call.args[0], scope, line, from_os)
                and not _locked(scope, node)
                and not _streamed(node)
            )
    return False


def _opens(node: ast.AST) -> TypeGuard[ast.Call]:
    """`open(path, ...)`, the builtin, handed a path."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "open"
        and bool(node.args)
    )


def _read_whole_inline(node: ast.AST, line: int) -> ast.Call | None:
    """The `open(path)` of `open(path).read()` (or `.readlines()`) on `line`, opened to read:
    the file read whole in one expression, its handle never named; None for anything else."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("read", "readlines")
        and not node.args
    ):
        return None
    opened = node.func.value
    if not (_opens(opened) and opened.lineno == line):
        return None
    mode = opened.args[1] if len(opened.args) > 1 else None
    mode = next((k.value for k in opened.keywords if k.arg == "mode"), mode)
    reads = mode is None or (isinstance(mode, ast.Constant) and mode.value in ("r", "rb", "rt"))
    return opened if reads else None


def _configured(expr: ast.expr, scope: ast.AST, line: int, from_os: set[str]) -> bool:
    """`expr`, with each name followed to its last assignment above `line`, holds a lookup of
    the configuration by a written key and no upload's file name; a lookup of the environment
    counts only with nothing of the request and no parameter of the function not assigned
    before."""
    parts = _followed(expr, scope, line, depth=3)
    nodes = [n for p in parts for n in ast.walk(p)]
    if any(isinstance(n, ast.Attribute) and n.attr == "filename" for n in nodes):
        return False
    if any(_config_lookup(n) for n in nodes):
        return True
    given = any(_given(n, scope, line) for n in nodes)
    return not given and any(_environment_lookup(n, from_os) for n in nodes)


def _given(node: ast.AST, scope: ast.AST, line: int) -> bool:
    """`node` is what a caller hands in: an upload's `.filename`, the request (`request`,
    `self.request`), or a parameter of the function `scope` not assigned above `line`."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("filename", "request")
    if not isinstance(node, ast.Name):
        return False
    if node.id == "request":
        return True
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    args = scope.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return node.id in {p.arg for p in params if p is not None} and (
        _last_value(scope, node.id, line) is None
    )


def _imported_from_os(tree: ast.Module) -> set[str]:
    """`environ` and `getenv` where the module imports them from `os`."""
    return {
        alias.asname or alias.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module == "os"
        for alias in n.names
        if alias.name in ("environ", "getenv")
    }


def _config_lookup(node: ast.AST) -> bool:
    """`core.profile.get("key", ...)`, `settings.get("key")`: a method of an object named for
    the configuration, handed a key written in the code."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or not node.args:
        return False
    owner = node.func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return _CONFIG.match(name) is not None and _written(node.args[0])


def _environment_lookup(node: ast.AST, from_os: set[str]) -> bool:
    """`os.getenv("KEY")`, `os.environ.get("KEY")`, `os.environ["KEY"]` (or `getenv`, `environ`
    imported from `os`): the environment the deployment sets, read by a key written in the code.
    An `environ` of another origin (a WSGI callable's, the request's) is not the environment."""
    environ = {"os.environ"} | ({"environ"} & from_os)
    if isinstance(node, ast.Call) and node.args:
        getenv = {"os.getenv", *({"getenv"} & from_os), *(f"{e}.get" for e in environ)}
        return ast.unparse(node.func) in getenv and _written(node.args[0])
    return (
        isinstance(node, ast.Subscript)
        and ast.unparse(node.value) in environ
        and _written(node.slice)
    )


def _written(key: ast.expr) -> bool:
    """A key written in the code: a string, or an f-string."""
    return (isinstance(key, ast.Constant) and isinstance(key.value, str)) or isinstance(
        key, ast.JoinedStr
    )


def _followed(expr: ast.expr, scope: ast.AST, line: int, *, depth: int) -> list[ast.expr]:
    """`expr` and the last value assigned above `line` to each name it uses, `depth` deep."""
    out = [expr]
    if depth == 0:
        return out
    for node in ast.walk(expr):
        if isinstance(node, ast.Name):
            value = _last_value(scope, node.id, line)
            if value is not None:
                out += _followed(value, scope, value.lineno, depth=depth - 1)
    return out


def _last_value(scope: ast.AST, name: str, line: int) -> ast.expr | None:
    """The value of the last `name = ...` in `scope` above `line`."""
    found = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Assign)
        and n.lineno < line
        and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
    ]
    return max(found, key=lambda n: n.lineno).value if found else None


def _locked(scope: ast.AST, block: ast.AST) -> bool:
    """A `with` around `block` takes a lock (`with AutoFileLock(lock_file, timeout=2):`)."""
    return any(
        isinstance(outer, ast.With | ast.AsyncWith)
        and outer is not block
        and any(re.search(r"(?i)lock", ast.unparse(i.context_expr)) for i in outer.items)
        and any(n is block for s in outer.body for n in ast.walk(s))
        for outer in ast.walk(scope)
    )


def _streamed(block: ast.With | ast.AsyncWith) -> bool:
    """The block copies a stream: an `async for`, a loop over a stream or a file object's
    pieces (`for chunk in upload.stream:`), or a read of a given size."""
    for node in (n for s in block.body for n in ast.walk(s)):
        if isinstance(node, ast.AsyncFor):
            return True
        if isinstance(node, ast.For):
            source = node.iter.func if isinstance(node.iter, ast.Call) else node.iter
            if isinstance(source, ast.Attribute) and _STREAMED.match(source.attr):
                return True
        if isinstance(node, ast.Call) and _STREAMED.match(call_name(node)) and node.args:
            return True
    return False
