"""A draw in a function of a script or notebook that nothing calls: dead code, no result.

mlex-lib's experiment `benchmarks/eye_detection/MLP/mlp_pytorch.py` defines `roc_samples()`, a
bootstrap of AUCs with `np.random.choice`, and `kfold_by_account()`, which shuffles accounts with
`np.random.shuffle`; the script's calls of both are commented out, and it evaluates the model
another way. The script runs its experiment when it is run (or imported), so it is no library
whose users call its functions: a function of it that neither the script nor a module importing
it names never runs, and no result depends on its draws (fresh55, judged false).

Read here: the module runs statements at import and sits outside any importable package (an
experiment script; a module of only definitions and a `__main__` guard, or one in a package, may
be a library's, and `unreached.py` judges those) or is a notebook; the draw sits in a top-level
function that is not decorated (a decorator may register it: a route, a task, a hook) and whose
name the module reads nowhere outside that function, nor does any module of the repository that
imports the script by name. A function the script calls, passes on or names in a string stays
reported, as does a draw in a class or at the top level.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from team.review.randomness import Usage, runs_nothing_on_import
from team.review.sources import SourceFile
from team.review.unreached import mentioned_names

__all__ = ["dead_function", "script_reach"]


def script_reach(base: Path, sources: Sequence[SourceFile]) -> dict[str, frozenset[str] | None]:
    """Relative path -> the names the modules importing that script mention (`from mlp_pytorch
    import f`), for a notebook, or a module outside any importable package (no `__init__.py`
    beside it) that runs statements at import; None for any other. GPy's `examples/` package
    guards an import with `try` at the top, and its functions are the examples users call."""
    importers: dict[str, list[ast.Module]] = {}
    for src in sources:
        for stem in _imported_stems(src.tree):
            importers.setdefault(stem, []).append(src.tree)
    out: dict[str, frozenset[str] | None] = {}
    for src in sources:
        if src.rel.endswith(".ipynb"):
            out[src.rel] = frozenset()
        elif (
            runs_nothing_on_import(src.tree) or ((base / src.rel).parent / "__init__.py").is_file()
        ):
            out[src.rel] = None
        else:
            users = importers.get(PurePosixPath(src.rel).stem, [])
            out[src.rel] = mentioned_names(t for t in users if t is not src.tree)
    return out


def dead_function(
    use: Usage, call: ast.Call, tree: ast.Module, reach: frozenset[str] | None
) -> str | None:
    """The name of the undecorated top-level function around `call` that neither its script
    (outside the function) nor a module importing the script (`reach`) names; else None.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = "import numpy as np\\ndef boot(y):\\n    return np.random.choice(y)\\nprint(1)\\n"
        >>> tree = ast.parse(code)
        >>> dead_function(Usage(tree), tree.body[1].body[0].value, tree, frozenset())
        'boot'
    """
    if reach is None:
        return None
    func: ast.AST | None = call
    while func is not None and use.up(func) is not tree:
        func = use.up(func)
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.decorator_list:
        return None
    if func.name in reach:
        return None
    inside = {id(n) for n in ast.walk(func)}
    if any(_names(node, func.name) for node in ast.walk(tree) if id(node) not in inside):
        return None
    return func.name


def _imported_stems(tree: ast.Module) -> set[str]:
    """The last part of every module the tree imports, and the names it imports from a package
    (`import mlp_pytorch`, `from MLP.mlp_pytorch import f`, `from . import mlp_pytorch`)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.rsplit(".", 1)[-1] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            out.add((node.module or "").rsplit(".", 1)[-1])
            out |= {a.name for a in node.names}
    return out


def _names(node: ast.AST, name: str) -> bool:
    """`node` reads `name`: as a name, an attribute or a string (`getattr(module, "f")`)."""
    if isinstance(node, ast.Name):
        return node.id == name
    if isinstance(node, ast.Attribute):
        return node.attr == name
    return isinstance(node, ast.Constant) and node.value == name
