"""A draw in a function that no code of its package reaches: the caller, outside, owns the seed.

pytorch-tabular's ssl_models/common/augmentations.py defines `cutmix` and `mixup`, which mix a
batch with unseeded numpy and torch draws; no module of the package imports the file, nothing
names the functions, and the package's own pretraining path seeds before it trains. Whoever
calls `cutmix` does it from outside the package and seeds there (or not): the draw is the
augmentation itself, and no number the package reports depends on it.

Narrow on purpose, since a published helper nothing calls may still be run by hand:
- the package is reviewed whole, and no module of it imports the file; or modules import it
  and it is no script, so they reach its functions only by name (auto-sklearn's
  metalearner.py, imported by mismbo.py for its optimizer class, defines a dummy
  `test_function` returning `np.random.random()` that no module names) (`engine.py` decides);
- the function takes no seed (`make_mixed_dataset(..., random_state=42)` that leaves one draw
  unseeded is its own gap, whoever calls it);
- the draw sits in a top-level function that its module never names (`uncalled_hook`);
- no module of the repository mentions the function's name, as a name, an attribute, an
  imported name or a string (`dataset.load(...)` from an import the review could not resolve
  still counts as a call);
- the function fits and scores nothing itself. tsml-eval's `_tune_window`, which no module
  calls either, fits `TimeSeriesKMeans` per window and keeps the best Davies-Bouldin score: an
  experiment of its own whose result the missing seed changes, still reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from team.review.calltools import leaf_name
from team.review.catalog import CV_FUNCTIONS, RICH_METRIC_NAMES, is_metric_name, words
from team.review.randomness import (
    Usage,
    enclosing_function,
    runs_nothing_on_import,
    uncalled_hook,
)

__all__ = ["learns_or_scores", "mentioned_names", "unreached_function"]

_LEARNS = words("fit partial_fit fit_predict fit_transform fit_resample train backward evaluate")
_SEED_PARAM = re.compile(r"seed|random_state|^rng$", re.I)
_SCORES = RICH_METRIC_NAMES | CV_FUNCTIONS | words("score classification_report")


def mentioned_names(trees: Iterable[ast.Module]) -> frozenset[str]:
    """Every name the modules read, every attribute, imported name and identifier-like string:
    what could call a function of that name."""
    out: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                out.add(node.id)
            elif isinstance(node, ast.Attribute):
                out.add(node.attr)
            elif isinstance(node, ast.alias):
                out.add((node.asname or node.name).rsplit(".", 1)[-1])
                out.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.Constant) and str(node.value).isidentifier():
                out.add(str(node.value))
    return frozenset(out)


def unreached_function(
    use: Usage,
    call: ast.Call,
    tree: ast.Module,
    mentioned: frozenset[str],
    *,
    classes: bool = False,
) -> str | None:
    """The name of the top-level function around `call` when nothing in the repository names
    it, it takes no seed and it fits and scores nothing; else None. `classes`: the module is
    left out where its neighbours are imported, and a method of a class nothing names counts
    too (a one-module library's class is its users' to name, so not without it)."""
    name = uncalled_hook(use, call, tree)
    if name is None:
        return _unnamed_class_method(use, call, tree, mentioned) if classes else None
    if name in mentioned:
        return None
    func = next(
        stmt
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name
    )
    return None if _owns_its_draws(func) else name


def _unnamed_class_method(
    use: Usage, call: ast.Call, tree: ast.Module, mentioned: frozenset[str]
) -> str | None:
    """`CIFAR10_Dataset.__init__` when `call` sits in a method of a top-level class that no
    module names, in a module that runs nothing on import: ADBench's Deep SAD dataset classes,
    whose imports are commented out, draw the known outlier classes in `__init__`."""
    func = enclosing_function(use, call)
    cls = use.up(func) if func is not None else None
    if (
        func is None
        or not isinstance(cls, ast.ClassDef)
        or use.up(cls) is not tree
        or cls.name in mentioned
        or not runs_nothing_on_import(tree)
        or _owns_its_draws(func)
    ):
        return None
    return f"{cls.name}.{func.name}"


def _owns_its_draws(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """It takes a seed, or it fits or scores something itself."""
    return _takes_a_seed(func) or any(learns_or_scores(node) for node in ast.walk(func))


def _takes_a_seed(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`make_mixed_dataset(..., random_state=42)`: a function given a seed owns its draws, and
    one it leaves unseeded is its own gap, whoever calls it."""
    args = func.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    return any(_SEED_PARAM.search(name) for name in names)


def learns_or_scores(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = leaf_name(func)
    return called in _LEARNS or called in _SCORES or is_metric_name(called)
