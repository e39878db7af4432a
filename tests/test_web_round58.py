"""Web round 58 (issue 13): fresh46's gitingest miss. Its async `process_query`, awaited by the
ingest routes, calls plain functions of its own that walk the cloned repository, remove it with
`shutil.rmtree` and ask S3 through a boto3 client made per call, none of it in a thread: each
holds the event loop for every other request (`sync_helpers.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_ROUTES = """
from fastapi import FastAPI

from app.processor import process_query

app = FastAPI()


@app.post("/api/ingest")
async def api_ingest(url: str):
    return await process_query(url)
"""

_PROCESSOR = """
import asyncio
import shutil
from pathlib import Path

import boto3


def create_s3_client():
    return boto3.client("s3")


def digest_exists(key):
    client = create_s3_client()
    client.head_object(Bucket="digests", Key=key)
    return True


def _walk(path, out):
    for child in path.iterdir():
        if child.is_dir():
            _walk(child, out)
        else:
            out.append(child.read_text())


def ingest(path):
    out = []
    _walk(path, out)
    return "\\n".join(out)


def cleanup(path):
    if path.exists():
        shutil.rmtree(path)


def summary(text):
    return text[:100]


async def process_query(url):
    path = Path("/tmp") / url
    {body}
"""


def _app(body: str, routes: str = _ROUTES, **extra: str) -> dict[str, str]:
    processor = _PROCESSOR.replace("{body}", body)
    return {"app/__init__.py": "", "app/main.py": routes, "app/processor.py": processor, **extra}


def _found(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "blocking-io-in-async")


def test_a_plain_function_that_removes_a_tree_is_reported(tmp_path: Path) -> None:
    assert _found(tmp_path / "rmtree", _app("cleanup(path)")) == {("app/processor.py", 43)}


def test_a_walk_one_call_down_and_a_boto3_call_are_reported(tmp_path: Path) -> None:
    walk = _app("return summary(ingest(path))")
    assert _found(tmp_path / "walk", walk) == {("app/processor.py", 43)}
    s3 = _app("return digest_exists(url)")
    assert _found(tmp_path / "s3", s3) == {("app/processor.py", 43)}


def test_one_finding_per_coroutine(tmp_path: Path) -> None:
    files = _app("text = ingest(path)\n    cleanup(path)\n    return digest_exists(url)")
    assert _found(tmp_path / "once", files) == {("app/processor.py", 43)}


def test_work_handed_to_a_thread_or_doing_no_io_is_left_alone(tmp_path: Path) -> None:
    thread = _app("text = await asyncio.to_thread(ingest, path)\n    return summary(text)")
    assert _found(tmp_path / "thread", thread) == set()
    executor = _app(
        "loop = asyncio.get_running_loop()\n"
        "    return await loop.run_in_executor(None, lambda: cleanup(path))"
    )
    assert _found(tmp_path / "executor", executor) == set()
    plain = _app("return summary(url)")
    assert _found(tmp_path / "plain", plain) == set()


def test_a_coroutine_no_route_awaits_is_left_alone(tmp_path: Path) -> None:
    routes = _ROUTES.replace("return await process_query(url)", "return {'url': url}")
    files = _app(
        "cleanup(path)",
        routes,
        **{"tests/test_processor.py": "from app.processor import process_query\n"},
    )
    assert _found(tmp_path / "unrouted", files) == set()
