"""The configured API key is masked in everything stored or printed, even when a reply has it.

A model behind a malicious or careless proxy can echo the key back: in its text, in a tool
call's arguments (a grep pattern) and in a handoff's reason. The loopback Anthropic stub plays
that model; the key must not appear in the transcript, the JSON result, the trace, the ``--out``
files, the report, or the store (read back through its own serializer, as it is compressed).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from stubs.anthropic_stub import AnthropicStub, Reply
from typer.testing import CliRunner

from team.checkpoint import CompressedSerializer
from team.cli import app
from team.home import default_store

KEY = "sk-ant-test-LEAKED-9876543210"
REPO = Path(__file__).resolve().parents[2] / "scenarios" / "fixtures" / "churn"
REQUEST = "Train a churn model and expose it behind a REST API. Agree the launch timeline."


def leaking_script() -> list[Reply]:
    """The ML Engineer greps for the key and hands off citing it; the PM writes it down."""
    return [
        Reply(text=f"Checking where {KEY} is used.", tool_uses=[("grep", {"pattern": KEY})]),
        Reply(
            text=f"The API key is {KEY}.",
            tool_uses=[
                (
                    "transfer_to_pm",
                    {"reason": f"the launch needs the key {KEY}", "criterion": "launch timeline"},
                )
            ],
        ),
        Reply(text=f"Launch plan. Credentials: {KEY}"),
    ]


def store_text(store: Path) -> str:
    """Every row of the store, decompressed and decoded, as one text."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    serde = CompressedSerializer(JsonPlusSerializer())
    parts = []
    with sqlite3.connect(store) as conn:
        for kind, blob, metadata in conn.execute(
            "SELECT type, checkpoint, metadata FROM checkpoints"
        ):
            parts += [repr(serde.loads_typed((kind, blob))), metadata.decode()]
        for kind, blob in conn.execute("SELECT type, value FROM writes"):
            parts.append(repr(serde.loads_typed((kind, blob))))
    return "\n".join(parts)


@pytest.fixture
def leaking_claude(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("TEAM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEAM_MODEL_TIMEOUT", "30")
    stubs: list[AnthropicStub] = []

    def start() -> AnthropicStub:
        stub = AnthropicStub(leaking_script(), api_key=KEY).start()
        monkeypatch.setenv("ANTHROPIC_BASE_URL", stub.base_url)
        stubs.append(stub)
        return stub

    yield start
    for stub in stubs:
        stub.stop()


def test_team_run_masks_the_key_everywhere(
    leaking_claude: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    out, trace = tmp_path / "out", tmp_path / "trace.jsonl"
    run = ["run", "-r", REQUEST, "--repo", str(REPO), "--model", "anthropic:claude-sonnet-4-6"]

    stub = leaking_claude()
    printed = CliRunner().invoke(app, [*run, "--thread", "shown"])
    stub.assert_complete()
    stub = leaking_claude()
    as_json = CliRunner().invoke(
        app, [*run, "--thread", "saved", "--json", "--trace", str(trace), "--out", str(out)]
    )
    stub.assert_complete()

    assert (printed.exit_code, as_json.exit_code) == (0, 0)
    assert (
        "Credentials: ***" in as_json.stdout and "the launch needs the key ***" in trace.read_text()
    )
    assert stub.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was really used
    files = {path: path.read_text(encoding="utf-8") for path in sorted(out.iterdir())}
    assert {p.name for p in files} >= {"ml_engineer.md", "pm.md", "report.html"}
    everything = {
        "transcript": printed.stdout + printed.stderr,
        "json": as_json.stdout + as_json.stderr,
        "trace": trace.read_text(encoding="utf-8"),
        **{f"--out {path.name}": text for path, text in files.items()},
        "store": store_text(default_store()),
    }
    leaked = sorted(where for where, text in everything.items() if KEY in text)
    assert leaked == []


def test_a_model_object_with_its_own_key_is_masked_too(
    leaking_claude: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from langchain_anthropic import ChatAnthropic

    from team import Team, run_team
    from team.home import sqlite_checkpointer

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    stub = leaking_claude()
    model = ChatAnthropic(model="claude-sonnet-4-6", api_key=KEY, base_url=stub.base_url)
    with sqlite_checkpointer() as saver:
        result = run_team(
            Team.load(), REQUEST, repo=REPO, model=model, thread_id="object", checkpointer=saver
        )
    stub.assert_complete()
    assert result.deliverables["pm"] == "Launch plan. Credentials: ***"
    assert KEY not in result.to_json()
    assert KEY not in store_text(default_store())


@pytest.mark.parametrize(
    "variable", ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "TEAM_API_TOKEN"]
)
def test_every_key_variable_is_masked(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from team.errors import scrub

    monkeypatch.setenv(variable, KEY)
    assert scrub(f"before {KEY} after") == "before *** after"


def test_streamed_tokens_never_carry_the_key_even_in_halves(
    leaking_claude: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from team import Engine, Team

    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    stub = leaking_claude()
    engine = Engine(Team.load(), model="anthropic:claude-sonnet-4-6", repo=REPO)
    events = list(engine.stream(REQUEST, thread_id="streamed"))
    stub.assert_complete()
    assert all(r.body.get("stream") is True for r in stub.requests)
    tokens = [e for e in events if e.kind == "token"]
    halves = (KEY[: len(KEY) // 2], KEY[len(KEY) // 2 :])
    assert [t.text for t in tokens if any(half in t.text for half in halves)] == []
    assert "".join(t.text for t in tokens if t.role == "pm") == "Launch plan. Credentials: ***"
    assert "".join(t.text for t in tokens if t.role == "ml_engineer") == (
        "Checking where *** is used.The API key is ***."
    )
