"""Web round 77 (issue 13): false sql-string-built findings of spent corpora. A Flask route's
`<int:termtagid>` converter (Starlette's `{termtagid:int}`) lets only digits reach the view, so
the parameter it fills, pasted into SQL, cannot carry SQL text (lute3's termtag delete view,
`route_numbers.py`); the same route with a plain `<termtagid>` still is reported. A schema and a
table name that a check raises on unless each is a bare identifier, before they are pasted in
(querysource's `_validate_bare_identifier(store.schema, "schema")`), carry no SQL text
(`identifier_checks.py`); pasted unchecked they are still reported.

A reusable Django app that imports Django REST framework only for the authentication class it
hands the site's own API (allauth's `headless/contrib/rest_framework/authentication.py`) serves
no API through it: with nothing that deploys it, it is installed by a site and gets no
no-benchmarks finding (`library_apps.py`); the twin with an `APIView` of its own is reported.

A CAS server's ticket validation URIs (django-cas-server's POST `/samlValidate`) are guarded by
the ticket the service presents, not by a login (`protocol_paths.cas_ticket_checks`); the same
POST in an app with a route of its own beside the CAS URIs is no CAS server and stays reported.
A project middleware in MIDDLEWARE that passes a request on only when the user's right holds and
sends the rest to the login page (byro's `PermissionMiddleware`) guards every view behind it
(`access_middleware.py`); one that passes everyone on guards nothing."""

from __future__ import annotations

from pathlib import Path
from textwrap import indent

from helpers import web_findings, write_app

from team.audit import audit_path

_TERMTAG_ROUTES = """
    from flask import Blueprint, redirect
    from sqlalchemy import text

    from lute.db import db

    bp = Blueprint("termtag", __name__, url_prefix="/termtag")


    @bp.route("/delete/{converter}", methods=["POST"])
    def delete(termtagid):
        sql = f"delete from wordtags where WtTgID = {{termtagid}}"
        db.session.execute(text(sql))
        db.session.commit()
        return redirect("/termtag/index", 302)
    """


def _sql_lines(tmp_path: Path, converter: str) -> set[tuple[str, int]]:
    files = {
        "lute/termtag/routes.py": _TERMTAG_ROUTES.format(converter=converter),
        "lute/db.py": "db = None\n",
    }
    return web_findings(tmp_path, files, "sql-string-built")


def test_a_route_parameter_the_int_converter_fills_is_not_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "<int:termtagid>") == set()


def test_a_starlette_int_path_parameter_is_not_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "{{termtagid:int}}") == set()


def test_a_route_parameter_of_any_text_stays_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "<termtagid>") == {("lute/termtag/routes.py", 11)}


_ACCOUNT_URLS = """
    from django.urls import path

    from account import views

    urlpatterns = [
        path("email/", views.EmailView.as_view(), name="account_email"),
        path("password/change/", views.PasswordChangeView.as_view(), name="account_password"),
    ]
    """
_ACCOUNT_VIEWS = """
    from django.shortcuts import redirect, render
    from django.views import View


    class EmailView(View):
        def get(self, request):
            return render(request, "account/email.html")


    class PasswordChangeView(View):
        def post(self, request):
            return redirect("/")
    """
_TOKEN_AUTH = """
    from rest_framework import authentication
    from rest_framework.exceptions import AuthenticationFailed


    class SessionTokenAuthentication(authentication.BaseAuthentication):
        def authenticate(self, request):
            token = request.headers.get("X-Session-Token")
            if token is None:
                raise AuthenticationFailed("no session token")
            return None
    """
_TOKEN_VIEW = """
    from rest_framework.response import Response
    from rest_framework.views import APIView


    class SessionView(APIView):
        def get(self, request):
            return Response({"user": str(request.user)})
    """


def _benchmark_findings(root: Path, contrib: dict[str, str]) -> list[str]:
    write_app(
        root,
        {
            "setup.py": "from setuptools import setup\n\nsetup(name='django-account')\n",
            "account/__init__.py": "",
            "account/urls.py": _ACCOUNT_URLS,
            "account/views.py": _ACCOUNT_VIEWS,
            **contrib,
        },
    )
    found = audit_path(root / "account", roles=["performance_engineer"])
    return [f.path for f in found if f.rule == "no-benchmarks"]


