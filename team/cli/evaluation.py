"""Commands that score routing and scenarios: route, eval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from team.cli import (
    AgentsOption,
    GraphOption,
    JsonFlag,
    RecordOption,
    ReplayOption,
    _usage,
    app,
    user_errors,
)


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
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Compare with a stored --json result.")
    ] = None,
    routing: Annotated[
        Path | None, typer.Option("--routing", help="Score a labelled routing set (JSONL) instead.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing --json/--junit/--html files.")
    ] = False,
    record: RecordOption = None,
    replay: ReplayOption = None,
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
        for target in (json_out, junit, html):
            if target is not None:
                check_new_file(target, force=force)
        if routing is not None and html is not None:
            raise _usage("--html reports scenario runs; it does not apply to --routing")
        if routing is not None and (record or replay):
            raise _usage("--record and --replay are for scenario runs, not --routing")
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
        team_ = Team.load(agents_dir=agents_dir, graph=graph)
        roles = set(team_.cards)
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
                record=record,
                replay=replay,
                on_progress=lambda item: progress.update(task, advance=1, description=item["name"]),
            )
        report.print_suite(console, suite)
        data = suite.to_dict()
        if json_out is not None:
            json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        if junit is not None:
            write_junit(suite, junit)
        if html is not None:
            from team.report import write_eval_report

            write_eval_report(suite, team_, html, baseline=old)
        regressions = compare_baseline(data, old) if old is not None else []
        for line in regressions:
            console.print(f"[red]regression[/] {escape(line)}")
    if suite.failed or regressions:
        raise typer.Exit(1)
