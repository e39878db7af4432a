"""``team serve``: a real uvicorn on 127.0.0.1, driven with the official ``openai`` client."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from helpers import ROOT
from openai import OpenAI
from services import running

from team.errors import TeamError
from team.serve import check_bind, create_app, serve
from team.serve.protocol import Answer
from team.topology import Team

ROLES = [
    "backend_architect",
    "data_engineer",
    "devops_engineer",
    "ml_engineer",
    "performance_engineer",
    "pm",
    "system_architect",
]
CHURN = "Train a churn model on last year's customers"
CHURN_AND_API = "Train a churn model and expose it behind a REST API"
FOLLOW_UP = "ok, what would you do next?"
ERROR_KEYS = {"message", "type", "param", "code"}


def wait_until(ready: Any, seconds: float = 30.0) -> None:
    """Bounded polling for server start-up."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the server did not start in time")
        time.sleep(0.02)


def approval_team(roles: tuple[str, ...] = ("backend_architect",)) -> Team:
    team = Team.load()
    topology = team.topology.model_copy(update={"approval": roles})
    return Team.from_cards(list(team.cards.values()), topology)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("serve") / "threads.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TEAM_API_TOKEN", raising=False)
        with running(create_app(Team.load(), checkpoint=str(store))) as url:
            yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> OpenAI:
    return OpenAI(base_url=f"{base_url}/v1", api_key="unused", max_retries=0, timeout=60)


def ask(client: OpenAI, text: str, *, thread: str | None = None, model: str = "teamgraph"):
    headers = {"X-Thread-Id": thread} if thread else {}
    return client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": text}], extra_headers=headers
    )


def team_field(completion: Any) -> dict[str, Any]:
    return completion.model_extra["teamgraph"]


def test_models_lists_the_team_and_each_role(client: OpenAI) -> None:
    models = client.models.list()
    assert [m.id for m in models] == ["teamgraph", *(f"teamgraph/{r}" for r in ROLES)]
    assert {m.owned_by for m in models} == {"teamgraph"}
    assert client.models.retrieve("teamgraph/pm").id == "teamgraph/pm"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("teamgraph/cfo")


def test_healthz(base_url: str) -> None:
    assert httpx.get(f"{base_url}/healthz").json() == {"status": "ok"}


def test_completion_reports_who_answered_and_the_handoffs(client: OpenAI) -> None:
    thread = f"t-{uuid.uuid4().hex}"
    raw = client.chat.completions.with_raw_response.create(
        model="teamgraph",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": CHURN_AND_API},
        ],
        extra_headers={"X-Thread-Id": thread},
    )
    assert raw.headers["x-thread-id"] == thread
    completion = raw.parse()
    assert completion.object == "chat.completion"
    assert completion.model == "teamgraph"
    assert completion.choices[0].finish_reason == "stop"
    content = completion.choices[0].message.content
    # Both roles' work is in the answer, in order: a handoff does not drop the first role's part.
    assert content.startswith("## ML Engineer: deliverable")
    assert "\n\n## Backend Architect: deliverable" in content
    field = team_field(completion)
    assert field["thread_id"] == thread
    assert (field["role"], field["roles"], field["outcome"]) == (
        "backend_architect",
        ["ml_engineer", "backend_architect"],
        "done",
    )
    assert [(h["source"], h["target"]) for h in field["handoffs"]] == [
        ("ml_engineer", "backend_architect")
    ]
    assert field["handoffs"][0]["criterion"]
    assert completion.usage.total_tokens >= 0


