"""A draw in a function that only a seeding runner of another module calls, after its seed.

SpikingJelly's `ilc_san/replay_buffer_norm.py` samples its replay buffer with `np.random.randint`
in `ReplayBuffer.sample_batch`, and nothing in that module seeds. The one module that calls
`sample_batch`, `hybrid_td3_cuda_norm.py`, calls `setup_seed(seed)` at the top of the training
function whose loop samples the buffer (a helper that seeds torch, numpy and `random`); the
test script imports the buffer too, but only rebuilds it and never samples it. Every run of the
draw is seeded, so the missing seed is no one's.

Narrow on purpose: the draw sits in a top-level function or a method of a top-level class (not
`__init__`, which any construction runs); some module importing this one calls it by name; and
every such call follows, in the same top-level function of the caller (or at the caller's top
level), a call that seeds every generator (`setup_seed`, `seed_everything`, `set_seed`: `seed_kind`
"all"). A call of it from its own module, a caller that seeds after the call, or one that seeds
only torch leaves the draw reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from team.review.core import Finding, Note
from team.review.hygiene import seed_kind
from team.review.sources import RepoIndex, SourceFile

__all__ = ["RunnerSeed", "runner_seeded"]

_RULE = "unseeded-randomness"
_Func = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class RunnerSeed:
    """Every call of `name` in the modules that import its module follows a seed: the first."""

    name: str
    path: str
    line: int

    def note(self) -> str:
        return (
            f"{self.name}() is called only after a seed of every generator, in {self.path} "
            f"(seeded at line {self.line})"
        )


def runner_seeded(
    src: SourceFile, repo: RepoIndex, found: list[Finding], importers: Iterable[str]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings in a function that the modules importing
    `src` (`importers`, relative paths) call only after seeding every generator, and a note,
    for `--explain`, at each of them."""
    users = [s for s in repo.sources if s.rel in set(importers)]
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        name = _function_at(src.tree, finding.line) if finding.rule == _RULE else None
        seed = _seeded_callers(src, repo, users, name) if name else None
        if seed is None:
            kept.append(finding)
        else:
            notes.append(Note(finding.path, finding.line, finding.rule, seed.note()))
    return kept, notes


def _function_at(tree: ast.Module, line: int) -> str | None:
    """The name of the top-level function, or of the top-level class's method other than
    `__init__`, whose body holds `line`."""
    for node in tree.body:
        funcs = node.body if isinstance(node, ast.ClassDef) else [node]
        for func in funcs:
            if isinstance(func, _Func) and func.lineno <= line <= (func.end_lineno or func.lineno):
                return None if func.name == "__init__" else func.name
    return None


def _seeded_callers(
    src: SourceFile, repo: RepoIndex, users: list[SourceFile], name: str
) -> RunnerSeed | None:
    if _calls_of(src.tree, name):
        return None  # run from its own module too: its callers there are not read
    first: RunnerSeed | None = None
    for user in users:
        for scope, call in _scoped_calls(user.tree, name):
            if isinstance(scope, ast.ClassDef):
                return None  # a class's run of it: `trainerseed.py` reads those
            line = _seed_before(user, repo, scope, call.lineno)
            if line is None:
                return None
            first = first or RunnerSeed(name, user.rel, line)
    return first


def _calls_of(tree: ast.AST, name: str) -> list[ast.Call]:
    """Calls of `name(...)` or `<anything>.name(...)` under `tree`."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def _scoped_calls(tree: ast.Module, name: str) -> list[tuple[ast.AST, ast.Call]]:
    """Each call of `name` with the top-level statement that holds it (a function, a class or
    the module itself for a bare statement)."""
    out: list[tuple[ast.AST, ast.Call]] = []
    for stmt in tree.body:
        scope = stmt if isinstance(stmt, _Func | ast.ClassDef) else tree
        out.extend((scope, call) for call in _calls_of(stmt, name))
    return out


def _seed_before(user: SourceFile, repo: RepoIndex, scope: ast.AST, line: int) -> int | None:
    """The line of a call seeding every generator in `scope` before `line`, else None. At the
    module's top level only the top-level statements count (a function defined there may never
    run)."""
    body = scope.body if isinstance(scope, ast.Module) else [scope]
    for stmt in body:
        if isinstance(stmt, _Func | ast.ClassDef) and scope is not stmt:
            continue
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and node.lineno < line
                and seed_kind(repo.qualify(user, node.func) or "") == "all"
            ):
                return node.lineno
    return None
