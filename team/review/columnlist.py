"""A subscript by a list of column names is a column selection, whatever the list is called.

autoscore 1.3.0's stepwise selector fits on `X[features_to_test]` (selection.py:327, :374), where
`features_to_test = selected + [candidate]`: the selected columns plus the candidate column drawn
from `X.columns`. The name ends in `_test`, but it lists columns, not the test part's rows
(fresh66, judged false).

Read here: the key's name says it lists features or columns, and every binding of it in the
function is a list built by displays, `+`, `list(...)`/`sorted(...)` or a comprehension, whose
names announce no split part (`train_idx`, `test_rows`). A name bound to a split's part, to a
call's result or to a subscript stays a row selection.
"""

from __future__ import annotations

import ast
import re

from team.review.catalog import role_hint

__all__ = ["lists_columns"]

_COLUMNS_WORD = re.compile(r"feature|column|cols?(_|$)|var", re.I)
_LIST_CALLS = frozenset({"list", "sorted"})


def lists_columns(scope: ast.AST, name: str) -> bool:
    """`name` in `scope` holds a list of column names (see the module docstring).

    Example:
        >>> import ast
        >>> code = "for c in rest:\\n    features_to_test = chosen + [c]\\n    X[features_to_test]"
        >>> lists_columns(ast.parse(code), "features_to_test")
        True
        >>> lists_columns(ast.parse("features_test = split(X)[1]"), "features_test")
        False
    """
    if not _COLUMNS_WORD.search(name):
        return False
    assigns = [node for node in ast.walk(scope) if isinstance(node, ast.Assign)]
    direct = {id(t) for node in assigns for t in node.targets}
    stores = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
    ]
    other = any(id(n) not in direct for n in stores)  # a loop, an unpacking, `+=`
    bound = [
        node.value
        for node in assigns
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    return bool(bound) and not other and all(_built_list(value) for value in bound)


def _built_list(value: ast.expr) -> bool:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _built_list(value.left) and _built_list(value.right)
    if isinstance(value, (ast.List, ast.ListComp)):
        parts = value.elts if isinstance(value, ast.List) else [value.elt]
        return all(_plain(part) for part in parts)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in _LIST_CALLS and len(value.args) == 1 and _plain(value.args[0])
    return _plain(value)


def _plain(value: ast.expr) -> bool:
    """A name, a string, or `X.columns`: nothing that names a split part or indexes rows."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if isinstance(value, ast.Attribute):
        return value.attr == "columns"
    return isinstance(value, ast.Name) and role_hint(value.id) is None
