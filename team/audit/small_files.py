"""Small files an async function may open on the event loop without stalling it.

A page template or a document the package ships beside its code, read whole: a route that
answers with a page of its own (skypilot's `GET /token` fills in
`Path(__file__).parent / "html" / "token_page.html"`, unmanic's docs handler returns
`docs/privacy_policy.md`) reads a few kilobytes of its installation from the page cache in
microseconds, as a static-file route does. Judges called such reads harmless, at most a nit
(read it once at import). A file whose path comes from anywhere else (an upload, a job's
log, a download) has a size nobody knows here.

A side file of a few bytes beside the data it describes, named in the code for what it holds
(thumbor keeps `f"{stem}.txt"` with an image's security key and `f"{stem}.detectors.txt"`
with its detected features next to the stored image): read whole, or written with one call
outside any loop. The image itself, an upload, a log, a JSON cache of a remote listing
(any size) are still reported. A JSON named for one other file by swapping its suffix
(rhasspy's `wav_file.with_suffix(".json")`, the expected intent of one test recording), parsed
whole with `json.load(f)`, is such a side file: it describes that one file, a few hundred bytes.

An upload the handler has already read into memory (`content = await file.read()`: Starlette
reads it in a thread) and writes whole to a local file with one call: the bytes go to the page
cache at memory speed, milliseconds once per upload a person sends (pyspur's knowledge-base and
test files). A write of bytes it reads from anywhere else (a stream, a download, a blocking
`file.file.read()`) is still reported, and so is a media upload (audio, video, images: the
function or its file is named for one), megabytes that come with every use of the endpoint
(khoj's and open-webui's transcriptions write each voice message's audio, up to tens of MB),
or a write in a module that writes its other files with aiofiles (its own convention).
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import call_name
from team.audit.repo import assignments, innermost_function

__all__ = ["downloaded_read", "reads_packaged_document", "side_file", "upload_written"]

# a page template or a document written for people, not data or a script
_DOCUMENT = re.compile(r"(?i)\.(?:html?|md|rst|txt|j2|jinja2?|tmpl|mustache)$")


def reads_packaged_document(tree: ast.Module, line: int) -> bool:
    """The file opened on `line` is a page template or document of the package's own (its path
    is built from the module's `__file__` and ends in a name written in the code with a
    document's extension), opened to read and only read whole (`f.read()`, `f.readlines()`).

    Example:
        >>> code = '''
        ... async def page():
        ...     here = Path(__file__).parent / "html"
        ...     with open(here / "token_page.html") as f:
        ...         return f.read()
        ... '''
        >>> reads_packaged_document(ast.parse(code), 4)
        True
        >>> reads_packaged_document(ast.parse(code.replace("__file__", "job_dir")), 4)
        False
    """
    scope: ast.AST = innermost_function(tree, line) or tree
    bound = assignments(scope)
    for block, name, call in _opened_on(scope, line):
        path = _opened_path(call)
        if path is None or not _packaged_document(path, bound):
            continue
        return _only_read_whole(block, name)
    return False


def _opened_path(call: ast.Call, modes: tuple[str, ...] = ("r", "rb")) -> ast.expr | None:
    """The path `open(path)` or `path.open()` opens in one of `modes` (no mode reads); None
    for any other call or mode."""
    if call_name(call) != "open":
        return None
    if isinstance(call.func, ast.Name) and call.args:
        path, rest = call.args[0], call.args[1:]
    elif isinstance(call.func, ast.Attribute):
        path, rest = call.func.value, call.args
    else:
        return None
    mode = rest[0] if rest else next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None:
        return path if "r" in modes else None
    return path if isinstance(mode, ast.Constant) and mode.value in modes else None


def _packaged_document(path: ast.expr, bound: dict[str, list[ast.expr]]) -> bool:
    """`path`, with the names it uses followed to their one assignment in the function, is
    built from `__file__` and names a document."""
    parts = _expanded(path, bound, depth=3)
    names = [n.id for p in parts for n in ast.walk(p) if isinstance(n, ast.Name)]
    return "__file__" in names and _DOCUMENT.search(_file_name(parts)) is not None


def _file_name(parts: list[ast.expr]) -> str:
    """The last string written in the first of `parts` that has any: the file name a path
    ends in (`html_dir / "page.html"`, `f"{stem}.detectors.txt"`)."""
    written = [
        [n.value for n in ast.walk(p) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        for p in parts
    ]
    return next((t[-1] for t in written if t), "")


# a side file of a few bytes: a key, a certificate, a checksum, a pid, a short text note;
# not .json (a cache of a remote listing can be any size) nor .log (grows with use)
_SIDE = re.compile(r"(?i)\.(?:txt|key|pem|crt|pub|sha\d*|md5|pid)$")
_READ_OR_WRITE = ("w", "wb", "w+", "wb+", "r", "rb")


def side_file(tree: ast.Module, line: int) -> bool:
    """The file opened on `line` is named in the code as a side file (`f"{stem}.txt"`,
    `"server.key"`, or a temporary name built from one), and the `with` block only reads it whole or writes it with one call
    outside any loop; or it is another file's JSON (`path.with_suffix(".json")`), opened to
    read and read or parsed whole.

    Example:
        >>> code = '''
        ... async def put_crypto(self, path):
        ...     crypto_path = f"{splitext(path)[0]}.txt"
        ...     with open(crypto_path, "wb") as f:
        ...         f.write(self.security_key)
        ... '''
        >>> side_file(ast.parse(code), 4)
        True
        >>> side_file(ast.parse(code.replace(".txt", ".jpg")), 4)
        False
    """
    scope: ast.AST = innermost_function(tree, line) or tree
    bound = assignments(scope)
    for block, name, call in _opened_on(scope, line):
        path = _opened_path(call, _READ_OR_WRITE)
        parts = [] if path is None else _expanded(path, bound, depth=3)
        if _sidecar_json(parts) and _opened_path(call) is not None:
            return _only_read_whole(block, name) or _parsed_whole(block, name)
        if not _names_side_file(parts):
            continue
        return _only_read_whole(block, name) or _written_once(block, name)
    return False


def _sidecar_json(parts: list[ast.expr]) -> bool:
    """The path is another file's with its suffix swapped for ".json" (`wav_file.with_suffix(
    ".json")`): the description of that one file (rhasspy's expected intent of a test
    recording), a few hundred bytes, not a listing."""
    return any(
        isinstance(p, ast.Call)
        and call_name(p) == "with_suffix"
        and len(p.args) == 1
        and isinstance(p.args[0], ast.Constant)
        and p.args[0].value == ".json"
        for p in parts
    )


def _parsed_whole(block: ast.With | ast.AsyncWith, name: str) -> bool:
    """`name` is used once in `block`, as the only argument of `json.load(name)`."""
    inside = [n for s in block.body for n in ast.walk(s)]
    uses = [n for n in inside if isinstance(n, ast.Name) and n.id == name]
    loads = [
        n
        for n in inside
        if isinstance(n, ast.Call)
        and ast.unparse(n.func) == "json.load"
        and len(n.args) == 1
        and not n.keywords
        and n.args[0] is (uses[0] if uses else None)
    ]
    return len(uses) == 1 and len(loads) == 1


def _names_side_file(parts: list[ast.expr]) -> bool:
    """The path, or a path it is built from, names a side file: thumbor writes the key to
    `f"{crypto_path}.{uuid4().hex}"` and moves it to `crypto_path = f"{stem}.txt"`, so the
    temporary name's own last string is the random suffix's."""
    return any(_SIDE.search(_file_name([p])) for p in parts)


def _opened_on(scope: ast.AST, line: int) -> list[tuple[ast.With | ast.AsyncWith, str, ast.Call]]:
    """(block, name, call) for each `with call as name:` in `scope` whose call is on `line`."""
    return [
        (block, item.optional_vars.id, item.context_expr)
        for block in ast.walk(scope)
        if isinstance(block, ast.With | ast.AsyncWith)
        for item in block.items
        if isinstance(item.context_expr, ast.Call)
        and item.context_expr.lineno == line
        and isinstance(item.optional_vars, ast.Name)
    ]


def _written_once(block: ast.With | ast.AsyncWith, name: str) -> bool:
    """`name` is used once in `block`, as `name.write(value)`, and not inside a loop."""
    inside = [n for s in block.body for n in ast.walk(s)]
    uses = [n for n in inside if isinstance(n, ast.Name) and n.id == name]
    loops = [n for n in inside if isinstance(n, ast.For | ast.AsyncFor | ast.While)]
    writes = [
        n
        for n in inside
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "write"
        and len(n.args) == 1
        and n.func.value is (uses[0] if uses else None)
    ]
    in_loop = any(_within(loop, w) for loop in loops for w in writes)
    return len(uses) == 1 and len(writes) == 1 and not in_loop


def _within(outer: ast.AST, node: ast.AST) -> bool:
    return any(n is node for n in ast.walk(outer))


def _expanded(expr: ast.expr, bound: dict[str, list[ast.expr]], *, depth: int) -> list[ast.expr]:
    """`expr` and the values of the names it uses that are assigned once in the function,
    followed `depth` levels deep (`html_dir / "page.html"` with `html_dir = Path(__file__)...`)."""
    out = [expr]
    if depth == 0:
        return out
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and len(bound.get(node.id, [])) == 1:
            out += _expanded(bound[node.id][0], bound, depth=depth - 1)
    return out


def _only_read_whole(block: ast.With | ast.AsyncWith, name: str) -> bool:
    """`name` is only ever used as `name.read()` or `name.readlines()` inside `block`."""
    inside = [n for s in block.body for n in ast.walk(s)]
    uses = [n for n in inside if isinstance(n, ast.Name) and n.id == name]
    reads = {
        id(n.func.value)
        for n in inside
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("read", "readlines")
        and not n.args
        and isinstance(n.func.value, ast.Name)
    }
    return bool(uses) and all(id(n) in reads for n in uses)


def downloaded_read(tree: ast.Module, line: int) -> bool:
    """The file opened on `line` is the one an awaited download of the same function has just
    written (`d = await downloader.run()`, then `open(d.path, "rb").read()`), read back whole
    in one call: one page a sync task fetched, hot in the page cache.

    Example:
        >>> code = '''
        ... async def page(downloader):
        ...     d = await downloader.run()
        ...     return parse(open(d.path, "rb").read())
        ... '''
        >>> downloaded_read(ast.parse(code), 4)
        True
        >>> downloaded_read(ast.parse(code.replace("await downloader.run()", "job")), 4)
        False
    """
    scope = innermost_function(tree, line)
    if scope is None:
        return False
    awaited = {
        name
        for name, values in assignments(scope).items()
        if any(isinstance(v, ast.Await) for v in values)
    }
    for node in ast.walk(scope):
        if not (isinstance(node, ast.Call) and node.lineno == line):
            continue
        opened = node.func.value if isinstance(node.func, ast.Attribute) else None
        if call_name(node) == "read" and not node.args and isinstance(opened, ast.Call):
            path = _opened_path(opened)
            if (
                isinstance(path, ast.Attribute)
                and isinstance(path.value, ast.Name)
                and path.value.id in awaited
            ):
                return True
    return False


def upload_written(tree: ast.Module, line: int) -> bool:
    """The file opened to write on `line` gets, with one call, bytes the function awaited
    whole from an upload (`content = await file.read()`, then `f.write(content)`).

    Example:
        >>> code = '''
        ... async def upload(file):
        ...     content = await file.read()
        ...     with open(file.filename, "wb") as f:
        ...         f.write(content)
        ... '''
        >>> upload_written(ast.parse(code), 4)
        True
        >>> upload_written(ast.parse(code.replace("await file.read()", "file.file.read()")), 4)
        False
    """
    if _async_files(tree):
        return False
    scope: ast.AST = innermost_function(tree, line) or tree
    if _MEDIA.search(ast.unparse(scope)):
        return False
    bound = assignments(scope)
    for block, name, call in _opened_on(scope, line):
        if _opened_path(call, ("w", "wb")) is None or not _written_once(block, name):
            continue
        value = next(
            n.args[0]
            for s in block.body
            for n in ast.walk(s)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "write"
        )
        values = bound.get(value.id, []) if isinstance(value, ast.Name) else [value]
        return bool(values) and all(_awaited_read(v) for v in values)
    return False


# an upload of media: megabytes with every use (a voice message, a photo)
_MEDIA = re.compile(
    r"(?i)audio|video|speech|transcri|voice|media|image|photo|picture|\.(?:webm|mp[34]|wav|ogg|m4a|png|jpe?g)\b"
)


def _awaited_read(value: ast.expr) -> bool:
    """`await file.read()`: the whole upload, read without blocking."""
    call = value.value if isinstance(value, ast.Await) else None
    if not isinstance(call, ast.Call) or call.args or call.keywords:
        return False
    return isinstance(call.func, ast.Attribute) and call_name(call) == "read"


def _async_files(tree: ast.Module) -> bool:
    """The module opens files without blocking elsewhere (`import aiofiles`,
    `from anyio import open_file`): writing one with `open()` breaks its own convention."""
    return any(
        (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "aiofiles" for a in n.names))
        or (
            isinstance(n, ast.ImportFrom)
            and (n.module or "").split(".")[0] in ("aiofiles", "anyio")
            and (n.module != "anyio" or any(a.name == "open_file" for a in n.names))
        )
        for n in ast.walk(tree)
    )
