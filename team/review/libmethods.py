"""A bare draw in a method of a library's class: the program that uses the class owns the seed.

Flair's trainers are a package folder of library modules: `ModelTrainer._sample_train_split`
shuffles the training indices with `random.shuffle`, `TextDataset.__getitem__` shuffles the lines
of a training file. Neither module runs anything when imported, neither is a script, and
neither seeds anything of its own: Flair leaves the seed to its caller (`flair.set_seed`, which
seeds `random`, numpy and torch before the trainer is built). The experiment whose results the
draw changes is the caller's, outside the package; the review reports it there.

Narrow on purpose, so a script's draw and a library that seeds some draws but not others stay
reported:
- the module sits in an importable package (its folder holds an `__init__.py`) and is no
  script (no `__main__` guard, nothing run at import beyond naming its logger);
- the draw is a bare `random.*` / `np.random.*` draw in a method of a class;
- no script of the reviewed folder imports the module, directly or through other modules
  (`run_by_a_script`): a script there that builds the class and reports a score runs the
  draw, and its missing seed is reported;
- no module of the reviewed folder seeds anything: no `seed()` / `manual_seed()` call and no
  `seed=` / `random_state=` given a value (`seeds_anything`, asked of every module by the
  engine). pytorch-tabular seeds numpy in `TabularModel.fit` but not on its sweep and tuner
  paths, so NODE's `np.random.beta` thresholds in a layer class are the library's own gap,
  still reported; and only bare draws are let go, so mlforecast's `RandomForestRegressor()`
  tuned beside a seeded Optuna sampler is reported too.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Set

from team.review.calltools import leaf_name
from team.review.randomness import Usage, is_script

__all__ = ["class_helper", "library_method_reason", "run_by_a_script", "seeds_anything"]

_SEED_KEYWORDS = frozenset({"seed", "random_state", "random_seed", "rng"})
_SEED_CALLS = frozenset({"seed", "manual_seed", "set_seed", "set_random_seed", "seed_everything"})


def library_method_reason(
    use: Usage, call: ast.Call, tree: ast.Module, *, caller_seeds: bool
) -> str | None:
    """Why a bare draw in a library class's method is its caller's to seed; else None.
    `caller_seeds`: the module's folder is an importable package (it holds an `__init__.py`)
    and no module reviewed with it seeds anything, so the library leaves every seed to its
    caller."""
    if not caller_seeds or is_script(tree):
        return None
    owner = _method_owner(use, call)
    if owner is None:
        return None
    return (
        f"a draw in a method of {owner}, a class of a library that seeds nothing and runs "
        "nothing itself: the program that uses it owns the seed"
    )


def class_helper(use: Usage, node: ast.AST, tree: ast.Module) -> str | None:
    """The private top-level function holding `node` when only methods of the module's classes
    use it, in a module that runs nothing when imported; else None. torchensemble's
    `_parallel_fit_per_epoch` trains one estimator for `BaggingClassifier.fit`, which hands it
    to joblib: the class's training loop, moved out of the class, seeded by whoever fits it.
    A public function (no leading underscore) may be called by a user's script directly."""
    func, parent = None, use.up(node)
    while parent is not None and not isinstance(parent, ast.Module):
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            func = parent
        parent = use.up(parent)
    if func is None or use.up(func) is not tree or not func.name.startswith("_"):
        return None
    loads = use.loads.get(func.name, [])
    if not loads or not all(_inside_class(use, load) for load in loads):
        return None
    return func.name if not is_script(tree) else None


def _inside_class(use: Usage, node: ast.AST) -> bool:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.ClassDef):
        parent = use.up(parent)
    return parent is not None


def _method_owner(use: Usage, node: ast.AST) -> str | None:
    """The class whose method (directly) holds `node`, else None."""
    func, parent = None, use.up(node)
    while parent is not None:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef) and func is None:
            func = parent
        elif isinstance(parent, ast.ClassDef):
            return parent.name if func is not None and use.up(func) is parent else None
        parent = use.up(parent)
    return None


def seeds_anything(tree: ast.Module) -> bool:
    """A seed call (`random.seed`, `torch.manual_seed`) or a seed keyword given a value."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = leaf_name(func)
        if name in _SEED_CALLS:
            return True
        for keyword in node.keywords:
            given = keyword.value
            if keyword.arg in _SEED_KEYWORDS and not (
                isinstance(given, ast.Constant) and given.value is None
            ):
                return True
    return False


def run_by_a_script(
    importers: Mapping[str, Set[str]], rel: str, runs: Callable[[str], bool]
) -> bool:
    """Some module that runs (`runs`: a script) imports `rel`, directly or through modules
    that import it."""
    seen, todo = {rel}, [rel]
    while todo:
        for user in importers.get(todo.pop(), ()):
            if user in seen:
                continue
            if runs(user):
                return True
            seen.add(user)
            todo.append(user)
    return False
