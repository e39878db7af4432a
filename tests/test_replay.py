"""Record a suite's model calls on the loopback Anthropic stub, then replay them with no stub."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, write_scenario
from stubs.anthropic_stub import Fault, Reply
from typer.testing import CliRunner

from team.cli import app

KEY = "sk-ant-test-SECRET-0123456789"
MODEL = "anthropic:claude-sonnet-4-6"
runner = CliRunner()


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    folder = tmp_path / "suite"
    folder.mkdir()
    write_scenario(
        folder,
        "a_launch",
        "Train a churn model. Agree the launch timeline with stakeholders.",
        {"path": ["ml_engineer", "pm"], "outcome": "done"},
    )
    write_scenario(folder, "b_stories", "Write user stories for saved searches", {"first": "pm"})
    return folder


def launch_and_stories(stories: str = "Stories: as a user I save a search.") -> list[Reply]:
    """Replies in the suite's order: a_launch's ML Engineer and PM, then b_stories' PM."""
    return [
        Reply(
            text="Baseline model planned.",
            tool_uses=[("transfer_to_pm", {"reason": "dates", "criterion": "timeline"})],
        ),
        Reply(text="Launch agreed for March."),
        Reply(text=stories),
    ]


@pytest.fixture
def claude(claude_stub):
    return claude_stub


def offline(monkeypatch) -> None:
    """No key and nowhere to send a request: a call that is not replayed cannot succeed."""
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")


def eval_json(*args: str, out: Path) -> tuple[int, str, dict]:
    result = runner.invoke(app, ["eval", *args, "--model", MODEL, "--json", str(out), "--force"])
    data = json.loads(out.read_text()) if out.exists() else {}
    return result.exit_code, result.output, data


def test_a_suite_recorded_on_the_stub_replays_identically_without_it(
    claude, monkeypatch, suite, tmp_path
):
    tapes = tmp_path / "tapes"
    stub = claude(launch_and_stories())
    code, output, recorded = eval_json(str(suite), "--record", str(tapes), out=tmp_path / "r.json")
    stub.assert_complete()
    stub.stop()
    assert code == 0, output
    assert "PASS a_launch" in output and "PASS b_stories" in output
    assert sorted(p.name for p in tapes.iterdir()) == ["a_launch.json", "b_stories.json"]
    cassette = json.loads((tapes / "a_launch.json").read_text())
    assert cassette["format"] == "teamgraph-cassette/1"
    calls = cassette["runs"][MODEL][0]
    assert [(c["role"], c["turn"]) for c in calls] == [("ml_engineer", 1), ("pm", 1)]
    assert calls[0]["request"]["model"] == MODEL
    assert "transfer_to_pm" in calls[0]["request"]["tools"]
    assert calls[1]["response"]["data"]["content"] == "Launch agreed for March."
    assert KEY not in "".join(p.read_text() for p in tapes.iterdir())

    offline(monkeypatch)
    code, replay_output, replayed = eval_json(
        str(suite), "--replay", str(tapes), out=tmp_path / "p.json"
    )
    assert code == 0, replay_output
    assert replayed == recorded
    assert replay_output == output


def test_a_changed_card_makes_replay_fail_naming_scenario_role_turn_and_the_difference(
    claude, monkeypatch, suite, tmp_path
):
    tapes = tmp_path / "tapes"
    claude(launch_and_stories())
    assert eval_json(str(suite), "--record", str(tapes), out=tmp_path / "r.json")[0] == 0
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "agents", cards)
    card = cards / "ml_engineer.md"
    card.write_text(
        card.read_text().replace(
            "- Begin with the plainest model", "- Begin with the most accurate model"
        )
    )
    offline(monkeypatch)
    result = runner.invoke(
        app, ["eval", str(suite), "--model", MODEL, "--replay", str(tapes), "--agents", str(cards)]
    )
    assert result.exit_code == 2
    assert result.output.strip().startswith(
        "error: replay of scenario 'a_launch': role ml_engineer, turn 1, call 1: the request "
        f"differs from the recording in {tapes / 'a_launch.json'} at request.system line "
    )
    assert result.output.strip().endswith(
        " column 18: recorded '- Begin with the plainest model that might do the job; extra "
        "complexity has t...', now '- Begin with the most accurate model that might do the "
        "job; extra complexity ...'"
    )
    assert result.output.strip().count("\n") == 0


