"""A scenario suite: its trials run and scored (routing, pass^k, loops, usage and cost), shards
merged back into one result, baselines, JUnit."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from team.errors import TeamError
from team.evaluate.metrics import NONE, pass_hat_k, score_pairs
from team.evaluate.trials import Job, parse_shard, run_trials, to_graph_trajectory
from team.evaluate.usage import summarize_calls

__all__ = [
    "ScenarioOutcome",
    "SuiteResult",
    "collect_scenarios",
    "compare_baseline",
    "merge_results",
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
    """The whole suite: scenarios and aggregate scores.

    Attributes:
        model: The model setting the suite ran with (``default``: each scenario's own).
        shard: ``I/N`` when this is one slice of the suite.
        not_run: Scenarios left out because the budget ran out before all their trials ended.
        stopped: Why the suite stopped early, if it did.
        usage: Calls, tokens, dollars and per-call latency (p50, p95), in total and per model.
        files: Every scenario file of the whole suite (a shard runs a slice of them).
        runs: Every trial's record, in suite order: what shards are merged from.
    """

    scenarios: list[ScenarioOutcome]
    trials: int
    routing: dict[str, Any]
    first_handoff: dict[str, Any]
    pass_hat_k: dict[int, float]
    loop_rate: float
    mean_handoffs: float
    model: str = "default"
    shard: str | None = None
    not_run: list[str] = field(default_factory=list)
    stopped: str = ""
    usage: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list, repr=False)
    asks: dict[str, list[int]] = field(default_factory=dict)

    @property
    def failed(self) -> list[ScenarioOutcome]:
        return [s for s in self.scenarios if not s.passed]

    def to_dict(self, *, timings: bool = True) -> dict[str, Any]:
        """The result as JSON data; ``timings=False`` leaves out latencies, which vary between
        identical runs of a real model."""
        data = asdict(self)
        for scenario, outcome in zip(data["scenarios"], self.scenarios, strict=True):
            scenario["passed"] = outcome.passed
        data["pass_hat_k"] = {str(k): round(v, 4) for k, v in self.pass_hat_k.items()}
        if not timings:
            for totals in [data["usage"], *data["usage"].get("by_model", {}).values()]:
                totals.pop("latency_p50", None)
                totals.pop("latency_p95", None)
            for run in data["runs"]:
                for call in run.get("calls", []):
                    call.pop("seconds", None)
        return data


def run_suite(
    paths: Sequence[str | Path],
    *,
    model: str | None = None,
    trials: int = 1,
    workers: int = 1,
    concurrency: int = 1,
    agents_dir: str | None = None,
    graph: str | None = None,
    record: str | Path | None = None,
    replay: str | Path | None = None,
    budget: Any = None,
    shard: str | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> SuiteResult:
    """Run every scenario ``trials`` times and score the suite.

    Args:
        paths: Scenario files and folders.
        model: The model for every scenario (default: each scenario's own, else offline).
        trials: Runs per scenario, for pass^k.
        workers: Worker processes (for the CPU-bound offline model).
        concurrency: Trials at once in this process (for real models: they wait on the network).
        agents_dir: A folder of cards instead of the packaged ones.
        graph: A topology file.
        record: A cassette folder to write every trial's model calls to.
        replay: A cassette folder to answer them from, offline (``team.models.tape``).
        budget: A ``team.models.prices.Budget`` shared by the trials; once it is spent the
            suite stops, and scenarios whose trials did not all finish are listed in ``not_run``.
        shard: ``"I/N"``: run the I-th of N deterministic slices of the suite.

    Example:
        >>> suite = run_suite(["scenarios"], workers=2)
        >>> suite.routing["macro_f1"] >= 0.9
        True
    """
    if trials < 1:
        raise TeamError("trials must be at least 1")
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
    part, count = parse_shard(shard) if shard else (1, 1)
    jobs = [
        Job(
            str(path),
            index,
            trial,
            trials,
            model=model,
            agents_dir=agents_dir,
            graph=graph,
            record=str(record) if record is not None else None,
            replay=str(replay) if replay is not None else None,
        )
        for index, path in enumerate(files)
        if index % count == part - 1
        for trial in range(trials)
    ]
    results = run_trials(
        jobs, workers=workers, concurrency=concurrency, budget=budget, on_progress=on_progress
    )
    stopped = ""
    if budget is not None and budget.reached:
        stopped = f"budget of {budget.describe()} reached"
    return _aggregate(
        results,
        trials,
        model=model or "default",
        shard=shard,
        stopped=stopped,
        files=[str(f) for f in files],
    )


def _aggregate(
    results: list[dict[str, Any]],
    trials: int,
    *,
    model: str,
    shard: str | None,
    stopped: str,
    files: list[str],
) -> SuiteResult:
    results = sorted(results, key=lambda r: (r["index"], r["trial"]))
    groups: dict[int, list[dict[str, Any]]] = {}
    for item in results:
        groups.setdefault(item["index"], []).append(item)
    finished = {
        index
        for index, runs in groups.items()
        if len(runs) == trials and all(r["status"] == "done" for r in runs)
    }
    not_run = [runs[0]["name"] for index, runs in groups.items() if index not in finished]
    scenarios = []
    for index in sorted(finished):
        runs = groups[index]
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
    scored = [r for r in results if r["index"] in finished]
    triage = [
        (r["expected_first"], r["visited"][0] if r["visited"] else NONE)
        for r in scored
        if r["expected_first"]
    ]
    handoff = [
        (r["expected_second"], r["visited"][1] if len(r["visited"]) > 1 else NONE)
        for r in scored
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
        loop_rate=sum(1 for r in scored if r["outcome"] == "loop") / max(1, len(scored)),
        mean_handoffs=sum(len(r["handoffs"]) for r in scored) / max(1, len(scored)),
        model=model,
        shard=shard,
        not_run=not_run,
        stopped=stopped,
        usage=summarize_calls(call for r in results for call in r.get("calls", [])),
        files=files,
        runs=results,
        asks=_ask_measures(scored),
    )


def _ask_measures(results: list[dict[str, Any]]) -> dict[str, list[int]]:
    """The runs' ask measures summed: ``[hit, total]`` per measure (see ``run_measures``)."""
    totals: dict[str, list[int]] = {}
    for result in results:
        for key, (hit, total) in result.get("measures", {}).items():
            pair = totals.setdefault(key, [0, 0])
            pair[0] += hit
            pair[1] += total
    return totals


def merge_results(results: Sequence[dict[str, Any]], *, sources: Sequence[str] = ()) -> SuiteResult:
    """One result from the JSON results of a suite's shards (``SuiteResult.to_dict()``).

    Merging every shard of a suite gives the result of running it whole.

    Raises:
        TeamError: A result that is not a suite's, results of different suites, models or
            trial counts, a trial in two results, or a shard missing.

    Example:
        >>> files = ["scenarios/churn_flagship.yaml", "scenarios/pm_revenue_report.yaml"]
        >>> halves = [run_suite(files, shard=shard).to_dict() for shard in ("1/2", "2/2")]
        >>> [s.name for s in merge_results(halves).scenarios]
        ['churn_flagship', 'pm_revenue_report']
    """
    sources = list(sources) or [f"result #{n}" for n in range(1, len(results) + 1)]
    if not results:
        raise TeamError("nothing to merge: give the results of a suite's shards")
    for data, source in zip(results, sources, strict=True):
        if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
            raise TeamError("not a suite result with its trials (no 'runs' list)", path=source)
    first = results[0]
    for field_name, what in (
        ("files", "suite"),
        ("model", "model"),
        ("trials", "number of trials"),
    ):
        for data, source in zip(results, sources, strict=True):
            if data.get(field_name) != first.get(field_name):
                raise TeamError(f"not the same {what} as {sources[0]}", path=source)
    shards = [str(d["shard"]) for d in results if d.get("shard")]
    if len(shards) == len(results):
        totals = {parse_shard(s)[1] for s in shards}
        have = {parse_shard(s)[0] for s in shards}
        missing = sorted(set(range(1, max(totals) + 1)) - have)
        if len(totals) > 1:
            raise TeamError(f"shards of different splits: {', '.join(sorted(shards))}")
        if missing:
            raise TeamError(f"shard {missing[0]}/{max(totals)} is missing")
    seen: dict[tuple[int, int], str] = {}
    runs = []
    for data, source in zip(results, sources, strict=True):
        for run in data["runs"]:
            key = (run["index"], run["trial"])
            if key in seen:
                raise TeamError(
                    f"trial {run['trial']} of scenario {run['name']!r} is also in {seen[key]}",
                    path=source,
                )
            seen[key] = source
            runs.append(run)
    stopped = "; ".join(dict.fromkeys(d.get("stopped", "") for d in results if d.get("stopped")))
    return _aggregate(
        runs,
        first["trials"],
        model=first["model"],
        shard=None,
        stopped=stopped,
        files=list(first["files"]),
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
        data: dict[str, Any] = json.loads(read_text(path, what=what))
        return data
    except json.JSONDecodeError as exc:
        raise TeamError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