def test_an_app_lending_the_site_a_rest_framework_authentication_is_installed(
    tmp_path: Path,
) -> None:
    contrib = {"account/contrib/rest_framework/authentication.py": _TOKEN_AUTH}
    assert _benchmark_findings(tmp_path, contrib) == []


def test_an_app_serving_a_rest_framework_view_stays_reported(tmp_path: Path) -> None:
    contrib = {
        "account/contrib/rest_framework/authentication.py": _TOKEN_AUTH,
        "account/contrib/rest_framework/views.py": _TOKEN_VIEW,
    }
    assert _benchmark_findings(tmp_path, contrib) == ["urls.py"]


_SAML_URLS = """
    from django.urls import path

    from cas.views import login, saml_validate, service_validate

    urlpatterns = [
        path("login", login, name="login"),
        path("serviceValidate", service_validate, name="serviceValidate"),
        path("samlValidate", saml_validate, name="samlValidate"),
    ]
    """
_SAML_VIEWS = """
    from django.http import HttpResponse
    from django.views.decorators.http import require_GET, require_POST

    from cas.models import ServiceTicket

    LOGIN_FORM = "<form method='post'><input name='username'></form>"
    login = require_GET(lambda request: HttpResponse(LOGIN_FORM))


    @require_GET
    def service_validate(request):
        return HttpResponse(ServiceTicket.objects.get(value=request.GET["ticket"]).username)


    @require_POST
    def saml_validate(request):
        ticket = ServiceTicket.objects.get(value=request.POST["TARGET"])
        ticket.validated = True
        ticket.save()
        return HttpResponse(ticket.username)


    @require_POST
    def sessions(request):
        ServiceTicket.objects.filter(value=request.POST["ticket"]).delete()
        return HttpResponse("")
    """


def _cas_server(*extra_routes: str) -> dict[str, str]:
    urls = _SAML_URLS.replace("    ]\n", "".join(extra_routes) + "    ]\n")
    return {"cas/__init__.py": "", "cas/urls.py": urls, "cas/views.py": _SAML_VIEWS}


def test_a_cas_servers_ticket_validation_is_not_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _cas_server(), "endpoint-no-auth") == set()


def test_the_same_post_in_an_app_with_routes_of_its_own_stays_reported(tmp_path: Path) -> None:
    files = _cas_server('        path("sessions", sessions),\n')
    files["cas/urls.py"] = files["cas/urls.py"].replace("login, ", "login, sessions, ")
    found = audit_path(write_app(tmp_path, files), roles=["backend_architect"])
    messages = [f.message for f in found if f.rule == "endpoint-no-auth"]
    assert len(messages) == 1
    assert "/samlValidate" in messages[0]
    assert "The same cause is at 1 other place" in messages[0]


_DESCRIBE = """
    from fastapi import FastAPI

    from qs.db import pool

    app = FastAPI()


    def _validate_bare_identifier(name, what):
        if not name.isidentifier():
            raise ValueError(what)


    async def exists(store, slug):
        {check}
        sql = f'SELECT 1 FROM "{{store.schema}}"."{{store.table}}" WHERE "query_slug" = $1'
        return await pool.fetchval(sql, slug)
    """


def _describe_lines(tmp_path: Path, check: str) -> set[tuple[str, int]]:
    files = {"qs/describe.py": _DESCRIBE.format(check=check), "qs/db.py": "pool = None\n"}
    return web_findings(tmp_path, files, "sql-string-built")


def test_names_checked_as_bare_identifiers_before_the_paste_are_not_reported(
    tmp_path: Path,
) -> None:
    check = '_validate_bare_identifier(store.schema, "schema")\n'
    check += '        _validate_bare_identifier(store.table, "table")'
    assert _describe_lines(tmp_path, check) == set()


def test_names_pasted_unchecked_stay_reported(tmp_path: Path) -> None:
    assert _describe_lines(tmp_path, "pass") == {("qs/describe.py", 15)}


def test_one_of_two_pasted_names_checked_stays_reported(tmp_path: Path) -> None:
    check = '_validate_bare_identifier(store.schema, "schema")'
    assert _describe_lines(tmp_path, check) == {("qs/describe.py", 15)}