def test_rerecording_one_scenario_leaves_the_others(claude, monkeypatch, suite, tmp_path):
    tapes = tmp_path / "tapes"
    claude(launch_and_stories())
    assert eval_json(str(suite), "--record", str(tapes), out=tmp_path / "r.json")[0] == 0
    launch = (tapes / "a_launch.json").read_bytes()
    stub = claude([Reply(text="New stories: as a user I rename a saved search.")])
    code, output, _ = eval_json(
        str(suite / "b_stories.yaml"), "--record", str(tapes), out=tmp_path / "b.json"
    )
    stub.assert_complete()
    assert code == 0, output
    assert (tapes / "a_launch.json").read_bytes() == launch

    offline(monkeypatch)
    result = runner.invoke(app, ["run", str(suite / "b_stories.yaml"), "--model", MODEL,
                                 "--replay", str(tapes), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["deliverables"] == {"pm": "New stories: as a user I rename a saved search."}
    code, output, _ = eval_json(str(suite), "--replay", str(tapes), out=tmp_path / "p.json")
    assert code == 0, output


def test_a_recorded_model_failure_replays_as_the_same_failure(claude, monkeypatch, tmp_path):
    tapes = tmp_path / "tapes"
    claude([Fault(status=500, times=4)])
    request = ["run", "-r", "Train a churn model", "--model", MODEL, "--json"]
    recorded = runner.invoke(app, [*request, "--record", str(tapes), "--thread", "fail-1"])
    offline(monkeypatch)
    replayed = runner.invoke(app, [*request, "--replay", str(tapes), "--thread", "fail-2"])
    assert (recorded.exit_code, replayed.exit_code) == (1, 1)
    note = json.loads(recorded.stdout)["note"]
    assert note.startswith(
        "ml_engineer: model call failed: AnthropicAPIError: 500 Internal server error"
    )
    assert json.loads(replayed.stdout)["note"] == note.replace("fail-1", "fail-2")


def test_run_record_and_replay_errors_are_one_line(tmp_path):
    scenario = str(ROOT / "scenarios" / "churn_flagship.yaml")
    both = runner.invoke(
        app, ["run", scenario, "--record", str(tmp_path), "--replay", str(tmp_path)]
    )
    assert (both.exit_code, both.output) == (2, "error: a run is recorded or replayed, not both\n")
    missing = runner.invoke(app, ["run", scenario, "--replay", str(tmp_path / "nope")])
    assert (missing.exit_code, missing.output) == (
        2,
        f"error: {tmp_path / 'nope'}: no recordings here: the folder does not exist\n",
    )
    unrecorded = runner.invoke(app, ["run", scenario, "--replay", str(tmp_path)])
    assert (unrecorded.exit_code, unrecorded.output) == (
        2,
        f"error: no recording of scenario 'churn_flagship': {tmp_path / 'churn_flagship.json'} "
        "is missing\n",
    )
    (tmp_path / "churn_flagship.json").write_text("{}")
    broken = runner.invoke(app, ["run", scenario, "--replay", str(tmp_path)])
    assert (broken.exit_code, broken.output) == (
        2,
        f"error: {tmp_path / 'churn_flagship.json'}: not a cassette (format is not "
        "'teamgraph-cassette/1')\n",
    )


def test_an_offline_run_replays_byte_for_byte_and_a_shorter_run_is_caught(tmp_path):
    scenario = str(ROOT / "scenarios" / "churn_flagship.yaml")
    args = ["run", scenario, "--json"]
    recorded = runner.invoke(app, [*args, "--record", str(tmp_path), "--thread", "flagship-1"])
    replayed = runner.invoke(app, [*args, "--replay", str(tmp_path), "--thread", "flagship-2"])
    assert recorded.exit_code == replayed.exit_code == 0
    assert replayed.stdout == recorded.stdout.replace("flagship-1", "flagship-2")
    cassette = tmp_path / "churn_flagship.json"
    data = json.loads(cassette.read_text())
    calls = data["runs"]["default"][0]
    calls.append(dict(calls[-1]))
    cassette.write_text(json.dumps(data))
    longer = runner.invoke(app, [*args, "--replay", str(tmp_path), "--thread", "flagship-3"])
    assert longer.exit_code == 2
    assert longer.output == (
        f"error: replay of scenario 'churn_flagship': the run ended after {len(calls) - 1} "
        f"call(s) but {len(calls)} were recorded in {cassette} (next: role pm, turn 1)\n"
    )


def test_pytest_plugin_records_and_replays_scenarios(claude, monkeypatch, pytester, suite):
    tapes = pytester.path / "tapes"
    (suite / "a_launch.yaml").unlink()
    write_scenario(suite, "b_stories", "Write user stories for saved searches", {"first": "pm"})
    model = json.loads((suite / "b_stories.yaml").read_text())
    model["model"] = MODEL
    (suite / "b_stories.yaml").write_text(json.dumps(model))
    stub = claude([Reply(text="Stories written.")])
    args = ["-p", "no:cacheprovider", "--team-scenarios", str(suite)]
    pytester.runpytest(*args, "--record", str(tapes)).assert_outcomes(passed=1)
    stub.assert_complete()
    stub.stop()
    offline(monkeypatch)
    pytester.runpytest(*args, "--replay", str(tapes)).assert_outcomes(passed=1)
    (tapes / "b_stories.json").unlink()
    result = pytester.runpytest(*args, "--replay", str(tapes))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenario b_stories (*b_stories.yaml): no recording of scenario *b_stories.json is missing"
        ]
    )


def test_the_team_player_example_runs():
    """The package's examples run in test_docs; this is the test stub's own."""
    import doctest

    from stubs import team_player

    failures, tried = doctest.testmod(team_player)
    assert failures == 0 and tried > 0
