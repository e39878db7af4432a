"""Blocking I/O in async code through a process the coroutine starts and then waits for:
`proc = subprocess.Popen(cmd, stdout=PIPE)` and then `proc.wait(timeout=120)` or
`proc.communicate()` inside an `async def`. Starting the process returns at once (ruff's
ASYNC220, dropped alone for that reason), but waiting for it holds the event loop, and every
other request on it, until the process exits (cylc-uiserver's `Services.run_command`, awaited
by the `play` and `validate_reinstall` GraphQL mutations with a two-minute timeout).

Precision first, so the wait must be certain and on a request path: the process is made by
`subprocess.Popen` (imported as such) and bound to a name in the coroutine's own body (not in
a nested function or lambda handed to a thread), the same name's `wait()` or `communicate()`
is called there, and the coroutine is a route's handler or a GraphQL resolver (`resolver=`, a
`resolve_*` or `mutate` method), or awaited from one through up to four coroutines, each
awaited by a name only one coroutine of the repository has. One finding per coroutine, at the
Popen of its first waited process (where ruff's ASYNC220 points), with the waits and the
coroutines that await it in the message: the fix is one change there.
"""

from __future__ import annotations

import ast
from collections import Counter

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test
from team.audit.sync_clients import own_nodes
from team.audit.web import web_inventory

__all__ = ["waited_processes"]

_WAITS = frozenset(["wait", "communicate"])
_DEPTH = 4  # coroutines followed up to a route's handler or a resolver
_Coroutine = tuple[str, ast.AsyncFunctionDef]


def _popen_names(tree: ast.Module) -> set[str]:
    """The spellings of `subprocess.Popen` in a module (`subprocess.Popen`, `Popen`, `sp.Popen`)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {
                f"{alias.asname or alias.name}.Popen"
                for alias in node.names
                if alias.name == "subprocess"
            }
        elif isinstance(node, ast.ImportFrom) and node.module == "subprocess":
            out |= {alias.asname or alias.name for alias in node.names if alias.name == "Popen"}
    return out


def _waited(fn: ast.AsyncFunctionDef, popen: set[str]) -> list[tuple[ast.Call, list[ast.Call]]]:
    """Each process `fn` starts itself with Popen and waits for there, as (the Popen call, its
    `wait()`/`communicate()` calls in line order), in line order."""
    nodes = own_nodes(fn)
    started: dict[str, ast.Call] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if ast.unparse(node.value.func) in popen:
                started |= {t.id: node.value for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.With):
            started |= {
                item.optional_vars.id: item.context_expr
                for item in node.items
                if isinstance(item.context_expr, ast.Call)
                and ast.unparse(item.context_expr.func) in popen
                and isinstance(item.optional_vars, ast.Name)
            }
    waits: dict[str, list[ast.Call]] = {}
    for n in nodes:
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in _WAITS
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id in started
        ):
            waits.setdefault(n.func.value.id, []).append(n)
    return sorted(
        (
            (started[name], sorted(calls, key=lambda c: (c.lineno, c.col_offset)))
            for name, calls in waits.items()
        ),
        key=lambda pair: pair[0].lineno,
    )


def _resolved(value: ast.expr) -> str:
    """The function a resolver value names: `mutator` or `partial(mutator, command="play")`."""
    if isinstance(value, ast.Call) and ast.unparse(value.func) in ("partial", "functools.partial"):
        value = value.args[0] if value.args else value
    return value.id if isinstance(value, ast.Name) else ""


def _resolvers(tree: ast.Module) -> set[str]:
    """Names of the module-level functions a GraphQL schema of the module resolves with
    (`resolver=list_files`, `resolver = partial(mutator, command="play")`)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.keyword) and node.arg == "resolver") or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "resolver" for t in node.targets)
        ):
            out.add(_resolved(node.value))
    return out - {""}


