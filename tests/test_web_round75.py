"""Web round 73 (issue 13): false api-unversioned and no-benchmarks findings of spent corpora.
A CAS server's URIs (django-cas-server, django-mama-cas: /login, /validate, /serviceValidate,
/proxyValidate, /p3/serviceValidate, /proxy, /samlValidate) are fixed by the CAS protocol, which
versions itself in the path; a Learning Record Store's `/xAPI/statements` (Ralph) is fixed by
the xAPI specification, which versions itself by a header (`fixed_paths.py`). A route of the
server's own beside the CAS URIs, or a `/statements` resource outside an xAPI segment, is still
reported. A benchmarks folder the project's configuration names by its path (fractal-server's
pyproject.toml omits `"benchmarks/*"` from coverage) is the repository's benchmarks, left out of
the sdist (`declared_benchmarks.py`); a Benchmarks badge in the README is not. A no-benchmarks
finding names the console script that runs the service, the one named for the distribution or
whose module starts a server (devpi-server's `devpi-server`, not its first, `devpi-export`), and
says no deployment was seen when every script is a tool (papaye's `papaye_init`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_CAS_URLS = """
    from django.urls import re_path

    from cas import views

    urlpatterns = [
        re_path(r"^login$", views.LoginView.as_view(), name="login"),
        re_path(r"^warn$", views.WarnView.as_view(), name="warn"),
        re_path(r"^validate$", views.Validate.as_view(), name="validate"),
        re_path(r"^serviceValidate$", views.ValidateService.as_view(), name="serviceValidate"),
        re_path(r"^proxyValidate$", views.ValidateService.as_view(), name="proxyValidate"),
        re_path(r"^p3/serviceValidate$", views.ValidateService.as_view(), name="p3_validate"),
        re_path(r"^proxy$", views.Proxy.as_view(), name="proxy"),
    ]
    """
_CAS_VIEWS = """
    from django.http import HttpResponse, JsonResponse
    from django.shortcuts import render
    from django.views.generic import TemplateView, View

    from cas.models import Ticket


    class LoginView(View):
        def get(self, request):
            return render(request, "cas/login.html")


    class WarnView(TemplateView):
        template_name = "cas/warn.html"


    class Validate(View):
        def get(self, request):
            ticket = Ticket.objects.get(value=request.GET["ticket"])
            return HttpResponse(f"yes\\n{ticket.user}\\n")


    class ValidateService(View):
        def get(self, request):
            ticket = Ticket.objects.get(value=request.GET["ticket"])
            return HttpResponse(f"<cas:user>{ticket.user}</cas:user>")


    class Proxy(View):
        def get(self, request):
            return HttpResponse("<cas:proxySuccess/>")


    class Tickets(View):
        def get(self, request):
            return JsonResponse({"tickets": [t.value for t in Ticket.objects.all()[:10]]})
    """
_CAS_MODELS = """
    from django.db import models


    class Ticket(models.Model):
        value = models.CharField(max_length=255)
        user = models.CharField(max_length=255)
    """


def _cas(*extra_routes: str) -> dict[str, str]:
    urls = _CAS_URLS.replace("    ]\n", "".join(extra_routes) + "    ]\n")
    return {
        "cas/__init__.py": "",
        "cas/urls.py": urls,
        "cas/views.py": _CAS_VIEWS,
        "cas/models.py": _CAS_MODELS,
        "cas/tests/__init__.py": "",
        "cas/tests/settings.py": 'ROOT_URLCONF = "cas.urls"\n',
    }


def test_a_cas_server_is_versioned_by_the_protocol(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _cas(), "api-unversioned") == set()


def test_a_route_of_its_own_beside_the_cas_uris_is_reported(tmp_path: Path) -> None:
    files = _cas('        re_path(r"^tickets$", views.Tickets.as_view()),\n')
    assert web_findings(tmp_path, files, "api-unversioned") == {("cas/urls.py", 1)}


_LRS = """
    from fastapi import APIRouter, Depends, FastAPI

    from lrs.auth import user

    app = FastAPI()
    router = APIRouter(prefix="/{resource}", dependencies=[Depends(user)])


    @router.get("/statements")
    async def statements(limit: int = 100) -> list[dict]:
        return [{"id": n} for n in range(limit)]


    @router.post("/statements")
    async def store(statement: dict) -> list[str]:
        return [statement["id"]]


    app.include_router(router)
    """
_AUTH = """
    def user() -> str:
        return "me"
    """


def _lrs(resource: str) -> dict[str, str]:
    return {
        "lrs/__init__.py": "",
        "lrs/api.py": _LRS.replace("{resource}", resource),
        "lrs/auth.py": _AUTH,
    }


def test_an_xapi_record_store_is_versioned_by_the_specification(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _lrs("xAPI"), "api-unversioned") == set()


def test_statements_outside_an_xapi_segment_are_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _lrs("records"), "api-unversioned") == {("lrs/api.py", 5)}


# a REST framework shop whose project declares console scripts: which one is the service's
_SHOP_URLS = """
    from django.urls import path

    from shop import views

    urlpatterns = [path("orders/", views.Orders.as_view()), path("items/", views.Items.as_view())]
    """
_SHOP_VIEWS = """
    from rest_framework.response import Response
    from rest_framework.views import APIView


    class Orders(APIView):
        def get(self, request):
            return Response([])


    class Items(APIView):
        def post(self, request):
            return Response({"size": len(request.body)})
    """
_EXPORT = """
    import json


    def main() -> None:
        print(json.dumps({"orders": []}))
    """
_SERVE = """
    import waitress

    from shop.wsgi import application


    def main() -> None:
        waitress.serve(application, port=8080)
    """


def _shop_service(tmp_path: Path, dist: str, *scripts: str) -> str:
    """The Performance Engineer's no-benchmarks message on the shop, up to its count."""
    entry = ", ".join(f"'{s}'" for s in scripts)
    files = {
        "setup.py": f"from setuptools import setup\n\nsetup(\n    name='{dist}',\n"
        f"    entry_points={{'console_scripts': [{entry}]}},\n)\n",
        "shop/__init__.py": "",
        "shop/urls.py": _SHOP_URLS,
        "shop/views.py": _SHOP_VIEWS,
        "shop/export.py": _EXPORT,
        "shop/serve.py": _SERVE,
    }
    found = audit_path(write_app(tmp_path, files) / "shop", roles=["performance_engineer"])
    return " | ".join(f.message.split(" has ")[0] for f in found if f.rule == "no-benchmarks")


