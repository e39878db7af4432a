"""Web round 60 (issue 13): fresh48's cylc-uiserver miss. Its async `Services.run_command`,
awaited by the `play` and `validate_reinstall` coroutines behind a GraphQL mutation's resolver,
starts `cylc play` with `subprocess.Popen` and then calls `proc.wait(timeout=120)` and
`proc.communicate()` on the event loop: the whole server, every user's queries and websockets,
waits for the command. Starting a process alone returns at once (ruff's ASYNC220 is dropped for
that); waiting for it in the coroutine blocks (`waited_processes.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SCHEMA = """
from functools import partial

import graphene

from app.services import Services


async def mutator(root, info, *, command, workflows=None):
    return await Services.{entry}(workflows or [], info.context["log"])


class Play(graphene.Mutation):
    class Meta:
        resolver = partial(mutator, command="play")

    ok = graphene.Boolean()
"""

_SERVICES = """
import asyncio
from subprocess import PIPE, Popen, TimeoutExpired


class Services:
    START_TIMEOUT = 120

    @classmethod
    async def run_command(cls, command, workflows, log):
        for workflow in workflows:
            {body}
        return True

    @classmethod
    async def play(cls, workflows, log):
        return await cls.run_command(["cylc", "play"], workflows, log)

    @classmethod
    async def validate_reinstall(cls, workflows, log):
        return await cls.run_command(["cylc", "validate-reinstall"], workflows, log)
"""

_WAITED = """proc = Popen([*command, workflow], stdout=PIPE, stderr=PIPE, text=True)
            try:
                code = proc.wait(timeout=cls.START_TIMEOUT)
            except TimeoutExpired:
                proc.kill()
                code = 124
            out, err = proc.communicate()
            log.info(out or err or code)"""

_FASTAPI = """
from subprocess import Popen

from fastapi import FastAPI

app = FastAPI()


@app.post("/backup")
async def backup():
    proc = Popen(["pg_dump", "--file=backup.dmp"])
    {wait}
    return {"ok": True}
"""


def _app(body: str = _WAITED, entry: str = "play") -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/schema.py": _SCHEMA.replace("{entry}", entry),
        "app/services.py": _SERVICES.replace("{body}", body),
    }


def _found(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "blocking-io-in-async")


def test_a_process_waited_for_behind_a_graphql_resolver_is_reported_once(tmp_path: Path) -> None:
    assert _found(tmp_path / "cylc", _app()) == {("app/services.py", 11)}
    reinstall = _app(entry="validate_reinstall")
    assert _found(tmp_path / "reinstall", reinstall) == {("app/services.py", 11)}


def test_the_message_names_the_waits_and_who_awaits(tmp_path: Path) -> None:
    from helpers import write_app

    from team.audit import audit_path

    found = [
        f
        for f in audit_path(write_app(tmp_path, _app()), roles=["performance_engineer"])
        if f.rule == "blocking-io-in-async"
    ]
    assert [f.line for f in found] == [11]
    assert "proc.wait() on line 13" in found[0].message
    assert "proc.communicate() on line 17" in found[0].message
    assert "awaited by play(), validate_reinstall()" in found[0].message


def test_a_route_handler_that_waits_is_reported(tmp_path: Path) -> None:
    waited = {"app/__init__.py": "", "app/main.py": _FASTAPI.replace("{wait}", "proc.wait()")}
    assert _found(tmp_path / "route", waited) == {("app/main.py", 10)}


def test_a_process_started_and_left_running_is_not_reported(tmp_path: Path) -> None:
    started = {"app/__init__.py": "", "app/main.py": _FASTAPI.replace("{wait}", "pass")}
    assert _found(tmp_path / "started", started) == set()


def test_a_wait_in_a_thread_or_an_asyncio_process_is_not_reported(tmp_path: Path) -> None:
    thread = _WAITED.replace(
        "code = proc.wait(timeout=cls.START_TIMEOUT)",
        "code = await asyncio.to_thread(proc.wait, cls.START_TIMEOUT)",
    ).replace(
        "out, err = proc.communicate()", "out, err = await asyncio.to_thread(proc.communicate)"
    )
    assert _found(tmp_path / "thread", _app(thread)) == set()
    lambdas = _WAITED.replace(
        "code = proc.wait(timeout=cls.START_TIMEOUT)",
        "code = await asyncio.get_running_loop().run_in_executor(None, lambda: proc.wait())",
    ).replace("out, err = proc.communicate()", "out, err = '', ''")
    assert _found(tmp_path / "executor", _app(lambdas)) == set()
    native = (
        "proc = await asyncio.create_subprocess_exec(*command, workflow, stdout=PIPE)\n"
        "            out, err = await proc.communicate()\n"
        "            log.info(out)"
    )
    assert _found(tmp_path / "native", _app(native)) == set()


def test_a_coroutine_no_request_reaches_is_not_reported(tmp_path: Path) -> None:
    files = _app()
    files["app/schema.py"] = files["app/schema.py"].replace(
        'resolver = partial(mutator, command="play")', "description = 'play'"
    )
    assert "resolver" not in files["app/schema.py"]
    assert _found(tmp_path / "unreached", files) == set()
