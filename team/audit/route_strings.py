"""Route strings built from known parts: a Django url pattern's route or a router's mount prefix
that is not written as one literal.

longclaw's shipping/urls.py joins a prefix that the installing site may set to each route,

    from longclaw.settings import API_URL_PREFIX      # getattr(settings, "...", "api/")

    urlpatterns = [url(API_URL_PREFIX + r"addresses/$", address_list, name="...")]

and OpenStack Skyline mounts its router under a prefix held in a constant:
`app.include_router(api_router, prefix=constants.API_PREFIX)`, with `API_PREFIX = "/api/v1"` in
`skyline_apiserver/types/constants.py`.

`string_value` is the one resolver: a string literal, a name (or attribute) that a `Lookup`
binds, and, as its caller asks, `+` joins, a setting's `getattr` default and `str.format`
templates filled with known parts (`joins`), f-strings (`f_strings`), under a depth `limit`.
Its two callers differ where they did before they shared it: `route_text` (url patterns,
`web_django.py`) reads joins, names bound to any expression in the repository's modules, and
stops at depth 6; `prefix_value` (mounts, `outer_mounts.py`) reads f-strings, and names and
attributes bound to a string literal in the module or in the module they are imported from.
"""

from __future__ import annotations

import ast
import posixpath
from pathlib import Path
from typing import Protocol

__all__ = ["Lookup", "bound_value", "prefix_value", "route_text", "string_value"]


class Lookup(Protocol):
    """The expression a name (or attribute) is bound to, with the lookup of the module that
    binds it, or None when it is not known."""

    def __call__(self, expr: ast.expr, /) -> tuple[ast.expr, Lookup] | None: ...


def string_value(
    expr: ast.expr,
    lookup: Lookup,
    *,
    joins: bool,
    f_strings: bool,
    limit: int | None,
    depth: int = 0,
) -> str | None:
    """The text of `expr` when every part of it is known, else None.

    Example:
        >>> tree = ast.parse("API = 'api/'\\nV = API + 'v{}/'.format('1')")
        >>> def lookup(expr):
        ...     value = bound_value(tree, expr.id) if isinstance(expr, ast.Name) else None
        ...     return None if value is None else (value, lookup)
        >>> string_value(ast.Name("V"), lookup, joins=True, f_strings=False, limit=6)
        'api/v1/'
        >>> string_value(ast.Name("V"), lookup, joins=False, f_strings=True, limit=None) is None
        True
    """
    if limit is not None and depth > limit:  # a prefix imported, filled into a template, joined
        return None

    def part(e: ast.expr, within: Lookup = lookup) -> str | None:
        return string_value(
            e, within, joins=joins, f_strings=f_strings, limit=limit, depth=depth + 1
        )

    if isinstance(expr, ast.Constant):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, ast.Name | ast.Attribute):
        found = lookup(expr)
        return None if found is None else part(*found)
    if f_strings and isinstance(expr, ast.JoinedStr):
        parts = [part(v.value if isinstance(v, ast.FormattedValue) else v) for v in expr.values]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if not joins:
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = part(expr.left), part(expr.right)
        return None if left is None or right is None else left + right
    if (  # getattr(settings, "APP_PREFIX", "api/"): the app's default
        isinstance(expr, ast.Call)
        and len(expr.args) == 3
        and [ast.unparse(expr.func), ast.unparse(expr.args[0])] == ["getattr", "settings"]
    ):
        return part(expr.args[2])
    if (  # r"^{}order/".format(API_URL_PREFIX): a template filled with known parts
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and not expr.keywords
    ):
        filled = [part(e) for e in [expr.func.value, *expr.args]]
        if None in filled:
            return None
        try:
            return str(filled[0]).format(*filled[1:])
        except (AttributeError, IndexError, KeyError, ValueError):  # a regex's `{2,4}`
            return None
    return None


def bound_value(tree: ast.Module, name: str) -> ast.expr | None:
    """The value a module-level assignment binds to `name` (the last one)."""
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = node.value
    return value


def route_text(expr: ast.expr, rel: str, by_rel: dict[str, ast.Module]) -> str | None:
    """The text of a url pattern's route built from known parts (a string, a name bound to one
    in the module or in the repository module it is imported from, a setting's `getattr`
    default, a sum of those or a `str.format` template filled with them), or None.

    Example:
        >>> settings = ast.parse("API = getattr(settings, 'APP_API_PREFIX', 'api/')")
        >>> urls = ast.parse("from app.settings import API\\nurl(API + r'notes/$', v)")
        >>> by_rel = {"settings.py": settings, "urls.py": urls}
        >>> route = urls.body[1].value.args[0]
        >>> route_text(route, "urls.py", by_rel)
        'api/notes/$'
        >>> route_text(route, "urls.py", {"urls.py": urls}) is None
        True
    """
    if rel not in by_rel or isinstance(expr, ast.Constant):
        return None  # a literal route is the inventory's own case
    return string_value(expr, _module_lookup(rel, by_rel), joins=True, f_strings=False, limit=6)


