from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from helpers import MINIMAL_CARD, ROOT, write_card
from typer.testing import CliRunner

from team.cli import app
from team.errors import TeamError
from team.routing import Router
from team.topology import Team, packaged_path

runner = CliRunner()


def test_default_team_is_a_real_graph_not_a_star(default_team):
    graph = default_team.graph
    assert len(default_team.cards) == 7
    assert nx.is_strongly_connected(graph)
    assert all(graph.out_degree(role) >= 3 for role in graph)
    not_ml = [(a, b) for a, b in graph.edges if "ml_engineer" not in (a, b)]
    assert len(not_ml) >= 20
    for role in ("data_engineer", "backend_architect", "performance_engineer", "system_architect"):
        assert graph.has_edge(role, "ml_engineer"), role
    assert all(graph.has_edge(role, "pm") for role in graph if role != "pm")


def test_edges_carry_condition_and_card_line(default_team):
    data = default_team.graph.edges["ml_engineer", "data_engineer"]
    card = default_team.cards["ml_engineer"]
    assert data["condition"] == card.handoffs[0].condition
    assert (
        Path(data["path"])
        .read_text()
        .splitlines()[data["line"] - 1]
        .startswith("- Hand off to **Data Engineer** when")
    )


def test_each_trigger_routes_to_its_own_role(default_team):
    """Triggers of different roles must not overlap so much that routing is a coin toss."""
    router = Router(default_team.cards)
    for role, card in default_team.cards.items():
        for trigger in card.triggers:
            route = router.route(trigger.text)
            assert route.agent == role, (trigger.text, route)
            runner_up = max(router.score(trigger.text, r) for r in default_team.cards if r != role)
            assert route.score > 1.5 * runner_up, (trigger.text, route.score, runner_up)


def _agents_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "agents"
    shutil.copytree(packaged_path("agents"), folder)
    return folder


def test_an_eighth_role_is_a_dropped_in_card(tmp_path):
    folder = _agents_copy(tmp_path)
    write_card(
        folder,
        "security_engineer.md",
        MINIMAL_CARD.format(
            name="Security Engineer",
            trigger="a threat model, penetration test or vulnerability triage is needed",
            target="PM",
            condition="risk acceptance needs stakeholder sign-off",
        ),
    )
    team = Team.load(agents_dir=folder)
    assert len(team.cards) == 8
    assert team.targets("security_engineer") == ["pm"]
    assert Router(team.cards).route(
        "Run a penetration test and triage the vulnerability"
    ).agent == ("security_engineer")
    result = runner.invoke(app, ["agents", "--agents", str(folder), "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.output)["roles"]) == 8


def _topology(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: t\ncolour: red\n", "{p}:2: unknown key 'colour'"),
        (
            "name: t\nlimits:\n  max_handoffs: -1\n",
            "{p}:3: limits.max_handoffs: Input should be greater than or equal to 0",
        ),
        ("name: t\nlimits:\n  bogus: 1\n", "{p}:3: unknown key 'bogus'"),
        ("description: no name\n", "{p}:1: missing required key 'name'"),
        ("name: [unclosed\n", "{p}:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("", "{p}:1: empty topology file"),
        ("- a\n- b\n", "{p}:1: topology must be a YAML mapping, got list"),
        (
            "name: t\nagents: [ml_engineer, pn]\n",
            "{p}: agents: unknown role 'pn'; closest known role: 'pm'",
        ),
        ("name: t\ntriage:\n  fallback: qa\n", "{p}: triage.fallback: unknown role 'qa'"),
        (
            "name: t\ntools:\n  pm: [shell]\n",
            "{p}:3: tools.pm.0: Input should be 'glob', 'read_file', 'grep', 'analyze' or 'review'",
        ),
    ],
)
def test_malformed_topologies(tmp_path, yaml_text, message):
    path = _topology(tmp_path, yaml_text)
    with pytest.raises(TeamError) as info:
        Team.load(graph=path)
    assert str(info.value) == message.format(p=path)


def test_handoff_to_unknown_role_names_card_line_and_closest_role(tmp_path):
    folder = _agents_copy(tmp_path)
    card = folder / "pm.md"
    card.write_text(
        card.read_text().replace("**Data Engineer**", "**Data Enginer**"), encoding="utf-8"
    )
    line = next(
        i for i, text in enumerate(card.read_text().splitlines(), 1) if "Data Enginer" in text
    )
    with pytest.raises(TeamError) as info:
        Team.load(agents_dir=folder)
    assert str(info.value) == (
        f"{card}:{line}: handoff to unknown role 'Data Enginer'; closest known role: 'Data Engineer'"
    )


def test_duplicate_role_ids(tmp_path):
    folder = _agents_copy(tmp_path)
    shutil.copy(folder / "pm.md", folder / "pm_copy.md")
    with pytest.raises(TeamError) as info:
        Team.load(agents_dir=folder)
    assert (
        str(info.value)
        == f"{folder / 'pm_copy.md'}:1: duplicate role id 'pm' (also defined in {folder / 'pm.md'})"
    )


def test_unreachable_role(tmp_path):
    folder = tmp_path / "agents"
    folder.mkdir()
    write_card(
        folder, "a.md", MINIMAL_CARD.format(name="A", trigger="a", target="B", condition="b")
    )
    write_card(
        folder, "b.md", MINIMAL_CARD.format(name="B", trigger="b", target="A", condition="a")
    )
    write_card(
        folder, "c.md", MINIMAL_CARD.format(name="C", trigger="c", target="A", condition="a")
    )
    graph = _topology(tmp_path, "name: t\ntriage:\n  roles: [a]\n  fallback: a\n")
    with pytest.raises(TeamError) as info:
        Team.load(agents_dir=folder, graph=graph)
    assert str(info.value) == (
        f"{folder / 'c.md'}:1: role 'c' is unreachable: triage cannot pick it and no role hands off to it"
    )


def test_role_that_can_never_end(tmp_path):
    folder = tmp_path / "agents"
    folder.mkdir()
    write_card(
        folder, "a.md", MINIMAL_CARD.format(name="A", trigger="a", target="B", condition="b")
    )
    write_card(
        folder, "b.md", MINIMAL_CARD.format(name="B", trigger="b", target="A", condition="a")
    )
    write_card(
        folder, "c.md", MINIMAL_CARD.format(name="C", trigger="c", target="B", condition="b")
    )
    graph = _topology(tmp_path, "name: t\nfinish: [c]\nescalate_to: c\ntriage:\n  fallback: c\n")
    with pytest.raises(TeamError) as info:
        Team.load(agents_dir=folder, graph=graph)
    assert str(info.value) == (
        f"{folder / 'a.md'}:1: role 'a' can never end or escalate: it may not finish and no handoff "
        "path leads to a role that may"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["agents", "--agents", "/nonexistent/agents"],
            "error: /nonexistent/agents: agents folder not found\n",
        ),
        (
            ["graph", "--graph", "/nonexistent/team.yaml"],
            "error: /nonexistent/team.yaml: topology file not found\n",
        ),
    ],
)
def test_cli_errors_are_one_line_exit_2(args, message):
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (2, message)


