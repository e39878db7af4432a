"""The ``team`` command. It only parses arguments and calls the library.

Every command imports what it needs inside its body, so ``team --help`` loads neither LangGraph
nor any model client.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="team",
    help="A software team of role agents on LangGraph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

AgentsOption = Annotated[
    Path | None,
    typer.Option(
        "--agents", help="Folder of persona cards (*.md) to use instead of the packaged ones."
    ),
]
GraphOption = Annotated[
    Path | None, typer.Option("--graph", help="Topology YAML file (default: graphs/default.yaml).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", envvar="TEAM_MODEL", help="offline (default) or provider:model."),
]
RepoOption = Annotated[
    Path | None, typer.Option("--repo", help="Repository the roles may inspect (read-only).")
]
ThreadOption = Annotated[
    str | None, typer.Option("--thread", help="Continue this conversation thread.")
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a user error into one line on stderr and exit code 2, never a traceback.

    ``TeamError`` carries its own file and line; an ``OSError`` (an output path that cannot be
    written, a port that cannot be bound) names the path it failed on.
    """
    from team.errors import TeamError

    try:
        yield
    except TeamError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


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


@app.command()
def run(
    scenario: Annotated[Path | None, typer.Argument(help="A scenario YAML file.")] = None,
    request: Annotated[
        str | None, typer.Option("--request", "-r", help="The request, instead of a scenario.")
    ] = None,
    repo: RepoOption = None,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
    trace: Annotated[
        Path | None, typer.Option("--trace", help="Write a JSONL event trace to this file.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write one markdown deliverable per role here.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Print whole deliverables in the transcript.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --trace file.")
    ] = False,
    thread: ThreadOption = None,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Continue a stopped run (its thread id).")
    ] = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Run a scenario, or a request, through the team and show who did what and why.

    Runs are saved in TEAM_HOME/threads.sqlite: one that stops on a model failure continues with
    --resume THREAD_ID.
    """
    import uuid

    from rich.console import Console

    from team.home import sqlite_checkpointer
    from team.run import Event, resume_team, run_team, validate_inputs
    from team.scenarios import check_scenario, load_scenario
    from team.topology import Team
    from team.transcript import (
        TraceWriter,
        Transcript,
        check_new_file,
        check_out_folder,
        summary_line,
        write_deliverables,
    )

    with user_errors():
        if resume is not None and (scenario is not None or request is not None):
            raise _usage("--resume continues a saved run; give no scenario or --request with it")
        if resume is None and (scenario is None) == (request is None):
            what = "not both" if scenario is not None else "or --resume THREAD_ID"
            raise _usage(f"give a scenario file or --request TEXT, {what}")
        followups: tuple[str, ...] = ()
        if scenario is not None:
            loaded = load_scenario(scenario)
            request, followups = loaded.request, loaded.followups
            repo = repo or loaded.repo_path()
            model = model or loaded.model
        if resume is None:
            validate_inputs(request or "", repo)
        if trace is not None:
            check_new_file(trace, force=force)
        if out is not None:
            check_out_folder(out)
            out.mkdir(parents=True, exist_ok=True)  # fail before the run, not after it
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        if scenario is not None:
            check_scenario(loaded, set(team_.cards))
        names = {role: card.name for role, card in team_.cards.items()}
        console = Console(stderr=as_json, highlight=False, emoji=False)
        listeners: list = [] if as_json else [Transcript(console, names, full=full)]
        trace_stream = trace.open("w", encoding="utf-8") if trace is not None else None
        if trace_stream is not None:
            listeners.append(TraceWriter(trace_stream))

        def on_event(event: Event) -> None:
            for listen in listeners:
                listen(event)

        try:
            with sqlite_checkpointer() as saver:
                if resume is not None:
                    result = resume_team(
                        team_,
                        resume,
                        checkpointer=saver,
                        model=model or "offline",
                        on_event=on_event,
                    )
                else:
                    result = run_team(
                        team_,
                        request or "",
                        followups=followups,
                        repo=repo,
                        model=model or "offline",
                        thread_id=thread or f"run-{uuid.uuid4().hex[:12]}",
                        checkpointer=saver,
                        on_event=on_event,
                    )
        finally:
            if trace_stream is not None:
                trace_stream.close()
        if out is not None:
            write_deliverables(result, out, names)
    if as_json:
        typer.echo(result.to_json())
    else:
        console.print(summary_line(result, names))
    if result.outcome != "done":
        raise typer.Exit(1)


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
def route(
    text: Annotated[str | None, typer.Argument(help="A request.")] = None,
    source: Annotated[
        str | None,
        typer.Option("--from", help="The role holding the work: whom would it hand this to?"),
    ] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="A file of requests, one JSON object per line.")
    ] = None,
    as_json: JsonFlag = False,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Show which role triage picks for a request (or whom --from ROLE hands it to), and why."""
    import json

    from team.evaluate.routing_set import decide, read_routing_set
    from team.routing import router_for
    from team.topology import Team

    with user_errors():
        if (text is None) == (jsonl is None):
            raise _usage("give a request TEXT or --jsonl FILE, not both")
        if text is not None and not text.strip():
            raise _usage("empty request: give the team something to route")
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        if source is not None and source not in team_.cards:
            raise _usage(f"--from: unknown role {source!r}")
        settings = team_.topology.triage
        router = router_for(team_.cards, fallback=settings.fallback, min_score=settings.min_score)
        if jsonl is not None:
            for case in read_routing_set(jsonl, set(team_.cards)):
                decision = decide(router, case.text, case.source or source)
                typer.echo(json.dumps({"text": case.text, **decision.to_dict()}))
            return
        assert text is not None
        decision = decide(router, text, source)
    if as_json:
        typer.echo(json.dumps(decision.to_dict()))
        return
    typer.echo(f"{decision.agent}  (score {decision.score:.2f})")
    label = "criterion" if decision.criterion else "trigger"
    typer.echo(f"  {label}: {decision.criterion or decision.reason}")


