"""Servers the client tests start on 127.0.0.1: ``team serve``, ``langgraph dev``, Open WebUI.

Each runs as a child process on a port picked here (never 2024, ``langgraph dev``'s default, which
may be in use), logs to a file, and is ready when its health URL answers 200: readiness is
polled, never slept on. Leaving the ``with`` block kills the process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("TEAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TAKEN = {2024}  # langgraph dev's default port: another server may hold it
_handed_out: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on now and not handed out before in this process."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in TAKEN and port not in _handed_out:
            _handed_out.add(port)
            return port


def wait_until(ready: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll ``ready`` until it holds; ``TimeoutError`` naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not ready after {seconds:.0f} s")
        time.sleep(0.05)


@contextlib.contextmanager
def running(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread, on a socket bound here; yield its URL."""
    import uvicorn

    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started or not thread.is_alive(), seconds=30, what="uvicorn")
        assert server.started, "uvicorn failed to start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a server, without an API token, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "TEAM_API_TOKEN"}
    return {**env, **extra}


def require(missing: str | None) -> None:
    """Skip a test whose pieces are missing on a workstation; fail it in CI (``CI`` set)."""
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have this: {missing}")
    pytest.skip(missing)


class Service:
    """A server in a child process on a free port; ``with`` waits until ``ready`` answers 200.

    ``{port}`` in the command is replaced by the port. The process gets a session of its own so
    that stopping it also stops the workers it started.
    """

    def __init__(
        self,
        command: list[str],
        *,
        ready: str = "/healthz",
        env: dict[str, str] | None = None,
        cwd: str | Path | None = None,
        seconds: float = 60,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.ready, self.env, self.cwd, self.seconds = ready, env, cwd, seconds
        # A file, not a pipe: it never fills up; closed in __exit__.
        self._log = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def log(self) -> str:
        """What the server printed so far."""
        self._log.seek(0)
        return self._log.read()

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.command[0]} exited: {self.log()[-4000:]}")
        try:
            return httpx.get(self.url + self.ready, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def __enter__(self) -> Service:
        try:
            wait_until(self._answers, seconds=self.seconds, what=" ".join(self.command[:2]))
        except BaseException:
            self.__exit__()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL the server and its session: no shutdown, no flush."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def __exit__(self, *exc: object) -> None:
        self.kill()
        self._log.close()


def team_command() -> str:
    """The ``team`` console script of this venv."""
    return shutil.which("team", path=str(BIN)) or "team"


def team_serve(*args: str, env: dict[str, str] | None = None) -> Service:
    """``team serve`` on a free port (threads in memory unless ``args`` say otherwise)."""
    options = list(args) if "--checkpoint" in args else ["--checkpoint", "memory", *args]
    return Service([team_command(), "serve", "--port", "{port}", *options], env=env or child_env())


def langgraph_dev(workdir: Path, *, env: dict[str, str] | None = None) -> Service:
    """``langgraph dev`` serving the repository's ``langgraph.json`` from a copy in ``workdir``.

    The server writes ``.langgraph_api/`` into its working folder: the copy keeps it out of the
    checkout. The copy holds the config and a link to the ``team`` package the config names.
    """
    shutil.copy(ROOT / "langgraph.json", workdir / "langgraph.json")
    link = workdir / "team"
    if not link.exists():
        link.symlink_to(ROOT / "team", target_is_directory=True)
    command = [
        str(BIN / "langgraph"),
        "dev",
        "--no-browser",
        "--no-reload",
        "--port",
        "{port}",
        "--host",
        "127.0.0.1",
    ]
    quiet = {"LANGSMITH_TRACING": "false", "LANGGRAPH_CLI_NO_ANALYTICS": "1"}
    return Service(command, ready="/ok", env={**(env or child_env()), **quiet}, cwd=workdir)


def open_webui_command() -> str | None:
    """Open WebUI's ``open-webui`` command: ``TEAM_OPENWEBUI`` (``.ci/openwebui.sh`` prints it)."""
    given = os.environ.get("TEAM_OPENWEBUI")
    return given if given and Path(given).is_file() else None


def open_webui(command: str, data: Path, api_url: str) -> Service:
    """Open WebUI with one OpenAI-compatible connection, ``api_url``, and nothing else.

    No login (a fresh data folder, ``WEBUI_AUTH=False``), no Ollama, nothing fetched from the
    internet (offline mode; no embedding model is loaded).
    """
    env = child_env(
        DATA_DIR=str(data),
        WEBUI_AUTH="False",
        WEBUI_SECRET_KEY="teamgraph-tests",
        ENABLE_OLLAMA_API="False",
        ENABLE_OPENAI_API="True",
        OPENAI_API_BASE_URL=api_url,
        OPENAI_API_KEY="unused",
        DEFAULT_MODELS="teamgraph",
        OFFLINE_MODE="true",
        HF_HUB_OFFLINE="1",
        RAG_EMBEDDING_ENGINE="openai",
        ENABLE_VERSION_UPDATE_CHECK="false",
        ANONYMIZED_TELEMETRY="false",
        DO_NOT_TRACK="true",
        SCARF_NO_ANALYTICS="true",
    )
    command = [command, "serve", "--host", "127.0.0.1", "--port", "{port}"]
    return Service(command, ready="/health", env=env, cwd=data, seconds=240)
