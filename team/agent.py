"""One role as two LangGraph nodes: ``agent`` (the model's turn) and ``tools`` (repository tools).

The rules every provider can live with are kept here (see ``team.runtime`` for the graph):
every tool call gets exactly one result, one handoff per turn (the first legal one), refused
handoffs are tool errors the model can recover from, and empty replies are never stored.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.errors import GraphBubbleUp
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from team.context import view
from team.errors import TeamError
from team.handoffs import HandoffArgs, handoff_target, handoff_tools
from team.prompts import system_prompt
from team.state import HandoffRecord, Outcome, TeamState, merge_deliverables, merge_usage
from team.topology import Team

__all__ = ["ModelError", "RoleNodes", "RoleOutput", "message_text", "scrub"]

EMPTY_RETRIES = 2


class ModelError(TeamError):
    """A model call failed for good (after the client's own bounded retries)."""


_SECRET_ENV = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "TEAM_API_TOKEN")


def scrub(text: str, *secrets: str) -> str:
    """Remove API keys from a text that may reach a user, a log or a trace."""
    for secret in (*secrets, *(os.environ.get(name, "") for name in _SECRET_ENV)):
        if secret and len(secret) >= 6:
            text = text.replace(secret, "***")
    return text


def _model_secret(model: Any) -> str:
    key = getattr(model, "anthropic_api_key", None) or getattr(model, "openai_api_key", None)
    return key.get_secret_value() if hasattr(key, "get_secret_value") else ""


def _usage_record(role: str, reply: AIMessage, seconds: float) -> dict[str, Any]:
    usage = reply.usage_metadata or {}
    details = usage.get("input_token_details") or {}
    return {
        "role": role,
        "input_tokens": usage.get("input_tokens", 0),
        "output_tokens": usage.get("output_tokens", 0),
        "cache_read": details.get("cache_read", 0) or 0,
        "cache_creation": details.get("cache_creation", 0) or 0,
        "seconds": round(seconds, 3),
    }


def _decision(value: Any) -> tuple[bool, str]:
    """A human's answer to an approval request: ``(approved, note)``."""
    if isinstance(value, dict):
        return bool(value.get("approve", value.get("approved", False))), str(value.get("note", ""))
    if isinstance(value, str):
        word, _, note = value.partition(":")
        return word.strip().lower() in {"approve", "approved", "yes", "y"}, note.strip()
    return bool(value), ""


class RoleOutput(TypedDict, total=False):
    """What a role subgraph hands back to the parent graph when it ends normally.

    Only idempotent keys leave a subgraph (messages merge by id, deliverables by role), so the
    parent's append-only lists are never doubled.
    """

    messages: Annotated[list[AnyMessage], add_messages]
    deliverables: Annotated[dict[str, str], merge_deliverables]
    outcome: Outcome | None
    note: str
    usage: Annotated[dict[str, dict[str, Any]], merge_usage]


def message_text(message: AnyMessage) -> str:
    """The plain text of a message, whatever its content blocks."""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        block.get("text", "") if isinstance(block, dict) else str(block) for block in content
    )


def _current_turn(state: TeamState) -> list[HandoffRecord]:
    turn = state.get("turn", 0)
    return [h for h in state.get("handoffs", []) if h["turn"] == turn]


def _ping_pong(handoffs: list[HandoffRecord], source: str, target: str, repeats: int) -> bool:
    """A->B->A->B...: the last ``2*repeats - 1`` handoffs plus this one alternate on one pair."""
    chain = [(h["source"], h["target"]) for h in handoffs] + [(source, target)]
    window = chain[-2 * repeats :]
    if len(window) < 2 * repeats:
        return False
    pair = {source, target}
    return all({a, b} == pair for a, b in window)


def _answer(call: dict[str, Any], text: str, role: str) -> ToolMessage:
    return ToolMessage(
        content=text, tool_call_id=call["id"], name=call["name"], additional_kwargs={"role": role}
    )


_SCHEMAS: dict[int, tuple[BaseTool, dict[str, Any]]] = {}


def _openai_schema(tool: BaseTool) -> dict[str, Any]:
    """A tool's OpenAI-format schema, converted once (every chat model's bind_tools accepts it)."""
    cached = _SCHEMAS.get(id(tool))
    if cached is None or cached[0] is not tool:
        cached = (tool, convert_to_openai_tool(tool))
        _SCHEMAS[id(tool)] = cached
    return cached[1]


