"""The Performance Engineer's review: queries in loops (also through helper functions), blocking
I/O in async functions and HTTP calls without a timeout (ruff ASYNC2xx, S113), unbounded caches
(`caches.py`), large resources loaded per request, and a service with no benchmark or load test.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache, partial
from typing import cast

from team.audit.caches import cache_findings
from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_migration, is_test
from team.audit.ruff import ruff_findings
from team.audit.web import web_inventory

__all__ = ["performance_review", "query_functions"]

_DB_RECEIVER = re.compile(r"(?i)(?:^|_)(?:session|db|conn|connection|cursor|cur|engine|tx)$")
_QUERY_ATTRS = frozenset(
    ["execute", "scalars", "scalar", "query", "fetch", "fetchrow", "fetchval", "raw"]
)
# A Django queryset runs its query when evaluated: these reads do, the lazy ones only when the
# queryset is iterated or passed to list()/len() (`_evaluated`). A write per item (create, update)
# is most often the work itself, not an N+1 read.
_ORM_ATTRS = frozenset(
    ["get", "first", "last", "count", "exists", "aggregate", "latest", "earliest", "in_bulk"]
)
_ORM_LAZY = frozenset(["filter", "all", "exclude", "values", "values_list", "select_related"])
# A SQLAlchemy query (Flask-SQLAlchemy's `Model.query`) runs when one of these ends the chain.
_QUERY_RUNS = frozenset(
    [
        "first",
        "one",
        "one_or_none",
        "scalar",
        "all",
        "count",
        "get",
        "first_or_404",
        "get_or_404",
        "paginate",
        "exists",
    ]
)


def _evaluated(node: ast.AST) -> set[int]:
    """ids of the expressions that are iterated (for/comprehension) or materialised
    (list, len, set, tuple, sorted, bool) inside `node`."""
    out: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension):
            out.add(id(sub.iter))
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Name)
            and sub.func.id in ("list", "len", "set", "tuple", "sorted", "bool")
            and sub.args
        ):
            out.add(id(sub.args[0]))
    return out


_LOADERS = frozenset(
    [
        "load_model",
        "from_pretrained",
        "read_csv",
        "read_parquet",
        "read_excel",
        "read_feather",
        "read_pickle",
        "load_workbook",
    ]
)
_LOADER_MODULES = {
    "joblib": "load",
    "pickle": "load",
    "torch": "load",
    "np": "load",
    "numpy": "load",
}
_BENCH_FILES = re.compile(
    r"(?i)(?:^|/)(?:bench\w*|\w*benchmark\w*|locustfile\w*|\w*load_?test\w*|k6\w*|perf\w*)(?:/|\.py$|\.js$)"
)


def _is_query(
    call: ast.Call, evaluated: Callable[[], set[int]] | None = None, *, model_query: bool = False
) -> bool:
    """A call that runs a database query: a Django manager method, or a query method on a
    session/connection/cursor-named receiver, or `execute` of a SELECT literal; with
    `model_query`, also a Flask-SQLAlchemy `Model.query...first()`."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    receiver = ast.unparse(func.value)
    if model_query and re.match(r"[A-Z]\w*\.query(?:\.|$)", receiver):
        return func.attr in _QUERY_RUNS
    if re.search(r"(?:^|\.)[A-Z]\w*\.objects(?:\.|$)", receiver):  # Model.objects (Django)
        return func.attr in _ORM_ATTRS or (
            func.attr in _ORM_LAZY and evaluated is not None and id(call) in evaluated()
        )
    first = call.args[0] if call.args else None
    if func.attr == "execute" and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return bool(re.match(r"(?is)\s*(?:select|with)\b", first.value))
    if func.attr == "execute" and first is not None and _write_statement(first):
        return False
    db = _DB_RECEIVER.search(receiver.rsplit(".", 1)[-1]) is not None
    if func.attr == "get":  # session.get(Model, id), not an HTTP session's get(url)
        return db and isinstance(first, ast.Name) and first.id[:1].isupper()
    return db and func.attr in _QUERY_ATTRS


_WRITES = frozenset(["update", "delete", "insert"])


