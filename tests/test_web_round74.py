"""Web round 72 (issue 13): n-plus-one-query false alarms left on the spent corpora.
A Django REST framework viewset that the repository uses only through `as_view({...})` method
maps naming no list action (longclaw's `OrderViewSet.as_view({"get": "retrieve"})` and its two
POST actions) serves one object per request, so a nested serializer on it runs once per
response, not once per row of a page (`nested_rows.py`); the same viewset mapped to `list`, or
registered with a router, is still reported.
A helper called once per item that caches what it read on its object, tested by looking the
key up (django-ditto's `if self.fetched_users.get(flickr_user_id, None) is None:` before one
User query and `self.fetched_users[flickr_user_id] = ...`), queries once per distinct key, not
once per pass (`written_each.py`); the same helper with no cache, or one that only fills a
default into a dict handed in, is still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

# longclaw's order API: a ModelViewSet whose nested items serializer would run per row of a
# list, but the URLconf maps it only to retrieve and two POST actions
_ORDER_MODELS = """
    from django.db import models


    class Order(models.Model):
        status = models.IntegerField(default=0)


    class OrderItem(models.Model):
        order = models.ForeignKey(Order, related_name="items", on_delete=models.CASCADE)
        quantity = models.IntegerField()
    """
_ORDER_SERIALIZERS = """
    from rest_framework import serializers

    from shop.models import Order, OrderItem


    class OrderItemSerializer(serializers.ModelSerializer):
        class Meta:
            model = OrderItem
            fields = "__all__"


    class OrderSerializer(serializers.ModelSerializer):
        items = OrderItemSerializer(many=True)

        class Meta:
            model = Order
            fields = "__all__"
    """
_ORDER_API = """
    from rest_framework import permissions, viewsets

    from shop.models import Order
    from shop.serializers import OrderSerializer


    class OrderViewSet(viewsets.ModelViewSet):
        serializer_class = OrderSerializer
        permission_classes = [permissions.IsAdminUser]
        queryset = Order.objects.all()
    """
_ORDER_URLS = """
    from django.urls import re_path

    from shop import api

    orders = api.OrderViewSet.as_view({"get": "retrieve"})
    fulfill_order = api.OrderViewSet.as_view({"post": "fulfill_order"})

    urlpatterns = [
        re_path(r"^order/(?P<pk>[0-9]+)/$", orders),
        re_path(r"^order/(?P<pk>[0-9]+)/fulfill/$", fulfill_order),
    ]
    """


def _shop(urls: str) -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/models.py": _ORDER_MODELS,
        "shop/serializers.py": _ORDER_SERIALIZERS,
        "shop/api.py": _ORDER_API,
        "shop/urls.py": urls,
    }


def test_a_viewset_mapped_only_to_one_object_actions_lists_no_rows(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _shop(_ORDER_URLS), "n-plus-one-query") == set()


def test_the_same_viewset_mapped_to_list_is_reported(tmp_path: Path) -> None:
    urls = _ORDER_URLS.replace('{"get": "retrieve"}', '{"get": "list"}')
    assert web_findings(tmp_path, _shop(urls), "n-plus-one-query") == {("shop/serializers.py", 13)}


def test_the_same_viewset_registered_with_a_router_is_reported(tmp_path: Path) -> None:
    urls = _ORDER_URLS + (
        "\n    from rest_framework.routers import DefaultRouter\n\n"
        "    router = DefaultRouter()\n"
        '    router.register("orders", api.OrderViewSet)\n'
        "    urlpatterns += router.urls\n"
    )
    assert web_findings(tmp_path, _shop(urls), "n-plus-one-query") == {("shop/serializers.py", 13)}


# django-ditto's Flickr fetcher: one User query per new photo owner, kept on the fetcher
_FETCHER = """
    from ditto.models import User


    class PhotosFetcher:
        def __init__(self):
            self.fetched_users = {}

        def fetch_extra(self, photos):
            out = []
            for photo in photos:
                self.fetch_user_if_missing(photo["owner"])
                out.append(self.fetched_users[photo["owner"]])
            return out

        def fetch_user_if_missing(self, nsid):
            if self.fetched_users.get(nsid, None) is None:
                self.fetched_users[nsid] = User.objects.get(nsid=nsid)
    """
_MODELS = """
    from django.db import models


    class User(models.Model):
        nsid = models.CharField(max_length=40, unique=True)
    """


def _fetcher(code: str) -> dict[str, str]:
    return {"ditto/__init__.py": "", "ditto/models.py": _MODELS, "ditto/fetchers.py": code}


def test_a_helper_that_caches_each_key_it_read_is_not_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _fetcher(_FETCHER), "n-plus-one-query") == set()


def test_a_negated_lookup_of_the_cache_is_read_the_same_way(tmp_path: Path) -> None:
    code = _FETCHER.replace(
        "if self.fetched_users.get(nsid, None) is None:", "if not self.fetched_users.get(nsid):"
    )
    assert web_findings(tmp_path, _fetcher(code), "n-plus-one-query") == set()


def test_the_same_helper_with_no_cache_is_reported(tmp_path: Path) -> None:
    code = _FETCHER.replace("if self.fetched_users.get(nsid, None) is None:", "if nsid:")
    assert web_findings(tmp_path, _fetcher(code), "n-plus-one-query") == {("ditto/fetchers.py", 11)}


def test_a_default_filled_into_a_dict_handed_in_caches_nothing(tmp_path: Path) -> None:
    code = _FETCHER.replace(
        'self.fetch_user_if_missing(photo["owner"])', "self.fetch_user_if_missing(photo)"
    )
    code = code.replace(
        "def fetch_user_if_missing(self, nsid):", "def fetch_user_if_missing(self, photo):"
    )
    code = code.replace(
        "            if self.fetched_users.get(nsid, None) is None:\n"
        "                self.fetched_users[nsid] = User.objects.get(nsid=nsid)",
        '            if photo.get("owner") is None:\n'
        '                photo["owner"] = ""\n'
        '            return User.objects.get(nsid=photo["owner"])',
    )
    assert web_findings(tmp_path, _fetcher(code), "n-plus-one-query") == {("ditto/fetchers.py", 11)}
