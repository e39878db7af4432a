"""A training loop on what its callers hand it, whose caller in the repository draws unseeded.

panelclv's `training/training_utils.py` runs `loss.backward()` in `train_one_epoch()` on the
model and loaders that `fit_model()` is given, and builds nothing random itself (its `wandb.log`
and `raise optuna.TrialPruned()` draw nothing). The package's own tuner,
`tuning/optuna_tuning.py`, calls `fit_model()` for every Optuna trial with a fresh
`MultinomialLSTMModel` (an `nn.LSTM`, `nn.Linear` layers, dropout) and seeds no torch generator,
so the trial values it ranks differ from run to run. The finding stays at the loop and names the
draws its caller makes, down to the layer that draws.

Read here: the loop's top-level function, and the functions of its module that call it, called
from another module of the repository (not a test) that calls no seeding function (`manual_seed`,
`set_seed`, `seed_everything`, anything named for a seed); that module's draws that surely draw
(a shuffled `DataLoader`, a torch layer, init or dropout, a class of the repository whose own
body builds one). A loop inside a class, or one whose callers all seed, is left as it was.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from team.review.calltools import leaf_name
from team.review.randomness import Usage, torch_draws
from team.review.serving import is_test_file
from team.review.sources import RepoIndex, SourceFile

__all__ = ["CallerDraws", "caller_draws"]

_DEPTH = 3  # repository classes followed to the layer that draws


@dataclass(frozen=True)
class CallerDraws:
    """Where a caller in the repository hands the loop what it trains, and what draws there.

    Attributes:
        caller: `objective() (tuning/optuna_tuning.py:533)`: the call of the loop's function.
        draws: (where, what) of each sure draw of the caller's module, in line order:
            `("tuning/optuna_tuning.py:252", "MultinomialLSTMModel() (torch.nn.Linear() at
            models/multinomial_lstm.py:181)")`.
    """

    caller: str
    draws: tuple[tuple[str, str], ...]


def caller_draws(
    repo: RepoIndex, src: SourceFile, use: Usage, loop: ast.Call
) -> CallerDraws | None:
    """The unseeded caller of the top-level function holding `loop` and its draws; else None."""
    targets = _loop_functions(use, loop, src.tree)
    if not targets:
        return None
    for other in repo.sources:
        if other is src or is_test_file(other.rel) or _seeds(other.tree):
            continue
        calls = [
            c
            for c in ast.walk(other.tree)
            if isinstance(c, ast.Call) and _calls(repo, other, c, src, targets)
        ]
        if not calls:
            continue
        draws = _sure_draws(repo, other)
        if draws:
            call = calls[0]
            where = _function_name(other.tree, call)
            return CallerDraws(f"{where} ({other.rel}:{call.lineno})", tuple(draws))
    return None


def _loop_functions(use: Usage, loop: ast.Call, tree: ast.Module) -> set[str]:
    """The top-level function holding `loop`, and the top-level functions of the module that
    call it (`fit_model()` calling `train_one_epoch()`), transitively; empty inside a class."""
    node: ast.AST | None = loop
    while node is not None and use.up(node) is not tree:
        node = use.up(node)
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    funcs = [s for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    names = {node.name}
    grew = True
    while grew:
        callers = {
            f.name
            for f in funcs
            if f.name not in names
            and any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(f))
        }
        names |= callers
        grew = bool(callers)
    return names


def _calls(
    repo: RepoIndex, other: SourceFile, call: ast.Call, src: SourceFile, names: set[str]
) -> bool:
    qual = repo.qualify(other, call.func)
    found = repo.resolve(qual) if qual else None
    return (
        found is not None
        and found[0] is src
        and isinstance(found[1], ast.FunctionDef | ast.AsyncFunctionDef)
        and found[1].name in names
    )


def _seeds(tree: ast.Module) -> bool:
    """A call named for a seed (`torch.manual_seed(0)`, `set_seed(cfg.seed)`, `seed_everything`)."""
    return any(
        isinstance(n, ast.Call) and "seed" in leaf_name(n.func).lower() for n in ast.walk(tree)
    )


def _function_name(tree: ast.Module, call: ast.Call) -> str:
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            stmt.lineno <= call.lineno <= (stmt.end_lineno or stmt.lineno)
        ):
            return f"{stmt.name}()" if not isinstance(stmt, ast.ClassDef) else stmt.name
    return "the module"


def _sure_draws(repo: RepoIndex, home: SourceFile) -> list[tuple[str, str]]:
    """(where, what) of what surely draws in the module `home`: a shuffled loader, a torch
    layer, init, dropout or draw, and a repository class or function that builds one, named
    with the draw inside it."""
    return [
        (where, what if origin == (where, what) else f"{_leaf(what)} ({origin[1]} at {origin[0]})")
        for where, what, origin in _draws_in(repo, home, None, 0)
    ]


def _draws_in(
    repo: RepoIndex, home: SourceFile, node: ast.stmt | None, depth: int
) -> list[tuple[str, str, tuple[str, str]]]:
    """(where, what, the torch draw it comes down to) for each sure draw in `node`."""
    local = repo.defs(home)  # a class of the module itself (`_MultinomialLSTMBackbone`)
    roots = {q.split(".")[0] for q in repo.imports(home).values()} | set(local)
    body = [node] if node is not None else home.tree.body
    model, data = torch_draws(
        ast.Module(body=body, type_ignores=[]),
        lambda n: repo.qualify(home, n),
        roots,
    )
    out: list[tuple[str, str, tuple[str, str]]] = []
    for line, what in [*model, *data]:
        where = f"{home.rel}:{line}"
        if what.startswith(("torch.", "DataLoader", ".")):
            out.append((where, what, (where, what)))
            continue
        found = (home, local[what[:-2]]) if what[:-2] in local else repo.resolve(what[:-2])
        if found is None or not isinstance(found[1], ast.stmt) or depth >= _DEPTH:
            continue
        inner = _draws_in(repo, found[0], found[1], depth + 1)
        if inner:
            out.append((where, what, inner[0][2]))
    return out


def _leaf(what: str) -> str:
    """`MultinomialLSTMModel()` for `src.panelclv.models.multinomial_lstm.MultinomialLSTMModel()`."""
    return what.rsplit(".", 1)[-1]
