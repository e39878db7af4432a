"""Web round 42: precision on fresh38's false findings and recall from its misses. Django's
admin reached through a name bound to its URL tuple rebuilt around views of the site's own
(tethys's admin_urls) is the admin, guarded by staff login."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_ADMIN_URLS = """
from django.contrib import admin
from django.urls import re_path

from portal import views

admin_url_list = admin.site.urls[0]
admin_url_list.insert(0, re_path(r"^clear/$", views.clear, name="clear"))
{bind}

urlpatterns = [
    re_path(r"^admin/", admin_urls),
    re_path(r"^notes/$", views.notes, name="notes"),
]
"""
_ADMIN_VIEWS = """
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@staff_member_required
def clear(request):
    return render(request, "clear.html")


@login_required
def notes(request):
    return render(request, "notes.html")
"""


def _admin_site(bind: str) -> dict[str, str]:
    return {
        "portal/__init__.py": "",
        "portal/views.py": _ADMIN_VIEWS,
        "portal/urls.py": _ADMIN_URLS.replace("{bind}", bind),
    }


def test_the_admin_sites_url_tuple_rebuilt_under_a_name_is_guarded(tmp_path: Path) -> None:
    """`admin_urls = (admin_url_list, admin.site.urls[1], admin.site.urls[2])` is the admin
    site's own tuple: every view of it asks for a staff login."""
    bind = "admin_urls = (admin_url_list, admin.site.urls[1], admin.site.urls[2])"
    assert web_findings(tmp_path, _admin_site(bind), "endpoint-no-auth") == set()


def test_a_name_bound_to_other_urls_under_admin_stays_reported(tmp_path: Path) -> None:
    """A name bound to patterns of the site's own under /admin/ is no admin site: it is read
    as it was."""
    bind = "admin_urls = build_admin_urls()"
    assert web_findings(tmp_path, _admin_site(bind), "endpoint-no-auth") == {("portal/urls.py", 11)}


_LIBRARY = {
    "setup.py": "from setuptools import setup\n\nsetup(name='reports')\n",
    "reports/__init__.py": "",
    "reports/apps.py": """
        from django.apps import AppConfig


        class ReportsConfig(AppConfig):
            name = "reports"
        """,
    "reports/settings/__init__.py": "",
    "reports/settings/test.py": 'ROOT_URLCONF = "reports.urls"\n',
    "reports/views.py": """
        from rest_framework.permissions import IsAuthenticated
        from rest_framework.viewsets import ModelViewSet

        from reports.models import Enrollment


        class Enrollments(ModelViewSet):
            permission_classes = [IsAuthenticated]
            queryset = Enrollment.objects.all()
        """,
    "reports/urls.py": """
        from rest_framework.routers import DefaultRouter

        from reports.views import Enrollments

        router = DefaultRouter()
        router.register("enrollments", Enrollments)
        urlpatterns = router.urls
        """,
}


def test_an_app_its_readme_installs_into_a_named_host_asks_no_load_test(tmp_path: Path) -> None:
    """edx-enterprise-data's README: "published to pypi as a library and installed into the
    [edx-analytics-data-api](...) project"; its only settings module runs the tests."""
    readme = (
        "# reports\nThe app is published to pypi as a library and installed into the "
        "[analytics-api](https://example.org/analytics-api) project.\n"
    )
    files = {**_LIBRARY, "README.md": readme}
    assert web_findings(tmp_path, files, "no-benchmarks") == set()


def test_a_reusable_app_for_any_project_or_with_a_server_still_asks_one(tmp_path: Path) -> None:
    """ "Install it into your Django project" names no host (the judges split over such apps),
    and a README naming a host does not outweigh a wsgi.py of the project's own."""
    anyone = {**_LIBRARY, "README.md": "Add reports; it is installed into your Django project.\n"}
    assert web_findings(tmp_path / "a", anyone, "no-benchmarks") == {("reports/urls.py", 1)}
    readme = "Installed into the [analytics-api](https://example.org/a) project.\n"
    served = {**_LIBRARY, "README.md": readme, "reports/wsgi.py": "application = None\n"}
    assert web_findings(tmp_path / "b", served, "no-benchmarks") == {("reports/urls.py", 1)}


