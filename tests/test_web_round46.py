"""Web round 46: fresh42's false findings and misses. A sign-in decorator written above the route
decorator never runs, since the route registers the function before it is wrapped
(invenio-github's API routes under `@login_required`). A request only the test suite makes, in a
class method or a memoized method, waits on nothing (papaye's `get_last_remote_version()` and its
frozen copies in the migrations' model snapshots, an unused mixin). A package that declares its
blueprints in a host's entry-point group is served, and timed, by that host (Invenio modules)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_LIBRARY = """
from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required

from library.store import lend, return_book, shelf

bp = Blueprint("library", __name__)


@bp.route("/shelf")
@login_required
def my_shelf():
    return jsonify(shelf(current_user.id))


@login_required
@bp.route("/lend/<int:book_id>", methods=["POST"])
def lend_book(book_id):
    lend(current_user.id, book_id)
    return "", 204


@bp.route("/return/<int:book_id>", methods=["POST"])
@login_required
def give_back(book_id):
    return_book(current_user.id, book_id)
    return "", 204


@login_required
@bp.route("/renew/<int:book_id>", methods=["POST"])
def renew(book_id):
    if book_id not in shelf(current_user.id):
        abort(403)
    lend(current_user.id, book_id)
    return "", 204
"""


def test_a_sign_in_check_above_the_route_never_runs(tmp_path: Path) -> None:
    """`lend_book` and `renew` are registered unwrapped: each is reported at its misplaced
    decorator, `renew` too, although it refuses a book not on the shelf (that check reads the
    user the missing one was to ensure); `my_shelf` and `give_back` have the check below the
    route, where it wraps what Flask serves."""
    found = web_findings(tmp_path, {"library/views.py": _LIBRARY}, "endpoint-no-auth")
    assert found == {("library/views.py", 15), ("library/views.py", 29)}


_FASTAPI = """
from fastapi import APIRouter

from notes.auth import requires_user
from notes.store import delete_note

router = APIRouter(prefix="/v1")


@requires_user
@router.delete("/notes/{note_id}")
def remove(note_id: int):
    delete_note(note_id)
"""


def test_a_guard_above_a_fastapi_route_never_runs(tmp_path: Path) -> None:
    """FastAPI's route decorators also register the function they are handed."""
    found = web_findings(tmp_path, {"notes/api.py": _FASTAPI}, "endpoint-no-auth")
    assert found == {("notes/api.py", 9)}


_MIRROR = """
import requests
from beaker.cache import cache_region


class Mirror:
    @classmethod
    def newest(cls, name):
        return requests.get(f"https://pypi.org/pypi/{name}/json").json()["info"]["version"]

    @cache_region("pypi", "listing")
    def listing(self, name):
        return requests.get(f"https://pypi.org/simple/{name}/").text

    def files(self, name):
        return requests.get(f"https://pypi.org/simple/{name}/").text
"""

_MIRROR_VIEW = """
from mirror.remote import Mirror


def simple_page(request):
    return Mirror().files(request.matchdict["name"])
"""

_MIRROR_TESTS = """
from mirror.remote import Mirror


def test_newest():
    assert Mirror.newest("x")


def test_listing():
    assert Mirror().listing("x")
"""


def test_a_request_only_the_test_suite_makes_waits_on_nothing(tmp_path: Path) -> None:
    """`newest()` and `listing()` are called only by the tests (a class method, a memoized
    method): no request of the app waits on them. `files()` serves a page and stays reported."""
    files = {
        "mirror/remote.py": _MIRROR,
        "mirror/views.py": _MIRROR_VIEW,
        "mirror/tests/test_remote.py": _MIRROR_TESTS,
    }
    found = web_findings(tmp_path, files, "http-no-timeout")
    assert found == {("mirror/remote.py", 15)}


_BADGES = """
from flask import Blueprint, redirect

from badges.store import latest_doi

blueprint = Blueprint("badges", __name__, url_prefix="/badge")


@blueprint.route("/<int:repo_id>", methods=["POST"])
def refresh(repo_id):
    latest_doi.refresh(repo_id)
    return redirect(f"/badge/{repo_id}.svg")
"""
_ENTRY_POINTS = """
[project]
name = "badges"

[project.entry-points."portal_base.blueprints"]
badges = "badges.views:blueprint"
"""


def test_blueprints_a_host_mounts_through_entry_points_are_the_hosts_to_time(
    tmp_path: Path,
) -> None:
    """invenio-github declares its blueprints in `invenio_base.blueprints`: the platform loads
    and serves them, and load testing is its deployment's. The same package with no such entry
    point is a service of its own and is asked for a benchmark."""
    hosted = {"pyproject.toml": _ENTRY_POINTS, "badges/views.py": _BADGES}
    write_app(tmp_path / "a", hosted)
    found = audit_path(tmp_path / "a" / "badges", roles=["performance_engineer"])
    assert {f.path for f in found if f.rule == "no-benchmarks"} == set()
    alone = {"pyproject.toml": '[project]\nname = "badges"\n', "badges/views.py": _BADGES}
    write_app(tmp_path / "b", alone)
    found = audit_path(tmp_path / "b" / "badges", roles=["performance_engineer"])
    assert {f.path for f in found if f.rule == "no-benchmarks"} == {"views.py"}


