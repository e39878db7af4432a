"""The same team on Claude: langchain-anthropic's ChatAnthropic against a loopback Messages API."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from stubs.anthropic_stub import AnthropicStub, Fault, Reply
from typer.testing import CliRunner

from team.cli import app
from team.engine import Engine, resume_run, run_team
from team.home import sqlite_checkpointer

KEY = "sk-ant-test-SECRET-0123456789"
MODEL = "anthropic:claude-sonnet-4-6"
REPO = Path(__file__).resolve().parent.parent / "scenarios" / "fixtures" / "churn"
REQUEST = "Train a churn model and expose it behind a REST API. Agree the launch timeline with stakeholders."


def script() -> list[Reply]:
    return [
        Reply(tool_uses=[("grep", {"pattern": "fit_transform"})]),
        Reply(
            text="Scaler is fitted before the split (churn/train.py:25).",
            tool_uses=[
                (
                    "transfer_to_backend_architect",
                    {
                        "reason": "the CRM needs a scoring endpoint",
                        "criterion": "a model serving API must be designed",
                    },
                )
            ],
        ),
        Reply(
            text="POST /v1/churn-score contract drafted.",
            tool_uses=[
                (
                    "transfer_to_pm",
                    {"reason": "launch date needs sign-off", "criterion": "API scope"},
                )
            ],
        ),
        Reply(text="Launch plan agreed for March."),
    ]


@pytest.fixture
def claude(monkeypatch):
    def start(steps):
        stub = AnthropicStub(steps, api_key=KEY).start()
        monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", stub.base_url)
        monkeypatch.setenv("TEAM_MODEL_TIMEOUT", "5")
        return stub

    stubs: list[AnthropicStub] = []
    yield lambda steps: stubs.append(start(steps)) or stubs[-1]
    for stub in stubs:
        stub.stop()


def assert_valid_anthropic_messages(body):
    messages = body["messages"]
    assert messages[0]["role"] == "user"
    for earlier, later in itertools.pairwise(messages):
        assert earlier["role"] != later["role"], "roles must alternate"
    pending: set[str] = set()
    for message in messages:
        blocks = (
            message["content"]
            if isinstance(message["content"], list)
            else [{"type": "text", "text": message["content"]}]
        )
        for block in blocks:
            if block["type"] == "text":
                assert block["text"].strip(), "empty text block sent"
            if block["type"] == "tool_use":
                pending.add(block["id"])
            if block["type"] == "tool_result":
                pending.discard(block["tool_use_id"])
        if message["role"] == "user":
            assert not pending, f"tool_use without tool_result: {pending}"


def test_full_scenario_on_claude_with_two_handoffs(claude, default_team):
    stub = claude(script())
    result = run_team(default_team, REQUEST, repo=REPO, model=MODEL)
    stub.assert_complete()
    assert result.outcome == "done"
    assert result.visited == ["ml_engineer", "backend_architect", "pm"]
    assert [(h["source"], h["target"]) for h in result.handoffs] == [
        ("ml_engineer", "backend_architect"),
        ("backend_architect", "pm"),
    ]
    assert result.deliverables["pm"] == "Launch plan agreed for March."
    assert result.usage["ml_engineer"]["calls"] == 2
    assert result.usage["ml_engineer"]["input_tokens"] == 20
    bodies = [r.body for r in stub.requests]
    assert [b["model"] for b in bodies] == ["claude-sonnet-4-6"] * 4
    for body in bodies:
        system = body["system"]
        assert system[-1]["cache_control"] == {"type": "ephemeral"}
        assert "<card>" in system[-1]["text"]
        assert_valid_anthropic_messages(body)
    ml_tools = {t["name"] for t in bodies[0]["tools"]}
    assert {
        "grep",
        "read_file",
        "glob",
        "analyze",
        "transfer_to_data_engineer",
        "transfer_to_pm",
    } <= ml_tools
    grep_result = bodies[1]["messages"][-1]["content"][0]
    assert grep_result["type"] == "tool_result" and "churn/train.py" in str(grep_result["content"])
    assert stub.requests[0].headers["authorization"] == "Bearer " + KEY


def test_streamed_turns_keep_tool_calls(claude, default_team):
    stub = claude(script())
    team = default_team
    events = list(Engine(team, model=MODEL, repo=REPO).stream(REQUEST, thread_id="claude-stream"))
    stub.assert_complete()
    assert all(r.body.get("stream") is True for r in stub.requests)
    assert [e.data["target"] for e in events if e.kind == "handoff"] == ["backend_architect", "pm"]
    assert (
        "".join(e.text for e in events if e.kind == "token" and e.role == "pm")
        == "Launch plan agreed for March."
    )


def test_overloaded_then_success_is_retried(claude, default_team):
    stub = claude([Fault(status=529, times=2), Reply(text="Model plan written.")])
    result = run_team(default_team, "Train a churn model", model=MODEL)
    stub.assert_complete()
    assert (result.outcome, result.deliverables) == ("done", {"ml_engineer": "Model plan written."})
    assert [r.headers.get("x-stainless-retry-count") for r in stub.requests] == ["0", "1", "2"]


@pytest.mark.parametrize(
    "fault", [Fault(status=500, times=4), Fault(status=429, times=4), Fault(timeout=2, times=4)]
)
def test_persistent_faults_end_in_one_clear_error_then_resume(
    claude, default_team, monkeypatch, fault
):
    monkeypatch.setenv("TEAM_MODEL_TIMEOUT", "0.3")
    stub = claude(
        [
            Reply(
                text="Plan.",
                tool_uses=[("transfer_to_pm", {"reason": "dates", "criterion": "scope"})],
            ),
            fault,
            Reply(text="Dates agreed."),
        ]
    )
    with sqlite_checkpointer() as saver:
        stopped = run_team(
            default_team,
            "Train a churn model",
            model=MODEL,
            checkpointer=saver,
            thread_id=f"fault-{id(fault)}",
        )
    assert stopped.outcome == "error"
    assert stopped.note.startswith("pm: model call failed: ")
    assert stopped.note.endswith(f"(the run is saved as thread fault-{id(fault)})")
    assert "\n" not in stopped.note
    assert stopped.visited == ["ml_engineer", "pm"]
    with sqlite_checkpointer() as saver:
        resumed = resume_run(default_team, f"fault-{id(fault)}", saver, model=MODEL)
    stub.assert_complete()
    assert (resumed.outcome, resumed.deliverables["pm"]) == ("done", "Dates agreed.")
    assert resumed.visited == ["ml_engineer", "pm"]


def test_empty_reply_is_asked_again(claude, default_team):
    stub = claude([Fault(empty=True), Reply(text="Here is the plan.")])
    result = run_team(default_team, "Train a churn model", model=MODEL)
    stub.assert_complete()
    assert result.deliverables == {"ml_engineer": "Here is the plan."}
    retry = stub.requests[1].body["messages"]
    assert retry[-1]["content"][-1]["text"].startswith("Your reply was empty")


def test_bad_tool_use_is_a_recoverable_tool_error(claude, default_team):
    stub = claude(
        [
            Reply(tool_uses=[("transfer_to_nobody", {"reason": "x"}), ("grep", {"bogus": 1})]),
            Reply(text="Recovered."),
        ]
    )
    result = run_team(default_team, "Train a churn model", model=MODEL, repo=REPO)
    stub.assert_complete()
    results = stub.requests[1].body["messages"][-1]["content"]
    texts = [
        r["content"] if isinstance(r["content"], str) else r["content"][0]["text"] for r in results
    ]
    assert texts[0] == (
        "error: ml_engineer cannot hand off to 'nobody'; allowed targets: data_engineer, "
        "backend_architect, devops_engineer, performance_engineer, system_architect, pm"
    )
    assert texts[1].startswith("error: ") and "pattern" in texts[1]
    assert result.outcome == "done"


def test_the_api_key_never_appears_anywhere(claude, default_team, tmp_path):
    stub = claude([*script()[:1], Fault(status=500, times=4)])
    trace = tmp_path / "trace.jsonl"
    cli = CliRunner().invoke(
        app,
        [
            "run",
            "-r",
            REQUEST,
            "--repo",
            str(REPO),
            "--model",
            MODEL,
            "--trace",
            str(trace),
            "--json",
        ],
    )
    assert cli.exit_code == 1
    data = json.loads(cli.stdout)
    assert data["outcome"] == "error"
    everything = cli.output + trace.read_text() + json.dumps(data)
    assert KEY not in everything
    assert KEY not in str(stub.requests[0].body)
    assert stub.requests[0].headers["authorization"].endswith(KEY)  # it was really sent, only there


def test_default_claude_model_is_current():
    import typing

    from anthropic._data import DEPRECATED_MODELS
    from anthropic.types import ModelParam

    from team.models import DEFAULT_CLAUDE_MODEL

    known = {a for arg in typing.get_args(ModelParam) for a in typing.get_args(arg)}
    assert DEFAULT_CLAUDE_MODEL in known
    assert DEFAULT_CLAUDE_MODEL not in DEPRECATED_MODELS


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--model", "anthropic"],
            {"ANTHROPIC_API_KEY": ""},
            "error: model 'anthropic' needs ANTHROPIC_API_KEY in the environment\n",
        ),
        (
            ["--model", "openai:gpt-4o-mini"],
            {},
            "error: model 'openai:gpt-4o-mini' needs the 'langchain' package: pip install langchain langchain-openai\n",
        ),
    ],
)
def test_model_setup_errors_are_one_line(monkeypatch, args, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["run", "-r", "Train a churn model", *args])
    assert (result.exit_code, result.output) == (2, message)


def test_per_role_model_from_the_topology(claude, default_team):
    """The topology gives PM a cheaper Claude; the other roles keep the offline default."""
    from team.topology import Team

    topology = default_team.topology.model_copy(
        update={"models": {"pm": "anthropic:claude-haiku-4-5"}}
    )
    team = Team.from_cards(list(default_team.cards.values()), topology)
    stub = claude([Reply(text="Launch in March, signed off.")])
    result = run_team(team, "Train a churn model. Agree the launch timeline with stakeholders.")
    stub.assert_complete()
    assert result.visited == ["ml_engineer", "pm"]
    assert result.deliverables["ml_engineer"].startswith("## ML Engineer: deliverable")
    assert result.deliverables["pm"] == "Launch in March, signed off."
    assert [r.body["model"] for r in stub.requests] == ["claude-haiku-4-5"]
