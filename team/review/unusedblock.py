"""Code marked unused: a finding inside it reports nothing a run computes.

TabPFN's `scripts/tabular_baselines.py` keeps old baselines under a module-level string
`LEGACY UNUSED`; `mlp_acc` there trains a PyTorch model, but nothing in the repository names it
(and it cannot even run). A top-level function after such a marker, whose name nothing in the
reviewed repository reads, is dead code: its unseeded randomness is noted, not reported.
"""

from __future__ import annotations

import ast
import re

from team.review.core import Finding, Note
from team.review.sources import SourceFile

__all__ = ["in_unused_block"]

_RULE = "unseeded-randomness"
_MARKER = re.compile(r"\bunused\b", re.I)
_LINE = re.compile(r"\bline (\d+)")


def in_unused_block(
    src: SourceFile, mentioned: frozenset[str], found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings inside a top-level function after an
    `unused` marker that nothing names (`mentioned`: every name the repository reads), with
    every line the finding lists inside that function; and a note at each, for `--explain`."""
    dead = _dead_functions(src.tree, mentioned)
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        func = _holding(dead, finding) if finding.rule == _RULE else None
        if func is None:
            kept.append(finding)
        else:
            why = f"in {func.name}(), in a block marked unused that nothing calls"
            notes.append(Note(finding.path, finding.line, finding.rule, why))
    return kept, notes


def _dead_functions(tree: ast.Module, mentioned: frozenset[str]) -> list[ast.FunctionDef]:
    """Top-level functions after a module-level string saying `unused`, named nowhere."""
    out: list[ast.FunctionDef] = []
    marked = False
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            marked = marked or bool(_MARKER.search(stmt.value.value))
        elif marked and isinstance(stmt, ast.FunctionDef) and stmt.name not in mentioned:
            out.append(stmt)
    return out


def _holding(funcs: list[ast.FunctionDef], finding: Finding) -> ast.FunctionDef | None:
    lines = {finding.line, *(int(n) for n in _LINE.findall(finding.message))}
    for func in funcs:
        if all(func.lineno <= line <= (func.end_lineno or func.lineno) for line in lines):
            return func
    return None