def test_streamed_tokens_join_into_the_answer(client: OpenAI) -> None:
    whole = ask(client, CHURN_AND_API, thread=f"w-{uuid.uuid4().hex}")
    chunks = list(
        client.chat.completions.create(
            model="teamgraph",
            messages=[{"role": "user", "content": CHURN_AND_API}],
            stream=True,
            stream_options={"include_usage": True},
            extra_headers={"X-Thread-Id": f"s-{uuid.uuid4().hex}"},
        )
    )
    assert {c.object for c in chunks} == {"chat.completion.chunk"}
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    deltas = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(deltas) > 10  # tokens arrive as they are written, not as one block
    assert "".join(deltas) == whole.choices[0].message.content
    final = next(c for c in chunks if c.choices and c.choices[0].finish_reason)
    assert final.choices[0].finish_reason == "stop"
    summary = final.model_extra["teamgraph"]
    assert {k: v for k, v in summary.items() if k != "thread_id"} == {
        k: v for k, v in team_field(whole).items() if k != "thread_id"
    }
    handoffs = [
        c.model_extra["teamgraph"]
        for c in chunks
        if c.model_extra.get("teamgraph", {}).get("event")
    ]
    assert [(h["source"], h["target"]) for h in handoffs] == [("ml_engineer", "backend_architect")]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None


def test_sse_wire_format(base_url: str) -> None:
    body = {"model": "teamgraph", "stream": True, "messages": [{"role": "user", "content": CHURN}]}
    with httpx.stream(
        "POST",
        f"{base_url}/v1/chat/completions",
        json=body,
        headers={"X-Thread-Id": uuid.uuid4().hex},
        timeout=60,
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    assert json.loads(lines[0][6:])["choices"][0]["delta"] == {"role": "assistant", "content": ""}


def test_thread_continuity_by_header_user_metadata_or_history(client: OpenAI) -> None:
    thread = f"c-{uuid.uuid4().hex}"
    assert team_field(ask(client, CHURN, thread=thread))["role"] == "ml_engineer"
    again = team_field(ask(client, FOLLOW_UP, thread=thread))
    assert (again["role"], again["roles"]) == ("ml_engineer", ["ml_engineer"])
    # A new conversation with the same follow-up has no active role: triage falls back to the PM.
    assert team_field(ask(client, FOLLOW_UP, thread=f"n-{uuid.uuid4().hex}"))["role"] == "pm"

    user = f"user-{uuid.uuid4().hex}"
    for text, role in ((CHURN, "ml_engineer"), (FOLLOW_UP, "ml_engineer")):
        reply = client.chat.completions.create(
            model="teamgraph", messages=[{"role": "user", "content": text}], user=user
        )
        assert (team_field(reply)["thread_id"], team_field(reply)["role"]) == (user, role)

    meta = f"m-{uuid.uuid4().hex}"
    for text in ("Our nightly Airflow DAG keeps failing", FOLLOW_UP):
        reply = client.chat.completions.create(
            model="teamgraph",
            messages=[{"role": "user", "content": text}],
            metadata={"thread_id": meta},
            user="ignored-when-metadata-names-the-thread",
        )
        assert (team_field(reply)["thread_id"], team_field(reply)["role"]) == (
            meta,
            "data_engineer",
        )

    # Without an id the request's messages are the conversation: nothing is shared on the
    # server, the role that spoke last is recovered from the history, a regenerate re-runs.
    opening = "Set up a CI/CD pipeline with GitHub Actions"
    first = client.chat.completions.with_raw_response.create(
        model="teamgraph", messages=[{"role": "user", "content": opening}]
    )
    assert "x-thread-id" not in first.headers
    answer = first.parse().choices[0].message.content
    assert answer.startswith("## DevOps Engineer: deliverable") and opening in answer
    history = [
        {"role": "user", "content": opening},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": FOLLOW_UP},
    ]
    second = client.chat.completions.create(model="teamgraph", messages=history)
    text = second.choices[0].message.content
    assert team_field(second)["roles"] == ["devops_engineer"]
    assert text.startswith("## DevOps Engineer: deliverable")
    assert f"**Request:** {FOLLOW_UP}" in text and f"**Request:** {opening}" not in text
    regenerated = client.chat.completions.create(model="teamgraph", messages=history)
    assert regenerated.choices[0].message.content == text
    # Another client opening with the same words starts its own conversation.
    stranger = client.chat.completions.create(
        model="teamgraph", messages=[{"role": "user", "content": FOLLOW_UP}]
    )
    assert team_field(stranger)["role"] == "pm"


def test_role_model_starts_every_turn_at_that_role(client: OpenAI) -> None:
    thread = f"r-{uuid.uuid4().hex}"
    reply = team_field(ask(client, CHURN, thread=thread, model="teamgraph/pm"))
    assert reply["roles"][0] == "pm"
    assert reply["roles"] == ["pm", "ml_engineer"]  # the PM hands the model work on
    # Same thread, another role model: that role takes this turn, whoever held the work.
    reply = team_field(ask(client, FOLLOW_UP, thread=thread, model="teamgraph/data_engineer"))
    assert reply["roles"][0] == "data_engineer"
    # Back on the team model, triage keeps the active role for a vague follow-up.
    assert team_field(ask(client, FOLLOW_UP, thread=thread))["roles"][0] == reply["role"]


def test_auth_when_a_token_is_set(tmp_path: Path) -> None:
    token = "s3cret-" + uuid.uuid4().hex
    with running(create_app(Team.load(), checkpoint="memory", token=token)) as url:
        for key in ("wrong", ""):
            bad = OpenAI(base_url=f"{url}/v1", api_key=key or "x", max_retries=0)
            with pytest.raises(openai.AuthenticationError) as caught:
                bad.models.list()
            assert caught.value.status_code == 401
            assert set(caught.value.body) == ERROR_KEYS
            assert caught.value.body["code"] == "invalid_api_key"
        response = httpx.post(f"{url}/v1/chat/completions", content=b"{}")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert token not in response.text and token not in str(response.headers)
        assert httpx.get(f"{url}/healthz").status_code == 200
        good = OpenAI(base_url=f"{url}/v1", api_key=token, max_retries=0)
        assert len(good.models.list().data) == 8
        assert team_field(ask(good, CHURN))["role"] == "ml_engineer"


def test_no_auth_without_a_token(client: OpenAI) -> None:
    assert len(client.models.list().data) == 8  # any api_key works


def test_refuses_to_listen_beyond_loopback_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEAM_API_TOKEN", raising=False)
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.com"):
        with pytest.raises(TeamError) as caught:
            serve(host=host, port=1)
        assert str(caught.value) == (
            f"refusing to listen on {host} without TEAM_API_TOKEN: set it, or use --host 127.0.0.1"
        )
        assert "\n" not in str(caught.value)
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host, None)
    check_bind("0.0.0.0", "a-token")


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    return body["error"]


