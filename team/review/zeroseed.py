"""A seed of 0 taken for no seed: `seed or random.randint(1, 10000)`.

KerasTuner's `Oracle.__init__` sets `self.seed = seed or random.randint(1, 10000)`: a user who
passes `seed=0`, a common choice, gets a seed drawn at random, so the search they meant to fix
changes from run to run. Drawing a seed when none is given is deliberate (and not reported);
`or` also replaces the falsy seed 0. Reported where a name or attribute naming a seed is the left
side of `or` and the right side draws at random (`random.*`, `np.random.*`).

Not reported when the seed so chosen is assigned to a name that the same function both applies
(hands to a seeding call, `torch.manual_seed(seed)`) and prints or logs (`print(f"Using manual
seed: {seed}")`, ignite's DCGAN example, judged false on an earlier corpus): a drawn seed that
is logged and applied is reproducible from the log. Applied but never shown (ignite's
fast_neural_style), the run cannot be repeated, and it is reported.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import RepoIndex, SourceFile

__all__ = ["zero_seed_replaced"]


def zero_seed_replaced(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """One `unseeded-randomness` finding per `seed or <random draw>`."""
    out: list[Finding] = []
    owner = _owners(src.tree)
    recorded = {
        id(stmt.value)
        for stmt in ast.walk(src.tree)
        if isinstance(stmt, ast.Assign)
        and _applied_and_shown(owner[id(stmt)], {ast.unparse(t) for t in stmt.targets})
    }
    for node in ast.walk(src.tree):
        if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)):
            continue
        left, *rest = node.values
        if not (_names_seed(left) and any(_draws(src, repo, v) for v in rest)):
            continue
        if id(node) in recorded:
            continue  # the seed used is printed and applied: the run repeats from its log
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


# Calls that show a value to the person running the script, or write it to a log.
_SHOWS = frozenset({"print", "info", "debug", "warning", "log", "write", "log_param"})


def _owners(tree: ast.Module) -> dict[int, ast.AST]:
    """The innermost function (or the module) each node belongs to. `ast.walk` goes breadth
    first, so an inner function is walked after the one around it and overwrites it."""
    owner: dict[int, ast.AST] = {}
    scopes = [
        tree,
        *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
    ]
    for scope in scopes:
        for node in ast.walk(scope):
            owner[id(node)] = scope
    return owner


def _applied_and_shown(scope: ast.AST, names: set[str]) -> bool:
    """In `scope`, one of `names` is handed to a seeding call (`torch.manual_seed(seed)`) and
    printed or logged (`print(f"Using manual seed: {seed}")`)."""
    calls = [c for c in ast.walk(scope) if isinstance(c, ast.Call)]
    applied = any(
        "seed" in leaf_name(c.func).lower() and any(ast.unparse(a) in names for a in c.args)
        for c in calls
    )
    return applied and any(leaf_name(c.func) in _SHOWS and _mentions(c, names) for c in calls)


def _mentions(call: ast.Call, names: set[str]) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    return any(
        isinstance(sub, ast.Name | ast.Attribute) and ast.unparse(sub) in names
        for value in values
        for sub in ast.walk(value)
    )