def _entries(repo: Repo, coroutines: list[_Coroutine]) -> set[int]:
    """ids of the coroutines a request runs first: route handlers and GraphQL resolvers."""
    endpoints, _ = web_inventory(repo)
    out = {id(e.node) for e in endpoints}
    module_level = {
        rel: {n.name: n for n in tree.body if isinstance(n, ast.AsyncFunctionDef)}
        for rel, tree in repo.modules()
    }
    for rel, tree in repo.modules():
        out |= {id(module_level[rel][name]) for name in _resolvers(tree) & set(module_level[rel])}
    out |= {id(fn) for _, fn in coroutines if fn.name.startswith("resolve_") or fn.name == "mutate"}
    return out


def _awaited_names(fn: ast.AsyncFunctionDef) -> set[str]:
    """The names `fn` awaits calls to (`await play(...)`, `await cls.run_command(...)`)."""
    out: set[str] = set()
    for node in own_nodes(fn):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name):
                out.add(func.id)
            elif isinstance(func, ast.Attribute):
                out.add(func.attr)
    return out


class _Awaits:
    """Which names each coroutine awaits, and how many coroutines bear each name: built once
    per review, asked once per coroutine that waits for a process."""

    def __init__(self, coroutines: list[_Coroutine]) -> None:
        self.named = Counter(fn.name for _, fn in coroutines)
        self.awaits = {id(fn): _awaited_names(fn) for _, fn in coroutines}


def _request_path(
    target: ast.AsyncFunctionDef, coroutines: list[_Coroutine], entries: set[int], table: _Awaits
) -> list[str] | None:
    """The coroutines that await `target` (their names) when a request reaches it, or None."""
    if id(target) in entries:
        return []
    named, awaits = table.named, table.awaits
    level, seen = [target], {id(target)}
    callers: list[str] = []
    for depth in range(_DEPTH):
        up = [
            fn
            for _, fn in coroutines
            if id(fn) not in seen
            and any(named[t.name] == 1 and t.name in awaits[id(fn)] for t in level)
        ]
        if depth == 0:
            callers = sorted({fn.name for fn in up})
        if any(id(fn) in entries for fn in up):
            return callers
        seen |= {id(fn) for fn in up}
        level = up
    return None


def waited_processes(repo: Repo) -> list[RoleFinding]:
    """One blocking-io-in-async finding per request-path coroutine that starts a process with
    `subprocess.Popen` and waits for it on the event loop, at the Popen call.

    Example:
        >>> from pathlib import Path
        >>> waited_processes(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    popens = {rel: _popen_names(tree) for rel, tree in repo.modules() if not is_test(rel)}
    if not any(popens.values()):
        return []
    coroutines = [
        (rel, fn)
        for rel, tree in repo.modules()
        if not is_test(rel)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.AsyncFunctionDef)
    ]
    entries = _entries(repo, coroutines)
    table = _Awaits(coroutines)
    out: list[RoleFinding] = []
    for rel, fn in coroutines:
        waited = _waited(fn, popens[rel]) if popens.get(rel) else []
        callers = _request_path(fn, coroutines, entries, table) if waited else None
        if callers is None:
            continue
        start, waits = waited[0]
        lines = ", ".join(f"{ast.unparse(c.func)}() on line {c.lineno}" for c in waits)
        more = f"; {len(waited) - 1} more process(es) here are waited for too" if waited[1:] else ""
        awaited = ", ".join(f"{name}()" for name in callers)
        out.append(
            finding(
                "blocking-io-in-async",
                rel,
                start.lineno,
                f"async {fn.name}() starts a process with subprocess.Popen() and waits for it "
                f"on the event loop ({lines}){more}"
                + (f"; awaited by {awaited}" if awaited else "")
                + ": every other request waits until the process exits; use "
                "asyncio.create_subprocess_exec() or run it in a thread (asyncio.to_thread)",
                evidence=repo.line_text(rel, start.lineno),
            )
        )
    return out
