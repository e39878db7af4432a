"""A seeding helper of the project around the folder, outside it, that the module calls.

views-hydranet's `train/training_engine.py` draws from torch's global generator (a family's
`sample(..., generator=None)`) and NumPy's (`np.random.rand`), and seeds neither by name: its
`training_loop` and `make` call `ReproducibilityGate.lock_entropy(np_seed=..., torch_seed=...)`,
a static method of a class in the package's `infrastructure/reproducibility_gate.py`, whose body
runs `random.seed`, `np.random.seed` and `torch.manual_seed` on entry. The review reads the
folder, so a helper outside it counted for nothing, and its name says nothing of a seed.

Narrow on purpose: the module calls, by a name it imports from a module of the enclosing project
(`outside.enclosing_project`) that lies outside the reviewed folder, a top-level function or a
static or class method of a top-level class (`Gate.lock_entropy(...)`) that returns no value
(a seeder, not a maker that seeds on its way to the data it returns, such as Keras'
`imdb.load_data`: `projectmaker.py` reads those); the helper seeds what a seeding call that is a
statement of its own body seeds (not one in a branch, a loop or a nested function), with an
argument that is not None when the module's call runs it. A helper that seeds nothing, only in a
branch, or from the OS (`np.random.seed()`, `torch.seed()`, a parameter the call leaves at a None
default) seeds nothing here, whatever its name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from team.review.outside import enclosing_project
from team.review.projectmaker import given_none, project_source
from team.review.seedfacts import seed_kind
from team.review.sources import RepoIndex, SourceFile

__all__ = ["HelperSeed", "project_helper_seeds"]

_Func = ast.FunctionDef | ast.AsyncFunctionDef
_CLASS_LEVEL = frozenset({"staticmethod", "classmethod"})


@dataclass(frozen=True)
class HelperSeed:
    """What the project's helpers outside the folder seed when the module calls them, and where
    the first is called (`training_engine.py:89 (ReproducibilityGate.lock_entropy)`)."""

    kinds: frozenset[str]
    where: str

    def note(self) -> str:
        return f"seeded by a helper of the project outside the reviewed folder: {self.where}"


def project_helper_seeds(src: SourceFile, repo: RepoIndex, base: Path) -> HelperSeed:
    """What the project's helpers outside `base` that `src` calls seed (no kinds: none)."""
    root = enclosing_project(base)
    seeds: set[str] = set()
    where = ""
    if root is None:
        return HelperSeed(frozenset(), where)
    calls = [n for n in ast.walk(src.tree) if isinstance(n, ast.Call)]
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        qual = repo.qualify(src, call.func) or ""
        if "." not in qual or repo.resolve(qual) is not None or seed_kind(qual):
            continue
        kinds = _helper_kinds(root, base, qual, call)
        if kinds and not kinds <= seeds:
            seeds |= kinds
            where = where or f"{src.rel}:{call.lineno} ({ast.unparse(call.func)})"
    return HelperSeed(frozenset(seeds), where)


def _helper_kinds(root: Path, base: Path, qual: str, call: ast.Call) -> set[str]:
    """What the helper `qual` names seeds, when `call` runs it, as statements of its own body;
    empty when `qual` names no function or class-level method of a project module outside
    `base`."""
    parts = qual.split(".")
    for cut in (len(parts) - 1, len(parts) - 2):
        home = project_source(root, base, ".".join(parts[:cut])) if cut > 0 else None
        func = _def_of(home.tree, parts[cut:]) if home is not None else None
        if home is not None and func is not None and not _returns_a_value(func):
            index = RepoIndex([home])
            calls = [s.value for s in func.body if isinstance(s, ast.Expr)]
            kinds = (
                seed_kind(index.qualify(home, c.func) or "")
                for c in calls
                if isinstance(c, ast.Call) and _fixed_seed(c, func, call)
            )
            return {k for k in kinds if k is not None}
    return set()


def _fixed_seed(seed: ast.Call, func: _Func, call: ast.Call) -> bool:
    """`seed` fixes a seed: `np.random.seed()`, `random.seed()` and `torch.seed()` seed from the
    OS, and so does a seed of None, such as a parameter defaulting to None that `call` leaves
    out (`lock_entropy()` with `np_seed=None`)."""
    arg = seed.args[0] if seed.args else next((k.value for k in seed.keywords if k.arg), None)
    if arg is None:
        return False
    if any(isinstance(d, ast.Name) and d.id == "classmethod" for d in func.decorator_list):
        call = ast.Call(call.func, [ast.Name("cls"), *call.args], call.keywords)  # binds `cls`
    return not given_none(arg, func, call)


def _returns_a_value(func: _Func) -> bool:
    """A maker that seeds on its way to data it returns (Keras' `imdb.load_data`) is no seeder:
    the seed is incidental to it, and the module's own draws are not its business."""
    return any(
        isinstance(n, ast.Return | ast.Yield | ast.YieldFrom) and n.value is not None
        for n in ast.walk(func)
    )


def _def_of(tree: ast.Module, names: list[str]) -> _Func | None:
    """`[f]`: the top-level function f; `[C, m]`: C's static or class method m."""
    if len(names) == 1:
        return next((s for s in tree.body if isinstance(s, _Func) and s.name == names[0]), None)
    cls = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == names[0]), None)
    for stmt in cls.body if cls is not None else ():
        if (
            isinstance(stmt, _Func)
            and stmt.name == names[1]
            and any(isinstance(d, ast.Name) and d.id in _CLASS_LEVEL for d in stmt.decorator_list)
        ):
            return stmt
    return None
