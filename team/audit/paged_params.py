"""A list handler that pages through what its caller sends, whatever the parameters are named.

The inventory (`web.py`) counts a list endpoint as paginated when a parameter is named for it
(`limit`, `offset`, `page`, `cursor`) or an injected dependency is (`Depends(pagination)`). A
FastAPI handler may instead take a model of query parameters as a dependency,
`pagination: Annotated[Pagination, Depends()]`, whose fields are the offset and the limit; the
model's name says nothing and the parameter's is the handler's own. What shows the paging is the
query: `statement.offset(pagination.offset).limit(pagination.limit)` bounds the rows by a value
the request brings. A limit or offset call on a constant (`.limit(1)`), or on a value the handler
computes itself, pages nothing the caller can ask for and does not count.
"""

from __future__ import annotations

import ast

__all__ = ["pages_by_parameter"]

# the query calls that cut a page out of the rows: SQLAlchemy's and SQLModel's limit, offset and
# slice, MongoDB's skip
_PAGING_CALLS = frozenset(["limit", "offset", "slice", "skip"])


def pages_by_parameter(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The handler calls `.limit()`, `.offset()`, `.slice()` or `.skip()` on a value read from
    one of its own parameters (`pagination.limit`, `size`).

    Example:
        >>> import ast
        >>> src = "def rows(p, s):\\n    return s.exec(select(R).offset(p.offset).limit(p.limit))"
        >>> pages_by_parameter(ast.parse(src).body[0])
        True
    """
    params = {
        a.arg
        for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        if a.arg not in ("self", "cls", "request")
    }
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _PAGING_CALLS
        and any(_root(arg) in params for arg in node.args)
        for node in ast.walk(fn)
    )


def _root(node: ast.expr) -> str:
    """The name an expression reads first: `pagination` for `pagination.limit`."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""
