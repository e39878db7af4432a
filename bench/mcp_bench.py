"""What MCP costs: ``ask`` over stdio against ``Team.chat``, and an MCP tool call against a built-in one.

1. ``team mcp --checkpoint memory`` is started over stdio with the official MCP client; N one-turn
   requests go through ``ask``, then the same N through ``Team.chat`` in this process (offline
   model, threads in memory on both sides). Prints ms per request and the ratio.
2. The example tickets server's ``list_tickets``, wrapped as a role sees it (``team.tools.mcp``),
   called M times, against the built-in ``glob`` tool on a two-file folder. Prints ms per call and
   the ratio.

    python bench/mcp_bench.py [--requests 35] [--calls 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = [
    "Train a churn model on last year's customers",
    "Our nightly Airflow DAG keeps failing",
    "Set up a CI/CD pipeline with GitHub Actions",
    "Profile why p99 latency doubled",
    "Design the REST API for the orders service",
    "Plan the architecture for splitting the monolith into services",
    "Write the launch plan and timeline for stakeholders",
]


async def _over_stdio(count: int) -> float:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    team = str(Path(sys.executable).parent / "team")
    params = StdioServerParameters(
        command=team, args=["mcp", "--checkpoint", "memory"], env=dict(os.environ)
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await session.call_tool("ask", {"request": REQUESTS[0]})  # warm up
        started = time.perf_counter()
        for index in range(count):
            result = await session.call_tool("ask", {"request": REQUESTS[index % len(REQUESTS)]})
            assert not result.isError, result.content
        return time.perf_counter() - started


def _in_process(count: int) -> float:
    from team.topology import Team

    team = Team.load()
    team.chat(REQUESTS[0], thread_id="warm")
    started = time.perf_counter()
    for index in range(count):
        team.chat(REQUESTS[index % len(REQUESTS)], thread_id=f"b{index}")
    return time.perf_counter() - started


def _tool_calls(calls: int) -> tuple[float, float]:
    import yaml

    from team.tools import repo_tools
    from team.tools.mcp import close_servers, role_tools
    from team.topology import Team

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "a.py").write_text("x = 1\n")
        (path / "b.py").write_text("y = 2\n")
        topology = yaml.safe_load((ROOT / "graphs" / "with_tickets_mcp.yaml").read_text())
        topology["mcp"]["tickets"]["args"] = [str(ROOT / "examples" / "tickets_server.py")]
        (path / "team.yaml").write_text(yaml.safe_dump(topology))
        team = Team.load(graph=path / "team.yaml", agents_dir=ROOT / "agents")
        remote = next(t for t in role_tools(team)["pm"] if t.name == "list_tickets")
        local = next(t for t in repo_tools(path) if t.name == "glob")
        remote.invoke({})
        local.invoke({"pattern": "*.py"})
        started = time.perf_counter()
        for _ in range(calls):
            remote.invoke({})
        mcp_time = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(calls):
            local.invoke({"pattern": "*.py"})
        builtin_time = time.perf_counter() - started
        close_servers()
    return mcp_time, builtin_time


def main() -> None:
    import anyio

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=35)
    parser.add_argument("--calls", type=int, default=200)
    options = parser.parse_args()

    served = anyio.run(_over_stdio, options.requests)
    direct = _in_process(options.requests)
    per = 1000 / options.requests
    print(
        f"ask over stdio: {served * per:.1f} ms/request; Team.chat: {direct * per:.1f} ms/request; "
        f"ratio {served / direct:.2f}x ({options.requests} requests)"
    )
    mcp_time, builtin_time = _tool_calls(options.calls)
    per = 1000 / options.calls
    print(
        f"MCP tool call (list_tickets, stdio): {mcp_time * per:.2f} ms; built-in glob: "
        f"{builtin_time * per:.2f} ms; ratio {mcp_time / builtin_time:.2f}x ({options.calls} calls)"
    )


if __name__ == "__main__":
    main()
