"""Web round 58 (issue 13): no-benchmarks only on a service someone deploys. A reusable Django app
with nothing in its sdist that deploys it (django-pyas2, whose only settings module reads the
site's `PYAS2` dict) or only a project template a site copies (Cartridge's `project_template/`),
judged false, is installed into a project, and that project is what a load test times. The twin
that ships a Dockerfile, a WSGI module or a console script is reported, and the finding says what
deploys it; so is an app object a service builds (Sovereign's `application = FastAPI(...)`)."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_URLS = """
from django.urls import path

from . import views

app_name = "as2"
urlpatterns = [
    path("as2receive", views.ReceiveView.as_view(), name="receive"),
    path("send", views.SendView.as_view(), name="send"),
]
"""

_VIEWS = """
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View


class ReceiveView(View):
    def post(self, request):
        return HttpResponse(request.body[:16])


class SendView(View):
    def get(self, request):
        return render(request, "as2/send.html", {})
"""

_API_VIEWS = """
from rest_framework.response import Response
from rest_framework.views import APIView


class ReceiveView(APIView):
    def post(self, request):
        return Response({"size": len(request.body)})


class SendView(APIView):
    def get(self, request):
        return Response({})
"""

# the app's own settings: what it reads from the site's settings, not a project's
_APP_SETTINGS = """
from django.conf import settings

APP_SETTINGS = getattr(settings, "AS2", {})
MAX_RETRIES = APP_SETTINGS.get("MAX_RETRIES", 5)
"""

_TEMPLATE_SETTINGS = """
INSTALLED_APPS = ["django.contrib.auth", "as2"]
ROOT_URLCONF = "{{ project_name }}.urls"
"""

_SETUP = "from setuptools import setup\n\nsetup(name='django-as2', packages=['as2'])\n"
_SETUP_SCRIPT = (
    "from setuptools import setup\n\nsetup(\n    name='as2-server',\n"
    "    entry_points={'console_scripts': ['as2-server = as2.server:main']},\n)\n"
)

_FASTAPI = """
from fastapi import FastAPI

application = FastAPI(title="control plane")


@application.post("/v3/discovery:clusters")
def discovery(body: dict) -> dict:
    return {"resources": []}
"""


def _performance(root: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in audit_path(root, roles=["performance_engineer"])]


def _app(root: Path, extra: dict[str, str]) -> Path:
    write_app(
        root,
        {
            "setup.py": _SETUP,
            "as2/__init__.py": "",
            "as2/apps.py": "from django.apps import AppConfig\n\n\nclass As2Config(AppConfig):\n"
            "    name = 'as2'\n",
            "as2/settings.py": _APP_SETTINGS,
            "as2/urls.py": _URLS,
            "as2/views.py": _VIEWS,
            **extra,
        },
    )
    return root / "as2"


def test_a_reusable_app_nothing_deploys_is_not_asked_for_a_load_test(tmp_path: Path) -> None:
    """django-pyas2 ships its app and its app settings, nothing that runs a server; Cartridge
    ships a `project_template/` (settings with `{{ project_name }}`, a `wsgi.py`) that a site
    copies and edits. Neither is a deployment, and the review has nothing else to say."""
    bare = _app(tmp_path / "bare", {})
    template = _app(
        tmp_path / "template",
        {
            "as2/project_template/project_name/settings.py": _TEMPLATE_SETTINGS,
            "as2/project_template/project_name/wsgi.py": "application = None\n",
            "as2/project_template/manage.py": "import django\n",
        },
    )
    assert (_performance(bare), _performance(template)) == ([], [])


def test_the_deployed_twin_is_reported_with_what_deploys_it(tmp_path: Path) -> None:
    """The same app with a Dockerfile at the top of its project, a `wsgi.py` of its own, or a
    console script that starts it is a service someone deploys: reported, naming what shows it."""
    docker = _app(tmp_path / "docker", {"Dockerfile": "FROM python:3.12\n"})
    wsgi = _app(tmp_path / "wsgi", {"as2/wsgi.py": "application = None\n"})
    script = _app(tmp_path / "script", {"setup.py": _SETUP_SCRIPT})
    found = [_performance(r) for r in (docker, wsgi, script)]
    assert [[rule for rule, _ in f] for f in found] == [["no-benchmarks"]] * 3
    assert [f[0][1].split(" has ")[0] for f in found] == [
        "the service (deployed by a Dockerfile at Dockerfile)",
        "the service (deployed by a WSGI module at as2/wsgi.py)",
        "the service (deployed by the console script `as2-server`)",
    ]


def test_an_api_app_and_a_built_app_object_are_still_reported(tmp_path: Path) -> None:
    """A reusable app serving a REST framework API (openwisp-radius, judged true) is still read
    as a service though nothing in its sdist deploys it; a FastAPI control plane (Sovereign)
    shows its deployment by the app object it builds."""
    api = _app(tmp_path / "api", {"as2/views.py": _API_VIEWS})
    write_app(tmp_path / "plane", {"setup.py": _SETUP, "plane/app.py": _FASTAPI})
    found = [_performance(api), _performance(tmp_path / "plane" / "plane")]
    assert [[rule for rule, _ in f] for f in found] == [["no-benchmarks"]] * 2
    assert found[0][0][1].startswith("the service has 2 endpoint(s)")
    assert found[1][0][1].startswith(
        "the service (deployed by the app object `application = FastAPI(...)` at app.py:3) has 1"
    )
