"""Running a suite's trials: one at a time, in worker processes, or as concurrent tasks.

Worker processes suit the offline model (CPU-bound). A real model spends its time waiting on
the network, so ``concurrency`` runs trials as asyncio tasks in one process, each trial's graph
in a thread of a pool that size, sharing one budget. Whichever way they run, the results come
back in the order of the jobs, so a suite's result does not depend on how it was run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from team.errors import TeamError
from team.evaluate.metrics import NONE

__all__ = [
    "Job",
    "check_parallelism",
    "parse_shard",
    "run_trial",
    "run_trials",
    "to_graph_trajectory",
]

Progress = Callable[[dict[str, Any]], None]


def to_graph_trajectory(result: Any) -> dict[str, Any]:
    """A run in agentevals' graph-trajectory shape: ``inputs``, ``results``, ``steps`` per turn.

    Example:
        >>> from team import Team, run_team
        >>> result = run_team(Team.load(), "Train a churn model")
        >>> to_graph_trajectory(result)["steps"][0][:3]
        ['__start__', 'triage', 'ml_engineer']
    """
    inputs: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    steps: list[list[str]] = []
    current: list[str] = []
    last_text = ""
    for event in result.events:
        if event.kind == "triage":
            if current:
                steps.append(current)
                results.append({"messages": [{"role": "assistant", "content": last_text}]})
            inputs.append({"messages": [{"role": "user", "content": result.turns[len(inputs)]}]})
            current = ["__start__", "triage"]
        elif event.kind == "role":
            current.append(event.role)
        elif event.kind == "tool_call":
            current.append(f"{event.role}:tools")
        elif event.kind == "deliverable":
            last_text = event.text
    if current:
        steps.append(current)
        results.append({"messages": [{"role": "assistant", "content": last_text}]})
    return {"inputs": inputs, "results": results, "steps": steps}


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"``: the I-th of N slices of a suite (1-based).

    Raises:
        TeamError: Not of that form, or I outside 1..N.

    Example:
        >>> parse_shard("2/3")
        (2, 3)
    """
    part, _, count = str(text).partition("/")
    try:
        index, total = int(part), int(count)
    except ValueError:
        raise TeamError(f"shard {text!r}: give I/N, e.g. 1/4") from None
    if not 1 <= index <= total:
        raise TeamError(f"shard {text!r}: I must be between 1 and N")
    return index, total


@dataclass(frozen=True)
class Job:
    """One trial of one scenario, as a worker runs it (picklable).

    ``index`` is the scenario's place in the whole suite, so the trials of shards merge back
    into the order of one run.
    """

    path: str
    index: int = 0
    trial: int = 0
    trials: int = 1
    model: str | None = None
    agents_dir: str | None = None
    graph: str | None = None
    record: str | None = None
    replay: str | None = None


_TEAMS: dict[tuple[str | None, str | None], Any] = {}
_TEAMS_LOCK = threading.Lock()


def _team(job: Job) -> Any:
    from team.topology import Team

    key = (job.agents_dir, job.graph)
    with _TEAMS_LOCK:
        if key not in _TEAMS:
            _TEAMS[key] = Team.load(agents_dir=job.agents_dir, graph=job.graph)
        return _TEAMS[key]


def _not_run(job: Job, name: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "index": job.index,
        "trial": job.trial,
        "name": name,
        "path": job.path,
        "status": "not run",
        "calls": calls,
    }


