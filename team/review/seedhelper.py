"""A library module of a package that ships its own helper to seed every global generator.

RLCard's agents (`rlcard/agents/dqn_agent.py`, `nfsp_agent.py`) explore, sample their replay
memories and initialise their networks from numpy's, `random`'s and torch's global generators,
and nothing in `rlcard/agents` seeds. The package ships `rlcard.utils.set_seed(seed)`, which seeds
torch, numpy and `random` together, and its examples call it before they build an agent: the
seed of a run belongs to whoever runs the agents, with the helper the package gives them.

Narrow on purpose: the helper is a public function named for seeding and handed the seed
(`set_seed(seed)`, `seed_everything(seed)`, not a worker's initialiser) whose own body seeds at
least two of the global generators (numpy's, `random`'s, torch's, TensorFlow's), defined in the
reviewed folder's top package (the folder at the top of its `__init__.py` chain, read outside the
folder too) in a module that is no script and no example. Only draws inside the functions and
classes of a package module are silenced, where the module runs none of its own code (no
`__main__` guard, no top-level call of what it defines; RLCard's `Transition =
collections.namedtuple(...)` runs nothing of the agent) and no module of the folder that runs
its own code imports it. A script or example, in the package or outside it, stays reported when
it never seeds. So do a generator the module builds itself (Ultralytics' tuner's
`np.random.default_rng()`, which no global seed reaches) and the draws of a class or function
that takes a seed from its caller (pykt's `QueBaseModel(seed=0)`, which ignores it): there the
caller's seed is the module's to use. The helper is named in `--explain`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from team.review.catalog import GLOBAL_SEEDERS
from team.review.core import Finding, Note
from team.review.randomness import main_guard
from team.review.sources import MAX_BYTES, SourceFile, discover

__all__ = ["SeedHelper", "package_seed_helper", "runs_itself", "seeded_by_helper"]

_RULE = "unseeded-randomness"
# The usual import aliases, so a seeding call reads as the qualified name `GLOBAL_SEEDERS` holds.
_ALIASES = {"np": "numpy", "tf": "tensorflow"}
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# A generator the module builds itself (`np.random.default_rng()`): no global seed reaches it.
_OWN_GENERATOR = re.compile(r"default_rng\(|RandomState\(|Random\(|Generator\(")
_MENTIONS = re.compile(r"random\.seed\(|manual_seed\(|set_random_seed\(|random\.set_seed\(")


@dataclass(frozen=True)
class SeedHelper:
    """The package's function that seeds the global generators, and where it is defined."""

    name: str
    where: str

    def note(self) -> str:
        return (
            f"a library module of a package that ships {self.name}() to seed the global "
            f"generators ({self.where}): its draws are the caller's to seed"
        )


def package_seed_helper(base: Path) -> SeedHelper | None:
    """The first seeding helper (`_is_helper`) of the top package around `base`, if `base` is
    part of an importable package."""
    top = _top_package(base)
    if top is None:
        return None
    for file in sorted(discover(top)):
        if file.suffix != ".py":
            continue
        try:
            if file.stat().st_size > MAX_BYTES:
                continue
            text = file.read_text(errors="ignore")
        except OSError:
            continue
        rel = file.relative_to(top.parent).as_posix()
        if not _MENTIONS.search(text) or "example" in rel.lower():
            continue  # an example's helper is the example's, not the package's
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        if main_guard(tree):
            continue  # a script's helper seeds that script's run
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) and _is_helper(func):
                return SeedHelper(func.name, f"{rel}:{func.lineno}")
    return None


def seeded_by_helper(
    src: SourceFile, found: list[Finding], helper: SeedHelper | None, *, library_module: bool
) -> tuple[list[Finding], list[Note]]:
    """`found` without the `unseeded-randomness` findings inside the definitions of `src`
    when it is a library module (`library_module`: it sits in a package and no module that runs
    its own code imports it) of a package with a seeding helper; those become notes."""
    if helper is None or not library_module or runs_itself(src.tree):
        return found, []
    defined = [
        range(node.lineno, (node.end_lineno or node.lineno) + 1)
        for node in src.tree.body
        if isinstance(node, _DEFS) and not _takes_seed(node)
    ]
    mine = [
        f
        for f in found
        if f.rule == _RULE
        and f.path == src.rel
        and any(f.line in span for span in defined)
        and not _OWN_GENERATOR.search(f.evidence)
    ]
    notes = [Note(f.path, f.line, _RULE, helper.note()) for f in mine]
    return [f for f in found if f not in mine], notes


def runs_itself(tree: ast.Module) -> bool:
    """The module runs its own code: under a `__main__` guard, or a top-level statement calls
    a function or class it defines."""
    own = {node.name for node in tree.body if isinstance(node, _DEFS)}
    top = [stmt for stmt in tree.body if not isinstance(stmt, _DEFS)]
    return main_guard(tree) or any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in own
        for stmt in top
        for node in ast.walk(stmt)
    )


def _takes_seed(node: ast.stmt) -> bool:
    """A function or class whose functions take a seed from their caller (`seed`,
    `random_state`): the caller's seed is the module's to use, the helper's is not asked for."""
    return any(
        "seed" in a.arg.lower() or a.arg == "random_state"
        for func in ast.walk(node)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for a in [*func.args.args, *func.args.kwonlyargs]
    )


def _top_package(base: Path) -> Path | None:
    """The folder at the top of the `__init__.py` chain that holds `base`, or None."""
    top = None
    folder = base
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        top = folder
        folder = folder.parent
    return top


def _is_helper(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A public function named for seeding, handed the seed, that seeds two or more global
    generators: `set_seed(seed)`, `seed_everything(seed)`. A worker's initialiser
    (`seed_worker(worker_id)`, which reseeds from torch's seed) and private helpers are no
    entry point a caller is given."""
    name = func.name.lower()
    return (
        "seed" in name
        and "worker" not in name
        and not name.startswith("_")
        and bool(func.args.args or func.args.kwonlyargs)
        and len(_seeds(func)) > 1
    )


def _seeds(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The global generators the function's body seeds."""
    return {
        GLOBAL_SEEDERS[qual]
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and (qual := _qualified(ast.unparse(node.func))) in GLOBAL_SEEDERS
    }


def _qualified(spelled: str) -> str:
    """`np.random.seed` as `numpy.random.seed`: the module's usual alias spelled out."""
    head, dot, rest = spelled.partition(".")
    return f"{_ALIASES.get(head, head)}{dot}{rest}"
