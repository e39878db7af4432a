"""The repository's Python modules by dotted name, their import statements, and the import graph
between them: what the System Architect's review (`team.audit.architecture`), the layering
(`team.audit.layers`) and rules that follow imports across files read.

networkx loads only when a graph is built, so a rule that needs only module names stays light.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from team.audit.repo import Repo
from team.pyimports import imported_module

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["import_statements", "imported_names", "module_graph", "module_names", "statements"]


def module_names(repo: Repo) -> dict[str, str]:
    """dotted module name -> file, also without a leading folder that is not a package (src/)."""
    if "module_names" in repo.memo:
        return cast("dict[str, str]", repo.memo["module_names"])
    names: dict[str, str] = {}
    files = set(repo.files)
    for rel in repo.python:
        parts = rel.removesuffix(".py").split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts:
            continue
        names.setdefault(".".join(parts), rel)
        if len(parts) > 1 and f"{parts[0]}/__init__.py" not in files:
            names.setdefault(".".join(parts[1:]), rel)
    repo.memo["module_names"] = names
    return names


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement in `body`, nested ones too (in functions, classes, branches, handlers),
    without walking expressions: an import is always a statement."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, name, ()):
                if isinstance(child, ast.stmt):
                    stack.append(child)
                else:  # an except handler or a match case holds statements in its body
                    stack += child.body


def import_statements(tree: ast.Module, *, every: bool) -> list[ast.Import | ast.ImportFrom]:
    """The module's import statements: those that run when it loads, or `every` one (in
    functions too, and under `TYPE_CHECKING`), as import-linter counts them."""
    if every:
        return [n for n in statements(tree.body) if isinstance(n, ast.Import | ast.ImportFrom)]
    out: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                stack += node.body + node.orelse
        elif isinstance(node, ast.Try):
            stack += node.body + node.orelse + node.finalbody
            stack += [s for h in node.handlers for s in h.body]
    return out


def imported_names(rel: str, node: ast.Import | ast.ImportFrom) -> list[list[str]]:
    """Per name the statement imports, the absolute dotted names it may mean, most precise first
    (`from a import b` is the module `a.b`, or the name `b` of module `a`); none for a
    relative import from above the reviewed folder."""
    if isinstance(node, ast.Import):
        return [[a.name, a.name.rsplit(".", 1)[0]] for a in node.names]
    base = imported_module(rel, node)
    if base is None:
        return []
    return [[f"{base}.{a.name}", base] if base else [a.name] for a in node.names]


def module_graph(repo: Repo, *, every_import: bool = False) -> nx.DiGraph[str]:
    """Files as nodes, an edge a -> b when a imports b (attribute `line`: the first such import):
    at load time, or anywhere with `every_import` (in functions, under `TYPE_CHECKING`)."""
    key = "graph:every" if every_import else "graph"
    if key in repo.memo:
        return cast("nx.DiGraph[str]", repo.memo[key])
    import networkx as nx

    names = module_names(repo)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for rel, tree in repo.modules():
        graph.add_node(rel)
        for node in import_statements(tree, every=every_import):
            for candidates in imported_names(rel, node):
                hit = next((names[c] for c in candidates if c in names), None)
                if hit and hit != rel and not graph.has_edge(rel, hit):
                    graph.add_edge(rel, hit, line=node.lineno)
    repo.memo[key] = graph
    return graph
