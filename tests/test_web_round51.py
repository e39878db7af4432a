"""Web round 51 (issue 13): api-unversioned false alarms on APIs that are versioned where the rule
did not read the version. byro's root URL conf mounts its REST API with
`path("api/v1/", include("byro.api.urls"))` (no leading slash, so no route string the rule
knew); OpenStack Skyline's application mounts the reviewed routers with
`include_router(api_router, prefix=constants.API_PREFIX)`, `API_PREFIX = "/api/v1"` bound in a
constants module (`version_prefixes.py`, `route_strings.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_ROOT_URLS = """
from django.urls import include, path

from club import views

urlpatterns = [
    path("", views.members),
    path("{prefix}", include("club.api.urls", namespace="api")),
]
"""

_API_URLS = """
from rest_framework import routers

from club.api import views

router = routers.DefaultRouter()
router.register("members", views.MemberViewSet)
urlpatterns = router.urls
"""

_API_VIEWS = """
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from club.models import Member


class MemberViewSet(viewsets.ModelViewSet):
    queryset = Member.objects.all()
    permission_classes = [IsAuthenticated]
"""

_PAGES = """
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse


@login_required
def members(request):
    return JsonResponse({"members": []})
"""


def _club(prefix: str) -> dict[str, str]:
    return {
        "club/__init__.py": "",
        "club/settings.py": 'ROOT_URLCONF = "club.urls"\n',
        "club/urls.py": _ROOT_URLS.replace("{prefix}", prefix),
        "club/views.py": _PAGES,
        "club/models.py": "from django.db import models\n\n\nclass Member(models.Model):\n"
        "    name = models.CharField(max_length=100)\n",
        "club/api/__init__.py": "",
        "club/api/urls.py": _API_URLS,
        "club/api/views.py": _API_VIEWS,
    }


def test_a_django_api_included_under_a_versioned_path_is_versioned(tmp_path: Path) -> None:
    assert web_findings(tmp_path / "v1", _club("api/v1/"), "api-unversioned") == set()
    assert web_findings(tmp_path / "bare", _club("api/"), "api-unversioned") == {
        ("club/api/urls.py", 1)
    }


_ROUTES = """
from fastapi import APIRouter

router = APIRouter()


@router.get("/servers")
def servers():
    return []


@router.post("/servers")
def create_server(body: dict):
    return body
"""

_MAIN = """
from fastapi import FastAPI

from svc.api.routes import router
from svc.types import constants

app = FastAPI()
app.include_router(router, prefix={prefix})
"""


def _service(root: Path, prefix: str, constant: str) -> list[tuple[str, str, int]]:
    """The api-unversioned findings of a review of `svc/api`, whose routes `svc/main.py`
    mounts under `prefix`, with `API_PREFIX = constant` in `svc/types/constants.py`."""
    write_app(
        root,
        {
            "svc/__init__.py": "",
            "svc/main.py": _MAIN.replace("{prefix}", prefix),
            "svc/types/__init__.py": "",
            "svc/types/constants.py": f"API_PREFIX = {constant!r}\n",
            "svc/api/__init__.py": "",
            "svc/api/routes.py": _ROUTES,
        },
    )
    found = audit_path(root / "svc" / "api", roles=["backend_architect"])
    return [(f.rule, f.path, f.line) for f in found if f.rule == "api-unversioned"]


def test_routers_mounted_under_a_versioned_prefix_constant_are_versioned(tmp_path: Path) -> None:
    assert _service(tmp_path / "const", "constants.API_PREFIX", "/api/v1") == []
    assert _service(tmp_path / "fstr", 'f"{constants.API_PREFIX}/compute"', "/api/v2") == []
    reported = [("api-unversioned", "routes.py", 7)]
    assert _service(tmp_path / "bare", "constants.API_PREFIX", "/api") == reported
    assert _service(tmp_path / "unknown", "settings.PREFIX", "/api/v1") == reported
