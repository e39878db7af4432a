"""One missing seed of a trainer class, reported once: at the base class, not again in each
subclass that inherits its training run.

nnU-Net's `nnUNetTrainer` runs the whole fold unseeded (reported at its training loop);
`AbstractPrimus(nnUNetTrainer_warmup)` only overrides `train_step` and inherits initialisation
and `run_training`, so a seed set in the base covers it: the same root cause. A subclass's
unseeded training loop is noted, naming the base's finding, when a class it inherits from (in
the reviewed repository, through any number of levels) already has one.
"""

from __future__ import annotations

import ast

from team.review.core import Finding, Note
from team.review.sources import RepoIndex

__all__ = ["inherited_unseeded"]

_RULE = "unseeded-randomness"
_LOOP = "a PyTorch training loop"


def inherited_unseeded(repo: RepoIndex, found: list[Finding]) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded training loops of subclasses whose base class has one, and a
    note at each, for `--explain`."""
    classes = _classes(repo)
    loops = [f for f in found if f.rule == _RULE and f.message.startswith(_LOOP)]
    owner = {id(f): _class_at(classes, f) for f in loops}
    reported = {name: f for f in loops if (name := owner[id(f)]) is not None}
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        name = owner.get(id(finding))
        base = _reported_base(classes, name, reported) if name else None
        if base is None:
            kept.append(finding)
        else:
            at = reported[base]
            why = (
                f"{name} inherits its training run from {base}, whose missing seed is "
                f"reported at {at.path}:{at.line}"
            )
            notes.append(Note(finding.path, finding.line, finding.rule, why))
    return kept, notes


_Classes = dict[str, tuple[str, ast.ClassDef]]


def _classes(repo: RepoIndex) -> _Classes:
    """Class name -> (module, definition) for the top-level classes of the repository, when the
    name is defined once."""
    seen: dict[str, list[tuple[str, ast.ClassDef]]] = {}
    for src in repo.sources:
        for node in src.tree.body:
            if isinstance(node, ast.ClassDef):
                seen.setdefault(node.name, []).append((src.rel, node))
    return {name: defs[0] for name, defs in seen.items() if len(defs) == 1}


def _class_at(classes: _Classes, finding: Finding) -> str | None:
    for name, (rel, node) in classes.items():
        if rel == finding.path and node.lineno <= finding.line <= (node.end_lineno or 0):
            return name
    return None


def _bases(node: ast.ClassDef) -> list[str]:
    return [
        b.id if isinstance(b, ast.Name) else b.attr
        for b in node.bases
        if isinstance(b, ast.Name | ast.Attribute)
    ]


def _reported_base(classes: _Classes, name: str, reported: dict[str, Finding]) -> str | None:
    """The nearest class `name` inherits from that has a reported training loop, else None."""
    seen, todo = {name}, _bases(classes[name][1])
    while todo:
        base = todo.pop(0)
        if base in seen or base not in classes:
            continue
        if base in reported:
            return base
        seen.add(base)
        todo.extend(_bases(classes[base][1]))
    return None
