"""Django url patterns whose route is built from a prefix, and DRF viewsets routed by hand.

A reusable app lets the installing site choose where its API lives and joins that prefix to each
route; a viewset can be routed without a router, its HTTP methods mapped to actions in the
`as_view` call, often bound to a name first. longclaw's shipping/urls.py reads

    from longclaw.settings import API_URL_PREFIX      # getattr(settings, "...", "api/")

    address_list = api.AddressViewSet.as_view({"get": "list", "post": "create"})

    urlpatterns = [url(API_URL_PREFIX + r"addresses/$", address_list, name="...")]

The inventory (`web_django.py`) read neither: the route is no string literal and the view no
class. `route_strings.route_text` gives the route's text when every part of it is known;
`mapped_view` gives the viewset and its method -> action map.

A mapped view's list is not held to pagination (as before it was read): a Django list view is
held only to its module's convention, and a hand-routed one is mostly mounted in a project whose
DEFAULT_PAGINATION_CLASS the review does not see (pulp_ansible's namespaces, paged by pulpcore's).
"""

from __future__ import annotations

import ast

from team.audit.route_strings import bound_value

__all__ = ["action_node", "mapped_view"]


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
        bound = bound_value(tree, view.id)
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
