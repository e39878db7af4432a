"""The graph state: plain typed dicts, so checkpointers round-trip it without custom types."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

__all__ = ["HandoffRecord", "Outcome", "TeamState", "merge_deliverables", "merge_usage"]

Outcome = Literal["done", "loop", "limit", "error", "pending"]


class HandoffRecord(TypedDict):
    """One handoff: who gave work to whom, under which card criterion, and why."""

    source: str
    target: str
    criterion: str
    reason: str
    step: int
    turn: int


def merge_deliverables(left: dict[str, str] | None, right: dict[str, str] | None) -> dict[str, str]:
    """Reducer: a role's latest deliverable replaces its earlier one."""
    return {**(left or {}), **(right or {})}


def merge_usage(
    left: dict[str, dict[str, Any]] | None, right: dict[str, dict[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """Reducer: usage records keyed by message id (idempotent, so subgraph output merges safely)."""
    return {**(left or {}), **(right or {})}


def append(left: list[Any] | None, right: list[Any] | None) -> list[Any]:
    """Reducer: append-only lists (handoffs, visited roles)."""
    return [*(left or []), *(right or [])]


class TeamState(TypedDict, total=False):
    """What a team run holds.

    Attributes:
        messages: The shared transcript (every tool call answered by its tool result).
        active: The role currently holding the work.
        visited: Roles in the order they took the work (triage's pick first).
        handoffs: Every handoff of the thread, in order.
        deliverables: Each role's latest deliverable (markdown following its Workflow).
        outcome: How the last turn ended.
        turn: Which user turn is running (1-based).
        note: Why the run stopped, when it was not ``done``.
        usage: Per model reply (by message id): role, tokens and seconds.
        queue: User turns still to run on this thread (so a resumed run finishes them).
        repo: The repository the run inspects ("" for none), for resuming.
        pending: The handoff waiting for a human's approval (its record and tool call id).
    """

    messages: Annotated[list[AnyMessage], add_messages]
    active: str | None
    visited: Annotated[list[str], append]
    handoffs: Annotated[list[HandoffRecord], append]
    deliverables: Annotated[dict[str, str], merge_deliverables]
    outcome: Outcome | None
    turn: int
    note: str
    usage: Annotated[dict[str, dict[str, Any]], merge_usage]
    queue: list[str]
    repo: str
    pending: dict[str, Any] | None
