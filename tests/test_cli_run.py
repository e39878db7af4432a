from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app

runner = CliRunner()
REQUEST = "Train a churn model and expose it behind a REST API"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--request", "   "], "error: empty request: give the team something to do\n"),
        (["run"], "error: give a scenario file or --request TEXT, or --resume THREAD_ID\n"),
        (["run", "missing.yaml"], "error: missing.yaml: scenario file not found\n"),
        (
            ["run", "-r", "x", "--repo", "/no/such/repo"],
            "error: /no/such/repo: repository path does not exist\n",
        ),
        (
            ["run", "-r", "x", "--model", "gpt"],
            "error: unknown model 'gpt': use 'offline' or 'provider:model' (e.g. anthropic:claude-sonnet-4-6)\n",
        ),
    ],
)
def test_run_input_errors_are_one_line_exit_2(args, message):
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (2, message)


def test_run_repo_that_is_a_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("x")
    result = runner.invoke(app, ["run", "-r", "x", "--repo", str(target)])
    assert (result.exit_code, result.output) == (
        2,
        f"error: {target}: repository path is not a folder\n",
    )


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: s\nrequest: go\nwhen: now\n", "{p}:3: unknown key 'when'"),
        ("name: s\nrequest: ''\n", "{p}:2: request: must not be empty"),
        ("name: s\n", "{p}:1: missing required key 'request'"),
        (
            "name: s\nrequest: go\nrepo: nowhere\n",
            "{p}: repo 'nowhere' does not exist (resolved to {d}/nowhere)",
        ),
        (
            "name: s\nrequest: go\nexpect:\n  match: fuzzy\n",
            "{p}:4: expect.match: Input should be 'strict', 'unordered', 'subset' or 'superset'",
        ),
    ],
)
def test_malformed_scenarios(tmp_path, yaml_text, message):
    path = tmp_path / "s.yaml"
    path.write_text(yaml_text)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.output == "error: " + message.format(p=path, d=tmp_path) + "\n"


def test_run_prints_a_transcript_with_handoff_reason_and_criterion():
    result = runner.invoke(app, ["run", "-r", REQUEST])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "triage -> ML Engineer" in out
    assert "handoff ML Engineer -> Backend Architect" in out
    assert "criterion: a model serving API must be designed" in out
    assert 'reason: The request asks "expose it behind a REST API"' in out
    assert (
        out.rstrip().splitlines()[-1]
        == "path: ML Engineer -> Backend Architect  (1 handoffs, outcome done)"
    )


def test_an_ask_sent_straight_to_its_owner_says_so_not_that_it_escalates():
    request = (
        "Our crop-yield model is retrained by hand from a notebook each season. Turn it into a "
        "reproducible training pipeline with an evaluation report, and get the training image "
        "built and scanned in CI."
    )
    result = runner.invoke(app, ["run", "-r", request])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "handoff ML Engineer -> DevOps Engineer" in out
    assert (
        "none of my handoff criteria fits it, so it goes straight to its owner along my edge "
        "to the DevOps Engineer."
    ) in out
    assert "card's escalation" not in out
    assert out.endswith("path: ML Engineer -> DevOps Engineer (1 handoffs, outcome done)")


def test_run_json_trace_and_out(tmp_path):
    trace = tmp_path / "trace.jsonl"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", "-r", REQUEST, "--json", "--trace", str(trace), "--out", str(out)]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["visited"] == ["ml_engineer", "backend_architect"]
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    assert events[0]["kind"] == "triage" and events[-1]["kind"] == "done"
    assert [e["data"]["target"] for e in events if e["kind"] == "handoff"] == ["backend_architect"]
    assert sorted(p.name for p in out.glob("*.md")) == ["backend_architect.md", "ml_engineer.md"]
    assert "## ML Engineer: deliverable" in (out / "ml_engineer.md").read_text()
    again = runner.invoke(app, ["run", "-r", REQUEST, "--trace", str(trace), "--out", str(out)])
    assert (again.exit_code, again.output) == (
        2,
        f"error: {trace}: file exists; refusing to overwrite it (use --force)\n",
    )
    assert runner.invoke(app, ["run", "-r", REQUEST, "--out", str(out)]).exit_code == 0


def test_run_never_overwrites_a_users_folder(tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "ml_engineer.md").write_text("my notes")
    result = runner.invoke(app, ["run", "-r", REQUEST, "--out", str(mine)])
    assert result.exit_code == 2
    assert (
        result.output
        == f"error: {mine}: folder is not empty and was not written by teamgraph; refusing to write\n"
    )
    assert (mine / "ml_engineer.md").read_text() == "my notes"


def test_tools_command(tmp_path):
    (tmp_path / "a.py").write_text("import sklearn\n")
    result = runner.invoke(app, ["tools", str(tmp_path), "grep", "sklearn"])
    assert (result.exit_code, result.output) == (0, "a.py:1: import sklearn\n")
    refused = runner.invoke(app, ["tools", str(tmp_path), "read_file", "/etc/passwd"])
    assert refused.exit_code == 2 and refused.output.startswith("error: ")
    bad = runner.invoke(app, ["tools", str(tmp_path), "shell", "ls"])
    assert (bad.exit_code, bad.output) == (
        2,
        "error: unknown tool 'shell'; choose from glob, read_file, grep, analyze, review\n",
    )


FIXTURES = Path(__file__).resolve().parent.parent / "scenarios" / "fixtures"


