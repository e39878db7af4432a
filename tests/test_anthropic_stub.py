"""The Anthropic stub, driven by the real ``anthropic`` SDK and ``ChatAnthropic``.

These tests pin the wire format the team runtime will see from Claude: JSON messages, the SSE
event sequence, tool calls surviving streaming, error statuses, retries and timeouts. Nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import anthropic
import langchain_anthropic
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from stubs.anthropic_stub import MAX_FAULT_DELAY, AnthropicStub, Fault, Reply

# The SDK warns on every call that this model is deprecated; the warning is not under test.
pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")

MODEL = "claude-sonnet-4-5"
KEY = "test-key"
USER_TURN = [{"role": "user", "content": "Hi"}]


@tool
def read_file(path: str, max_lines: int = 50) -> str:
    """Read a file from the repository under review."""
    return f"{path}: {max_lines} lines"


def sdk(stub: AnthropicStub, **options: Any) -> Any:
    """A real SDK client pointed at the stub, without retries unless asked."""
    options.setdefault("max_retries", 0)
    return anthropic.Anthropic(base_url=stub.base_url, api_key=KEY, **options)


def chat(stub: AnthropicStub, **options: Any) -> Any:
    """A real ``ChatAnthropic`` pointed at the stub, without retries unless asked."""
    options.setdefault("max_retries", 0)
    options.setdefault("api_key", KEY)
    return langchain_anthropic.ChatAnthropic(model=MODEL, base_url=stub.base_url, **options)


def raw_post(
    stub: AnthropicStub, path: str, body: object, headers: dict[str, str]
) -> tuple[int, Any, str]:
    """POST with urllib, returning ``(status, headers, text)`` even for error statuses."""
    data = json.dumps(body).encode()
    request = urllib.request.Request(stub.base_url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_sdk_reads_a_text_message_and_the_request_is_recorded() -> None:
    with AnthropicStub([Reply(text="Hello!", usage=(12, 3))]) as stub:
        message = sdk(stub).messages.create(model=MODEL, max_tokens=64, messages=USER_TURN)
        stub.assert_complete()

    assert [block.text for block in message.content] == ["Hello!"]
    assert (message.id, message.model, message.stop_reason) == ("msg_stub_1", MODEL, "end_turn")
    assert (message.usage.input_tokens, message.usage.output_tokens) == (12, 3)
    [request] = stub.requests
    assert (request.method, request.path, request.query) == ("POST", "/v1/messages", "")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert "anthropic-version" in request.headers
    assert request.body == {"model": MODEL, "max_tokens": 64, "messages": USER_TURN}


def test_stream_wire_format_is_the_messages_api_event_sequence() -> None:
    reply = Reply(text="Hi there", tool_uses=[("read_file", {"path": "a.py"})])
    with AnthropicStub([reply]) as stub:
        body = {"model": MODEL, "max_tokens": 64, "messages": USER_TURN, "stream": True}
        status, headers, text = raw_post(stub, "/v1/messages", body, {"x-api-key": KEY})

    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    events = [
        (lines[0].removeprefix("event: "), json.loads(lines[1].removeprefix("data: ")))
        for lines in (chunk.split("\n") for chunk in text.strip().split("\n\n"))
    ]
    assert all(name == data["type"] for name, data in events)
    names = [name for name, _ in events]
    assert names[:3] == ["message_start", "ping", "content_block_start"]
    assert names[-2:] == ["message_delta", "message_stop"]
    assert names.count("content_block_start") == names.count("content_block_stop") == 2
    deltas = [data["delta"] for name, data in events if name == "content_block_delta"]
    assert "".join(d["text"] for d in deltas if d["type"] == "text_delta") == "Hi there"
    partial = "".join(d["partial_json"] for d in deltas if d["type"] == "input_json_delta")
    assert json.loads(partial) == {"path": "a.py"}
    assert len(deltas) > 2
    assert events[-2][1]["delta"]["stop_reason"] == "tool_use"


def test_sdk_stream_accumulates_the_final_message() -> None:
    reply = Reply(text="Streaming works.", tool_uses=[("read_file", {"path": "b.py"})])
    with AnthropicStub([reply]) as stub:
        client = sdk(stub)
        with client.messages.stream(model=MODEL, max_tokens=64, messages=USER_TURN) as stream:
            final = stream.get_final_message()
        stub.assert_complete()

    assert stub.requests[0].body["stream"] is True
    assert final.content[0].text == "Streaming works."
    assert (final.content[1].id, final.content[1].input) == ("toolu_1", {"path": "b.py"})
    assert final.stop_reason == "tool_use"


def test_chat_invoke_sends_system_prompt_and_messages() -> None:
    with AnthropicStub([Reply(text="Looks good to me.")]) as stub:
        answer = chat(stub).invoke([SystemMessage("You are the reviewer."), HumanMessage("Hi")])
        stub.assert_complete()

    assert answer.content == "Looks good to me."
    assert answer.usage_metadata["input_tokens"] == 10
    assert answer.response_metadata["stop_reason"] == "end_turn"
    body = stub.requests[0].body
    assert body["model"] == MODEL
    assert body["system"] == "You are the reviewer."
    assert body["messages"] == USER_TURN
    assert "stream" not in body


def test_chat_stream_yields_text_in_pieces() -> None:
    with AnthropicStub([Reply(text="One two three four five.")]) as stub:
        chunks = list(chat(stub).stream("Count"))
        stub.assert_complete()

    pieces = [chunk.content for chunk in chunks if chunk.content]
    assert len(pieces) > 1
    assert "".join(pieces) == "One two three four five."
    assert stub.requests[0].body["stream"] is True


def test_chat_tool_call_invoked() -> None:
    reply = Reply(text="Let me look.", tool_uses=[("read_file", {"path": "a.py", "max_lines": 3})])
    with AnthropicStub([reply]) as stub:
        answer = chat(stub).bind_tools([read_file]).invoke("Review a.py")
        stub.assert_complete()

    assert [(c["name"], c["args"], c["id"]) for c in answer.tool_calls] == [
        ("read_file", {"path": "a.py", "max_lines": 3}, "toolu_1")
    ]
    assert answer.response_metadata["stop_reason"] == "tool_use"
    [sent_tool] = stub.requests[0].body["tools"]
    assert sent_tool["name"] == "read_file"
    assert sent_tool["description"] == "Read a file from the repository under review."
    assert sent_tool["input_schema"]["required"] == ["path"]


def test_chat_tool_calls_survive_streaming() -> None:
    uses = [("read_file", {"path": "a.py", "max_lines": 120}), ("read_file", {"path": "b/c.py"})]
    with AnthropicStub([Reply(text="Two files.", tool_uses=uses)]) as stub:
        merged = AIMessageChunk(content="")
        for chunk in chat(stub).bind_tools([read_file]).stream("Review"):
            merged += chunk
        stub.assert_complete()

    assert [(c["name"], c["args"], c["id"]) for c in merged.tool_calls] == [
        ("read_file", {"path": "a.py", "max_lines": 120}, "toolu_1"),
        ("read_file", {"path": "b/c.py"}, "toolu_2"),
    ]
    assert stub.requests[0].body["stream"] is True
    assert stub.requests[0].body["tools"][0]["name"] == "read_file"


def test_tool_result_goes_back_as_a_tool_result_block() -> None:
    replies = [Reply(tool_uses=[("read_file", {"path": "a.py"})]), Reply(text="Done.")]
    with AnthropicStub(replies) as stub:
        model = chat(stub).bind_tools([read_file])
        history: list[Any] = [HumanMessage("Review a.py")]
        history.append(model.invoke(history))
        call = history[-1].tool_calls[0]
        history.append(ToolMessage(read_file.invoke(call["args"]), tool_call_id=call["id"]))
        assert model.invoke(history).content == "Done."
        stub.assert_complete()

    assistant_turn, result_turn = stub.requests[1].body["messages"][1:]
    assert assistant_turn["content"][0]["type"] == "tool_use"
    [result] = result_turn["content"]
    assert (result["type"], result["tool_use_id"]) == ("tool_result", "toolu_1")
    assert result["content"] == "a.py: 50 lines"


def test_cache_control_reaches_the_body() -> None:
    cached = {"type": "text", "text": "Long card.", "cache_control": {"type": "ephemeral"}}
    with AnthropicStub([Reply(text="a"), Reply(text="b")]) as stub:
        model = chat(stub)
        model.invoke([SystemMessage(content=[cached]), HumanMessage("Hi")])
        model.invoke("Hi", cache_control={"type": "ephemeral"})
        stub.assert_complete()

    first, second = (request.body for request in stub.requests)
    assert first["system"] == [cached]
    assert second["cache_control"] == {"type": "ephemeral"}


def test_count_tokens_is_answered_without_using_the_script() -> None:
    with AnthropicStub([]) as stub:
        count = chat(stub).get_num_tokens_from_messages([HumanMessage("Hello there")])
        stub.assert_complete()

    assert count > 0
    assert stub.requests[0].path == "/v1/messages/count_tokens"


def test_rate_limit_is_retried_then_succeeds() -> None:
    with AnthropicStub([Fault(status=429), Reply(text="Second time lucky.")]) as stub:
        answer = chat(stub, max_retries=1).invoke("Hi")
        stub.assert_complete()

    assert answer.content == "Second time lucky."
    assert [r.headers["x-stainless-retry-count"] for r in stub.requests] == ["0", "1"]


def test_repeated_overload_is_retried_by_the_sdk() -> None:
    with AnthropicStub([Fault(status=529, times=2), Reply(text="ok")]) as stub:
        client = sdk(stub, max_retries=2)
        message = client.messages.create(model=MODEL, max_tokens=8, messages=USER_TURN)
        stub.assert_complete()

    assert message.content[0].text == "ok"
    assert len(stub.requests) == 3


@pytest.mark.parametrize(
    ("status", "error_class", "error_type"),
    [
        (429, "RateLimitError", "rate_limit_error"),
        (529, "OverloadedError", "overloaded_error"),
        (500, "InternalServerError", "api_error"),
        # ChatAnthropic re-raises every other 5xx as its AnthropicAPIError, which subclasses
        # InternalServerError but not the SDK's ServiceUnavailableError.
        (503, "InternalServerError", "api_error"),
    ],
)
def test_fault_status_raises_the_sdk_error(status: int, error_class: str, error_type: str) -> None:
    with AnthropicStub([Fault(status=status)]) as stub:
        with pytest.raises(getattr(anthropic, error_class)) as raised:
            chat(stub).invoke("Hi")
        stub.assert_complete()

    error = raised.value
    assert error.status_code == status
    assert error.body["type"] == "error"
    assert error.body["error"]["type"] == error_type
    assert error.request_id == "req_stub_1"
    if status in (429, 529):
        assert error.response.headers["retry-after"] == "0"


def test_fault_while_streaming_raises() -> None:
    with AnthropicStub([Fault(status=529)]) as stub:
        with pytest.raises(anthropic.OverloadedError):
            list(chat(stub).stream("Hi"))
        stub.assert_complete()


def test_slow_reply_trips_the_client_timeout() -> None:
    with AnthropicStub([Fault(timeout=3.0)]) as stub:
        started = time.monotonic()
        with pytest.raises(anthropic.APITimeoutError):
            chat(stub, timeout=0.2).invoke("Hi")
        stub.assert_complete()
    assert time.monotonic() - started < 2.0, "stop() must not wait out the fault"


def test_empty_content() -> None:
    with AnthropicStub([Fault(empty=True), Fault(empty=True)]) as stub:
        message = sdk(stub).messages.create(model=MODEL, max_tokens=8, messages=USER_TURN)
        answer = chat(stub).invoke("Hi")
        stub.assert_complete()

    assert message.content == []
    assert not answer.content
    assert answer.tool_calls == []


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_json_surfaces_as_a_decode_error(stream: bool) -> None:
    with AnthropicStub([Fault(malformed=True)]) as stub:
        with pytest.raises(json.JSONDecodeError):
            response = sdk(stub).messages.create(
                model=MODEL, max_tokens=8, messages=USER_TURN, stream=stream
            )
            if stream:
                list(response)
        stub.assert_complete()


def test_wrong_key_is_rejected_without_using_the_script() -> None:
    with AnthropicStub([Reply(text="unused")], api_key="right-key") as stub:
        with pytest.raises(anthropic.AuthenticationError) as raised:
            chat(stub, api_key="wrong-key").invoke("Hi")
        with pytest.raises(AssertionError, match="1 scripted step"):
            stub.assert_complete()

    assert raised.value.body["error"]["type"] == "authentication_error"
    assert len(stub.requests) == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x-api-key": KEY}, 200),
        ({"authorization": f"Bearer {KEY}"}, 200),
        ({"authorization": KEY}, 401),
        ({}, 401),
    ],
)
def test_either_auth_header_is_accepted(headers: dict[str, str], status: int) -> None:
    body = {"model": MODEL, "max_tokens": 8, "messages": USER_TURN}
    with AnthropicStub([Reply(text="ok")]) as stub:
        answered, _, text = raw_post(stub, "/v1/messages", body, headers)

    assert answered == status
    assert json.loads(text)["type"] == ("message" if status == 200 else "error")


def test_unknown_path_and_invalid_body_are_errors() -> None:
    with AnthropicStub([]) as stub:
        not_found = raw_post(stub, "/v1/models", {}, {"x-api-key": KEY})
        invalid = raw_post(stub, "/v1/messages", {"model": MODEL}, {"x-api-key": KEY})
        stub.assert_complete()

    assert not_found[0] == 404
    assert json.loads(not_found[2])["error"]["type"] == "not_found_error"
    assert invalid[0] == 400
    assert json.loads(invalid[2])["error"]["type"] == "invalid_request_error"


def test_exhausted_script_fails_the_request_and_assert_complete() -> None:
    with AnthropicStub([Reply(text="only one")]) as stub:
        client = sdk(stub, max_retries=2)
        client.messages.create(model=MODEL, max_tokens=8, messages=USER_TURN)
        with pytest.raises(anthropic.InternalServerError, match="stub script exhausted"):
            client.messages.create(model=MODEL, max_tokens=8, messages=USER_TURN)
        with pytest.raises(AssertionError, match="after the script was exhausted"):
            stub.assert_complete()

    assert len(stub.requests) == 2, "an exhausted script tells the SDK not to retry"


def test_leftover_steps_fail_assert_complete() -> None:
    stub = AnthropicStub([Reply(text="never asked"), Fault(status=500, times=2)])
    with pytest.raises(AssertionError, match="3 scripted step"):
        stub.assert_complete()


@pytest.mark.parametrize(
    "make",
    [
        lambda: Reply(),
        lambda: Fault(),
        lambda: Fault(status=429, empty=True),
        lambda: Fault(status=404),
        lambda: Fault(timeout=MAX_FAULT_DELAY + 1),
        lambda: Fault(status=500, times=0),
    ],
)
def test_invalid_script_steps_are_rejected(make: Any) -> None:
    with pytest.raises(ValueError):
        make()


def test_base_url_needs_a_started_stub() -> None:
    stub = AnthropicStub([])
    with pytest.raises(RuntimeError):
        _ = stub.base_url
    stub.start()
    try:
        assert stub.base_url.startswith("http://127.0.0.1:")
    finally:
        stub.stop()
        stub.stop()
