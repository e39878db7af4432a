"""A dataset whose validation split is its test split.

Larq Zoo declares its CIFAR-10, MNIST and Oxford Flowers datasets as classes with
`train_split = Field("train")` and `validation_split = Field("test")`: the data every training
run evaluates each epoch, and that a schedule, an epoch count or a kept checkpoint is chosen
on, is the test split its accuracy is then quoted on. Reported as `test-set-tuning` where a
dataset is declared with both splits, in one class body or in one call's keywords, and the
validation split is the literal test split (`"test"`, `"test[:50%]"`, also inside a call such
as `Field("test")`). An evaluation split (`eval_split = "test"`) is a report, not a
validation, and is left alone. One finding per module, the other datasets listed.
"""

from __future__ import annotations

import ast
import re

from team.review.core import Finding
from team.review.rules import make_finding
from team.review.sources import SourceFile

__all__ = ["test_split_as_validation"]

_RULE = "test-set-tuning"
_VALIDATION = re.compile(r"(?i)(?:^|_)(?:val|valid|validation)(?:_|$)")
_TRAINING = re.compile(r"(?i)(?:^|_)train(?:ing)?(?:_|$)")
_TEST_SPLIT = re.compile(r"test(?:\[[^\]]*\])?")


def test_split_as_validation(src: SourceFile) -> list[Finding]:
    """One finding per module, at its first declared validation split that is the test split,
    the others listed."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(src.tree):
        if isinstance(node, ast.ClassDef):
            pairs = [
                (t.id, stmt.value, stmt.lineno)
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            ]
        elif isinstance(node, ast.Call):
            pairs = [(k.arg, k.value, k.value.lineno) for k in node.keywords if k.arg]
        else:
            continue
        if not any(_TRAINING.search(name) for name, _, _ in pairs):
            continue
        for name, value, line in pairs:
            if _VALIDATION.search(name) and (split := _split_name(value)) is not None:
                found.append((line, name, split))
    if not found:
        return []
    (line, name, split), *rest = sorted(found)
    return [_finding(src, line, name, split, [n for n, _, _ in rest])]


def _split_name(value: ast.expr) -> str | None:
    """The test split named by `value`: `"test"`, or the one argument of `Field("test")`."""
    if isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords:
        value = value.args[0]
    if (
        isinstance(value, ast.Constant)
        and isinstance(value.value, str)
        and _TEST_SPLIT.fullmatch(value.value)
    ):
        return value.value
    return None


def _finding(src: SourceFile, line: int, name: str, split: str, others: list[int]) -> Finding:
    also = f" The same at lines {', '.join(map(str, others))}." if others else ""
    return make_finding(
        src,
        _RULE,
        line,
        f'{name} is the test split ("{split}"): the data evaluated during training, and on '
        "which the number of epochs, the schedule or the kept checkpoint is chosen, is the test "
        f"data whose score is reported. Validate on a split held out of the training data.{also}",
        trace=tuple(
            f"select: validation on the test split ({src.rel}:{n})" for n in [line, *others]
        ),
    )