def run_trial(job: Job, budget: Any = None) -> dict[str, Any]:
    """Run one trial; with a ``budget`` spent, it stops and reports ``status: not run``.

    Raises:
        ReplayMismatch: Replaying, and the run asked for a call that was not recorded.
    """
    from team.engine import run_team
    from team.evaluate.asks import run_measures
    from team.evaluate.expect import check_expectations
    from team.models.prices import BudgetReached
    from team.models.tape import Cassette, Tape
    from team.routing import router_for
    from team.scenarios import load_scenario

    scenario = load_scenario(job.path)
    if budget is not None and budget.reached:
        return _not_run(job, scenario.name, [])
    cassette = Cassette.open(record=job.record, replay=job.replay)
    label = job.model or "default"
    tape = (
        cassette.tape(scenario.name, model=label, trial=job.trial, budget=budget)
        if cassette is not None
        else Tape(scenario.name, label, job.trial, budget=budget)
    )
    try:
        result = run_team(
            _team(job),
            scenario.request,
            followups=scenario.followups,
            repo=scenario.repo_path(),
            model=job.model or scenario.model or "offline",
            thread_id=f"eval-{Path(job.path).stem}-{job.trial}",
            tape=tape,
        )
    except BudgetReached:
        return _not_run(job, scenario.name, tape.stats())
    if cassette is not None and cassette.mode == "record":
        cassette.save(tape, trials=job.trials)
    tape.finish()
    expect = scenario.expect
    checks = [str(c) for c in check_expectations(expect, result)] if expect else []
    team = _team(job)
    settings = team.topology.triage
    router = router_for(team.cards, fallback=settings.fallback, min_score=settings.min_score)
    second = None
    if expect is not None and expect.path is not None and expect.match == "strict":
        second = expect.path[1] if len(expect.path) > 1 else NONE
    return {
        "index": job.index,
        "trial": job.trial,
        "name": scenario.name,
        "path": job.path,
        "status": "done",
        "checks": checks,
        "visited": result.visited,
        "handoffs": result.handoffs,
        "outcome": result.outcome,
        "expected_first": expect.first if expect else None,
        "expected_second": second,
        "trajectory": to_graph_trajectory(result),
        "calls": tape.stats(),
        "measures": run_measures(router, expect, result),
    }


def check_parallelism(*, workers: int, concurrency: int, budget: Any = None) -> None:
    """Check how trials are to run, before any runs.

    Raises:
        TeamError: Fewer than 1, both workers and concurrency above 1, or a budget with
            worker processes (a budget is shared in one process).
    """
    if workers < 1 or concurrency < 1:
        raise TeamError("workers and concurrency must be at least 1")
    if workers > 1 and concurrency > 1:
        raise TeamError("run trials in worker processes or concurrently in one, not both")
    if workers > 1 and budget is not None:
        raise TeamError("a budget is shared by concurrent trials in one process, not workers")


def run_trials(
    jobs: Sequence[Job],
    *,
    workers: int = 1,
    concurrency: int = 1,
    budget: Any = None,
    on_progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Run jobs one at a time, in ``workers`` processes, or ``concurrency`` at once in this
    process; the results are in the order of ``jobs`` whichever way they ran.

    Raises:
        TeamError: See ``check_parallelism``.
    """
    check_parallelism(workers=workers, concurrency=concurrency, budget=budget)
    if workers > 1:
        results = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for item in pool.map(run_trial, jobs):
                results.append(item)
                if on_progress:
                    on_progress(item)
        return results
    if concurrency == 1:
        results = []
        for job in jobs:
            results.append(run_trial(job, budget))
            if on_progress:
                on_progress(results[-1])
        return results
    return asyncio.run(_concurrently(jobs, concurrency, budget, on_progress))


async def _concurrently(
    jobs: Sequence[Job], concurrency: int, budget: Any, on_progress: Progress | None
) -> list[dict[str, Any]]:
    """Asyncio tasks, at most ``concurrency`` running; the role nodes are synchronous, so each
    trial's graph runs in a thread. After a failure, trials not yet started are not started."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(concurrency)
    failed = threading.Event()

    def guarded(job: Job) -> dict[str, Any]:
        if failed.is_set():
            return _not_run(job, Path(job.path).stem, [])
        try:
            return run_trial(job, budget)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="team-eval") as pool:

        async def one(job: Job) -> dict[str, Any]:
            async with gate:
                item = await loop.run_in_executor(pool, guarded, job)
            if on_progress:
                on_progress(item)
            return item

        tasks = [asyncio.create_task(one(job)) for job in jobs]
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            failed.set()
            for task in tasks:
                task.cancel()