def test_error_bodies(base_url: str, client: OpenAI) -> None:
    url = f"{base_url}/v1/chat/completions"
    user = [{"role": "user", "content": "hi"}]
    cases = [
        (b'{"model": "teamgraph", "messages": [', 400, "invalid_json", None),
        (b"[1, 2]", 400, "invalid_json", None),
        (json.dumps({"messages": user}).encode(), 400, "missing_required_parameter", "model"),
        (
            json.dumps({"model": "teamgraph", "messages": []}).encode(),
            400,
            "invalid_value",
            "messages",
        ),
        (
            json.dumps(
                {"model": "teamgraph", "messages": [{"role": "system", "content": "x"}]}
            ).encode(),
            400,
            "invalid_value",
            "messages",
        ),
        (
            json.dumps(
                {"model": "teamgraph", "messages": [{"role": "user", "content": "  "}]}
            ).encode(),
            400,
            "invalid_value",
            "messages",
        ),
        (
            json.dumps({"model": "gpt-4o", "messages": user}).encode(),
            404,
            "model_not_found",
            "model",
        ),
    ]
    for raw, status, code, param in cases:
        response = httpx.post(url, content=raw, headers={"content-type": "application/json"})
        assert response.status_code == status, raw
        error = error_of(response)
        assert (error["type"], error["code"], error["param"]) == (
            "invalid_request_error",
            code,
            param,
        )

    bad_thread = httpx.post(
        url, json={"model": "teamgraph", "messages": user}, headers={"X-Thread-Id": "a b"}
    )
    assert (bad_thread.status_code, error_of(bad_thread)["code"]) == (400, "invalid_thread_id")
    image = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]
    unsupported = httpx.post(url, json={"model": "teamgraph", "messages": image})
    assert (unsupported.status_code, error_of(unsupported)["code"]) == (400, "unsupported_content")
    assert httpx.get(f"{base_url}/v1/nothing").status_code == 404
    assert error_of(httpx.get(f"{base_url}/v1/nothing"))["code"] == "unknown_url"
    assert httpx.get(url).status_code == 405
    error_of(httpx.get(url))

    with pytest.raises(openai.NotFoundError) as caught:
        ask(client, "hi", model="teamgraph/cfo")
    assert caught.value.body["code"] == "model_not_found"
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="teamgraph", messages=[])
    assert caught.value.body["param"] == "messages"


