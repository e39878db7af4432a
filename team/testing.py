"""Test helpers for users of teamgraph: a strict scripted chat model and message builders.

``ScriptedModel`` replies with its scripted steps in order, records every call, raises when called
more often than scripted, and ``assert_complete()`` fails while steps are left. Tool calls survive
streaming (the graph streams models when you stream messages).

Example:
    >>> from team.testing import ScriptedModel, handoff, reply
    >>> model = ScriptedModel([reply("Data first.", handoff("data_engineer", "needs an ETL job"))])
    >>> model.invoke("go").tool_calls[0]["name"]
    'transfer_to_data_engineer'
    >>> model.assert_complete()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

from team.models.chunks import stream_reply

__all__ = ["ScriptExhausted", "ScriptedModel", "assert_handoffs", "handoff", "reply", "tool_call"]

Step = AIMessage | str | Callable[[list[BaseMessage]], AIMessage]
_counter = iter(range(1, 1 << 62))


class ScriptExhausted(AssertionError):
    """The scripted model was called more often than it was scripted."""


def tool_call(name: str, call_id: str | None = None, **args: Any) -> dict[str, Any]:
    """A tool call for a scripted reply.

    Example:
        >>> tool_call("grep", pattern="fit_transform")["args"]
        {'pattern': 'fit_transform'}
    """
    return {
        "name": name,
        "args": args,
        "id": call_id or f"call_{next(_counter)}",
        "type": "tool_call",
    }


def handoff(
    target: str, reason: str, criterion: str = "", call_id: str | None = None
) -> dict[str, Any]:
    """A ``transfer_to_<target>`` tool call for a scripted reply."""
    from team.handoffs import tool_name

    return tool_call(tool_name(target), call_id, reason=reason, criterion=criterion)


def reply(text: str = "", *calls: dict[str, Any]) -> AIMessage:
    """A scripted model reply: text and any tool calls."""
    return AIMessage(content=text, tool_calls=list(calls))


class ScriptedModel(BaseChatModel):
    """A strict scripted chat model.

    Args:
        steps: Replies in order: an ``AIMessage``, a string, or a function of the input messages
            that returns an ``AIMessage``.
        name: A label used in error messages.

    Attributes:
        calls: The input messages of every call, in order.
        tools: The tool names bound most recently.
    """

    steps: list[Any]
    label: str = "scripted"
    _calls: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _tools: list[str] = PrivateAttr(default_factory=list)
    _shared: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __init__(self, steps: Sequence[Step], *, label: str = "scripted", **kwargs: Any):
        super().__init__(steps=list(steps), label=label, **kwargs)  # type: ignore[call-arg]
        self._shared = {"index": 0, "calls": self._calls, "tools": self._tools}

    @property
    def _llm_type(self) -> str:
        return "teamgraph-scripted"

    @property
    def calls(self) -> list[list[BaseMessage]]:
        calls: list[list[BaseMessage]] = self._shared["calls"]
        return calls

    @property
    def tools(self) -> list[str]:
        tools: list[str] = self._shared["tools"]
        return tools

    @property
    def remaining(self) -> int:
        return len(self.steps) - int(self._shared["index"])

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        """Bind tools like a real model; the names are kept in ``tools``."""
        schemas = [convert_to_openai_tool(t) for t in tools]
        self._shared["tools"][:] = [s["function"]["name"] for s in schemas]
        return self.bind(tools=schemas, **kwargs)

    def assert_complete(self) -> None:
        """Fail if scripted steps were never used."""
        if self.remaining:
            left = self.steps[self._shared["index"] :]
            raise AssertionError(
                f"{self.label}: {self.remaining} scripted step(s) never used: {left!r}"[:500]
            )

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        index = self._shared["index"]
        self._shared["calls"].append(list(messages))
        if index >= len(self.steps):
            last = messages[-1].content if messages else ""
            raise ScriptExhausted(
                f"{self.label}: called {index + 1} times but scripted {len(self.steps)} step(s); last input: {str(last)[:200]!r}"
            )
        self._shared["index"] = index + 1
        step = self.steps[index]
        if callable(step):
            step = step(messages)
        if isinstance(step, str):
            step = AIMessage(content=step)
        if not isinstance(step, AIMessage):
            raise TypeError(f"{self.label}: step {index + 1} is not an AIMessage, str or callable")
        return step.model_copy(deep=True)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages)
        text = message.content if isinstance(message.content, str) else ""
        yield from stream_reply(message, [text] if text else [], run_manager)


def assert_handoffs(result: Any, expected: Sequence[str], *, match: str = "strict") -> None:
    """Assert the roles a run visited, with the scenario ``path`` semantics.

    Args:
        result: A ``RunResult``.
        expected: Role ids (``a|b`` alternatives and ``*`` allowed).
        match: ``strict``, ``unordered``, ``subset`` or ``superset``.

    Raises:
        AssertionError: With the first divergence and every handoff's criterion and reason.

    Example:
        >>> from team import Team, run_team
        >>> result = run_team(Team.load(), "Train a churn model and expose it through an API")
        >>> assert_handoffs(result, ["ml_engineer", "backend_architect"])
        >>> assert_handoffs(result, ["ml_engineer"])
        Traceback (most recent call last):
        AssertionError: ...
    """
    from team.evaluate.expect import match_path

    if match not in ("strict", "unordered", "subset", "superset"):
        raise ValueError(f"match must be strict, unordered, subset or superset, got {match!r}")
    divergence = match_path(list(expected), list(result.visited), match)
    if divergence is not None:
        handoffs = "".join(
            f"\n  {h['source']} -> {h['target']}: {h['criterion']!r}: {h['reason']}"
            for h in result.handoffs
        )
        raise AssertionError(f"handoff path ({match}) {divergence}{handoffs}")
