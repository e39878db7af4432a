"""Web review round 35: url patterns a function of the app builds for the views module it is
handed (`urlpatterns = get_api_urls(views)`), and a DRF list view left without the pagination
its neighbours have; each with a small app that must be reported and ones that must stay
silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

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


_LISTS = """
from rest_framework import generics


class NodeList(generics.ListCreateAPIView):
    queryset = Node.objects.order_by("-created")
    pagination_class = NodePagination


class TopologyList(generics.ListCreateAPIView):
    queryset = Topology.objects.all()
{extra}

node_list = NodeList.as_view()
topology_list = TopologyList.as_view()
"""

_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("node/", views.NodeList.as_view()),
    path("topology/", views.TopologyList.as_view()),
]
"""


def _unpaged(
    tmp_path: Path, extra: str = "", files: dict[str, str] | None = None
) -> set[tuple[str, int]]:
    """list-not-paginated findings on a DRF app whose NodeList pages and whose TopologyList
    has `extra` in its body (or on that app with `files` replacing or adding some)."""
    app = {
        "net/__init__.py": "",
        "net/views.py": _LISTS.replace("{extra}", extra),
        "net/urls.py": _URLS,
    }
    return web_findings(tmp_path, app | (files or {}), "list-not-paginated")


def test_a_list_view_without_the_pagination_its_neighbour_sets_is_reported(
    tmp_path: Path,
) -> None:
    assert _unpaged(tmp_path) == {("net/views.py", 9)}


def test_a_list_view_that_chose_to_return_everything_is_not_reported(tmp_path: Path) -> None:
    assert _unpaged(tmp_path, "    pagination_class = None\n") == set()


def test_a_list_view_that_builds_its_own_response_is_not_reported(tmp_path: Path) -> None:
    extra = "\n    def list(self, request):\n        return Response({'count': 1})\n"
    assert _unpaged(tmp_path, extra) == set()


def test_a_list_view_that_calls_drfs_list_is_still_reported(tmp_path: Path) -> None:
    extra = (
        "\n    def list(self, request, *args, **kwargs):\n"
        "        self.check_permissions(request)\n"
        "        return super().list(request, *args, **kwargs)\n"
    )
    assert _unpaged(tmp_path, extra) == {("net/views.py", 9)}


def test_a_project_default_pagination_class_pages_every_list(tmp_path: Path) -> None:
    settings = "REST_FRAMEWORK = {'DEFAULT_PAGINATION_CLASS': 'x.Pages', 'PAGE_SIZE': 50}\n"
    assert _unpaged(tmp_path, files={"net/settings.py": settings}) == set()


def test_no_list_view_of_the_app_paginating_leaves_the_default_to_the_project(
    tmp_path: Path,
) -> None:
    views = _LISTS.replace("    pagination_class = NodePagination\n", "")
    assert _unpaged(tmp_path, files={"net/views.py": views.replace("{extra}", "")}) == set()


def test_one_special_pagination_class_among_unpaged_lists_sets_no_convention(
    tmp_path: Path,
) -> None:
    others = (
        "\n\nclass LinkList(generics.ListAPIView):\n    queryset = Link.objects.all()\n"
        "\n\nclass LogList(generics.ListAPIView):\n    queryset = Log.objects.all()\n"
    )
    urls = _URLS.replace(
        "]",
        '    path("link/", views.LinkList.as_view()),\n'
        '    path("log/", views.LogList.as_view()),\n]',
    )
    views = _LISTS.replace("{extra}", others)
    assert _unpaged(tmp_path, files={"net/views.py": views, "net/urls.py": urls}) == set()


def test_a_viewset_list_without_the_pagination_its_neighbour_sets_is_reported(
    tmp_path: Path,
) -> None:
    views = (
        "from rest_framework import viewsets\n\n\n"
        "class NodeViewSet(viewsets.ModelViewSet):\n"
        "    pagination_class = NodePagination\n\n\n"
        "class TopologyViewSet(viewsets.ReadOnlyModelViewSet):\n"
        "    queryset = Topology.objects.all()\n"
    )
    urls = (
        "from rest_framework.routers import DefaultRouter\n\nfrom . import views\n\n"
        "router = DefaultRouter()\nrouter.register('node', views.NodeViewSet)\n"
        "router.register('topology', views.TopologyViewSet)\nurlpatterns = router.urls\n"
    )
    assert _unpaged(tmp_path, files={"net/views.py": views, "net/urls.py": urls}) == {
        ("net/views.py", 8)
    }


_DEVICE_VIEWS = """
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View


class DeviceAdminView(LoginRequiredMixin, View):
    def post(self, request, pk):
        Device.objects.get(pk=pk).delete()


class DeviceUpdateInfoView(View):
    def post(self, request, pk):
        device = Device.objects.get(pk=pk)
        bad_request = {check}
        if bad_request:
            return bad_request
        device.os = request.POST.get("os")
        device.save()
"""

_DEVICE_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("admin/device/<uuid:pk>/", views.DeviceAdminView.as_view()),
    path("device/<uuid:pk>/update-info/", views.DeviceUpdateInfoView.as_view()),
]
"""


def _open_device_views(tmp_path: Path, check: str) -> set[tuple[str, int]]:
    """endpoint-no-auth findings on a device-facing view that runs `check` first."""
    files = {
        "net/__init__.py": "",
        "net/views.py": _DEVICE_VIEWS.replace("{check}", check),
        "net/urls.py": _DEVICE_URLS,
    }
    return web_findings(tmp_path, files, "endpoint-no-auth")


def test_a_view_that_checks_the_devices_own_key_through_a_helper_is_not_reported(
    tmp_path: Path,
) -> None:
    check = 'forbid_unallowed(request, "POST", "key", device.key)'
    assert _open_device_views(tmp_path, check) == set()


def test_a_view_whose_helper_is_given_no_key_of_the_device_is_reported(tmp_path: Path) -> None:
    check = 'forbid_unallowed(request, "POST", "os", device.os)'
    assert _open_device_views(tmp_path, check) == {("net/views.py", 10)}
