"""Checking a run against a scenario's ``expect:`` block.

Path entries are role ids, alternatives ``a|b``, or ``*`` (any role). ``match`` compares paths:

- ``strict``: the same sequence, position by position;
- ``unordered``: the same multiset (every visit pairs with one expected entry and back);
- ``subset``: every role visited pairs with a distinct expected entry;
- ``superset``: every expected entry pairs with a distinct visit.

Pairing is a maximum bipartite matching (Hopcroft-Karp), not greedy first-fit: with ``a|b`` and
``a`` expected and ``a, b`` visited, greedy pairs ``a`` with ``a|b`` and fails; matching passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from team.scenarios import Expect

__all__ = ["Check", "check_expectations", "match_path"]


@dataclass(frozen=True)
class Check:
    """One broken expectation: which constraint, and what differed."""

    constraint: str
    message: str

    def __str__(self) -> str:
        return f"{self.constraint}: {self.message}"


def _fits(entry: str, role: str) -> bool:
    return entry == "*" or role in entry.split("|")


def _matching_size(expected: Sequence[str], actual: Sequence[str]) -> int:
    """Size of a maximum matching between expected entries and visited roles."""
    import networkx as nx
    from networkx.algorithms import bipartite

    graph: nx.Graph[tuple[str, int]] = nx.Graph()
    left = [("e", i) for i in range(len(expected))]
    graph.add_nodes_from(left, bipartite=0)
    graph.add_nodes_from((("a", j) for j in range(len(actual))), bipartite=1)
    for i, entry in enumerate(expected):
        for j, role in enumerate(actual):
            if _fits(entry, role):
                graph.add_edge(("e", i), ("a", j))
    matching = bipartite.hopcroft_karp_matching(graph, top_nodes=left)
    return sum(1 for node in matching if node[0] == "e")


def _arrow(roles: Sequence[str]) -> str:
    return " -> ".join(roles) or "(nothing)"


def match_path(expected: Sequence[str], actual: Sequence[str], mode: str) -> str | None:
    """``None`` when ``actual`` satisfies ``expected`` under ``mode``, else the first divergence.

    Example:
        >>> match_path(["ml_engineer", "pm"], ["ml_engineer", "pm"], "strict") is None
        True
        >>> match_path(["a|b", "a"], ["a", "b"], "unordered") is None
        True
    """
    if mode == "strict":
        for step, (entry, role) in enumerate(zip(expected, actual, strict=False), start=1):
            if not _fits(entry, role):
                return f"diverged at step {step}: expected {entry}, got {role} (expected {_arrow(expected)}, got {_arrow(actual)})"
        if len(expected) != len(actual):
            step = min(len(expected), len(actual)) + 1
            what = (
                f"expected {expected[step - 1]}, the run ended"
                if len(expected) > len(actual)
                else f"expected the end, got {actual[step - 1]}"
            )
            return f"diverged at step {step}: {what} (expected {_arrow(expected)}, got {_arrow(actual)})"
        return None
    size = _matching_size(expected, actual)
    need = {
        "unordered": (len(expected), len(actual)),
        "subset": (len(actual),),
        "superset": (len(expected),),
    }[mode]
    if mode == "unordered" and len(expected) != len(actual):
        return f"expected {len(expected)} visits in any order, got {len(actual)} (expected {_arrow(expected)}, got {_arrow(actual)})"
    if all(size == n for n in need):
        return None
    if mode == "superset":
        return f"only {size} of {len(expected)} expected roles were visited (expected {_arrow(expected)}, got {_arrow(actual)})"
    return f"{len(actual) - size} visit(s) not allowed by the expected path (expected {_arrow(expected)}, got {_arrow(actual)})"


def check_expectations(expect: Expect, result: Any) -> list[Check]:
    """Every broken expectation of ``expect`` for a run result, in a fixed order.

    Args:
        expect: The scenario's expectations.
        result: A ``RunResult`` (``visited``, ``handoffs``, ``outcome``, ``events``, ...).

    Example:
        >>> from team import Team, run_team
        >>> result = run_team(Team.load(), "Train a churn model")
        >>> check_expectations(Expect(first="pm"), result)
        [Check(constraint='first', message='expected pm, got ml_engineer')]
    """
    visited, handoffs = list(result.visited), list(result.handoffs)
    checks: list[Check] = []
    if expect.first is not None:
        got = visited[0] if visited else "(nothing)"
        if not _fits(expect.first, got):
            checks.append(Check("first", f"expected {expect.first}, got {got}"))
    if expect.path is not None:
        divergence = match_path(expect.path, visited, expect.match)
        if divergence:
            checks.append(Check(f"path ({expect.match})", divergence))
    for role in expect.required:
        if role not in visited:
            checks.append(Check("required", f"{role} was never visited (got {_arrow(visited)})"))
    for role in expect.forbidden:
        if role in visited:
            checks.append(Check("forbidden", f"{role} was visited (got {_arrow(visited)})"))
    for a, b in expect.before:
        if a not in visited or b not in visited or visited.index(a) > visited.index(b):
            checks.append(Check("before", f"expected {a} before {b} (got {_arrow(visited)})"))
    if expect.max_handoffs is not None and len(handoffs) > expect.max_handoffs:
        checks.append(
            Check("max_handoffs", f"expected at most {expect.max_handoffs}, got {len(handoffs)}")
        )
    if expect.outcome is not None and result.outcome != expect.outcome:
        checks.append(Check("outcome", f"expected {expect.outcome}, got {result.outcome}"))
    for want in expect.criteria:
        found = [h for h in handoffs if h["source"] == want.source and h["target"] == want.target]
        if not found:
            checks.append(Check("criteria", f"no handoff {want.source} -> {want.target}"))
        elif not any(want.criterion.lower() in h["criterion"].lower() for h in found):
            cited = "; ".join(repr(h["criterion"]) for h in found)
            checks.append(
                Check(
                    "criteria",
                    f"{want.source} -> {want.target} cited {cited}, not {want.criterion!r}",
                )
            )
    if expect.owners:
        from team.evaluate.asks import ask_holder

        for owned in expect.owners:
            holder = ask_holder(owned.ask, result)
            if holder != owned.owner:
                checks.append(
                    Check("owners", f"{owned.ask!r} went to {holder}, its owner is {owned.owner}")
                )
    if expect.findings:
        transcript = "\n".join(e.text for e in result.events)
        for rule in expect.findings:
            if rule not in transcript:
                checks.append(Check("findings", f"rule {rule} does not appear in the run"))
    return checks