def test_the_script_named_for_the_project_is_its_deployment(tmp_path: Path) -> None:
    """devpi-server's first script is `devpi-export`, a data export tool; the service is run by
    `devpi-server`, the script named for the distribution."""
    found = _shop_service(
        tmp_path, "shop-server", "shop-export = shop.export:main", "shop-server = shop.serve:main"
    )
    assert found == "the service (deployed by the console script `shop-server`)"


def test_the_script_whose_module_starts_a_server_is_its_deployment(tmp_path: Path) -> None:
    found = _shop_service(
        tmp_path, "shop", "shop-export = shop.export:main", "shop-run = shop.serve:main"
    )
    assert found == "the service (deployed by the console script `shop-run`)"


def test_tools_only_are_named_as_no_deployment(tmp_path: Path) -> None:
    """papaye's scripts create and migrate its database (pserve serves it): still reported, and
    the message says that no script seen starts the service rather than naming the first."""
    found = _shop_service(
        tmp_path, "shop", "shop-export = shop.export:main", "shop-import = shop.export:main"
    )
    assert found == (
        "the service (no deployment of it seen: none of its console scripts, `shop-export`, "
        "`shop-import`, starts it)"
    )


# fractal-server's shape: its repository's benchmarks/ left out of the sdist, named by its config
_API = """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/projects/")
    async def projects(user: str) -> list[str]:
        return [user]
    """


def _service(tmp_path: Path, pyproject: str, readme: str) -> set[tuple[str, int]]:
    files = {"pyproject.toml": pyproject, "README.md": readme, "svc/app.py": _API}
    files["svc/__init__.py"] = ""
    return web_findings(tmp_path, files, "no-benchmarks")


def test_a_benchmarks_folder_the_config_names_is_benchmarks(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "svc"\n\n[tool.coverage.run]\nomit = ["tests/*", "benchmarks/*"]\n'
    )
    assert _service(tmp_path, pyproject, "# svc\n") == set()


def test_a_benchmarks_badge_in_the_readme_is_no_benchmark(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "svc"\n\n[tool.coverage.run]\nomit = ["tests/*"]\n'
    readme = (
        "# svc\n\n[![Benchmarks](https://img.shields.io/badge/Benchmarks-Done-blue)](bench.html)\n"
    )
    assert _service(tmp_path, pyproject, readme) == {("svc/app.py", 3)}
