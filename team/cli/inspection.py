"""Commands that inspect cards, the team graph and repositories: card, agents, graph, tools, review."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from team.cli import (
    AgentsOption,
    GraphOption,
    JsonFlag,
    app,
    user_errors,
)


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"


@app.command()
def card(
    path: Annotated[Path, typer.Argument(help="A persona card markdown file.")],
    as_json: JsonFlag = False,
) -> None:
    """Parse one persona card and print what it holds (no team validation)."""
    from team.cards import load_card

    with user_errors():
        parsed = load_card(path)
    if as_json:
        typer.echo(parsed.to_json())
        return
    summary = parsed.summary()
    typer.echo(f"{parsed.name} ({parsed.id})  {path}")
    for key in (
        "triggers",
        "mindset",
        "capabilities",
        "tool_orchestration",
        "workflow",
        "quality_standards",
        "anti_patterns",
    ):
        typer.echo(f"  {key.replace('_', ' '):<20}{summary[key]}")
    targets = ", ".join(h.target_id for h in parsed.handoffs)
    typer.echo(f"  {'handoffs':<20}{len(parsed.handoffs)}: {targets}")
    for title in parsed.extra_sections:
        typer.echo(f"  extra section       {title}")


@app.command()
def agents(
    agents_dir: AgentsOption = None, graph: GraphOption = None, as_json: JsonFlag = False
) -> None:
    """List the team's roles with their triggers and handoff edges."""
    from team.topology import Team

    with user_errors():
        loaded = Team.load(agents_dir=agents_dir, graph=graph)
    if as_json:
        typer.echo(loaded.to_json())
        return
    for role in loaded.cards.values():
        entry = "" if role.id in loaded.entry_roles() else "  (not a triage entry)"
        typer.echo(f"{role.id}  {role.name}{entry}")
        for trigger in role.triggers:
            typer.echo(f"    when   {trigger.text}")
        for handoff in role.handoffs:
            typer.echo(f"    -> {handoff.target_id}: {handoff.condition}")


@app.command("graph")
def graph_command(
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
    fmt: Annotated[
        GraphFormat, typer.Option("--format", help="Output format.")
    ] = GraphFormat.mermaid,
) -> None:
    """Print the team graph: triage, roles and handoff edges."""
    from team.topology import Team

    with user_errors():
        loaded = Team.load(agents_dir=agents_dir, graph=graph)
    render = {"mermaid": loaded.to_mermaid, "dot": loaded.to_dot, "json": loaded.to_json}[fmt.value]
    typer.echo(render())


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def tools(
    root: Annotated[Path, typer.Argument(help="The repository to inspect (read-only).")],
    tool: Annotated[str, typer.Argument(help="glob, read_file, grep, analyze or review.")],
    args: Annotated[
        list[str] | None, typer.Argument(help="Arguments: positional or key=value.")
    ] = None,
) -> None:
    """Run one repository tool, exactly as a role would see it (handy to debug a card)."""
    from team.errors import TeamError
    from team.tools import SandboxError, ToolUsageError, run_tool

    with user_errors():
        try:
            output = run_tool(root, tool, args or [])
        except (SandboxError, ToolUsageError) as exc:
            raise TeamError(str(exc)) from None
    refused = output.startswith("error: ")
    typer.echo(output, err=refused)
    if refused:
        raise typer.Exit(2)


@app.command()
def review(
    path: Annotated[Path, typer.Argument(help="A repository (or one file) to review.")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="Whose review: ml_engineer, devops_engineer, backend_architect, "
            "performance_engineer, data_engineer, system_architect, pm, a comma list, or all.",
        ),
    ] = "ml_engineer",
    as_json: JsonFlag = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show the data flow behind each finding and what was looked at but not reported "
            "(the ML review).",
        ),
    ] = False,
) -> None:
    """A role's static review of a repository (default: the ML Engineer's).

    Exit 1 on findings, 2 when the review could not run (or read only part of the repository).
    A file that cannot be analysed is skipped and listed; the rest is reviewed.
    """
    import json

    from team import audit
    from team import review as ml
    from team.errors import TeamError

    with user_errors():
        if not path.exists():
            raise TeamError("path does not exist", path=path)
        try:
            roles = audit.parse_roles(role)
        except ValueError as exc:
            raise TeamError(str(exc)) from None
        root, only = (path, None) if path.is_dir() else (path.parent, [path.name])
        try:
            if roles == ["ml_engineer"]:
                report = ml.review_report(root, paths=only)
            else:
                audited = audit.audit_report(root, roles=roles, paths=only)
        except ValueError as exc:
            raise TeamError(str(exc), path=path) from None
    if roles == ["ml_engineer"]:
        findings: list[Any] = report.findings
        rows = [{"role": "ml_engineer", **row} for row in ml.findings_to_json(findings)]
        text = ml.format_findings(findings, explain=explain, notes=report.notes)
    else:
        findings = audited.findings
        rows = audit.findings_to_json(findings)
        text = audit.format_findings(findings)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        typer.echo(text, nl=False)
        rules = sorted({f.rule for f in findings})
        typer.echo(f"{len(findings)} finding(s)" + (f": {', '.join(rules)}" if rules else ""))
    unread = report.unread if roles == ["ml_engineer"] else audited.unread
    if unread:
        typer.echo(ml.format_unread(unread), err=True)
    if roles == ["ml_engineer"] and report.partial:
        typer.echo(f"error: the review {report.partial}; results are partial", err=True)
        raise typer.Exit(2)
    if roles == ["ml_engineer"] and report.skipped and not report.reviewed:
        typer.echo(f"error: no file could be reviewed ({len(report.skipped)} skipped)", err=True)
        raise typer.Exit(2)
    if any(f.rule not in audit.NOT_READ for f in findings):
        raise typer.Exit(1)
