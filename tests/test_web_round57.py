"""Web round 57 (issue 13): the blind judge of round 52's finding on longclaw 1.0.2's open
AddressViewSet named one wrong point in its message: the endpoint it cited as guarded, longclaw's
`shipping_cost`, is `@permission_classes({permissions.AllowAny})`, open to anyone on purpose. The
inventory read `AllowAny` only as a bare name; it now reads permission classes by what they
resolve to, written through their module, under an imported alias or through a name the module
binds (`allow_any.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_SETTINGS = 'ROOT_URLCONF = "shop.urls"\n'

_URLS = """
from django.conf.urls import include, url
from rest_framework.routers import DefaultRouter

from shop import api

router = DefaultRouter()
router.register("addresses", api.AddressViewSet)

API = "api/"
urlpatterns = [
    url(API, include(router.urls)),
    url(API + "shipping/cost/$", api.shipping_cost),
    url(API + "rates/$", api.RateList.as_view()),
]
"""

_ORDER_URLS = """
from django.conf.urls import url

from shop import orders
from shop.urls import API

PREFIX = r"^{}orders/".format(API)
urlpatterns = [url(PREFIX + r"(?P<pk>[0-9]+)/$", orders.OrderViewSet.as_view({"get": "retrieve"}))]
"""

_API = """
{imports}
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from shop import models, serializers


class AddressViewSet(viewsets.ModelViewSet):
    queryset = models.Address.objects.all()
    serializer_class = serializers.AddressSerializer{address}


@api_view(["GET"])
@permission_classes({cost})
def shipping_cost(request):
    return Response({"cost": models.cost(request.query_params["country"])})


class RateList(ListCreateAPIView):
    queryset = models.Rate.objects.all()
    serializer_class = serializers.RateSerializer
    permission_classes = {rates}
"""

_ORDERS = """
from rest_framework import permissions, viewsets

from shop import models, serializers


class OrderViewSet(viewsets.ModelViewSet):
    queryset = models.Order.objects.all()
    serializer_class = serializers.OrderSerializer
    permission_classes = [permissions.IsAdminUser]
"""

_OPEN = "from rest_framework import permissions"


def _shop(
    *,
    imports: str = _OPEN,
    address: str = "",
    cost: str = "{permissions.AllowAny}",
    rates: str = "(permissions.AllowAny,)",
    orders: bool = True,
) -> dict[str, str]:
    api = _API.replace("{imports}", imports).replace("{address}", address)
    files = {
        "shop/__init__.py": "",
        "shop/settings.py": _SETTINGS,
        "shop/urls.py": _URLS,
        "shop/api.py": api.replace("{cost}", cost).replace("{rates}", rates),
    }
    return files | (
        {"shop/orders.py": _ORDERS, "shop/order_urls.py": _ORDER_URLS} if orders else {}
    )


def _open_endpoints(folder: Path, files: dict[str, str]) -> dict[tuple[str, int], str]:
    found = audit_path(write_app(folder, files), roles=["backend_architect"])
    return {(f.path, f.line): f.message for f in found if f.rule == "endpoint-no-auth"}


def test_an_open_viewset_cites_an_endpoint_that_is_guarded(tmp_path: Path) -> None:
    """The open AddressViewSet is reported once, citing the admin-only orders as the guarded
    endpoints, not `shipping_cost` or `RateList`, open through `permissions.AllowAny` (fails on
    main, which cited `GET /api/shipping/cost/`). The orders' route is a template filled with
    the API's prefix (`r"^{}orders/".format(API)`), read as longclaw's orders/urls.py needs."""
    found = _open_endpoints(tmp_path / "shop", _shop())
    assert list(found) == [("shop/api.py", 10)]
    message = found["shop/api.py", 10]
    assert "AddressViewSet.create" in message
    assert "GET /api/orders/(?P<pk>[0-9]+)/" in message and "shop/orders.py:" in message
    assert "/shipping/cost/" not in message and "/rates/" not in message


def test_allow_any_under_an_alias_or_a_bound_name_guards_nothing(tmp_path: Path) -> None:
    """With no admin-only orders, no endpoint of the shop checks anything: AllowAny imported as
    `Public`, bound to a name of the module, or joined to another class by `|`, is no guard, so
    the open viewset is reported as part of an app that authenticates nothing (main took the
    aliased and composed classes for a check and called the viewset an outlier)."""
    aliased = _shop(
        imports="from rest_framework.permissions import AllowAny as Public, IsAuthenticated\n"
        "OPEN = [Public]",
        cost="OPEN",
        rates="[IsAuthenticated | Public]",
        orders=False,
    )
    found = _open_endpoints(tmp_path / "aliased", aliased)
    assert list(found) == [("shop/api.py", 11)]
    assert "no endpoint of this app does" in found["shop/api.py", 11]


def test_a_guarded_twin_has_no_finding(tmp_path: Path) -> None:
    """The same shop with the viewset guarded through the module (`permissions.IsAuthenticated`)
    and the rates needing both a login and AllowAny (`&`: the login decides) reports nothing;
    nor does a shop whose every view is open on purpose, the viewset's classes an empty list
    (DRF checks nothing, as with AllowAny)."""
    guarded = _shop(
        address="\n    permission_classes = (permissions.IsAuthenticated,)",
        rates="[permissions.IsAuthenticated & permissions.AllowAny]",
    )
    assert _open_endpoints(tmp_path / "guarded", guarded) == {}
    public = _shop(address="\n    permission_classes = []", orders=False)
    assert _open_endpoints(tmp_path / "public", public) == {}
