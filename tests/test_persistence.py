"""Conversations outlive the server: SQLite across a SIGKILL, PostgreSQL across processes.

The PostgreSQL tests need ``TEAM_TEST_POSTGRES`` (``.ci/run`` starts a server with
``.ci/postgres.sh`` and exports it).
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from openai import OpenAI
from services import Service, child_env, free_port

from team.errors import TeamError

POSTGRES = os.environ.get("TEAM_TEST_POSTGRES")
needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="TEAM_TEST_POSTGRES is unset (run .ci/postgres.sh and export its URL)"
)
CHURN = "Train a churn model on last year's customers"
FOLLOW_UP = "ok, what would you do next?"


def serve_command(checkpoint: str | None = None, graph: Path | None = None) -> list[str]:
    """``team serve`` as a Python one-liner (``{port}`` is filled in by ``ServerProcess``)."""
    args = "port={port}" + (f", checkpoint={checkpoint!r}" if checkpoint else "")
    args += f", graph={str(graph)!r}" if graph else ""
    return [sys.executable, "-c", f"from team.serve import serve; serve({args})"]


class ServerProcess(Service):
    """``team serve`` in a child process on a free port; ``with`` waits for ``/healthz``."""

    def ask(self, text: str, thread: str, model: str = "teamgraph") -> dict[str, Any]:
        client = OpenAI(base_url=f"{self.url}/v1", api_key="x", max_retries=0, timeout=60)
        reply = client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": text}],
            extra_headers={"X-Thread-Id": thread},
        )
        return reply.model_extra["teamgraph"]


def test_sqlite_thread_survives_a_killed_server(tmp_path: Path) -> None:
    env = child_env(TEAM_HOME=str(tmp_path))  # the default store: TEAM_HOME/threads.sqlite
    thread = f"kill-{uuid.uuid4().hex}"
    with ServerProcess(serve_command(), env=env) as first:
        assert first.ask(CHURN, thread)["role"] == "ml_engineer"
        first.kill()  # SIGKILL: no shutdown, no flush
    assert first.process.returncode == -signal.SIGKILL
    assert (tmp_path / "threads.sqlite").is_file()
    with ServerProcess(serve_command(), env=env) as second:
        again = second.ask(FOLLOW_UP, thread)
        assert (again["role"], again["roles"]) == ("ml_engineer", ["ml_engineer"])
        # Without turn 1 the same follow-up goes to the fallback role: memory, not luck.
        assert second.ask(FOLLOW_UP, f"fresh-{uuid.uuid4().hex}")["role"] == "pm"


def test_sqlite_file_given_by_path(tmp_path: Path) -> None:
    store = tmp_path / "elsewhere" / "threads.sqlite"
    thread = f"path-{uuid.uuid4().hex}"
    with ServerProcess(serve_command(str(store)), env=child_env()) as first:
        assert first.ask("Our nightly Airflow DAG keeps failing", thread)["role"] == "data_engineer"
    with ServerProcess(serve_command(f"sqlite://{store}"), env=child_env()) as second:
        assert second.ask(FOLLOW_UP, thread)["role"] == "data_engineer"


@needs_postgres
def test_postgres_two_servers_share_one_thread() -> None:
    thread = f"pg-{uuid.uuid4().hex}"
    command = serve_command(POSTGRES)
    # Both start at once: their schema set-up must not collide.
    a, b = ServerProcess(command, env=child_env()), ServerProcess(command, env=child_env())
    with a, b:
        assert a.port != b.port
        assert a.ask(CHURN, thread)["role"] == "ml_engineer"
        assert b.ask(FOLLOW_UP, thread)["roles"] == ["ml_engineer"]
        # B gives the work to the data engineer; A, then a server started later, continue there.
        moved = b.ask("Our nightly Airflow DAG keeps failing", thread)
        assert moved["role"] == "data_engineer"
        assert a.ask(FOLLOW_UP, thread)["roles"][0] == "data_engineer"
        a.kill()
    with ServerProcess(command, env=child_env()) as c:
        assert c.ask(FOLLOW_UP, thread)["roles"][0] == "data_engineer"


@needs_postgres
def test_postgres_approval_paused_on_one_server_resumes_on_another(tmp_path: Path) -> None:
    from team.topology import packaged_path

    topology = (packaged_path("graphs") / "default.yaml").read_text(encoding="utf-8")
    graph = tmp_path / "approval.yaml"
    graph.write_text(topology + "approval: [backend_architect]\n", encoding="utf-8")
    thread = f"pg-approval-{uuid.uuid4().hex}"
    command = serve_command(POSTGRES, graph)
    with ServerProcess(command, env=child_env()) as a, ServerProcess(command, env=child_env()) as b:
        paused = a.ask("Train a churn model and expose it behind a REST API", thread)
        assert (paused["outcome"], paused["pending"]["target"]) == ("pending", "backend_architect")
        done = b.ask("/approve go ahead", thread)
        assert (done["outcome"], done["role"]) == ("done", "backend_architect")


def test_unreachable_postgres_is_one_line_without_the_password() -> None:
    from team.serve import serve

    url = f"postgresql://team:hunter2@127.0.0.1:{free_port()}/team"
    with pytest.raises(TeamError) as caught:
        serve(port=free_port(), checkpoint=url)
    message = str(caught.value)
    assert message.startswith(
        "cannot open the PostgreSQL conversation store postgresql://team:***@127.0.0.1:"
    )
    assert "hunter2" not in message and "\n" not in message


def test_unknown_checkpoint_scheme() -> None:
    from team.serve import serve

    with pytest.raises(TeamError, match="unknown checkpoint URL scheme 'redis'"):
        serve(port=free_port(), checkpoint="redis://127.0.0.1/0")