def test_a_hosts_blueprints_follow_the_hosts_url_conventions(tmp_path: Path) -> None:
    """The host mounts the blueprints it loads from its entry points, under its own prefixes:
    their URLs' versioning is its convention, not the module's (invenio-github's badge and API
    blueprints, invenio-oauthclient's). The same package serving itself is asked for a version."""
    hosted = {"pyproject.toml": _ENTRY_POINTS, "badges/views.py": _BADGES}
    write_app(tmp_path / "a", hosted)
    found = audit_path(tmp_path / "a" / "badges", roles=["backend_architect"])
    assert {f.path for f in found if f.rule == "api-unversioned"} == set()
    alone = {"pyproject.toml": '[project]\nname = "badges"\n', "badges/views.py": _BADGES}
    write_app(tmp_path / "b", alone)
    found = audit_path(tmp_path / "b" / "badges", roles=["backend_architect"])
    assert {f.path for f in found if f.rule == "api-unversioned"} == {"views.py"}


_UPLOAD_SETTINGS = """
from django.conf import settings

_PREFIX = "UPLOADS_"
PERMISSION_CLASSES = getattr(settings, _PREFIX + "PERMISSION_CLASSES", {})
SAFE_CLASSES = getattr(settings, "UPLOADS_SAFE_CLASSES", ["rest_framework.permissions.IsAdminUser"])
"""

_UPLOAD_VIEWS = """
import importlib

from rest_framework.views import APIView
from rest_framework.response import Response

from uploads import app_settings


def _permissions(endpoint):
    classes = []
    if endpoint in app_settings.PERMISSION_CLASSES:
        for dotted in app_settings.PERMISSION_CLASSES[endpoint]:
            module, name = dotted.rsplit(".", 1)
            classes.append(getattr(importlib.import_module(module), name))
    return classes


def _configured(endpoint):
    classes = [import_string(d) for d in app_settings.SAFE_CLASSES]
    return classes


class StoreView(APIView):
    permission_classes = _permissions("POST_STORE")

    def post(self, request):
        return Response(save(request.data["file"]))


class FetchView(APIView):
    permission_classes = _permissions("GET_FETCH")

    def get(self, request):
        return Response(download(request.query_params["target"]))


class PurgeView(APIView):
    permission_classes = _configured("DELETE_PURGE")

    def delete(self, request):
        return Response(purge(request.data["id"]))
"""

_UPLOAD_URLS = """
from django.urls import path

from uploads.views import FetchView, PurgeView, StoreView

urlpatterns = [
    path("store/", StoreView.as_view()),
    path("fetch/", FetchView.as_view()),
    path("purge/", PurgeView.as_view()),
]
"""


def test_permission_classes_from_a_setting_empty_by_default_leave_views_open(
    tmp_path: Path,
) -> None:
    """django-drf-filepond's views take their permission classes from a setting that defaults
    to `{}`; a view's `permission_classes` replaces the project's DEFAULT_PERMISSION_CLASSES, so
    unless the installing project sets it, the upload and the fetch of a URL are open to anyone,
    reads included. A helper whose list starts from classes the app names is not empty."""
    files = {
        "uploads/__init__.py": "",
        "uploads/app_settings.py": _UPLOAD_SETTINGS,
        "uploads/views.py": _UPLOAD_VIEWS,
        "uploads/urls.py": _UPLOAD_URLS,
    }
    write_app(tmp_path, files)
    found = audit_path(tmp_path / "uploads", roles=["backend_architect"])
    open_views = {(f.path, f.line) for f in found if f.rule == "endpoint-no-auth"}
    assert open_views == {("views.py", 24), ("views.py", 31)}
    message = next(f.message for f in found if f.line == 31)
    assert "UPLOADS_PERMISSION_CLASSES" in message and "GET /fetch/" in message


_CORNICE_API = """
from cornice import Service
from pyramid.security import NO_PERMISSION_REQUIRED

from shelf.factories import root_factory

item = Service(name="item", path="/api/item/{name}", factory=root_factory)
guarded = Service(name="guarded", path="/api/guarded/{name}", permission="manage")
ping = Service(name="ping", path="/api/ping")


@item.get()
def get_item(request):
    return request.context[request.matchdict["name"]]


@item.delete()
def remove_item(request):
    del request.root[request.matchdict["name"]]
    return {"success": True}


@item.put(permission="manage")
def replace_item(request):
    request.root[request.matchdict["name"]] = request.json_body
    return {"success": True}


@guarded.delete()
def remove_guarded(request):
    del request.root[request.matchdict["name"]]


@ping.post(permission=NO_PERMISSION_REQUIRED)
def pong(request):
    return {"pong": True}


@ping.put()
def record(request):
    if request.authenticated_userid is None:
        raise HTTPForbidden()
    request.root["last"] = request.json_body
"""

_CORNICE_MAIN = """
from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.include("cornice")
    config.scan()
    return config.make_wsgi_app()
"""


def test_cornice_writes_with_no_permission_and_no_default_are_open(tmp_path: Path) -> None:
    """papaye's cornice DELETE services carry no `permission=` and its main() sets no default
    permission, so Pyramid never consults the root's ACL: anyone can delete a package. A view
    or service with a permission, one public on purpose, one that checks the caller itself, and
    reads are left alone; a default permission set in main() guards them all."""
    files = {"shelf/__init__.py": _CORNICE_MAIN, "shelf/api.py": _CORNICE_API}
    assert web_findings(tmp_path / "a", files, "endpoint-no-auth") == {("shelf/api.py", 16)}
    guarded = _CORNICE_MAIN.replace("config.scan()", 'config.set_default_permission("view")')
    files = {"shelf/__init__.py": guarded, "shelf/api.py": _CORNICE_API}
    assert web_findings(tmp_path / "b", files, "endpoint-no-auth") == set()
