"""A library call that the repository seeds in one place and leaves unseeded in another.

A library's own examples pass `seed=` / `random_seed=` to what draws at random (`Fedot(...,
seed=42)`, `Client(random_seed=42)`, `MF(seed=123)`): a call of the same name elsewhere in the
repository, with no seed keyword and no seed set in its module, gives a different result every
run. scikit-learn's `random_state`, which examples pass by habit to estimators that draw nothing
by default, does not count, nor do the libraries whose random calls are catalogued by name or
that seed themselves by default (CatBoost's `random_seed=0`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from team.review.catalog import words
from team.review.randomness import Usage
from team.review.receivers import ambiguous_method, own_method, own_method_by_keywords
from team.review.sources import RepoIndex, SourceFile

__all__ = [
    "SeededCall",
    "built_with_seed",
    "given_seed",
    "library_key",
    "own_def",
    "seeded_elsewhere_msg",
    "seeds_a_library_call",
]

_SEED_KEYWORDS = frozenset({"seed", "random_state", "random_seed"})
_LIBRARY_SEEDS = frozenset({"seed", "random_seed"})
# Catalogued by name elsewhere (estimators, splits, draws), or deterministic or seeded by default
# (gradient boosting with bagging off, CatBoost's seed 0, gensim's 1, fastText's 0, Hugging Face
# TrainingArguments' 42).
_SKIPPED_ROOTS = words(
    "sklearn numpy random torch tensorflow keras jax scipy catboost lightgbm xgboost gensim "
    "fasttext transformers"
)


@dataclass(frozen=True)
class SeededCall:
    """Where the repository gives a library call a seed, and whether it also shuffles there."""

    path: str
    line: int
    shuffles: bool

    def __str__(self) -> str:
        return f"{self.path} (line {self.line})"


def _unset(value: ast.expr | None) -> bool:
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


def given_seed(call: ast.Call) -> bool:
    """The call is given a seed (`seed=17`, `random_state=0`, `random_seed=SEED`)."""
    return any(k.arg in _SEED_KEYWORDS and not _unset(k.value) for k in call.keywords)


def seeds_a_library_call(call: ast.Call) -> bool:
    """Given `seed=` or `random_seed=` with a value."""
    return any(k.arg in _LIBRARY_SEEDS and not _unset(k.value) for k in call.keywords)


def own_def(src: SourceFile, repo: RepoIndex, func: ast.expr) -> bool:
    """`train_test_split(df, horizon)` where the module defines `train_test_split` itself
    (FEDOT's forecasting example splits each series into head and tail, no randomness) and does
    not import the name: the module's own function, not the library's of the same name."""
    return (
        isinstance(func, ast.Name)
        and func.id in repo.defs(src)
        and func.id not in repo.imports(src)
    )


def library_key(src: SourceFile, repo: RepoIndex, call: ast.Call, qual: str) -> str | None:
    """`fedot.Fedot` for `Fedot(...)` imported from outside the repository; None for the
    repository's own code (a call whose keywords its own method of that name takes,
    `self.datamodule.copy(train=df, seed=1)`, included), seeding helpers and the skipped
    libraries."""
    root, _, rest = qual.partition(".")
    last = qual.rsplit(".", 1)[-1]
    if not rest or root in _SKIPPED_ROOTS or "seed" in last.lower():
        return None
    if repo.resolve(qual) is not None or own_def(src, repo, call.func):
        return None
    if own_method(src, repo, call) or ambiguous_method(src, repo, call):
        return None  # `self.evaluate(...)`: the class's own method, not another class's
    if own_method_by_keywords(src, repo, call):
        return None  # `self.datamodule.copy(seed=1)`: `Datamodule.copy(self, seed=None)`'s
    return f"{root}.{last}"


def built_with_seed(tree: ast.Module, use: Usage, name: str, *, depth: int = 1) -> bool:
    """The object being trained was made by a call given a seed (`with
    nengo_dl.Simulator(net, seed=seed) as sim:` then `sim.fit(...)`), or from a model that was
    (`nengo_dl.Simulator(net)` on `nengo.Network(seed=0)`, whose seed the simulator takes): it
    seeds its own weights and shuffling."""
    made = list(use.assigned.get(name, []))
    made += [
        item.context_expr
        for node in ast.walk(tree)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name
    ]
    return bool(made) and all(
        isinstance(m, ast.Call)
        and (
            given_seed(m)
            or (
                depth > 0
                and bool(m.args)
                and isinstance(m.args[0], ast.Name)
                and built_with_seed(tree, use, m.args[0].id, depth=depth - 1)
            )
        )
        for m in made
    )


def _inside_seeded_with(use: Usage, call: ast.Call) -> bool:
    """Built in the body of `with nengo.Network(seed=0) as net:`: the context seeds what is
    made in it."""
    parent = use.up(call)
    while parent is not None:
        if isinstance(parent, ast.With | ast.AsyncWith) and any(
            isinstance(item.context_expr, ast.Call) and given_seed(item.context_expr)
            for item in parent.items
        ):
            return True
        parent = use.up(parent)
    return False


def _seeded_another_way(use: Usage, call: ast.Call, tree: ast.Module, seeded: SeededCall) -> bool:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    if any(k in kw for k in _SEED_KEYWORDS):
        return True  # a seed keyword given, even None: the author chose it
    shuffle = kw.get("shuffle")
    if seeded.shuffles and not (isinstance(shuffle, ast.Constant) and shuffle.value is True):
        return True  # seeded where it shuffles; here it keeps its order
    given = call.args[0] if call.args else None
    if isinstance(given, ast.Name) and built_with_seed(tree, use, given.id, depth=0):
        return True  # `Simulator(net)` on a network built with a seed
    return _inside_seeded_with(use, call)


def seeded_elsewhere_msg(
    use: Usage, call: ast.Call, tree: ast.Module, last: str, seeded: SeededCall
) -> str | None:
    """The finding's text for a library call the repository seeds elsewhere, or None when this
    one is seeded another way. (What it builds may be configured rather than fitted, `client =
    Client()` then `client.configure_experiment(...)`: whether it is used at all is asked later.)"""
    if _seeded_another_way(use, call, tree, seeded) or id(call) in use.decorating:
        return None
    return (
        f"{last} without a seed, while {seeded} gives it one (the library draws at random): "
        "results change from run to run"
    )
