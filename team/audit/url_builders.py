"""Django url patterns that a function of the app builds for the views module it is handed.

A reusable app lets its users mount its views with their own: `urlpatterns =
get_api_urls(views)`, where `get_api_urls(views_module)` (in the app's `utils.py`) returns
`[path("topology/", views_module.network_collection), ...]`. The urls module then holds no
`path(...)` of its own, and each view is an attribute of the module passed in, often a name the
views module assigns (`network_collection = NetworkCollectionView.as_view()`). This module turns
such a call back into the `path(...)` calls it stands for, each naming the view it resolves to.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable

from team.audit.endpoints import _call_name, _dotted
from team.pyimports import imported_module

__all__ = ["built_patterns", "url_builders"]

_PATTERNS = ("path", "re_path", "url")


def _param_views(fn: ast.FunctionDef) -> bool:
    """The function returns url patterns whose views are attributes of one of its parameters."""
    params = {a.arg for a in fn.args.args}
    return any(
        isinstance(sub, ast.Call)
        and _call_name(sub) in _PATTERNS
        and len(sub.args) >= 2
        and isinstance(sub.args[1], ast.Attribute)
        and _dotted(sub.args[1].value) in params
        for sub in ast.walk(fn)
    ) and any(isinstance(sub, ast.Return) and sub.value is not None for sub in ast.walk(fn))


def url_builders(modules: Iterable[tuple[str, ast.Module]]) -> dict[str, ast.FunctionDef]:
    """The module-level functions of the repository that build url patterns from a views module
    they are handed, by name.

    Example:
        >>> code = "def get_urls(views):\\n    return [path('a/', views.a)]\\n"
        >>> list(url_builders([("utils.py", ast.parse(code))]))
        ['get_urls']
    """
    return {
        node.name: node
        for _, tree in modules
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and _param_views(node)
    }


def _imported_modules(rel: str, tree: ast.Module, rels: set[str]) -> dict[str, str]:
    """Local name -> module file of the repository, for `from . import views`, `from .api import
    views as api_views` and `from app.api import views` in the module at `rel`."""
    out: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        module = imported_module(rel, node)
        if module is None:
            continue
        package = module.replace(".", "/")
        for alias in node.names:
            stem = posixpath.join(package, alias.name) if package else alias.name
            found = next(
                (
                    r
                    for r in sorted(rels)
                    for want in (stem + ".py", stem + "/__init__.py")
                    if r == want or (not node.level and ("/" + r).endswith("/" + want))
                ),
                None,
            )
            if found is not None:
                out[alias.asname or alias.name] = found
    return out


def _view_name(module: ast.Module, attr: str) -> str:
    """The name of the view `attr` stands for in a views module: a function or class of that
    name, or the class whose `as_view()` the module assigns to it."""
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == attr:
                return attr
        elif (
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", "") == attr for t in node.targets)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value) == "as_view"
            and isinstance(node.value.func, ast.Attribute)
        ):
            return _dotted(node.value.func.value).rsplit(".", 1)[-1]
    return ""


def _expanded(builder: ast.FunctionDef, param: str, views: ast.Module) -> list[ast.Call]:
    out: list[ast.Call] = []
    for sub in ast.walk(builder):
        if not (
            isinstance(sub, ast.Call)
            and _call_name(sub) in _PATTERNS
            and len(sub.args) >= 2
            and isinstance(sub.args[1], ast.Attribute)
            and _dotted(sub.args[1].value) == param
        ):
            continue
        name = _view_name(views, sub.args[1].attr)
        if name:
            call = ast.Call(ast.Name(_call_name(sub)), [sub.args[0], ast.Name(name)], [])
            out.append(ast.copy_location(call, sub))
    return out


def built_patterns(
    rel: str,
    tree: ast.Module,
    modules: dict[str, ast.Module],
    builders: dict[str, ast.FunctionDef],
) -> list[ast.Call]:
    """The `path(...)` calls a urls module gets from the repository's url builders it calls with
    a views module (`urlpatterns = get_api_urls(views)`), each naming the view it resolves to in
    the module passed in; views that resolve to nothing are left out.

    Example:
        >>> utils = "def get_urls(v):\\n    return [path('a/', v.a)]\\n"
        >>> views = "class A(ListAPIView):\\n    pass\\na = A.as_view()\\n"
        >>> urls = "from . import views\\nurlpatterns = get_urls(views)\\n"
        >>> mods = {r: ast.parse(c) for r, c in [("utils.py", utils), ("views.py", views)]}
        >>> found = built_patterns("urls.py", ast.parse(urls), mods, url_builders(mods.items()))
        >>> [ast.unparse(c) for c in found]
        ["path('a/', A)"]
    """
    if not builders:
        return []
    imported = _imported_modules(rel, tree, set(modules))
    out: list[ast.Call] = []
    for node in ast.walk(tree):
        builder = builders.get(_call_name(node)) if isinstance(node, ast.Call) else None
        if builder is None or not isinstance(node, ast.Call):
            continue
        for param, arg in zip(builder.args.args, node.args, strict=False):
            module = imported.get(_dotted(arg)) if isinstance(arg, ast.Name) else None
            if module is not None:
                out += _expanded(builder, param.arg, modules[module])
    return out
