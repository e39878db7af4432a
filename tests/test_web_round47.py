"""Web round 47: fresh43's false findings on an OAuth 2 / OpenID Connect server. Its authorize
and end-session endpoints are open by specification and check the session inside (canaille's
`authorize()` and `end_session()`), and its protocol paths are fixed by the RFCs and found through
the discovery document, so they carry no version; the server's other routes are admin pages."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SERVER = """
from authlib.integrations.flask_oauth2 import AuthorizationServer
from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from idp import store

bp = Blueprint("oauth", __name__, url_prefix="/oauth")
server = AuthorizationServer()


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    if not g.session:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("consent.html")
    store.save_grant(g.session.user, request.form["client_id"])
    return redirect(request.args["redirect_uri"])


@bp.route("/token", methods=["POST"])
def issue_token():
    return server.create_token_response()


@bp.route("/userinfo")
def userinfo():
    return jsonify(store.claims(request.headers["Authorization"]))


@bp.route("/introspect", methods=["POST"])
def introspect():
    return jsonify(store.token_info(request.form["token"]))


@bp.route("/jwks.json")
def jwks():
    return jsonify(store.jwks_keys())


@bp.route("/end_session", methods=["GET", "POST"])
def end_session():
    if not g.session:
        return redirect("/")
    store.delete_session(g.session.user)
    return render_template("logged_out.html")
"""

_DISCOVERY = """
from flask import Blueprint, jsonify

bp = Blueprint("well_known", __name__, url_prefix="/.well-known")


@bp.route("/openid-configuration")
def openid_configuration():
    return jsonify({"authorization_endpoint": "/oauth/authorize"})
"""

_ADMIN = """
from flask import Blueprint, render_template, request

from idp.auth import user_needed
from idp.store import clients, delete_client, save_client

bp = Blueprint("clients", __name__, url_prefix="/admin/client")


@bp.route("/")
@user_needed
def index():
    return render_template("clients.html", clients=clients())


@bp.route("/add", methods=["GET", "POST"])
@user_needed
def add():
    if request.method == "POST":
        save_client(request.form)
    return render_template("client_add.html")


@bp.route("/edit/<name>", methods=["GET", "POST"])
@user_needed
def edit(name):
    if request.method == "POST":
        save_client(request.form)
    return render_template("client_edit.html", name=name)


@bp.route("/delete/<name>", methods=["POST"])
@user_needed
def delete(name):
    delete_client(name)
    return render_template("clients.html", clients=clients())
"""


def _server(library: bool) -> dict[str, str]:
    oauth = (
        _SERVER
        if library
        else _SERVER.replace(
            "from authlib.integrations.flask_oauth2 import AuthorizationServer\n", ""
        ).replace("AuthorizationServer()", "object()")
    )
    return {"idp/oauth.py": oauth, "idp/well_known.py": _DISCOVERY, "idp/clients.py": _ADMIN}


def test_an_oauth_servers_authorize_and_end_session_are_open_by_specification(
    tmp_path: Path,
) -> None:
    """With authlib's server imported, `/oauth/authorize` and `/oauth/end_session` are the
    protocol's endpoints: not reported. The same routes in a module that implements no OAuth
    server are the app's own, open among the admin's guarded pages, and stay reported."""
    assert web_findings(tmp_path / "server", _server(True), "endpoint-no-auth") == set()
    assert web_findings(tmp_path / "plain", _server(False), "endpoint-no-auth") == {
        ("idp/oauth.py", 10)
    }


def test_an_oauth_servers_protocol_paths_and_admin_pages_carry_no_version(
    tmp_path: Path,
) -> None:
    """The protocol's paths are fixed by the RFCs and the rest are pages: no api-unversioned.
    Without the server library the JSON key set and the authorize route are the app's own API."""
    assert web_findings(tmp_path / "server", _server(True), "api-unversioned") == set()
    assert web_findings(tmp_path / "plain", _server(False), "api-unversioned") == {
        ("idp/clients.py", 11)
    }


_SCRAPYD = """
from django.http import JsonResponse
from scrapyd_api import ScrapydAPI

from crawl.models import Client


def get_scrapyd(client):
    if not client.auth:
        return ScrapydAPI(f"http://{client.ip}:{client.port}")
    return ScrapydAPI(f"http://{client.ip}:{client.port}", auth=(client.user, client.password))


def get_scrapyd_bounded(client):
    return ScrapydAPI(f"http://{client.ip}:{client.port}", timeout=10)


def spider_list(request, client_id, project_name):
    client = Client.objects.get(id=client_id)
    spiders = get_scrapyd(client).list_spiders(project_name)
    spiders_bounded = get_scrapyd_bounded(client).list_spiders(project_name)
    return JsonResponse({"spiders": spiders + spiders_bounded})
"""

_URLS = """
from django.urls import path

from crawl import views

urlpatterns = [path("api/client/<int:client_id>/spiders/<str:project_name>", views.spider_list)]
"""


def test_a_scrapyd_client_built_with_no_timeout_waits_for_ever(tmp_path: Path) -> None:
    """python-scrapyd-api passes the client's timeout, None by default, to every request: both
    constructions without one are reported, the one with `timeout=10` is not."""
    files = {"crawl/views.py": _SCRAPYD, "crawl/urls.py": _URLS, "crawl/__init__.py": ""}
    assert web_findings(tmp_path, files, "http-no-timeout") == {
        ("crawl/views.py", 9),
        ("crawl/views.py", 10),
    }
