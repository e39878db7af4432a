"""Primary-key gets that SQLAlchemy answers from its session, so the N+1 rule
(`performance.py`) leaves them alone: once a function has loaded every row of a model
(`for b in db_session.query(Budget).all()`), `db_session.query(Budget).get(budg_id)` or
`db_session.get(Budget, budg_id)` in a later loop looks the key up in the session's identity map
and emits no SQL, as long as nothing in the function commits, rolls back or expires the session
in between (biweeklybudget's pay-period view backfills a few budgets it already loaded). A
filtered load (`.filter(...).all()`) holds only some rows, and is not read so.
"""

from __future__ import annotations

import ast

__all__ = ["identity_map_hits"]

# what drops the identity map's state (expired attributes reload with a query)
_EXPIRES = frozenset(["commit", "rollback", "expire", "expire_all", "close", "flush"])


def _whole_model(expr: ast.expr) -> str:
    """`s.query(M)` or `s.query(M).all()`: the model whose every row it loads, else ""."""
    match expr:
        case ast.Call(func=ast.Attribute(attr="all", value=inner), args=[]):
            return _whole_model(inner)
        case ast.Call(func=ast.Attribute(attr="query"), args=[ast.Name(id=model)], keywords=[]):
            return model
    return ""


def identity_map_hits(loop: ast.AST, unit: ast.AST) -> set[int]:
    """ids of the calls of `s.query(M).get(key)` and `s.get(M, key)` inside `loop` (of the
    function `unit`) for a model `M` whose rows `unit` loaded whole before the loop, with no
    commit, rollback, flush or expiry anywhere in `unit`.

    Example:
        >>> code = '''
        ... def view(db):
        ...     names = {b.id: b.name for b in db.query(Budget).all()}
        ...     for key in wanted:
        ...         db.query(Budget).get(key)
        ...         db.query(Account).get(key)
        ... '''
        >>> unit = ast.parse(code).body[0]
        >>> loop = unit.body[1]
        >>> hits = identity_map_hits(loop, unit)
        >>> sorted({ast.unparse(c) for c in ast.walk(loop) if id(c) in hits})
        ['db.query(Budget)', 'db.query(Budget).get(key)']
    """
    start = getattr(loop, "lineno", 0)
    loaded: set[str] = set()
    for node in ast.walk(unit):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in _EXPIRES:
            return set()
        whole = ""
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            whole = _whole_model(node.iter)  # `for b in db.query(M)` loads them all as well
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "all":
            whole = _whole_model(node)
        where = node.iter if isinstance(node, ast.comprehension) else node
        if whole and getattr(where, "lineno", start) < start:
            loaded.add(whole)
    out: set[int] = set()
    for node in ast.walk(loop):
        match node:
            case ast.Call(func=ast.Attribute(attr="get", value=query), args=[_]) if (
                isinstance(query, ast.Call)
                and getattr(query.func, "attr", "") == "query"
                and _whole_model(query) in loaded
            ):
                out |= {id(node), id(query)}
            case ast.Call(func=ast.Attribute(attr="get"), args=[ast.Name(id=model), _]) if (
                model in loaded
            ):
                out.add(id(node))
    return out