def test_review_command_exit_codes_and_output():
    clean = runner.invoke(app, ["review", str(FIXTURES / "clean_pipeline")])
    assert (clean.exit_code, clean.output) == (0, "0 finding(s)\n")
    skew = runner.invoke(app, ["review", str(FIXTURES / "skew_service")])
    assert skew.exit_code == 1
    assert (
        skew.output.splitlines()[-1]
        == "4 finding(s): serving-without-monitoring, training-serving-skew"
    )
    data = json.loads(runner.invoke(app, ["review", str(FIXTURES / "churn"), "--json"]).output)
    assert {
        "path": "churn/train.py",
        "line": 24,
        "rule": "leakage-preprocess-before-split",
    }.items() <= data[1].items()
    one_file = runner.invoke(app, ["review", str(FIXTURES / "churn" / "churn" / "evaluate.py")])
    assert one_file.output.splitlines()[-1] == "1 finding(s): accuracy-only"
    explained = runner.invoke(
        app, ["review", str(FIXTURES / "churn" / "churn" / "evaluate.py"), "--explain"]
    )
    assert explained.exit_code == 1
    assert explained.output.splitlines()[1:] == [
        "    balance: unknown; a rare class is plausible ('churn' at line 1)",
        "    evaluate: accuracy (evaluate.py:8)",
        "1 finding(s): accuracy-only",
    ]
    missing = runner.invoke(app, ["review", "/no/such/repo"])
    assert (missing.exit_code, missing.output) == (2, "error: /no/such/repo: path does not exist\n")


def test_review_of_one_file_given_relative_to_the_working_folder(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    relative = runner.invoke(app, ["review", "churn/churn/evaluate.py"])
    assert (relative.exit_code, relative.output.splitlines()[-1]) == (
        1,
        "1 finding(s): accuracy-only",
    )
    assert relative.output.startswith("evaluate.py:8: warning accuracy-only:")


def test_flagship_ml_engineer_reports_findings_with_file_and_line():
    result = runner.invoke(app, ["run", str(FIXTURES.parent / "churn_flagship.yaml"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    ml = data["deliverables"]["ml_engineer"]
    assert "### Review findings" in ml
    assert "| `churn/train.py:24` | leakage-preprocess-before-split | error |" in ml
    assert "not met: Serving applies exactly the preprocessing used in training" in ml
    calls = [
        e["data"]["tool"]
        for e in data["events"]
        if e["kind"] == "tool_call" and e["role"] == "ml_engineer"
    ]
    assert calls[:4] == ["glob", "analyze", "review", "grep"]
    assert data["visited"] == ["ml_engineer", "backend_architect", "data_engineer", "pm"]
    reason = data["handoffs"][0]["reason"]
    assert "Evidence: serve/app.py:36" in reason
    assert "serve/app.py:36 serving-without-monitoring" in reason


def test_flagship_transcript_is_byte_for_byte_reproducible():
    flagship = str(FIXTURES.parent / "churn_flagship.yaml")
    first, second = runner.invoke(app, ["run", flagship]), runner.invoke(app, ["run", flagship])
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    assert " ".join(first.output.split()).endswith(
        "path: ML Engineer -> Backend Architect -> Data Engineer -> PM (3 handoffs, outcome done)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "-r", REQUEST, "--trace", "/nonexistent/t.jsonl"],
            "error: /nonexistent: folder does not exist\n",
        ),
        (
            ["eval", "scenarios/churn_flagship.yaml", "--json", "/nonexistent/x.json"],
            "error: /nonexistent: folder does not exist\n",
        ),
        (
            ["eval", "scenarios/churn_flagship.yaml", "--junit", "/nonexistent/x.xml"],
            "error: /nonexistent: folder does not exist\n",
        ),
        (["route", "  "], "error: empty request: give the team something to route\n"),
    ],
)
def test_bad_output_paths_and_inputs_fail_before_running(args, message):
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (2, message)


def test_bad_baseline_shape(tmp_path):
    baseline = tmp_path / "b.json"
    baseline.write_text("[]")
    result = runner.invoke(
        app, ["eval", "scenarios/churn_flagship.yaml", "--baseline", str(baseline)]
    )
    assert (result.exit_code, result.output) == (
        2,
        f"error: {baseline}: baseline is not a result of 'team eval --json' (no 'scenarios' list)\n",
    )


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        ("first: nobody", "expect.first: unknown role 'nobody'"),
        ("path: [ml_engineer, pmm]", "expect.path: unknown role 'pmm'; closest known role: 'pm'"),
        ("criteria: [{from: ml_engineer, to: qa}]", "expect.criteria.to: unknown role 'qa'"),
        ("findings: [not-a-rule]", "expect.findings: unknown review rule 'not-a-rule'; known: "),
    ],
)
def test_scenario_expectations_name_real_roles_and_rules(tmp_path, expect, message):
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nrequest: Train a churn model\nexpect:\n  {expect}\n")
    for command in (["run", str(path)], ["eval", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert result.output.startswith(f"error: {path}: {message}")
        assert result.output.count("\n") == 1


def test_markup_in_user_text_is_printed_as_is(tmp_path):
    cases = tmp_path / "set.jsonl"
    cases.write_text('{"text": "retrain the model [/x] :100: now", "expect": "pm"}\n')
    result = runner.invoke(app, ["eval", "--routing", str(cases)])
    assert result.exit_code == 0
    assert "retrain the model [/x] :100: now" in " ".join(result.output.split())
