"""Blocking I/O in async code through a plain function of the application's own.

ruff's ASYNC rules see `shutil.rmtree(path)` or a file read written inside an `async def`; not
the same work done by a plain `def` the coroutine calls (gitingest's `process_query`, awaited by
its ingest routes, calls `ingest_query(query)`, which walks the cloned repository and reads
every file, then `_cleanup_repository()`, which runs `shutil.rmtree` on the clone, and its S3
cache check calls `check_s3_object_exists()`, a synchronous boto3 `head_object` on a client
made per call). Each holds the event loop, and every other request on the worker, until it is
done.

Precision first, so the blocking work must be certain and on a request path: the coroutine is
a route's handler or awaited, by name, from one (through up to four coroutines); the plain
function is a module-level `def` of the repository, called by name (not handed to
`to_thread`/`run_in_executor`, not from a nested function or lambda), and it, or a plain
function it calls by name (one level further), walks a directory tree (`os.walk`, `rglob`, a
function that lists a directory and calls itself), removes or copies one (`shutil.rmtree`,
`copytree`, `move`), or calls a boto3 client it makes (`boto3.client(...)`, or a function of
the repository returning one). One finding per coroutine, at its first such call, with the
others in the message: the fix is to hand them to a thread.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from team.audit.core import RoleFinding, finding
from team.audit.repo import Function, Repo, is_test
from team.audit.sync_clients import own_nodes
from team.audit.web import web_inventory

__all__ = ["sync_helper_calls"]

_TREE_OPS = frozenset(["rmtree", "copytree", "move"])  # of shutil
_WALKS = frozenset(["walk", "rglob"])  # os.walk, Path.rglob
_LISTINGS = frozenset(["iterdir", "scandir", "listdir"])  # a walk when the function recurses
_BOTO3 = frozenset(["boto3.client", "boto3.resource"])
_DEPTH = 4  # coroutines followed down from a route's handler


@dataclass
class _Index:
    """The repository's module-level functions by name, and each module's imported names."""

    functions: dict[str, list[tuple[str, Function]]] = field(default_factory=dict)
    imports: dict[str, dict[str, str]] = field(default_factory=dict)  # rel -> name -> module

    def resolve(self, rel: str, name: str) -> Function | None:
        """The module-level function `name` means in module `rel`: its own, or the one it
        imports by that name from a module of the repository (found by its dotted path)."""
        candidates = self.functions.get(name, [])
        own = [fn for r, fn in candidates if r == rel]
        if own:
            return own[0]
        module = self.imports.get(rel, {}).get(name)
        if module is None:
            return None
        path = module.replace(".", "/")
        found = [fn for r, fn in candidates if r.removesuffix(".py").endswith(path)]
        return found[0] if len(found) == 1 else None


def _index(repo: Repo) -> _Index:
    index = _Index()
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        for node in tree.body:
            if isinstance(node, Function):
                index.functions.setdefault(node.name, []).append((rel, node))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    index.imports.setdefault(rel, {})[alias.asname or alias.name] = node.module
    return index


def _boto3_factories(index: _Index) -> set[str]:
    """Module-level functions that return a boto3 client or resource they make."""
    return {
        name
        for name, defs in index.functions.items()
        for _, fn in defs
        if any(
            isinstance(r, ast.Return)
            and isinstance(r.value, ast.Call)
            and ast.unparse(r.value.func) in _BOTO3
            for r in ast.walk(fn)
        )
    }


def _blocking(fn: ast.FunctionDef, factories: set[str]) -> str:
    """What certain blocking work `fn` does itself, or ""."""
    nodes = own_nodes(fn)
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    names = {ast.unparse(c.func) for c in calls}
    clients = {
        ast.unparse(t)
        for n in nodes
        if isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Call)
        and (ast.unparse(n.value.func) in _BOTO3 or ast.unparse(n.value.func) in factories)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    for call in calls:
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        receiver = ast.unparse(func.value)
        if receiver == "shutil" and func.attr in _TREE_OPS:
            return f"shutil.{func.attr}()"
        if (receiver == "os" and func.attr == "walk") or func.attr == "rglob":
            return f"a directory walk ({ast.unparse(func)}())"
        if func.attr in _LISTINGS and fn.name in names:
            return f"a recursive directory walk ({ast.unparse(func)}())"
        if receiver in clients:
            return f"a synchronous boto3 call ({ast.unparse(func)}())"
    return ""


class _Helpers:
    """Which module-level plain functions block, directly or through one plain callee."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.factories = _boto3_factories(index)
        self.rel_of = {id(fn): rel for defs in index.functions.values() for rel, fn in defs}
        self.memo: dict[int, str] = {}

    def blocks(self, fn: Function, depth: int = 0) -> str:
        if not isinstance(fn, ast.FunctionDef):
            return ""
        if id(fn) not in self.memo:
            self.memo[id(fn)] = ""  # a recursion in progress blocks nothing more
            found = _blocking(fn, self.factories)
            rel = self.rel_of.get(id(fn), "")
            for call in (n for n in own_nodes(fn) if isinstance(n, ast.Call)):
                if found or depth >= 1:
                    break
                if not isinstance(call.func, ast.Name):
                    continue
                callee = self.index.resolve(rel, call.func.id)
                if callee is not None and callee is not fn:
                    inner = self.blocks(callee, depth + 1)
                    found = f"{inner} in {callee.name}()" if inner else ""
            self.memo[id(fn)] = found
        return self.memo[id(fn)]


