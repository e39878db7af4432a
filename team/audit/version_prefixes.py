"""Versions in URL prefixes that are not written as a route string: what the Backend Architect's
api-unversioned rule asks before it wants a /v1/ prefix.

A Django project mounts its API in its root URL conf, without the leading slash the rule's
route pattern reads: byro's `path("api/v1/", include("byro.api.urls"))` puts every route of its
REST API under /api/v1/. (A router mounted under a prefix held in a constant, OpenStack
Skyline's `prefix=constants.API_PREFIX`, is read by `route_strings.prefix_value`.)
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo, is_test
from team.review.calltools import leaf_name

__all__ = ["versioned_include"]

# a Django path or regex that starts with a version segment, after at most one other segment:
# `api/v1/`, `v2/`, `^api/v1\.0/`, `api/2.0/`
_VERSIONED_PATH = re.compile(r"^\^?(?:[\w-]+/)?(?:v\d+(?:\\?\.\d+)*|\d+\\?\.\d+)/")
_ROUTE_CALLS = frozenset(["path", "re_path", "url"])


def versioned_include(repo: Repo) -> bool:
    """A URL conf of the reviewed folder (tests aside) includes other URL confs under a
    versioned path: `path("api/v1/", include("byro.api.urls"))`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
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
