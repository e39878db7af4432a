"""Blocking I/O in async code through a synchronous SDK client: a boto3, redis-py, pymongo or
psycopg2 client made in the module (`self.client = boto3.client("dynamodb")`) and then called
inside an `async def` (`self.client.get_item(...)`). Each call is a network round trip that
holds the event loop, and every other request on it, until the service answers; ruff's ASYNC
rules know the standard library and HTTP clients, not these (chainlit's DynamoDB data layer,
while its S3 and GCS clients wrap theirs in a thread).

A call handed to a thread (`asyncio.to_thread(self.client.get_item, ...)`, or made in a lambda
or a nested function given to `run_in_executor`) does not block the loop and is left alone, and
so is a client whose calls the module awaits (an async client under a sync-looking name). One
finding per client and module, at its first call from async code: the fix is one change.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["sync_client_calls"]

# module-qualified constructors of synchronous network clients
_SYNC_CLIENTS = frozenset(
    [
        "boto3.client",
        "boto3.resource",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "pymongo.MongoClient",
        "psycopg2.connect",
    ]
)


def sync_client_calls(repo: Repo) -> list[RoleFinding]:
    """One finding per synchronous client a module makes and calls from async functions, at
    the first such call."""
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        clients = _clients(tree)
        for name in set(clients) - _awaited(tree):
            calls = [
                (fn.name, c)
                for fn in ast.walk(tree)
                if isinstance(fn, ast.AsyncFunctionDef)
                for c in _own_calls(fn)
                if _receiver(c) == name
            ]
            if not calls:
                continue
            first, call = min(calls, key=lambda fc: fc[1].lineno)
            functions = len({fn for fn, _ in calls})
            out.append(
                finding(
                    "blocking-io-in-async",
                    rel,
                    call.lineno,
                    f"{ast.unparse(call.func)}() is a blocking network call on a synchronous "
                    f"{clients[name]} client inside async {first}() ({functions} async "
                    "function(s) here call it): each stalls the event loop for every request; "
                    "use the async client or run the calls in a thread",
                    evidence=repo.line_text(rel, call.lineno),
                )
            )
    return out


def _awaited(tree: ast.Module) -> set[str]:
    """Receivers of calls that are awaited or entered with `async with`/`async for`: the
    client is an async one (`redis.asyncio` imported as `redis`), whatever made it."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            out.add(_receiver(node.value))
        elif isinstance(node, ast.AsyncWith):
            out |= {
                _receiver(i.context_expr)
                for i in node.items
                if isinstance(i.context_expr, ast.Call)
            }
        elif isinstance(node, ast.AsyncFor) and isinstance(node.iter, ast.Call):
            out.add(_receiver(node.iter))
    return out


def _clients(tree: ast.Module) -> dict[str, str]:
    """Names (`client`, `self.client`) the module binds to a synchronous client -> the
    constructor that made it."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            made = ast.unparse(node.value.func)
            if made in _SYNC_CLIENTS:
                out |= {ast.unparse(t): made for t in node.targets}
    return out


def own_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of `fn`'s body outside nested functions and lambdas (handed to a thread)."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _own_calls(fn: ast.AsyncFunctionDef) -> list[ast.Call]:
    """The calls `fn` makes itself, in line order: not those inside a nested function or a
    lambda (handed to a thread)."""
    calls = [node for node in own_nodes(fn) if isinstance(node, ast.Call)]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def _receiver(call: ast.Call) -> str:
    """`self.client` for `self.client.get_item(...)`."""
    return ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
