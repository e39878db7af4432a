"""A seed of 0 taken for no seed: `seed or random.randint(1, 10000)`.

KerasTuner's `Oracle.__init__` sets `self.seed = seed or random.randint(1, 10000)`: a user who
passes `seed=0`, a common choice, gets a seed drawn at random, so the search they meant to fix
changes from run to run. Drawing a seed when none is given is deliberate (and not reported);
`or` also replaces the falsy seed 0. Reported where a name or attribute naming a seed is the left
side of `or` and the right side draws at random (`random.*`, `np.random.*`).
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.core import Finding
from team.review.rules import make_finding
from team.review.sources import RepoIndex, SourceFile

__all__ = ["zero_seed_replaced"]


def zero_seed_replaced(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """One `unseeded-randomness` finding per `seed or <random draw>`."""
    out: list[Finding] = []
    for node in ast.walk(src.tree):
        if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)):
            continue
        left, *rest = node.values
        if not (_names_seed(left) and any(_draws(src, repo, v) for v in rest)):
            continue
        out.append(
            make_finding(
                src,
                "unseeded-randomness",
                node.lineno,
                f"`{ast.unparse(node)}` takes a seed of 0 for no seed: a caller who passes 0 "
                "gets a seed drawn at random, and results that change from run to run. Test "
                f"`{ast.unparse(left)} is None` instead.",
                trace=(f"random: a seed of 0 replaced by a draw ({src.rel}:{node.lineno})",),
            )
        )
    return out


def _names_seed(node: ast.expr) -> bool:
    return "seed" in leaf_name(node).lower()


def _draws(src: SourceFile, repo: RepoIndex, node: ast.expr) -> bool:
    """`random.randint(...)`, `np.random.randint(...)`: a call into Python's or numpy's
    random module."""
    if not isinstance(node, ast.Call):
        return False
    qual = repo.qualify(src, node.func) or ""
    return qual.startswith(("random.", "numpy.random.")) and qual.count(".") <= 2
