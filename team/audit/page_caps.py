"""Page sizes a client sets with no maximum: a paginated list that still returns every row.

A FastAPI handler that takes `limit: int = Query(100)` or `page_size: int | None = None` pages
its rows only as far as the client wants: `?limit=10000000` asks for the whole table in one
response. A page size with a maximum is bounded: `Query(50, ge=1, le=500)` (tiled's webhook
history), `Annotated[int, Field(lt=1000)]`, or a handler that clamps or refuses it itself
(`min(limit, MAX)`, `if limit > 1000: raise ...`). Only typed handler parameters are read
(FastAPI and the frameworks that bind query parameters to arguments the same way); a page size
read from `request.args` is not followed.
"""

from __future__ import annotations

import ast
import re

from team.audit.web import Endpoint

__all__ = ["uncapped_page_size"]

# the query parameters that set how many rows one response holds
_PAGE_SIZES = frozenset(["limit", "page_size", "per_page", "pagesize", "max_results"])
_INTEGER = re.compile(r"(?:Optional\[)?int\b|\bint\s*\|\s*None|None\s*\|\s*int")
_MAXIMUM = frozenset(["le", "lt", "max_value"])


def uncapped_page_size(e: Endpoint) -> str | None:
    """The name of the page-size parameter a GET handler takes with no maximum, if any.

    Example:
        >>> code = "def jobs(limit: int = Query(100, ge=1)):\\n    return db.jobs(limit)"
        >>> fn = ast.parse(code).body[0]
        >>> uncapped_page_size(Endpoint("GET", "/jobs", "jobs", "app.py", 1, "fastapi", node=fn))
        'limit'
        >>> code = code.replace("ge=1", "ge=1, le=500")
        >>> fn = ast.parse(code).body[0]
        >>> print(uncapped_page_size(Endpoint("GET", "/jobs", "jobs", "app.py", 1, "fastapi", node=fn)))
        None
    """
    fn = e.node
    if e.method != "GET" or not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults))
    defaults += [*a.defaults, *a.kw_defaults]
    for arg, default in zip([*positional, *a.kwonlyargs], defaults, strict=True):
        if arg.arg not in _PAGE_SIZES or arg.annotation is None:
            continue
        annotation = ast.unparse(arg.annotation)
        if not _INTEGER.match(annotation.removeprefix("Annotated[")):
            continue
        if _declares_maximum(arg.annotation) or _declares_maximum(default):
            continue
        if not _checked(fn, arg.arg):
            return arg.arg
    return None


def _declares_maximum(node: ast.AST | None) -> bool:
    """A `Query(...)`, `Field(...)` or `conint(...)` in `node` sets an upper bound."""
    return node is not None and any(
        isinstance(c, ast.Call) and any(k.arg in _MAXIMUM for k in c.keywords)
        for c in ast.walk(node)
    )


def _checked(fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """The handler clamps the page size (`min(limit, ...)`) or compares it with an upper bound
    (`limit > 1000`, `MAX < limit`); a check of the lower bound only (`limit < 1`) caps nothing."""
    for node in ast.walk(fn):
        clamp = isinstance(node, ast.Call) and ast.unparse(node.func) in ("min", "clamp")
        if clamp and any(_named(n, name) for n in ast.walk(node) if isinstance(n, ast.expr)):
            return True
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                if isinstance(op, ast.Gt | ast.GtE) and _named(left, name):
                    return True
                if isinstance(op, ast.Lt | ast.LtE) and _named(right, name):
                    return True
    return False


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
