"""The OpenAI chat-completions wire format: parsing requests, error bodies, replies and chunks.

Nothing here touches the team: ``team.serve.app`` feeds turn events in and sends what comes out.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from team.events import Event

__all__ = [
    "TEAM_MODEL",
    "Answer",
    "ApiError",
    "ChatRequest",
    "TurnSummary",
    "approval_command",
    "parse_chat_request",
    "speaker_of",
    "thread_id_for",
]

TEAM_MODEL = "teamgraph"
"""The model id of the whole team; each role is ``teamgraph/<role_id>``."""

_THREAD_ID = re.compile(r"^[\w.:@/+=-]{1,200}$")
_APPROVAL = re.compile(r"^/(approve|reject)(?:\s+(.*))?$", re.DOTALL)


class ApiError(Exception):
    """An error the client caused, sent as OpenAI's ``{"error": {...}}`` body.

    Example:
        >>> ApiError(404, "no such model", param="model", code="model_not_found").body()
        {'error': {'message': 'no such model', 'type': 'invalid_request_error', 'param': 'model', 'code': 'model_not_found'}}
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = (
            status,
            message,
            type,
            param,
            code,
        )

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


@dataclass(frozen=True)
class ChatRequest:
    """What the server needs from a ``POST /v1/chat/completions`` body."""

    model: str
    text: str
    history: tuple[tuple[str, str, str | None], ...] = ()
    """The messages before the last user message: ``(role, text, name)``, user or assistant."""
    stream: bool = False
    include_usage: bool = False
    user: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _content_text(content: Any, index: int) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise ApiError(
                    400,
                    "only text content parts are supported",
                    param=f"messages.[{index}].content",
                    code="unsupported_content",
                )
            texts.append(str(part.get("text", "")))
        return "".join(texts)
    raise ApiError(
        400, "message content must be a string or a list of parts", param=f"messages.[{index}]"
    )


def _load_json(raw: bytes) -> Any:
    """Parse a body as JSON that can be stored and sent back: every failure is a 400."""
    try:
        body = json.loads(raw)
    except RecursionError:
        raise ApiError(400, "the request body nests too deeply", code="invalid_json") from None
    except ValueError as exc:  # not JSON, not UTF-8, or an integer over 4300 digits
        reason = "has a number too long to read" if "digits" in str(exc) else "is not valid JSON"
        raise ApiError(400, f"the request body {reason}", code="invalid_json") from None
    _check_strings(body)
    return body


def _check_strings(body: Any) -> None:
    """Refuse lone surrogates (``"\\ud800"``): valid JSON, but not text that can be stored."""
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(
                    400,
                    "the request body has a lone surrogate escape (\\ud800-\\udfff) in a string",
                    code="invalid_json",
                ) from None


def parse_chat_request(raw: bytes, *, max_message_chars: int | None = None) -> ChatRequest:
    """Validate a chat-completions body; every problem is an ``ApiError`` with a 4xx status.

    Args:
        raw: The request body.
        max_message_chars: The longest message accepted (413 beyond it); ``None``: no limit.

    Example:
        >>> parse_chat_request(b'{"model": "teamgraph", "messages": [{"role": "user", "content": "hi"}]}').text
        'hi'
    """
    body = _load_json(raw)
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object", code="invalid_json")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(
            400, "you must provide a model", param="model", code="missing_required_parameter"
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(
            400, "messages must be a non-empty list", param="messages", code="invalid_value"
        )
    _refuse_unsupported(body)
    said: list[tuple[str, str, str | None]] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ApiError(
                400, "each message must be an object with a role", param=f"messages.[{index}]"
            )
        if message["role"] in ("user", "assistant"):
            name = message.get("name")
            text = _content_text(message.get("content"), index)
            if max_message_chars is not None and len(text) > max_message_chars:
                raise ApiError(
                    413,
                    f"message {index} has {len(text)} characters; the server's limit is "
                    f"{max_message_chars}",
                    param=f"messages.[{index}].content",
                    code="message_too_large",
                )
            said.append((message["role"], text, name if isinstance(name, str) else None))
    last = max((i for i, (role, _, _) in enumerate(said) if role == "user"), default=None)
    if last is None:
        raise ApiError(
            400, "messages must contain a user message", param="messages", code="invalid_value"
        )
    if not said[last][1].strip():
        raise ApiError(
            400, "the last user message is empty", param="messages", code="invalid_value"
        )
    options = body.get("stream_options") or {}
    metadata = body.get("metadata") or {}
    user = body.get("user")
    return ChatRequest(
        model=model,
        text=said[last][1].strip(),
        history=tuple(said[:last]),
        stream=body.get("stream") is True,
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        user=user if isinstance(user, str) and user else None,
        metadata=metadata if isinstance(metadata, dict) else {},
    )