def _write_statement(expr: ast.expr) -> bool:
    """A SQLAlchemy UPDATE/DELETE/INSERT (`update(Model).where(...)`, `table.delete()`,
    `sa.insert(...)`): executed once per item it writes that item, the work itself (as a Django
    `create` or `update` per item is), not a read a join or an IN would replace."""
    node = expr
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _WRITES:
            return True
        node = node.func.value
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _WRITES
    )


def _name(call: ast.Call) -> str:
    func = call.func
    return (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )


Key = tuple[str, str]  # (file, "function" or "Class.method")


def _imports(repo: Repo, rel: str, tree: ast.Module) -> dict[str, Key]:
    """Names a module imports from repository modules: local name -> (file, function)."""
    from team.audit.architecture import module_names

    names = module_names(repo)
    package = rel.rsplit("/", 1)[0].replace("/", ".") if "/" in rel else ""
    out: dict[str, Key] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            target = names.get(base)
            if target is not None:
                out.update({a.asname or a.name: (target, a.name) for a in node.names})
    return out


def _units(tree: ast.Module) -> list[tuple[str, str, ast.AST]]:
    """(class or "", function name, node) of module-level functions and methods."""
    out: list[tuple[str, str, ast.AST]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append(("", node.name, node))
        elif isinstance(node, ast.ClassDef):
            out += [
                (node.name, n.name, n)
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return out


def _callee(
    call: ast.Call, rel: str, cls: str, local: set[str], imported: dict[str, Key]
) -> Key | None:
    """The repository function a call reaches: a module function, an imported one, or a method
    of the enclosing class through self/cls; None for anything else."""
    func = call.func
    if isinstance(func, ast.Name):
        return (rel, func.id) if func.id in local else imported.get(func.id)
    if (
        cls
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in ("self", "cls")
    ):
        return (rel, f"{cls}.{func.attr}")
    return None


def query_functions(repo: Repo, *, model_query: bool = False) -> dict[Key, tuple[str, int]]:
    """Functions and methods of the repository that run a query, directly or through other such
    functions (three levels deep): (file, name) -> (path, line of the query). `model_query`
    also counts Flask-SQLAlchemy's `Model.query...first()` (see `_is_query`)."""
    memo = f"queries:{model_query}"
    if memo in repo.memo:
        return cast("dict[Key, tuple[str, int]]", repo.memo[memo])
    calls: dict[Key, list[Key]] = {}
    found: dict[Key, tuple[str, int]] = {}
    for rel, tree in repo.modules():
        imported = _imports(repo, rel, tree)
        local = {name for cls, name, _ in _units(tree) if not cls}
        for cls, name, node in _units(tree):
            key = (rel, f"{cls}.{name}" if cls else name)
            evaluated = cache(partial(_evaluated, node))  # walked only for a lazy queryset
            for sub in ast.walk(node):
                if not isinstance(sub, ast.Call):
                    continue
                if _is_query(sub, evaluated, model_query=model_query):
                    found.setdefault(key, (rel, sub.lineno))
                else:
                    target = _callee(sub, rel, cls, local, imported)
                    if target is not None:
                        calls.setdefault(key, []).append(target)
    for _ in range(3):  # helpers of helpers
        for key, targets in calls.items():
            if key not in found:
                hit = next((t for t in targets if t in found), None)
                if hit is not None:
                    found[key] = found[hit]
    repo.memo[memo] = found
    return found


_SCHEMA_LOOP = re.compile(
    r"(?i)column|\bcols?\b|table|index|trigger|extension|\bext\b|chunk|batch|statement|\bsql"
    r"|quer(?:y|ies)|migration|schema|foreign_?key|\bfks?\b|pragma|\bpaths?_?\b|\bfiles?\b"
    r"|database|\bdbs?\b|\bdb_name|\bfn\b|function|shard|partition|extract|checksum|algorithm"
    r"|digest_type|\bstates?\b|choices"
)


# A helper run once per item counts when it reads (get_x, fetch, find, count...); one that acts
# (process, send, cancel, handle) per item is the work itself, even if it queries on the way.
_READER = re.compile(
    r"(?i)^_*(?:get|fetch|find|load|lookup|read|query|select|count|has|is|exists|resolve|retrieve)"
)


def _over_schema(loop: ast.AST) -> bool:
    """A loop over tables, columns, indexes, extensions, databases or chunks (or over a literal
    tuple): each pass handles a schema object or a batch, not one row of a result."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        target, source = loop.target, loop.iter
    elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        target, source = loop.generators[0].target, loop.generators[0].iter
    else:
        return False
    if isinstance(source, ast.Tuple | ast.List | ast.Set) and all(
        isinstance(e, ast.Constant) for e in source.elts
    ):
        return True
    if _fixed_count(source):
        return True
    return bool(_SCHEMA_LOOP.search(f"{ast.unparse(target)} in {ast.unparse(source)}"))


def _fixed_count(source: ast.expr) -> bool:
    """`range(10)`, `range(MAX_RETRIES)`: a loop run a fixed number of times (a retry of one
    query, a lock attempt) does not grow with the rows stored, whatever it runs."""
    return (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "range"
        and bool(source.args)
        and all(
            (isinstance(a, ast.Constant) and isinstance(a.value, int))
            or (isinstance(a, ast.Name) and a.id.lstrip("_").isupper())
            for a in source.args
        )
    )


def _in_handlers(unit: ast.AST) -> set[int]:
    """ids of the nodes inside `except` blocks: a loop there is the one-by-one fallback after a
    batched attempt failed (a bulk delete refused), not the path every call takes."""
    return {
        id(node)
        for handler in ast.walk(unit)
        if isinstance(handler, ast.ExceptHandler)
        for stmt in handler.body
        for node in ast.walk(stmt)
    }


def _combined(body: list[ast.AST]) -> set[int]:
    """ids of the calls whose result is or-ed or and-ed into a query being built
    (`qs |= objects_for(user, perm)`, `q = q & f(...)`): one lazy query grows per pass and
    runs once after the loop, as Django querysets and Q objects do."""
    out: set[int] = set()
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.BitOr | ast.BitAnd):
            out.add(id(node.value))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr | ast.BitAnd):
            out |= {id(node.left), id(node.right)}
    return out


def _loop_bodies(tree: ast.AST) -> list[tuple[ast.AST, list[ast.AST]]]:
    out: list[tuple[ast.AST, list[ast.AST]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.AsyncFor):  # a while loop polls; N+1 walks a collection
            out.append((node, list(node.body)))
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            out.append((node, [node.elt]))
        elif isinstance(node, ast.DictComp):
            out.append((node, [node.key, node.value]))
    return out


def _n_plus_one(repo: Repo) -> list[RoleFinding]:
    helpers = query_functions(repo)
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel) or is_migration(rel):
            continue
        imported = _imports(repo, rel, tree)
        local = {name for cls, name, _ in _units(tree) if not cls}
        seen: set[int] = set()
        for cls, name, unit in _units(tree):
            if re.search(r"(?i)migrat|upgrade|downgrade", name):
                continue  # applies a list of schema steps once, not a query per row
            evaluated = cache(partial(_evaluated, unit))
            fallbacks = _in_handlers(unit)
            for loop, body in _loop_bodies(unit):
                if _over_schema(loop) or id(loop) in fallbacks:
                    continue
                loop_vars = {
                    n.id
                    for n in ast.walk(getattr(loop, "target", ast.Pass()))
                    if isinstance(n, ast.Name)
                }
                combined = _combined(body)
                for call in (c for stmt in body for c in ast.walk(stmt) if isinstance(c, ast.Call)):
                    if call.lineno in seen or id(call) in combined:
                        continue
                    first = call.args[0] if call.args else None
                    if (
                        isinstance(first, ast.Name)
                        and first.id in loop_vars
                        and _name(call) == "execute"
                    ):
                        continue  # running a list of statements, not a query per row
                    target = _callee(call, rel, cls, local, imported)
                    if _is_query(call, evaluated):
                        how = f"{ast.unparse(call.func)}() runs a query"
                    elif target in helpers and _READER.match(target[1].rsplit(".", 1)[-1]):
                        where = helpers[target]
                        how = f"{_name(call)}() runs a query (at {where[0]}:{where[1]})"
                    else:
                        continue
                    seen.add(call.lineno)
                    out.append(
                        finding(
                            "n-plus-one-query",
                            rel,
                            call.lineno,
                            f"{how} once per iteration of the loop at line {getattr(loop, 'lineno', 0)}: N+1 "
                            "round trips; fetch the rows in one query (join, IN, prefetch)",
                            evidence=repo.line_text(rel, call.lineno),
                        )
                    )
                    break
    return out


def _loads(fn: ast.AST) -> ast.Call | None:
    for call in ast.walk(fn):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if func.attr in _LOADERS or _LOADER_MODULES.get(owner) == func.attr:
                return call
        elif isinstance(func, ast.Name) and func.id in _LOADERS:
            return call
    return None


def _per_request(repo: Repo) -> list[RoleFinding]:
    endpoints, _ = web_inventory(repo)
    out: list[RoleFinding] = []
    for e in endpoints:
        if e.node is None:
            continue
        call = _loads(e.node)
        if call is not None:
            out.append(
                finding(
                    "resource-loaded-per-request",
                    e.file,
                    call.lineno,
                    f"{e.method} {e.path} loads {ast.unparse(call.func)}(...) on every request; "
                    "load it once at start-up and reuse it",
                    evidence=repo.line_text(e.file, call.lineno),
                )
            )
    return out


def _benchmarks(repo: Repo) -> list[RoleFinding]:
    endpoints, apps = web_inventory(repo)
    if all(e.public for e in endpoints) or repo.named(_BENCH_FILES.pattern):
        return []
    if any("benchmark" in repo.text(f) for f in repo.python if is_test(f)):
        return []
    first = apps[0] if apps else endpoints[0]
    return [
        finding(
            "no-benchmarks",
            first.file,
            first.line,
            f"the service has {len(endpoints)} endpoint(s) and no benchmark or load test "
            "(no bench/, locustfile, k6 script or pytest-benchmark); nothing measures latency "
            "before a release",
            evidence=repo.line_text(first.file, first.line),
        )
    ]


def performance_review(repo: Repo) -> list[RoleFinding]:
    """Every Performance Engineer finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in performance_review(Repo.scan(Path("scenarios/fixtures/churn")))]
        ['no-benchmarks']
    """
    from team.audit.per_row import serializer_queries  # it reads query_functions from here

    endpoints, _ = web_inventory(repo)
    out = [*_n_plus_one(repo), *serializer_queries(repo)]
    out += cache_findings(repo, {e.file for e in endpoints})
    out += _per_request(repo)
    out += _benchmarks(repo)
    from_ruff = ruff_findings(
        repo,
        {
            "blocking-io-in-async": "a blocking call inside an async function stalls the "
            "event loop for every request; use the async client or run it in a thread",
            "http-no-timeout": "an HTTP call without a timeout hangs the caller as long as "
            "the server does; pass timeout=",
        },
        skip_tests=True,
    )
    out += [f for f in from_ruff if not _debug_only(repo, f.path, f.line)]
    return out


_DEBUG = re.compile(r"(?i)profiling|profiler|debug")  # not "profile": a user's profile


def _spans(nodes: ast.stmt | list[ast.stmt], line: int) -> bool:
    """Whether `line` lies within a statement or a block of statements."""
    block = nodes if isinstance(nodes, list) else [nodes]
    return block[0].lineno <= line <= (block[-1].end_lineno or block[-1].lineno)


def _debug_only(repo: Repo, rel: str, line: int) -> bool:
    """Whether a line only runs when profiling or debugging: in a module, class or function
    named *profiling*, *profiler* or *debug*, or under an `if` whose test names them (`if settings.DEBUG:`,
    `if PROFILING_ENABLED:`). A file a profiler writes serves developers, not the traffic."""
    if _DEBUG.search(rel.rsplit("/", 1)[-1]):
        return True
    tree = repo.tree(rel)
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            inside, debug = _spans(node, line), _DEBUG.search(node.name) is not None
        elif isinstance(node, ast.If):
            inside, debug = (
                _spans(node.body, line),
                _DEBUG.search(ast.unparse(node.test)) is not None,
            )
        else:
            continue
        if inside and debug:
            return True
    return False
