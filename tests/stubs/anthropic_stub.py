"""A scripted stand-in for the Anthropic Messages API, served on 127.0.0.1.

The real ``anthropic`` SDK and ``langchain_anthropic.ChatAnthropic`` talk to it over HTTP, so
tests exercise the actual wire format: the JSON Message object, the SSE event sequence for
``"stream": true``, and Anthropic-style error bodies. Like a strict scripted model, it answers
from a script in order, records every request, fails requests past the end of the script and
reports leftover steps from `AnthropicStub.assert_complete`. Standard library only.

Example:
    >>> import anthropic
    >>> with AnthropicStub([Reply(text="Hello!")]) as stub:
    ...     client = anthropic.Anthropic(base_url=stub.base_url, api_key="test-key")
    ...     message = client.messages.create(
    ...         model="claude-sonnet-4-5",
    ...         max_tokens=64,
    ...         messages=[{"role": "user", "content": "Hi"}],
    ...     )
    ...     stub.assert_complete()
    >>> message.content[0].text
    'Hello!'
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

__all__ = ["MAX_FAULT_DELAY", "AnthropicStub", "Fault", "RecordedRequest", "Reply"]

MAX_FAULT_DELAY = 10.0
"""Upper bound, in seconds, for `Fault(timeout=...)`, so a broken test cannot hang for long."""

_ERRORS = {  # status: (error.type, error.message) as the Messages API reports them
    429: ("rate_limit_error", "Number of requests has exceeded your rate limit (stub fault)"),
    500: ("api_error", "Internal server error (stub fault)"),
    503: ("api_error", "Service unavailable (stub fault)"),
    504: ("timeout_error", "Request timed out (stub fault)"),
    529: ("overloaded_error", "Overloaded (stub fault)"),
}


@dataclass(frozen=True)
class Reply:
    """One scripted assistant message: a text block and/or ``tool_use`` blocks.

    Attributes:
        text: Text of the leading text block; empty for a tool-only reply.
        tool_uses: ``(tool_name, input)`` pairs, each answered as a ``tool_use`` block with a
            deterministic id ``toolu_<n>`` (counted per stub, from 1).
        stop_reason: Defaults to ``"tool_use"`` when there are tool uses, else ``"end_turn"``.
        usage: ``(input_tokens, output_tokens)`` reported back.
    """

    text: str = ""
    tool_uses: Sequence[tuple[str, Mapping[str, Any]]] = ()
    stop_reason: str | None = None
    usage: tuple[int, int] = (10, 5)

    def __post_init__(self) -> None:
        if not self.text and not self.tool_uses:
            raise ValueError("Reply needs text or tool_uses; use Fault(empty=True) for no content")
        object.__setattr__(self, "tool_uses", tuple((n, dict(a)) for n, a in self.tool_uses))


@dataclass(frozen=True)
class Fault:
    """One scripted failure; exactly one of ``status``, ``timeout``, ``empty``, ``malformed``.

    Attributes:
        status: Answer with this HTTP status (429, 500, 503, 504 or 529) and an Anthropic error
            body; 429 and 529 also carry ``retry-after: 0`` and ``retry-after-ms: 1``.
        times: How many consecutive requests this fault answers.
        timeout: Wait this many seconds (at most `MAX_FAULT_DELAY`) before answering 504, so a
            client with a shorter timeout gives up first.
        empty: Answer a well-formed message whose ``content`` list is empty.
        malformed: Answer a 200 whose body (or first SSE event) is not valid JSON.
    """

    status: int | None = None
    times: int = 1
    timeout: float | None = None
    empty: bool = False
    malformed: bool = False

    def __post_init__(self) -> None:
        kinds = [self.status is not None, self.timeout is not None, self.empty, self.malformed]
        if sum(kinds) != 1:
            raise ValueError("Fault takes exactly one of status=, timeout=, empty=, malformed=")
        if self.status is not None and self.status not in _ERRORS:
            raise ValueError(f"Fault status must be one of {sorted(_ERRORS)}: {self.status}")
        if self.timeout is not None and not 0 < self.timeout <= MAX_FAULT_DELAY:
            raise ValueError(f"Fault timeout must be in (0, {MAX_FAULT_DELAY}]: {self.timeout}")
        if self.times < 1:
            raise ValueError(f"Fault times must be at least 1: {self.times}")


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the stub received, whatever it answered.

    Attributes:
        method: HTTP method, e.g. ``"POST"``.
        path: URL path without the query, e.g. ``"/v1/messages"``.
        query: Raw query string (the SDK's beta client adds ``beta=true``).
        headers: Header names lower-cased.
        body: Parsed JSON body, or None when absent or not JSON.
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any = None


class AnthropicStub:
    """A loopback HTTP server that answers ``POST /v1/messages`` from a script.

    Every request is recorded. Without the key it gets 401 ``authentication_error``; a
    ``/v1/messages`` body lacking model, max_tokens or messages gets 400; past the script, 500
    "stub script exhausted" (with ``x-should-retry: false``). ``/v1/messages/count_tokens``
    answers a rough count; other paths 404. Only scripted steps answer anything else.

    Args:
        replies: Steps answered in order, one per valid authenticated ``POST /v1/messages``.
        port: Port to bind on 127.0.0.1; 0 picks a free one.
        api_key: Key required as ``x-api-key: <key>`` or ``Authorization: Bearer <key>``.
        responder: Instead of a script, answer each request body with the step this function
            returns (it is called from the server's threads), so concurrent clients get
            answers that do not depend on arrival order; tool-use ids then come from the body.
        latency: Seconds (at most `MAX_FAULT_DELAY`) to wait before answering each message
            request, as a real model would take.

    Example:
        >>> with AnthropicStub([Fault(status=529), Reply(text="ok")]) as stub:
        ...     stub.base_url.startswith("http://127.0.0.1:")
        True
    """

    def __init__(
        self,
        replies: Sequence[Reply | Fault] = (),
        *,
        port: int = 0,
        api_key: str = "test-key",
        responder: Callable[[dict[str, Any]], Reply | Fault] | None = None,
        latency: float = 0.0,
    ) -> None:
        if responder is not None and replies:
            raise ValueError("give scripted replies or a responder, not both")
        if not 0 <= latency <= MAX_FAULT_DELAY:
            raise ValueError(f"latency must be in [0, {MAX_FAULT_DELAY}]: {latency}")
        self.responder, self.latency = responder, latency
        self.api_key = api_key
        self._port = port
        self._script: deque[Reply | Fault] = deque()
        for step in replies:
            if not isinstance(step, Reply | Fault):
                raise TypeError(f"script steps must be Reply or Fault, not {type(step).__name__}")
            self._script.extend([step] * (step.times if isinstance(step, Fault) else 1))
        self._requests: list[RecordedRequest] = []
        self._overruns = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._message_ids = itertools.count(1)
        self._tool_ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> AnthropicStub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> AnthropicStub:
        """Bind and serve in a daemon thread; `stop` undoes it."""
        if self._server is not None:
            raise RuntimeError("AnthropicStub is already started")
        self._server = _Server(self, self._port)
        # A short poll keeps `stop()` (which waits for the serve loop to notice) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="anthropic-stub",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, waking any request held by a timeout fault. Safe to call twice."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, to pass as the client's ``base_url``."""
        if self._server is None:
            raise RuntimeError("AnthropicStub is not started; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def assert_complete(self) -> None:
        """Fail unless every scripted step was used and nothing arrived past the script.

        Raises:
            AssertionError: Steps are left, or requests found the script exhausted.
        """
        with self._lock:
            left, overruns = list(self._script), self._overruns
        problems = []
        if left:
            problems.append(f"{len(left)} scripted step(s) never requested: {left!r}")
        if overruns:
            problems.append(f"{overruns} request(s) arrived after the script was exhausted")
        if problems:
            raise AssertionError("; ".join(problems))

    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self._requests.append(request)
            return len(self._requests)

    def _next_step(self, body: dict[str, Any]) -> Reply | Fault | None:
        if self.responder is not None:
            return self.responder(body)
        with self._lock:
            if self._script:
                return self._script.popleft()
            self._overruns += 1
            return None

    def _message(self, reply: Reply | None, body: dict[str, Any]) -> dict[str, Any]:
        """The Message object answering ``reply``; None is the empty-content fault."""
        text, uses = (reply.text, reply.tool_uses) if reply else ("", ())
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        seed = ""
        if self.responder is not None:
            seed = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        for number, (name, args) in enumerate(uses):
            tool_id = f"toolu_{seed}_{number}" if seed else f"toolu_{next(self._tool_ids)}"
            content.append({"type": "tool_use", "id": tool_id, "name": name, "input": args})
        stop_reason = (reply and reply.stop_reason) or ("tool_use" if uses else "end_turn")
        input_tokens, output_tokens = reply.usage if reply else (10, 0)
        return {
            "id": f"msg_stub_{next(self._message_ids)}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, stub: AnthropicStub, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.stub = stub


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    request_id = "req_stub_0"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        stub = self.server.stub
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = RecordedRequest(self.command, parts.path, parts.query, headers, body)
        self.request_id = f"req_stub_{stub._record(request)}"
        # The client may have given up first, e.g. after its own timeout.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(stub, request)

    def _route(self, stub: AnthropicStub, request: RecordedRequest) -> None:
        key, headers = stub.api_key, request.headers
        if headers.get("x-api-key") != key and headers.get("authorization") != f"Bearer {key}":
            self._error(401, "authentication_error", "invalid x-api-key")
        elif request.method == "POST" and request.path == "/v1/messages/count_tokens":
            if not _has_fields(request.body, "model", "messages"):
                self._error(400, "invalid_request_error", "model and messages are required")
            else:
                text = json.dumps([request.body.get(k) for k in ("system", "messages", "tools")])
                self._json(200, {"input_tokens": max(1, len(text) // 4)})
        elif request.method == "POST" and request.path == "/v1/messages":
            if not _has_fields(request.body, "model", "max_tokens", "messages"):
                self._error(400, "invalid_request_error", "model, max_tokens, messages required")
            else:
                self._answer(stub, request.body)
        else:
            self._error(404, "not_found_error", f"Not found: {request.method} {request.path}")

    def _answer(self, stub: AnthropicStub, body: dict[str, Any]) -> None:
        if stub.latency:
            stub._stopping.wait(stub.latency)
        step, stream = stub._next_step(body), body.get("stream") is True
        if step is None:
            # `x-should-retry` (honoured by the SDK) keeps retries from piling up overruns.
            message = "stub script exhausted: no scripted reply left"
            self._error(500, "api_error", message, x_should_retry="false")
        elif isinstance(step, Reply) or step.empty:
            message = stub._message(step if isinstance(step, Reply) else None, body)
            if stream:
                self._sse(_events(message))
            else:
                self._json(200, message)
        elif step.malformed:
            if stream:
                self._start(200, "text/event-stream")
                self.wfile.write(b'event: message_start\ndata: {"type": "message_start", "mess\n\n')
            else:
                self._json(200, b'{"type": "message", "content": [')
        elif step.timeout is not None:
            stub._stopping.wait(step.timeout)
            self._error(504, *_ERRORS[504])
        else:
            status = step.status or 500
            # The SDK reads `retry-after: 0` as "not given" and backs off ~0.5 s; it reads
            # `retry-after-ms` first, so 1 ms keeps retries in tests near-instant.
            wait = {"retry_after": "0", "retry_after_ms": "1"} if status in (429, 529) else {}
            self._error(status, *_ERRORS[status], **wait)

    def _start(
        self, status: int, content_type: str, length: int | None = None, **extra: str
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("request-id", self.request_id)
        if length is not None:
            self.send_header("content-length", str(length))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def _json(self, status: int, payload: Mapping[str, Any] | bytes, **extra: str) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self._start(status, "application/json", len(data), **extra)
        self.wfile.write(data)

    def _error(self, status: int, error_type: str, message: str, **extra: str) -> None:
        error = {"type": error_type, "message": message}
        body = {"type": "error", "error": error, "request_id": self.request_id}
        self._json(status, body, **extra)

    def _sse(self, events: Iterator[tuple[str, dict[str, Any]]]) -> None:
        self._start(200, "text/event-stream")
        for name, data in events:
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()


def _has_fields(body: Any, *names: str) -> bool:
    return isinstance(body, dict) and all(name in body for name in names)


def _chunks(text: str, parts: int = 3) -> list[str]:
    size = max(1, math.ceil(len(text) / parts))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _events(message: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The SSE events that stream ``message``, in the order the Messages API sends them."""
    usage = message["usage"]
    started = {
        **message,
        "content": [],
        "stop_reason": None,
        "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1},
    }
    yield "message_start", {"type": "message_start", "message": started}
    yield "ping", {"type": "ping"}
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            opening = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": t} for t in _chunks(block["text"])]
        else:
            opening = {**block, "input": {}}
            pieces = _chunks(json.dumps(block["input"]))
            deltas = [{"type": "input_json_delta", "partial_json": p} for p in pieces]
        start = {"type": "content_block_start", "index": index, "content_block": opening}
        yield "content_block_start", start
        for delta in deltas:
            yield (
                "content_block_delta",
                {"type": "content_block_delta", "index": index, "delta": delta},
            )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    final_usage = {"output_tokens": usage["output_tokens"]}
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": final_usage}
    yield "message_stop", {"type": "message_stop"}