def _refuse_unsupported(body: dict[str, Any]) -> None:
    """Say so when a request asks for what the team cannot do, instead of ignoring it.

    Tools a client merely offers are not used: the roles work with their own tools, and chat
    UIs such as Open WebUI offer theirs with every message. Only a request that requires a call
    to one of them (``tool_choice`` ``required`` or a named function) cannot be served.
    """
    for param, choice in (
        ("tool_choice", body.get("tool_choice")),
        ("function_call", body.get("function_call")),
    ):
        if choice in (None, "auto", "none"):
            continue
        raise ApiError(
            400,
            f"the team does not call client-side tools: send {param} 'auto' or 'none', or leave it out",
            param=param,
            code="unsupported_parameter",
        )
    response_format = body.get("response_format")
    if response_format not in (None, {}) and (
        not isinstance(response_format, dict) or response_format.get("type") != "text"
    ):
        raise ApiError(
            400,
            "the team answers in markdown text only: send response_format {'type': 'text'} or none",
            param="response_format",
            code="unsupported_parameter",
        )


def thread_id_for(request: ChatRequest, header: str | None) -> str | None:
    """The server-side conversation a request belongs to, or ``None`` for a stateless turn.

    In order: the ``X-Thread-Id`` header, ``metadata.thread_id``, the ``user`` field. With none
    of them, the request's own messages are the conversation (``None``): two clients never share
    a thread by accident, and a regenerated answer re-runs the last turn.

    Example:
        >>> thread_id_for(ChatRequest("teamgraph", "hi", user="alice"), None)
        'alice'
        >>> thread_id_for(ChatRequest("teamgraph", "hi"), None) is None
        True
    """
    for source, value in (
        ("X-Thread-Id header", header),
        ("metadata.thread_id", request.metadata.get("thread_id")),
        ("user", request.user),
    ):
        if value is None or value == "":
            continue
        if not isinstance(value, str) or not _THREAD_ID.match(value):
            raise ApiError(
                400,
                f"{source} must be 1-200 letters, digits or ._:@/+=- characters",
                param="metadata" if source.startswith("metadata") else None,
                code="invalid_thread_id",
            )
        return value
    return None


def speaker_of(text: str, name: str | None, names: dict[str, str]) -> str | None:
    """The role that wrote an assistant message: its ``name`` if that is a role id, else the
    last speaker heading in its text (``names``: role id -> display name).

    Example:
        >>> names = {"pm": "PM", "ml_engineer": "ML Engineer"}
        >>> speaker_of("### ML Engineer\\n\\nDone.\\n\\n### PM\\n\\nPlan.", None, names)
        'pm'
    """
    if name in names:
        return name
    by_name = {display.lower(): role for role, display in names.items()}
    found = None
    for line in text.splitlines():
        heading = re.match(r"^#{1,6}\s+(.+?)(?::.*)?$", line.strip())
        if heading and heading.group(1).strip().lower() in by_name:
            found = by_name[heading.group(1).strip().lower()]
    return found


def approval_command(text: str) -> tuple[bool, str] | None:
    """``(approve, note)`` when a message is ``/approve [note]`` or ``/reject [note]``.

    Example:
        >>> approval_command("/reject no budget")
        (False, 'no budget')
    """
    match = _APPROVAL.match(text.strip())
    if match is None:
        return None
    return match.group(1) == "approve", (match.group(2) or "").strip()


def pending_notice(pending: dict[str, Any]) -> str:
    """What a reply says when a handoff waits for a human."""
    return (
        f"Waiting for approval: handoff {pending.get('source')} -> {pending.get('target')} "
        f"({pending.get('criterion') or 'no criterion'}). "
        "Reply /approve [note] or /reject [note] to continue."
    )


