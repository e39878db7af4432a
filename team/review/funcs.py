"""One function of the repository and what it does: a leaf type of the serving call graph."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from team.review.features import FeatureDef
from team.review.sources import SourceFile

__all__ = ["Func"]


@dataclass
class Func:
    """One function (or a module's top-level code) and what it does, read from its AST."""

    key: tuple[str, str]
    node: ast.AST
    src: SourceFile
    calls: list[tuple[tuple[str, str], ast.Call]] = field(default_factory=list)
    predicts: list[ast.Call] = field(default_factory=list)
    monitors: bool = False
    route: str | None = None
    features: list[FeatureDef] | None = None
    excluded: frozenset[str] | None = None  # columns its feature selection leaves out by name
