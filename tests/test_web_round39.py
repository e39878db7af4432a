"""Web review round 39: no-benchmarks stays quiet on a plugin of a host platform with no project
of its own (a Nautobot app whose views Nautobot serves) and on a service whose load test is a
script named for throughput or latency tests, or documented as one (fschat's
`serve/test_throughput.py`); a plain reusable Django app and a platform with its own settings
stay reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

_URLS = """
from django.urls import path

from . import views

urlpatterns = [path("devices/", views.devices)]
"""
_VIEWS = """
from django.http import JsonResponse

from .models import Device


def devices(request):
    return JsonResponse({"names": list(Device.objects.values_list("name", flat=True))})
"""


def _django_app(config: str, **more: str) -> dict[str, str]:
    return {
        "pyproject.toml": "[project]\nname = 'lcm'\n",
        "lcm/__init__.py": config,
        "lcm/urls.py": _URLS,
        "lcm/views.py": _VIEWS,
        **more,
    }


_NAUTOBOT = """
from nautobot.apps import NautobotAppConfig


class LifecycleConfig(NautobotAppConfig):
    name = "lcm"
    base_url = "lifecycle"
"""
_NETBOX = """
from netbox.plugins import PluginConfig


class LifecycleConfig(PluginConfig):
    name = "lcm"
"""
_DJANGO = """
from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lcm"
"""


def test_a_host_platforms_plugin_has_its_load_measured_where_the_platform_runs(
    tmp_path: Path,
) -> None:
    for name, config in {"nautobot": _NAUTOBOT, "netbox": _NETBOX}.items():
        assert web_findings(tmp_path / name, _django_app(config), "no-benchmarks") == set()


def test_a_plugin_whose_test_suite_holds_the_project_stays_quiet(tmp_path: Path) -> None:
    files = _django_app(_NAUTOBOT, **{"lcm/tests/settings.py": "ROOT_URLCONF = 'lcm.tests.urls'\n"})
    assert web_findings(tmp_path, files, "no-benchmarks") == set()


def test_a_plain_reusable_app_or_a_platform_with_its_own_project_stays_reported(
    tmp_path: Path,
) -> None:
    """The judges hold the lack of a load test against reusable Django apps with hot views of
    their own served through Django REST framework (openwisp-radius); a platform with its
    settings is a project (NetBox)."""
    api = {"lcm/api.py": "from rest_framework.views import APIView\n"}  # as openwisp-radius
    assert web_findings(tmp_path / "app", _django_app(_DJANGO, **api), "no-benchmarks") == {
        ("lcm/urls.py", 1)
    }
    for extra in (
        {"lcm/settings.py": "ROOT_URLCONF = 'lcm.urls'\n"},
        {"manage.py": "import django\n"},
    ):
        found = web_findings(
            tmp_path / next(iter(extra)), _django_app(_NETBOX, **extra), "no-benchmarks"
        )
        assert found == {("lcm/urls.py", 1)}


_WORKER = """
from fastapi import FastAPI

app = FastAPI()


@app.post("/worker_generate")
async def generate(params: dict):
    return {"text": ""}
"""


def test_a_script_that_times_the_service_is_a_load_test(tmp_path: Path) -> None:
    """fschat's `serve/test_throughput.py` posts to the workers from threads and reports the
    throughput."""
    named = {"worker.py": _WORKER, "test_throughput.py": "import requests\n"}
    documented = {
        "worker.py": _WORKER,
        "measure.py": '"""Benchmarking script to test the throughput of serving workers."""\n',
    }
    assert web_findings(tmp_path / "named", named, "no-benchmarks") == set()
    assert web_findings(tmp_path / "documented", documented, "no-benchmarks") == set()


def test_an_evaluation_benchmark_or_a_latency_module_is_no_load_test(tmp_path: Path) -> None:
    """A benchmark of a model's answers times nothing; a module that records latency is the
    service's own code."""
    files = {
        "worker.py": _WORKER,
        "mmlu.py": '"""Run the MMLU benchmark against the model and score its answers."""\n',
        "latency.py": '"""Latency histograms of the workers, exported to Prometheus."""\n',
    }
    assert web_findings(tmp_path, files, "no-benchmarks") == {("worker.py", 3)}


_CAS_VIEWS = """
from django.http import JsonResponse

from .models import Ticket


def validate(request):
    ticket = Ticket.objects.get(value=request.GET["ticket"])
    return JsonResponse({"user": ticket.user})
"""
_CAS_URLS = """
from django.urls import path

import views

urlpatterns = [path("validate", views.validate)]
"""
_ROOTED = """
from django.urls import include, path

urlpatterns = [path("cas/", include("cas.urls"))]
"""


def test_api_unversioned_is_anchored_on_the_apps_own_code_not_its_test_url_conf(
    tmp_path: Path,
) -> None:
    """django-cas-server: the first URL conf is the test suite's `tests/urls.py`; the finding
    goes to the app's own `urls.py`."""
    files = {
        "views.py": _CAS_VIEWS,
        "urls.py": _CAS_URLS,
        "tests/urls.py": _ROOTED,
        "tests/settings.py": "ROOT_URLCONF = 'tests.urls'\n",
    }
    assert web_findings(tmp_path / "tested", files, "api-unversioned") == {("urls.py", 1)}
    own = {**files, "a/urls.py": _ROOTED}
    assert web_findings(tmp_path / "own", own, "api-unversioned") == {("a/urls.py", 1)}


_PROXY_ROUTES = """
from fastapi import APIRouter, Request

proxy_router = APIRouter()


@proxy_router.post("/forward")
async def proxy_forward(request: Request, destination: str):
    return {"forwarded": destination}
"""
_MAIN = """
from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import APIKeyHeader

from mediaflow.routes.proxy import proxy_router

api_password_header = APIKeyHeader(name="api_password", auto_error=False)
app = FastAPI()


async def verify_api_key(api_key: str = Security(api_password_header)):
    if api_key != "secret":
        raise HTTPException(status_code=403, detail="Could not validate credentials")


async def get_client():
    return None


app.include_router(proxy_router, prefix="/proxy", dependencies=[{dependency}])
"""


def _mounted_routes(tmp_path: Path, dependency: str) -> set[tuple[str, int]]:
    from team.audit import audit_path

    write_app(
        tmp_path,
        {
            "mediaflow/__init__.py": "",
            "mediaflow/main.py": _MAIN.replace("{dependency}", dependency),
            "mediaflow/routes/__init__.py": "",
            "mediaflow/routes/proxy.py": _PROXY_ROUTES,
        },
    )
    found = audit_path(tmp_path / "mediaflow" / "routes", roles=["backend_architect"])
    return {(f.path, f.line) for f in found if f.rule == "endpoint-no-auth"}


def test_a_router_the_enclosing_package_mounts_behind_an_auth_dependency_is_authenticated(
    tmp_path: Path,
) -> None:
    """mediaflow-proxy's `main.py` mounts the reviewed `routes/` routers with
    `dependencies=[Depends(verify_api_key)]`."""
    assert _mounted_routes(tmp_path, "Depends(verify_api_key)") == set()


def test_a_router_mounted_without_an_auth_dependency_stays_reported(tmp_path: Path) -> None:
    assert _mounted_routes(tmp_path / "client", "Depends(get_client)") == {("proxy.py", 7)}
