from __future__ import annotations

import json
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest
from helpers import write_scenario
from typer.testing import CliRunner

from team.cli import app
from team.engine import run_team
from team.evaluate import check_expectations, match_path, pass_hat_k, score_pairs
from team.evaluate.suite import compare_baseline, run_suite, to_graph_trajectory, write_junit
from team.scenarios import Expect

runner = CliRunner()


@pytest.mark.parametrize(
    ("expected", "actual", "mode", "ok"),
    [
        (["a", "b"], ["a", "b"], "strict", True),
        (["a", "b"], ["b", "a"], "strict", False),
        (["a", "b"], ["b", "a"], "unordered", True),
        (["a", "a"], ["a"], "unordered", False),
        (["a", "b", "c"], ["a", "c"], "subset", True),
        (["a"], ["a", "a"], "subset", False),  # counts matter
        (["a", "b"], ["c", "b", "a"], "superset", True),
        (["a", "a"], ["a", "b"], "superset", False),
        # Greedy first-fit pairs the visit "a" with "a|b" and then cannot place "b"; matching can.
        (["a|b", "a"], ["a", "b"], "unordered", True),
        (["a|b", "a"], ["a", "b"], "superset", True),
        (["*", "b"], ["x", "b"], "strict", True),
    ],
)
def test_match_path_modes(expected, actual, mode, ok):
    assert (match_path(expected, actual, mode) is None) is ok


def test_strict_divergence_message():
    assert match_path(["a", "b", "c"], ["a", "x"], "strict") == (
        "diverged at step 2: expected b, got x (expected a -> b -> c, got a -> x)"
    )
    assert match_path(["a"], ["a", "b"], "strict") == (
        "diverged at step 2: expected the end, got b (expected a, got a -> b)"
    )


def _result(visited, handoffs=(), outcome="done", text=""):
    events = [SimpleNamespace(text=text)]
    return SimpleNamespace(
        visited=list(visited), handoffs=list(handoffs), outcome=outcome, events=events
    )


def test_every_constraint_reports_what_broke():
    handoff = {"source": "a", "target": "b", "criterion": "model serving API", "reason": "r"}
    expect = Expect.model_validate(
        {
            "first": "b",
            "path": ["b", "a"],
            "required": ["c"],
            "forbidden": ["a"],
            "before": [["b", "a"]],
            "max_handoffs": 0,
            "outcome": "loop",
            "criteria": [
                {"from": "a", "to": "b", "criterion": "latency"},
                {"from": "b", "to": "c"},
            ],
            "findings": ["eval-on-train"],
        }
    )
    checks = [c.constraint for c in check_expectations(expect, _result(["a", "b"], [handoff]))]
    assert checks == [
        "first",
        "path (strict)",
        "required",
        "forbidden",
        "before",
        "max_handoffs",
        "outcome",
        "criteria",
        "criteria",
        "findings",
    ]
    ok = Expect.model_validate(
        {
            "first": "a",
            "criteria": [{"from": "a", "to": "b", "criterion": "SERVING api"}],
            "findings": ["x-1"],
        }
    )
    assert check_expectations(ok, _result(["a", "b"], [handoff], text="found x-1 here")) == []


def test_scores_and_confusion():
    scores = score_pairs([("pm", "pm"), ("pm", "ml"), ("ml", "ml"), ("de", "pm")])
    roles = {r.role: r for r in scores.roles}
    assert (roles["pm"].precision, roles["pm"].recall, roles["pm"].support) == (0.5, 0.5, 2)
    assert roles["de"].f1 == 0.0
    assert scores.confusion["de"]["pm"] == 1
    assert scores.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)


def test_pass_hat_k_is_tau_bench():
    assert pass_hat_k([4, 2, 0], trials=4, k=1) == pytest.approx((1 + 0.5 + 0) / 3)
    assert pass_hat_k([4, 2, 0], trials=4, k=2) == pytest.approx((1 + 1 / 6 + 0) / 3)
    assert pass_hat_k([4], trials=4, k=5) == 0.0


@pytest.fixture
def suite_dir(tmp_path):
    write_scenario(
        tmp_path,
        "api",
        "Design REST endpoints for the billing service",
        {"first": "backend_architect"},
    )
    write_scenario(
        tmp_path,
        "handoff",
        "Train a churn model and expose it behind a REST API",
        {"path": ["ml_engineer", "backend_architect"], "outcome": "done"},
    )
    write_scenario(tmp_path, "wrong", "Set up a Kubernetes deployment pipeline", {"first": "pm"})
    return tmp_path


def test_suite_in_two_workers_equals_one(suite_dir):
    one = run_suite([suite_dir], trials=2, workers=1).to_dict(timings=False)
    two = run_suite([suite_dir], trials=2, workers=2).to_dict(timings=False)
    assert one == two
    by_name = {s["name"]: s for s in one["scenarios"]}
    assert by_name["api"]["passed"] and by_name["handoff"]["passed"]
    assert by_name["wrong"]["checks"] == ["first: expected pm, got devops_engineer"]
    assert one["pass_hat_k"] == {
        "1": pytest.approx(2 / 3, abs=1e-4),
        "2": pytest.approx(2 / 3, abs=1e-4),
    }
    assert one["first_handoff"]["confusion"]["backend_architect"]["backend_architect"] == 2
    assert one["mean_handoffs"] == pytest.approx(1 / 3)


