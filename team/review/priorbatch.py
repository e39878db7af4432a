"""A draw reached only from a batch generator that its module turns into a loader: the prior's sampling.

TabPFN's prior modules each end with `DataLoader = get_batch_to_dataloader(get_batch)`: the
module hands its `get_batch` to a loader factory, and the trainer iterates that loader to draw a
fresh synthetic dataset for every training batch. Everything `get_batch` reaches (the random MLP
it builds in `priors/mlp.py`, `FlexibleCategorical`'s missing-value injection, the marker
`utils.get_nan_value` picks for a missing cell) samples that synthetic data: randomness is what the
prior is, and the draws happen when the runner iterates the loader, which is where a seed goes.
The library reports no result of its own from them.

Read here: a module of the repository binds a name holding `loader` at its top level to a call
whose arguments are all functions of that module (`DataLoader = get_batch_to_dataloader(get_batch)`);
those functions are batch generators. The top-level functions and classes they name, in their
module or imported from another module of the repository, are reached, and so on. A bare draw
from numpy's or `random`'s global generator is the prior's when the top-level definition around
it is reached, fits and scores nothing, and every use of its name in the repository (by name, or
as an attribute of its module) sits in a reached definition or in the loader statement itself.
A helper that a script or an evaluation also calls, or a generator that trains a model, stays
reported.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections.abc import Iterator

from team.review.randomness import Usage
from team.review.sources import RepoIndex, SourceFile
from team.review.unreached import learns_or_scores

__all__ = ["prior_batch_reason"]

_Defn = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_Key = tuple[str, str]  # (module's relative path, top-level name)


_FACTORY = re.compile(r"\w*batch\w*_to_\w*loader", re.IGNORECASE)


def _loader_statements(repo: RepoIndex, src: SourceFile) -> Iterator[tuple[ast.Assign, list[str]]]:
    """`DataLoader = get_batch_to_dataloader(get_batch)`: the statement and the module's own
    functions it hands to the factory, a batch-to-loader one by its name."""
    functions = {
        name for name, node in repo.defs(src).items() if not isinstance(node, ast.ClassDef)
    }
    for stmt in src.tree.body:
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(target := stmt.targets[0], ast.Name)
            and "loader" in target.id.lower()
            and isinstance(call := stmt.value, ast.Call)
            and _FACTORY.fullmatch(ast.unparse(call.func).rsplit(".", 1)[-1])
        ):
            continue
        args = [*call.args, *(k.value for k in call.keywords)]
        if args and all(isinstance(a, ast.Name) and a.id in functions for a in args):
            yield stmt, [a.id for a in args if isinstance(a, ast.Name)]


def _named(repo: RepoIndex, src: SourceFile, node: ast.AST) -> _Key | None:
    """The top-level definition of the repository a name or attribute chain refers to."""
    if (
        isinstance(node, ast.Name)
        and node.id in repo.defs(src)
        and node.id not in repo.imports(src)
    ):
        return src.rel, node.id
    qual = repo.qualify(src, node)
    found = repo.resolve(qual) if qual and "." in qual else None
    if found is None or found[1] is None:
        return None
    owner, defn = found
    return (owner.rel, defn.name) if isinstance(defn, _Defn) else None


def _reached(repo: RepoIndex) -> dict[_Key, str]:
    """(module, name) of every definition a batch generator reaches, every use of which in the
    repository sits in a reached definition or in a loader statement -> the loader statement's
    text. Worked out once per repository index, not per draw."""
    if repo not in _REACHED:
        _REACHED[repo] = _reach(repo)
    return _REACHED[repo]


_REACHED: weakref.WeakKeyDictionary[RepoIndex, dict[_Key, str]] = weakref.WeakKeyDictionary()


def _reach(repo: RepoIndex) -> dict[_Key, str]:
    by_rel = {src.rel: src for src in repo.sources}
    reached: dict[_Key, str] = {}
    roots: set[int] = set()
    todo: list[_Key] = []
    for src in repo.sources:
        for stmt, generators in _loader_statements(repo, src):
            roots |= {id(n) for n in ast.walk(stmt)}
            for name in generators:
                reached.setdefault((src.rel, name), ast.unparse(stmt))
                todo.append((src.rel, name))
    while todo:
        rel, name = todo.pop()
        src = by_rel[rel]
        defn = repo.defs(src)[name]
        for node in ast.walk(defn):
            if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
                key = _named(repo, src, node)
                if key is not None and key not in reached:
                    reached[key] = reached[(rel, name)]
                    todo.append(key)
    if not reached:
        return reached
    used_elsewhere: set[_Key] = set()
    for src in repo.sources:
        use = Usage(src.tree)
        for node in ast.walk(src.tree):
            if not (
                isinstance(node, ast.Name | ast.Attribute)
                and isinstance(node.ctx, ast.Load)
                and not isinstance(use.up(node), ast.Attribute)
                and id(node) not in roots
            ):
                continue
            key = _named(repo, src, node)
            if key is None or key not in reached or key in used_elsewhere:
                continue
            top = _outermost(src.tree, node, use)
            if top is None or (src.rel, top.name) not in reached:
                used_elsewhere.add(key)
    return {key: text for key, text in reached.items() if key not in used_elsewhere}


def _outermost(tree: ast.Module, node: ast.AST, use: Usage) -> _Defn | None:
    top = None
    for parent in use.ancestors(node):
        if isinstance(parent, _Defn) and parent in tree.body:
            top = parent
    return top


def prior_batch_reason(
    src: SourceFile, repo: RepoIndex, use: Usage, call: ast.Call, kind: str
) -> str | None:
    """Why a draw samples a prior's synthetic data, reached only from a batch generator its
    module hands to a loader factory; else None.

    Example:
        >>> text = (
        ...     "import numpy as np\\n"
        ...     "def causes(n):\\n    return np.random.normal(0, 1, n)\\n"
        ...     "def get_batch(n):\\n    return causes(n)\\n"
        ...     "DataLoader = get_batch_to_dataloader(get_batch)\\n"
        ... )
        >>> src = SourceFile("priors/mlp.py", text, ast.parse(text))
        >>> call = src.tree.body[1].body[0].value
        >>> prior_batch_reason(src, RepoIndex([src]), Usage(src.tree), call, "numpy").split(":")[0]
        'a draw in causes(), reached only from the batch generator of `DataLoader = get_batch_to_dataloader(get_batch)`'
    """
    if kind not in ("numpy", "random"):
        return None
    top = _outermost(src.tree, call, use)
    if top is None or any(learns_or_scores(n) for n in ast.walk(top)):
        return None
    reached = _reached(repo)
    key = (src.rel, top.name)
    if key not in reached:
        return None
    generator = "numpy's" if kind == "numpy" else "random's"
    where = top.name if isinstance(top, ast.ClassDef) else f"{top.name}()"
    return (
        f"a draw in {where}, reached only from the batch generator of `{reached[key]}`: "
        "it samples the synthetic data each training batch is drawn from, when the trainer "
        f"iterates the loader, so the runner that iterates it seeds {generator} global generator"
    )