@app.command("eval")
def eval_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Scenario files or folders (default: scenarios/).")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Model for every scenario (default: each scenario's, else offline)."
        ),
    ] = None,
    trials: Annotated[int, typer.Option("--trials", help="Runs per scenario (for pass^k).")] = 1,
    workers: Annotated[
        int, typer.Option("--workers", help="Scenarios run in parallel processes.")
    ] = 1,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the full result as JSON.")
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write a JUnit XML report.")] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Compare with a stored --json result.")
    ] = None,
    routing: Annotated[
        Path | None, typer.Option("--routing", help="Score a labelled routing set (JSONL) instead.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing --json/--junit files.")
    ] = False,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Run scenarios and score routing: pass/fail, per-role P/R/F1, pass^k, loops, regressions."""
    import json

    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress

    from team.errors import TeamError
    from team.evaluate import report
    from team.transcript import check_new_file

    console = Console(highlight=False, emoji=False)
    with user_errors():
        for target in (json_out, junit):
            if target is not None:
                check_new_file(target, force=force)
        if routing is not None:
            from team.evaluate.routing_set import evaluate_routing, read_routing_set
            from team.routing import router_for
            from team.topology import Team

            team_ = Team.load(agents_dir=agents_dir, graph=graph)
            settings = team_.topology.triage
            router = router_for(
                team_.cards, fallback=settings.fallback, min_score=settings.min_score
            )
            scores, misses = evaluate_routing(router, read_routing_set(routing, set(team_.cards)))
            report.print_scores(console, scores.to_dict(), title=f"Routing set {routing}")
            report.print_confusion(console, scores.confusion, title="Expected vs chosen")
            for case, decision in misses:
                console.print(
                    f"miss {routing}:{case.line}: expected {case.expect}, got {decision.agent}: {case.text}",
                    markup=False,
                )
            if json_out is not None:
                json_out.write_text(json.dumps(scores.to_dict(), indent=2) + "\n", encoding="utf-8")
            return
        from team.evaluate.suite import (
            collect_scenarios,
            compare_baseline,
            load_json,
            run_suite,
            write_junit,
        )
        from team.scenarios import check_scenario, load_scenario
        from team.topology import Team

        old = load_json(baseline, what="baseline") if baseline is not None else None
        if old is not None:
            try:
                compare_baseline({"scenarios": []}, old)  # its shape, before anything runs
            except TeamError as exc:
                raise TeamError(exc.message, path=baseline) from None
        files = collect_scenarios(paths or [Path("scenarios")])
        roles = set(Team.load(agents_dir=agents_dir, graph=graph).cards)
        for path in files:
            check_scenario(load_scenario(path), roles)  # reported before anything runs
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("scenarios", total=None)
            suite = run_suite(
                files,
                model=model,
                trials=trials,
                workers=workers,
                agents_dir=str(agents_dir) if agents_dir else None,
                graph=str(graph) if graph else None,
                on_progress=lambda item: progress.update(task, advance=1, description=item["name"]),
            )
        report.print_suite(console, suite)
        data = suite.to_dict()
        if json_out is not None:
            json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        if junit is not None:
            write_junit(suite, junit)
        regressions = compare_baseline(data, old) if old is not None else []
        for line in regressions:
            console.print(f"[red]regression[/] {escape(line)}")
    if suite.failed or regressions:
        raise typer.Exit(1)


@app.command()
def review(
    path: Annotated[Path, typer.Argument(help="A repository (or one file) to review.")],
    as_json: JsonFlag = False,
) -> None:
    """The ML Engineer's static review: leakage, metrics, seeds, skew, monitoring (exit 1 on findings)."""
    import json

    from team.errors import TeamError
    from team.review import findings_to_json, format_findings, review_path

    with user_errors():
        if not path.exists():
            raise TeamError("path does not exist", path=path)
        root, only = (path, None) if path.is_dir() else (path.parent, [path])
        try:
            findings = review_path(root, paths=only)
        except ValueError as exc:
            raise TeamError(str(exc), path=path) from None
    if as_json:
        typer.echo(json.dumps(findings_to_json(findings), indent=2))
    else:
        typer.echo(format_findings(findings), nl=False)
        rules = sorted({f.rule for f in findings})
        typer.echo(f"{len(findings)} finding(s)" + (f": {', '.join(rules)}" if rules else ""))
    if findings:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(help="Interface to listen on; beyond loopback only with TEAM_API_TOKEN set."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    checkpoint: Annotated[
        str | None,
        typer.Option(
            help="Where conversations persist: a SQLite file (default TEAM_HOME/threads.sqlite), "
            "postgresql://... (shared between servers) or memory."
        ),
    ] = None,
    model: ModelOption = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Serve the team as an OpenAI-compatible API: POST /v1/chat/completions, GET /v1/models.

    Models: teamgraph, or teamgraph/<role> to start every turn at that role. Threads follow the
    X-Thread-Id header (else metadata.thread_id, else user). Set TEAM_API_TOKEN to require
    'Authorization: Bearer <token>'.
    """
    from team.serve import serve as serve_team

    with user_errors():
        serve_team(
            host=host,
            port=port,
            checkpoint=checkpoint,
            model=model or "offline",
            agents_dir=agents_dir,
            graph=graph,
        )


@app.command()
def chat(
    thread: ThreadOption = None,
    repo: RepoOption = None,
    model: ModelOption = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Talk to the team in the terminal; conversations persist in TEAM_HOME."""
    from rich.console import Console

    from team.home import sqlite_checkpointer
    from team.repl import ChatLoop
    from team.run import validate_repo
    from team.topology import Team

    with user_errors():
        root = validate_repo(repo)
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        with sqlite_checkpointer() as saver:
            loop = ChatLoop(
                team_,
                Console(highlight=False),
                thread_id=thread,
                model=model or "offline",
                repo=root,
                checkpointer=saver,
            )
            loop.run(input)


def _usage(message: str) -> Exception:
    from team.errors import TeamError

    return TeamError(message)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="team")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
