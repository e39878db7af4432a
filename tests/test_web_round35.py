"""Web review round 35: url patterns a function of the app builds for the views module it is
handed (`urlpatterns = get_api_urls(views)`), and a DRF list view left without the pagination
its neighbours have; each with a small app that must be reported and ones that must stay
silent."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit.repo import Repo
from team.audit.web import web_inventory

_UTILS = """
from django.urls import path


def get_api_urls(views_module):
    \"\"\"used by third party apps to reduce boilerplate\"\"\"
    urls = [
        path("topology/", views_module.topology_list, name="topology_list"),
        path("topology/<uuid:pk>/", views_module.topology_detail, name="topology_detail"),
        path("health/", views_module.health, name="health"),
    ]
    return urls
"""

_VIEWS = """
from rest_framework import generics


class TopologyListView(generics.ListCreateAPIView):
    queryset = Topology.objects.all()


class TopologyDetailView(generics.RetrieveAPIView):
    queryset = Topology.objects.all()


def health(request):
    return JsonResponse({"ok": True})


topology_list = TopologyListView.as_view()
topology_detail = TopologyDetailView.as_view()
"""


def _package(views: str, builder: str = "from ..utils import get_api_urls") -> dict[str, str]:
    """An app whose api/urls.py hands its views module to `get_api_urls` (imported by
    `builder`)."""
    return {
        "net/__init__.py": "",
        "net/utils.py": _UTILS,
        "net/api/__init__.py": "",
        "net/api/views.py": views,
        "net/api/urls.py": f"{builder}\nfrom . import views\n\nurlpatterns = get_api_urls(views)\n",
    }


def _routes(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, str, str, str]]:
    """(method, path, handler, file) of each endpoint the web inventory finds."""
    endpoints, _ = web_inventory(Repo.scan(write_app(tmp_path, files)))
    return {(e.method, e.path, e.handler, e.file) for e in endpoints}


def test_url_patterns_built_by_a_function_of_the_app_are_followed_to_its_views(
    tmp_path: Path,
) -> None:
    assert _routes(tmp_path, _package(_VIEWS)) == {
        ("GET", "/topology/", "TopologyListView", "net/api/views.py"),
        ("POST", "/topology/", "TopologyListView", "net/api/views.py"),
        ("GET", "/topology/<uuid:pk>/", "TopologyDetailView", "net/api/views.py"),
        ("GET", "/health/", "health", "net/api/views.py"),
    }


def test_a_builder_handed_a_module_that_lacks_the_views_finds_none_of_them(
    tmp_path: Path,
) -> None:
    views = "def unrelated(request):\n    return None\n"
    assert _routes(tmp_path, _package(views)) == set()


def test_a_builder_of_another_package_is_not_guessed_at(tmp_path: Path) -> None:
    files = _package(_VIEWS, "from openwisp_utils.api import get_api_urls")
    del files["net/utils.py"]
    assert _routes(tmp_path, files) == set()
