"""Roles use MCP tools: a topology attaches the example tickets server (stdio) to the PM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, wait_for

from team.engine import Engine
from team.errors import TeamError
from team.testing import ScriptedModel, reply, tool_call
from team.tools import mcp as mcp_client
from team.topology import Team, Topology

SERVER = ROOT / "examples" / "tickets_server.py"


@pytest.fixture(autouse=True)
def _close_servers():
    """Each test starts its own tickets server; stop it when the test ends."""
    from team.tools.mcp import close_servers

    yield
    close_servers()


LAUNCH = "Plan the checkout launch and file tickets for it"


def tickets_topology(folder: Path, **server: object) -> Path:
    """The default topology plus the tickets server for the PM, its data in ``folder``."""
    topology = yaml.safe_load((ROOT / "graphs" / "default.yaml").read_text())
    topology["mcp"] = {
        "tickets": {
            "command": "python",
            "args": [str(SERVER)],
            "env": {
                "TICKETS_FILE": str(folder / "tickets.json"),
                "TICKETS_PIDFILE": str(folder / "tickets.pid"),
            },
            "roles": ["pm"],
            **server,
        }
    }
    path = folder / "team.yaml"
    path.write_text(yaml.safe_dump(topology))
    return path


def tickets(folder: Path) -> list[dict[str, str]]:
    return json.loads((folder / "tickets.json").read_text())


def tool_results(reply_) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for event in reply_.events:
        if event.kind == "tool_result":
            found.setdefault(event.data["tool"], []).append(event.text)
    return found


def test_a_scripted_pm_calls_both_tools_through_the_team(tmp_path):
    team = Team.load(graph=tickets_topology(tmp_path))
    pm = ScriptedModel(
        [
            reply("", tool_call("create_ticket", title="Checkout launch checklist")),
            reply("", tool_call("list_tickets")),
            reply("Filed TCK-1 for the launch checklist."),
        ]
    )
    answer = Engine(team, model={"pm": pm}).chat("Plan the launch and file tickets", thread_id="s1")
    assert answer.outcome == "done" and answer.role == "pm"
    assert tool_results(answer) == {
        "create_ticket": ["created TCK-1: Checkout launch checklist"],
        "list_tickets": ["TCK-1: Checkout launch checklist"],
    }
    assert tickets(tmp_path) == [
        {"id": "TCK-1", "title": "Checkout launch checklist", "assignee": ""}
    ]
    assert {"create_ticket", "list_tickets"} <= set(pm.tools)
    calls = [e.data["tool"] for e in answer.events if e.kind == "tool_call"]
    assert calls == ["create_ticket", "list_tickets"]  # in the trace like any tool
    pm.assert_complete()


def test_mcp_calls_spend_the_same_tool_budget(tmp_path):
    path = tickets_topology(tmp_path)
    topology = yaml.safe_load(path.read_text())
    topology["limits"]["max_tool_rounds"] = 1
    path.write_text(yaml.safe_dump(topology))
    pm = ScriptedModel(
        [
            reply("", tool_call("list_tickets")),
            reply("", tool_call("create_ticket", title="one too many")),
            reply("Out of budget."),
        ]
    )
    answer = Engine(Team.load(graph=path), model={"pm": pm}).chat("Plan the launch", thread_id="b1")
    results = tool_results(answer)
    assert results["list_tickets"] == ["no open tickets"]
    assert results["create_ticket"] == [
        "error: tool budget spent (1 rounds); write your deliverable now"
    ]
    assert not (tmp_path / "tickets.json").exists()


def test_the_offline_pm_files_a_ticket_when_asked(tmp_path):
    team = Team.load(graph=tickets_topology(tmp_path))
    answer = Engine(team).chat(LAUNCH, thread_id="o1")
    calls = [
        (e.role, e.data["tool"], e.data["args"]) for e in answer.events if e.kind == "tool_call"
    ]
    assert calls == [("pm", "create_ticket", {"title": LAUNCH})]
    assert tickets(tmp_path)[0]["title"] == LAUNCH
    pm_part = next(e.text for e in answer.events if e.kind == "deliverable" and e.role == "pm")
    assert f"### Tool results\n- `create_ticket`: created TCK-1: {LAUNCH}" in pm_part


def test_the_offline_pm_leaves_the_tracker_alone_when_not_asked(tmp_path):
    team = Team.load(graph=tickets_topology(tmp_path))
    answer = Engine(team).chat("Plan the release timeline with the stakeholders", thread_id="o2")
    assert answer.events[0].role == "pm"
    assert not [e for e in answer.events if e.kind == "tool_call"]
    assert not (tmp_path / "tickets.json").exists()


def test_a_role_not_granted_the_server_cannot_see_or_call_its_tools(tmp_path):
    team = Team.load(graph=tickets_topology(tmp_path))
    ml = ScriptedModel(
        [reply("", tool_call("create_ticket", title="sneaky")), reply("Model plan.")]
    )
    answer = Engine(team, model={"ml_engineer": ml}).chat("Train a churn model", thread_id="n1")
    assert answer.role == "ml_engineer"
    assert not {"create_ticket", "list_tickets"} & set(ml.tools)
    (result,) = tool_results(answer)["create_ticket"]
    assert result.startswith("error: unknown tool 'create_ticket'; available tools: ")
    assert "ticket" not in result.split("available tools: ")[1]
    assert not (tmp_path / "tickets.json").exists()


def test_a_server_killed_mid_run_is_a_clear_tool_error(tmp_path):
    team = Team.load(graph=tickets_topology(tmp_path))

    def kill_then_call(messages):
        os.kill(int((tmp_path / "tickets.pid").read_text()), signal.SIGKILL)
        # The hard case: the client has seen the end of the server's output before the call.
        (state,) = [s for s in mcp_client._SESSIONS.values() if s.name == "tickets"]
        assert wait_for(state.closed)
        return reply("", tool_call("create_ticket", title="after the crash"))

    pm = ScriptedModel(
        [
            reply("", tool_call("list_tickets")),
            kill_then_call,
            reply("The tracker is down; tickets to file by hand."),
        ]
    )
    answer = Engine(team, model={"pm": pm}).chat("Plan the launch and file tickets", thread_id="k1")
    assert answer.outcome == "done"
    assert answer.text == "The tracker is down; tickets to file by hand."
    results = tool_results(answer)
    assert results["list_tickets"] == ["no open tickets"]
    (error,) = results["create_ticket"]
    assert error.startswith("error: create_ticket failed: MCP server 'tickets': ")
    assert "closed" in error.lower()
    pm.assert_complete()


def test_an_unreachable_server_is_one_line_and_the_run_goes_on(tmp_path):
    topology = yaml.safe_load((ROOT / "graphs" / "default.yaml").read_text())
    topology["mcp"] = {"tracker": {"command": str(tmp_path / "no-such-server"), "roles": ["pm"]}}
    (tmp_path / "team.yaml").write_text(yaml.safe_dump(topology))
    team = str(Path(sys.executable).parent / "team")
    run = subprocess.run(
        [team, "run", "-r", LAUNCH, "--graph", str(tmp_path / "team.yaml"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["outcome"] == "done"
    lines = [line for line in run.stderr.splitlines() if "tracker" in line]
    assert lines == [
        f"MCP server 'tracker' ({tmp_path / 'no-such-server'}) is unreachable: "
        f"No such file or directory: {tmp_path / 'no-such-server'}; "
        "the team goes on without its tools"
    ]


def test_the_mcp_block_is_loaded_strictly(tmp_path):
    path = tickets_topology(tmp_path, url="http://127.0.0.1:9/mcp")
    with pytest.raises(TeamError, match=r"team.yaml:\d+: mcp.tickets: .*either 'command'"):
        Topology.from_file(path)
    path = tickets_topology(tmp_path, roles=["cfo"])
    with pytest.raises(TeamError, match=r"mcp\.tickets\.roles: unknown role 'cfo'"):
        Team.load(graph=path)
    path = tickets_topology(tmp_path, transport="stdio")
    with pytest.raises(TeamError, match="unknown key 'transport'"):
        Topology.from_file(path)


def test_the_shipped_topology_gives_the_pm_the_tickets_server():
    topology = Topology.from_file(ROOT / "graphs" / "with_tickets_mcp.yaml")
    server = topology.mcp["tickets"]
    assert server.roles == ("pm",)
    connection = server.connection(ROOT / "graphs")
    assert connection["command"] == sys.executable
    assert (Path(connection["cwd"]) / connection["args"][0]).resolve() == SERVER


def test_the_readme_examples_match_what_ships():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## MCP: the team in chat apps") :]
    desktop = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    assert desktop["mcpServers"]["teamgraph"]["args"] == ["mcp"]
    example = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    shipped = yaml.safe_load((ROOT / "graphs" / "with_tickets_mcp.yaml").read_text())
    assert example["mcp"] == shipped["mcp"]


def test_a_server_reached_by_url(tmp_path, monkeypatch):
    """The example server over streamable HTTP (uvicorn in a thread, on 127.0.0.1)."""
    import asyncio
    import importlib.util
    import socket
    import threading
    import time

    import uvicorn

    monkeypatch.setenv("TICKETS_FILE", str(tmp_path / "tickets.json"))
    spec = importlib.util.spec_from_file_location("tickets_server", SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(module.server.streamable_http_app(), log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    try:
        deadline = time.monotonic() + 30  # bounded polling for start-up, as in test_serve
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "uvicorn failed to start"
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
        topology = yaml.safe_load((ROOT / "graphs" / "default.yaml").read_text())
        topology["mcp"] = {"tickets": {"url": url, "roles": ["pm"], "tools": ["create_ticket"]}}
        (tmp_path / "team.yaml").write_text(yaml.safe_dump(topology))
        pm = ScriptedModel(
            [reply("", tool_call("create_ticket", title="Over HTTP")), reply("Filed.")]
        )
        team = Team.load(graph=tmp_path / "team.yaml")
        answer = Engine(team, model={"pm": pm}).chat(
            "Plan the launch and file tickets", thread_id="u1"
        )
    finally:
        from team.tools.mcp import close_servers

        close_servers()
        server.should_exit = True
        thread.join(30)
        sock.close()
    assert tool_results(answer) == {"create_ticket": ["created TCK-1: Over HTTP"]}
    assert "list_tickets" not in pm.tools  # the topology keeps only create_ticket
    assert tickets(tmp_path)[0]["title"] == "Over HTTP"
