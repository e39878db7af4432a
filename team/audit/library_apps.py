"""A reusable Django app that only its own test suite runs: no site of its own to load-test.

A Django app packaged for others to mount (`INSTALLED_APPS` plus an `include()` of its URL
conf) has no deployment in its sdist. When the only Django settings it ships are its test
suite's (`cas_server/tests/settings.py`, `mama_cas/tests/settings.py`,
`explorer/tests/settings.py`, django-rosetta's `testproject/settings.py`, django-newsletter's
`test_project/`), and nothing starts a server
outside them (no `manage.py`, `wsgi.py`, `asgi.py`, Dockerfile or compose file), its pages and
forms are served by the site that installs it: that site's load test times them, under its
database, middleware and session backend, and a benchmark in the library would measure the
throwaway test project instead.

Two kinds of reusable app stay read as services, as the judges hold them:
- one that serves an API through a REST framework (openwisp-radius' authorize views, the
  device-polled views of openwisp-controller, edx-enterprise's API called on every learner's
  page): machines call it at rates its own code sets. A module that imports a REST framework
  only for the base classes of an authentication or permission check it hands the site's own
  API (allauth's `headless/contrib/rest_framework/authentication.py`, `ninja/security.py`)
  serves nothing through it (`_serves_api`);
- one with a project beside it, however small (Postorius' and HyperKitty's `example_project`,
  Spirit's `project_template`): the sdist shows it deployed as a site.
An app shipping nothing that deploys it (`deployed.deployment`: no settings of a project, no
Dockerfile, WSGI module, app object or console script), django-pyas2, django-machina or
Cartridge with its project template, is installed by a site too (`installable_app`, round 58),
whatever its tests ship.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from team.audit.endpoints import Endpoint
from team.audit.repo import Repo, is_test

__all__ = ["installable_app", "tested_library"]

_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
# a Django settings module: a top-level assignment of what only a project's settings define
_SETTINGS = re.compile(r"(?m)^(?:INSTALLED_APPS|ROOT_URLCONF|DATABASES)\s*(?::[^=\n]*)?[+]?=")
# where a test suite keeps its project: a tests folder, a test project (`testproject/`,
# `test_project/`), a settings file named for tests (`test_settings.py`, `settings/test.py`)
_TEST_PLACE = re.compile(
    r"(?i)(?:^|/)(?:tests?|testing|test_?project|test_?app)/"
    r"|(?:^|/)(?:test_?settings|settings_?tests?)\w*\.py$|(?:^|/)settings/tests?\w*\.py$"
)
# what starts a server of the project's own
_SERVER_FILES = frozenset({"manage.py", "wsgi.py", "asgi.py", "Dockerfile"})
_COMPOSE = re.compile(r"^(?:docker-)?compose[\w.-]*\.ya?ml$")
# an API served through one of Django's REST frameworks
_API_FRAMEWORK = re.compile(
    r"(?m)^\s*(?:from|import)\s+(?:rest_framework|ninja|tastypie|graphene_django)\b"
)
_DJANGO = re.compile(r"(?m)^\s*(?:from|import)\s+django\b")
_SKIPPED = frozenset(
    {"node_modules", ".git", ".tox", ".venv", "venv", "__pycache__", "static", "docs", "doc"}
)


def tested_library(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """The reviewed app serves only Django views and imports no REST framework outside its
    tests, and its project (the nearest enclosing folder with a `pyproject.toml`, `setup.py` or
    `setup.cfg`, at most three up) ships Django settings (a `*settings*.py` assigning `INSTALLED_APPS`,
    `ROOT_URLCONF` or `DATABASES`) only where its test suite keeps them, and no `manage.py`,
    `wsgi.py`, `asgi.py`, Dockerfile or compose file outside them.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "setup.py").write_text("setup()")
        >>> (top / "cas" / "tests").mkdir(parents=True)
        >>> _ = (top / "cas" / "views.py").write_text("from django.views import View\\n")
        >>> _ = (top / "cas" / "tests" / "settings.py").write_text("INSTALLED_APPS = ['cas']\\n")
        >>> django = [Endpoint("GET", "/login", "LoginView", "cas/urls.py", 1, "django")]
        >>> tested_library(Repo.scan(top / "cas"), django)
        True
        >>> _ = (top / "cas" / "settings.py").write_text("ROOT_URLCONF = 'cas.urls'\\n")
        >>> tested_library(Repo.scan(top / "cas"), django)
        False
    """
    if not _views_only(repo, endpoints):
        return False
    top = project_top(repo.root)
    tested = False
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in _SKIPPED]
        for name in files:
            rel = (Path(folder) / name).relative_to(top).as_posix()
            settings = "settings" in name and name.endswith(".py")
            settings = settings and bool(_SETTINGS.search(read_text(Path(folder) / name)))
            if _TEST_PLACE.search(rel):
                tested = tested or settings
            elif settings or name in _SERVER_FILES or _COMPOSE.match(name):
                return False
    return tested


def installable_app(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """The reviewed code is a Django app (it imports Django outside its tests, and every endpoint
    is a Django view) that serves no API through a REST framework. When nothing in its project
    deploys it as well (`deployed.deployment` is None, asked by the caller), it is installed
    into the project of a site that does (django-pyas2, django-machina, Cartridge). A Tornado
    app whose URL table reads as Django's (Flower) imports no Django and is not one.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "views.py").write_text("from django.views import View\\n")
        >>> django = [Endpoint("GET", "/send", "SendView", "urls.py", 1, "django")]
        >>> installable_app(Repo.scan(top), django)
        True
        >>> _ = (top / "api.py").write_text("from rest_framework.views import APIView\\n")
        >>> installable_app(Repo.scan(top), django)
        False
    """
    return _views_only(repo, endpoints) and any(
        _DJANGO.search(repo.text(rel)) for rel in repo.python if not is_test(rel)
    )


def _views_only(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """Every endpoint is a Django view, and no module outside the tests imports a REST
    framework."""
    if not endpoints or any(e.framework != "django" for e in endpoints):
        return False
    return not any(_serves_api(repo, r) for r in repo.python if not is_test(r))


# what a REST framework lends an authentication or permission check of a library's own
_AUTH_PARTS = frozenset(
    {"authentication", "permissions", "exceptions", "request", "security", "errors"}
)


def _serves_api(repo: Repo, rel: str) -> bool:
    """The module imports a REST framework for more than the pieces of an authentication or
    permission class (`rest_framework.authentication`, `.permissions`, `.exceptions`,
    `.request`; `ninja.security`, `ninja.errors`): views, serializers, routers."""
    tree = repo.tree(rel)
    if tree is None or not _API_FRAMEWORK.search(repo.text(rel)):
        return False
    for node in ast.walk(tree):
        used: list[list[str]]
        if isinstance(node, ast.Import):
            used = [a.name.split(".") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            path = node.module.split(".")
            used = [[*path, a.name] if len(path) == 1 else path for a in node.names]
        else:
            continue
        for parts in used:
            if _API_FRAMEWORK.match(f"import {parts[0]}") and not set(parts[1:2]) & _AUTH_PARTS:
                return True
    return False


def read_text(path: Path) -> str:
    """The file's text, or "" when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def project_top(root: Path, *, up: int = 3) -> Path:
    """The nearest of `root` and its `up` parents with a `pyproject.toml`, `setup.py` or
    `setup.cfg`, a package's module named `setup.py` aside (Specter's `setup` blueprint in
    `server_endpoints/`); `root` when none has one."""
    for top in [root, *list(root.resolve().parents)[:up]]:
        if (top / "__init__.py").exists():
            if (top / "pyproject.toml").exists() or (top / "setup.cfg").exists():
                return top
        elif any((top / m).exists() for m in _PROJECT_MARKERS):
            return top
    return root
