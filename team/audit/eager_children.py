"""A loop over the children a model always loads with their parent: a handful by design.

`relationship("Build", lazy="joined")` (or `"selectin"`, `"subquery"`, `lazy=False`) tells
SQLAlchemy to fetch an object's children every time the object itself is loaded. Nobody
declares that for a collection of thousands: the model's author says the children are few and
part of the parent (an update's builds, a workflow's tasks). One loop over them, not nested in
another loop, costs a few indexed lookups per request; the N+1 rule (`performance.py`) leaves
it alone. A lazy collection (a release's builds, a forum's topics) can grow with the data and
stays a finding, and so does a loop over the children of each of many parents.
"""

from __future__ import annotations

import ast

from team.audit.repo import Repo, is_test

__all__ = ["over_eager_children"]

_EAGER = frozenset(["joined", "selectin", "subquery", "immediate"])
_RELATIONSHIP = frozenset(["relationship", "Relationship"])
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.comprehension)


def over_eager_children(loop: ast.AST, unit: ast.AST, cls: str, repo: Repo) -> bool:
    """Whether `loop` (in the function `unit` of class `cls`, "" for none) walks one object's
    eagerly loaded children (`for build in self.builds`, `for t in workflow.task_list`) and is
    not nested in another loop of `unit`.

    Example:
        >>> from pathlib import Path
        >>> repo = Repo.scan(Path("tests/fixtures/eager_children"))
        >>> fn = ast.parse("def f(update):\\n    for b in update.builds:\\n        pass").body[0]
        >>> over_eager_children(fn.body[0], fn, "", repo)
        True
    """
    source = loop.iter if isinstance(loop, ast.For | ast.AsyncFor) else None
    if not (isinstance(source, ast.Attribute) and isinstance(source.value, ast.Name)):
        return False
    if _nested(loop, unit):
        return False
    owner = cls if source.value.id in ("self", "cls") else _class_of(source.value.id)
    eager = _relationships(repo)
    if (owner, source.attr) in eager:
        return eager[(owner, source.attr)]
    same_name = [lazy for (_, attr), lazy in eager.items() if attr == source.attr]
    return bool(same_name) and all(same_name)


def _nested(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether another loop of `unit` contains `loop`."""
    return any(
        outer is not loop and any(n is loop for n in ast.walk(outer))
        for outer in ast.walk(unit)
        if isinstance(outer, _LOOPS)
    )


def _class_of(variable: str) -> str:
    """`update` -> `Update`, `workflow_task` -> `WorkflowTask`."""
    return "".join(part.capitalize() for part in variable.split("_"))


def _relationships(repo: Repo) -> dict[tuple[str, str], bool]:
    """(model class, attribute) -> whether the relationship is loaded with its parent."""
    if "eager_children" not in repo.memo:
        found: dict[tuple[str, str], bool] = {}
        for rel, tree in repo.modules():
            if is_test(rel):
                continue
            for node in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
                for stmt in node.body:
                    name, eager = _declared(stmt)
                    if name:
                        found[(node.name, name)] = eager
        repo.memo["eager_children"] = found
    return dict(repo.memo["eager_children"])


def _declared(stmt: ast.stmt) -> tuple[str, bool]:
    """(attribute, eager) for `builds = relationship(..., lazy="joined")` in a class body,
    ("", False) for any other statement."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value = stmt.target, stmt.value
    else:
        return "", False
    if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
        return "", False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in _RELATIONSHIP:
        return "", False
    return target.id, any(_eager(kw.value) for kw in _lazy_keywords(value))


def _lazy_keywords(call: ast.Call) -> list[ast.keyword]:
    """The `lazy=` keywords of a relationship, also inside SQLModel's
    `sa_relationship_kwargs={"lazy": "selectin"}`."""
    out = [kw for kw in call.keywords if kw.arg == "lazy"]
    for kw in call.keywords:
        if kw.arg == "sa_relationship_kwargs" and isinstance(kw.value, ast.Dict):
            out += [
                ast.keyword(arg="lazy", value=v)
                for k, v in zip(kw.value.keys, kw.value.values, strict=True)
                if isinstance(k, ast.Constant) and k.value == "lazy"
            ]
    return out


def _eager(value: ast.expr) -> bool:
    """`"joined"`, `"selectin"`, `"subquery"`, `"immediate"` or `False`."""
    return isinstance(value, ast.Constant) and (value.value in _EAGER or value.value is False)
