"""Blocking calls in async functions that no request waits on, or that only open a file.

A file handle opened and handed on: `audio = open(path, "rb")`, then only `await
transcribe_audio(audio, ...)` and `audio.close()` (khoj's transcription endpoint). Opening is
one cheap system call; the reads happen in the coroutine that takes the handle, where a
blocking read is its own finding. So for a handle kept on the object and only positioned here
(`self.file = open(path, "rb"); self.file.seek(pos)`, tribler's stream): the object's other
methods read it. A handle read or written here (`tmp.write(data)`, motionEye's download copy)
is still reported.

A build run before the service serves: an async function whose every caller in the repository
is a command-line tool's or a function that runs as the service comes up (hyperglass's
`build_frontend`, called by `build_ui` in its CLI and by the `build_ui` its gunicorn
`on_starting` hook runs), followed two callers up. A function with no caller found, or with one
caller on a request path, is still reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import call_name
from team.audit.repo import Repo, innermost_function

__all__ = ["handle_handed_on", "runs_before_serving"]


def handle_handed_on(tree: ast.Module, line: int, coroutines: set[str]) -> bool:
    """`name = open(...)` on `line` inside an async function, and `name` is then only passed to
    a coroutine awaited by a name in `coroutines` or closed.

    Example:
        >>> code = '''
        ... async def transcribe(path):
        ...     audio = open(path, "rb")
        ...     text = await to_text(audio)
        ...     audio.close()
        ...     return text
        ... '''
        >>> handle_handed_on(ast.parse(code), 3, {"to_text"})
        True
        >>> handle_handed_on(ast.parse(code.replace("await to_text(audio)", "audio.read()")), 3,
        ...     {"to_text"})
        False
    """
    fn = innermost_function(tree, line)
    if not isinstance(fn, ast.AsyncFunctionDef):
        return False
    name = _opened_into(fn, line)
    if name is None:
        return _kept_on_self(fn, line)
    handed = {
        id(arg)
        for node in ast.walk(fn)
        if isinstance(node, ast.Await)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in coroutines
        for arg in [*node.value.args, *(k.value for k in node.value.keywords)]
    }
    closed = {
        id(node.func.value)
        for node in ast.walk(fn)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "close"
        and not node.args
    }
    uses = [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]
    return any(id(n) in handed for n in uses) and all(id(n) in handed | closed for n in uses)


def _kept_on_self(fn: ast.AsyncFunctionDef, line: int) -> bool:
    """`self.x = open(...)` on `line`, and `self.x` is only sought or closed in `fn`."""
    opened = [
        target.attr
        for target in _open_targets(fn, line)
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    ]
    if not opened:
        return False
    used = [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Attribute)
        and n.attr == opened[0]
        and isinstance(n.value, ast.Name)
        and n.value.id == "self"
        and isinstance(n.ctx, ast.Load)
    ]
    positioned = {
        id(n.func.value)
        for n in ast.walk(fn)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("seek", "close")
    }
    return all(id(n) in positioned for n in used)


def _opened_into(fn: ast.AsyncFunctionDef, line: int) -> str | None:
    """The one name `open(...)` on `line` is assigned to (`name = open(path)`), if so."""
    names = [target.id for target in _open_targets(fn, line) if isinstance(target, ast.Name)]
    return names[0] if names else None


def _open_targets(fn: ast.AsyncFunctionDef, line: int) -> list[ast.expr]:
    """What a bare `open(...)` on `line` is assigned to, one target per assignment (`f = open(p)`,
    `self.f = open(p)`), in the order `ast.walk` meets them."""
    return [
        node.targets[0]
        for node in ast.walk(fn)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and call_name(node.value) == "open"
        and isinstance(node.value.func, ast.Name)
        and node.value.lineno == line
        and len(node.targets) == 1
    ]


# functions that run as the service comes up: a server's start hooks (gunicorn's on_starting),
# and what a command-line tool or a start-up hook calls to prepare it
_COMES_UP = re.compile(r"(?i)^(?:on_start\w*|\w*startup\w*|lifespan|start|main)$")


def runs_before_serving(repo: Repo, rel: str, line: int) -> bool:
    """The module-level async function around `line` is called only by command-line modules
    or by functions that are, up to two callers up, called only at start-up."""
    tree = repo.tree(rel)
    fn = _top_function(tree, line) if tree is not None else None
    if not isinstance(fn, ast.AsyncFunctionDef):
        return False
    return _only_before_serving(repo, fn.name, depth=2, chain=frozenset())


def _only_before_serving(repo: Repo, name: str, *, depth: int, chain: frozenset[str]) -> bool:
    """Every caller of `name` (by the outermost function around each call) is in a
    command-line module, runs at start-up, is one of the `chain` of callees already followed
    (a call back down), or is itself only called so, `depth` levels up."""
    callers = _callers(repo, name)
    if not callers:
        return False
    chain = chain | {name}
    for rel, caller in callers:
        if _command_line(rel) or _COMES_UP.match(caller) or caller in chain:
            continue
        if depth == 0 or not _only_before_serving(repo, caller, depth=depth - 1, chain=chain):
            return False
    return True


def _callers(repo: Repo, name: str) -> list[tuple[str, str]]:
    """(module, outermost function) of each call of `name` in the repository; a call at a
    module's top level counts as a caller named "" (it runs on import: not start-up)."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    out = []
    for rel in repo.python:
        if not word.search(repo.text(rel)):
            continue
        tree = repo.tree(rel)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Call) and call_name(node) == name:
                fn = _top_function(tree, node.lineno) if tree is not None else None
                out.append((rel, fn.name if fn is not None else ""))
    return out


def _top_function(tree: ast.Module, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function (or a method of a module-level class) spanning `line`."""
    for node in tree.body:
        members = node.body if isinstance(node, ast.ClassDef) else [node]
        for fn in members:
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and (
                fn.lineno <= line <= (fn.end_lineno or fn.lineno)
            ):
                return fn
    return None


def _command_line(rel: str) -> bool:
    """A module of a command-line tool or of a script shipped beside the service."""
    parts = rel.removesuffix(".py").split("/")
    return "cli" in parts or "scripts" in parts or parts[-1] == "__main__"
