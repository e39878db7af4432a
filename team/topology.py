"""The team: persona cards plus a topology file, checked as a networkx graph of handoffs.

Each card's ``Hand off to **X** when ...`` line becomes one edge ``card -> X`` that carries the
condition and the card line it came from. The topology file (``graphs/default.yaml``) says which
cards form the team, who triage may pick, the run limits and each role's tools.
"""

from __future__ import annotations

import contextlib
import difflib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from team.cards import Card, load_card
from team.errors import TeamError
from team.mcp_servers import McpServer
from team.yamlfile import load_model

__all__ = ["Limits", "Team", "Topology", "Triage", "packaged_path"]

_STRICT = ConfigDict(extra="forbid", frozen=True)
_resources = contextlib.ExitStack()
REPO_TOOLS = ("glob", "read_file", "grep", "analyze")


def packaged_path(name: str) -> Path:
    """A data folder shipped inside the ``team`` package (``agents`` or ``graphs``) as a path.

    Example:
        >>> packaged_path("agents").is_dir()
        True
    """
    return _resources.enter_context(resources.as_file(resources.files("team") / name))


Policy = Literal["full", "summary", "packet"]
"""What a role sees when it takes the work (see ``team.context``)."""


class ContextSettings(BaseModel):
    """``context:`` in a topology file."""

    model_config = _STRICT
    policy: Policy = "packet"
    last_n: int = Field(default=6, ge=1, le=200)
    edges: dict[str, Policy] = Field(
        default={}, description="Per edge 'source->target': the policy the target gets."
    )

    def policy_for(self, source: str | None, target: str) -> Policy:
        if source is not None:
            return self.edges.get(f"{source}->{target}", self.policy)
        return self.policy


class Triage(BaseModel):
    """How the first role is chosen."""

    model_config = _STRICT
    roles: Literal["all"] | tuple[str, ...] = "all"
    fallback: str = "pm"
    min_score: float = Field(default=5.0, ge=0)


class Limits(BaseModel):
    """Loop protection for a run."""

    model_config = _STRICT
    recursion_limit: int = Field(default=100, ge=5, le=10_000)
    max_handoffs: int = Field(default=8, ge=0, le=100)
    ping_pong: int = Field(default=2, ge=1, le=10)
    on_loop: Literal["end", "escalate"] = "end"
    max_tool_rounds: int = Field(default=6, ge=0, le=50)
    max_thread_chars: int = Field(
        default=4_000_000,
        ge=10_000,
        description="Characters a thread's stored conversation may hold before it takes no more "
        "turns (start a new thread, or prune old ones).",
    )


class RepoAccess(BaseModel):
    """``repo_access:`` in a topology file: what the repository tools may show."""

    model_config = _STRICT
    hidden: tuple[str, ...] | None = Field(
        default=None,
        description="Name or path globs never listed, searched or read (replaces the default: "
        ".git, .env*, private keys and credential files).",
    )
    read_ignored: bool = Field(
        default=False, description="Let read_file read files .gitignore hides from glob and grep."
    )


class Topology(BaseModel):
    """A team topology file: which cards, triage settings, limits, tools per role."""

    model_config = _STRICT
    name: str
    description: str = ""
    agents: Literal["all"] | tuple[str, ...] = "all"
    agents_dir: str | None = None
    triage: Triage = Triage()
    limits: Limits = Limits()
    finish: Literal["all"] | tuple[str, ...] = "all"
    escalate_to: str | None = None
    tools: dict[str, tuple[Literal["glob", "read_file", "grep", "analyze", "review"], ...]] = {}
    models: dict[str, str] = Field(
        default={}, description="Model spec per role id (or 'default'), e.g. anthropic:<model>."
    )
    context: ContextSettings = ContextSettings()
    repo_access: RepoAccess = RepoAccess()
    approval: tuple[str, ...] = Field(
        default=(), description="Roles whose incoming handoffs wait for a human's approval."
    )
    mcp: dict[str, McpServer] = Field(
        default={}, description="MCP servers by name, and the roles that may use their tools."
    )
    path: str | None = Field(default=None, exclude=True)

    @classmethod
    def from_file(cls, path: str | Path) -> Topology:
        """Load a topology YAML file strictly.

        Example:
            >>> Topology.from_file(packaged_path("graphs") / "default.yaml").name
            'default'
        """
        path = Path(path)
        return load_model(cls, path, what="topology").model_copy(update={"path": str(path)})

    def tools_for(self, role: str) -> tuple[str, ...]:
        """The repository tools a role may call."""
        return tuple(self.tools.get(role, self.tools.get("default", REPO_TOOLS)))


