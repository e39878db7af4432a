"""What each role's review saw besides findings, as `kind: ...` lines a model (or a person) reads:
the facts a deliverable is built from (entry points, requirements, endpoints, table profiles)."""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo

__all__ = ["facts_for"]


def _entrypoints(repo: Repo) -> list[str]:
    from team.audit.web import web_inventory

    _, apps = web_inventory(repo)
    out = []
    for app in apps:
        module = app.file.removesuffix(".py").replace("/", ".")
        if app.framework in ("fastapi", "starlette"):
            run = f"uvicorn {module}:{app.name} --host 0.0.0.0 --port 8000"
        elif app.framework == "flask":
            run = f"gunicorn --bind 0.0.0.0:8000 {module}:{app.name}"
        else:
            run = "gunicorn --bind 0.0.0.0:8000 <project>.wsgi"
        out.append(f"entrypoint: {app.file}:{app.line} {app.framework} app={app.name} run={run}")
    return out


def _devops(repo: Repo) -> list[str]:
    from team.audit.devops import docker_facts

    out = _entrypoints(repo)
    for rel in repo.named(
        r"(?:^|/)requirements[\w.-]*\.txt$", r"^pyproject\.toml$", r"^setup\.py$"
    ):
        packages = [
            line.split("#")[0].strip()
            for line in repo.lines(rel)
            if line.strip() and not line.lstrip().startswith(("#", "-"))
        ]
        detail = f" packages={','.join(packages[:12])}" if rel.endswith(".txt") else ""
        out.append(f"dependencies: {rel}{detail}")
    version = re.search(r'requires-python\s*=\s*"[^\d]*(\d+\.\d+)', repo.text("pyproject.toml"))
    pinned = repo.text(".python-version").strip()
    out.append(f"python: {pinned or (version[1] if version else '3.12')}")
    for doc in docker_facts(repo):
        bases = ",".join(s["base"] for s in doc["stages"]) or "-"
        out.append(f"dockerfile: {doc['path']} stages={len(doc['stages'])} bases={bases}")
    ci = repo.named(r"^\.github/workflows/", r"^\.gitlab-ci\.yml$", r"^Jenkinsfile$")
    out.append(f"ci: {','.join(ci) if ci else 'none'}")
    tests = [f for f in repo.python if re.search(r"(?:^|/)tests?/|test_[^/]*\.py$", f)]
    out.append(f"tests: {len(tests)} file(s)" + (f" e.g. {tests[0]}" if tests else ""))
    return out


def _backend(repo: Repo) -> list[str]:
    from team.audit.backend import endpoint_table
    from team.audit.web import web_inventory

    endpoints, _ = web_inventory(repo)
    return endpoint_table(endpoints) + _schemas(repo)


_MODEL_BASES = {"BaseModel", "Schema", "TypedDict"}


def _schemas(repo: Repo) -> list[str]:
    """`schema: <Class> <path:line> field:type ...` for the request models of the repository
    (pydantic BaseModel, ninja Schema, TypedDict): what a load test or a contract sends."""
    out = []
    for rel, tree in repo.modules():
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {
                b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases
            }
            if not bases & _MODEL_BASES:
                continue
            fields = [
                f"{stmt.target.id}:{ast.unparse(stmt.annotation).replace(' ', '')}"
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
            ]
            if fields:
                out.append(f"schema: {node.name} {rel}:{node.lineno} {' '.join(fields)}")
    return out[:20]


def _data(repo: Repo) -> list[str]:
    from team.audit.data import data_files, profile_table, unprofiled

    skipped = unprofiled(repo)
    out = [f"table: {rel} not profiled (Parquet needs DuckDB: the data extra)" for rel in skipped]
    for rel in [f for f in data_files(repo) if f not in skipped][:10]:
        profile = profile_table(repo, rel)
        if not profile:
            continue
        first = next(iter(profile.values()))
        rows, total = first["rows"], first["total"]
        read = f"rows={rows}" if rows == total else f"rows={rows} of {total}"
        if total == -1:
            read = f"rows={rows} (the file's first MiB)"
        out.append(f"table: {rel} {read} columns={','.join(profile)}")
        for column, p in profile.items():
            rate = p["nulls"] / p["rows"] if p["rows"] else 0  # type: ignore[operator]
            kind = p["declared"] or (
                "numeric" if p["numeric"] and p["numeric"] == p["rows"] - p["nulls"] else "text"  # type: ignore[operator]
            )
            out.append(
                f"column: {rel} {column} type={kind} nulls={p['nulls']}/{p['rows']} ({rate:.1%}) "
                f"distinct={p['distinct']}"
            )
    return out


def _architecture(repo: Repo) -> list[str]:
    from team.audit.architecture import interfaces
    from team.audit.layers import contracts
    from team.audit.modules import module_graph

    graph = module_graph(repo)
    hubs = sorted(graph.nodes, key=lambda n: (-graph.in_degree(n), n))[:3]
    out = [f"modules: {graph.number_of_nodes()} files, {graph.number_of_edges()} import edges"]
    out += [
        f"hub: {n} imported by {graph.in_degree(n)} imports {graph.out_degree(n)}"
        for n in hubs
        if graph.in_degree(n)
    ]
    declared, _ = contracts(repo)
    out += [f"contract: {c.where} {c.kind} '{c.name}'" for c in declared]
    return out + interfaces(repo) + _entrypoints(repo) + _stores(repo)