def test_baseline_regressions_and_junit(suite_dir, tmp_path):
    suite = run_suite([suite_dir])
    current = suite.to_dict()
    baseline = json.loads(json.dumps(current))
    for scenario in baseline["scenarios"]:
        scenario["passed"] = True
    baseline["routing"]["macro_f1"] = 1.0
    regressions = compare_baseline(current, baseline)
    assert (
        regressions[0]
        == "wrong: passed in the baseline, now fails: first: expected pm, got devops_engineer"
    )
    assert regressions[1].startswith("routing macro-F1 fell from 1.0000 to ")
    assert compare_baseline(current, current) == []
    write_junit(suite, tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    assert (
        root.find("testcase[@name='wrong']/failure").get("message")
        == "first: expected pm, got devops_engineer"
    )


def test_eval_cli_exit_codes_json_and_baseline(suite_dir, tmp_path):
    out = tmp_path / "result.json"
    result = runner.invoke(app, ["eval", str(suite_dir / "api.yaml"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "PASS api" in result.output and "macro-F1" in result.output
    again = runner.invoke(
        app, ["eval", str(suite_dir), "--baseline", str(out), "--force", "--json", str(out)]
    )
    assert again.exit_code == 1
    assert "FAIL wrong" in again.output
    assert "first: expected pm, got devops_engineer" in again.output
    missing = runner.invoke(app, ["eval", str(tmp_path / "nope")])
    assert (missing.exit_code, missing.output) == (
        2,
        f"error: {tmp_path / 'nope'}: scenario path not found\n",
    )


def test_route_cli():
    result = runner.invoke(app, ["route", "Our nightly Airflow DAG keeps failing", "--json"])
    data = json.loads(result.output)
    assert data["agent"] == "data_engineer" and data["criterion"] is None and data["reason"]
    handed = json.loads(
        runner.invoke(
            app, ["route", "--from", "ml_engineer", "we need a REST endpoint", "--json"]
        ).output
    )
    assert handed["agent"] == "backend_architect"
    assert handed["criterion"].startswith("a model serving API")
    bad = runner.invoke(app, ["route", "x", "--from", "qa"])
    assert (bad.exit_code, bad.output) == (2, "error: --from: unknown role 'qa'\n")


def test_route_jsonl_keeps_order(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        {"text": "p99 latency doubled after the release"},
        {"text": "who signs off the launch date?"},
        {"text": "add a REST endpoint", "from": "ml_engineer"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    result = runner.invoke(app, ["route", "--jsonl", str(path)])
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["agent"] for o in out] == ["performance_engineer", "pm", "backend_architect"]
    assert [o["text"] for o in out] == [x["text"] for x in lines]


def test_graph_trajectory_export_has_agentevals_shape(default_team):
    result = run_team(
        default_team, "Train a churn model", followups=["and expose it behind a REST API"]
    )
    trajectory = to_graph_trajectory(result)
    assert set(trajectory) == {"inputs", "results", "steps"}
    assert len(trajectory["inputs"]) == len(trajectory["results"]) == len(trajectory["steps"]) == 2
    assert trajectory["steps"][0] == ["__start__", "triage", "ml_engineer"]
    assert trajectory["inputs"][1]["messages"][0]["content"] == "and expose it behind a REST API"


def test_pytest_plugin_collects_scenarios_and_prints_the_diff(pytester, suite_dir):
    result = pytester.runpytest("-p", "no:cacheprovider", "--team-scenarios", str(suite_dir))
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*scenario wrong*broke 1 expectation(s):*",
            "*- first: expected pm, got devops_engineer*",
            "*actual path:*devops_engineer*",
        ]
    )


def test_run_scenario_fixture_and_assert_handoffs(pytester, suite_dir):
    pytester.makepyfile(
        f"""
        import pytest
        from team.testing import assert_handoffs

        def test_it(run_scenario, team):
            result = run_scenario({str(suite_dir / "handoff.yaml")!r})
            assert result.checks == []
            assert_handoffs(result, ["ml_engineer", "backend_architect"])
            assert_handoffs(result, ["backend_architect", "ml_engineer"], match="unordered")
            with pytest.raises(AssertionError, match="diverged at step 2"):
                assert_handoffs(result, ["ml_engineer", "pm"])
            assert len(team.cards) == 7
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_published_json_schema_is_current():
    from pathlib import Path

    from team.scenarios import scenario_json_schema

    published = Path(__file__).resolve().parent.parent / "scenarios" / "scenario.schema.json"
    assert published.read_text() == scenario_json_schema()
    schema = json.loads(published.read_text())
    assert schema["additionalProperties"] is False
    assert set(schema["$defs"]["Expect"]["properties"]) == {
        "first",
        "path",
        "match",
        "required",
        "forbidden",
        "before",
        "max_handoffs",
        "outcome",
        "criteria",
        "findings",
        "owners",
    }
