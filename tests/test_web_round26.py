"""Web review round 26: kinds of false alarm that recurred on real apps, each with a small app
that must still be reported and one that must stay silent."""

from __future__ import annotations

import doctest
from pathlib import Path

from helpers import web_findings

from team.audit import off_the_loop

_CONVERSATIONS = """
from fastapi import APIRouter, Depends

from myapp.users import get_user_context
{deps}

router = APIRouter(prefix="/conversations", dependencies=get_dependencies())


@router.get("/search")
async def search(user=Depends(get_user_context)):
    return await user.search()


@router.post("")
async def start(body: dict, user=Depends(get_user_context)):
    return await user.start(body)


@router.delete("/{{cid}}")
async def delete(cid: str, user=Depends(get_user_context)):
    return await user.delete(cid)


@router.patch("/{{cid}}")
async def update(cid: str, body: dict, service=Depends(conversation_service)):
    return await service.update(cid, body)
"""

_LOCAL_DEPENDENCIES = """

def get_dependencies():
    return [Depends(log_request)]
"""


def test_a_router_given_dependencies_by_an_imported_call_guards_all_its_routes(
    tmp_path: Path,
) -> None:
    imported = web_findings(
        tmp_path / "imported",
        {"router.py": _CONVERSATIONS.format(deps="from myapp.deps import get_dependencies")},
        "endpoint-no-auth",
    )
    local = web_findings(
        tmp_path / "local",
        {"router.py": _CONVERSATIONS.format(deps=_LOCAL_DEPENDENCIES)},
        "endpoint-no-auth",
    )
    assert (imported, local) == (set(), {("router.py", 29)})


_TRANSCRIBE = """
from fastapi import APIRouter, UploadFile

from myapp.speech import transcribe_audio

router = APIRouter()


@router.post("/transcribe")
async def transcribe(file: UploadFile):
    audio_file = open(file.filename, "rb")
    {use}
    audio_file.close()
    return {{"text": text}}
"""


def test_a_file_opened_only_to_be_handed_to_an_awaited_coroutine_does_not_block(
    tmp_path: Path,
) -> None:
    handed = web_findings(
        tmp_path / "handed",
        {"api.py": _TRANSCRIBE.format(use="text = await transcribe_audio(audio_file)")},
        "blocking-io-in-async",
    )
    read_here = web_findings(
        tmp_path / "read",
        {"api.py": _TRANSCRIBE.format(use="text = audio_file.read().decode()")},
        "blocking-io-in-async",
    )
    assert (handed, read_here) == (set(), {("api.py", 10)})


_FRONTEND = """
import json


async def build_frontend(app_path, params):
    with open(app_path / "ui.json", "w") as out:
        out.write(json.dumps(params))
    return True
"""

_MAIN = """
import asyncio

from fastapi import FastAPI

from myapp.frontend import build_frontend

app = FastAPI()


async def build_ui():
    return await build_frontend(APP_PATH, PARAMS)


def on_starting(server):
    asyncio.run(build_ui())
"""

_ROUTE = """

@app.post("/rebuild")
async def rebuild():
    return await build_ui()
"""


def test_a_build_that_only_start_up_and_the_cli_run_blocks_no_request(tmp_path: Path) -> None:
    cli = "from myapp.frontend import build_frontend\n\n\ndef build():\n    build_frontend(P, Q)\n"
    before = web_findings(
        tmp_path / "before",
        {"frontend.py": _FRONTEND, "main.py": _MAIN, "cli/util.py": cli},
        "blocking-io-in-async",
    )
    on_request = web_findings(
        tmp_path / "request",
        {"frontend.py": _FRONTEND, "main.py": _MAIN + _ROUTE, "cli/util.py": cli},
        "blocking-io-in-async",
    )
    assert (before, on_request) == (set(), {("frontend.py", 5)})


def test_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(off_the_loop)
    assert failures == 0 and tried > 0


_STREAM = """
class Stream:
    async def resume(self):
        self.file = open(self.filename, "rb")
        self.file.seek(self.seekpos)
        {more}
"""


def test_a_handle_kept_on_the_object_and_only_positioned_does_not_block(tmp_path: Path) -> None:
    kept = web_findings(
        tmp_path / "kept", {"stream.py": _STREAM.format(more="")}, "blocking-io-in-async"
    )
    read = web_findings(
        tmp_path / "read",
        {"stream.py": _STREAM.format(more="return self.file.read(self.piece)")},
        "blocking-io-in-async",
    )
    assert (kept, read) == (set(), {("stream.py", 3)})
