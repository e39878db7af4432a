"""The team and the Model Context Protocol, both ways.

- ``team.mcp.server``: the team as an MCP server (``team mcp``): tools ``ask``, ``route``,
  ``review``, ``approve``, ``reject``; resources for the cards, the graph and thread transcripts.
- ``team.tools.mcp``: roles use the tools of MCP servers that a topology attaches to them
  (``mcp:`` in a topology file, ``team.mcp_servers``), through langchain-mcp-adapters.

Nothing here is imported by ``team --help``: the ``mcp`` SDK loads on first use.
"""
