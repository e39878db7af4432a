"""``team mcp``: the team served over MCP, driven with the official MCP client of the same SDK."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import yaml
from helpers import ROOT
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import McpError
from mcp.shared.memory import create_connected_server_and_client_session
from typer.testing import CliRunner

from team.cli import app
from team.engine import Engine
from team.errors import TeamError
from team.home import sqlite_checkpointer
from team.mcp.server import create_server, review_findings, route_decision
from team.testing import ScriptedModel, reply

CHURN_AND_API = "Train a churn model and expose it behind a REST API"
PIPELINE = "Set up a CI/CD pipeline with GitHub Actions"
TOOLS = {"ask", "route", "review", "approve", "reject"}


TEAM = str(Path(sys.executable).parent / "team")


def team_command(*args: str) -> list[str]:
    return [TEAM, "mcp", *args]


@asynccontextmanager
async def stdio_session(*args: str):
    params = StdioServerParameters(
        command=TEAM, args=team_command(*args)[1:], env=dict(os.environ), cwd=ROOT
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def ask(
    session: ClientSession, request: str, **args: Any
) -> tuple[dict[str, Any], str, list]:
    """Call ``ask``; return its structured reply, its text and the progress messages."""
    progress: list[str | None] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(message)

    result = await session.call_tool(
        "ask", {"request": request, **args}, progress_callback=on_progress
    )
    assert not result.isError, result.content
    return result.structuredContent, result.content[0].text, progress


# -- stdio: one server process for the listing and two turns on one thread ----------------------


@pytest.fixture(scope="module")
def stdio_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = tmp_path_factory.mktemp("mcp") / "threads.sqlite"

    async def go() -> dict[str, Any]:
        found: dict[str, Any] = {}
        async with stdio_session("--checkpoint", str(store)) as session:
            found["tools"] = (await session.list_tools()).tools
            found["resources"] = [str(r.uri) for r in (await session.list_resources()).resources]
            templates = (await session.list_resource_templates()).resourceTemplates
            found["templates"] = [t.uriTemplate for t in templates]
            found["graph"] = (await session.read_resource("team://graph")).contents[0].text
            found["pm_card"] = (await session.read_resource("team://cards/pm")).contents[0].text
            first = await ask(session, CHURN_AND_API)
            thread = first[0]["thread_id"]
            second = await ask(session, PIPELINE, thread_id=thread)
            found["turns"] = [first, second]
            uri = f"team://threads/{thread}"
            found["transcript"] = (await session.read_resource(uri)).contents[0].text
        found["store"] = store
        return found

    return anyio.run(go)


def test_stdio_lists_the_tools_and_resources(stdio_run, default_team):
    tools = {tool.name: tool for tool in stdio_run["tools"]}
    assert set(tools) == TOOLS
    assert set(tools["ask"].inputSchema["properties"]) == {"request", "repo", "thread_id"}
    assert tools["ask"].inputSchema["required"] == ["request"]
    cards = [f"team://cards/{role}" for role in default_team.roles]
    assert stdio_run["resources"] == [*cards, "team://graph"]
    assert stdio_run["templates"] == ["team://threads/{thread_id}"]
    assert stdio_run["graph"] == default_team.to_mermaid()
    assert stdio_run["pm_card"] == default_team.cards["pm"].text


def test_ask_returns_who_spoke_the_handoffs_and_the_outcome(stdio_run):
    reply_, text, progress = stdio_run["turns"][0]
    assert [part["role"] for part in reply_["spoke"]] == ["ml_engineer", "backend_architect"]
    assert reply_["spoke"][0]["text"].startswith("## ML Engineer: deliverable")
    (handoff,) = reply_["handoffs"]
    assert (handoff["source"], handoff["target"]) == ("ml_engineer", "backend_architect")
    assert handoff["criterion"].startswith("a model serving API must be designed")
    assert '"expose it behind a REST API"' in handoff["reason"]
    assert reply_["outcome"] == "done"
    assert text.startswith("## ML Engineer (ml_engineer)\n## ML Engineer: deliverable")
    assert "-> handoff ml_engineer -> backend_architect\n   criterion: a model serving API" in text
    assert text.endswith(f"outcome: done  (thread {reply_['thread_id']})")
    # One progress notification per event: triage, each role taking over, the handoff, the end.
    assert progress[0].startswith("triage: ml_engineer")
    assert progress[1:] == [
        "ML Engineer takes the work",
        "ML Engineer wrote its part",
        f"ML Engineer hands off to Backend Architect: {handoff['reason']}",
        "Backend Architect takes the work",
        "Backend Architect wrote its part",
        "turn done",
    ]


def test_second_turn_on_the_thread_continues_the_conversation(stdio_run):
    first, second = (turn[0] for turn in stdio_run["turns"])
    assert second["thread_id"] == first["thread_id"]
    assert second["outcome"] == "done"
    assert second["spoke"][0]["role"] == "devops_engineer"
    assert f"**Request:** {PIPELINE}" in second["spoke"][0]["text"]
    transcript = stdio_run["transcript"]
    assert transcript.index(f"### user\n{CHURN_AND_API}") < transcript.index(
        f"### user\n{PIPELINE}"
    )
    assert "-> handoff ml_engineer -> backend_architect: The request asks" in transcript


def test_second_turn_reply_holds_only_the_second_turns_work(stdio_run):
    second, text, _ = stdio_run["turns"][1]
    assert [p["role"] for p in second["spoke"]] == ["devops_engineer"] and CHURN_AND_API not in text


def test_threads_persist_in_the_conversation_store(stdio_run, default_team):
    thread = stdio_run["turns"][0][0]["thread_id"]
    with sqlite_checkpointer(stdio_run["store"]) as saver:
        state = Engine(default_team, checkpointer=saver).graph.get_state(
            {"configurable": {"thread_id": thread}}
        )
    humans = [m.content for m in state.values["messages"] if m.type == "human"]
    assert humans == [CHURN_AND_API, PIPELINE]


# -- streamable HTTP on 127.0.0.1, behind a bearer token -----------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "TEAM_API_TOKEN": "s3cret-token"}
    process = subprocess.Popen(
        team_command("--http", "--port", str(port)),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = process.stderr.readline()  # the server says where it listens once it does
        assert ready.startswith(f"team mcp: http://127.0.0.1:{port}/mcp "), ready
        assert "auth: on" in ready
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(30)


def test_http_wants_the_bearer_token(http_server):
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    answer = httpx.post(http_server, json=body, headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    wrong = httpx.post(http_server, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_http_lists_tools_and_asks_with_progress(http_server, default_team):
    async def go():
        headers = {"Authorization": "Bearer s3cret-token"}
        async with (
            httpx.AsyncClient(headers=headers, timeout=60) as client,
            streamable_http_client(http_server, http_client=client) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            tools = {tool.name for tool in (await session.list_tools()).tools}
            resources = [str(r.uri) for r in (await session.list_resources()).resources]
            turn = await ask(session, "Profile why p99 latency doubled", thread_id="http-1")
            return tools, resources, turn

    tools, resources, (reply_, text, progress) = anyio.run(go)
    assert tools == TOOLS
    assert "team://graph" in resources
    assert (reply_["thread_id"], reply_["outcome"]) == ("http-1", "done")
    assert [part["role"] for part in reply_["spoke"]] == ["performance_engineer"]
    assert text.startswith("## Performance Engineer (performance_engineer)\n")
    assert progress[1:] == [
        "Performance Engineer takes the work",
        "Performance Engineer wrote its part",
        "turn done",
    ]
    # The default store: TEAM_HOME/threads.sqlite, where team serve and team chat keep threads.
    with sqlite_checkpointer() as saver:
        state = Engine(default_team, checkpointer=saver).graph.get_state(
            {"configurable": {"thread_id": "http-1"}}
        )
    assert state.values["visited"] == ["performance_engineer"]


def test_http_beyond_loopback_needs_a_token(monkeypatch):
    monkeypatch.delenv("TEAM_API_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["mcp", "--http", "--host", "0.0.0.0", "--port", "9"])
    assert result.exit_code == 2
    assert result.output == (
        "error: refusing to listen on 0.0.0.0 without TEAM_API_TOKEN: set it, "
        "or use --host 127.0.0.1\n"
    )


# -- approval over stdio --------------------------------------------------------------------------


def test_approve_a_pending_handoff(tmp_path):
    topology = yaml.safe_load((ROOT / "graphs" / "default.yaml").read_text())
    topology["approval"] = ["backend_architect"]
    graph = tmp_path / "approval.yaml"
    graph.write_text(yaml.safe_dump(topology))

    async def go():
        async with stdio_session("--graph", str(graph), "--checkpoint", "memory") as session:
            paused, text, _ = await ask(session, CHURN_AND_API)
            thread = paused["thread_id"]
            blocked = await session.call_tool("ask", {"request": "go on", "thread_id": thread})
            progress: list[str | None] = []

            async def on_progress(value, total, message):
                progress.append(message)

            approved = await session.call_tool(
                "approve", {"thread_id": thread, "note": "ok"}, progress_callback=on_progress
            )
            again = await session.call_tool("reject", {"thread_id": thread})
            return paused, text, blocked, approved, progress, again

    paused, text, blocked, approved, progress, again = anyio.run(go)
    assert paused["outcome"] == "pending"
    assert paused["pending"]["target"] == "backend_architect"
    assert [part["role"] for part in paused["spoke"]] == ["ml_engineer"]
    assert "waiting for approval: ml_engineer -> backend_architect" in text
    assert blocked.isError
    assert "waits for approval of ml_engineer -> backend_architect" in blocked.content[0].text
    assert not approved.isError
    done = approved.structuredContent
    assert done["outcome"] == "done"
    assert done["spoke"][-1]["role"] == "backend_architect"
    assert [(h["source"], h["target"]) for h in done["handoffs"]] == [
        ("ml_engineer", "backend_architect")
    ]
    assert "Backend Architect takes the work" in progress
    assert again.isError
    assert "has no handoff waiting for approval" in again.content[0].text


# -- cancellation, in process (a scripted role that waits until the test lets it go) --------------


def test_cancel_ends_the_run_and_keeps_the_checkpoint(default_team):
    from langgraph.checkpoint.memory import InMemorySaver

    entered, release = threading.Event(), threading.Event()

    def slow(messages):
        entered.set()
        release.wait(60)
        return reply("Late work nobody will see.")

    ml = ScriptedModel([slow, reply("Churn model plan, second try.")])
    server = create_server(
        default_team, model={"ml_engineer": ml, "default": "offline"}, checkpointer=InMemorySaver()
    )
    started = anyio.Event()
    tokens: list[Any] = []

    async def on_message(message):
        if isinstance(message, types.ServerNotification) and isinstance(
            message.root, types.ProgressNotification
        ):
            tokens.append(message.root.params.progressToken)
            started.set()

    async def go():
        async with AsyncExitStack() as stack:
            session = await stack.enter_async_context(
                create_connected_server_and_client_session(server, message_handler=on_message)
            )
            outcome: dict[str, Any] = {}

            async def call():
                try:
                    await session.call_tool(
                        "ask",
                        {"request": "Train a churn model", "thread_id": "c1"},
                        progress_callback=lambda *_: anyio.sleep(0),
                    )
                except McpError as exc:
                    outcome["error"] = exc.error.message

            async with anyio.create_task_group() as group:
                group.start_soon(call)
                await started.wait()
                # Cancel while the role is at work, not while triage still runs: a cancel that
                # lands before the model call leaves the slow reply for the next ask.
                assert await anyio.to_thread.run_sync(entered.wait, 60)
                cancel = types.CancelledNotification(
                    params=types.CancelledNotificationParams(requestId=tokens[0], reason="stop")
                )
                await session.send_notification(types.ClientNotification(cancel))
            release.set()
            kept = (await session.read_resource("team://threads/c1")).contents[0].text
            again = await ask(session, "Train a churn model", thread_id="c1")
            return outcome, kept, again

    outcome, kept, (again, _, _) = anyio.run(go)
    assert outcome == {"error": "Request cancelled"}
    assert kept == "### user\nTrain a churn model\n"
    assert again["outcome"] == "done"
    assert again["spoke"] == [
        {"role": "ml_engineer", "name": "ML Engineer", "text": "Churn model plan, second try."}
    ]
    ml.assert_complete()


# -- route and review ----------------------------------------------------------------------------


def test_route_explains_triage_and_handoffs(default_team):
    triage = route_decision(default_team, "Our nightly Airflow DAG keeps failing")
    assert triage["agent"] == "data_engineer"
    assert triage["explanation"].startswith("triage picks data_engineer (score ")
    handoff = route_decision(default_team, "expose the model behind a REST API", "ml_engineer")
    assert handoff["agent"] == "backend_architect"
    assert handoff["explanation"] == (
        f"ml_engineer hands off to backend_architect when {handoff['criterion']}"
    )
    with pytest.raises(TeamError, match="unknown role 'cfo'"):
        route_decision(default_team, "anything", "cfo")


def test_review_gives_findings_for_the_ml_engineer_only():
    repo = ROOT / "scenarios" / "fixtures" / "churn"
    found = review_findings(str(repo), "ml_engineer")
    assert found["count"] == 9
    rules = {f["rule"] for f in found["findings"]}
    assert {"training-serving-skew", "serving-without-monitoring", "accuracy-only"} <= rules
    assert "serve/app.py:36: warning serving-without-monitoring:" in found["text"]
    one = review_findings(str(repo / "serve" / "app.py"))
    assert {f["path"] for f in one["findings"]} == {"app.py"}  # as `team review FILE`
    with pytest.raises(TeamError, match="no review for role 'pm' yet; reviews: ml_engineer"):
        review_findings(str(repo), "pm")
    with pytest.raises(TeamError, match="path does not exist"):
        review_findings(str(repo / "missing"))
