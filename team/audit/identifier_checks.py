"""Names a function checks as SQL identifiers before it pastes them into a query.

QuerySource's describe handler pastes the store's schema and table into its SQL,

    _validate_bare_identifier(store.schema, "schema")
    _validate_bare_identifier(store.table, "table")
    exists_sql = f'SELECT 1 FROM "{store.schema}"."{store.table}" WHERE "query_slug" = $1'

and the check raises unless each is a bare identifier, so no SQL text gets through; the value
is bound as `$1`. A check is a call made for its effect alone (its result unused) whose name says
it validates or checks an identifier. It counts for the paste only when it surely runs first: a
statement of the function body or of a block that holds the paste, before it (not one in another
branch), with nothing assigned to the name between the two.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

__all__ = ["checked_identifiers"]

# `validate_identifier`, `check_idents`, `_validate_bare_identifier`; not `validate_identity`
_CHECK = re.compile(r"(?i)(?:valid|check|assert|ensure|verify)\w*ident(?:ifier)?s?\b")
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def checked_identifiers(fn: ast.AST, line: int) -> set[str]:
    """The expressions (as source text) that a check of `fn` surely run before `line` takes.

    Example:
        >>> check, paste = "validate_identifier(store.table)", "f'SELECT * FROM {store.table}'"
        >>> fn = ast.parse(f"def f(store):\\n    {check}\\n    return {paste}").body[0]
        >>> checked_identifiers(fn, 3)
        {'store.table'}
        >>> checked_identifiers(fn, 2)
        set()
        >>> fn = ast.parse(f"def f(store, ok):\\n    if ok: {check}\\n    return {paste}").body[0]
        >>> checked_identifiers(fn, 3)
        set()
    """
    out: set[str] = set()
    for block, holder in _blocks_holding(fn, line):
        loops = [n for n in ast.walk(holder) if isinstance(n, _LOOPS) and _spans(n, line)]
        for stmt in block[: block.index(holder)]:
            name = _checked(stmt)
            if name and not any(_assigns(n, name) for n in _between(fn, stmt, line, loops)):
                out.add(name)
    return out


def _blocks_holding(fn: ast.AST, line: int) -> Iterator[tuple[list[ast.stmt], ast.stmt]]:
    """Each statement list on the way from the function body down to `line`, with its statement
    that holds the line."""
    blocks = [getattr(fn, "body", [])]
    while blocks:
        block = blocks.pop()
        holder = next((s for s in block if _spans(s, line)), None)
        if holder is None or isinstance(holder, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        yield block, holder
        inner = [getattr(holder, f, []) for f in ("body", "orelse", "finalbody")]
        inner += [h.body for h in getattr(holder, "handlers", [])]
        inner += [c.body for c in getattr(holder, "cases", [])]
        blocks = [b for b in inner if any(_spans(s, line) for s in b)]


def _spans(node: ast.AST, line: int) -> bool:
    return getattr(node, "lineno", 0) <= line <= (getattr(node, "end_lineno", 0) or 0)


def _checked(stmt: ast.stmt) -> str:
    """The expression a check statement (`validate_identifier(x)`) takes, or ''."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return ""
    call = stmt.value
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return ast.unparse(call.args[0]) if _CHECK.search(name) and call.args else ""


def _between(
    fn: ast.AST, check: ast.stmt, line: int, loops: Sequence[ast.AST]
) -> Iterator[ast.AST]:
    """The nodes that run after the check and before the paste: on the lines between them, or
    anywhere in a loop around the paste that the check is outside of (a later turn)."""
    after = check.end_lineno or check.lineno
    yield from (n for n in ast.walk(fn) if after < getattr(n, "lineno", 0) < line)
    for loop in loops:
        yield from ast.walk(loop)


def _assigns(node: ast.AST, name: str) -> bool:
    """`node` stores to the checked expression or to what holds it (`store` for `store.table`)."""
    if not isinstance(getattr(node, "ctx", None), ast.Store | ast.Del):
        return False
    target = ast.unparse(node)
    return name == target or name.startswith((f"{target}.", f"{target}["))