def test_pending_approval_then_approve_or_reject(tmp_path: Path) -> None:
    store = str(tmp_path / "threads.sqlite")  # Team.approve runs in a worker thread on it
    with running(create_app(approval_team(), checkpoint=store)) as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        paused = ask(client, CHURN_AND_API, thread="ap")
        field = team_field(paused)
        assert (field["outcome"], field["role"]) == ("pending", "ml_engineer")
        assert field["pending"]["target"] == "backend_architect"
        assert paused.choices[0].message.content.endswith(
            "Reply /approve [note] or /reject [note] to continue."
        )
        assert "Waiting for approval: handoff ml_engineer -> backend_architect" in (
            paused.choices[0].message.content
        )
        with pytest.raises(openai.ConflictError) as caught:
            ask(client, "what about the data?", thread="ap")
        assert caught.value.body["code"] == "approval_pending"

        done = ask(client, "/approve ship it", thread="ap")
        assert (team_field(done)["outcome"], team_field(done)["role"]) == (
            "done",
            "backend_architect",
        )
        assert done.choices[0].message.content.startswith("## Backend Architect: deliverable")
        with pytest.raises(openai.ConflictError) as caught:
            ask(client, "/approve", thread="ap")
        assert caught.value.body["code"] == "no_pending_approval"

        assert team_field(ask(client, CHURN_AND_API, thread="rj"))["outcome"] == "pending"
        rejected = client.chat.completions.create(
            model="teamgraph",
            messages=[{"role": "user", "content": "/reject no API this quarter"}],
            extra_headers={"X-Thread-Id": "rj"},
            stream=True,
        )
        summary = [
            c.model_extra["teamgraph"] for c in rejected if c.choices and c.choices[0].finish_reason
        ]
        assert summary[0]["role"] == "ml_engineer"  # the handoff did not happen


def test_fifty_concurrent_conversations_stay_apart(client: OpenAI) -> None:
    openings = [
        ("Train a churn model on last year's customers", "ml_engineer"),
        ("Our nightly Airflow DAG keeps failing", "data_engineer"),
        ("Set up a CI/CD pipeline with GitHub Actions", "devops_engineer"),
        ("Profile why p99 latency doubled", "performance_engineer"),
        ("Design the REST API for the orders service", "backend_architect"),
        ("Plan the architecture for splitting the monolith into services", "system_architect"),
        ("Write the launch plan and timeline for stakeholders", "pm"),
    ]
    run = uuid.uuid4().hex[:8]

    def conversation(index: int) -> tuple[int, list[tuple[str, str, str]]]:
        text, _ = openings[index % len(openings)]
        thread = f"conc-{run}-{index:02d}"
        turns = []
        for message in (f"{text} [conv-{index:02d}]", f"{FOLLOW_UP} [conv-{index:02d}]"):
            reply = ask(client, message, thread=thread)
            field = team_field(reply)
            turns.append((field["thread_id"], field["role"], reply.choices[0].message.content))
        return index, turns

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(conversation, range(50)))
    assert len(results) == 50
    for index, turns in results:
        role = openings[index % len(openings)][1]
        for thread, answered, content in turns:
            assert (thread, answered) == (f"conc-{run}-{index:02d}", role)
            assert f"[conv-{index:02d}]" in content
            others = {f"[conv-{i:02d}]" for i in range(50)} - {f"[conv-{index:02d}]"}
            assert not any(marker in content for marker in others), index


