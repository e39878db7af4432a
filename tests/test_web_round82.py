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


# the review's mends (rev47): the shell is a built page the app reads, not any `dist`/`build`
# string; machine keys a route takes in the query and client packages below the top count
_KEYED_ROUTES = """
    from fastapi import APIRouter, HTTPException, Query, Request

    router = APIRouter()
    KEYS = {{"k1"}}


    @router.post("/plans")
    def apply_plan(body: dict, request: Request, {key}):
        if {read} not in KEYS:  # keys handed to CI scripts and partners
            raise HTTPException(403)
        return body
    """
_CLIENT = """
    import httpx


    class Client:
        def __init__(self, url: str) -> None:
            self.http = httpx.Client(base_url=url)

        def apply_plan(self, plan: dict) -> dict:
            return self.http.post("/api/plans", json=plan).json()
    """


def _with(tmp_path: Path, files: dict[str, str], shell: str = "client/dist/index.html"):
    main = _MAIN.format(options="", shell=shell)
    app = {"web/server/api.py": _ROUTES, "web/server/main.py": main, **files}
    return web_findings(tmp_path, app, "api-unversioned")


@pytest.mark.parametrize(
    ("key", "read"),
    [
        ("api_key: str = Query(...)", "api_key"),
        ("x: int = 0", "request.query_params.get('api_key')"),
    ],
)
def test_a_machine_key_read_from_the_query_is_an_outside_client(
    tmp_path: Path, key: str, read: str
) -> None:
    routes = _KEYED_ROUTES.format(key=key, read=read)
    assert _with(tmp_path, {"web/server/api.py": routes}) == {("web/server/main.py", 12)}


def test_a_key_a_plain_function_takes_for_a_service_it_calls_is_no_client(
    tmp_path: Path,
) -> None:
    tracer = (
        "class Tracer:\n    def __init__(self, api_key: str) -> None:\n        self.k = api_key\n"
    )
    assert _with(tmp_path, {"web/server/tracing.py": tracer}) == set()


@pytest.mark.parametrize("client", ["web/client.py", "web/client/__init__.py", "web_client/api.py"])
def test_a_client_package_below_the_top_is_an_outside_client(tmp_path: Path, client: str) -> None:
    assert _with(tmp_path, {client: _CLIENT}) == {("web/server/main.py", 12)}


def test_clients_of_other_services_are_no_client_of_the_api(tmp_path: Path) -> None:
    s3 = "import boto3\n\n\ndef bucket():\n    return boto3.client('s3')\n"
    assert _with(tmp_path, {"web/server/storage_clients/s3.py": s3}) == set()


_EXPORT = """
    import pathlib


    def export_report(rows: list[str], out: pathlib.Path) -> None:
        with open(out / "build/index.html", "w") as f:
            f.write("".join(rows))
    """
_JINJA_HOME = """
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from jinja2 import Environment, PackageLoader

    app = FastAPI()
    env = Environment(loader=PackageLoader("ci"))


    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        return env.get_template("index.html").render()


    @app.post("/api/build/{job_id}")
    def trigger(job_id: int) -> dict:
        return {"queued": job_id}
    """


def test_a_page_the_code_writes_into_build_is_no_served_shell(tmp_path: Path) -> None:
    app = "from fastapi import FastAPI\n\nfrom web.server.api import router\n\napp = FastAPI()\n"
    app += 'app.include_router(router, prefix="/api")\n'
    files = {"web/server/api.py": _ROUTES, "web/server/main.py": app, "web/export.py": _EXPORT}
    assert web_findings(tmp_path, files, "api-unversioned") == {("web/server/main.py", 5)}


def test_a_build_route_beside_a_server_rendered_home_is_no_built_shell(tmp_path: Path) -> None:
    files = {"ci/__init__.py": "", "ci/app.py": _JINJA_HOME}
    assert web_findings(tmp_path, files, "api-unversioned") == {("ci/app.py", 5)}


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


@pytest.mark.parametrize(
    "comment",
    [
        "# TODO: add tests/load_tests for the queue before raising WORKERS",  # a wish
        "# there is no tests/load_tests yet: 4 workers is a guess",  # a denial
        "# copied from https://github.com/ray-project/ray/tree/master/release/load_tests/README",
    ],
)
def test_a_wish_a_denial_or_another_projects_folder_cites_no_load_tests(
    tmp_path: Path, comment: str
) -> None:
    assert _no_benchmarks(tmp_path, comment) == {("server/app.py", 3)}


def test_a_load_test_file_the_code_points_to_is_a_benchmark(tmp_path: Path) -> None:
    comment = "# tests/load_tests/test_queue_dispatcher.py for more details."
    assert _no_benchmarks(tmp_path, comment) == set()
