"""A test set loaded by the very call that loads the training set.

aeon's convolution notebook loads `motions, motions_labels = load_basic_motions(split="train")`
and then `motions_test, motions_test_labels = load_basic_motions(split="train")` (a copy-paste
slip for `split="test"`): the model is fitted on the first and scored on the second, which are
the same rows, so the accuracy shown is training accuracy. Two loader calls written identically
(same function, same arguments) return the same data; when one is bound to training names and
fitted on, and the other to test names and predicted or scored on, the score is on training
rows. Only loaders of files or data sets (`load_*`, `read_*`, `fetch_*`) are compared.
"""

from __future__ import annotations

import ast
import re

from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["test_loaded_as_training"]

_LOADER = re.compile(r"^(load|read|fetch)_")
_TEST = re.compile(r"test", re.I)
_HELD_OUT = re.compile(r"test|val|eval|hold", re.I)
_FITS = frozenset({"fit", "fit_predict", "fit_transform", "partial_fit"})
_SCORES = re.compile(r"^(predict\w*|score|evaluate|\w+_score|\w+_error)$")


def _loader_name(call: ast.Call) -> str:
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return name if _LOADER.match(name) else ""


def _targets(stmt: ast.Assign) -> list[str]:
    return [n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def _used_by(tree: ast.Module, names: set[str], methods: re.Pattern[str] | frozenset[str]) -> bool:
    """Some call named by `methods` (`model.fit(X, y)`, `accuracy_score(y, pred)`) takes one of
    `names` as an argument."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        hit = methods.match(name) if isinstance(methods, re.Pattern) else name in methods
        if hit and any(
            isinstance(n, ast.Name) and n.id in names
            for a in [*node.args, *(k.value for k in node.keywords)]
            for n in ast.walk(a)
        ):
            return True
    return False


def test_loaded_as_training(src: SourceFile) -> list[Finding]:
    """One `eval-on-train` finding per test binding that repeats a training load."""
    loads: dict[str, list[ast.Assign]] = {}
    for stmt in ast.walk(src.tree):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Call)
            and _loader_name(stmt.value)
            and (stmt.value.args or stmt.value.keywords)
        ):
            loads.setdefault(ast.unparse(stmt.value), []).append(stmt)
    out: list[Finding] = []
    for text, stmts in loads.items():
        train = [s for s in stmts if not any(_HELD_OUT.search(n) for n in _targets(s))]
        test = [s for s in stmts if any(_TEST.search(n) for n in _targets(s))]
        if not (train and test):
            continue
        train_names = {n for s in train for n in _targets(s)}
        test_names = {n for s in test for n in _targets(s)}
        if not (_used_by(src.tree, train_names, _FITS) and _used_by(src.tree, test_names, _SCORES)):
            continue
        first, again = train[0], test[0]
        out.append(
            make_finding(
                src,
                "eval-on-train",
                again.lineno,
                f"{', '.join(_targets(again))} is loaded by the same call as the training data "
                f"at line {first.lineno} ({text}): the model is scored on the rows it was fitted "
                "on, so the score is training accuracy. Load the held-out split.",
            )
        )
    return out