def test_names_checked_only_in_another_branch_stay_reported(tmp_path: Path) -> None:
    check = 'if store.trusted: _validate_bare_identifier(store.schema, "schema")\n'
    check += '        _validate_bare_identifier(store.table, "table")'
    assert _describe_lines(tmp_path, check) == {("qs/describe.py", 16)}


def test_names_assigned_again_after_the_check_stay_reported(tmp_path: Path) -> None:
    check = '_validate_bare_identifier(store.schema, "schema")\n'
    check += '        _validate_bare_identifier(store.table, "table")\n'
    check += "        store = await pool.fetchval(slug)"
    assert _describe_lines(tmp_path, check) == {("qs/describe.py", 17)}


def test_names_checked_as_an_identity_stay_reported(tmp_path: Path) -> None:
    check = "validate_identity(store.schema)\n        validate_identity(store.table)"
    assert _describe_lines(tmp_path, check) == {("qs/describe.py", 16)}


_OFFICE_SETTINGS = """
    ROOT_URLCONF = "office.urls"
    INSTALLED_APPS = ["django.contrib.auth", "office"]
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "office.middleware.PermissionMiddleware",
    ]
    """
_OFFICE_MIDDLEWARE = """
    from django.shortcuts import redirect


    def has_backend_access(user):
        return user.is_staff or user.is_superuser


    class PermissionMiddleware:
        OPEN = ("login", "logout")

        def __init__(self, get_response):
            self.get_response = get_response

        def {hook}(self, request):
{body}
    """
_ADMIT = """if has_backend_access(request.user) or request.path.strip("/") in self.OPEN:
    return self.get_response(request)"""
_REFUSE = 'return redirect(f"/login?next={request.path}")'
_OFFICE_URLS = """
    from django.urls import path

    from office import views

    urlpatterns = [path("accounts/add", views.add_account, name="account.add")]
    """
_OFFICE_VIEWS = """
    from django.http import JsonResponse
    from django.views.decorators.http import require_POST

    from office.models import Account


    @require_POST
    def add_account(request):
        account = Account.objects.create(name=request.POST["name"])
        return JsonResponse({"id": account.pk})
    """


def _office_lines(tmp_path: Path, *body: str, hook: str = "__call__") -> set[tuple[str, int]]:
    """The views reported behind a middleware whose `hook` runs the statements `body`."""
    middleware = _OFFICE_MIDDLEWARE.format(hook=hook, body=indent("\n".join(body), " " * 12))
    files = {
        "office/__init__.py": "",
        "office/settings.py": _OFFICE_SETTINGS,
        "office/middleware.py": middleware,
        "office/urls.py": _OFFICE_URLS,
        "office/views.py": _OFFICE_VIEWS,
        "office/models.py": "from django.db import models\n\n\nclass Account(models.Model):\n"
        "    name = models.CharField(max_length=80)\n",
    }
    return web_findings(tmp_path, files, "endpoint-no-auth")


def test_views_behind_a_middleware_that_passes_on_only_privileged_users(tmp_path: Path) -> None:
    assert _office_lines(tmp_path, _ADMIT, _REFUSE) == set()


def test_views_behind_a_middleware_that_passes_everyone_on_stay_reported(tmp_path: Path) -> None:
    found = _office_lines(tmp_path, _ADMIT, "return self.get_response(request)")
    assert found == {("office/views.py", 8)}


def test_views_a_middleware_passes_on_before_testing_the_right_stay_reported(
    tmp_path: Path,
) -> None:
    outside = 'if not request.path.startswith("/office/"):\n    return self.get_response(request)'
    assert _office_lines(tmp_path, outside, _ADMIT, _REFUSE) == {("office/views.py", 8)}


def test_views_behind_a_middleware_that_asks_only_whether_there_is_a_user_stay_reported(
    tmp_path: Path,
) -> None:
    exists = 'if getattr(request, "user", None):\n    return self.get_response(request)'
    assert _office_lines(tmp_path, exists, _REFUSE) == {("office/views.py", 8)}


def test_views_a_process_request_passes_on_by_returning_none_stay_reported(tmp_path: Path) -> None:
    public = 'if request.path.startswith("/public/"):\n    return None'
    found = _office_lines(tmp_path, public, _ADMIT, _REFUSE, hook="process_request")
    assert found == {("office/views.py", 8)}
