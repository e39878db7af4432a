"""A hand-written training loop that keeps the best epoch by a score of the test split.

Bayesian-Torch's CIFAR-10 scripts build `val_loader` from `CIFAR10(train=False)`, the test set,
and each epoch run `prec1 = validate(args, val_loader, ...)`, `is_best = prec1 > best_prec1` and
save the checkpoint when it is the best so far; test mode then reports that checkpoint's accuracy
on the same set. The epoch is chosen on the test set, so the reported test score is optimistic.
Callbacks say the same thing in a framework (`callbacks.py`); here the loop says it: inside a
`for`/`while`, a score computed from test data (a name for the test split, or a loader built with
`train=False` / `split="test"`) is compared with, or folded by `max`/`min` into, a best-so-far
value (a name or attribute containing `best`).
"""

from __future__ import annotations

import ast
from collections.abc import Set as AbstractSet

from team.review.callbacks import test_split
from team.review.core import Finding
from team.review.randomness import Usage
from team.review.rules import make_finding
from team.review.sources import SourceFile

__all__ = ["best_epoch_on_test"]


def best_epoch_on_test(
    src: SourceFile, *, reported: AbstractSet[int] = frozenset()
) -> list[Finding]:
    """One `test-set-tuning` finding per loop that keeps a best-so-far score of test data;
    `reported`: lines already found to select on the test set (by the data flow), whose loop
    is not reported again."""
    use = Usage(src.tree)
    out: list[Finding] = []
    seen: set[int] = set()
    for loop in ast.walk(src.tree):
        if not isinstance(loop, ast.For | ast.While) or id(loop) in seen:
            continue
        seen |= {id(n) for n in ast.walk(loop) if isinstance(n, ast.For | ast.While)}
        end = loop.end_lineno or loop.lineno
        if any(loop.lineno <= line <= end for line in reported):
            continue
        scores = _test_scores(loop, use)
        found = _best_so_far(loop, scores)
        if found is None:
            continue
        node, name = found
        why = scores[name]
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                node.lineno,
                f"{name} is a score of the test split ({why}) and the loop keeps the best so far "
                f"({ast.unparse(node)}): the epoch or model is chosen on the test set, so the "
                "test score reported for it is optimistic. Select on a validation split carved "
                "from the training data.",
                trace=(f"select: best {name} on the test split ({src.rel}:{node.lineno})",),
            )
        )
    return out


def _test_scores(loop: ast.For | ast.While, use: Usage) -> dict[str, str]:
    """Names the loop binds to a call that takes test data: `prec1 = validate(val_loader)`."""
    scores: dict[str, str] = {}
    for stmt in ast.walk(loop):
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.value, ast.Call):
            continue
        call = stmt.value
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            why = test_split(arg, use) if isinstance(arg, ast.Name) else None
            if why is None:
                continue
            for target in stmt.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        scores.setdefault(name.id, why)
            break
    return scores


def _best_so_far(loop: ast.For | ast.While, scores: dict[str, str]) -> tuple[ast.expr, str] | None:
    """The first comparison of a test score with a best value (`prec1 > best_prec1`,
    `max(prec1, best_prec1)`), and the score's name."""
    hits: list[tuple[ast.expr, str]] = []
    for node in ast.walk(loop):
        if isinstance(node, ast.Compare) and len(node.comparators) == 1:
            operands = [node.left, node.comparators[0]]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("max", "min")
        ):
            operands = list(node.args)
        else:
            continue
        named = [o.id for o in operands if isinstance(o, ast.Name) and o.id in scores]
        if named and any(_is_best(o) for o in operands):
            hits.append((node, named[0]))
    return min(hits, key=lambda h: h[0].lineno) if hits else None


def _is_best(node: ast.expr) -> bool:
    """`best_prec1`, `self.best_valid_acc`: a name or attribute for the best value so far."""
    text = (
        node.id
        if isinstance(node, ast.Name)
        else node.attr
        if isinstance(node, ast.Attribute)
        else ""
    )
    return "best" in text.lower()
