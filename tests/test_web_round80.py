"""Web round 78 (issue 13): fresh54's false alarms, removed.
An aiohttp middleware that, on the login redirect, reads the OAuth2 client id and secret from the
files the deployment names in the environment (kube-web-view's `open(os.getenv(
"OAUTH2_CLIENT_ID_FILE")).read().strip()`, a mounted secret) reads a few bytes of configuration
through the page cache (`config_files.py`); the same read of a file a request names, or under a
file lock, is still reported.
A column-lineage endpoint that, for a table it knows nothing of, records a node whose display
fields read `f"SELECT {column} FROM {model_name}"` on a pydantic model of its own returned as
JSON (sqlmesh's UI back end) runs no SQL (`unexecuted_sql.py`); the same text handed to the
engine, or a field of the record that another module executes, is still reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import web_findings

# kube-web-view's OAuth2 login: the client's credentials from files the environment names
_LOGIN = """
    import os

    from aiohttp import web


    async def get_oauth2_client():
        client_id = os.getenv("OAUTH2_CLIENT_ID")
        client_secret = os.getenv("OAUTH2_CLIENT_SECRET")
        client_id_file = os.getenv("OAUTH2_CLIENT_ID_FILE")
        if client_id_file:
            client_id = open(client_id_file).read().strip()
        client_secret_file = os.environ.get("OAUTH2_CLIENT_SECRET_FILE")
        if client_secret_file:
            client_secret = open(client_secret_file).read().strip()
        return client_id, client_secret


    @web.middleware
    async def auth(request, handler):
        session = request.get("session") or {}
        if not session.get("access_token"):
            client = await get_oauth2_client()
            raise web.HTTPFound(location=f"/authorize?client_id={client[0]}")
        return await handler(request)
    """


def _app(code: str) -> dict[str, str]:
    return {"kube/__init__.py": "", "kube/web.py": code}


def test_secret_files_the_environment_names_are_not_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _app(_LOGIN), "blocking-io-in-async") == set()


_READ_SECRET = (
    "        if client_secret_file:\n"
    "            client_secret = open(client_secret_file).read().strip()\n"
)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        pytest.param(  # a path from the request, not from the deployment
            'client_id_file = os.getenv("OAUTH2_CLIENT_ID_FILE")',
            'client_id_file = request.query["file"]',
            11,
            id="a file the request names",
        ),
        pytest.param(  # the deployment's directory, the request's file name
            'client_id_file = os.getenv("OAUTH2_CLIENT_ID_FILE")',
            'client_id_file = os.path.join(os.getenv("DATA_DIR"), request.query["file"])',
            11,
            id="a file the request names in the environment's directory",
        ),
        pytest.param(
            _READ_SECRET,
            '        with FileLock(f"{client_secret_file}.lock", timeout=2):\n'
            "            client_secret = open(client_secret_file).read().strip()\n",
            14,
            id="read under a file lock",
        ),
        pytest.param(
            _READ_SECRET,
            '        with open(client_secret_file, "wb") as f:\n'
            "            async for chunk in client_secret.iter_chunked(1024):\n"
            "                f.write(chunk)\n",
            13,
            id="written from a stream",
        ),
    ],
)
def test_other_reads_and_writes_are_reported(tmp_path: Path, old: str, new: str, line: int) -> None:
    code = _LOGIN.replace("get_oauth2_client():", "get_oauth2_client(request):", 1)
    assert old in code
    found = web_findings(tmp_path, _app(code.replace(old, new)), "blocking-io-in-async")
    assert found == {("kube/web.py", line)}


# a WSGI-style callable: its `environ` is the request's, not the process environment
_WSGI = """
    from aiohttp import web


    async def page(environ, send):
        path = environ.get("PATH_INFO")
        body = open(path).read()
        return body
    """


def test_a_path_from_a_callables_environ_is_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, _app(_WSGI), "blocking-io-in-async")
    assert found == {("kube/web.py", 6)}


def test_the_environment_imported_from_os_is_configuration(tmp_path: Path) -> None:
    code = _WSGI.replace(
        "from aiohttp import web", "from os import environ\n\n    from aiohttp import web"
    )
    code = code.replace("page(environ, send)", "page(request, send)")
    assert web_findings(tmp_path, _app(code), "blocking-io-in-async") == set()


# sqlmesh's UI back end: a lineage node's display fields for an external table
_LINEAGE = {
    "ui/__init__.py": "",
    "ui/models.py": """
    from pydantic import BaseModel


    class LineageColumn(BaseModel):
        source: str | None = None
        expression: str | None = None
        models: dict[str, set[str]]
    """,
    "ui/lineage.py": """
    from fastapi import APIRouter

    from ui.models import LineageColumn

    router = APIRouter()


    def adjacency(model_name: str, column_name: str, context) -> dict:
        graph = {}
        if not context.get_model(model_name):
            graph[model_name] = LineageColumn(
                expression=f"FROM {model_name}",
                source=f"SELECT {column_name} FROM {model_name}",
                models={},
            )
        return graph


    @router.get("/{model_name}/{column_name}")
    def column_lineage(model_name: str, column_name: str, context=None) -> dict:
        return adjacency(model_name, column_name, context)
    """,
}


def test_a_display_label_on_a_record_is_not_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _LINEAGE, "sql-string-built") == set()


def test_the_same_text_handed_to_the_engine_is_reported(tmp_path: Path) -> None:
    files = dict(_LINEAGE)
    files["ui/lineage.py"] = (
        files["ui/lineage.py"]
        .replace("graph[model_name] = LineageColumn(", "graph[model_name] = context.fetchdf(", 1)
        .replace('expression=f"FROM {model_name}",', "")
        .replace("models={},", "")
    )
    assert web_findings(tmp_path, files, "sql-string-built") == {("ui/lineage.py", 13)}


@pytest.mark.parametrize(
    "preview",
    [
        pytest.param("return context.fetchdf(column.source)", id="fetchdf of the field"),
        pytest.param(  # a helper of the repository runs what it is handed
            "return run(context, column.source)\n\n\ndef run(c, q):\n    return c.fetchdf(q)",
            id="a helper that runs it",
        ),
        pytest.param('return context.fetchdf(column["source"])', id="a TypedDict's key"),
        pytest.param('return context.scalar(getattr(column, "source"))', id="getattr, scalar"),
        pytest.param("return context.exec(column.source)", id="SQLModel's session.exec"),
    ],
)
def test_a_field_another_module_executes_is_reported(tmp_path: Path, preview: str) -> None:
    files = dict(_LINEAGE)
    files["ui/preview.py"] = f"def preview(context, column):\n    {preview}\n"
    assert web_findings(tmp_path, files, "sql-string-built") == {("ui/lineage.py", 13)}
