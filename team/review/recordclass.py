"""Instances of dataclasses and attrs classes: fields from the call, else from their defaults.

Such a class has no `__init__` of its own: its fields are its annotated class attributes, set
from the constructor's arguments in their order or by name, else from their defaults
(`= value`, `field(default=...)`, `attr(default=...)`, a factory: `field(default_factory=f)`,
`attr(factory=f)`, `attr(default=Factory(lambda: MinMaxScaler()))`). crypto-trader-analysis'
`Preprocessor` keeps its input scaler in such a field and fits it in a method, and hands the
scaled returns on in a `PreparedData` dataclass.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name

__all__ = ["fields", "is_record_class"]

_DECORATORS = frozenset({"dataclass", "define", "frozen", "mutable", "attrs", "s"})
_FIELD_CALLS = frozenset({"field", "attr", "attrib", "ib"})


def is_record_class(node: ast.ClassDef) -> bool:
    """Decorated `@dataclass`, `@define`, `@attr.s` (with or without arguments), and no
    `__init__` of its own."""
    decorated = any(
        leaf_name(d.func if isinstance(d, ast.Call) else d) in _DECORATORS
        for d in node.decorator_list
    )
    return decorated and not any(
        isinstance(n, ast.FunctionDef) and n.name == "__init__" for n in node.body
    )


def fields(node: ast.ClassDef) -> list[tuple[str, ast.expr | None]]:
    """Each field's attribute name and the expression its default is built by (None: none).

    A factory's default is a call of it: `Factory(lambda: X())` and `field(default_factory=X)`
    give `X()`.

    >>> tree = ast.parse("class P:\\n a: int\\n b: int = 3\\n _s: S = attr(factory=S)\\n"
    ...                  " m: M = attr(default=Factory(lambda: M(1)))\\n")
    >>> [(n, d and ast.unparse(d)) for n, d in fields(tree.body[0])]
    [('a', None), ('b', '3'), ('_s', 'S()'), ('m', 'M(1)')]
    """
    out: list[tuple[str, ast.expr | None]] = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            out.append((stmt.target.id, _default(stmt.value)))
    return out


def _default(value: ast.expr | None) -> ast.expr | None:
    if not (isinstance(value, ast.Call) and leaf_name(value.func) in _FIELD_CALLS):
        return value
    for kw in value.keywords:
        if kw.arg == "default":
            return _called(kw.value) if _is_factory(kw.value) else kw.value
        if kw.arg in ("factory", "default_factory"):
            return _called(kw.value)
    return None


def _is_factory(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and leaf_name(value.func) == "Factory" and bool(value.args)


def _called(factory: ast.expr) -> ast.expr:
    if _is_factory(factory):
        factory = factory.args[0]  # type: ignore[attr-defined]
    if isinstance(factory, ast.Lambda):
        return factory.body
    return ast.copy_location(ast.Call(func=factory, args=[], keywords=[]), factory)
