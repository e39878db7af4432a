"""One role's turn as LangGraph node functions: ``agent`` (the model speaks) and ``tools``.

The graph (``team.graph``) has one node per role, running ``agent``, and one ``tools`` node that
runs the repository tools of whichever role holds the work, then returns to it. This module only
says what a role's turn does; what a handoff does is decided in ``team.handoffs``. The rules
every provider can live with: every tool call gets exactly one result right after the message
that made it, one handoff per model reply (the first legal one), refused handoffs are tool errors
the model can recover from, and an empty reply is never stored.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.errors import GraphBubbleUp
from langgraph.graph import END
from langgraph.types import Command
from pydantic import ValidationError

from team.context import view
from team.errors import StopRun, TeamError, live_secrets, mask, scrub
from team.events import message_text
from team.handoffs import (
    Decision,
    answers,
    decide,
    handoff_schemas,
    handoff_target,
    pick_call,
    rejected_targets,
    tool_name,
)
from team.prompts import system_prompt
from team.state import TeamState
from team.topology import Team

__all__ = ["APPROVAL_NODE", "TOOLS_NODE", "ModelError", "RoleNodes", "scrub"]

EMPTY_RETRIES = 2
APPROVAL_NODE = "approval"
"""The node where a handoff waits for a human (see ``team.graph``)."""
TOOLS_NODE = "tools"
"""The node that runs the repository tools of the role holding the work."""


class ModelError(TeamError):
    """A model call failed for good (after the client's own bounded retries)."""


def _model_secret(model: Any) -> str:
    model = getattr(model, "inner", None) or model  # a taped model's real one
    key: Any = getattr(model, "anthropic_api_key", None) or getattr(model, "openai_api_key", None)
    return str(key.get_secret_value()) if hasattr(key, "get_secret_value") else ""


def _usage_record(role: str, reply: AIMessage, seconds: float) -> dict[str, Any]:
    usage: dict[str, Any] = dict(reply.usage_metadata or {})
    details = usage.get("input_token_details") or {}
    return {
        "role": role,
        "input_tokens": usage.get("input_tokens", 0),
        "output_tokens": usage.get("output_tokens", 0),
        "cache_read": details.get("cache_read", 0) or 0,
        "cache_creation": details.get("cache_creation", 0) or 0,
        "seconds": round(seconds, 3),
    }


def _turn_messages(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The messages of the current user turn (from its human message on)."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return messages[start:]


class RoleNodes:
    """One role's ``agent`` and ``tools`` nodes."""

    def __init__(
        self,
        team: Team,
        role: str,
        model: BaseChatModel,
        repo_tools: list[BaseTool],
        schemas: dict[str, dict[str, Any]] | None = None,
        extra_tools: Sequence[BaseTool] = (),
    ):
        self.team = team
        self.role = role
        self.limits = team.topology.limits
        allowed = set(team.topology.tools_for(role))
        self.repo_tools = {t.name: t for t in repo_tools if t.name in allowed}
        # Tools granted to this role alone (MCP servers): same budget, errors and trace.
        self.repo_tools |= {t.name: t for t in extra_tools}
        schemas = schemas or {}
        self.schemas = [
            schemas.get(name) or convert_to_openai_tool(tool)
            for name, tool in self.repo_tools.items()
        ]
        self.legal = team.targets(role)
        self.model = model
        self.secret = _model_secret(model)
        self._bound: dict[frozenset[str], Any] = {}
        prompt = system_prompt(team.cards[role])
        if getattr(model, "_llm_type", "") == "anthropic-chat":
            # Tools and this block form the static prefix: Anthropic caches it once per run.
            block = {"type": "text", "text": prompt, "cache_control": {"type": "ephemeral"}}
            self.prompt = SystemMessage(content=[block])
        else:
            self.prompt = SystemMessage(content=prompt)

    def _bound_model(self, rejected: frozenset[str]) -> Any:
        """The model with this role's tools; a handoff a human rejected this turn is not offered."""
        if rejected not in self._bound:
            handoffs = handoff_schemas(self.team, self.role, exclude=rejected)
            self._bound[rejected] = _direct(self.model.bind_tools([*self.schemas, *handoffs]))
        return self._bound[rejected]

    def _view(self, state: TeamState) -> list[AnyMessage]:
        settings = self.team.topology.context
        turn = state.get("turn", 0)
        into = [
            h for h in state.get("handoffs", []) if h["turn"] == turn and h["target"] == self.role
        ]
        policy = settings.policy_for(into[-1]["source"] if into else None, self.role)
        return view(
            state["messages"],
            role=self.role,
            policy=policy,
            handoffs=list(state.get("handoffs", [])),
            deliverables=dict(state.get("deliverables", {})),
            turn=turn,
            last_n=settings.last_n,
        )

    def _invoke(
        self, model: Any, messages: list[AnyMessage], config: RunnableConfig, turn: int
    ) -> Any:
        # The role id travels in the stream metadata, so a UI can tell who speaks; role and
        # turn also name a call in a recording.
        metadata = {**(config.get("metadata") or {}), "role": self.role, "turn": turn}
        started = time.perf_counter()
        try:
            reply = model.invoke(messages, config={**config, "metadata": metadata})
        except (AssertionError, GraphBubbleUp, StopRun):
            raise  # scripted-model misuse in a test, LangGraph control flow, replay or budget
        except Exception as exc:
            detail = scrub(f"{type(exc).__name__}: {exc}", self.secret)
            raise ModelError(f"{self.role}: model call failed: {detail.splitlines()[0]}") from None
        if not isinstance(reply, AIMessage):
            reply = AIMessage(content=message_text(reply))
        # A replayed call reports the latency it was recorded with.
        recorded = reply.response_metadata.pop("teamgraph_seconds", None)
        return reply, recorded if recorded is not None else time.perf_counter() - started

    def agent(self, state: TeamState, config: RunnableConfig) -> Command[str] | dict[str, Any]:
        rejected = rejected_targets(state["messages"])
        model = self._bound_model(rejected)
        messages = [self.prompt, *self._view(state)]
        reply: AIMessage | None = None
        seconds = 0.0
        for _ in range(EMPTY_RETRIES + 1):
            candidate, seconds = self._invoke(model, messages, config, state.get("turn", 0))
            if message_text(candidate).strip() or candidate.tool_calls:
                reply = candidate
                break
            nudge = "Your reply was empty. Write your deliverable, call a tool, or hand off."
            messages = [*messages, HumanMessage(content=nudge)]
        if reply is None:
            note = f"{self.role} returned an empty reply {EMPTY_RETRIES + 1} times"
            return Command(goto=END, update={"outcome": "error", "note": note})
        secrets = live_secrets(self.secret)
        reply = reply.model_copy(
            update={
                "name": self.role,
                "id": reply.id or f"msg-{uuid.uuid4().hex}",
                "content": _scrubbed(reply.content, secrets),
                "tool_calls": [
                    {**call, "args": _scrubbed(call["args"], secrets)} for call in reply.tool_calls
                ],
            }
        )
        text = message_text(reply).strip()
        deliverable = {self.role: text} if text else {}
        usage = {reply.id: _usage_record(self.role, reply, seconds)}
        call = pick_call(reply, [t for t in self.legal if t not in rejected])
        update: dict[str, Any]
        if call is None:
            if reply.tool_calls:
                return Command(goto=TOOLS_NODE, update={"messages": [reply], "usage": usage})
            update = {
                "messages": [reply],
                "deliverables": deliverable,
                "outcome": "done",
                "note": "",
                "usage": usage,
            }
            return Command(goto=END, update=update)
        warned = rejected_targets(state["messages"], key="misfit")
        decision = self._decide(call, state, rejected, warned)
        if decision.action == "misfit":  # the model hears what fits and decides again
            answered = [reply, *answers(reply, call, decision, self.role)]
            return Command(goto=self.role, update={"messages": answered, "usage": usage})
        if decision.action == "stop":
            update = {
                "messages": [reply, *answers(reply, call, decision, self.role)],
                "deliverables": deliverable,
                "outcome": decision.outcome,
                "note": decision.note,
                "usage": usage,
            }
            return Command(goto=END, update=update)
        carried: dict[str, Any] = {"deliverables": deliverable, "usage": usage}
        if decision.action == "approval":
            pending = {**(decision.record or {}), "call_id": call["id"]}
            update = {"messages": [reply], "pending": pending, **carried}
            return Command(goto=APPROVAL_NODE, update=update)
        update = {
            "messages": [reply, *answers(reply, call, decision, self.role)],
            "active": decision.target,
            "visited": [decision.target],
            "handoffs": [decision.record],
            **carried,
        }
        return Command(goto=decision.target, update=update)

    def tools(self, state: TeamState) -> Command[str]:
        last = state["messages"][-1]
        assert isinstance(last, AIMessage)
        turn = _turn_messages(state["messages"])
        rounds = sum(
            1 for m in turn if isinstance(m, AIMessage) and m.name == self.role and m.tool_calls
        )
        rejected = rejected_targets(state["messages"])
        results = []
        for call in last.tool_calls:
            text = scrub(self._run_one(call, rounds, state, rejected), self.secret)
            results.append(
                ToolMessage(
                    content=text,
                    id=f"tool-{uuid.uuid4().hex}",
                    tool_call_id=call["id"],
                    name=call["name"],
                    additional_kwargs={"role": self.role},
                )
            )
        if rounds > self.limits.max_tool_rounds + EMPTY_RETRIES:
            note = f"{self.role} kept calling tools after its budget"
            return Command(goto=END, update={"messages": results, "outcome": "limit", "note": note})
        return Command(goto=self.role, update={"messages": results})

    def _decide(
        self,
        call: ToolCall,
        state: TeamState,
        rejected: frozenset[str],
        warned: frozenset[str] = frozenset(),
    ) -> Decision:
        """What a handoff call does, given this thread's handoffs so far (``handoffs.decide``)."""
        handoffs = list(state.get("handoffs", []))
        turn = state.get("turn", 0)
        return decide(
            self.team,
            self.role,
            call,
            handoffs=handoffs,
            turn=turn,
            rejected=rejected,
            warned=warned,
        )

    def _run_one(
        self, call: ToolCall, rounds: int, state: TeamState, rejected: frozenset[str]
    ) -> str:
        name = call["name"]
        if handoff_target(name) is not None:
            try:
                decision = self._decide(call, state, rejected)
            except ValidationError:
                return "error: handoff arguments invalid: 'reason' (a non-empty string) is required"
            return decision.note or "error: handoff not run"
        tool = self.repo_tools.get(name)
        if tool is None:
            available = ", ".join([*self.repo_tools, *map(tool_name, self.legal)])
            return f"error: unknown tool '{name}'; available tools: {available}"
        if rounds > self.limits.max_tool_rounds:
            return f"error: tool budget spent ({self.limits.max_tool_rounds} rounds); write your deliverable now"
        try:
            return str(tool.invoke(call["args"]))
        except ValidationError as exc:
            problem = exc.errors()[0]
            return f"error: invalid arguments for {name}: {'.'.join(map(str, problem['loc']))}: {problem['msg']}"
        except Exception as exc:  # a tool must never crash the run; the model sees the error
            return f"error: {name} failed: {exc}"


def _direct(bound: Any) -> Any:
    """A model with tools bound, called as ``RunnableBinding.invoke`` would call it when the
    binding adds only arguments (what ``bind_tools`` returns): the model itself with the tools
    as call arguments, without the binding's two config merges (each copies the callback manager)
    on every reply. Anything else is called as it is.
    """
    from langchain_core.runnables import RunnableBinding

    plain = isinstance(bound, RunnableBinding) and type(bound).invoke is RunnableBinding.invoke
    if plain and not bound.config and not bound.config_factories:
        return _Bound(bound.bound, dict(bound.kwargs))
    return bound


class _Bound:
    """A chat model and the arguments ``bind_tools`` gave it (see ``_direct``)."""

    def __init__(self, model: Any, kwargs: dict[str, Any]):
        self.model, self.kwargs = model, kwargs

    def invoke(self, messages: list[AnyMessage], config: RunnableConfig) -> Any:
        return self.model.invoke(messages, config, **self.kwargs)


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    """A reply's content or tool-call arguments with API keys masked, every string in them,
    before they are stored, shown or acted on (a handoff's reason comes from its arguments)."""
    if isinstance(value, str):
        return mask(value, secrets)
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, secrets) for key, item in value.items()}
    return value
