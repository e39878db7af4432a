"""Chat clients nobody here wrote, against ``team serve`` started by the test on 127.0.0.1.

The ``openai`` SDK, langchain-openai's ``ChatOpenAI``, litellm and ``curl -N`` hold three-turn
conversations, streamed and not, on a server-side thread (``X-Thread-Id``) and as history-only
clients (the whole conversation in every request). Each turn's text must answer that turn's
request and hold no earlier turn's work; the roles and approvals are what a user sees.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI
from services import ROOT, Service, team_serve

# Three turns; the roles the offline model gives each (display names, in order).
TURNS = [
    ("Train a churn model and expose it behind a REST API", ["ML Engineer", "Backend Architect"]),
    ("Now add data quality checks to the ETL feeding it", ["Data Engineer"]),
    ("Set up a CI/CD pipeline with GitHub Actions to deploy it", ["DevOps Engineer"]),
]
ROLE_IDS = {
    "ML Engineer": "ml_engineer",
    "Backend Architect": "backend_architect",
    "Data Engineer": "data_engineer",
    "DevOps Engineer": "devops_engineer",
}
ALL_ROLES = [
    "ML Engineer",
    "Data Engineer",
    "Backend Architect",
    "DevOps Engineer",
    "Performance Engineer",
    "System Architect",
    "PM",
]


def speakers(text: str) -> list[str]:
    """The role headings of a reply, in order (the offline model writes ``## <Role>: ...``)."""
    found = []
    for line in text.splitlines():
        for name in ALL_ROLES:
            if line.startswith(("## ", "### ")) and line.lstrip("#").strip().startswith(name + ":"):
                found.append(name)
    return found


def assert_answers(text: str, index: int) -> None:
    """Turn ``index``'s reply: its roles speak, about its request, and nothing of other turns."""
    request, roles = TURNS[index]
    assert speakers(text) == roles, text[:300]
    assert f"**Request:** {request}" in text
    for other, _ in TURNS[:index]:
        assert other not in text, f"turn {index + 1} repeats an earlier turn: {other!r}"


@pytest.fixture(scope="module")
def server() -> Iterator[Service]:
    with team_serve() as service:
        yield service


@pytest.fixture(scope="module")
def client(server: Service) -> OpenAI:
    return OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0, timeout=120)


def team_field(completion: Any) -> dict[str, Any]:
    return completion.model_extra["teamgraph"]


def streamed(stream: Any) -> tuple[str, dict[str, Any]]:
    """The text of an ``openai`` chunk stream and its closing ``teamgraph`` summary."""
    text, summary = "", {}
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.choices and chunk.choices[0].finish_reason:
            summary = chunk.model_extra["teamgraph"]
    return text, summary


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_openai_sdk_three_turns_on_one_thread(client: OpenAI, stream: bool) -> None:
    thread = f"sdk-{uuid.uuid4().hex}"
    for index, (request, roles) in enumerate(TURNS):
        reply = client.chat.completions.create(
            model="teamgraph",
            messages=[{"role": "user", "content": request}],
            extra_headers={"X-Thread-Id": thread},
            stream=stream,
        )
        if stream:
            text, summary = streamed(reply)
        else:
            text, summary = reply.choices[0].message.content, team_field(reply)
        assert_answers(text, index)
        assert summary["roles"] == [ROLE_IDS[r] for r in roles]
        assert (summary["thread_id"], summary["outcome"]) == (thread, "done")


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_openai_sdk_history_only_client(client: OpenAI, stream: bool) -> None:
    """No thread id: the client sends the whole conversation each turn, as most chat UIs do."""
    history: list[dict[str, str]] = []
    for index, (request, roles) in enumerate(TURNS):
        history.append({"role": "user", "content": request})
        raw = client.chat.completions.with_raw_response.create(
            model="teamgraph", messages=history, stream=stream
        )
        assert "x-thread-id" not in raw.headers  # nothing is kept on the server
        reply = raw.parse()
        if stream:
            text, summary = streamed(reply)
        else:
            text, summary = reply.choices[0].message.content, team_field(reply)
        assert_answers(text, index)
        assert summary["roles"] == [ROLE_IDS[r] for r in roles]
        history.append({"role": "assistant", "content": text})
    # A vague follow-up stays with the role that spoke last, recovered from the history alone.
    history.append({"role": "user", "content": "ok, what would you do next?"})
    follow = client.chat.completions.create(model="teamgraph", messages=history)
    assert speakers(follow.choices[0].message.content) == ["DevOps Engineer"]
    assert TURNS[2][0] not in follow.choices[0].message.content


