"""N+1 through a model's serializer: a list endpoint that serializes each row it returns.

`[workout.serialize() for workout in workouts]` in an endpoint handler runs the serializer once
per row of the page; when `Workout.serialize` runs a query (directly or through the helpers it
calls, Flask-SQLAlchemy's `Model.query` included), the page costs one round trip per row. The
row's class is the one named after the loop variable (`workout` -> `Workout`), and the
serializer is a method named serialize*, to_dict, to_json, as_dict or as_json of that class.
"""

from __future__ import annotations

import ast
import re

from team.audit.core import RoleFinding, finding
from team.audit.queries import Key, callee, is_query, local_imports, query_functions, units
from team.audit.repo import Repo, is_test
from team.audit.web import web_inventory

__all__ = ["serializer_queries"]

_SERIALIZER = re.compile(r"(?:serialize\w*|to_dict|to_json|as_dict|as_json)")


def _classes(repo: Repo) -> dict[str, str]:
    """Class name -> the file defining it (the first one, for a name defined twice)."""
    out: dict[str, str] = {}
    for rel, tree in repo.modules():
        if not is_test(rel):
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    out.setdefault(node.name, rel)
    return out


def _first_query(repo: Repo, method: Key) -> tuple[str, str, int] | None:
    """The first call in a method's source that runs a query, directly or through a helper:
    (what runs it, file, line): the one a reader checks first, before any branch taken rarely."""
    rel, name = method
    tree = repo.tree(rel)
    cls, _, attr = name.partition(".")
    node = next((n for c, f, n in units(tree) if (c, f) == (cls, attr)), None) if tree else None
    if tree is None or node is None:
        return None
    helpers = query_functions(repo, model_query=True)
    imported = local_imports(repo, rel, tree)
    local = {f for c, f, _ in units(tree) if not c}
    calls = sorted((c for c in ast.walk(node) if isinstance(c, ast.Call)), key=lambda c: c.lineno)
    for call in calls:
        if is_query(call, model_query=True) and isinstance(call.func, ast.Attribute):
            root = ast.unparse(call.func).split(".", 1)[0]
            return f"{root}...{call.func.attr}()", rel, call.lineno
        target = callee(call, rel, cls, local, imported)
        if target in helpers:
            where = helpers[target]
            return f"{target[1].rsplit('.', 1)[-1]}()", where[0], where[1]
    return None


def _row_loops(handler: ast.AST) -> list[tuple[ast.AST, str, list[ast.AST]]]:
    """(loop, row variable, body) of the for loops and comprehensions over one name."""
    out: list[tuple[ast.AST, str, list[ast.AST]]] = []
    for node in ast.walk(handler):
        if isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
            out.append((node, node.target.id, list(node.body)))
        elif isinstance(node, ast.ListComp | ast.GeneratorExp) and isinstance(
            node.generators[0].target, ast.Name
        ):
            out.append((node, node.generators[0].target.id, [node.elt]))
    return out


def _class_of(variable: str) -> str:
    """`workout` -> `Workout`, `user_sport` -> `UserSport`."""
    return "".join(part.capitalize() for part in variable.split("_"))


def serializer_queries(repo: Repo) -> list[RoleFinding]:
    """A query per row: an endpoint handler that calls a querying serializer per row."""
    endpoints, _ = web_inventory(repo)
    classes = _classes(repo)
    queries = query_functions(repo, model_query=True)
    out: list[RoleFinding] = []
    seen: set[tuple[str, int]] = set()
    for e in endpoints:
        if e.node is None:
            continue
        for loop, row, body in _row_loops(e.node):
            cls = _class_of(row)
            for call in (c for part in body for c in ast.walk(part) if isinstance(c, ast.Call)):
                func = call.func
                if not (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == row
                    and _SERIALIZER.fullmatch(func.attr)
                    and cls in classes
                ):
                    continue
                key: Key = (classes[cls], f"{cls}.{func.attr}")
                first = _first_query(repo, key) if key in queries else None
                if first is None or (e.file, call.lineno) in seen:
                    continue
                via, path, line = first
                seen.add((e.file, call.lineno))
                out.append(
                    finding(
                        "n-plus-one-query",
                        e.file,
                        call.lineno,
                        f"{cls}.{func.attr}() runs a query ({via} at {path}:{line}) once per "
                        f"row of the loop at line {getattr(loop, 'lineno', 0)} in {e.method} "
                        f"{e.path}: N+1 round trips per page; load what it reads with the rows "
                        "(selectinload, prefetch) or once per page",
                        evidence=repo.line_text(e.file, call.lineno),
                    )
                )
    return out