class RoleNodes:
    """One role's agent and tools nodes."""

    def __init__(
        self,
        team: Team,
        role: str,
        model: BaseChatModel,
        repo_tools: list[BaseTool],
        extra_tools: Sequence[BaseTool] = (),
    ):
        self.team = team
        self.role = role
        self.card = team.cards[role]
        self.limits = team.topology.limits
        allowed = set(team.topology.tools_for(role))
        self.repo_tools = {t.name: t for t in repo_tools if t.name in allowed}
        # Tools granted to this role alone (MCP servers): same budget, errors and trace.
        self.repo_tools |= {t.name: t for t in extra_tools}
        self.handoff_tools = handoff_tools(team, role)
        self.legal = [t.name.removeprefix("transfer_to_") for t in self.handoff_tools]
        self.approval = set(team.topology.approval)
        self.model = model.bind_tools(
            [_openai_schema(t) for t in (*self.repo_tools.values(), *self.handoff_tools)]
        )
        self.secret = _model_secret(model)
        prompt = system_prompt(self.card)
        if getattr(model, "_llm_type", "") == "anthropic-chat":
            # Tools and this block form the static prefix: Anthropic caches it once per run.
            block = {"type": "text", "text": prompt, "cache_control": {"type": "ephemeral"}}
            self.prompt = SystemMessage(content=[block])
        else:
            self.prompt = SystemMessage(content=prompt)

    def _activation(self, messages: list[AnyMessage]) -> list[AnyMessage]:
        """Messages since this role last took the work (the current human turn at most)."""
        start = 0
        for index, message in enumerate(messages):
            if isinstance(message, HumanMessage):
                start = index
        return messages[start:]

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

    def agent(self, state: TeamState) -> Command | dict[str, Any]:
        messages = [self.prompt, *self._view(state)]
        reply: AIMessage | None = None
        for _ in range(EMPTY_RETRIES + 1):
            started = time.perf_counter()
            try:
                candidate = self.model.invoke(messages)
            except (AssertionError, GraphBubbleUp):
                raise  # scripted-model misuse in a test, or LangGraph control flow
            except Exception as exc:
                detail = scrub(f"{type(exc).__name__}: {exc}", self.secret)
                raise ModelError(
                    f"{self.role}: model call failed: {detail.splitlines()[0]}"
                ) from None
            seconds = time.perf_counter() - started
            if not isinstance(candidate, AIMessage):
                candidate = AIMessage(content=message_text(candidate))
            if message_text(candidate).strip() or candidate.tool_calls:
                reply = candidate
                break
            messages = [
                *messages,
                HumanMessage(
                    content="Your reply was empty. Write your "
                    "deliverable, call a tool, or hand off."
                ),
            ]
        if reply is None:
            note = f"{self.role} returned an empty reply {EMPTY_RETRIES + 1} times"
            return {"outcome": "error", "note": note}
        reply = reply.model_copy(
            update={"name": self.role, "id": reply.id or f"msg-{uuid.uuid4().hex}"}
        )
        text = message_text(reply).strip()
        deliverable = {self.role: text} if text else {}
        usage = {reply.id: _usage_record(self.role, reply, seconds)}

        handoff = self._legal_handoff(reply)
        if handoff is not None and handoff_target(handoff["name"]) in self.approval:
            # Stored unanswered; the approve node asks a human before anything else happens.
            return {"messages": [reply], "deliverables": deliverable, "usage": usage}
        if handoff is not None:
            return self._hand_off(state, reply, handoff, deliverable, usage)
        if reply.tool_calls:
            return {"messages": [reply], "usage": usage}
        return {
            "messages": [reply],
            "deliverables": deliverable,
            "outcome": "done",
            "note": "",
            "usage": usage,
        }

    def _legal_handoff(self, reply: AIMessage) -> dict[str, Any] | None:
        for call in reply.tool_calls:
            target = handoff_target(call["name"])
            if target in self.legal:
                try:
                    HandoffArgs.model_validate(call["args"])
                except ValidationError:
                    continue
                return call
        return None

    def _hand_off(
        self,
        state: TeamState,
        reply: AIMessage,
        call: dict[str, Any],
        deliverable: dict[str, str],
        usage: dict[str, dict[str, Any]],
        *,
        stored: bool = False,
    ) -> Command | dict[str, Any]:
        target = handoff_target(call["name"])
        assert target is not None
        args = HandoffArgs.model_validate(call["args"])
        this_turn = _current_turn(state)
        stop: tuple[str, str] | None = None
        if len(this_turn) >= self.limits.max_handoffs:
            stop = (
                "limit",
                f"handoff limit reached ({self.limits.max_handoffs} handoffs this turn)",
            )
        elif _ping_pong(this_turn, self.role, target, self.limits.ping_pong):
            stop = (
                "loop",
                f"ping-pong between {self.role} and {target}: work went back and forth "
                f"{self.limits.ping_pong} times with nothing new",
            )
            escalate = self.team.escalation_role
            if self.limits.on_loop == "escalate" and escalate not in (self.role, target):
                target, stop = escalate, None
                args = HandoffArgs(
                    reason=f"Escalated: ping-pong between {self.role} and "
                    f"{handoff_target(call['name'])}. {args.reason}",
                    criterion="loop escalation",
                )
        if stop is not None:
            outcome, note = stop
            answers = [
                _answer(c, f"error: handoff refused: {note}. The run ends here.", self.role)
                for c in reply.tool_calls
            ]
            return {
                "messages": [*([] if stored else [reply]), *answers],
                "deliverables": deliverable,
                "outcome": outcome,
                "note": note,
                "usage": usage,
            }
        answers = [
            _answer(
                c,
                f"Transferred to {target}."
                if c is call
                else f"Not run: this turn handed off to {target}.",
                self.role,
            )
            for c in reply.tool_calls
        ]
        record = HandoffRecord(
            source=self.role,
            target=target,
            # A model that names no criterion gets the edge's own condition from the card.
            criterion=args.criterion or self.team.graph.edges[self.role, target]["condition"]
            if self.team.graph.has_edge(self.role, target)
            else args.criterion,
            reason=args.reason,
            step=len(state.get("handoffs", [])) + 1,
            turn=state.get("turn", 0),
        )
        update = {
            "messages": [*state["messages"], *([] if stored else [reply]), *answers],
            "active": target,
            "visited": [target],
            "handoffs": [record],
            # The subgraph's own state does not reach the parent on a handoff: carry it over.
            "deliverables": {**state.get("deliverables", {}), **deliverable},
            "usage": {**state.get("usage", {}), **usage},
        }
        return Command(graph=Command.PARENT, goto=target, update=update)

    def approve(self, state: TeamState) -> Command | dict[str, Any]:
        """Ask a human before a handoff into an approval role (LangGraph ``interrupt``).

        Resume with ``Command(resume=True)``/``"approve"`` or ``{"approve": False, "note": ...}``.
        A rejection is the handoff's tool result, so the role can choose another way.
        """
        reply = state["messages"][-1]
        assert isinstance(reply, AIMessage)
        call = self._legal_handoff(reply)
        assert call is not None
        args = HandoffArgs.model_validate(call["args"])
        target = handoff_target(call["name"])
        decision = interrupt(
            {
                "type": "approval",
                "source": self.role,
                "target": target,
                "criterion": args.criterion,
                "reason": args.reason,
            }
        )
        approved, note = _decision(decision)
        if approved:
            return self._hand_off(state, reply, call, {}, {}, stored=True)
        answers = [
            _answer(
                c,
                f"Handoff to {target} rejected by a human reviewer: {note or 'no reason given'}"
                if c is call
                else f"Not run: the handoff to {target} was rejected.",
                self.role,
            )
            for c in reply.tool_calls
        ]
        return {"messages": answers}

    def tools(self, state: TeamState) -> dict[str, Any]:
        last = state["messages"][-1]
        assert isinstance(last, AIMessage)
        rounds = sum(
            1
            for m in self._activation(state["messages"])
            if isinstance(m, AIMessage) and m.name == self.role and m.tool_calls
        )
        answers = []
        for call in last.tool_calls:
            answers.append(_answer(call, self._run_one(call, rounds), self.role))
        update: dict[str, Any] = {"messages": answers}
        if rounds > self.limits.max_tool_rounds + EMPTY_RETRIES:
            update |= {
                "outcome": "limit",
                "note": f"{self.role} kept calling tools after its budget",
            }
        return update

    def _run_one(self, call: dict[str, Any], rounds: int) -> str:
        name = call["name"]
        target = handoff_target(name)
        if target is not None:
            allowed = ", ".join(self.legal) or "none"
            if target not in self.legal:
                return (
                    f"error: {self.role} cannot hand off to '{target}'; allowed targets: {allowed}"
                )
            return "error: handoff arguments invalid: 'reason' (a non-empty string) is required"
        tool = self.repo_tools.get(name)
        if tool is None:
            available = ", ".join([*self.repo_tools, *(t.name for t in self.handoff_tools)])
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

    def route(self, state: TeamState) -> str:
        last = state["messages"][-1] if state.get("messages") else None
        if state.get("outcome") or not isinstance(last, AIMessage) or not last.tool_calls:
            return END
        pending = self._legal_handoff(last)
        if pending is not None and handoff_target(pending["name"]) in self.approval:
            return "approve"
        return "tools"

    def after_tools(self, state: TeamState) -> str:
        return END if state.get("outcome") == "limit" else "agent"

    def subgraph(self) -> Any:
        graph = StateGraph(TeamState, output_schema=RoleOutput)
        graph.add_node("agent", self.agent)
        graph.add_node("tools", self.tools)
        graph.add_edge(START, "agent")
        graph.add_conditional_edges("agent", self.route, ["tools", "approve", END])
        graph.add_node("approve", self.approve)
        graph.add_edge("approve", "agent")
        graph.add_conditional_edges("tools", self.after_tools, ["agent", END])
        return graph.compile(name=self.role)
