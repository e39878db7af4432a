"""A model class's training method run by the package's own trainer, which seeds when it is made.

SetFit's `SetFitModel.fit` (`modeling.py`) runs a PyTorch loop over a shuffled loader of its
own, and nothing in `modeling.py` seeds. The package's `Trainer` (`trainer.py`) imports
`SetFitModel`, calls `set_seed(args.seed)` in its `__init__`, and trains through
`self.model.fit(...)`: every run of the library's entry point seeds `random`, numpy and torch
before the loop draws. The draw is seeded by the code that runs it, in another module of the
same folder.

Narrow on purpose: the seed is set in the trainer class's `__init__` (so it is set before any
of its methods runs), by a call that seeds every generator (`set_seed`, `seed_everything`, a
helper named for seeding: `seed_kind` "all"); the trainer's module names the model class; and a
method of the trainer calls the same method on an attribute of itself (`self.model.fit`). A
trainer that seeds only torch, or in a method other than `__init__`, or that runs another method
of the model, silences nothing; nor does a function outside a class.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from team.review.core import Finding, Note
from team.review.seedfacts import seed_kind
from team.review.serving import is_test_file
from team.review.sources import RepoIndex, SourceFile

__all__ = ["TrainerSeed", "trainer_seeded"]

_RULE = "unseeded-randomness"


@dataclass(frozen=True)
class TrainerSeed:
    """A trainer class that seeds in `__init__` and runs `model_cls.method` through `self`."""

    trainer: str
    path: str
    line: int
    runs: str

    def note(self) -> str:
        return (
            f"{self.runs} is run by {self.trainer} ({self.path}), whose __init__ seeds every "
            f"generator first (line {self.line})"
        )


def trainer_seeded(
    src: SourceFile, repo: RepoIndex, found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings inside a method that a seeding trainer of
    another module runs, and a note, for `--explain`, at each of them."""
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        method = _method_at(src.tree, finding.line) if finding.rule == _RULE else None
        seed = _seeding_trainer(src, repo, *method) if method else None
        if seed is None:
            kept.append(finding)
        else:
            notes.append(Note(finding.path, finding.line, finding.rule, seed.note()))
    return kept, notes


def _method_at(tree: ast.Module, line: int) -> tuple[str, str] | None:
    """(class, method) of the top-level class's method whose body holds `line`."""
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for func in cls.body:
            if (
                isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
                and func.lineno <= line <= (func.end_lineno or func.lineno)
                and func.name != "__init__"
            ):
                return cls.name, func.name
    return None


def _seeding_trainer(src: SourceFile, repo: RepoIndex, cls: str, method: str) -> TrainerSeed | None:
    for other in repo.sources:
        if other is src or is_test_file(other.rel) or cls not in other.text:
            continue
        for node in other.tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            line = _init_seeds_all(other, repo, node)
            if line is not None and _runs_through_self(node, method):
                return TrainerSeed(node.name, other.rel, line, f"{cls}.{method}")
    return None


def _init_seeds_all(src: SourceFile, repo: RepoIndex, cls: ast.ClassDef) -> int | None:
    """The line where the class's `__init__` seeds every generator, else None."""
    for func in cls.body:
        if isinstance(func, ast.FunctionDef) and func.name == "__init__":
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and seed_kind(repo.qualify(src, node.func) or "") == (
                    "all"
                ):
                    return node.lineno
    return None


def _runs_through_self(cls: ast.ClassDef, method: str) -> bool:
    """A method of `cls` calls `self.<attribute>.<method>(...)`."""
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == method
            and isinstance(owner := node.func.value, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "self"
        ):
            return True
    return False
