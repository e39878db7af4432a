"""The System Architect's review: the module graph (import cycles, god modules, layering: see
`team.audit.layers`; the graph itself: `team.audit.modules`), and the services and interfaces
the manifests declare (a database shared by services, a single replica, the inventory).

For cycles only imports that run when a module loads count (module level, not under
`TYPE_CHECKING`); imports inside functions are how code breaks a cycle and are left out.
A god module is measured against the repository itself: its size (top-level definitions,
lines) and its coupling (modules that import it, modules it imports) all at the repository's
95th percentile or above, among hand-written modules (not tests, generated or vendored files,
`__init__` re-exports, or modules of declarations: types, schemas, ORM models).
"""

from __future__ import annotations

import ast
import re

import networkx as nx

from team.audit.core import RoleFinding, finding
from team.audit.devops import compose_services, k8s_documents
from team.audit.layers import layer_findings
from team.audit.modules import module_graph, statements
from team.audit.repo import Repo, YamlMap, is_test

__all__ = ["GOD_MODULE", "architecture_review", "interfaces"]

#: A god module's floors: top-level functions and classes, lines, importers and imports (each
#: limit is also at least the repository's own 95th percentile).
GOD_MODULE = {"definitions": 40, "lines": 800, "importers": 5, "imports": 5}
_FUNCTIONS = ast.FunctionDef | ast.AsyncFunctionDef
_VENDORED = re.compile(r"(?:^|/)(?:_?vendor(?:ed)?|third_party|externals?)/")
_GENERATED = re.compile(
    r"(?i)\b(?:auto-?generated|generated (?:by|from)|code generated|do not edit)\b"
)
#: Below this many statements in function bodies per line, a module declares (types, schemas,
#: ORM models) rather than does: a vocabulary every module imports, not a god module.
_BEHAVIOUR = 0.2
_DATABASES = re.compile(r"(?i)postgres|mysql|mariadb|mongo|redis|cassandra|mssql|oracle")


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
    out += _god_modules(repo, graph)
    return out


def _quantile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def _own_code(repo: Repo, rel: str, tree: ast.Module) -> bool:
    """Code the repository's authors write by hand: not a test, generated, vendored, or an
    `__init__` that mostly re-exports."""
    if is_test(rel) or _VENDORED.search(rel) or rel.endswith(("_pb2.py", "_pb2_grpc.py")):
        return False
    if _GENERATED.search("\n".join(repo.lines(rel)[:5])):
        return False
    if rel.endswith("__init__.py"):
        imports = sum(isinstance(n, ast.Import | ast.ImportFrom) for n in tree.body)
        return imports < _definitions(tree)
    return True


def _declarations(repo: Repo, rel: str, tree: ast.Module) -> bool:
    """Whether the module mostly declares (types, schemas, ORM models) rather than does: few
    statements in function bodies for its size."""
    functions = [n for n in statements(tree.body) if isinstance(n, _FUNCTIONS)]
    behaviour = sum(1 for f in functions for _ in statements(f.body))
    return behaviour < _BEHAVIOUR * max(len(repo.lines(rel)), 1)


def _definitions(tree: ast.Module) -> int:
    return sum(isinstance(n, _FUNCTIONS | ast.ClassDef) for n in tree.body)


def _god_modules(repo: Repo, graph: nx.DiGraph[str]) -> list[RoleFinding]:
    """Modules far larger than the repository's others that are also its hubs: many modules
    import them and they import many (size, fan-in and fan-out all at the repository's 95th
    percentile or above, and at least `GOD_MODULE`'s floors)."""
    rows = []
    trees = {}
    for rel, tree in repo.modules():
        if _own_code(repo, rel, tree):
            fan_in = sum(1 for s in graph.predecessors(rel) if not is_test(s))
            lines = len(repo.lines(rel))
            rows.append((rel, _definitions(tree), lines, fan_in, graph.out_degree(rel)))
            trees[rel] = tree
    floor = GOD_MODULE
    limits = (
        max(floor["definitions"], _quantile([r[1] for r in rows], 0.95)),
        max(floor["lines"], _quantile([r[2] for r in rows], 0.95)),
        max(floor["importers"], _quantile([r[3] for r in rows], 0.95)),
        max(floor["imports"], _quantile([r[4] for r in rows], 0.95)),
    )
    out = []
    for rel, definitions, lines, fan_in, fan_out in rows:
        if all(
            v >= limit
            for v, limit in zip((definitions, lines, fan_in, fan_out), limits, strict=True)
        ) and not _declarations(repo, rel, trees[rel]):
            out.append(
                finding(
                    "god-module",
                    rel,
                    1,
                    f"{rel} holds {definitions} top-level definitions in {lines} lines, "
                    f"{fan_in} modules import it and it imports {fan_out} (this repository's "
                    f"thresholds: {limits[0]} definitions, {limits[1]} lines, {limits[2]} "
                    f"importers, {limits[3]} imports): every change here touches them all; "
                    "split it by concept",
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


def _ports(value: object) -> str:
    """Compose `ports` or a Kubernetes Service's `ports`, as `published:target` items."""
    items = []
    for port in value if isinstance(value, list) else []:
        if isinstance(port, dict):
            outer = port.get("published", port.get("port", ""))
            inner = port.get("target", port.get("targetPort", ""))
            protocol = port.get("protocol", "")
            text = f"{outer}:{inner}" if outer != "" and inner != "" else f"{outer}{inner}"
            items.append(text + (f"/{protocol}" if protocol else ""))
        else:
            items.append(str(port))
    return ",".join(items) or "-"


def interfaces(repo: Repo) -> list[str]:
    """The services and interfaces the manifests declare, one line each: compose services (image,
    ports, depends_on) and Kubernetes Services (type, ports, selector).

    Example:
        >>> from pathlib import Path
        >>> interfaces(Repo.scan(Path("tests/fixtures/roles/system/planted")))[1]
        'service: compose.yaml:4 api image=build ports=8000:8000 depends_on=db'
    """
    out = []
    for rel, name, service, line in compose_services(repo):
        depends = service.get("depends_on") or []
        out.append(
            f"service: {rel}:{line} {name} image={service.get('image', 'build')} "
            f"ports={_ports(service.get('ports'))} depends_on={','.join(map(str, depends)) or '-'}"
        )
    for rel, doc in k8s_documents(repo):
        spec = doc.get("spec")
        if doc.get("kind") != "Service" or not isinstance(spec, YamlMap):
            continue
        selector = spec.get("selector") or {}
        labels = (
            ",".join(f"{k}={v}" for k, v in selector.items()) if isinstance(selector, dict) else "-"
        )
        out.append(
            f"k8s-service: {rel}:{doc.line} {(doc.get('metadata') or {}).get('name', '?')} "
            f"type={spec.get('type', 'ClusterIP')} ports={_ports(spec.get('ports'))} "
            f"selector={labels or '-'}"
        )
    return out


def architecture_review(repo: Repo) -> list[RoleFinding]:
    """Every System Architect finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> architecture_review(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    return [*_graph_findings(repo), *layer_findings(repo), *_service_findings(repo)]
