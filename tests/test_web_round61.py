"""Web round 59 (issue 13): an example project's WSGI module does not deploy the library.
django-getpaid ships a reusable Django app, the demo project a site copies its setup from
(`example/example/wsgi.py`, its settings and `manage.py`) and a top-level `manage.py` that runs
the test suite's settings; no-benchmarks on it was judged false. Example, demo and sample
projects beside a package for developers (its `Intended Audience :: Developers`) deploy nothing,
as project templates do. The same library whose own project ships a `wsgi.py` is a service
someone deploys and is still reported, and so is an application that declares no such audience
(Postorius, Mailman's web UI, judged true), whose `example_project/` is the setup its operators
run; the deployed twin with a load test is not."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("pay/<int:pk>", views.PaymentView.as_view(), name="pay"),
    path("callback/<int:pk>", views.CallbackView.as_view(), name="callback"),
]
"""

_VIEWS = """
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View


class PaymentView(View):
    def get(self, request, pk):
        return render(request, "shop/pay.html", {"pk": pk})


class CallbackView(View):
    def post(self, request, pk):
        return HttpResponse(request.body[:16])
"""

_SITE_SETTINGS = """
INSTALLED_APPS = ["django.contrib.auth", "shop"]
ROOT_URLCONF = "{site}.urls"
"""

_PYPROJECT = """
[project]
name = "django-shop-pay"
classifiers = ["Framework :: Django", "Intended Audience :: Developers"]
"""

_MANAGE = """
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


def _library(root: Path, extra: dict[str, str]) -> Path:
    write_app(
        root,
        {
            "pyproject.toml": _PYPROJECT,
            "manage.py": _MANAGE.format(module="tests.settings"),
            "tests/settings.py": _SITE_SETTINGS.format(site="tests"),
            "shop/__init__.py": "",
            "shop/urls.py": _URLS,
            "shop/views.py": _VIEWS,
            **extra,
        },
    )
    return root / "shop"


def _site(folder: str) -> dict[str, str]:
    """A Django project at `folder`: settings, a WSGI module and its `manage.py`."""
    site = folder.rsplit("/", 1)[-1]
    return {
        f"{folder}/{site}/__init__.py": "",
        f"{folder}/{site}/settings.py": _SITE_SETTINGS.format(site=site),
        f"{folder}/{site}/wsgi.py": "application = None\n",
        f"{folder}/manage.py": _MANAGE.format(module=f"{site}.settings"),
    }


def _performance(root: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in audit_path(root, roles=["performance_engineer"])]


def test_a_library_with_an_example_project_is_not_asked_for_a_load_test(tmp_path: Path) -> None:
    """getpaid's `example/` project, a `demo_site/` or a `sandbox/` beside the package shows a
    site how to install it; the top-level `manage.py` runs the tests. Nothing deploys it."""
    found = [
        _performance(_library(tmp_path / folder, _site(folder)))
        for folder in ("example", "demo_site", "sandbox")
    ]
    assert found == [[], [], []]


def test_the_library_whose_own_project_has_a_wsgi_module_is_reported(tmp_path: Path) -> None:
    """The same library beside a project of its own (`payhub/payhub/wsgi.py`), or an
    application whose audience is not developers beside its `example_project/`, is a service
    someone deploys: reported, naming the WSGI module."""
    own = _library(tmp_path / "own", _site("payhub"))
    application = {"pyproject.toml": "[project]\nname = 'shop-ui'\n", **_site("example_project")}
    found = [_performance(own), _performance(_library(tmp_path / "app", application))]
    assert [[rule for rule, _ in f] for f in found] == [["no-benchmarks"]] * 2
    assert [f[0][1].split(" has ")[0] for f in found] == [
        "the service (deployed by a WSGI module at payhub/payhub/wsgi.py)",
        "the service (deployed by a WSGI module at example_project/example_project/wsgi.py)",
    ]


def test_the_deployed_twin_with_a_load_test_is_clean(tmp_path: Path) -> None:
    """The same deployed library with a locustfile at the top of its project is timed already."""
    extra = {**_site("payhub"), "locustfile.py": "from locust import HttpUser\n"}
    assert _performance(_library(tmp_path / "timed", extra)) == []
