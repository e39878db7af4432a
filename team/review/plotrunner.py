"""A draw in a class whose only runner plots what the class returns: no result depends on it.

ML-From-Scratch's `unsupervised_learning/k_means.py` defines `KMeans`, whose
`_init_random_centroids` picks the starting centroids with `np.random.choice`, and a `main()`
that the module's `__main__` guard runs: it clusters a fresh `datasets.make_blobs()` sample with
`KMeans(k=3).predict(X)` and only draws the predicted and the true clusters with
`MatplotlibWrapper().plot_in_2d(...)`. No score is computed or printed and nothing is saved or
returned, and no other module of the folder uses `KMeans`: the draw changes a picture, not a
result (PAM's medoids and the Gaussian mixture's means in the same package alike).

Read here: a bare draw anywhere inside a top-level class `C` of a module that runs nothing when
imported but a `__main__` guard; every use of `C` in the module sits in a top-level function
that only the guard calls and that returns nothing, and every call in that function is `C(...)`,
a `fit`/`predict`-like method of what `C(...)` built, a data maker (`make_blobs`, `load_iris`),
a plotting call (named for a plot, `scatter`, `imshow`, `show`, `savefig`, `title`), or a
constructor whose object only receives plotting calls. No other module of the folder names `C`
(an `__init__.py` re-export names it in an import only). A runner that prints, scores, saves or
returns anything, or a class another module uses, stays reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.picturedemo import main_block
from team.review.randomness import Usage, runs_nothing_on_import

__all__ = ["plotted_class_reason"]

_RUNS = words("fit predict fit_predict transform fit_transform cluster")
_PICTURE = words(
    "scatter imshow show savefig title suptitle xlabel ylabel legend figure subplot subplots "
    "colorbar tight_layout"
)


def plotted_class_reason(
    use: Usage, call: ast.Call, tree: ast.Module, others: Iterable[ast.Module]
) -> str | None:
    """Why a draw in a class changes no result: its only runner plots what the class returns.

    Example:
        >>> tree = ast.parse(
        ...     "class KMeans:\\n    def predict(self, X):\\n        return np.random.choice(3)\\n"
        ...     "def main():\\n    plt.scatter(KMeans().predict(make_blobs()[0]))\\n"
        ...     "if __name__ == '__main__':\\n    main()\\n"
        ... )
        >>> why = plotted_class_reason(Usage(tree), tree.body[0].body[0].body[0].value, tree, [])
        >>> why.split(":")[0]
        'a draw in KMeans, whose only runner, main(), plots what it returns and scores, prints, saves and returns nothing'
    """
    owner = _top_class(use, call, tree)
    if owner is None or not runs_nothing_on_import(tree):
        return None
    runners: dict[str, ast.FunctionDef] = {}
    for load in use.loads.get(owner.name, []):
        if _inside(use, load, owner):
            continue
        runner = _top_function(use, load, tree)
        if runner is None:
            return None
        runners[runner.name] = runner
    if not runners or any(_named_elsewhere(owner.name, t) for t in others):
        return None
    for runner in runners.values():
        if not _only_plots(runner, owner.name) or not _run_by_guard(use, runner, tree, others):
            return None
    names = ", ".join(f"{n}()" for n in sorted(runners))
    return (
        f"a draw in {owner.name}, whose only runner, {names}, plots what it returns and scores, "
        "prints, saves and returns nothing: the draw changes a picture, no result"
    )


def _top_class(use: Usage, node: ast.AST, tree: ast.Module) -> ast.ClassDef | None:
    return next(
        (a for a in use.ancestors(node) if isinstance(a, ast.ClassDef) and a in tree.body), None
    )


def _top_function(use: Usage, node: ast.AST, tree: ast.Module) -> ast.FunctionDef | None:
    top = next((a for a in use.ancestors(node) if a in tree.body), None)
    return top if isinstance(top, ast.FunctionDef) else None


def _inside(use: Usage, node: ast.AST, outer: ast.AST) -> bool:
    return any(a is outer for a in use.ancestors(node))


def _named_elsewhere(name: str, tree: ast.Module) -> bool:
    """`tree` uses `name` (a load or an attribute), beyond importing it."""
    return any(
        (isinstance(n, ast.Name) and n.id == name)
        or (isinstance(n, ast.Attribute) and n.attr == name)
        for n in ast.walk(tree)
    )


def _run_by_guard(
    use: Usage, runner: ast.FunctionDef, tree: ast.Module, others: Iterable[ast.Module]
) -> bool:
    """Only the module's `__main__` guard calls `runner`; no other module imports it."""
    loads = use.loads.get(runner.name, [])
    guard = [main_block(use, load, tree) for load in loads]
    return (
        bool(loads)
        and all(g is not None for g in guard)
        and not any(_imports(runner.name, t) for t in others)
    )


def _imports(name: str, tree: ast.Module) -> bool:
    """`tree` imports `name` from a module (`from .k_means import main`), or reads it as a
    module's attribute other than `unittest.main`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            return True
        if (
            isinstance(node, ast.Attribute)
            and node.attr == name
            and not (isinstance(node.value, ast.Name) and node.value.id in ("unittest", "self"))
        ):
            return True
    return False


def _only_plots(runner: ast.FunctionDef, owner: str) -> bool:
    """Every call of `runner` builds or runs `owner`, makes data or draws; it returns nothing."""
    if any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(runner)):
        return False
    built = _bound_to(runner, lambda value: leaf_name(value.func) == owner)
    drawers = {
        name
        for name in _bound_to(runner, lambda value: not value.args and not value.keywords)
        if name not in built
    }
    for node in ast.walk(runner):
        if (
            isinstance(node, ast.Name)
            and node.id in drawers
            and not _receives_picture(node, runner)
        ):
            return False
        if not isinstance(node, ast.Call):
            continue
        func, name = node.func, leaf_name(node.func)
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if name == owner or _picture(name) or name.startswith(("make_", "load_")):
            continue
        if name in _RUNS and _built_here(receiver, built, owner):
            continue
        if isinstance(func, ast.Name) and func.id in _constructed(runner, drawers):
            continue
        return False
    return True


def _picture(name: str) -> bool:
    return name in _PICTURE or "plot" in name.lower()


def _built_here(receiver: ast.expr | None, built: set[str], owner: str) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in built
    return isinstance(receiver, ast.Call) and leaf_name(receiver.func) == owner


def _bound_to(runner: ast.FunctionDef, test: object) -> set[str]:
    """Names assigned a call that `test` accepts, in `runner`."""
    out: set[str] = set()
    for node in ast.walk(runner):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and callable(test)
            and test(node.value)
        ):
            out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return out


def _constructed(runner: ast.FunctionDef, drawers: set[str]) -> set[str]:
    """The callees whose objects are the drawers (`p = Plot()` -> `Plot`)."""
    return {
        leaf_name(node.value.func)
        for node in ast.walk(runner)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and any(isinstance(t, ast.Name) and t.id in drawers for t in node.targets)
    }


def _receives_picture(load: ast.Name, runner: ast.FunctionDef) -> bool:
    """`p` in `p.plot_in_2d(...)`, or `p` being bound (`p = Plot()`)."""
    if isinstance(load.ctx, ast.Store):
        return True
    for node in ast.walk(runner):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.value is load
        ):
            return _picture(node.func.attr)
    return False