@pytest.mark.parametrize("thread", [False, True], ids=["history", "thread"])
def test_chat_openai_three_turns(server: Service, thread: bool) -> None:
    """langchain-openai's ``ChatOpenAI``: ``invoke`` and ``stream`` with the full history."""
    headers = {"X-Thread-Id": f"lc-{uuid.uuid4().hex}"} if thread else None
    model = ChatOpenAI(
        model="teamgraph",
        base_url=f"{server.url}/v1",
        api_key="unused",
        max_retries=0,
        timeout=120,
        default_headers=headers,
    )
    history: list[Any] = []
    for index, (request, _) in enumerate(TURNS):
        history.append(HumanMessage(request))
        if index % 2:
            text = "".join(str(chunk.content) for chunk in model.stream(history))
        else:
            reply = model.invoke(history)
            assert isinstance(reply, AIMessage)
            text = str(reply.content)
        assert_answers(text, index)
        history.append(AIMessage(text))


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_litellm_three_turns_from_history(
    server: Service, stream: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """litellm's ``completion`` as an OpenAI-compatible provider (``openai/<model>``)."""
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download at import
    import litellm

    history: list[dict[str, str]] = []
    for index, (request, _) in enumerate(TURNS):
        history.append({"role": "user", "content": request})
        reply = litellm.completion(
            model="openai/teamgraph",
            api_base=f"{server.url}/v1",
            api_key="unused",
            messages=history,
            stream=stream,
            num_retries=0,
            timeout=120,
        )
        if stream:
            text = "".join(chunk.choices[0].delta.content or "" for chunk in reply)
        else:
            text = reply.choices[0].message.content
        assert_answers(text, index)
        history.append({"role": "assistant", "content": text})


def test_offered_tools_are_served_required_tools_are_refused(client: OpenAI) -> None:
    """Chat UIs offer their tools with every message; the team answers with its own tools."""
    tool = {
        "type": "function",
        "function": {
            "name": "get_current_timestamp",
            "description": "The time now.",
            "parameters": {"type": "object", "properties": {}},
        },
    }
    request = TURNS[1][0]
    for choice in (openai.NOT_GIVEN, "auto", "none"):
        reply = client.chat.completions.create(
            model="teamgraph",
            messages=[{"role": "user", "content": request}],
            tools=[tool],
            tool_choice=choice,
        )
        assert speakers(reply.choices[0].message.content) == ["Data Engineer"]
        assert reply.choices[0].message.tool_calls is None
    named = {"type": "function", "function": {"name": "get_current_timestamp"}}
    for choice in ("required", named):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(
                model="teamgraph",
                messages=[{"role": "user", "content": request}],
                tools=[tool],
                tool_choice=choice,
            )
        assert (caught.value.body["param"], caught.value.body["code"]) == (
            "tool_choice",
            "unsupported_parameter",
        )
        assert "'auto' or 'none'" in caught.value.body["message"]


# -- curl -N: the raw SSE stream, with an approval on the way -------------------------------------


def gated_topology(folder: Path) -> Path:
    """The default topology with a human approval before any handoff to the Backend Architect."""
    text = (ROOT / "team" / "graphs" / "default.yaml").read_text(encoding="utf-8")
    path = folder / "gated.yaml"
    path.write_text(
        text.replace("name: default", "name: gated") + "\napproval: [backend_architect]\n",
        encoding="utf-8",
    )
    return path


def curl(url: str, thread: str, text: str) -> tuple[str, list[dict[str, Any]]]:
    """POST one streamed turn with ``curl -N``; the joined text and every chunk."""
    body = json.dumps(
        {"model": "teamgraph", "stream": True, "messages": [{"role": "user", "content": text}]}
    )
    done = subprocess.run(
        [
            "curl",
            "-sS",
            "-N",
            "--fail-with-body",
            "-H",
            "Content-Type: application/json",
            "-H",
            f"X-Thread-Id: {thread}",
            "--data-binary",
            body,
            f"{url}/v1/chat/completions",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    events = [line for line in done.stdout.split("\n\n") if line.strip()]
    assert all(event.startswith("data: ") for event in events)
    assert events[-1] == "data: [DONE]"
    chunks = [json.loads(event[len("data: ") :]) for event in events[:-1]]
    text = "".join(
        c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices")
    )
    return text, chunks


def summary_of(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c["teamgraph"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"])


def test_curl_streams_a_paused_turn_a_rejection_and_the_next_request(tmp_path: Path) -> None:
    with team_serve("--graph", str(gated_topology(tmp_path))) as server:
        thread = f"curl-{uuid.uuid4().hex}"
        first, chunks = curl(server.url, thread, TURNS[0][0])
        assert speakers(first) == ["ML Engineer"]  # the Backend Architect waits for a human
        assert first.rstrip().endswith("Reply /approve [note] or /reject [note] to continue.")
        assert "Waiting for approval: handoff ml_engineer -> backend_architect" in first
        assert summary_of(chunks)["outcome"] == "pending"

        second, chunks = curl(server.url, thread, "/reject no public API this quarter")
        # The ML Engineer goes on without that handoff; it is not asked for again.
        assert speakers(second) == ["ML Engineer"]
        assert "Waiting for approval" not in second and "## Backend Architect" not in second
        assert (
            "a human rejected the handoff to the Backend Architect: no public API this quarter"
        ) in second
        summary = summary_of(chunks)
        assert (summary["outcome"], summary["roles"], summary["handoffs"]) == (
            "done",
            ["ml_engineer"],
            [],
        )

        third, chunks = curl(server.url, thread, TURNS[1][0])
        assert_answers(third, 1)
        assert summary_of(chunks)["roles"] == ["data_engineer"]
