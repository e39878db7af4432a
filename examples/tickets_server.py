"""A tiny ticket tracker as an MCP server (stdio), for trying roles that use MCP tools.

Run by a topology (``graphs/with_tickets_mcp.yaml`` gives it to the PM) or by hand:
``python examples/tickets_server.py``. Tickets live in memory, or in the JSON file named by
``TICKETS_FILE`` so another process can read them. ``TICKETS_PIDFILE``, if set, receives the
server's process id (a supervisor or a test can stop it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mcp.server.fastmcp import FastMCP

server = FastMCP("tickets", log_level="WARNING")
_memory: list[dict[str, str]] = []


def _load() -> list[dict[str, str]]:
    path = os.environ.get("TICKETS_FILE")
    if path and Path(path).exists():
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return list(_memory)


def _save(tickets: list[dict[str, str]]) -> None:
    path = os.environ.get("TICKETS_FILE")
    if path:
        Path(path).write_text(json.dumps(tickets, indent=2), encoding="utf-8")
    _memory[:] = tickets


@server.tool()
def create_ticket(title: str, assignee: str = "") -> str:
    """File a ticket (create an issue) in the team's tracker."""
    tickets = _load()
    ticket = {"id": f"TCK-{len(tickets) + 1}", "title": title.strip(), "assignee": assignee}
    _save([*tickets, ticket])
    return f"created {ticket['id']}: {ticket['title']}"


@server.tool()
def list_tickets() -> str:
    """List the open tickets in the team's tracker."""
    tickets = _load()
    if not tickets:
        return "no open tickets"
    return "\n".join(f"{t['id']}: {t['title']}" for t in tickets)


if __name__ == "__main__":
    if os.environ.get("TICKETS_PIDFILE"):
        Path(os.environ["TICKETS_PIDFILE"]).write_text(str(os.getpid()), encoding="utf-8")
    server.run("stdio")
