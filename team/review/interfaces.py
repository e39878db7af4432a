"""What modules use of the classes that call them, as protocols.

`flow.Interpreter` calls the helpers in `calls`, `calltools`, `estimators`, `inline` and
`library`, `engine.Workspace` runs the interpreter, and `serving` builds the call graph that
`monitoring` reads; the called modules annotate with these protocols (named as the classes they
describe), so no module imports one that calls it and the package's imports point one way.
"""

from __future__ import annotations

import ast
from typing import Protocol

from team.review.funcs import Func
from team.review.scope import Scope
from team.review.sources import RepoIndex, SourceFile
from team.review.values import Data, Origin, Record

__all__ = ["CallGraph", "Interpreter", "Workspace"]


class Workspace(Protocol):
    """`engine.Workspace` as the interpreter sees it: the repository and other modules' globals."""

    repo: RepoIndex
    visited: set[int]

    def module_env(self, src: SourceFile) -> dict[str, object]: ...


class Interpreter(Protocol):
    """`flow.Interpreter` as its helpers see it: the state of one run and its evaluation steps."""

    ws: Workspace
    repo: RepoIndex
    entry: SourceFile
    record: Record
    quiet: bool
    steps: int
    active: set[int]
    entry_env: dict[str, object]

    def origin(self, sc: Scope, node: ast.AST) -> Origin: ...

    def lookup(self, sc: Scope, name: str) -> object | None: ...

    def resolve(self, qual: str) -> object | None: ...

    def exec_body(self, sc: Scope, body: list[ast.stmt]) -> None: ...

    def store_into(
        self, sc: Scope, name: str, base: Data, value: object, *, dated: bool = True
    ) -> None: ...

    def ev(self, sc: Scope, node: ast.expr | None) -> object: ...


class CallGraph(Protocol):
    """`serving.CallGraph` as the monitoring rule sees it: the functions, and what one reaches."""

    funcs: dict[tuple[str, str], Func]

    def reach(self, starts: list[tuple[str, str]]) -> set[tuple[str, str]]: ...
