"""What a suite's model calls took: tokens, dollars (from the one price table), latency."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["percentile", "summarize_calls"]

_TOKENS = ("input_tokens", "output_tokens", "cache_read", "cache_creation")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0 for no values).

    Example:
        >>> percentile([0.1, 0.2, 0.3, 0.4], 0.5), percentile([0.1, 0.2, 0.3, 0.4], 0.95)
        (0.2, 0.4)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _totals(calls: list[dict[str, Any]]) -> dict[str, Any]:
    from team.models.prices import call_cost

    costs = [call_cost(c["model"], c) for c in calls]
    seconds = [c.get("seconds", 0.0) for c in calls]
    return {
        "calls": len(calls),
        **{key: sum(c.get(key, 0) or 0 for c in calls) for key in _TOKENS},
        "cost_usd": None if None in costs else round(sum(c or 0.0 for c in costs), 6),
        "latency_p50": round(percentile(seconds, 0.50), 3),
        "latency_p95": round(percentile(seconds, 0.95), 3),
    }


def summarize_calls(calls: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals of per-call records (``model``, token counts, ``seconds``), and the same per model.

    ``cost_usd`` is None when the price table does not know a model that was called.

    Example:
        >>> calls = [{"model": "anthropic:claude-haiku-4-5", "input_tokens": 1000,
        ...           "output_tokens": 200, "seconds": 0.5}]
        >>> summary = summarize_calls(calls)
        >>> summary["cost_usd"], summary["latency_p95"], list(summary["by_model"])
        (0.002, 0.5, ['anthropic:claude-haiku-4-5'])
    """
    calls = list(calls)
    by_model: dict[str, list[dict[str, Any]]] = {}
    for call in calls:
        by_model.setdefault(call["model"], []).append(call)
    return {
        **_totals(calls),
        "by_model": {model: _totals(group) for model, group in sorted(by_model.items())},
    }