def _module_lookup(rel: str, by_rel: dict[str, ast.Module]) -> Lookup:
    """A name's value in the repository module `rel`: bound there, or in the module a
    `from ... import` of it names."""
    tree = by_rel[rel]

    def lookup(expr: ast.expr) -> tuple[ast.expr, Lookup] | None:
        if not isinstance(expr, ast.Name):
            return None
        own = bound_value(tree, expr.id)
        if own is not None:
            return own, lookup
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and any(
                (a.asname or a.name) == expr.id for a in node.names
            ):
                origin = next(a.name for a in node.names if (a.asname or a.name) == expr.id)
                other = _module_rel(rel, node, by_rel)
                if other is not None and other != rel:
                    value = bound_value(by_rel[other], origin)
                    if value is not None:
                        return value, _module_lookup(other, by_rel)
        return None

    return lookup


def _module_rel(rel: str, imp: ast.ImportFrom, by_rel: dict[str, ast.Module]) -> str | None:
    """The repository module an import names: relative to `rel`'s package, or the longest tail
    of its dotted path that is a module of the repository."""
    parts = (imp.module or "").split(".") if imp.module else []
    if imp.level:
        base = posixpath.dirname(rel)
        for _ in range(imp.level - 1):
            base = posixpath.dirname(base)
        stem = posixpath.join(base, *parts) if parts else base
        candidates = [f"{stem}.py", f"{stem}/__init__.py"]
    else:
        candidates = [
            c
            for i in range(len(parts))
            for c in ("/".join(parts[i:]) + ".py", "/".join(parts[i:]) + "/__init__.py")
        ]
    return next((c.lstrip("/") for c in candidates if c.lstrip("/") in by_rel), None)


def prefix_value(
    expr: ast.expr, tree: ast.Module, origins: dict[str, str], top: Path
) -> str | None:
    """The text of a mount's prefix: a string, a name bound to a string in the module or in the
    module it is imported from, an attribute of an imported module (`constants.API_PREFIX`), or
    an f-string of those; None when any part is not known. `origins` maps the module's imported
    names to their dotted origin, `top` is the folder that holds the top package.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> (top / "svc" / "types").mkdir(parents=True)
        >>> _ = (top / "svc" / "types" / "constants.py").write_text("API_PREFIX = '/api/v1'\\n")
        >>> tree = ast.parse("app.include_router(r, prefix=f'{constants.API_PREFIX}/x')")
        >>> prefix = tree.body[0].value.keywords[0].value
        >>> prefix_value(prefix, tree, {"constants": "svc.types.constants"}, top)
        '/api/v1/x'
        >>> prefix_value(prefix, tree, {}, top) is None
        True
    """
    return string_value(
        expr, _constant_lookup(tree, origins, top), joins=False, f_strings=True, limit=None
    )


def _constant_lookup(tree: ast.Module, origins: dict[str, str], top: Path) -> Lookup:
    """A name's string literal in `tree` or in the module it is imported from, or an imported
    module's attribute's, read from the files under `top`."""

    def lookup(expr: ast.expr) -> tuple[ast.expr, Lookup] | None:
        found = None
        if isinstance(expr, ast.Name):
            found = _module_constant(tree, expr.id)
            module, _, name = origins.get(expr.id, "").rpartition(".")
            if found is None and module:
                found = _constant_in(module, name, top)
        elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            module = origins.get(expr.value.id, "")
            found = _constant_in(module, expr.attr, top) if module else None
        return None if found is None else (found, lookup)

    return lookup


def _constant_in(module: str, name: str, top: Path) -> ast.Constant | None:
    """The string literal a module-level name of the dotted `module` under `top` is bound to."""
    base = top.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            try:
                tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
            except SyntaxError:
                return None
            return _module_constant(tree, name)
    return None


def _module_constant(tree: ast.Module, name: str) -> ast.Constant | None:
    """The string literal a module-level assignment binds `name` to (the last one)."""
    found = None
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        value = getattr(node, "value", None)
        if (
            any(isinstance(t, ast.Name) and t.id == name for t in targets)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            found = value
    return found
