"""The page of an evaluation: every scenario's pass/fail with the first divergence and the
expected vs actual path on the team graph, per-role scores, the first-handoff confusion matrix as
a heat map, pass^k, and what changed against a baseline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from team.errors import TeamError
from team.evaluate.metrics import NONE
from team.report.graph import Drawing, draw_team, resolve_expected

__all__ = ["ScenarioView", "changes", "eval_report", "heat_map"]


@dataclass(frozen=True)
class ScenarioView:
    """One scenario as the page shows it."""

    name: str
    path: str
    passed: bool
    successes: int
    trials: int
    visited: list[str]
    expected: list[str] | None
    match: str
    checks: list[str]
    diverged_at: int | None
    drawing: Drawing

    @property
    def divergence(self) -> str:
        return self.checks[0] if self.checks else ""


def _expected(path: str) -> tuple[list[str] | None, str]:
    """The scenario file's expected path and match mode (none when the file cannot be read)."""
    from team.scenarios import load_scenario

    try:
        expect = load_scenario(path).expect
    except TeamError:
        return None, "strict"
    if expect is None or expect.path is None:
        return None, expect.match if expect else "strict"
    return list(expect.path), expect.match


def _diverged_at(expected: list[str], visited: list[str]) -> int | None:
    """The 1-based step where a strict path first differs, or ``None``."""
    for step in range(max(len(expected), len(visited))):
        want = expected[step] if step < len(expected) else None
        got = visited[step] if step < len(visited) else None
        if want is None or got is None or (want != "*" and got not in want.split("|")):
            return step + 1
    return None


def _view(outcome: Any, team: Any) -> ScenarioView:
    expected, match = _expected(outcome.path)
    visited = list(outcome.visited)
    concrete = resolve_expected(expected, visited) if expected else None
    step = _diverged_at(expected, visited) if expected and match == "strict" else None
    entries = [s[2] for s in outcome.trajectory.get("steps", []) if len(s) > 2] or visited[:1]
    diverged = visited[step - 1] if step and step <= len(visited) else None
    return ScenarioView(
        name=outcome.name,
        path=outcome.path,
        passed=outcome.passed,
        successes=outcome.successes,
        trials=outcome.trials,
        visited=visited,
        expected=expected,
        match=match,
        checks=list(outcome.checks),
        diverged_at=step,
        drawing=draw_team(
            team,
            path=visited,
            handoffs=outcome.handoffs,
            entries=entries,
            expected=concrete,
            diverged=None if outcome.passed else diverged,
        ),
    )


def heat_map(confusion: dict[str, dict[str, int]], roles: list[str]) -> dict[str, Any]:
    """Rows (expected) and columns (chosen) over every role of the team, plus ``(none)`` when it
    occurs: one cell per pair, with a colour strength in [0, 1].

    Example:
        >>> grid = heat_map({"pm": {"pm": 2, "ml_engineer": 1}}, ["ml_engineer", "pm"])
        >>> [[c["count"] for c in row["cells"]] for row in grid["rows"]]
        [[0, 0], [1, 2]]
    """
    labels = list(roles)
    for label in [*confusion, *(p for row in confusion.values() for p in row)]:
        if label not in labels:
            labels.append(label)
    top = max((n for row in confusion.values() for n in row.values()), default=0) or 1
    rows = []
    for expected in labels:
        cells = []
        for chosen in labels:
            count = confusion.get(expected, {}).get(chosen, 0)
            cells.append(
                {
                    "expected": expected,
                    "chosen": chosen,
                    "count": count,
                    "strength": round(count / top, 3),
                    "hit": expected == chosen,
                }
            )
        rows.append({"label": expected, "cells": cells})
    return {"labels": labels, "rows": rows}


def changes(current: dict[str, Any], baseline: dict[str, Any]) -> dict[str, list[str]]:
    """What regressed and what improved against a stored suite result (``SuiteResult.to_dict()``).

    Example:
        >>> now = {"scenarios": [{"name": "a", "passed": True, "checks": []}]}
        >>> changes(now, {"scenarios": [{"name": "a", "passed": False}]})["improved"]
        ['a: failed in the baseline, now passes']
    """
    from team.evaluate.suite import compare_baseline

    regressed = compare_baseline(current, baseline)
    improved = []
    before = {s["name"]: s for s in baseline.get("scenarios", []) if isinstance(s, dict)}
    for scenario in current.get("scenarios", []):
        old = before.get(scenario["name"])
        if old is not None and not old.get("passed") and scenario.get("passed"):
            improved.append(f"{scenario['name']}: failed in the baseline, now passes")
    for key, label in (
        ("routing", "routing macro-F1"),
        ("first_handoff", "first-handoff macro-F1"),
    ):
        old_f1 = (baseline.get(key) or {}).get("macro_f1")
        new_f1 = (current.get(key) or {}).get("macro_f1")
        if old_f1 is not None and new_f1 is not None and new_f1 > old_f1 + 1e-9:
            improved.append(f"{label} rose from {old_f1:.4f} to {new_f1:.4f}")
    if current.get("loop_rate", 0) < baseline.get("loop_rate", 0) - 1e-9:
        improved.append(
            f"loop rate fell from {baseline['loop_rate']:.3f} to {current['loop_rate']:.3f}"
        )
    new = [s["name"] for s in current.get("scenarios", []) if s["name"] not in before]
    return {"regressed": regressed, "improved": improved, "new": new}


def eval_report(
    suite: Any, team: Any, *, baseline: dict[str, Any] | None = None, title: str | None = None
) -> str:
    """One self-contained HTML page of a suite result.

    Args:
        suite: A ``SuiteResult`` (``team.evaluate.suite.run_suite``).
        team: The ``Team`` the suite ran on (its graph is drawn).
        baseline: A stored suite result (``SuiteResult.to_dict()``) to compare with.
        title: The page's heading.

    Example:
        >>> from team.evaluate.suite import run_suite
        >>> from team.topology import Team
        >>> page = eval_report(run_suite(["scenarios/pm_revenue_report.yaml"]), Team.load())
        >>> 'class="heat"' in page and "pm_revenue_report" in page
        True
    """
    from team.report.render import render

    names = {role: card.name for role, card in team.cards.items()}
    names.setdefault(NONE, "(none)")
    views = [_view(outcome, team) for outcome in suite.scenarios]
    data = suite.to_dict()
    return render(
        "eval.html.j2",
        title=title or "Scenario evaluation",
        team_name=team.name,
        names=names,
        suite=suite,
        scenarios=views,
        failed=[v for v in views if not v.passed],
        passing=[v for v in views if v.passed],
        routing=suite.routing,
        first_handoff=suite.first_handoff,
        heat=heat_map(suite.first_handoff.get("confusion", {}), team.roles),
        changes=changes(data, baseline) if baseline is not None else None,
    )
