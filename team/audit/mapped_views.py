"""Django url patterns whose route is built from a prefix, and DRF viewsets routed by hand.

A reusable app lets the installing site choose where its API lives and joins that prefix to each
route; a viewset can be routed without a router, its HTTP methods mapped to actions in the
`as_view` call, often bound to a name first. longclaw's shipping/urls.py reads

    from longclaw.settings import API_URL_PREFIX      # getattr(settings, "...", "api/")

    address_list = api.AddressViewSet.as_view({"get": "list", "post": "create"})

    urlpatterns = [url(API_URL_PREFIX + r"addresses/$", address_list, name="...")]

The inventory (`web_django.py`) read neither: the route is no string literal and the view no
class. `route_text` gives the route's text when every part of it is known (a string, a name bound
to one in the module or in the module it is imported from, a setting's `getattr` default, a sum
of those or a `str.format` template filled with them), else None; `mapped_view` gives the
viewset and its method -> action map.

A mapped view's list is not held to pagination (as before it was read): a Django list view is
held only to its module's convention, and a hand-routed one is mostly mounted in a project whose
DEFAULT_PAGINATION_CLASS the review does not see (pulp_ansible's namespaces, paged by pulpcore's).
"""

from __future__ import annotations

import ast
import posixpath

__all__ = ["action_node", "mapped_view", "route_text"]


def _bound(tree: ast.Module, name: str) -> ast.expr | None:
    """The value a module-level assignment binds to `name` (the last one)."""
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = node.value
    return value


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


def _name_value(
    name: str, rel: str, tree: ast.Module, by_rel: dict[str, ast.Module], depth: int
) -> str | None:
    own = _bound(tree, name)
    if own is not None:
        return _text(own, rel, tree, by_rel, depth + 1)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(
            (a.asname or a.name) == name for a in node.names
        ):
            origin = next(a.name for a in node.names if (a.asname or a.name) == name)
            other = _module_rel(rel, node, by_rel)
            if other is not None and other != rel:
                value = _bound(by_rel[other], origin)
                if value is not None:
                    return _text(value, other, by_rel[other], by_rel, depth + 1)
    return None


def _text(
    expr: ast.expr, rel: str, tree: ast.Module, by_rel: dict[str, ast.Module], depth: int
) -> str | None:
    if depth > 6:  # a prefix imported, then filled into a template, then joined
        return None
    if isinstance(expr, ast.Constant):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left = _text(expr.left, rel, tree, by_rel, depth + 1)
        right = _text(expr.right, rel, tree, by_rel, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(expr, ast.Name):
        return _name_value(expr.id, rel, tree, by_rel, depth)
    if (  # getattr(settings, "APP_PREFIX", "api/"): the app's default
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "getattr"
        and len(expr.args) == 3
        and isinstance(expr.args[0], ast.Name)
        and expr.args[0].id == "settings"
    ):
        return _text(expr.args[2], rel, tree, by_rel, depth + 1)
    if (  # r"^{}order/".format(API_URL_PREFIX): a template filled with known parts
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and not expr.keywords
    ):
        parts = [_text(e, rel, tree, by_rel, depth + 1) for e in [expr.func.value, *expr.args]]
        if None in parts:
            return None
        try:
            return str(parts[0]).format(*parts[1:])
        except (AttributeError, IndexError, KeyError, ValueError):  # a regex's `{2,4}`
            return None
    return None


def route_text(expr: ast.expr, rel: str, by_rel: dict[str, ast.Module]) -> str | None:
    """The text of a url pattern's route built from known parts, or None.

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
    tree = by_rel.get(rel)
    if tree is None or isinstance(expr, ast.Constant):
        return None  # a literal route is the inventory's own case
    return _text(expr, rel, tree, by_rel, 0)


def _action_map(call: ast.expr) -> tuple[ast.expr, dict[str, str]] | None:
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "as_view"
        and call.args
        and isinstance(call.args[0], ast.Dict)
    ):
        return None
    mapping = {
        k.value.upper(): v.value
        for k, v in zip(call.args[0].keys, call.args[0].values, strict=True)
        if isinstance(k, ast.Constant)
        and isinstance(k.value, str)
        and isinstance(v, ast.Constant)
        and isinstance(v.value, str)
    }
    return (call.func.value, mapping) if mapping else None


def mapped_view(view: ast.expr, tree: ast.Module) -> tuple[ast.expr, dict[str, str]] | None:
    """A url pattern's viewset and its HTTP method -> action map, when the view is
    `ViewSet.as_view({...})` or a name the module binds to one.

    Example:
        >>> urls = ast.parse("notes = api.Notes.as_view({'get': 'list', 'post': 'create'})")
        >>> cls, actions = mapped_view(ast.Name("notes"), urls)
        >>> ast.unparse(cls), actions
        ('api.Notes', {'GET': 'list', 'POST': 'create'})
    """
    if isinstance(view, ast.Name):
        bound = _bound(tree, view.id)
        return _action_map(bound) if bound is not None else None
    return _action_map(view)


def action_node(
    chain: list[ast.ClassDef],
    action: str | None,
    view: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef:
    """The method of a viewset (or a base in the repository) that runs a mapped action, else
    the view itself."""
    return next(
        (
            n
            for cls in chain
            for n in cls.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == action
        ),
        view,
    )
