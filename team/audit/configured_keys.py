"""A cache key checked against the configuration before the store: one entry per configured key.

django-payments' `_default_provider_factory(variant)` looks the variant up in
`settings.PAYMENT_VARIANTS` and raises for an unknown one before it stores
`PROVIDER_CACHE[variant]`: the dict holds at most one provider per configured variant, however
many callers ask. A key looked up in a settings mapping by subscript (an unknown key raises
`KeyError`), or by `.get(key)` or `key in mapping` followed by a `raise` before the store, is
bounded by that mapping.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import assignments

__all__ = ["SETTINGS", "checked_against_settings"]

# text that reads the settings or the configuration
SETTINGS = re.compile(r"(?i)\b\w*(?:settings|config|conf)\b")

Function = ast.FunctionDef | ast.AsyncFunctionDef


def checked_against_settings(fn: Function, key: ast.expr, store: ast.expr) -> bool:
    """Whether `fn` looks `key` up in a mapping read from the settings before `store` (the
    value stored under it) and cannot reach the store with a key the mapping lacks.

    Example:
        >>> code = '''
        ... def provider(variant):
        ...     variants = getattr(settings, "PAYMENT_VARIANTS", {})
        ...     handler, config = variants.get(variant, (None, None))
        ...     if not handler:
        ...         raise ValueError(variant)
        ...     if variant not in PROVIDER_CACHE:
        ...         PROVIDER_CACHE[variant] = load(handler)(**config)
        ...     return PROVIDER_CACHE[variant]
        ... '''
        >>> fn = ast.parse(code).body[0]
        >>> store = fn.body[3].body[0]
        >>> checked_against_settings(fn, store.targets[0].slice, store.value)
        True
        >>> fn = ast.parse(code.replace("raise ValueError(variant)", "pass")).body[0]
        >>> store = fn.body[3].body[0]
        >>> checked_against_settings(fn, store.targets[0].slice, store.value)
        False
    """
    text = ast.unparse(key)
    bound = assignments(fn)
    raises = [n.lineno for n in ast.walk(fn) if isinstance(n, ast.Raise)]
    for node in ast.walk(fn):
        mapping, raising = _lookup(node, text)
        if mapping is None or mapping.lineno >= store.lineno:
            continue
        if not _from_settings(mapping, bound):
            continue
        if raising or any(mapping.lineno < line < store.lineno for line in raises):
            return True
    return False


def _lookup(node: ast.AST, key: str) -> tuple[ast.expr | None, bool]:
    """The mapping `node` looks `key` up in (`m[key]`, `m.get(key)`, `key in m`) and whether
    the lookup itself raises for a missing key (the subscript)."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return (node.value, True) if ast.unparse(node.slice) == key else (None, False)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and ast.unparse(node.args[0]) == key
    ):
        return node.func.value, False
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In | ast.NotIn)
        and ast.unparse(node.left) == key
    ):
        return node.comparators[0], False
    return None, False


def _from_settings(mapping: ast.expr, bound: dict[str, list[ast.expr]]) -> bool:
    """The mapping is read from the settings, or is a local name bound only to such a read."""
    if SETTINGS.search(ast.unparse(mapping)):
        return True
    values = bound.get(mapping.id, []) if isinstance(mapping, ast.Name) else []
    return bool(values) and all(SETTINGS.search(ast.unparse(v)) for v in values)
