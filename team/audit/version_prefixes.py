"""Versions in URL prefixes that are not written as a route string: what the Backend Architect's
api-unversioned rule asks before it wants a /v1/ prefix.

A Django project mounts its API in its root URL conf, without the leading slash the rule's
route pattern reads: byro's `path("api/v1/", include("byro.api.urls"))` puts every route of its
REST API under /api/v1/. And an application can mount its router under a prefix held in a
constant: OpenStack Skyline's `app.include_router(api_router, prefix=constants.API_PREFIX)`,
with `API_PREFIX = "/api/v1"` in `skyline_apiserver/types/constants.py`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from team.audit.repo import Repo, is_test
from team.review.calltools import leaf_name

__all__ = ["prefix_value", "versioned_include"]

# a Django path or regex that starts with a version segment, after at most one other segment:
# `api/v1/`, `v2/`, `^api/v1\.0/`, `api/2.0/`
_VERSIONED_PATH = re.compile(r"^\^?(?:[\w-]+/)?(?:v\d+(?:\\?\.\d+)*|\d+\\?\.\d+)/")
_ROUTE_CALLS = frozenset(["path", "re_path", "url"])


def versioned_include(repo: Repo) -> bool:
    """A URL conf of the reviewed folder (tests aside) includes other URL confs under a
    versioned path: `path("api/v1/", include("byro.api.urls"))`.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "urls.py").write_text(
        ...     "urlpatterns = [path('p/', include('site.public.urls')),\\n"
        ...     "    path('api/v1/', include('site.api.urls'))]\\n")
        >>> versioned_include(Repo.scan(top))
        True
        >>> _ = (top / "urls.py").write_text("urlpatterns = [path('api/', include('a.urls'))]\\n")
        >>> versioned_include(Repo.scan(top))
        False
    """
    for rel in repo.python:
        if is_test(rel) or "include" not in repo.text(rel):
            continue
        tree = repo.tree(rel)
        for node in ast.walk(tree) if tree else ():
            if (
                isinstance(node, ast.Call)
                and leaf_name(node.func) in _ROUTE_CALLS
                and len(node.args) > 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and _VERSIONED_PATH.match(node.args[0].value)
                and isinstance(node.args[1], ast.Call)
                and leaf_name(node.args[1].func) == "include"
            ):
                return True
    return False


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
    if isinstance(expr, ast.Constant):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, ast.JoinedStr):
        parts = [
            prefix_value(v.value if isinstance(v, ast.FormattedValue) else v, tree, origins, top)
            for v in expr.values
        ]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if isinstance(expr, ast.Name):
        own = _module_constant(tree, expr.id)
        if own is not None:
            return own
        module, _, name = origins.get(expr.id, "").rpartition(".")
        return _constant_in(module, name, top) if module else None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        module = origins.get(expr.value.id, "")
        return _constant_in(module, expr.attr, top) if module else None
    return None


def _constant_in(module: str, name: str, top: Path) -> str | None:
    """The string a module-level name of the dotted `module` under `top` is bound to."""
    base = top.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            try:
                tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
            except SyntaxError:
                return None
            return _module_constant(tree, name)
    return None


def _module_constant(tree: ast.Module, name: str) -> str | None:
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
            found = value.value
    return found
