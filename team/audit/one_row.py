"""A write in a loop to the same row on every pass: no N+1.

backend.ai-manager's PUT of a task template walks the templates of the payload and runs
`update(session_templates).values(...).where(session_templates.c.id == template_id)` once per
entry: every pass writes the one row keyed by `template_id`, which the loop never changes.
Nothing is read per item and there are no rows to fetch or write together, so no join, IN or
multi-row statement folds the passes. A write whose filter names what the loop binds
(`.where(user == _user)`, the member of this pass) is keyed per item and stays reported, as
does a read of one fixed row per pass (a lookup to hoist out of the loop, which reviewers raise).
"""

from __future__ import annotations

import ast

from team.audit.queries import call_name, write_statement

__all__ = ["writes_one_row"]

# the calls of a statement chain that pick its rows, and those that name its table
_FILTERS = frozenset(["where", "filter", "filter_by"])
_TABLE = frozenset(["update", "delete"])


def writes_one_row(call: ast.Call, loop: ast.AST, body: list[ast.AST]) -> bool:
    """Whether `call` executes an UPDATE or DELETE (written in the call, or bound in the pass
    just before it: `query = update(t).where(...)`; `conn.execute(query)`) whose table and
    filters hold nothing the loop binds, with no parameter of the pass handed to the call.

    Example:
        >>> code = '''
        ... for st in body:
        ...     query = update(t).values(name=st["name"]).where(t.c.id == template_id)
        ...     conn.execute(query)
        ... '''
        >>> loop = ast.parse(code).body[0]
        >>> writes_one_row(loop.body[1].value, loop, loop.body)
        True
        >>> loop = ast.parse(code.replace("== template_id", "== st['id']")).body[0]
        >>> writes_one_row(loop.body[1].value, loop, loop.body)
        False
    """
    first = call.args[0] if call.args else None
    if call_name(call) != "execute" or first is None:
        return False
    varying = {
        n.id for n in ast.walk(loop) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    if _names(call.args[1:] + [k.value for k in call.keywords]) & varying:
        return False  # parameters of this pass bound into the statement
    statement = _bound_before(first, body, call) if isinstance(first, ast.Name) else first
    if not write_statement(statement):
        return False
    picks, filtered = _picks(statement)
    return filtered and not _names(picks) & varying


def _bound_before(name: ast.Name, body: list[ast.AST], call: ast.Call) -> ast.expr:
    """The value the pass last binds to `name` before `call`, or the name itself."""
    values = [
        node.value
        for stmt in body
        for node in ast.walk(stmt)
        if isinstance(node, ast.Assign)
        and node.lineno < call.lineno
        and any(isinstance(t, ast.Name) and t.id == name.id for t in node.targets)
    ]
    return max(values, key=lambda v: v.lineno, default=name)


def _picks(statement: ast.expr) -> tuple[list[ast.expr], bool]:
    """What picks the rows a statement chain writes: the table it starts from and the
    arguments of its filters (`update(t).values(...).where(a).where(b)`: t, a, b), not the
    values it writes; and whether it has a filter at all (a write to every row is no one row)."""
    out: list[ast.expr] = []
    filtered = False
    node: ast.expr = statement
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _FILTERS:
            filtered = True
            out += node.args + [k.value for k in node.keywords]
        elif node.func.attr in _TABLE:
            out += node.args  # `sa.update(table)`, not the values of `update(t, values=...)`
        node = node.func.value
    return [node, *out], filtered


def _names(exprs: list[ast.expr]) -> set[str]:
    return {n.id for e in exprs for n in ast.walk(e) if isinstance(n, ast.Name)}
