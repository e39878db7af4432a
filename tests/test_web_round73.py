"""Web round 71 (issue 13): fresh52's false alarms on django-oidc-provider, nsot and txtai.
An OpenID Connect provider that a host project mounts under a prefix of its choosing serves its
discovery document (`/.well-known/openid-configuration`) and otherwise only the endpoints the
specifications name (authorize, token, userinfo, introspect, end-session, jwks): its paths are
the protocol's, found through discovery, and a /v1/ would version nothing (`fixed_paths.py`); a
route of its own beside them, or the same endpoints with no discovery document, are still
reported. A loop of a django-filter FilterSet over the terms the request put in the filter
(nsot's `self.data.getlist("attributes")`) is bounded by the request, not by rows
(`few_passes.py`); a query per stored row there is still reported. Such a provider's token and
introspection endpoints authenticate the client by the protocol when its code checks the client's
secret, and its logout prompt is public by the protocol (`protocol_paths.py`); its consent POST is
still reported, as is a token endpoint whose code checks no secret. An app factory's
`return FastAPI(dependencies=dependencies if dependencies else None)`, the list holding an auth
dependency (txtai's token check), guards every route (`web.py`); the same factory with no auth
dependency is still reported."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_a_route_of_its_own_beside_the_provider_is_reported(tmp_path: Path) -> None:
    files = _provider(_DISCOVERY, _OWN_ROUTE, views=_PROVIDER_VIEWS + _CLIENTS_VIEW)
    assert web_findings(tmp_path, files, "api-unversioned") == {("provider/urls.py", 1)}


def test_protocol_names_with_no_discovery_document_are_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _provider(), "api-unversioned") == {("provider/urls.py", 1)}


# nsot's attribute filter: one query per `attr=value` term the client put in the query string
_FILTERS = """
    import django_filters

    from inv import models


    class ResourceFilter(django_filters.rest_framework.FilterSet):
        attributes = django_filters.CharFilter(method="filter_attributes")

        def filter_attributes(self, queryset, name, value):
            attributes = self.data.getlist("attributes", [])
            for attribute in attributes:
                attr_name, _, attr_value = attribute.partition("=")
                ids = set(
                    models.Value.objects.filter(name=attr_name, value=attr_value).values_list(
                        "resource_id", flat=True
                    )
                )
                queryset = queryset.filter(id__in=ids)
            return queryset


    class DeviceFilter(ResourceFilter):
        def filter_names(self, queryset, name, value):
            for term in self.data["names"].split(","):
                found = models.Value.objects.filter(name=term).values_list("resource_id", flat=True)
                queryset = queryset.filter(id__in=list(found))
            return queryset
    """
# one query per stored row the filter found: grows with the data
_PER_ROW = """

    class InheritedFilter(ResourceFilter):
        def filter_inherited(self, queryset, name, value):
            ids = set()
            for row in models.Value.objects.filter(name=value):
                ids |= set(
                    models.Value.objects.filter(resource_id=row.resource_id).values_list(
                        "id", flat=True
                    )
                )
            return queryset.filter(id__in=ids)
    """
_MODELS = """
    from django.db import models


    class Value(models.Model):
        name = models.CharField(max_length=40)
        value = models.CharField(max_length=40)
        resource_id = models.IntegerField()
    """


def _inventory(filters: str) -> dict[str, str]:
    return {"inv/__init__.py": "", "inv/models.py": _MODELS, "inv/filters.py": filters}


def test_a_loop_over_the_request_filter_terms_is_bounded(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _inventory(_FILTERS), "n-plus-one-query") == set()


def test_a_query_per_row_in_a_filter_is_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, _inventory(_FILTERS + _PER_ROW), "n-plus-one-query")
    assert found == {("inv/filters.py", 35)}


def test_the_same_loop_outside_a_filterset_is_reported(tmp_path: Path) -> None:
    files = _inventory(_FILTERS.replace("django_filters.rest_framework.FilterSet", "object"))
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("inv/filters.py", 14)}


# django-oidc-provider's shape: the protocol's endpoints, the client's secret checked in the code
_OIDC_URLS = """
    from django.urls import re_path
    from django.views.decorators.csrf import csrf_exempt

    from provider import views

    urlpatterns = [
        re_path(r"^authorize/?$", views.AuthorizeView.as_view()),
        re_path(r"^token/?$", csrf_exempt(views.TokenView.as_view())),
        re_path(r"^introspect/?$", csrf_exempt(views.IntrospectionView.as_view())),
        re_path(r"^end-session-prompt/?$", views.EndSessionPromptView.as_view()),
        re_path(r"^\\.well-known/openid-configuration/?$", views.ProviderInfoView.as_view()),
    ]
    """
_OIDC_VIEWS = """
    from django.contrib.auth import logout
    from django.http import JsonResponse
    from django.views.generic import View

    from provider.models import Client, Code


    def _client(request):
        client = Client.objects.get(client_id=request.POST["client_id"])
        if not client.client_secret == request.POST["client_secret"]:
            raise PermissionError("invalid_client")
        return client


    class AuthorizeView(View):
        def get(self, request):
            return JsonResponse({"client_id": request.GET.get("client_id")})


    class TokenView(View):
        def post(self, request):
            client = _client(request)
            code = Code.objects.get(pk=request.POST["code"], client=client)
            code.delete()
            return JsonResponse({"access_token": str(code.pk)})


    class IntrospectionView(View):
        def post(self, request):
            client = _client(request)
            Code.objects.filter(client=client).delete()
            return JsonResponse({"active": True})


    class EndSessionPromptView(View):
        def post(self, request):
            if request.POST.get("allow"):
                logout(request)
            return JsonResponse({"done": True})


    class ProviderInfoView(View):
        def get(self, request):
            return JsonResponse({"issuer": request.build_absolute_uri("/")})
    """
# the consent POST: records a code for request.user and checks no login (judged true)
_CONSENT = """
        def post(self, request):
            client = Client.objects.get(client_id=request.POST["client_id"])
            code = Code.objects.create(client=client, user_id=request.user.pk)
            return JsonResponse({"code": code.pk})
    """


def _oidc(views: str) -> dict[str, str]:
    return {
        "provider/__init__.py": "",
        "provider/urls.py": _OIDC_URLS,
        "provider/views.py": views,
        "provider/models.py": """
            from django.db import models


            class Client(models.Model):
                client_id = models.CharField(max_length=40)
                client_secret = models.CharField(max_length=40)


            class Code(models.Model):
                client = models.ForeignKey(Client, on_delete=models.CASCADE)
                user_id = models.IntegerField()
            """,
        "provider/tests/__init__.py": "",
        "provider/tests/settings.py": 'ROOT_URLCONF = "provider.urls"\n',
    }


def _with_consent(views: str) -> str:
    head, tail = views.split("\n\n\n    class TokenView")
    return head + "\n" + _CONSENT + "\n\n    class TokenView" + tail


def test_the_protocol_authenticates_the_client_at_the_token_endpoint(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _oidc(_OIDC_VIEWS), "endpoint-no-auth") == set()


def test_the_consent_post_is_still_reported_alone(tmp_path: Path) -> None:
    app = write_app(tmp_path, _oidc(_with_consent(_OIDC_VIEWS)))
    found = audit_path(app, roles=["backend_architect"])
    assert [(f.rule, f.path, f.line) for f in found] == [
        ("endpoint-no-auth", "provider/views.py", 15)
    ]
    assert "other places" not in found[0].message


def test_a_token_endpoint_that_checks_no_secret_is_reported(tmp_path: Path) -> None:
    views = _OIDC_VIEWS.replace(
        'if not client.client_secret == request.POST["client_secret"]:', "if not client:"
    )
    assert web_findings(tmp_path, _oidc(views), "endpoint-no-auth") == {("provider/views.py", 20)}


# txtai's shape: the token check is a dependency of the app its factory returns
_FACTORY = """
    import os

    from fastapi import Depends, FastAPI

    from svc.authorization import Authorization
    from svc.routers import embeddings


    def create():
        dependencies = []
        token = os.environ.get("TOKEN")
        if token:
            dependencies.append(Depends(Authorization(token)))
        return FastAPI(dependencies=dependencies if dependencies else None)


    app = create()
    app.include_router(embeddings.router)
    """


def _search_service(application: str) -> dict[str, str]:
    return {
        "svc/__init__.py": "",
        "svc/application.py": application,
        "svc/authorization.py": """
            import hashlib
            import hmac

            from fastapi import Depends, HTTPException
            from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer


            class Authorization:
                def __init__(self, token):
                    self.token = token

                def __call__(self, authorization: HTTPAuthorizationCredentials = Depends(HTTPBearer())):
                    digest = hashlib.sha256(authorization.credentials.encode("utf-8")).hexdigest()
                    if not hmac.compare_digest(self.token, digest):
                        raise HTTPException(status_code=401, detail="Invalid Authorization Token")
            """,
        "svc/routers/__init__.py": "",
        "svc/routers/embeddings.py": """
            from typing import List

            from fastapi import APIRouter, Body

            from svc import index

            router = APIRouter()


            @router.post("/v1/batchsearch")
            def batchsearch(queries: List[str] = Body(...), limit: int = Body(default=10)):
                return index.batchsearch(queries, min(limit, 100))


            @router.post("/v1/add")
            def add(documents: List[dict] = Body(...)):
                index.add(documents)
                return {"added": len(documents)}
            """,
        "svc/index.py": """
            DOCUMENTS = []


            def batchsearch(queries, limit):
                return [[d for d in DOCUMENTS if q in d["text"]][:limit] for q in queries]


            def add(documents):
                DOCUMENTS.extend(documents)
            """,
        "pyproject.toml": """
            [project]
            name = "svc"
            version = "1.0"
            dependencies = ["fastapi"]

            [project.optional-dependencies]
            test = ["pytest", "pytest-benchmark"]
            """,
    }


def test_an_auth_dependency_of_the_factory_app_guards_every_route(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _search_service(_FACTORY), "endpoint-no-auth") == set()


def test_a_factory_app_with_no_auth_dependency_is_reported(tmp_path: Path) -> None:
    factory = _FACTORY.replace("Depends(Authorization(token))", "Depends(os.getcwd)")
    found = web_findings(tmp_path, _search_service(factory), "endpoint-no-auth")
    assert found == {("svc/routers/embeddings.py", 16)}


@pytest.mark.parametrize(
    "files",
    [
        _provider(_DISCOVERY),
        _inventory(_FILTERS),
        _oidc(_OIDC_VIEWS),
        _search_service(_FACTORY),
    ],
    ids=["oidc-discovery", "filter-terms", "oidc-client-auth", "factory-auth"],
)
def test_the_clean_twins_have_no_finding(tmp_path: Path, files: dict[str, str]) -> None:
    app = write_app(tmp_path, files)
    assert audit_path(app, roles=["performance_engineer", "backend_architect"]) == []
