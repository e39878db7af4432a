"""A package of the project that seeds when it is imported seeds the modules that import it.

pytorch-accelerated's `pytorch_accelerated/__init__.py` runs `set_seed(42)` (accelerate's, which
seeds Python's `random`, NumPy and torch) at import time, and its example scripts import the
package before they draw anything: `np.random.permutation` in `pets_finetune.py` is seeded on
every run although nothing in the examples folder seeds. Narrow on purpose: the package sits in
the project around the reviewed folder (a top-level package beside the project's `setup.py` or
`pyproject.toml`, or under `src/`), its `__init__.py` calls a seeder as a statement of the
module itself (not in a function, a branch or a `try`) with literal arguments only, and the
reviewed module imports the package (or one of its modules) at its own top level.
"""

from __future__ import annotations

import ast
from pathlib import Path

from team.review.outside import enclosing_project
from team.review.seedfacts import seed_kind
from team.review.sources import RepoIndex, SourceFile, load_source

__all__ = ["import_seeds", "seeding_packages"]


def seeding_packages(base: Path) -> dict[str, frozenset[str]]:
    """The project's packages whose `__init__.py` seeds on import, with what they seed.

    Example:
        >>> seeding_packages(Path("/"))
        {}
    """
    root = enclosing_project(base)
    if root is None:
        return {}
    out: dict[str, frozenset[str]] = {}
    for init in sorted([*root.glob("*/__init__.py"), *root.glob("src/*/__init__.py")]):
        name = init.parent.name
        if name.isidentifier() and (kinds := _seeds_on_import(load_source(init, name))):
            out[name] = kinds
    return out


def import_seeds(src: SourceFile, packages: dict[str, frozenset[str]]) -> set[str]:
    """What the seeding packages that `src` imports at its top level seed."""
    out: set[str] = set()
    for stmt in src.tree.body:
        if isinstance(stmt, ast.Import):
            names = [alias.name for alias in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            names = [stmt.module]
        else:
            continue
        for name in names:
            out |= packages.get(name.split(".")[0], frozenset())
    return out


def _seeds_on_import(init: SourceFile) -> frozenset[str]:
    repo = RepoIndex([init])
    kinds = {
        kind
        for stmt in init.tree.body
        if isinstance(stmt, ast.Expr) and isinstance(call := stmt.value, ast.Call)
        if call.args and all(isinstance(a, ast.Constant) for a in call.args)
        if (kind := seed_kind(repo.qualify(init, call.func) or "")) is not None
    }
    return frozenset(kinds)
