"""A query per loop item that matches a pattern built from the item (`filter(name__startswith=
name[:-1]).count()`, askbot's usage count per wildcard tag `pyth*` a user marks): no IN list
or join folds prefix, substring or regex matches into one query, so the N+1 rule
(`performance.py`) does not ask for one. An equality lookup (`filter(name=name)`) in the same
place is still reported.
"""

from __future__ import annotations

import ast

__all__ = ["matches_item_pattern"]

_PATTERN_LOOKUPS = (
    "__startswith",
    "__istartswith",
    "__endswith",
    "__iendswith",
    "__contains",
    "__icontains",
    "__regex",
    "__iregex",
)


def matches_item_pattern(call: ast.Call, loop_vars: set[str]) -> bool:
    """Whether the query chain of `call` filters with a Django pattern lookup whose value reads
    a loop variable.

    Example:
        >>> call = ast.parse("Tag.objects.filter(name__startswith=name[:-1]).count()").body[0]
        >>> matches_item_pattern(call.value, {"name"})
        True
        >>> call = ast.parse("Tag.objects.filter(name=name).count()").body[0]
        >>> matches_item_pattern(call.value, {"name"})
        False
    """
    node: ast.expr = call
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            if any(_pattern_of_item(k, loop_vars) for k in node.keywords):
                return True
            node = node.func
        else:
            node = node.value
    return False


def _pattern_of_item(keyword: ast.keyword, loop_vars: set[str]) -> bool:
    """`name__startswith=name[:-1]`: a pattern lookup on a value that reads the loop item."""
    if keyword.arg is None or not keyword.arg.endswith(_PATTERN_LOOKUPS):
        return False
    return any(isinstance(n, ast.Name) and n.id in loop_vars for n in ast.walk(keyword.value))
