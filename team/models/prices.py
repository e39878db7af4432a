"""What model calls cost: the one price table, and a budget shared by the runs of an evaluation.

Prices are US dollars per million tokens, from the providers' published price lists (checked
December 2026). A model id is priced by the longest table key it starts with that ends at a
separator, so ``claude-sonnet-4-5-20250929`` is ``claude-sonnet-4-5`` and never ``claude-sonnet-4``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from team.errors import StopRun, TeamError

__all__ = ["PRICES", "Budget", "BudgetReached", "Price", "call_cost", "parse_budget", "price_of"]


@dataclass(frozen=True)
class Price:
    """Dollars per million tokens: input, output, prompt-cache reads and (5-minute) writes."""

    input: float
    output: float
    cache_read: float
    cache_write: float


def _claude(input: float, output: float, cache_read: float | None = None) -> Price:
    read = input / 10 if cache_read is None else cache_read
    return Price(input, output, read, input * 1.25)


PRICES: dict[str, Price] = {
    "offline": Price(0, 0, 0, 0),
    "anthropic:claude-opus-5-5": _claude(4, 20, 0.20),
    "anthropic:claude-opus-5": _claude(5, 25),
    "anthropic:claude-opus-4-8": _claude(5, 25),
    "anthropic:claude-opus-4-7": _claude(5, 25),
    "anthropic:claude-opus-4-6": _claude(5, 25),
    "anthropic:claude-opus-4-5": _claude(5, 25),
    "anthropic:claude-opus-4-1": _claude(15, 75),
    "anthropic:claude-opus-4": _claude(15, 75),
    "anthropic:claude-sonnet-5-5": _claude(2, 10, 0.10),
    "anthropic:claude-sonnet-5": _claude(2, 10),
    "anthropic:claude-sonnet-4-6": _claude(3, 15),
    "anthropic:claude-sonnet-4-5": _claude(3, 15),
    "anthropic:claude-sonnet-4": _claude(3, 15),
    "anthropic:claude-haiku-5-5": _claude(0.10, 0.50, 0.01),
    "anthropic:claude-haiku-4-5": _claude(1, 5),
    "anthropic:claude-3-5-haiku": _claude(0.80, 4),
    "openai:gpt-4.1-mini": Price(0.40, 1.60, 0.10, 0.40),
    "openai:gpt-4.1": Price(2, 8, 0.50, 2),
    "openai:gpt-4o-mini": Price(0.15, 0.60, 0.075, 0.15),
    "openai:gpt-4o": Price(2.50, 10, 1.25, 2.50),
}
"""Known prices by model id (``provider:model``, as ``--model`` takes it). Add a model here."""


def price_of(model_id: str) -> Price | None:
    """The price of a model id, or None when the table does not know it.

    Example:
        >>> price_of("anthropic:claude-sonnet-4-5-20250929").output
        15
        >>> price_of("anthropic:claude-sonnet-40") is None
        True
    """
    best = ""
    for key in PRICES:
        if model_id == key or (model_id.startswith(key) and model_id[len(key)] in "-@."):
            best = key if len(key) > len(best) else best
    return PRICES.get(best) if best else None


def call_cost(model_id: str, usage: dict[str, Any]) -> float | None:
    """Dollars for one call's usage (``input_tokens`` includes cache reads and writes).

    Example:
        >>> call_cost("anthropic:claude-haiku-4-5", {"input_tokens": 1000, "output_tokens": 200})
        0.002
    """
    price = price_of(model_id)
    if price is None:
        return None
    read, write = usage.get("cache_read", 0) or 0, usage.get("cache_creation", 0) or 0
    fresh = max(0, (usage.get("input_tokens", 0) or 0) - read - write)
    dollars = (
        fresh * price.input
        + read * price.cache_read
        + write * price.cache_write
        + (usage.get("output_tokens", 0) or 0) * price.output
    )
    return round(dollars / 1e6, 8)


class BudgetReached(StopRun):
    """The evaluation's budget is spent; the run making this call stops here."""


def parse_budget(text: str) -> tuple[float, str]:
    """``"2.50"``, ``"$2.50"`` (dollars) or ``"200000 tokens"``, ``"200k tokens"`` (tokens).

    Raises:
        TeamError: Anything else, or a budget that is not positive.

    Example:
        >>> parse_budget("$2.50"), parse_budget("150k tokens")
        ((2.5, 'usd'), (150000.0, 'tokens'))
    """
    match = re.fullmatch(
        r"\s*(\$)?\s*(\d+(?:\.\d+)?)\s*([km])?\s*(tokens?|usd|\$)?\s*", str(text), re.I
    )
    if match is None:
        raise TeamError(f"budget {text!r}: give dollars (2.50, $2.50) or tokens (200k tokens)")
    dollar, number, scale, unit = match.groups()
    amount = float(number) * {"": 1, "k": 1e3, "m": 1e6}[(scale or "").lower()]
    kind = "tokens" if unit and unit.lower().startswith("token") else "usd"
    if dollar and kind == "tokens":
        raise TeamError(f"budget {text!r}: dollars or tokens, not both")
    if amount <= 0:
        raise TeamError(f"budget {text!r} must be more than 0")
    return amount, kind


class Budget:
    """Dollars or tokens shared by concurrent runs; a call is refused once they are spent.

    Args:
        limit: The amount.
        unit: ``"usd"`` or ``"tokens"`` (tokens are input plus output).

    Example:
        >>> budget = Budget(100, "tokens")
        >>> budget.add("offline", {"input_tokens": 80, "output_tokens": 30})
        >>> budget.spent, budget.reached
        (110.0, True)
    """

    def __init__(self, limit: float, unit: str = "usd") -> None:
        if unit not in ("usd", "tokens"):
            raise TeamError(f"budget unit must be 'usd' or 'tokens', not {unit!r}")
        self.limit, self.unit = float(limit), unit
        self.spent = 0.0
        self._lock = threading.Lock()

    def describe(self) -> str:
        """The limit as a person reads it: ``$2.5`` or ``40 tokens``."""
        return f"${self.limit:g}" if self.unit == "usd" else f"{self.limit:g} tokens"

    @property
    def reached(self) -> bool:
        with self._lock:
            return self.spent >= self.limit

    def check(self, model_id: str) -> None:
        """Refuse a call once the budget is spent, or when a dollar budget cannot price it.

        Raises:
            BudgetReached: The budget is spent.
            StopRun: A dollar budget and a model the price table does not know.
        """
        if self.unit == "usd" and price_of(model_id) is None:
            raise StopRun(f"no price for model {model_id!r}: budget it in tokens instead")
        if self.reached:
            raise BudgetReached(f"budget of {self.describe()} reached")

    def add(self, model_id: str, usage: dict[str, Any]) -> None:
        """Count one call's usage against the budget."""
        if self.unit == "tokens":
            amount = float((usage.get("input_tokens") or 0) + (usage.get("output_tokens") or 0))
        else:
            amount = call_cost(model_id, usage) or 0.0
        with self._lock:
            self.spent += amount
