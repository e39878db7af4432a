"""Commands that score routing and scenarios: route, eval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show the request's asks and context, each ask's owner, scores and margin, and the edge each handoff would take.",
        ),
    ] = False,
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
        if explain:
            if source is not None:
                raise _usage("--explain traces a request from triage; it does not take --from")
            from team.routing.explain import explain_request

            found = explain_request(
                router, text, targets=team_.targets, among=set(team_.entry_roles())
            )
            if as_json:
                typer.echo(json.dumps(found.to_dict()))
            else:
                names = {role: card.name for role, card in team_.cards.items()}
                typer.echo("\n".join(found.lines(names)))
            return
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
        list[Path] | None,
        typer.Argument(
            help="Scenario files or folders (default: scenarios/); 'merge RESULTS...' merges "
            "the --json results of shards."
        ),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="Model for every scenario (default: each scenario's, else offline); "
            "repeat it to compare models side by side.",
        ),
    ] = None,
    trials: Annotated[int, typer.Option("--trials", help="Runs per scenario (for pass^k).")] = 1,
    workers: Annotated[
        int, typer.Option("--workers", help="Scenarios run in parallel processes (offline).")
    ] = 1,
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", help="Trials run at once in this process (for real models)."),
    ] = 1,
    max_cost: Annotated[
        str | None,
        typer.Option(
            "--max-cost",
            help="Stop when this is spent: dollars (2.50) or tokens (200k tokens); "
            "what finished is reported.",
        ),
    ] = None,
    shard: Annotated[
        str | None, typer.Option("--shard", help="Run the I-th of N slices of the suite: I/N.")
    ] = None,
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
    asks: Annotated[
        Path | None,
        typer.Option(
            "--asks",
            help="Run a labelled ask set (YAML) through the team instead: first role, ask ownership, criterion fit, forbidden roles, single-role purity.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing --json/--junit/--html files.")
    ] = False,
    record: RecordOption = None,
    replay: ReplayOption = None,
    agents_dir: AgentsOption = None,
    graph: GraphOption = None,
) -> None:
    """Run scenarios and score routing: pass/fail, per-role P/R/F1, pass^k, loops, tokens, cost,
    latency, regressions. 'team eval merge A.json B.json' combines the results of --shard runs."""
    from rich.console import Console

    from team.transcript import check_new_file

    console = Console(highlight=False, emoji=False)
    models: list[str | None] = [*model] if model else [None]
    with user_errors():
        for target in (json_out, junit, html):
            if target is not None:
                check_new_file(target, force=force)
        _check_options(
            models, asks=asks, routing=routing, paths=paths, html=html, junit=junit,
            baseline=baseline, recording=bool(record or replay),
        )  # fmt: skip
        if asks is not None:
            _ask_set(asks, json_out, models[0] or "offline", agents_dir, graph)
            return
        if routing is not None:
            _routing_set(console, routing, json_out, agents_dir, graph)
            return
        old = _baseline(baseline)
        if paths and paths[0] == Path("merge") and not Path("merge").exists():
            suites = _merged(paths[1:])
            team_ = _team(agents_dir, graph)
        else:
            suites, team_ = _run(
                paths, models, trials=trials, workers=workers, concurrency=concurrency,
                max_cost=max_cost, shard=shard, record=record, replay=replay,
                agents_dir=agents_dir, graph=graph,
            )  # fmt: skip
        regressions = _report(console, suites, team_, json_out, junit, html, old)
    if any(s.failed or s.not_run for s in suites) or regressions:
        raise typer.Exit(1)


def _check_options(
    models: list[str | None],
    *,
    asks: Path | None,
    routing: Path | None,
    paths: list[Path] | None,
    html: Path | None,
    junit: Path | None,
    baseline: Path | None,
    recording: bool,
) -> None:
    """Refuse option combinations that mean nothing, before anything runs."""
    if asks is not None:
        if routing is not None or paths or html is not None or recording:
            raise _usage(
                "--asks runs a labelled ask set; give no scenarios, --routing, --html, "
                "--record or --replay with it"
            )
        if len(models) > 1:
            raise _usage("--asks runs one model; give one --model")
    if routing is not None and html is not None:
        raise _usage("--html reports scenario runs; it does not apply to --routing")
    if routing is not None and recording:
        raise _usage("--record and --replay are for scenario runs, not --routing")
    if len(models) > 1 and (junit or html or baseline):
        raise _usage("--junit, --html and --baseline report one model; give one --model")
    if len(set(models)) < len(models):
        raise _usage("--model: each model once")


def _baseline(path: Path | None) -> dict[str, Any] | None:
    """A stored --json result to compare with, its shape checked before anything runs."""
    from team.errors import TeamError
    from team.evaluate.suite import compare_baseline, load_json

    if path is None:
        return None
    old = load_json(path, what="baseline")
    try:
        compare_baseline({"scenarios": []}, old)
    except TeamError as exc:
        raise TeamError(exc.message, path=path) from None
    return old


def _report(
    console: Any,
    suites: list[Any],
    team_: Any,
    json_out: Path | None,
    junit: Path | None,
    html: Path | None,
    old: dict[str, Any] | None,
) -> list[str]:
    """Print the suites (side by side for several models), write the files asked for, and
    return the regressions against the baseline."""
    import json

    from rich.markup import escape

    from team.evaluate import report
    from team.evaluate.suite import compare_baseline, write_junit

    if len(suites) == 1:
        report.print_suite(console, suites[0])
        data = suites[0].to_dict()
    else:
        report.print_comparison(console, suites)
        data = {"models": {s.model: s.to_dict() for s in suites}}
    if json_out is not None:
        json_out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if junit is not None:
        write_junit(suites[0], junit)
    if html is not None:
        from team.report import write_eval_report

        write_eval_report(suites[0], team_, html, baseline=old)
    regressions = compare_baseline(data, old) if old is not None else []
    for line in regressions:
        console.print(f"[red]regression[/] {escape(line)}")
    return regressions


def _team(agents_dir: Path | None, graph: Path | None) -> Any:
    from team.topology import Team

    return Team.load(agents_dir=agents_dir, graph=graph)


def _routing_set(
    console: Any, routing: Path, json_out: Path | None, agents_dir: Path | None, graph: Path | None
) -> None:
    import json

    from team.evaluate import report
    from team.evaluate.routing_set import evaluate_routing, read_routing_set
    from team.routing import router_for

    team_ = _team(agents_dir, graph)
    settings = team_.topology.triage
    router = router_for(team_.cards, fallback=settings.fallback, min_score=settings.min_score)
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


def _ask_set(
    asks: Path, json_out: Path | None, model: str, agents_dir: Path | None, graph: Path | None
) -> None:
    import json

    from rich.console import Console
    from rich.progress import Progress

    from team.evaluate.asks import read_ask_set, run_ask_set, score_ask_set

    team_ = _team(agents_dir, graph)
    cases = read_ask_set(asks, set(team_.cards))
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("asks", total=len(cases))
        runs = run_ask_set(
            team_,
            cases,
            model=model,
            on_progress=lambda run: progress.update(task, advance=1, description=run.case.id),
        )
    scored = score_ask_set(runs)
    for miss in scored.misses:
        typer.echo(f"miss {miss}")
    typer.echo(f"Ask set {asks}: {scored.cases} requests")
    typer.echo("\n".join(scored.lines()))
    if json_out is not None:
        json_out.write_text(json.dumps(scored.to_dict(), indent=2) + "\n", encoding="utf-8")


def _run(
    paths: list[Path] | None, models: list[str | None], **options: Any
) -> tuple[list[Any], Any]:
    """Check everything, then run the suite once per model (one budget for all of them)."""
    from rich.console import Console
    from rich.progress import Progress

    from team.evaluate.suite import collect_scenarios, run_suite
    from team.evaluate.trials import check_parallelism, parse_shard
    from team.models.prices import Budget, parse_budget
    from team.scenarios import check_scenario, load_scenario

    files = collect_scenarios(paths or [Path("scenarios")])
    agents_dir, graph = options.pop("agents_dir"), options.pop("graph")
    team_ = _team(agents_dir, graph)
    roles = set(team_.cards)
    for path in files:
        check_scenario(load_scenario(path), roles)  # reported before anything runs
    max_cost = options.pop("max_cost")
    budget = Budget(*parse_budget(max_cost)) if max_cost else None
    if options["shard"]:
        parse_shard(options["shard"])
    check_parallelism(workers=options["workers"], concurrency=options["concurrency"], budget=budget)
    suites = []
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("scenarios", total=None)
        for model in models:
            suites.append(
                run_suite(
                    files,
                    model=model,
                    agents_dir=str(agents_dir) if agents_dir else None,
                    graph=str(graph) if graph else None,
                    budget=budget,
                    on_progress=lambda item: progress.update(
                        task, advance=1, description=item["name"]
                    ),
                    **options,
                )
            )
    return suites, team_


def _merged(results: list[Path]) -> list[Any]:
    """Merge shards' results; a comparison's results merge model by model."""
    from team.evaluate.suite import load_json, merge_results

    if not results:
        raise _usage("merge: give the --json results of a suite's shards")
    loaded = [load_json(path, what="result") for path in results]
    comparisons = ["models" in data for data in loaded]
    if any(comparisons) and not all(comparisons):
        raise _usage("merge: results of one model and of a comparison do not mix")
    names = [str(p) for p in results]
    if not all(comparisons):
        return [merge_results(loaded, sources=names)]
    labels = list(loaded[0]["models"])
    for data, name in zip(loaded, names, strict=True):
        if list(data["models"]) != labels:
            raise _usage(f"{name}: compares other models than {names[0]}")
    return [
        merge_results([data["models"][label] for data in loaded], sources=names) for label in labels
    ]
