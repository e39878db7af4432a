"""An unseeded generator built only when a caller leaves its parameter out, and none does.

`def random_label_flip(y, random=None): if random is None: random = np.random.RandomState()`
draws from an unseeded generator only when it is called without `random`. When every call of
the function in the reviewed code passes that parameter (by keyword or at its position, and
not as a literal None), the fallback never runs there: the draws come from the caller's
generator (datascope-experiments' five calls all pass `RandomState(seed=self._seed)`).

Only a top-level function whose body starts the fallback directly (`if NAME is None:` then
`NAME = Ctor()`, NAME one of its parameters); its name read anywhere else than as the callee
of such a call (passed on as a value, wrapped in `partial`, a call that spreads `*args` or
`**kwargs` over the parameter) keeps the fallback reachable.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from team.review.randomness import Usage

__all__ = ["fallback_never_taken"]

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _guarded_parameter(use: Usage, call: ast.Call) -> tuple[_Function, str] | None:
    """The top-level function and the parameter that `call` builds a fallback for."""
    stmt = use.up(call)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    target = stmt.targets[0]
    guard = use.up(stmt)
    if not isinstance(target, ast.Name) or not isinstance(guard, ast.If):
        return None
    test = guard.test
    if not (
        stmt in guard.body
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == target.id
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return None
    func = use.up(guard)
    if not isinstance(func, _Function) or guard not in func.body:
        return None
    if not isinstance(use.up(func), ast.Module):
        return None
    args = func.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return (func, target.id) if target.id in names else None


def _passes(call: ast.Call, func: _Function, param: str) -> bool:
    """Whether `call` gives `param` a value that is not a literal None."""
    given: ast.expr | None = None
    for keyword in call.keywords:
        if keyword.arg is None:
            return False  # `**options`: whether it holds the parameter is unknown
        if keyword.arg == param:
            given = keyword.value
    positional = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    if given is None and param in positional:
        index = positional.index(param)
        before = call.args[: index + 1]
        if any(isinstance(a, ast.Starred) for a in before):
            return False
        if len(call.args) > index:
            given = call.args[index]
    return given is not None and not (isinstance(given, ast.Constant) and given.value is None)


def fallback_never_taken(use: Usage, call: ast.Call, trees: Iterable[ast.Module]) -> str | None:
    """Why the unseeded generator `call` never draws, or None.

    Args:
        use: the module's `Usage`.
        call: an argument-less generator constructor (`np.random.RandomState()`).
        trees: every module of the reviewed code, the call's own among them.

    Example:
        >>> src = (
        ...     "import numpy as np\\n"
        ...     "def flip(y, rng=None):\\n"
        ...     "    if rng is None:\\n"
        ...     "        rng = np.random.RandomState()\\n"
        ...     "    return rng.permutation(y)\\n"
        ...     "flip([1, 2], rng=np.random.RandomState(0))\\n"
        ... )
        >>> tree = ast.parse(src)
        >>> ctor = tree.body[1].body[0].body[0].value
        >>> fallback_never_taken(Usage(tree), ctor, [tree])
        'built only when flip() is called without rng, and its 1 call(s) all pass it'
    """
    found = _guarded_parameter(use, call)
    if found is None:
        return None
    func, param = found
    calls = 0
    for tree in trees:
        named = [
            node
            for node in ast.walk(tree)
            if (isinstance(node, ast.Name) and node.id == func.name)
            or (isinstance(node, ast.Attribute) and node.attr == func.name)
        ]
        if not named:
            continue
        parents = {id(c): n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        for node in named:
            user = parents.get(id(node))
            if not (
                isinstance(user, ast.Call) and user.func is node and _passes(user, func, param)
            ):
                return None
            calls += 1
    if not calls:
        return None
    return (
        f"built only when {func.name}() is called without {param}, "
        f"and its {calls} call(s) all pass it"
    )
