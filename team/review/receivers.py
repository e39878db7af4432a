"""Whose method a call on `self` or `cls` is: the receiver's own class, or a class it inherits.

PyTDC's `BenchmarkGroup.evaluate(pred)` and `SCDTIGroup.evaluate(pred, seed=1)` share a name
only: reading `self.evaluate(...)` by its bare name made every benchmark group's unseeded call
look like the seeded one of another class. A call on `self` whose method the class (or a base
class in the repository) defines is the repository's own code, not a library's. On a receiver
whose class cannot be known (`group.evaluate(pred)`), a name that several classes of the
repository define with different parameters resolves to none of them.

A call on a receiver of unknown class whose keywords a method of the repository takes is the
repository's: pytorch_tabular's model copies its datamodule with
`self.datamodule.copy(train=train, ..., seed=seed)`, the package's own `TabularDatamodule.copy`,
and read by the receiver's root and the method's name alone (`self.copy`) it was a library call
seeded there, against which the datamodule's `self.validation.copy()` (a DataFrame's) was
reported unseeded.
"""

from __future__ import annotations

import ast

from team.review.sources import RepoIndex, SourceFile

__all__ = ["ambiguous_method", "own_method", "own_method_by_keywords"]

_RECEIVERS = frozenset({"self", "cls"})


def _enclosing_class(body: list[ast.stmt], line: int) -> ast.ClassDef | None:
    """The innermost class (top level, or nested in a class) whose lines hold `line`."""
    for node in body:
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or line):
            return _enclosing_class(node.body, line) or node
    return None


def _base_classes(
    src: SourceFile, repo: RepoIndex, cls: ast.ClassDef
) -> list[tuple[SourceFile, ast.ClassDef]]:
    """The bases of `cls` that the repository defines (same file or imported from it)."""
    found: list[tuple[SourceFile, ast.ClassDef]] = []
    for base in cls.bases:
        local = repo.defs(src).get(base.id) if isinstance(base, ast.Name) else None
        if isinstance(local, ast.ClassDef):
            found.append((src, local))
            continue
        where = repo.resolve(repo.qualify(src, base) or "")
        if where is not None and isinstance(where[1], ast.ClassDef):
            found.append((where[0], where[1]))
    return found


def _defines(
    src: SourceFile, repo: RepoIndex, cls: ast.ClassDef, name: str, depth: int = 4
) -> bool:
    """`cls`, or a base class of it in the repository, defines the method `name`."""
    if any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name for n in cls.body
    ):
        return True
    return depth > 0 and any(
        _defines(base_src, repo, base, name, depth - 1)
        for base_src, base in _base_classes(src, repo, cls)
    )


def _receiver(func: ast.expr) -> str | None:
    """`self` for `self.evaluate`, `super` for `super().evaluate`; else None."""
    if not isinstance(func, ast.Attribute):
        return None
    value = func.value
    if isinstance(value, ast.Name) and value.id in _RECEIVERS:
        return value.id
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "super"
    ):
        return "super"
    return None


def own_method(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """`self.get_test()` in a class that defines `get_test` (or inherits it from a class of the
    repository): the repository's own method, resolved on the receiver's class only."""
    receiver = _receiver(call.func)
    if receiver is None or not isinstance(call.func, ast.Attribute):
        return False
    cls = _enclosing_class(src.tree.body, call.lineno)
    if cls is None:
        return False
    name = call.func.attr
    if receiver == "super":
        return any(_defines(s, repo, b, name) for s, b in _base_classes(src, repo, cls))
    return _defines(src, repo, cls, name)


def ambiguous_method(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """`group.evaluate(pred)` on a receiver that is no imported name, where classes of the
    repository define `evaluate` with different parameters: which one runs cannot be known."""
    func, root = _unknown_receiver(call)
    if func is None:
        return False
    if isinstance(root, ast.Name) and (
        root.id in repo.imports(src) or _built_by_a_library(src, repo, root.id)
    ):
        return False  # `cornac.models.MF(...)`, or `model = MF(); model.fit()`: a library's
    return len(repo.method_signatures(func.attr)) > 1


def _unknown_receiver(call: ast.Call) -> tuple[ast.Attribute | None, ast.expr | None]:
    """A method call on a receiver other than `self`/`cls`/`super()`, and the name its attribute
    chain starts from; (None, None) for any other call."""
    func = call.func
    if not isinstance(func, ast.Attribute) or _receiver(func) is not None:
        return None, None  # `self.split(...)`: the class's, or a library base class's (own_method)
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    return func, root


def own_method_by_keywords(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """`self.datamodule.copy(train=train, seed=seed)` on a receiver of unknown class, whose
    keywords a method of that name in the repository takes (pytorch_tabular's
    `TabularDatamodule.copy(self, train, ..., seed=None)`): the repository's own code, not a
    library's call. A receiver that is an import or that a library call built (`model = MF()`)
    is the library's; so is a call that no method of its name in the repository could take
    (`group.evaluate(pred, seed=1)` beside `evaluate(self, pred)`, `self.dmlab.reset(seed=s)`
    beside `reset(self, *args)`)."""
    func, root = _unknown_receiver(call)
    if func is None or not isinstance(root, ast.Name) or root.id in repo.imports(src):
        return False
    if _built_by_a_library(src, repo, ast.unparse(func.value)):
        return False
    given = {k.arg for k in call.keywords if k.arg}
    return bool(given) and any(given <= set(sig) for sig in repo.method_signatures(func.attr))


def _built_by_a_library(src: SourceFile, repo: RepoIndex, name: str) -> bool:
    """`name = Evaluator()` somewhere in the module (`name` may be `self.evaluator`),
    `Evaluator` imported from outside the repository: the receiver's class is known to be the
    library's."""
    for node in ast.walk(src.tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and any(
                isinstance(t, ast.Name | ast.Attribute) and ast.unparse(t) == name
                for t in node.targets
            )
        ):
            qual = repo.qualify(src, node.value.func) or ""
            imported = qual != ast.unparse(node.value.func)  # resolved through an import
            if imported and repo.resolve(qual) is None:
                return True
    return False
