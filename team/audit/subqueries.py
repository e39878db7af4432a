"""SQLAlchemy queries that are only built, as a piece of another statement, and never run where
they are written: what the N+1 rule leaves out of a loop.

`session.query(func.max(Executor.last_run)).filter(...).correlate(Agent).as_scalar()` is a
correlated scalar subquery; `ids = session.query(Workspace.id).filter(...)` handed to
`Model.workspace_id.in_(ids)` is an IN subquery. Built inside a loop over a request's filter
clauses (faraday's agent filters), each becomes part of the one list query run after the loop:
no round trip happens per pass.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name

__all__ = ["subquery_builders"]

# the last call of a chain that turns a query into an expression of another statement
_EXPRESSION = frozenset(["as_scalar", "scalar_subquery", "subquery", "cte", "alias", "label"])
# calls that take a query as a subquery of the statement they build (IN, EXISTS, set operations)
_EMBEDS = frozenset(
    ["in_", "notin_", "not_in", "exists", "any_", "all_", "union", "union_all", "except_"]
)


def subquery_builders(fn: ast.AST) -> set[int]:
    """ids of the `x.query(...)` calls inside `fn` whose query is only built into another
    statement: its chain ends in `.as_scalar()`, `.subquery()` and the like, or it is handed
    (directly, or through a name every use of which is such) to `in_()`, `exists()`...

    Example:
        >>> code = '''
        ... def conditions(session, names):
        ...     ids = session.query(Workspace.id).filter(Workspace.name.in_(names))
        ...     return [Execution.workspace_id.in_(ids)]
        ... '''
        >>> fn = ast.parse(code).body[0]
        >>> query = fn.body[0].value.func.value
        >>> id(query) in subquery_builders(fn)
        True
        >>> fn = ast.parse(code.replace(".in_(ids)", " == ids.first()")).body[0]
        >>> subquery_builders(fn)
        set()
    """
    parents = {id(c): p for p in ast.walk(fn) for c in ast.iter_child_nodes(p)}
    embedded = _embedded_names(fn, parents)
    out: set[int] = set()
    for call in ast.walk(fn):
        if not (isinstance(call, ast.Call) and leaf_name(call.func) == "query"):
            continue
        top = _chain_top(call, parents)
        parent = parents.get(id(top))
        if (
            leaf_name(top.func) in _EXPRESSION
            or _embeds(parent, top)
            or (
                isinstance(parent, ast.Assign)
                and len(parent.targets) == 1
                and isinstance(parent.targets[0], ast.Name)
                and parent.targets[0].id in embedded
            )
        ):
            out.add(id(call))
    return out


def _chain_top(call: ast.Call, parents: dict[int, ast.AST]) -> ast.Call:
    """The last call of the method chain `call` starts (`q(...).filter(...).as_scalar()`)."""
    top = call
    while True:
        attr = parents.get(id(top))
        outer = parents.get(id(attr)) if isinstance(attr, ast.Attribute) else None
        if not (isinstance(outer, ast.Call) and outer.func is attr):
            return top
        top = outer


def _embeds(parent: ast.AST | None, expr: ast.expr) -> bool:
    """`expr` is an argument of a call that makes it a subquery (`col.in_(expr)`)."""
    return (
        isinstance(parent, ast.Call)
        and leaf_name(parent.func) in _EMBEDS
        and any(a is expr for a in parent.args)
    )


def _embedded_names(fn: ast.AST, parents: dict[int, ast.AST]) -> set[str]:
    """Names every read of which, inside `fn`, is an argument of an embedding call."""
    uses: dict[str, list[bool]] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            uses.setdefault(node.id, []).append(_embeds(parents.get(id(node)), node))
    return {name for name, embeds in uses.items() if all(embeds)}
