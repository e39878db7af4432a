"""Web round 70 (issue 13): fresh51's false alarms on tipg. A project that declares a
benchmarking or load-testing tool among its dependencies (tipg's pyproject.toml lists
pytest-benchmark for the tests/benchmarks.py its sdist leaves out) has benchmarks
(`declared_benchmarks.py`); the same service is still reported when no such tool is declared, or
when one is only named outside a requirement. A route set made only of health probes and debug
routes (tipg's /healthz, and /rawcatalog and /refresh under `if settings.debug:`) is no API to
version, and an API whose paths a published standard fixes (OGC API's /conformance beside
/collections) is versioned by that standard (`fixed_paths.py`); one route of the app's own beside
the probes, or collections with no conformance declaration, are still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_SERVICE = {
    "svc/__init__.py": "",
    "svc/main.py": """
        from fastapi import Depends, FastAPI

        from svc.auth import current_user
        from svc.store import find_item, list_items

        app = FastAPI()


        @app.get("/v1/items")
        async def items(limit: int = 10, offset: int = 0, user=Depends(current_user)):
            return await list_items(limit=limit, offset=offset)


        @app.get("/v1/items/{item_id}")
        async def item(item_id: int, user=Depends(current_user)):
            return await find_item(item_id)
        """,
    "Dockerfile": """
        FROM python:3.12
        CMD ["uvicorn", "svc.main:app"]
        """,
}


def _pyproject(test_extra: str) -> str:
    return f"""
        [project]
        name = "svc"
        version = "1.0"
        dependencies = ["fastapi", "asyncpg"]

        [project.optional-dependencies]
        test = [{test_extra}]
        """


def test_a_declared_benchmark_tool_is_benchmarks(tmp_path: Path) -> None:
    files = {**_SERVICE, "pyproject.toml": _pyproject('"pytest", "pytest-benchmark", "httpx"')}
    assert web_findings(tmp_path, files, "no-benchmarks") == set()


def test_the_declared_tool_twin_has_no_finding(tmp_path: Path) -> None:
    files = {**_SERVICE, "pyproject.toml": _pyproject('"pytest", "pytest-benchmark", "httpx"')}
    assert audit_path(write_app(tmp_path, files), roles=["performance_engineer"]) == []


def test_a_tool_declared_above_the_reviewed_package_counts(tmp_path: Path) -> None:
    files = {**_SERVICE, "requirements-dev.txt": "pytest\nlocust>=2.30\n"}
    write_app(tmp_path, files)
    found = audit_path(tmp_path / "svc", roles=["performance_engineer"])
    assert [f.rule for f in found] == []


def test_a_service_that_declares_no_tool_is_reported(tmp_path: Path) -> None:
    files = {**_SERVICE, "pyproject.toml": _pyproject('"pytest", "httpx"')}
    assert web_findings(tmp_path, files, "no-benchmarks") == {("svc/main.py", 6)}


def test_a_tool_named_outside_a_requirement_is_reported(tmp_path: Path) -> None:
    files = {
        **_SERVICE,
        "pyproject.toml": _pyproject('"pytest", "httpx"') + "# TODO: add asv or locust\n",
        "README.md": "Benchmarks: run `pytest-benchmark` someday.\n",
    }
    assert web_findings(tmp_path, files, "no-benchmarks") == {("svc/main.py", 6)}


_PROBES = """
    from fastapi import FastAPI, Request

    from svc.settings import settings
    from svc.ogc import router

    app = FastAPI()
    app.include_router(router)


    @app.get("/healthz", tags=["Health Check"])
    def ping():
        return {"ping": "pong!"}


    if settings.debug:

        @app.get("/rawcatalog", tags=["debug"])
        async def raw_catalog(request: Request):
            return request.app.state.catalog

        @app.get("/refresh")
        async def refresh(request: Request):
            return request.app.state.catalog
    """
_OWN_ROUTE = """

    @app.get("/items")
    async def items(request: Request):
        return request.app.state.items
    """


def _probes(main: str) -> dict[str, str]:
    return {
        "svc/__init__.py": "",
        "svc/main.py": main,
        "pyproject.toml": _pyproject('"pytest", "pytest-benchmark"'),
    }


def test_probes_and_debug_routes_are_no_api(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _probes(_PROBES), "api-unversioned") == set()


def test_the_probes_twin_has_no_finding(tmp_path: Path) -> None:
    found = audit_path(
        write_app(tmp_path, _probes(_PROBES)), roles=["performance_engineer", "backend_architect"]
    )
    assert found == []


def test_a_route_of_its_own_beside_the_probes_is_reported(tmp_path: Path) -> None:
    files = _probes(_PROBES + _OWN_ROUTE)
    assert web_findings(tmp_path, files, "api-unversioned") == {("svc/main.py", 6)}


def _collections(*paths: str) -> dict[str, str]:
    routes = "".join(
        f"""

        @app.get("{path}")
        async def route_{n}(request: Request):
            return request.app.state.catalog
        """
        for n, path in enumerate(paths)
    )
    main = """
        from fastapi import FastAPI, Request

        app = FastAPI()
        """
    return _probes(main + routes)


def test_the_paths_of_ogc_api_are_versioned_by_the_standard(tmp_path: Path) -> None:
    files = _collections("/", "/conformance", "/collections", "/collections/{collectionId}/items")
    assert web_findings(tmp_path, files, "api-unversioned") == set()


def test_collections_with_no_conformance_are_reported(tmp_path: Path) -> None:
    files = _collections("/", "/collections", "/collections/{collectionId}/items")
    assert web_findings(tmp_path, files, "api-unversioned") == {("svc/main.py", 3)}
