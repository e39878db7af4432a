"""Web round 76 (issue 13): unbounded-cache and api-unversioned false alarms of spent corpora.
A module-level memo keyed by a parameter that every caller fills with a settings value (byro's
OpenID discovery document per `settings.OIDC_ISSUER_URL`) or with a literal (supysonic's secret
keys "daemon_key" and "cookies_secret") holds one entry per such value (`fixed_callers.py`);
one caller that passes a request's value keeps it reported. A Django route that hands a view
of another package the template to render (Cartridge's project template: `path("",
direct_to_template, {"template": "index.html"})`) is a page, so a site of such routes and
template views serves pages, no API to version (`pages.py`); the same route handing its view
anything else is still counted as data. A media proxy whose routes are mostly the playlists,
segments and streams of HLS and DASH (mediaflow-proxy) follows formats that version themselves
inside the playlist (`fixed_paths.py`); the same proxy with as many routes of its own is still
reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

# byro's OIDC helper: the discovery document cached per issuer URL, fetched over HTTP
_OIDC = """
    import json
    import urllib.request

    from django.conf import settings

    _discovery_cache = {}


    def discover(issuer_url):
        cached = _discovery_cache.get(issuer_url)
        if cached:
            return cached
        url = issuer_url.rstrip("/") + "/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=10) as resp:
            doc = json.loads(resp.read().decode())
        _discovery_cache[issuer_url] = doc
        return doc


    def build_auth_url(state):
        doc = discover(settings.OIDC_ISSUER_URL)
        return doc["authorization_endpoint"] + "?state=" + state
    """
_VIEWS = """
    from django.conf import settings
    from django.http import HttpResponseRedirect, JsonResponse

    from members.oidc import build_auth_url, discover


    def login(request):
        return HttpResponseRedirect(build_auth_url(request.GET["state"]))


    def provider(request):
        return JsonResponse(discover({issuer}))
    """


def _members(issuer: str) -> dict[str, str]:
    return {
        "members/__init__.py": "",
        "members/oidc.py": _OIDC,
        "members/views.py": _VIEWS.replace("{issuer}", issuer),
    }


def test_a_memo_every_caller_keys_by_a_setting_holds_one_entry(tmp_path: Path) -> None:
    files = _members("settings.OIDC_ISSUER_URL")
    assert web_findings(tmp_path, files, "unbounded-cache") == set()


def test_a_memo_a_caller_keys_by_the_request_is_reported(tmp_path: Path) -> None:
    files = _members('request.GET["issuer"]')
    assert web_findings(tmp_path, files, "unbounded-cache") == {("members/oidc.py", 6)}


def test_a_memo_whose_function_is_handed_on_as_a_callback_is_reported(tmp_path: Path) -> None:
    bulk = (
        "from members.oidc import discover\n\n\n"
        "def providers(request):\n    return list(map(discover, request.GET.getlist('u')))\n"
    )
    files = {**_members("settings.OIDC_ISSUER_URL"), "members/bulk.py": bulk}
    assert web_findings(tmp_path, files, "unbounded-cache") == {("members/oidc.py", 6)}


def test_a_memo_its_function_fills_again_with_what_it_fetched_is_reported(tmp_path: Path) -> None:
    # each discovery document names further issuers, discovered (and kept) in turn
    chained = _OIDC.replace(
        "        return doc\n",
        "        for issuer in doc.get('linked_issuers', []):\n            discover(issuer)\n"
        "        return doc\n",
        1,
    )
    files = {**_members("settings.OIDC_ISSUER_URL"), "members/oidc.py": chained}
    assert web_findings(tmp_path, files, "unbounded-cache") == {("members/oidc.py", 6)}


# supysonic's secret keys, one per name the code writes, created on first use
_KEYS = """
    import os

    from music.db import Meta

    __key_cache = {}


    def get_secret_key(keyname):
        if keyname in __key_cache:
            return __key_cache[keyname]
        key = Meta.load(keyname) or os.urandom(128)
        __key_cache[keyname] = key
        return key
    """
_APP = """
    from flask import Flask, jsonify, request

    from music.utils import get_secret_key

    app = Flask(__name__)
    app.secret_key = get_secret_key("cookies_secret")


    @app.get("/rest/ping")
    def ping():
        return jsonify({"ok": {key}})
    """
_DB = """
    class Meta:
        @staticmethod
        def load(name):
            return None
    """


def _music(key: str) -> dict[str, str]:
    return {
        "music/__init__.py": "",
        "music/db.py": _DB,
        "music/utils.py": _KEYS,
        "music/daemon.py": (
            "from music.utils import get_secret_key\n\n\n"
            "def authkey():\n    return get_secret_key('daemon_key')\n"
        ),
        "music/web.py": _APP.replace("{key}", key),
    }


def test_a_memo_keyed_by_names_written_in_the_code_holds_those_entries(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _music("True"), "unbounded-cache") == set()


def test_a_memo_keyed_by_a_request_argument_is_reported(tmp_path: Path) -> None:
    files = _music('bool(get_secret_key(request.args["k"]))')
    assert web_findings(tmp_path, files, "unbounded-cache") == {("music/utils.py", 5)}


# Cartridge's project template: the site's URLconf, its home page a template named in the route
_SITE_URLS = """
    from django.urls import path
    from django.views.i18n import set_language
    from mezzanine.core.views import direct_to_template

    from shop.views import order_history

    urlpatterns = [
        path("i18n/", set_language, name="set_language"),
        path("account/orders/", order_history, name="shop_order_history"),
        path("", direct_to_template, {{extra}}, name="home"),
    ]
    """
_SHOP_VIEWS = """
    from django.template.response import TemplateResponse

    from shop.models import Order


    def order_history(request, template="shop/order_history.html"):
        orders = Order.objects.filter(user_id=request.user.id)[:20]
        return TemplateResponse(request, template, {"orders": orders})
    """
_SHOP_MODELS = """
    from django.db import models


    class Order(models.Model):
        user_id = models.IntegerField()
    """


def _site(extra: str) -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/models.py": _SHOP_MODELS,
        "shop/views.py": _SHOP_VIEWS,
        "project_template/project_name/__init__.py": "",
        "project_template/project_name/settings.py": 'ROOT_URLCONF = "project_name.urls"\n',
        "project_template/project_name/urls.py": _SITE_URLS.replace("{extra}", extra),
    }


def test_a_route_naming_its_template_is_a_page(tmp_path: Path) -> None:
    files = _site('"template": "index.html"')
    assert web_findings(tmp_path, files, "api-unversioned") == set()


def test_a_route_handing_its_view_no_template_is_still_counted(tmp_path: Path) -> None:
    files = _site('"format": "json"')
    found = web_findings(tmp_path, files, "api-unversioned")
    assert found == {("project_template/project_name/urls.py", 1)}


# mediaflow-proxy: HLS playlists and segments, a stream, each behind the proxy's API password
_PROXY = """
    from fastapi import Depends, FastAPI, Header

    from proxy.fetch import relay


    def api_password(x_api_password: str = Header()) -> None:
        relay.check(x_api_password)


    app = FastAPI(dependencies=[Depends(api_password)])


    @app.get("/hls/manifest.m3u8")
    async def manifest(d: str) -> str:
        return await relay.playlist(d)


    @app.get("/hls/segment.{ext}")
    async def segment(ext: str, d: str) -> bytes:
        return await relay.body(d)


    @app.get("/mpd/init.mp4")
    async def init(d: str) -> bytes:
        return await relay.body(d)


    @app.get("/stream")
    async def stream(d: str) -> bytes:
        return await relay.body(d)


    @app.get("/ip")
    async def ip() -> dict:
        return {"ip": await relay.public_ip()}
    """
_OWN_ROUTES = """

    @app.get("/channels")
    def channels() -> list:
        return relay.names


    @app.post("/channels")
    def add_channel(url: str) -> dict:
        relay.names.append(url)
        return {"added": url}


    @app.delete("/channels/{name}")
    def drop_channel(name: str) -> dict:
        relay.names.remove(name)
        return {"dropped": name}


    @app.get("/settings")
    def settings() -> dict:
        return {"channels": len(relay.names)}
    """
_RELAY = """
    class Relay:
        names: list[str] = []

        async def playlist(self, url):
            return url

        async def body(self, url):
            return b""

        async def public_ip(self):
            return "127.0.0.1"

        def check(self, password):
            return password


    relay = Relay()
    """


def _proxy(extra: str) -> dict[str, str]:
    return {"proxy/__init__.py": "", "proxy/app.py": _PROXY + extra, "proxy/fetch.py": _RELAY}


def test_a_media_proxys_playlists_and_segments_are_versioned_by_their_formats(
    tmp_path: Path,
) -> None:
    assert web_findings(tmp_path, _proxy(""), "api-unversioned") == set()


def test_a_media_proxy_with_as_many_routes_of_its_own_is_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _proxy(_OWN_ROUTES), "api-unversioned") == {("proxy/app.py", 10)}
