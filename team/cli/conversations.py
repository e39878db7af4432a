"""Commands that talk to the team: run, serve, mcp, chat."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from team.cli import (
    AgentsOption,
    GraphOption,
    ModelOption,
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
