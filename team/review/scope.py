"""One function activation of the interpreter: a leaf type that its helpers annotate with."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from team.review.sources import SourceFile

__all__ = ["Scope"]


@dataclass
class Scope:
    """One function activation: its file, locals, globals and the calls that led to it."""

    src: SourceFile
    env: dict[str, object]
    globals: dict[str, object] | None
    frames: tuple[tuple[str, int], ...] = ()
    loops: tuple[tuple[ast.AST, str], ...] = ()
    func: ast.AST | None = None
    returns: list[object] = field(default_factory=list)
