"""Names a function checks as SQL identifiers before it pastes them into a query.

QuerySource's describe handler pastes the store's schema and table into its SQL,

    _validate_bare_identifier(store.schema, "schema")
    _validate_bare_identifier(store.table, "table")
    exists_sql = f'SELECT 1 FROM "{store.schema}"."{store.table}" WHERE "query_slug" = $1'

and the check raises unless each is a bare identifier, so no SQL text gets through; the value
is bound as `$1`. A check is a call made for its effect alone (its result unused) whose name says
it validates or checks an identifier; it counts for the lines after it.
"""

from __future__ import annotations

import ast
import re

__all__ = ["checked_identifiers"]

_CHECK = re.compile(r"(?i)(?:valid|check|assert|ensure|verify)\w*ident")


def checked_identifiers(fn: ast.AST, line: int) -> set[str]:
    """The expressions (as source text) that a check of `fn` before `line` takes.

    Example:
        >>> check, paste = "validate_identifier(store.table)", "f'SELECT * FROM {store.table}'"
        >>> fn = ast.parse(f"def f(store):\\n    {check}\\n    return {paste}").body[0]
        >>> checked_identifiers(fn, 3)
        {'store.table'}
        >>> checked_identifiers(fn, 2)
        set()
    """
    out: set[str] = set()
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if node.lineno < line and _CHECK.search(name) and call.args:
            out.add(ast.unparse(call.args[0]))
    return out
