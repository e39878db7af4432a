"""Web round 80 (issue 13): false api-unversioned and no-benchmarks findings of spent corpora.

An API whose server also answers with the page shell of the app's own built front end
(SQLMesh's UI server: `open(WEB / "client/dist/index.html")` for every other path) and that shows
no client outside that release is the private back end of that page: client and server ship
together, so a version in the path protects no one (`bundled_ui.py`). The same app that checks a
header API key, or publishes its docs on purpose (`docs_url=`), has outside clients and stays
reported.

A service whose code points to the repository's load tests by their path (SkyPilot's API server:
"see `tests/load_tests` for details") has load tests, though its sdist leaves them out
(`declared_benchmarks.cites_load_tests`); a comment that only wishes for one is no load test."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import web_findings

_ROUTES = """
    from fastapi import APIRouter

    router = APIRouter()


    @router.post("/plans")
    def apply_plan(body: dict):
        return body
    """

_MAIN = """
    import pathlib

    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    from web.server.api import router

    WEB = pathlib.Path(__file__).parent.parent


    def create_app() -> FastAPI:
        app = FastAPI({options})
        app.include_router(router, prefix="/api")

        @app.get("/{{full_path:path}}")
        async def index(full_path: str = "") -> HTMLResponse:
            with open(WEB / "{shell}") as f:
                return HTMLResponse(f.read())

        return app
    """


def _unversioned(tmp_path: Path, *, options: str = "", shell: str = "client/dist/index.html"):
    files = {
        "web/server/api.py": _ROUTES,
        "web/server/main.py": _MAIN.format(options=options, shell=shell),
    }
    return web_findings(tmp_path, files, "api-unversioned")


def test_the_private_api_of_the_bundled_front_end_is_not_reported(tmp_path: Path) -> None:
    assert _unversioned(tmp_path) == set()


@pytest.mark.parametrize(
    ("options", "shell"),
    [
        ("", "pages/index.html"),  # a page of its own, no built front end
        ('docs_url="/api/docs"', "client/dist/index.html"),  # docs published for others
        ("dependencies=[Depends(APIKeyHeader(name='X-API-Key'))]", "client/dist/index.html"),
    ],
)
def test_an_api_with_signs_of_outside_clients_is_reported(
    tmp_path: Path, options: str, shell: str
) -> None:
    assert _unversioned(tmp_path, options=options, shell=shell) == {("web/server/main.py", 12)}


_QUEUE = """
    from fastapi import FastAPI

    app = FastAPI()
    {comment}
    WORKERS = 4


    @app.post("/v1/requests")
    async def submit(body: dict):
        return {{"queued": WORKERS}}
    """


def _no_benchmarks(tmp_path: Path, comment: str):
    files = {
        "server/__init__.py": "",
        "server/app.py": _QUEUE.format(comment=comment),
        "Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "server.app:app"]\n',
    }
    return web_findings(tmp_path, files, "no-benchmarks")


def test_load_tests_the_code_points_to_are_benchmarks(tmp_path: Path) -> None:
    comment = "# workers sized by the queue's load; see `tests/load_tests` for details"
    assert _no_benchmarks(tmp_path, comment) == set()


@pytest.mark.parametrize(
    "comment",
    [
        "# TODO: load tests would tell how many workers",
        "WORKLOAD = 'tests/load_tests'  # a string, not a comment that points to them",
    ],
)
def test_a_comment_without_a_load_test_path_is_reported(tmp_path: Path, comment: str) -> None:
    assert _no_benchmarks(tmp_path, comment) == {("server/app.py", 3)}