def _closest(name: str, known: list[str]) -> str:
    match = difflib.get_close_matches(name, known, n=1, cutoff=0.5 if len(name) <= 3 else 0.6)
    return f"; closest known role: '{match[0]}'" if match else ""


@dataclass(frozen=True)
class Team:
    """A validated team: cards by id, the topology, and the handoff graph.

    Example:
        >>> team = Team.load()
        >>> sorted(team.cards)[:2]
        ['backend_architect', 'data_engineer']
    """

    cards: dict[str, Card]
    topology: Topology
    graph: nx.DiGraph[str] = field(repr=False)

    @property
    def name(self) -> str:
        return self.topology.name

    @property
    def roles(self) -> list[str]:
        """Role ids in the order the cards were loaded."""
        return list(self.cards)

    @property
    def escalation_role(self) -> str:
        """Where a loop escalates: ``escalate_to``, else the triage fallback."""
        return self.topology.escalate_to or self.topology.triage.fallback

    def entry_roles(self) -> list[str]:
        """Roles triage may pick first."""
        roles = self.topology.triage.roles
        return self.roles if roles == "all" else list(roles)

    def targets(self, role: str) -> list[str]:
        """The roles ``role`` may hand off to, in card order."""
        return [h.target_id for h in self.cards[role].handoffs]

    @classmethod
    def load(cls, *, agents_dir: str | Path | None = None, graph: str | Path | None = None) -> Team:
        """Load and validate a team.

        Args:
            agents_dir: A folder of ``*.md`` cards; default the topology's ``agents_dir`` or the
                packaged cards.
            graph: A topology YAML file; default the packaged ``graphs/default.yaml``.

        Raises:
            TeamError: One line naming the file and line (or the value) of the first problem.

        Example:
            >>> Team.load().targets("ml_engineer")[0]
            'data_engineer'
        """
        topology_path = (
            Path(graph) if graph is not None else packaged_path("graphs") / "default.yaml"
        )
        topology = Topology.from_file(topology_path)
        if agents_dir is None:
            if topology.agents_dir is not None:
                agents_dir = (topology_path.parent / topology.agents_dir).resolve()
            else:
                agents_dir = packaged_path("agents")
        return cls.from_cards(load_cards(Path(agents_dir)), topology)

    @classmethod
    def from_cards(cls, cards: list[Card], topology: Topology) -> Team:
        """Build and validate a team from parsed cards and a topology."""
        by_id: dict[str, Card] = {}
        for card in cards:
            if card.id in by_id:
                raise TeamError(
                    f"duplicate role id '{card.id}' (also defined in {by_id[card.id].path})",
                    path=card.path,
                    line=1,
                )
            by_id[card.id] = card
        where = topology.path
        if topology.agents != "all":
            for role in topology.agents:
                if role not in by_id:
                    raise TeamError(
                        f"agents: unknown role '{role}'{_closest(role, list(by_id))}", path=where
                    )
            by_id = {role: by_id[role] for role in topology.agents}
        if not by_id:
            raise TeamError("the team has no roles", path=where)
        known = list(by_id)
        names = {card.name.lower(): card.id for card in by_id.values()}

        graph: nx.DiGraph[str] = nx.DiGraph(name=topology.name)
        for card in by_id.values():
            graph.add_node(card.id, name=card.name, path=card.path)
        for card in by_id.values():
            for handoff in card.handoffs:
                target = (
                    handoff.target_id
                    if handoff.target_id in by_id
                    else names.get(handoff.target_name.lower())
                )
                if target is None:
                    candidates = known + [c.name for c in by_id.values()]
                    raise TeamError(
                        f"handoff to unknown role '{handoff.target_name}'{_closest(handoff.target_name, candidates)}",
                        path=card.path,
                        line=handoff.line,
                    )
                if graph.has_edge(card.id, target):
                    raise TeamError(
                        f"second handoff to '{target}' in one card",
                        path=card.path,
                        line=handoff.line,
                    )
                graph.add_edge(
                    card.id, target, condition=handoff.condition, line=handoff.line, path=card.path
                )

        for label, roles in (
            ("triage.roles", topology.triage.roles),
            ("finish", topology.finish),
            ("tools", tuple(r for r in topology.tools if r != "default")),
            ("models", tuple(r for r in topology.models if r != "default")),
            ("approval", topology.approval),
            *((f"mcp.{name}.roles", server.roles) for name, server in topology.mcp.items()),
        ):
            for role in () if roles == "all" else roles:
                if role not in by_id:
                    raise TeamError(
                        f"{label}: unknown role '{role}'{_closest(role, known)}", path=where
                    )
        single: tuple[tuple[str, str | None], ...] = (
            ("triage.fallback", topology.triage.fallback),
            ("escalate_to", topology.escalate_to),
        )
        for label, one in single:
            if one is not None and one not in by_id:
                raise TeamError(f"{label}: unknown role '{one}'{_closest(one, known)}", path=where)

        for key in topology.context.edges:
            source, _, target = key.partition("->")
            if not graph.has_edge(source.strip(), target.strip()):
                raise TeamError(
                    f"context.edges: '{key}' is not a handoff edge of this team (write 'source->target')",
                    path=where,
                )
        team = cls(cards=by_id, topology=topology, graph=graph)
        team._check_reachability()
        return team

    def _check_reachability(self) -> None:
        entry = set(self.entry_roles()) | {self.topology.triage.fallback}
        reached = set(entry)
        for role in entry:
            reached |= nx.descendants(self.graph, role)
        for role in self.roles:
            if role not in reached:
                raise TeamError(
                    f"role '{role}' is unreachable: triage cannot pick it and no role hands off to it",
                    path=self.cards[role].path,
                    line=1,
                )
        finishers = set(self.roles if self.topology.finish == "all" else self.topology.finish)
        for role in self.roles:
            if role not in finishers and not (nx.descendants(self.graph, role) & finishers):
                raise TeamError(
                    f"role '{role}' can never end or escalate: it may not finish and no handoff path "
                    f"leads to a role that may",
                    path=self.cards[role].path,
                    line=1,
                )

    def edges(self) -> list[dict[str, object]]:
        """Every handoff edge with its condition and card line, in card order."""
        return [
            {"from": source, "to": target, "condition": data["condition"], "line": data["line"]}
            for source in self.roles
            for target, data in self.graph[source].items()
        ]

    def to_json(self) -> str:
        """The team graph as JSON: roles and edges."""
        roles = [
            {
                "id": card.id,
                "name": card.name,
                "entry": card.id in self.entry_roles(),
                "triggers": [t.text for t in card.triggers],
                "handoffs": self.targets(card.id),
            }
            for card in self.cards.values()
        ]
        return json.dumps({"name": self.name, "roles": roles, "edges": self.edges()}, indent=2)

    def to_mermaid(self) -> str:
        """The team graph as a Mermaid flowchart (renders on GitHub)."""
        lines = ["flowchart LR", "    triage([triage])"]
        lines += [f'    {card.id}["{card.name}"]' for card in self.cards.values()]
        lines += [f"    triage --> {role}" for role in self.entry_roles()]
        lines += [f"    {edge['from']} --> {edge['to']}" for edge in self.edges()]
        return "\n".join(lines)

    def to_dot(self) -> str:
        """The team graph in Graphviz DOT, edges labelled with their conditions."""
        lines = [f'digraph "{self.name}" {{', "    rankdir=LR;", "    triage [shape=oval];"]
        lines += [
            f'    {card.id} [label="{card.name}", shape=box];' for card in self.cards.values()
        ]
        lines += [f"    triage -> {role};" for role in self.entry_roles()]
        for edge in self.edges():
            label = str(edge["condition"]).replace('"', "'")
            lines.append(f'    {edge["from"]} -> {edge["to"]} [tooltip="{label}"];')
        lines.append("}")
        return "\n".join(lines)


def load_cards(folder: Path) -> list[Card]:
    """Every ``*.md`` card in a folder, sorted by file name.

    Example:
        >>> len(load_cards(packaged_path("agents")))
        7
    """
    if not folder.is_dir():
        raise TeamError("agents folder not found", path=folder)
    files = sorted(folder.glob("*.md"))
    if not files:
        raise TeamError("agents folder has no *.md cards", path=folder)
    return [load_card(path) for path in files]
