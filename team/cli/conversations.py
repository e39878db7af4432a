"""Commands that talk to the team: run, serve, mcp, chat."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from team.cli import (
    AgentsOption,
    GraphOption,
    ModelOption,
    RecordOption,
    ReplayOption,
    RepoOption,
    ThreadOption,
    _usage,
    app,
    user_errors,
)


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
        Path | None,
        typer.Option(
            "--out", help="Write one markdown deliverable per role here, and report.html."
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report to this file.")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Print whole deliverables in the transcript.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --trace or --html file.")
    ] = False,
    thread: ThreadOption = None,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Continue a stopped run (its thread id).")
    ] = None,
    record: RecordOption = None,
    replay: ReplayOption = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Run a scenario, or a request, through the team and show who did what and why.

    Runs are saved in TEAM_HOME/threads.sqlite: one that stops (Ctrl-C, a model failure)
    continues with --resume THREAD_ID.
    """
    from team.home import sqlite_checkpointer
    from team.runner import Interrupted, execute, plan_run
    from team.topology import Team
    from team.transcript import Output

    with user_errors():
        if resume is None and (scenario is None) == (request is None):
            what = "not both" if scenario is not None else "or --resume THREAD_ID"
            raise _usage(f"give a scenario file or --request TEXT, {what}")
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        plan = plan_run(
            team_, scenario=scenario, request=request, repo=repo, model=model,
            thread_id=thread, resume=resume, record=record, replay=replay,
        )  # fmt: skip
        output = Output(
            team_, as_json=as_json, full=full, trace=trace, force=force, out=out, html=html,
            overwrite_hint="use --force",
        )  # fmt: skip
        result = None
        try:
            with sqlite_checkpointer() as saver, output:
                result = execute(plan, checkpointer=saver, on_event=output.on_event)
            title = plan.scenario.name if plan.scenario else None
            output.finish(result, title=title, repo=plan.repo)
        except (Interrupted, KeyboardInterrupt) as exc:
            # Every interrupt names the thread: before the run, during it, or while writing it.
            saved = plan.resume or result is not None
            stopped = (
                exc if isinstance(exc, Interrupted) else Interrupted(plan.thread_id, saved=saved)
            )
            hint = f"; continue it with: team run --resume {plan.thread_id}"
            typer.echo(f"error: {stopped}{hint if stopped.saved else ''}", err=True)
            raise typer.Exit(130) from None
    if result.outcome != "done":
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
    repo: RepoOption = None,
    cors: Annotated[
        list[str] | None,
        typer.Option("--cors", help="A browser origin allowed to call the API (repeatable)."),
    ] = None,
    max_body_bytes: Annotated[
        int | None,
        typer.Option(help="The largest request body accepted (413 beyond it); default 4 MiB."),
    ] = None,
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
            repo=repo,
            cors=tuple(cors or ()),
            max_body_bytes=max_body_bytes,
        )


@app.command()
def mcp(
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP at /mcp instead of stdio.")
    ] = False,
    host: Annotated[
        str,
        typer.Option(help="With --http: interface; beyond loopback only with TEAM_API_TOKEN set."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --http: TCP port.", min=1, max=65535)] = 8765,
    checkpoint: Annotated[
        str | None,
        typer.Option(help="Where conversations persist (as team serve; default TEAM_HOME)."),
    ] = None,
    model: ModelOption = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Serve the team to MCP clients (desktop chat apps, IDE assistants): stdio by default.

    Tools: ask, route, review, approve, reject. Resources: team://cards/<role>, team://graph,
    team://threads/<id>.
    """
    from team.mcp.serving import serve_mcp

    with user_errors():
        serve_mcp(
            http=http,
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

    from team.engine import Engine
    from team.home import sqlite_checkpointer
    from team.repl import ChatLoop
    from team.topology import Team

    with user_errors():
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        with sqlite_checkpointer() as saver:
            engine = Engine(team_, model=model or "offline", repo=repo, checkpointer=saver)
            ChatLoop(engine, Console(highlight=False), thread_id=thread).run(input)
