"""Running a scenario suite: trials in parallel, expectations, routing scores, baselines, JUnit."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from team.errors import TeamError
from team.evaluate.metrics import NONE, pass_hat_k, score_pairs

__all__ = [
    "ScenarioOutcome",
    "SuiteResult",
    "collect_scenarios",
    "compare_baseline",
    "run_suite",
    "to_graph_trajectory",
    "write_junit",
]


def collect_scenarios(paths: Sequence[str | Path]) -> list[Path]:
    """Scenario files from files and folders (a folder's ``*.yaml``, not its subfolders).

    Example:
        >>> [p.name for p in collect_scenarios(["scenarios"])][:1]
        ['ba_admin_auth.yaml']
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            found.append(path)
        else:
            raise TeamError("scenario path not found", path=path)
    if not found:
        raise TeamError(f"no scenario files in {', '.join(map(str, paths))}")
    return found


def to_graph_trajectory(result: Any) -> dict[str, Any]:
    """A run in agentevals' graph-trajectory shape: ``inputs``, ``results``, ``steps`` per turn.

    Example:
        >>> from team import Team, run_team
        >>> result = run_team(Team.load(), "Train a churn model")
        >>> to_graph_trajectory(result)["steps"][0][:3]
        ['__start__', 'triage', 'ml_engineer']
    """
    inputs, results, steps = [], [], []
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


@dataclass
class ScenarioOutcome:
    """A scenario's trials: how many passed, and the first trial's details."""

    name: str
    path: str
    trials: int
    successes: int
    checks: list[str]
    visited: list[str]
    handoffs: list[dict[str, Any]]
    outcome: str
    expected_first: str | None = None
    expected_second: str | None = None
    trajectory: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.successes == self.trials


@dataclass
class SuiteResult:
    """The whole suite: scenarios and aggregate scores."""

    scenarios: list[ScenarioOutcome]
    trials: int
    routing: dict[str, Any]
    first_handoff: dict[str, Any]
    pass_hat_k: dict[int, float]
    loop_rate: float
    mean_handoffs: float

    @property
    def failed(self) -> list[ScenarioOutcome]:
        return [s for s in self.scenarios if not s.passed]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for scenario, outcome in zip(data["scenarios"], self.scenarios, strict=True):
            scenario["passed"] = outcome.passed
        data["pass_hat_k"] = {str(k): round(v, 4) for k, v in self.pass_hat_k.items()}
        return data


_TEAMS: dict[tuple[str | None, str | None], Any] = {}


@dataclass(frozen=True)
class Job:
    """One trial of one scenario, as a worker runs it (picklable)."""

    path: str
    model: str | None = None
    agents_dir: str | None = None
    graph: str | None = None
    trial: int = 0
    trials: int = 1
    record: str | None = None
    replay: str | None = None


def _run_one(job: Job) -> dict[str, Any]:
    """Run one trial of one scenario (in a worker process or in-process)."""
    from team.engine import run_team
    from team.evaluate.expect import check_expectations
    from team.models.tape import Cassette, Tape
    from team.scenarios import load_scenario
    from team.topology import Team

    key = (job.agents_dir, job.graph)
    if key not in _TEAMS:
        _TEAMS[key] = Team.load(agents_dir=job.agents_dir, graph=job.graph)
    team = _TEAMS[key]
    scenario = load_scenario(job.path)
    cassette = Cassette.open(record=job.record, replay=job.replay)
    label = job.model or "default"
    tape = (
        cassette.tape(scenario.name, model=label, trial=job.trial)
        if cassette is not None
        else Tape(scenario.name, label, job.trial)
    )
    result = run_team(
        team,
        scenario.request,
        followups=scenario.followups,
        repo=scenario.repo_path(),
        model=job.model or scenario.model or "offline",
        thread_id=f"eval-{Path(job.path).stem}-{job.trial}",
        tape=tape,
    )
    if cassette is not None and cassette.mode == "record":
        cassette.save(tape, trials=job.trials)
    tape.finish()
    checks = (
        [str(c) for c in check_expectations(scenario.expect, result)] if scenario.expect else []
    )
    expect = scenario.expect
    second = None
    if expect is not None and expect.path is not None and expect.match == "strict":
        second = expect.path[1] if len(expect.path) > 1 else NONE
    return {
        "name": scenario.name,
        "path": str(job.path),
        "checks": checks,
        "visited": result.visited,
        "handoffs": result.handoffs,
        "outcome": result.outcome,
        "expected_first": expect.first if expect else None,
        "expected_second": second,
        "trajectory": to_graph_trajectory(result),
    }


def run_suite(
    paths: Sequence[str | Path],
    *,
    model: str | None = None,
    trials: int = 1,
    workers: int = 1,
    agents_dir: str | None = None,
    graph: str | None = None,
    record: str | Path | None = None,
    replay: str | Path | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> SuiteResult:
    """Run every scenario ``trials`` times, ``workers`` processes at once, and score the suite.

    ``record`` or ``replay`` name a cassette folder: each trial's model calls are written there,
    or answered from there offline (``team.models.tape``).

    Example:
        >>> suite = run_suite(["scenarios"], workers=2)
        >>> suite.routing["macro_f1"] >= 0.9
        True
    """
    if trials < 1 or workers < 1:
        raise TeamError("--trials and --workers must be at least 1")
    files = collect_scenarios(paths)
    from team.models.tape import Cassette
    from team.scenarios import load_scenario

    Cassette.open(record=record, replay=replay)  # both given, or no such folder: say so now
    names: dict[str, Path] = {}
    for path in files:
        name = load_scenario(path).name  # fail fast, before any worker starts
        if (record or replay) and name in names:
            raise TeamError(f"scenario name {name!r} is also used by {names[name]}", path=path)
        names[name] = path
    cassette = {
        "record": str(record) if record is not None else None,
        "replay": str(replay) if replay is not None else None,
    }
    jobs = [
        Job(str(p), model, agents_dir, graph, t, trials, **cassette)
        for p in files
        for t in range(trials)
    ]
    results: list[dict[str, Any]] = []
    if workers == 1:
        for job in jobs:
            results.append(_run_one(job))
            if on_progress:
                on_progress(results[-1])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for item in pool.map(_run_one, jobs):
                results.append(item)
                if on_progress:
                    on_progress(item)
    return _aggregate(files, results, trials)


def _aggregate(files: list[Path], results: list[dict[str, Any]], trials: int) -> SuiteResult:
    scenarios = []
    for index, _path in enumerate(files):
        runs = results[index * trials : (index + 1) * trials]
        first = runs[0]
        scenarios.append(
            ScenarioOutcome(
                name=first["name"],
                path=first["path"],
                trials=trials,
                successes=sum(1 for r in runs if not r["checks"]),
                checks=next((r["checks"] for r in runs if r["checks"]), []),
                visited=first["visited"],
                handoffs=first["handoffs"],
                outcome=first["outcome"],
                expected_first=first["expected_first"],
                expected_second=first["expected_second"],
                trajectory=first["trajectory"],
            )
        )
    triage = [
        (r["expected_first"], r["visited"][0] if r["visited"] else NONE)
        for r in results
        if r["expected_first"]
    ]
    handoff = [
        (r["expected_second"], r["visited"][1] if len(r["visited"]) > 1 else NONE)
        for r in results
        if r["expected_second"]
    ]
    return SuiteResult(
        scenarios=scenarios,
        trials=trials,
        routing=score_pairs(triage + handoff).to_dict(),
        first_handoff=score_pairs(handoff).to_dict(),
        pass_hat_k={
            k: pass_hat_k([s.successes for s in scenarios], trials, k) for k in range(1, trials + 1)
        },
        loop_rate=sum(1 for r in results if r["outcome"] == "loop") / len(results),
        mean_handoffs=sum(len(r["handoffs"]) for r in results) / len(results),
    )


def compare_baseline(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Regressions of ``current`` against a stored suite result (both ``SuiteResult.to_dict()``).

    Example:
        >>> compare_baseline({"scenarios": []}, {"scenarios": []})
        []
    """
    if not isinstance(baseline, dict) or not isinstance(baseline.get("scenarios"), list):
        raise TeamError("baseline is not a result of 'team eval --json' (no 'scenarios' list)")
    regressions = []
    before = {
        s["name"]: s for s in baseline.get("scenarios", []) if isinstance(s, dict) and "name" in s
    }
    for scenario in current.get("scenarios", []):
        old = before.get(scenario["name"])
        if old and old.get("passed") and not scenario.get("passed"):
            why = scenario["checks"][0] if scenario["checks"] else "failed"
            regressions.append(f"{scenario['name']}: passed in the baseline, now fails: {why}")
    for key, label in (
        ("routing", "routing macro-F1"),
        ("first_handoff", "first-handoff macro-F1"),
    ):
        old_f1 = baseline.get(key, {}).get("macro_f1")
        new_f1 = current.get(key, {}).get("macro_f1")
        if old_f1 is not None and new_f1 is not None and new_f1 < old_f1 - 1e-9:
            regressions.append(f"{label} fell from {old_f1:.4f} to {new_f1:.4f}")
    if current.get("loop_rate", 0) > baseline.get("loop_rate", 0) + 1e-9:
        regressions.append(
            f"loop rate rose from {baseline['loop_rate']:.3f} to {current['loop_rate']:.3f}"
        )
    return regressions


def write_junit(suite: SuiteResult, path: Path) -> None:
    """A JUnit XML report: one test case per scenario."""
    root = ET.Element(
        "testsuite",
        name="teamgraph",
        tests=str(len(suite.scenarios)),
        failures=str(len(suite.failed)),
    )
    for scenario in suite.scenarios:
        case = ET.SubElement(
            root, "testcase", classname="scenarios", name=scenario.name, file=scenario.path
        )
        if not scenario.passed:
            failure = ET.SubElement(
                case, "failure", message=scenario.checks[0] if scenario.checks else "failed"
            )
            failure.text = "\n".join(scenario.checks) + f"\npath: {' -> '.join(scenario.visited)}"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def load_json(path: Path, *, what: str) -> dict[str, Any]:
    """Read a JSON file with one-line errors."""
    from team.yamlfile import read_text

    try:
        return json.loads(read_text(path, what=what))
    except json.JSONDecodeError as exc:
        raise TeamError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