_RESOURCES = """
from flask_restful import Resource

from .models import Note, db
from .auth import login_required


class Base(Resource):
    method_decorators = [login_required]


class NotesEndpoint(Base):
    def get(self):
        return [n.id for n in Note.query.all()]

    def post(self):
        db.session.add(Note())
        db.session.commit()
        return {}, 201


class NoteEndpoint(Resource):
    {guard}
    def delete(self, idx):
        db.session.delete(Note.query.get(idx))
        db.session.commit()
        return {}, 204
"""
_TABLE = """
from .notes import NoteEndpoint, NotesEndpoint

resources = [
    dict(resource=NotesEndpoint, urls="/notes/", endpoint="notes"),
    dict(resource=NoteEndpoint, urls="/notes/<int:idx>/", endpoint="note"),
]
"""


def _resources(guard: str) -> dict[str, str]:
    return {
        "endpoints/__init__.py": _TABLE,
        "endpoints/notes.py": _RESOURCES.replace("{guard}", guard),
        "endpoints/models.py": "Note = db = None\n",
        "endpoints/auth.py": "def login_required(f):\n    return f\n",
    }


def test_resources_registered_in_a_table_are_routes_of_the_api(tmp_path: Path) -> None:
    """cornflow's endpoints/__init__.py: `resources = [dict(resource=..., urls=...)]`, walked by
    `api.add_resource` in the app factory outside the folder. The API has no version, and the
    one resource without its base's `method_decorators` deletes with no authentication."""
    files = _resources("")
    assert web_findings(tmp_path, files, "api-unversioned") == {("endpoints/__init__.py", 4)}
    assert web_findings(tmp_path, files, "endpoint-no-auth") == {("endpoints/notes.py", 23)}


def test_a_resource_guarded_by_its_class_asks_no_authentication(tmp_path: Path) -> None:
    """`method_decorators = [login_required]` on the class guards each of its methods."""
    files = _resources("method_decorators = [login_required]\n")
    assert web_findings(tmp_path, files, "endpoint-no-auth") == set()


_BLUEPRINT_API = """
from flask import Blueprint
from flask_restful import Api, Resource

from .auth import login_required
from .models import Note, db

api_blueprint = Blueprint("api", __name__, url_prefix="/api")


@api_blueprint.before_request
@login_required
def before_request():
    pass


class Notes(Resource):
    def post(self):
        db.session.add(Note())
        db.session.commit()
        return {}, 201


api = Api()
api.add_resource(Notes, "/notes")
api.init_app(api_blueprint)
"""


def test_an_api_on_a_guarded_blueprint_is_guarded_and_prefixed(tmp_path: Path) -> None:
    """psiturk's api/__init__.py: the Api bound to a blueprint whose before_request asks for a
    login; its resources live under the blueprint's /api, with no version."""
    files = {
        "app/__init__.py": "",
        "app/api.py": _BLUEPRINT_API,
        "app/models.py": "Note = db = None\n",
        "app/auth.py": "def login_required(f):\n    return f\n",
    }
    assert web_findings(tmp_path, files, "endpoint-no-auth") == set()
    assert web_findings(tmp_path, files, "api-unversioned") == {("app/api.py", 24)}


_SERIALIZERS = """
from uuid import UUID

from rest_framework import serializers

from shop.models import Budget, Membership, Offer


class OfferSerializer(serializers.ModelSerializer):
    budgets = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    kinds = serializers.SerializerMethodField()

    def get_budgets(self, instance):
        {budgets}

    def get_groups(self, obj):
        return ", ".join(g[0] for g in self._groups_of(obj))

    def get_kinds(self, obj):
        return self._kinds()

    def _groups_of(self, obj):
        user_id = obj.user_id
        return list(Membership.objects.filter(user_id=user_id).values_list("name"))

    def _kinds(self):
        return list(Budget.objects.filter(kind="flex").values_list("kind"))

    class Meta:
        model = Offer
        fields = "__all__"
"""
_OFFER_VIEWS = """
from rest_framework import viewsets

from shop import serializers
from shop.models import Offer


class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Offer.objects.all()
    serializer_class = serializers.OfferSerializer
"""


