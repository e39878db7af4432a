"""The ``mcp:`` block of a topology file: MCP servers and the roles that may use their tools.

Example (in ``graphs/with_tickets_mcp.yaml``)::

    mcp:
      tickets:
        command: python            # the Python running teamgraph
        args: [../examples/tickets_server.py]
        roles: [pm]                # only the PM sees its tools

A server is a local command spoken to over stdio, or a streamable HTTP ``url``. Relative
``cwd`` is taken from the topology file's folder, which is also the default working folder.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["McpServer"]


class McpServer(BaseModel):
    """One MCP server a topology attaches to some roles."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    command: str | None = Field(
        default=None, description="Executable of a stdio server ('python' is teamgraph's Python)."
    )
    args: tuple[str, ...] = ()
    env: dict[str, str] | None = Field(
        default=None, description="Environment of the stdio server; ${VAR} expands."
    )
    cwd: str | None = Field(default=None, description="Working folder (relative: to this file).")
    url: str | None = Field(default=None, description="A streamable HTTP server's URL.")
    headers: dict[str, str] | None = None
    roles: tuple[str, ...] = Field(min_length=1, description="Roles that may call its tools.")
    tools: tuple[str, ...] | None = Field(
        default=None, description="Only these of its tools (default: all)."
    )
    timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds per tool call.")

    @model_validator(mode="after")
    def _one_transport(self) -> McpServer:
        if (self.command is None) == (self.url is None):
            raise ValueError("give either 'command' (a stdio server) or 'url', not both")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, got {self.url!r}")
        if self.url is not None and (self.args or self.env or self.cwd):
            raise ValueError("'args', 'env' and 'cwd' apply to a 'command' server only")
        return self

    def connection(self, base: Path | None) -> dict[str, Any]:
        """The langchain-mcp-adapters connection for this server.

        Example:
            >>> McpServer(url="http://127.0.0.1:9000/mcp", roles=("pm",)).connection(None)
            {'transport': 'streamable_http', 'url': 'http://127.0.0.1:9000/mcp'}
        """
        if self.url is not None:
            found: dict[str, Any] = {"transport": "streamable_http", "url": self.url}
            if self.headers:
                found["headers"] = dict(self.headers)
            return found
        command = sys.executable if self.command == "python" else self.command
        cwd = Path(self.cwd) if self.cwd else None
        if base is not None:
            cwd = base / cwd if cwd is not None else base
        found = {"transport": "stdio", "command": command, "args": list(self.args)}
        if self.env is not None:
            found["env"] = dict(self.env)
        if cwd is not None:
            found["cwd"] = str(cwd)
        return found