def test_team_agents_lists_roles_triggers_and_edges(default_team):
    result = runner.invoke(app, ["agents"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "backend_architect  Backend Architect"
    assert (
        sum(1 for line in lines if line.startswith("    -> "))
        == default_team.graph.number_of_edges()
    )
    data = json.loads(runner.invoke(app, ["agents", "--json"]).output)
    assert {r["id"] for r in data["roles"]} == set(default_team.cards)


def test_graph_formats(default_team):
    mermaid = runner.invoke(app, ["graph"]).output
    assert mermaid.startswith("flowchart LR\n")
    assert "    ml_engineer --> data_engineer\n" in mermaid
    assert mermaid.count(" --> ") == default_team.graph.number_of_edges() + 7
    dot = runner.invoke(app, ["graph", "--format", "dot"]).output
    assert dot.startswith('digraph "default" {') and dot.count(" -> ") == 42 + 7
    edges = json.loads(runner.invoke(app, ["graph", "--format", "json"]).output)["edges"]
    assert len(edges) == default_team.graph.number_of_edges()
    assert runner.invoke(app, ["graph", "--format", "svg"]).exit_code == 2


def test_readme_shows_the_current_team_graph(default_team):
    readme = (ROOT / "README.md").read_text()
    assert f"```mermaid\n{default_team.to_mermaid()}\n```" in readme


def test_help_does_not_import_langgraph_or_anthropic():
    code = (
        "import sys\nfrom team.cli import main\nsys.argv = ['team', '--help']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('langgraph', 'anthropic', 'langchain_anthropic', 'langchain_core', 'networkx', 'jinja2', 'markdown_it'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "HEAVY []"


def test_wheel_ships_cards_and_graphs_and_loads_them_installed(tmp_path):
    """An installed copy (not the source tree) loads all seven cards through importlib.resources."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("teamgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "team/agents/ml_engineer.md" in names
    assert "team/graphs/default.yaml" in names
    assert "team/py.typed" in names
    assert "team/report/templates/run.html.j2" in names
    assert "team/routing/examples.json" in names  # the learnt routing examples
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import team; from team.topology import Team, packaged_path\n"
        "assert team.__file__.startswith(sys.argv[1]), team.__file__\n"
        "assert str(packaged_path('agents')).startswith(sys.argv[1])\n"
        "print(len(Team.load().cards))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert out.stdout.strip() == "7"
