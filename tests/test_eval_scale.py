"""A suite on a real model client at scale: concurrent trials against the loopback Anthropic stub
(with injected 429s), a budget, shards merged back, and models side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write_scenario
from stubs.team_player import TeamPlayer
from typer.testing import CliRunner

from team.cli import app
from team.evaluate.suite import merge_results, run_suite

KEY = "sk-ant-test-SECRET-0123456789"
SONNET, HAIKU = "anthropic:claude-sonnet-4-6", "anthropic:claude-haiku-4-5"
PATHS = {
    "Train a churn model": ["ml_engineer", "pm"],
    "Write user stories for saved searches": ["pm"],
    "Design REST endpoints for the billing service": ["backend_architect", "data_engineer"],
    "Set up a Kubernetes deployment pipeline": ["devops_engineer", "performance_engineer"],
    "Build an ETL pipeline with data quality checks": ["data_engineer", "ml_engineer", "pm"],
    "Cut the p99 latency of the search API": ["performance_engineer", "backend_architect"],
}
CALLS = sum(len(path) for path in PATHS.values())  # one call per role on each path
runner = CliRunner()


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    folder = tmp_path / "suite"
    folder.mkdir()
    for number, (request, path) in enumerate(PATHS.items()):
        write_scenario(folder, f"s{number}", request, {"path": path, "outcome": "done"})
    return folder


@pytest.fixture
def claude(claude_stub):
    """The stub answering by request, whatever order calls arrive in."""
    return lambda player: claude_stub(responder=player)


def test_concurrency_16_with_429s_gives_the_results_of_one_at_a_time(claude, suite, tmp_path):
    results = {}
    for concurrency in (1, 16):
        player = TeamPlayer(PATHS, rate_limited=True)
        stub = claude(player)
        suite_result = run_suite([suite], model=SONNET, trials=2, concurrency=concurrency)
        results[concurrency] = suite_result.to_dict(timings=False)
        # Each distinct request (trials repeat them) got one 429 and was retried by the client.
        assert player.faults == CALLS
        assert len(stub.requests) == 2 * CALLS + CALLS
        stub.stop()
    assert results[16] == results[1]
    one = results[1]
    assert [s["name"] for s in one["scenarios"]] == [f"s{n}" for n in range(len(PATHS))]
    assert all(s["passed"] for s in one["scenarios"])
    assert one["scenarios"][4]["visited"] == ["data_engineer", "ml_engineer", "pm"]
    assert one["usage"]["calls"] == 2 * CALLS
    assert one["usage"]["input_tokens"] == 10 * 2 * CALLS  # the stub's usage: 10 in, 5 out
    assert one["usage"]["cost_usd"] == pytest.approx(2 * CALLS * (10 * 3 + 5 * 15) / 1e6)


def test_recorded_concurrently_then_replayed_one_at_a_time(claude, monkeypatch, suite, tmp_path):
    tapes = tmp_path / "tapes"
    claude(TeamPlayer(PATHS, rate_limited=True))
    recorded = run_suite([suite], model=SONNET, concurrency=8, record=tapes)
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    replayed = run_suite([suite], model=SONNET, replay=tapes)
    assert replayed.to_dict() == recorded.to_dict()  # latencies too: replay reports recorded ones
    assert len(list(tapes.glob("*.json"))) == len(PATHS)


def test_max_cost_in_tokens_stops_cleanly_with_partial_results(claude, suite, tmp_path):
    stub = claude(TeamPlayer(PATHS))
    out = tmp_path / "partial.json"
    result = runner.invoke(
        app,
        ["eval", str(suite), "--model", SONNET, "--max-cost", "40 tokens", "--json", str(out)],
    )
    # s0 takes two calls (30 tokens), s1 one (45): the budget is spent, nothing else starts.
    assert result.exit_code == 1
    assert "PASS s0" in result.output and "PASS s1" in result.output
    assert "3 model calls  tokens 30 in 15 out" in result.output
    assert (
        "stopped budget of 40 tokens reached: 4 scenario(s) not run: s2, s3, s4, s5"
        in result.output
    )
    data = json.loads(out.read_text())
    assert [s["name"] for s in data["scenarios"]] == ["s0", "s1"]
    assert data["not_run"] == ["s2", "s3", "s4", "s5"]
    assert data["stopped"] == "budget of 40 tokens reached"
    assert len(stub.requests) == 3


def test_max_cost_in_dollars_stops_a_run_between_its_calls(claude, suite):
    from team.models.prices import Budget

    claude(TeamPlayer(PATHS))
    # One Sonnet call of 10 in and 5 out costs $0.000105: s0's second call is refused.
    result = run_suite([suite], model=SONNET, budget=Budget(0.0001, "usd"))
    assert result.scenarios == []
    assert result.not_run == [f"s{n}" for n in range(len(PATHS))]
    assert result.usage["calls"] == 1
    assert result.stopped == "budget of $0.0001 reached"


def test_bad_budgets_and_unpriced_models_are_one_line_errors(suite, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # never reached
    for value, message in [
        ("lots", "error: budget 'lots': give dollars (2.50, $2.50) or tokens (200k tokens)\n"),
        ("0", "error: budget '0' must be more than 0\n"),
    ]:
        result = runner.invoke(app, ["eval", str(suite), "--max-cost", value])
        assert (result.exit_code, result.output) == (2, message)
    for options, message in [
        (["--workers", "2", "--max-cost", "1k tokens"], "a budget is shared by concurrent "
         "trials in one process, not workers"),
        (["--workers", "2", "--concurrency", "2"], "run trials in worker processes or "
         "concurrently in one, not both"),
        (["--concurrency", "0"], "workers and concurrency must be at least 1"),
    ]:  # fmt: skip
        result = runner.invoke(app, ["eval", str(suite), *options])
        assert (result.exit_code, result.output) == (2, f"error: {message}\n")
    unpriced = runner.invoke(
        app,
        ["eval", str(suite / "s1.yaml"), "--model", "anthropic:claude-x-1", "--max-cost", "1"],
    )
    assert unpriced.exit_code == 2
    assert unpriced.output.strip() == (
        "error: no price for model 'anthropic:claude-x-1': budget it in tokens instead"
    )


def test_shards_merged_equal_the_whole_run(suite, tmp_path):
    whole = run_suite([suite], trials=2)
    shards = [run_suite([suite], trials=2, shard=f"{n}/3") for n in (1, 2, 3)]
    assert [[s.name for s in shard.scenarios] for shard in shards] == [
        ["s0", "s3"],
        ["s1", "s4"],
        ["s2", "s5"],
    ]
    merged = merge_results([shard.to_dict() for shard in reversed(shards)])
    assert merged.to_dict(timings=False) == whole.to_dict(timings=False)

    files = []
    for shard, number in zip(shards, (1, 2, 3), strict=True):
        files.append(tmp_path / f"shard{number}.json")
        files[-1].write_text(json.dumps(shard.to_dict()))
    out = tmp_path / "merged.json"
    result = runner.invoke(app, ["eval", "merge", *map(str, files), "--json", str(out)])
    assert result.exit_code == (1 if whole.failed else 0), result.output  # exit code as eval
    passed = len(whole.scenarios) - len(whole.failed)
    assert f"{passed}/6 scenarios passed" in result.output
    merged_file = json.loads(out.read_text())
    assert merged_file["shard"] is None and len(merged_file["runs"]) == 12
    assert merged_file["routing"] == whole.to_dict()["routing"]

    missing = runner.invoke(app, ["eval", "merge", str(files[0]), str(files[2])])
    assert (missing.exit_code, missing.output) == (2, "error: shard 2/3 is missing\n")
    twice = runner.invoke(app, ["eval", "merge", *map(str, files), str(files[1])])
    assert twice.exit_code == 2
    assert twice.output == (f"error: {files[1]}: trial 0 of scenario 's1' is also in {files[1]}\n")
    bad = runner.invoke(app, ["eval", "--shard", "4/3", str(suite)])
    assert (bad.exit_code, bad.output) == (2, "error: shard '4/3': I must be between 1 and N\n")


def test_two_models_side_by_side(claude, suite, tmp_path):
    claude(TeamPlayer(PATHS))
    out = tmp_path / "compare.json"
    result = runner.invoke(
        app,
        ["eval", str(suite), "--model", SONNET, "--model", HAIKU, "--concurrency", "4",
         "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("Models side by side")
    assert any(line.startswith("│ scenarios passed") and line.count("6/6") == 2 for line in lines)
    assert any(line.startswith("│   F1 performance_engineer ") for line in lines)
    assert not any("F1 (none)" in line for line in lines)
    assert any(line.startswith("│ criterion fit") for line in lines), result.output
    assert any(
        line.startswith("│ cost") and "$0.0013" in line and "$0.0004" in line for line in lines
    )
    data = json.loads(out.read_text())
    assert list(data["models"]) == [SONNET, HAIKU]
    sonnet, haiku = data["models"][SONNET], data["models"][HAIKU]
    assert sonnet["usage"]["cost_usd"] == pytest.approx(CALLS * (10 * 3 + 5 * 15) / 1e6)
    assert haiku["usage"]["cost_usd"] == pytest.approx(CALLS * (10 * 1 + 5 * 5) / 1e6)
    assert list(haiku["usage"]["by_model"]) == [HAIKU]
    assert haiku["routing"]["roles"]["pm"]["f1"] == 1.0
    assert 0 < sonnet["usage"]["latency_p50"] <= sonnet["usage"]["latency_p95"]
    assert sonnet["pass_hat_k"] == {"1": 1.0}


def test_per_role_models_from_the_topology_are_priced_per_model(claude, suite, tmp_path):
    topology = tmp_path / "team.yaml"
    default = (Path(__file__).resolve().parent.parent / "graphs" / "default.yaml").read_text()
    topology.write_text(default + f"models:\n  pm: {HAIKU}\n")
    claude(TeamPlayer(PATHS))
    out = tmp_path / "result.json"
    result = runner.invoke(
        app, ["eval", str(suite), "--model", SONNET, "--graph", str(topology), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    usage = json.loads(out.read_text())["usage"]
    pm_calls = sum(path.count("pm") for path in PATHS.values())
    assert {model: row["calls"] for model, row in usage["by_model"].items()} == {
        HAIKU: pm_calls,
        SONNET: CALLS - pm_calls,
    }
    assert usage["cost_usd"] == pytest.approx(
        usage["by_model"][HAIKU]["cost_usd"] + usage["by_model"][SONNET]["cost_usd"]
    )
    assert usage["by_model"][HAIKU]["cost_usd"] == pytest.approx(pm_calls * 35 / 1e6)
