"""Routing metrics: per-role precision, recall, F1 and support; macro-F1; confusion; pass^k."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import comb

__all__ = ["RoleScore", "Scores", "pass_hat_k", "score_pairs"]

NONE = "(none)"


@dataclass(frozen=True)
class RoleScore:
    """Precision, recall, F1 and support of one label."""

    role: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """Classification scores over ``(expected, predicted)`` pairs."""

    roles: list[RoleScore]
    macro_f1: float
    accuracy: float
    confusion: dict[str, dict[str, int]]
    total: int

    def to_dict(self) -> dict[str, object]:
        return {
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "total": self.total,
            "roles": {
                r.role: {
                    "precision": round(r.precision, 4),
                    "recall": round(r.recall, 4),
                    "f1": round(r.f1, 4),
                    "support": r.support,
                }
                for r in self.roles
            },
            "confusion": self.confusion,
        }


def score_pairs(pairs: Iterable[tuple[str, str]], labels: Sequence[str] | None = None) -> Scores:
    """Score ``(expected, predicted)`` pairs.

    Macro-F1 averages over the labels that occur as expected (support > 0), so a label nobody
    expects cannot inflate or deflate it; predictions of such labels still cost precision.

    Example:
        >>> s = score_pairs([("pm", "pm"), ("pm", "ml_engineer"), ("ml_engineer", "ml_engineer")])
        >>> round(s.macro_f1, 3), s.confusion["pm"]["ml_engineer"]
        (0.667, 1)
    """
    pairs = list(pairs)
    expected = Counter(e for e, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    correct = Counter(e for e, p in pairs if e == p)
    names = list(labels) if labels is not None else sorted(set(expected) | set(predicted))
    for name in sorted(set(expected) | set(predicted)):
        if name not in names:
            names.append(name)
    roles = []
    for name in names:
        precision = correct[name] / predicted[name] if predicted[name] else 0.0
        recall = correct[name] / expected[name] if expected[name] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        roles.append(RoleScore(name, precision, recall, f1, expected[name]))
    supported = [r.f1 for r in roles if r.support]
    confusion = {e: {p: 0 for p in names} for e in names}
    for e, p in pairs:
        confusion[e][p] += 1
    return Scores(
        roles=roles,
        macro_f1=sum(supported) / len(supported) if supported else 0.0,
        accuracy=sum(correct.values()) / len(pairs) if pairs else 0.0,
        confusion=confusion,
        total=len(pairs),
    )


def pass_hat_k(successes: Sequence[int], trials: int, k: int) -> float:
    """tau-bench's pass^k: the mean over scenarios of C(c, k) / C(n, k).

    Args:
        successes: Passing trials per scenario (``c``).
        trials: Trials per scenario (``n``).
        k: How many trials must all pass.

    Example:
        >>> pass_hat_k([3, 2], trials=3, k=2)
        0.6666666666666666
    """
    if not successes or k > trials or k < 1:
        return 0.0
    return sum(comb(c, k) / comb(trials, k) for c in successes) / len(successes)
