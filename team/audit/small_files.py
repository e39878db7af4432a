"""Small files an async function may open on the event loop without stalling it.

A page template or a document the package ships beside its code, read whole: a route that
answers with a page of its own (skypilot's `GET /token` fills in
`Path(__file__).parent / "html" / "token_page.html"`, unmanic's docs handler returns
`docs/privacy_policy.md`) reads a few kilobytes of its installation from the page cache in
microseconds, as a static-file route does. Judges called such reads harmless, at most a nit
(read it once at import). A file whose path comes from anywhere else (an upload, a job's
log, a download) has a size nobody knows here.
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import call_name
from team.audit.repo import assignments, innermost_function

__all__ = ["reads_packaged_document"]

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
    for block in ast.walk(scope):
        if not isinstance(block, ast.With | ast.AsyncWith):
            continue
        for item in block.items:
            call = item.context_expr
            if not (
                isinstance(call, ast.Call)
                and call.lineno == line
                and isinstance(item.optional_vars, ast.Name)
            ):
                continue
            path = _opened_path(call)
            if path is None or not _packaged_document(path, bound):
                continue
            return _only_read_whole(block, item.optional_vars.id)
    return False


def _opened_path(call: ast.Call) -> ast.expr | None:
    """The path `open(path)` or `path.open()` opens to read (no mode, "r" or "rb"); None for
    any other call or a mode that writes."""
    if call_name(call) != "open":
        return None
    if isinstance(call.func, ast.Name) and call.args:
        path, rest = call.args[0], call.args[1:]
    elif isinstance(call.func, ast.Attribute):
        path, rest = call.func.value, call.args
    else:
        return None
    mode = rest[0] if rest else next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is not None and not (isinstance(mode, ast.Constant) and mode.value in ("r", "rb")):
        return None
    return path


def _packaged_document(path: ast.expr, bound: dict[str, list[ast.expr]]) -> bool:
    """`path`, with the names it uses followed to their one assignment in the function, is
    built from `__file__`, and the last string written in the first of those expressions
    that has any names a document."""
    parts = _expanded(path, bound, depth=3)
    names = [n.id for p in parts for n in ast.walk(p) if isinstance(n, ast.Name)]
    written = [
        [n.value for n in ast.walk(p) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        for p in parts
    ]
    texts = next((t for t in written if t), [])
    return "__file__" in names and bool(texts) and _DOCUMENT.search(texts[-1]) is not None


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
