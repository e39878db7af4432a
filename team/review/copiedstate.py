"""A generator built empty only to take another generator's state on the next statement.

moabb's `_copy_random_state` builds `copied = np.random.RandomState()` and at once calls
`copied.set_state(source.get_state())`: the new generator is a copy of the caller's (seeded)
one, and nothing is ever drawn from the unseeded state it was built with. The copy must come
on the very next statement; a draw in between would use the unseeded state.
"""

from __future__ import annotations

import ast

__all__ = ["state_copied_next"]

# random.Random's setstate, numpy RandomState's set_state
_STATE_SETTERS = frozenset({"set_state", "setstate"})


def _next_statement(parent: ast.AST | None, stmt: ast.stmt) -> ast.stmt | None:
    """The statement after `stmt` in the body (or else/finally block) that holds it."""
    if parent is None:
        return None
    for _, block in ast.iter_fields(parent):
        if isinstance(block, list) and any(s is stmt for s in block):
            at = next(i for i, s in enumerate(block) if s is stmt)
            return block[at + 1] if at + 1 < len(block) else None
    return None


def _sets_state(stmt: ast.stmt, names: set[str]) -> bool:
    """`rng.set_state(...)` / `rng.setstate(...)` with an argument, or `rng.bit_generator.state =
    ...`, on one of `names`."""
    if isinstance(stmt, ast.Expr) and isinstance(call := stmt.value, ast.Call):
        func = call.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr in _STATE_SETTERS
            and ast.unparse(func.value) in names
            and bool(call.args or call.keywords)
        )
    if isinstance(stmt, ast.Assign):
        return any(
            isinstance(t, ast.Attribute)
            and t.attr == "state"
            and isinstance(t.value, ast.Attribute)
            and t.value.attr == "bit_generator"
            and ast.unparse(t.value.value) in names
            for t in stmt.targets
        )
    return False


def state_copied_next(parent: ast.AST | None, stmt: ast.stmt, names: set[str]) -> bool:
    """The statement after `stmt` (which built the generator named in `names`) overwrites its
    state with another generator's: a copy, not an unseeded generator."""
    following = _next_statement(parent, stmt)
    return following is not None and _sets_state(following, names)
