"""Handoff evaluation: scenario expectations, routing scores, suites, baselines.

- ``check_expectations(expect, result)``: every broken expectation of a run;
- ``run_suite(paths, ...)``: scenarios in parallel, per-role P/R/F1, pass^k, loop rate;
- ``evaluate_routing(router, cases)``: a labelled routing set, scored without LangGraph.
"""

from __future__ import annotations

from team.evaluate.expect import Check, check_expectations, match_path
from team.evaluate.metrics import RoleScore, Scores, pass_hat_k, score_pairs

__all__ = [
    "Check",
    "RoleScore",
    "Scores",
    "check_expectations",
    "match_path",
    "pass_hat_k",
    "score_pairs",
]
