"""Web round 71 (issue 13): fresh52's false alarms on django-oidc-provider, nsot and txtai.
An OpenID Connect provider that a host project mounts under a prefix of its choosing serves its
discovery document (`/.well-known/openid-configuration`) and otherwise only the endpoints the
specifications name (authorize, token, userinfo, introspect, end-session, jwks): its paths are
the protocol's, found through discovery, and a /v1/ would version nothing (`fixed_paths.py`); a
route of its own beside them, or the same endpoints with no discovery document, are still
reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_PROVIDER_VIEWS = """
    from django.contrib.auth.decorators import login_required
    from django.http import JsonResponse
    from django.utils.decorators import method_decorator
    from django.views.generic import View

    from provider.models import RSAKey


    @method_decorator(login_required, name="dispatch")
    class AuthorizeView(View):
        def get(self, request):
            return JsonResponse({"user": request.user.pk})


    @login_required
    def userinfo(request):
        return JsonResponse({"sub": str(request.user.pk)})


    class ProviderInfoView(View):
        def get(self, request):
            return JsonResponse({"issuer": request.build_absolute_uri("/")})


    class JwksView(View):
        def get(self, request):
            return JsonResponse({"keys": [key.kid for key in RSAKey.objects.all()[:10]]})
    """
_DISCOVERY = (
    '    re_path(r"^\\.well-known/openid-configuration/?$", views.ProviderInfoView.as_view()),\n'
)
_OWN_ROUTE = '    re_path(r"^clients/?$", views.clients),\n'
_CLIENTS_VIEW = """

    @login_required
    def clients(request):
        return JsonResponse({"clients": [key.kid for key in RSAKey.objects.all()[:10]]})
    """


def _provider(*extra_routes: str, views: str = _PROVIDER_VIEWS) -> dict[str, str]:
    urls = (
        "from django.urls import re_path\n\nfrom provider import views\n\nurlpatterns = [\n"
        '    re_path(r"^authorize/?$", views.AuthorizeView.as_view()),\n'
        '    re_path(r"^userinfo/?$", views.userinfo),\n'
        '    re_path(r"^jwks/?$", views.JwksView.as_view()),\n' + "".join(extra_routes) + "]\n"
    )
    return {
        "provider/__init__.py": "",
        "provider/urls.py": urls,
        "provider/views.py": views,
        "provider/models.py": """
            from django.db import models


            class RSAKey(models.Model):
                kid = models.CharField(max_length=40)
            """,
        "provider/tests/__init__.py": "",
        "provider/tests/settings.py": 'ROOT_URLCONF = "provider.urls"\n',
    }


def test_an_oidc_provider_with_discovery_is_versioned_by_the_protocol(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _provider(_DISCOVERY), "api-unversioned") == set()


def test_the_oidc_provider_twin_has_no_finding(tmp_path: Path) -> None:
    app = write_app(tmp_path, _provider(_DISCOVERY))
    assert audit_path(app, roles=["performance_engineer", "backend_architect"]) == []


def test_a_route_of_its_own_beside_the_provider_is_reported(tmp_path: Path) -> None:
    files = _provider(_DISCOVERY, _OWN_ROUTE, views=_PROVIDER_VIEWS + _CLIENTS_VIEW)
    assert web_findings(tmp_path, files, "api-unversioned") == {("provider/urls.py", 1)}


def test_protocol_names_with_no_discovery_document_are_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _provider(), "api-unversioned") == {("provider/urls.py", 1)}