def _offers(budgets: str) -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/models.py": "Budget = Membership = Offer = None\n",
        "shop/serializers.py": _SERIALIZERS.replace("{budgets}", budgets),
        "shop/views.py": _OFFER_VIEWS,
    }


def test_a_method_field_filtering_by_a_value_of_its_row_is_an_n_plus_one(tmp_path: Path) -> None:
    """edx-enterprise-data's get_budgets filters by `UUID(instance.offer_id)`, and its two flex
    group fields hand the row to a helper that filters by `obj.enterprise_user_id`: one query
    per offer of the page, under a viewset named as `serializers.OfferSerializer` (reported
    once per list view: its first query per row)."""
    budgets = (
        "offer_uuid = UUID(instance.offer_id)\n"
        "        return list(Budget.objects.filter(subsidy_uuid=offer_uuid))"
    )
    assert web_findings(tmp_path, _offers(budgets), "n-plus-one-query") == {
        ("shop/serializers.py", 15)
    }


def test_a_method_field_querying_the_same_rows_for_every_row_is_not_reported(
    tmp_path: Path,
) -> None:
    """A filter by a constant and a helper that is not given the row are the same query for
    every row (cacheable once), not a query that grows with the page; only the helper handed
    the row stays reported."""
    budgets = 'return list(Budget.objects.filter(kind="fixed"))'
    assert web_findings(tmp_path, _offers(budgets), "n-plus-one-query") == {
        ("shop/serializers.py", 24)
    }


_WHOAMI = """
from django.http import JsonResponse

from portal.utilities import optional_import

{binding}


def whoami(request):
    data = {"username": request.user.username}
    try:
        email = request.user.email or "nobody@example.com"
        gravatar_url = get_gravatar_url(email, size=80)
        data["gravatarUrl"] = gravatar_url
    except Exception:
        pass
    return JsonResponse(data)
"""


def test_a_swallow_around_an_optional_dependencys_helper_is_not_reported(tmp_path: Path) -> None:
    """tethys's whoami: `get_gravatar_url = optional_import(...)` raises without
    django-gravatar, and the except leaves out the cosmetic field; a helper the module imports
    plainly is read as before (a data read whose failure disappears)."""
    optional = 'get_gravatar_url = optional_import("get_gravatar_url", from_module="gravatar")'
    files = {"portal/views.py": _WHOAMI.replace("{binding}", optional)}
    assert web_findings(tmp_path / "a", files, "swallowed-exception") == set()
    plain = "from gravatar.helpers import get_gravatar_url"
    files = {"portal/views.py": _WHOAMI.replace("{binding}", plain)}
    assert web_findings(tmp_path / "b", files, "swallowed-exception") == {("portal/views.py", 14)}


_COOKIES = """
from portal.models import CookieGroup


def sync_cookie_groups({param}, namespace):
    for varname, group in {param}.items():
        db_group = CookieGroup.objects.get(varname=f"{namespace}__{varname}")
        db_group.name = group["name"]
        db_group.save()
"""


def test_a_loop_over_a_configuration_mapping_handed_in_is_no_n_plus_one(tmp_path: Path) -> None:
    """tethys's cookies.py: one get() per cookie group of a YAML configuration handed to the
    function (`cookie_config_dict`), a handful written by someone; a mapping of any other name
    may hold rows and stays reported."""
    files = {"portal/cookies.py": _COOKIES.replace("{param}", "cookie_config_dict")}
    assert web_findings(tmp_path / "a", files, "n-plus-one-query") == set()
    files = {"portal/cookies.py": _COOKIES.replace("{param}", "groups_by_name")}
    assert web_findings(tmp_path / "b", files, "n-plus-one-query") == {("portal/cookies.py", 6)}