def _request_coroutines(repo: Repo, index: _Index) -> list[tuple[str, ast.AsyncFunctionDef]]:
    """Route handlers that are coroutines, and the module-level coroutines they await by name,
    down to `_DEPTH` levels."""
    endpoints, _ = web_inventory(repo)
    todo = [
        (e.file, e.node)
        for e in endpoints
        if isinstance(e.node, ast.AsyncFunctionDef) and not is_test(e.file)
    ]
    rel_of = {id(fn): rel for defs in index.functions.values() for rel, fn in defs}
    seen: dict[int, tuple[str, ast.AsyncFunctionDef]] = {}
    for _ in range(_DEPTH + 1):
        found: list[tuple[str, ast.AsyncFunctionDef]] = []
        for rel, fn in todo:
            if id(fn) in seen:
                continue
            seen[id(fn)] = (rel, fn)
            for node in own_nodes(fn):
                if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
                    func = node.value.func
                    if isinstance(func, ast.Name):
                        callee = index.resolve(rel, func.id)
                        if isinstance(callee, ast.AsyncFunctionDef):
                            found.append((rel_of[id(callee)], callee))
        todo = found
    return list(seen.values())


def sync_helper_calls(repo: Repo) -> list[RoleFinding]:
    """One blocking-io-in-async finding per request-path coroutine that calls plain functions
    of the repository doing certain blocking work, at the first such call.

    Example:
        >>> from pathlib import Path
        >>> sync_helper_calls(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    if not any(w in repo.text(rel) for rel in repo.python for w in ("shutil", "walk", "boto3")):
        return []
    index = _index(repo)
    helpers = _Helpers(index)
    out: list[RoleFinding] = []
    for rel, fn in _request_coroutines(repo, index):
        calls = sorted(
            (n for n in own_nodes(fn) if isinstance(n, ast.Call)),
            key=lambda c: (c.lineno, c.col_offset),
        )
        blocking = []
        for call in calls:
            name = call.func.id if isinstance(call.func, ast.Name) else ""
            callee = index.resolve(rel, name) if name else None
            what = helpers.blocks(callee) if callee is not None else ""
            if what:
                blocking.append((call, what))
        if not blocking:
            continue
        first, what = blocking[0]
        others = ", ".join(f"{ast.unparse(c.func)}() on line {c.lineno}" for c, _ in blocking[1:])
        out.append(
            finding(
                "blocking-io-in-async",
                rel,
                first.lineno,
                f"async {fn.name}() calls {ast.unparse(first.func)}(), a plain function that "
                f"does {what}, on the event loop"
                + (f" (so do {others})" if others else "")
                + ": every other request waits; run it in a thread (asyncio.to_thread)",
                evidence=repo.line_text(rel, first.lineno),
            )
        )
    return out
