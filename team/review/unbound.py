"""A training function whose every call passes a name the module never defines: dead code.

Bayesian-Torch's ImageNet conversion script comments out `train_loader = ...` yet still calls
`train(args, train_loader, model, ...)` in train mode, which stops with a NameError before a
single step: the unseeded training inside `train` can never run, so its missing seed changes
no result. Bound means assigned, a parameter, imported, defined, or a builtin; a module with a
star import binds names we cannot see and is never judged dead.

yaoguaimi's cheat sheet of snippets ("common commands") calls `train_test_split(X, y)` where the
file binds neither `X` nor `y` anywhere: the call stops with a NameError, so its missing seed
changes no result. There a star import of a library (`from statsmodels.tsa.stattools import *`)
is read as binding its API, never a data set; one of a module of the repository still may.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Iterator

from team.review.randomness import Usage
from team.review.sources import RepoIndex

__all__ = ["undefined_inputs", "unrunnable_caller"]

_BUILTINS = frozenset(dir(builtins))


def unrunnable_caller(use: Usage, node: ast.AST, tree: ast.Module) -> str | None:
    """Why the top-level function around `node` can never run: every call of it in the module
    passes a name bound nowhere (`train(args, train_loader)` at line 283). None when it is never
    called here, or some call can run."""
    func = _outer_function(use, node)
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or use.up(func) is not tree:
        return None
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == func.name
    ]
    loads = use.loads.get(func.name, [])
    if not calls or len(loads) != len(calls):
        return None  # never called here, or also passed around as a value
    module = _bound(_module_level(tree))
    if module is None:
        return None
    why: list[str] = []
    for call in calls:
        outer = _outer_function(use, call)
        here = _bound(ast.walk(outer)) if outer is not None else set()
        bound = module | (here or set())
        missing = [
            n.id
            for a in [*call.args, *(k.value for k in call.keywords)]
            for n in ast.walk(a)
            if isinstance(n, ast.Name) and n.id not in bound
        ]
        if not missing:
            return None
        why.append(f"{missing[0]} at line {call.lineno}")
    return f"every call of {func.name}() passes a name never defined ({', '.join(why)})"


def undefined_inputs(call: ast.Call, tree: ast.Module, repo: RepoIndex) -> str | None:
    """Why `call` can never run: every one of its positional arguments (at least one) is a plain
    name that the module binds nowhere, in any scope (`train_test_split(X, y)` in a file that
    never assigns `X` or `y`). None when one is bound, or a repository module is star-imported."""
    if not call.args or not all(isinstance(a, ast.Name) for a in call.args):
        return None
    stars = [n for n in ast.walk(tree) if _star(n)]
    if any(_repo_module(star, repo) for star in stars):
        return None
    bound = _bound(n for n in ast.walk(tree) if n not in stars) or set()
    missing = [a.id for a in call.args if isinstance(a, ast.Name) and a.id not in bound]
    if len(missing) != len(call.args):
        return None
    return f"{', '.join(missing)} defined nowhere in the module"


def _star(node: ast.AST) -> bool:
    return isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)


def _repo_module(node: ast.AST, repo: RepoIndex) -> bool:
    """`from .utils import *` or `from utils import *`: a module the repository holds."""
    level, module = getattr(node, "level", 0), getattr(node, "module", None) or ""
    return bool(level) or any(
        name == module or name.endswith(f".{module}") or name.startswith(f"{module}.")
        for name in repo.by_module
    )


def _outer_function(use: Usage, node: ast.AST) -> ast.AST | None:
    """The outermost function around `node` (its closures see the names it binds)."""
    outer, parent = None, use.up(node)
    while parent is not None:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            outer = parent
        parent = use.up(parent)
    return outer


def _module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """The module's nodes outside function and class bodies (their names included)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            yield node


def _bound(nodes: Iterable[ast.AST]) -> set[str] | None:
    """Every name these nodes bind, with the builtins; None after `from x import *`."""
    names = set(_BUILTINS)
    for node in nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    return None
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            names.add(node.name)
    return names
