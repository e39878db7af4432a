"""Web round 54 (issue 13): fresh45 miss, longclaw's AddressViewSet. Its urls.py routes the viewset
by hand, `address_list = api.AddressViewSet.as_view({"get": "list", "post": "create"})`, at
`url(API_URL_PREFIX + r"addresses/$", address_list)`, the prefix a setting's default
(`getattr(settings, "LONGCLAW_API_URL_PREFIX", "api/")`) imported from the app's settings module.
The inventory read neither the built route nor the bound view, so the viewset, with no
permission class and no DEFAULT_PERMISSION_CLASSES in the project (DRF's AllowAny), was never
seen (`mapped_views.py`, `route_strings.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_APP_SETTINGS = """
from django.conf import settings

API_URL_PREFIX = getattr(settings, "SHOP_API_URL_PREFIX", "api/")
"""

_URLS = """
from django.conf.urls import url

from shop import api
from shop.settings import API_URL_PREFIX

address_list = api.AddressViewSet.as_view({"get": "list", "post": "create"})
address_detail = api.AddressViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    url(API_URL_PREFIX + r"addresses/$", address_list),
    url(API_URL_PREFIX + r"addresses/(?P<pk>[0-9]+)/$", address_detail),
    url({orders_route}, api.OrderViewSet.as_view({"get": "list", "delete": "destroy"})),
]
"""

_API = """
from rest_framework import permissions, viewsets

from shop import models, serializers


class AddressViewSet(viewsets.ModelViewSet):
    queryset = models.Address.objects.all()
    serializer_class = serializers.AddressSerializer{address_permission}


class OrderViewSet(viewsets.ModelViewSet):
    queryset = models.Order.objects.all()
    serializer_class = serializers.OrderSerializer
    permission_classes = [permissions.IsAdminUser]
"""


def _shop(*, address_permission: str = "", settings: str = "", prefix: str = "") -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/settings.py": prefix or _APP_SETTINGS,
        "shop/tests/settings.py": 'ROOT_URLCONF = "shop.urls"\n' + settings,
        "shop/urls.py": _URLS.replace("{orders_route}", 'API_URL_PREFIX + r"orders/$"'),
        "shop/api.py": _API.replace("{address_permission}", address_permission),
    }


def test_a_viewset_routed_by_hand_under_a_settings_prefix_is_in_the_inventory(
    tmp_path: Path,
) -> None:
    """Open by DRF's default (fails on main: the routes were not read); not with a permission
    class on the view, nor with a project-wide default permission."""
    assert web_findings(tmp_path / "open", _shop(), "endpoint-no-auth") == {("shop/api.py", 6)}
    guarded = _shop(address_permission="\n    permission_classes = [permissions.IsAuthenticated]")
    assert web_findings(tmp_path / "guarded", guarded, "endpoint-no-auth") == set()
    default = _shop(
        settings='REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": '
        '["rest_framework.permissions.IsAuthenticated"]}\n'
    )
    assert web_findings(tmp_path / "default", default, "endpoint-no-auth") == set()


def test_a_route_built_from_a_prefix_it_cannot_read_is_left_out(tmp_path: Path) -> None:
    """A prefix computed at run time (not a string, a setting's default or a sum of them) gives
    no route, so nothing is reported: the rule does not guess where the view is mounted."""
    unknown = _shop(prefix="from shop.conf import prefix\n\nAPI_URL_PREFIX = prefix()\n")
    assert web_findings(tmp_path / "unknown", unknown, "endpoint-no-auth") == set()
