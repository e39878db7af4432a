"""The System Architect's review: the module graph (import cycles, god modules) built from the
syntax tree with networkx, and the services declared in manifests (a database shared by
services, a single replica).

Only imports that run when a module loads count (module level, not under `TYPE_CHECKING`);
imports inside functions are how code breaks a cycle and are left out. Layering violations need
declared layers: run import-linter for those.
"""

from __future__ import annotations

import ast
import re
from typing import cast

import networkx as nx

from team.audit.core import RoleFinding, finding
from team.audit.devops import compose_services, k8s_documents
from team.audit.repo import Repo, YamlMap

__all__ = ["GOD_MODULE", "architecture_review", "module_graph", "module_names"]

#: A god module: at least this many top-level functions and classes, lines, and importers.
GOD_MODULE = {"definitions": 40, "lines": 800, "importers": 5}
_DATABASES = re.compile(r"(?i)postgres|mysql|mariadb|mongo|redis|cassandra|mssql|oracle")


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


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
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


def module_graph(repo: Repo) -> nx.DiGraph[str]:
    """Files as nodes, an edge a -> b when a imports b at load time (attribute `line`)."""
    if "graph" in repo.memo:
        return cast("nx.DiGraph[str]", repo.memo["graph"])
    names = module_names(repo)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for rel, tree in repo.modules():
        graph.add_node(rel)
        parts = rel.removesuffix(".py").split("/")
        package = parts[:-1]
        for node in _runtime_imports(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package[: len(package) - node.level + 1] if node.level > 1 else package
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for target in targets:
                hit = names.get(target) or names.get(target.rsplit(".", 1)[0])
                if hit and hit != rel:
                    if not graph.has_edge(rel, hit):
                        graph.add_edge(rel, hit, line=node.lineno)
                    break
    repo.memo["graph"] = graph
    return graph


def _graph_findings(repo: Repo) -> list[RoleFinding]:
    graph = module_graph(repo)
    out: list[RoleFinding] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        members = sorted(component)
        start = members[0]
        nxt = min(t for t in graph.successors(start) if t in component)
        try:
            back = nx.shortest_path(graph, nxt, start)
        except nx.NetworkXNoPath:  # pragma: no cover - same component
            back = [nxt, start]
        cycle = [start, *back]
        line = graph.edges[start, nxt]["line"]
        shown = " -> ".join(cycle[:6]) + (" -> ..." if len(cycle) > 6 else "")
        out.append(
            finding(
                "import-cycle",
                start,
                line,
                f"import cycle of {len(members)} modules: {shown}; none can be understood, "
                "tested or replaced alone; move the shared part down or invert a dependency",
                evidence=repo.line_text(start, line),
            )
        )
    for rel, tree in repo.modules():
        definitions = sum(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body
        )
        lines = len(repo.lines(rel))
        importers = graph.in_degree(rel) if rel in graph else 0
        if (
            definitions >= GOD_MODULE["definitions"]
            and lines >= GOD_MODULE["lines"]
            and importers >= GOD_MODULE["importers"]
        ):
            out.append(
                finding(
                    "god-module",
                    rel,
                    1,
                    f"{rel} holds {definitions} top-level definitions in {lines} lines and "
                    f"{importers} modules import it: every change here touches them all; split "
                    "it by concept",
                    evidence=repo.line_text(rel, 1),
                )
            )
    return out


def _service_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    services = compose_services(repo)
    by_file: dict[str, list[tuple[str, YamlMap, int]]] = {}
    for rel, name, service, line in services:
        by_file.setdefault(rel, []).append((name, service, line))
    for rel, items in by_file.items():
        databases = {
            name: (service, line)
            for name, service, line in items
            if _DATABASES.search(str(service.get("image", "")))
        }
        for db, (service, line) in databases.items():
            users = [
                name
                for name, other, _ in items
                if name not in databases
                and re.search(
                    rf"\b{re.escape(db)}\b",
                    f"{other.get('environment', '')} {other.get('depends_on', '')}",
                )
            ]
            if len(users) >= 2:
                out.append(
                    finding(
                        "shared-database",
                        rel,
                        line,
                        f"services {', '.join(users)} share the database '{db}': a schema change "
                        "in one breaks the others; give each service its own schema and an API",
                        evidence=f"{db}: image {service.get('image')}",
                    )
                )
    scaled = {
        str((doc.get("spec") or {}).get("scaleTargetRef", {}).get("name"))
        for _, doc in k8s_documents(repo)
        if doc.get("kind") == "HorizontalPodAutoscaler"
    }
    for rel, doc in k8s_documents(repo):
        spec = doc.get("spec")
        name = str((doc.get("metadata") or {}).get("name", "?"))
        if (
            doc.get("kind") == "Deployment"
            and isinstance(spec, YamlMap)
            and spec.get("replicas") == 1
            and name not in scaled
        ):
            out.append(
                finding(
                    "single-replica",
                    rel,
                    spec.line_of("replicas"),
                    f"Deployment '{name}' runs one replica and no autoscaler: a node drain or a "
                    "crash takes it down; run at least two (and a PodDisruptionBudget)",
                    evidence="replicas: 1",
                )
            )
    return out


def architecture_review(repo: Repo) -> list[RoleFinding]:
    """Every System Architect finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> architecture_review(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    return [*_graph_findings(repo), *_service_findings(repo)]
