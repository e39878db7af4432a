"""An unbounded `@cache` on a method of a value class whose values are written in the code.

`@functools.cache` on a method keys its entries on `self`. For most classes that is the
instance, so the cache keeps every instance it was called on alive. A class that defines
`__hash__` and `__eq__` (itself or through a base of its module) is keyed by value instead:
equal instances share one entry. When every construction of the class in the repository passes
only values written in the code (string or number literals, constants named in capitals such as
`cls._API_KEY_ENV_VAR`), the cache holds one entry per such value, a fixed handful (ragna's
`PackageRequirement("pymupdf>=1.23.6").is_available()`, an import check memoised per
requirement string).
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo, is_test

__all__ = ["fixed_value_instances"]

Function = ast.FunctionDef | ast.AsyncFunctionDef

_CONSTANT = re.compile(r"_*[A-Z][A-Z0-9_]*")


def fixed_value_instances(repo: Repo, tree: ast.Module, fn: Function) -> bool:
    """`fn` is a method taking only `self` of a class hashed by value, and the repository
    builds that class (or a subclass) at least once and only from values written in the code.

    Example:
        >>> tree = ast.parse(
        ...     "class Req:\\n"
        ...     "    def __hash__(self):\\n        return hash(self.name)\\n"
        ...     "    def __eq__(self, other):\\n        return self.name == other.name\\n"
        ...     "    def ok(self):\\n        return True\\n"
        ... )
        >>> method = tree.body[0].body[2]
        >>> class Built:
        ...     def __init__(self, code):
        ...         self.code = code
        ...     def modules(self):
        ...         return [("use.py", ast.parse(self.code))]
        >>> fixed_value_instances(Built("r = Req('numpy')"), tree, method)
        True
        >>> fixed_value_instances(Built("r = Req(request.name)"), tree, method)
        False
    """
    if [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]] != ["self"]:
        return False
    if fn.args.vararg or fn.args.kwarg or fn.args.kwonlyargs:
        return False
    owner = _owner(tree, fn)
    if owner is None or not _hashed_by_value(tree, owner):
        return False
    names = {owner.name}
    builds: list[ast.Call] = []
    modules = [(rel, module) for rel, module in repo.modules() if not is_test(rel)]
    for _, module in modules:
        names |= {
            c.name
            for c in ast.walk(module)
            if isinstance(c, ast.ClassDef) and any(_last(b) == owner.name for b in c.bases)
        }
    for _, module in modules:
        builds += [
            c for c in ast.walk(module) if isinstance(c, ast.Call) and _last(c.func) in names
        ]
    return bool(builds) and all(_written(a) for c in builds for a in _arguments(c))


def _owner(tree: ast.Module, fn: Function) -> ast.ClassDef | None:
    """The class whose body defines `fn`."""
    return next(
        (c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and fn in c.body),
        None,
    )


def _hashed_by_value(tree: ast.Module, cls: ast.ClassDef, depth: int = 3) -> bool:
    """`cls`, or a base class of the same module, defines both `__hash__` and `__eq__`."""
    defined = {f.name for f in cls.body if isinstance(f, ast.FunctionDef)}
    if {"__hash__", "__eq__"} <= defined:
        return True
    bases = {_last(b) for b in cls.bases}
    return depth > 0 and any(
        _hashed_by_value(tree, c, depth - 1)
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name in bases and c is not cls
    )


def _last(node: ast.expr) -> str:
    """`Req` for `Req` and for `utils.Req`."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(k.value for k in call.keywords)]


def _written(arg: ast.expr) -> bool:
    """A literal, a tuple or list of literals, or a constant named in capitals (`cls.ENV_VAR`,
    `DEFAULT_NAME`): a value fixed by the code, not by what a caller receives."""
    if isinstance(arg, ast.Constant):
        return True
    if isinstance(arg, ast.Tuple | ast.List | ast.Set):
        return all(_written(e) for e in arg.elts)
    if isinstance(arg, ast.Starred):
        return False
    return bool(_CONSTANT.fullmatch(_last(arg)))