class Answer:
    """The reply text of a turn, built from its events the same way whether streamed or not.

    Every role that writes this turn adds a paragraph (a handoff must not drop the work of the
    role that handed off, and streamed tokens cannot be taken back); a role's paragraph is its
    tokens, or its deliverable when the model did not stream. Each paragraph opens with a
    speaker heading (``### <role name>``) unless the role's text already starts with one, so any
    client shows who spoke. ``feed`` returns the new text.

    Example:
        >>> answer = Answer({"pm": "PM", "devops_engineer": "DevOps Engineer"})
        >>> [answer.feed(Event("token", "pm", t)) for t in ("Plan", " ready. ")]
        ['### PM\\n\\nPlan', ' ready.']
        >>> answer.feed(Event("deliverable", "devops_engineer", "Pipeline."))
        '\\n\\n### DevOps Engineer\\n\\nPipeline.'
    """

    def __init__(self, names: dict[str, str] | None = None) -> None:
        self.names = names or {}
        self.text = ""
        self._role: str | None = None
        self._open = False
        self._wrote = False
        self._held = ""

    def _start(self, role: str) -> None:
        self._role, self._open, self._wrote, self._held = role, True, False, ""

    def _heading(self, body: str) -> str:
        name = self.names.get(self._role or "")
        if not name:
            return ""
        first = body.split("\n", 1)[0]
        if first.startswith("#") and name.lower() in first.lower():
            return ""  # the role wrote its own heading
        return f"### {name}\n\n"

    def _add(self, text: str) -> str:
        if not self._wrote:
            text = text.lstrip()
        body = text.rstrip()
        if not body:
            self._held += text if self._wrote else ""
            return ""
        out = self._held + body
        if not self._wrote:
            out = self._heading(body) + out
        if not self._wrote and self.text:
            out = "\n\n" + out
        self._wrote, self._held = True, text[len(body) :]
        self.text += out
        return out

    def feed(self, event: Event) -> str:
        if event.kind == "token":
            if not self._open or event.role != self._role:
                self._start(event.role)
            return self._add(event.text)
        if event.kind == "deliverable":
            if self._open and event.role == self._role and self._wrote:
                self._open = False  # its tokens already carried this message
                return ""
            self._start(event.role)
            out = self._add(event.text)
            self._open = False
            return out
        return ""

    def notice(self, text: str) -> str:
        """Append a paragraph of the server's own (why the turn stopped)."""
        self._start("")
        out = self._add(text)
        self._open = False
        return out


class TurnSummary:
    """The non-standard ``teamgraph`` field: who answered, the handoffs, how the turn ended."""

    def __init__(self, thread_id: str, *, stateless: bool = False) -> None:
        self.thread_id, self.stateless = thread_id, stateless
        self.roles: list[str] = []
        self.handoffs: list[dict[str, Any]] = []
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        self.done: Event | None = None

    def feed(self, event: Event) -> None:
        if event.kind in ("triage", "role") and (not self.roles or self.roles[-1] != event.role):
            self.roles.append(event.role)
        elif event.kind == "handoff":
            self.handoffs.append(
                {k: event.data.get(k) for k in ("source", "target", "criterion", "reason")}
            )
        elif event.kind == "usage":
            self.usage["prompt_tokens"] += int(event.data.get("input_tokens") or 0)
            self.usage["completion_tokens"] += int(event.data.get("output_tokens") or 0)
            self.usage["total_tokens"] = (
                self.usage["prompt_tokens"] + self.usage["completion_tokens"]
            )
        elif event.kind == "done":
            self.done = event

    @property
    def outcome(self) -> str:
        return self.done.data.get("outcome", "done") if self.done else "error"

    def notice(self) -> str:
        """The paragraph that says why a turn did not simply finish ("" when it did)."""
        if self.done is None or self.outcome == "done":
            return ""
        if self.outcome == "pending":
            notice = pending_notice(self.done.data.get("pending") or {})
            if self.stateless:
                notice += f" Send it with the header X-Thread-Id: {self.thread_id}."
            return notice
        return f"The turn stopped ({self.outcome}): {self.done.text}"

    def to_dict(self) -> dict[str, Any]:
        done = self.done or Event("done", "", "", {})
        return {
            "thread_id": self.thread_id,
            "role": done.role,
            "roles": list(self.roles),
            "handoffs": list(self.handoffs),
            "outcome": self.outcome,
            "note": done.text if self.outcome != "done" else "",
            "pending": done.data.get("pending"),
        }


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion_body(cid: str, model: str, text: str, summary: TurnSummary | None) -> dict[str, Any]:
    """A whole ``chat.completion`` object (``summary=None``: an answer the team did not run)."""
    usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    body = {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": dict(summary.usage) if summary else usage,
    }
    if summary is not None:
        body["teamgraph"] = summary.to_dict()
    return body


def chunk(
    cid: str,
    model: str,
    delta: dict[str, Any] | None,
    *,
    finish: str | None = None,
    **extra: Any,
) -> str:
    """One SSE line holding a ``chat.completion.chunk`` (``delta=None``: no choices, usage only)."""
    body: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": []
        if delta is None
        else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