# The client libraries of datastores and brokers, by import root: what a design choice about
# storage or messaging starts from.
STORE_CLIENTS = {
    "sqlite3": "SQLite",
    "psycopg": "PostgreSQL",
    "psycopg2": "PostgreSQL",
    "asyncpg": "PostgreSQL",
    "pg8000": "PostgreSQL",
    "pymysql": "MySQL",
    "MySQLdb": "MySQL",
    "sqlalchemy": "SQL database (SQLAlchemy)",
    "redis": "Redis",
    "kafka": "Kafka",
    "confluent_kafka": "Kafka",
    "aiokafka": "Kafka",
    "pika": "RabbitMQ",
    "aio_pika": "RabbitMQ",
    "pymongo": "MongoDB",
    "motor": "MongoDB",
    "elasticsearch": "Elasticsearch",
    "opensearchpy": "OpenSearch",
    "cassandra": "Cassandra",
    "clickhouse_driver": "ClickHouse",
    "duckdb": "DuckDB",
    "snowflake": "Snowflake",
    "boto3": "AWS (boto3)",
}


def _stores(repo: Repo) -> list[str]:
    """`store: <technology> <path:line>`, the first import of each datastore client."""
    first: dict[str, str] = {}
    for rel, tree in repo.modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                if root in STORE_CLIENTS:
                    first.setdefault(STORE_CLIENTS[root], f"{rel}:{node.lineno}")
    return [f"store: {name} {where}" for name, where in sorted(first.items())]


def _pm(repo: Repo) -> list[str]:
    from team.audit.product import doc_files, open_items, requirements

    out = [f"doc: {rel} lines={len(repo.lines(rel))}" for rel in doc_files(repo)[:10]]
    for rel in doc_files(repo)[:10]:
        out += [f"requirement: {rel}:{n} {text}" for n, text in requirements(repo, rel)[:10]]
        out += [f"open: {rel}:{n} {text}" for n, text in open_items(repo, rel)[:10]]
    return out


def _checked(repo: Repo, role: str) -> list[str]:
    """The rules of `role` that had something to read in this repository."""
    from team.audit.core import NOT_READ, RULES
    from team.audit.data import data_files
    from team.audit.devops import compose_services, docker_facts, k8s_documents
    from team.audit.layers import contracts
    from team.audit.product import doc_files
    from team.audit.web import web_inventory

    endpoints, _ = web_inventory(repo)
    kinds = {
        "python": bool(repo.python),
        "docker": bool(docker_facts(repo)),
        "k8s": bool(k8s_documents(repo)),
        "compose": bool(compose_services(repo)),
        "terraform": any(f.endswith(".tf") for f in repo.files),
        "workflows": bool(repo.named(r"^\.github/workflows/")),
        "requirements": bool(repo.named(r"(?:^|/)requirements[\w.-]*\.txt$")),
        "endpoints": bool(endpoints),
        "data": bool(data_files(repo)),
        "docs": bool(doc_files(repo)),
    }
    kinds["config"] = any(kinds[k] for k in ("docker", "k8s", "compose", "terraform", "workflows"))
    kinds["contracts"] = bool(contracts(repo)[0])
    kinds["conventions"] = kinds["python"] and not kinds["contracts"]
    needs = {
        "image-unpinned": "docker",
        "image-latest-tag": "docker",
        "docker-root-user": "docker",
        "docker-no-healthcheck": "docker",
        "docker-unpinned-install": "docker",
        "requirements-unpinned": "requirements",
        "plaintext-secret": "config",
        "k8s-no-resource-limits": "k8s",
        "k8s-no-probes": "k8s",
        "k8s-privileged": "k8s",
        "terraform-local-state": "terraform",
        "ci-unpinned-action": "workflows",
        "ci-no-cache": "workflows",
        "endpoint-no-auth": "endpoints",
        "post-not-idempotent": "endpoints",
        "list-not-paginated": "endpoints",
        "api-unversioned": "endpoints",
        "state-changing-get": "endpoints",
        "resource-loaded-per-request": "endpoints",
        "no-benchmarks": "endpoints",
        "data-null-key": "data",
        "data-duplicate-key": "data",
        "data-impossible-value": "data",
        "data-type-drift": "data",
        "data-naive-timestamp": "data",
        "layer-violation": "contracts",
        "forbidden-import": "contracts",
        "independence-violation": "contracts",
        "layer-convention": "conventions",
        "shared-database": "compose",
        "single-replica": "k8s",
        "doc-open-question": "docs",
        "requirement-no-acceptance": "docs",
        "goal-not-measurable": "docs",
    }
    return [
        rule
        for rule, spec in RULES.items()
        if spec.role == role and rule not in NOT_READ and kinds[needs.get(rule, "python")]
    ]


def facts_for(repo: Repo, role: str) -> list[str]:
    """The facts lines of one role (empty for a role with none), ending with `checked: ...`, the
    rules that had something to read."""
    table = {
        "devops_engineer": _devops,
        "backend_architect": _backend,
        "performance_engineer": _backend,
        "data_engineer": _data,
        "system_architect": _architecture,
        "pm": _pm,
    }
    if role not in table:
        return []
    checked = _checked(repo, role)
    return [*table[role](repo), f"checked: {','.join(checked) or '-'}"]
