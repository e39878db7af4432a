"""Web round 53 (issue 13): no-benchmarks on a reusable Django app that only its own test suite
runs (django-cas-server, django-mama-cas, django-rosetta, django-newsletter and
django-sql-explorer, judged false): the site that mounts it is what a load test times. Kept
reported: such an app with a project beside it (Postorius' `example_project`), or serving an API
through a REST framework (openwisp-radius). One shipping no settings at all (django-wiki) was
kept here until round 58 (test_web_round60.py): nothing in it deploys a service."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_URLS = """
from django.urls import path

from . import views

app_name = "cas"
urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("serviceValidate", views.ValidateView.as_view(), name="validate"),
]
"""

_VIEWS = """
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from .models import Ticket


class LoginView(View):
    def get(self, request):
        return render(request, "cas/login.html", {})


class LogoutView(View):
    def get(self, request):
        return render(request, "cas/logout.html", {})


class ValidateView(View):
    def get(self, request):
        ticket = Ticket.objects.get(value=request.GET["ticket"])
        return HttpResponse(ticket.user.username)
"""

_API_VIEWS = """
from rest_framework.views import APIView
from rest_framework.response import Response

from .models import Ticket


class LoginView(APIView):
    def get(self, request):
        return Response({})


class LogoutView(APIView):
    def get(self, request):
        return Response({})


class ValidateView(APIView):
    def get(self, request):
        return Response({"user": Ticket.objects.get(value=request.GET["ticket"]).user.pk})
"""

_TEST_SETTINGS = """
SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.auth", "cas"]
ROOT_URLCONF = "cas.tests.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
"""


def _no_benchmarks(root: Path) -> bool:
    return any(f.rule == "no-benchmarks" for f in audit_path(root, roles=["performance_engineer"]))


def _app(root: Path, extra: dict[str, str]) -> Path:
    write_app(
        root,
        {
            "setup.py": "from setuptools import setup\n\nsetup(name='cas')\n",
            "cas/__init__.py": "",
            "cas/urls.py": _URLS,
            "cas/views.py": _VIEWS,
            "cas/models.py": "from django.db import models\n\n\nclass Ticket(models.Model):\n"
            "    value = models.CharField(max_length=64)\n",
            **extra,
        },
    )
    return root / "cas"


def test_a_reusable_app_whose_only_settings_are_its_tests_has_no_site_to_load_test(
    tmp_path: Path,
) -> None:
    """django-cas-server (`cas_server/tests/settings.py`), django-rosetta (`testproject/`),
    django-newsletter (`test_project/test_project/settings.py`, its `manage.py` beside them):
    the app's pages are served, and timed, by the site that installs it."""
    tests = _app(
        tmp_path / "tests", {"cas/tests/__init__.py": "", "cas/tests/settings.py": _TEST_SETTINGS}
    )
    project = _app(
        tmp_path / "project",
        {
            "test_project/manage.py": "import django\n",
            "test_project/test_project/settings.py": _TEST_SETTINGS,
        },
    )
    assert (_no_benchmarks(tests), _no_benchmarks(project)) == (False, False)


def test_a_reusable_app_with_a_site_or_an_api_is_still_asked_for_a_load_test(
    tmp_path: Path,
) -> None:
    """Postorius ships an `example_project` with its settings and `wsgi.py`; openwisp-radius
    serves its API through Django REST framework. Each is still reported, as is a project whose
    own settings sit beside its test settings."""
    example = _app(
        tmp_path / "example",
        {
            "cas/tests/settings.py": _TEST_SETTINGS,
            "example_project/settings.py": _TEST_SETTINGS,
            "example_project/wsgi.py": "application = None\n",
        },
    )
    api = _app(
        tmp_path / "api", {"cas/views.py": _API_VIEWS, "cas/tests/settings.py": _TEST_SETTINGS}
    )
    own = _app(
        tmp_path / "own",
        {"cas/tests/settings.py": _TEST_SETTINGS, "cas/settings.py": _TEST_SETTINGS},
    )
    assert [_no_benchmarks(r) for r in (example, api, own)] == [True, True, True]
