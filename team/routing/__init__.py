"""Deterministic routing from the cards: who takes a request, who owns each of its asks, and
which handoff criterion fits an ask.

This package must not import LangGraph: ``team route`` stays fast.
"""

from team.routing.clauses import read_clauses
from team.routing.ownership import (
    ESCALATION,
    Ask,
    Fit,
    Misfit,
    Move,
    check_handoff,
    criterion_fit,
    decide_handoff,
    first_handoff,
    next_move,
    plan_request,
    quoted_ask,
    read_request,
    travels_with,
)
from team.routing.project_asks import is_decision, is_project_report, is_stakeholder_message
from team.routing.router import Route, Router, router_for
from team.routing.sentences import split_clauses
from team.routing.text import stems

__all__ = [
    "ESCALATION",
    "Ask",
    "Fit",
    "Misfit",
    "Move",
    "Route",
    "Router",
    "check_handoff",
    "criterion_fit",
    "decide_handoff",
    "first_handoff",
    "is_decision",
    "is_project_report",
    "is_stakeholder_message",
    "next_move",
    "plan_request",
    "quoted_ask",
    "read_clauses",
    "read_request",
    "router_for",
    "split_clauses",
    "stems",
    "travels_with",
]