def test_answer_joins_roles_and_trims_the_way_tokens_stream() -> None:
    from team.events import Event

    answer = Answer()
    fed = [
        answer.feed(Event("token", "ml_engineer", "  Plan")),
        answer.feed(Event("token", "ml_engineer", " ready.\n")),
        answer.feed(Event("deliverable", "ml_engineer", "Plan ready.")),
        answer.feed(Event("handoff", "ml_engineer", "because")),
        answer.feed(Event("deliverable", "pm", "Timeline.")),
        answer.notice("The turn stopped (loop): ping-pong"),
    ]
    assert (
        "".join(fed)
        == answer.text
        == "Plan ready.\n\nTimeline.\n\nThe turn stopped (loop): ping-pong"
    )


def test_langgraph_json_resolves_to_the_team_graph_like_langgraph_api() -> None:
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.pregel import Pregel

    config = json.loads((ROOT / "langgraph.json").read_text())
    assert config["dependencies"] == ["."]
    spec = config["graphs"]["team"]
    source = spec["path"] if isinstance(spec, dict) else spec
    path, variable = source.rsplit(":", maxsplit=1)  # langgraph_api's GraphSpec split
    assert "/" in path  # a file path, not a module
    name = path.replace("/", "__").replace(".py", "").lstrip(".")
    module_spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    graph = module.__dict__[variable]
    assert isinstance(graph, Pregel) and isinstance(graph, CompiledStateGraph)
    assert graph.checkpointer is None  # the platform brings persistence; a saver here is refused
    assert {"triage", *ROLES} <= set(graph.nodes)
    state = graph.invoke({"messages": [{"role": "user", "content": CHURN}]})
    assert state["active"] == "ml_engineer"


def test_importing_team_serve_stays_light() -> None:
    code = "import sys, team.serve; print(sorted(m for m in ('fastapi', 'uvicorn', 'langgraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_team_serve_command(tmp_path: Path) -> None:
    """The one subprocess test: the ``team serve`` CLI command."""
    from services import free_port
    from test_persistence import ServerProcess

    team = shutil.which("team", path=str(Path(sys.executable).parent)) or "team"
    probe = subprocess.run([team, "serve", "--help"], capture_output=True, text=True)
    assert probe.returncode == 0 and "OpenAI-compatible" in probe.stdout
    env = {**os.environ, "TEAM_HOME": str(tmp_path)}
    env.pop("TEAM_API_TOKEN", None)
    refused = subprocess.run(
        [team, "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        "error: refusing to listen on 0.0.0.0 without TEAM_API_TOKEN: set it, or use --host 127.0.0.1\n"
    )
    with ServerProcess([team, "serve", "--port", "{port}"], env=env) as server:
        client = OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0)
        assert team_field(ask(client, CHURN, thread="cli"))["role"] == "ml_engineer"
        server.process.send_signal(signal.SIGTERM)
        # A graceful shutdown; uvicorn then re-raises SIGTERM so supervisors see why it ended.
        assert server.process.wait(30) in (0, -signal.SIGTERM)
        log = server.log()
        assert f"team serve: {server.url}/v1  threads: sqlite {tmp_path}/threads.sqlite" in log
        assert "Application shutdown complete" in log
    assert (tmp_path / "threads.sqlite").is_file()
