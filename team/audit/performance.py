"""The Performance Engineer's review: queries in loops (also through helper functions; what a query
is: `queries.py`; loops whose count the code fixes: `loop_bounds.py`; passes that each fetch a
whole group or read a configuration table: `batched.py`; a serializer run per row of a list
endpoint: `per_row.py`; a nested related serializer or a querying model property read per
row: `nested_rows.py`; one object's eagerly loaded children: `eager_children.py`; on an app
whose only database is a SQLite file, only passes that commit, outside background tasks:
`databases.py`), blocking I/O in async functions and HTTP calls without a timeout (ruff
ASYNC2xx, S113; through a requests session: `sessions.py`; through a synchronous SDK client:
`sync_clients.py`; through a synchronous SQLAlchemy session: `sync_sessions.py`; through peewee:
`sync_peewee.py`; through a plain function of its own: `sync_helpers.py`; through an XML-RPC
proxy: `xmlrpc_proxies.py`; a timeout of None, written or handed down: `none_timeouts.py`; small
files
that do not stall the loop: `small_files.py`; files the app's configuration names:
`config_files.py`), unbounded
caches (`caches.py`), large resources loaded per request, and a service with no benchmark or
load test (one under a name of its own: `load_drivers.py`; routes with nothing to time:
`quiet_routes.py`; a reusable Django app only its tests run, or that nothing deploys:
`library_apps.py`; what shows a service deployed, named in the finding: `deployed.py`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Hashable
from functools import cache, partial
from pathlib import Path

from team.audit.batched import batched_calls, over_query_rows, reads_configuration
from team.audit.caches import cache_findings
from team.audit.client_timeouts import client_timeouts
from team.audit.components import host_plugin, hosted_library
from team.audit.config_files import configured_file
from team.audit.core import RoleFinding, finding, one_per_cause
from team.audit.databases import commits_per_pass, in_process_only
from team.audit.declared_benchmarks import (
    cites_load_tests,
    declares_benchmark_tool,
    names_benchmark_folder,
)
from team.audit.deltas import over_delta
from team.audit.deployed import repo_deployment, service_phrase
from team.audit.dev_servers import probes_local_server
from team.audit.documents import over_document_elements
from team.audit.eager_children import over_eager_children
from team.audit.endpoints import Endpoint
from team.audit.few_passes import (
    at_login,
    key_matched,
    looks_up_table,
    merges_records,
    one_pass,
    over_filter_values,
    over_login_memberships,
    over_orphans,
    over_request_values,
    stops_at_first_hit,
)
from team.audit.library_apps import installable_app, tested_library
from team.audit.load_drivers import ships_load_driver
from team.audit.local_streams import streams_to_local_service
from team.audit.loop_bounds import bounded_loop, imports_records, sessions_per_pass
from team.audit.managers import manager_methods
from team.audit.method_fields import method_field_queries
from team.audit.migrate_hooks import migrate_receivers, runs_at_migrate
from team.audit.nested_rows import nested_row_queries
from team.audit.none_timeouts import none_timeouts
from team.audit.off_the_loop import handle_handed_on, runs_before_serving
from team.audit.one_row import writes_one_row
from team.audit.passed_in import passed_literals, passed_request_values
from team.audit.pattern_lookups import matches_item_pattern
from team.audit.per_row import serializer_queries
from team.audit.queries import (
    call_name,
    callee,
    class_method,
    evaluated_exprs,
    function_nodes,
    is_query,
    local_imports,
    members,
    per_row_updates,
    query_functions,
    runs_bound_write,
    units,
)
from team.audit.quiet_routes import quiet_routes
from team.audit.remote_passes import remote_per_pass
from team.audit.repo import Repo, assignments, innermost_function, is_migration, is_test
from team.audit.ruff import ruff_findings
from team.audit.sessions import session_timeouts
from team.audit.small_files import (
    downloaded_read,
    reads_packaged_document,
    side_file,
    upload_written,
)
from team.audit.subqueries import subquery_builders
from team.audit.sync_clients import sync_client_calls
from team.audit.sync_helpers import sync_helper_calls
from team.audit.sync_peewee import sync_peewee_calls
from team.audit.sync_sessions import sync_session_calls
from team.audit.timeouts import no_request_waits, timeout_from_settings
from team.audit.uncalled import only_tests_call, shadowed, uncalled, unused_class
from team.audit.url_opens import urlopen_timeouts
from team.audit.validated_values import over_validated_data, validates_each_value
from team.audit.waited_processes import waited_processes
from team.audit.web import web_inventory
from team.audit.written_each import memoized, over_request_data, writes_each_item
from team.audit.xmlrpc_proxies import xmlrpc_timeouts

__all__ = ["performance_review"]

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
        # a pool of worker processes or threads: started and torn down per request
        "ProcessPoolExecutor",
        "ThreadPoolExecutor",
    ]
)
_LOADER_MODULES = {
    "joblib": "load",
    "pickle": "load",
    "torch": "load",
    "np": "load",
    "numpy": "load",
}
# a benchmark or a load test: code (pytest-benchmark, a locustfile, a k6 script) or the config of
# a load-testing tool (keystone's Rally scenarios in `rally-jobs/keystone.yaml`, a JMeter `.jmx`
# plan, a Gatling simulation)
_BENCH_FILES = re.compile(
    r"(?i)(?:^|/)(?:bench\w*|\w*benchmark\w*|\w*locust\w*|\w*load[_-]?tests?\w*|k6\w*|perf\w*"
    r"|rally[\w-]*|jmeter\w*|gatling\w*|\w*performance_tests?\w*)(?:/|\.(?:py|js|ts|ya?ml|json|jmx|scala)$)|\.jmx$"
)
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# A reviewed folder with one of these is a project of its own (an app with its requirements, a
# repository with its README): its load tests are inside it, not in whatever encloses it.
_OWN_PROJECT = (*_PROJECT_MARKERS, "requirements.txt", "README.md", "README.rst", "Dockerfile")


# A helper run once per item counts when it reads (get_x, fetch, find, count...); one that acts
# (process, send, cancel, handle) per item is the work itself, even if it queries on the way.
# A converter of one row to what a response shows (pulp-python's `python_content_to_download_info`)
# reads too.
_READER = re.compile(
    r"(?i)^_*(?:get|fetch|find|load|lookup|read|query|select|count|has|is|exists|resolve|retrieve)"
    r"|_to_\w*(?:info|dict|json|data|urls?)$"
)


def _in_handlers(unit: ast.AST) -> set[int]:
    """ids of the nodes inside `except` blocks: a loop there is the one-by-one fallback after a
    batched attempt failed (a bulk delete refused), not the path every call takes; a query
    there inside a loop runs for the passes whose try failed (django-ditto's tag saver reads
    the clashing tag under `except IntegrityError`, byro's import under a concurrent insert,
    pulpcore's purge deletes one by one under `except ProtectedError`)."""
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


# Code that runs once, at install or upgrade time: a migration, a fixture loader, a populate or
# bootstrap script (flaskbb's utils/populate.py, called only from its CLI), or one that makes
# test or demo data (Golden Config's generate_..._test_data command); or at start-up: an
# `init_*` step or a startup hook (jupyterhub's init_role_assignment), run once per process,
# not once per request or job.
_ONE_OFF = re.compile(
    r"(?i)migrat|upgrade|downgrade|populat|fixture|bootstrap|^install|seed_|^_?init_|startup"
    r"|(?:test|fake|demo|sample|dummy|mock)_?data"
)


def _n_plus_one(repo: Repo) -> list[RoleFinding]:
    helpers = query_functions(repo)
    custom = manager_methods(repo)  # Model.objects.my_method(...) of the repository's managers
    in_process = in_process_only(repo)  # a read is a call into SQLite, no round trip
    at_migrate = migrate_receivers(repo)  # handlers run by `manage.py migrate`
    out: list[tuple[Hashable, RoleFinding]] = []  # keyed by cause: the helper, or the place
    for rel, tree in repo.modules():
        if is_test(rel) or is_migration(rel) or _ONE_OFF.search(rel.rsplit("/", 1)[-1]):
            continue
        if _command_line(rel):
            continue  # one operator's command (`cli/database/users/create.py`), no request path
        if _makes_test_data(tree):
            continue
        imported = local_imports(repo, rel, tree)
        local = {name for cls, name, _ in units(tree) if not cls}
        classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
        seen: set[int] = set()
        for cls, name, unit in units(tree):
            if _ONE_OFF.search(name):
                continue  # runs once (schema steps, install data), not a query per row served
            if _prompts_operator(unit):
                continue  # run by hand at a keyboard, not on a request path
            if runs_at_migrate(unit, rel, at_migrate):
                continue  # a deploy step, once per migrated app (`migrate_hooks.py`)
            if merges_records(cls, name):
                continue  # the few duplicates a user picked to merge
            evaluated = cache(partial(evaluated_exprs, unit))
            built = cache(partial(subquery_builders, unit))
            bound = cache(partial(assignments, unit))
            attributes = cache(partial(members, classes[cls])) if cls in classes else dict
            fallbacks = _in_handlers(unit)
            for loop, body in _loop_bodies(unit):
                if bounded_loop(loop, unit, tree) or id(loop) in fallbacks:
                    continue
                if imports_records(loop, unit, rel) or over_request_values(loop, unit):
                    continue
                if over_document_elements(loop, unit, repo):
                    continue  # the elements of one XML message handed in (`documents.py`)
                if over_delta(loop, unit, tree):
                    continue  # the drift between two sets of keys (`deltas.py`)
                if passed_request_values(loop, unit, cls, repo):
                    continue  # a helper's parameter its callers fill from the request
                if passed_literals(loop, unit, cls, repo):
                    continue  # a helper's parameter its callers fill with lists they write
                if validates_each_value(loop, unit, classes.get(cls)):
                    continue  # one payload's values checked one by one (`validated_values.py`)
                if at_login(unit) or over_login_memberships(loop, unit):
                    continue  # the few memberships of one identity, resolved at login
                if looks_up_table(body) or over_orphans(loop, unit):
                    continue
                if over_eager_children(loop, unit, cls, repo) or over_filter_values(
                    loop, unit, cls, classes
                ):
                    continue
                if _polls(body) or _copies_files(body):
                    continue
                if remote_per_pass(loop, unit, cls, name, _job_module(repo, rel)):
                    continue  # a sync calling a remote API per item (`remote_passes.py`)
                if one_pass(loop):
                    continue  # the body ends every pass: the loop runs once (`few_passes.py`)
                if stops_at_first_hit(loop, unit) and not over_query_rows(loop, unit):
                    continue  # tries one object's few keys until one is stored
                if in_process and (
                    _background(repo, rel)  # no request waits on the task or on the file
                    or not commits_per_pass(repo, body, (rel, cls, local, imported))
                ):
                    continue
                loop_vars = {
                    n.id
                    for n in ast.walk(getattr(loop, "target", ast.Pass()))
                    if isinstance(n, ast.Name)
                }
                combined = _combined(body)
                own = sessions_per_pass(body)
                batched = batched_calls(loop, unit, tree)
                updates = per_row_updates(loop)
                for call in (c for stmt in body for c in ast.walk(stmt) if isinstance(c, ast.Call)):
                    if call.lineno in seen or id(call) in combined or _receiver(call) in own:
                        continue
                    if id(call) in fallbacks:
                        continue  # runs when this pass's try failed, not on every pass
                    if key_matched(call, body, loop_vars) or _fills_missing(body, call):
                        continue
                    if matches_item_pattern(call, loop_vars):
                        continue  # a prefix or substring match per item: no IN folds them
                    if (
                        over_request_data(loop, unit, tree)
                        or over_validated_data(loop, unit, classes.get(cls))
                    ) and writes_each_item(call, body, loop_vars):
                        break  # a write per item anyway: the pass is write-bound (`written_each.py`)
                    if id(call) in batched:
                        continue  # one IN (...) per group: as many queries as keys, not rows
                    first = call.args[0] if call.args else None
                    if (
                        isinstance(first, ast.Name)
                        and first.id in loop_vars
                        and call_name(call) == "execute"
                    ):
                        continue  # running a list of statements, not a query per row
                    if runs_bound_write(call, bound(), attributes()):
                        continue  # an INSERT/UPDATE/DELETE built just before: the write itself
                    if id(call) in updates:
                        continue  # an UPDATE of this pass's own value: no IN folds them
                    if writes_one_row(call, loop, body):
                        continue  # the one row a key fixed outside the loop picks (`one_row.py`)
                    if id(call) in built():
                        continue  # a subquery of the statement run after the loop
                    target = callee(call, rel, cls, local, imported) or class_method(
                        repo, rel, call
                    )
                    cause: Hashable = (rel, call.lineno)
                    if is_query(call, evaluated, custom=custom):
                        if reads_configuration(call, cls) and not over_query_rows(loop, unit):
                            continue  # one row per key the application defines
                        how = f"{ast.unparse(call.func)}() runs a query"
                    elif target in helpers and _READER.search(target[1].rsplit(".", 1)[-1]):
                        where = helpers[target]
                        how = f"{call_name(call)}() runs a query (at {where[0]}:{where[1]})"
                        cause = target  # one helper called per item in many loops: one fix
                        if looks_up_table([function_nodes(repo).get(target, ast.Pass())]):
                            continue  # the helper queries a table it looks up for this pass
                        if memoized(function_nodes(repo).get(target)) or memoized(
                            _holding(repo, where)
                        ):
                            continue  # once per key for the life of the process (or a cache's)
                    else:
                        continue
                    if uncalled(repo, rel, call.lineno):
                        break  # a function nothing runs (`uncalled.py`)
                    seen.add(call.lineno)
                    f = finding(
                        "n-plus-one-query",
                        rel,
                        call.lineno,
                        f"{how} once per iteration of the loop at line {getattr(loop, 'lineno', 0)}: N+1 "
                        "round trips; fetch the rows in one query (join, IN, prefetch)",
                        evidence=repo.line_text(rel, call.lineno),
                    )
                    out.append((cause, f))
                    break
    return one_per_cause(out)


def _holding(repo: Repo, where: tuple[str, int]) -> ast.AST | None:
    """The innermost function of the repository whose body holds the query at `where`: the
    helper a called function reaches it through (openwisp-monitoring's `_get_or_create` reads
    through `_get_metric`, which a 24-hour `cache_memoize` wraps)."""
    rel, line = where
    around = [
        node
        for (path, _), node in function_nodes(repo).items()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and path == rel
        and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    return max(around, key=lambda node: node.lineno, default=None)


def _makes_test_data(tree: ast.Module) -> bool:
    """Whether the module imports factory_boy (`import factory`): its factories seed test and
    demo databases (nautobot's ipam/factory.py), they never run on a request path."""
    return any(
        (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "factory" for a in node.names)
        )
        or (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] == "factory"
            and not node.level
        )
        for node in tree.body
    )


def _prompts_operator(unit: ast.AST) -> bool:
    """The function asks its operator with `input(...)` (django-polaris' `testnet reset` prompts
    for each asset's seed): someone runs it by hand and waits at the keyboard, so its loops
    serve no request; a function that only calls one that prompts is still reviewed.

    Example:
        >>> _prompts_operator(ast.parse("def reset():\\n    seed = input('Seed: ')"))
        True
        >>> _prompts_operator(ast.parse("def reset(form):\\n    seed = form.input('Seed')"))
        False
    """
    return any(
        isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "input"
        for c in ast.walk(unit)
    )


def _fills_missing(body: list[ast.AST], call: ast.Call) -> bool:
    """The query runs under `if "count" not in item:` and the branch stores `item["count"] =
    ...`: it fills a value kept with the item, so each item is looked up once ever, not on
    every pass (galaxy's line counts of a user's custom builds, saved back in preferences)."""
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if not (isinstance(node, ast.If) and _spans(node.body, call.lineno)):
            continue
        tests = node.test.values if isinstance(node.test, ast.BoolOp) else [node.test]
        missing = {
            (ast.unparse(c.comparators[0]), c.left.value)
            for c in tests
            if isinstance(c, ast.Compare)
            and isinstance(c.ops[0], ast.NotIn)
            and isinstance(c.left, ast.Constant)
        }
        stored = {
            (ast.unparse(t.value), t.slice.value)
            for n in (m for st in node.body for m in ast.walk(st))
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant)
        }
        if missing & stored:
            return True
    return False


_FILE_WORK = frozenset({"copyfileobj", "copy", "copy2", "copyfile", "copytree", "make_archive"})


def _copies_files(body: list[ast.AST]) -> bool:
    """Each pass copies a file (`shutil.copyfileobj(artifact.file, dest)`, or writes one it
    opened to write): the lookup beside it is noise next to the copy (pulp-container's build
    context, one artifact copied out of storage per entry)."""
    for n in (n for stmt in body for n in ast.walk(stmt)):
        if not isinstance(n, ast.Call):
            continue
        if call_name(n) in _FILE_WORK and ast.unparse(n.func).startswith("shutil."):
            return True
        mode = n.args[1] if len(n.args) > 1 else None
        if (
            call_name(n) == "open"
            and isinstance(mode, ast.Constant)
            and isinstance(mode.value, str)
            and "w" in mode.value
        ):
            return True
    return False


def _polls(body: list[ast.AST]) -> bool:
    """A loop that sleeps on every pass (`for _ in range(wait): time.sleep(1); Task.objects.get(
    pk=...)`) polls one thing until it changes: its queries wait on the clock, not on a
    collection that grows, so it is no N+1 (pulp-container's wait for a dispatched task)."""
    return any(
        isinstance(n, ast.Call) and call_name(n) == "sleep" for stmt in body for n in ast.walk(stmt)
    )


def _receiver(call: ast.Call) -> str:
    """`session` for `session.execute(...)` or `session.query(User).all()`: the name the call's
    chain is rooted at ("" for a plain function call such as `get(...)`)."""
    node: ast.expr = call.func
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) and node is not call.func else ""


def _fan_out_pools(fn: ast.AST) -> set[int]:
    """ids of `with ThreadPoolExecutor(...) as pool:` calls: a few threads started as work is
    submitted and joined at the block's end, to run the request's own slow calls side by side
    (calibre-web's metadata search asks five sites at once); starting them costs microseconds
    next to those calls. A process pool, spawned per request, still counts."""
    return {
        id(item.context_expr)
        for node in ast.walk(fn)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
        if ast.unparse(item.context_expr).split("(", 1)[0].endswith("ThreadPoolExecutor")
    }


def _loads(fn: ast.AST) -> ast.Call | None:
    pools = _fan_out_pools(fn)
    for call in ast.walk(fn):
        if not isinstance(call, ast.Call) or id(call) in pools:
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
        if call is not None and not _registry_lookup(repo.tree(e.file), call):
            out.append(
                finding(
                    "resource-loaded-per-request",
                    e.file,
                    call.lineno,
                    f"{e.method} {e.path} {_verb(call)} {ast.unparse(call.func)}(...) on every "
                    f"request; {_verb(call, now=True)} it once at start-up and reuse it",
                    evidence=repo.line_text(e.file, call.lineno),
                )
            )
    return out


def _registry_lookup(tree: ast.Module | None, call: ast.Call) -> bool:
    """`swapper.load_model("getpaid", "Payment")`, or `load_model(...)` imported from swapper:
    the swappable model class, looked up in Django's app registry (a dictionary once the apps
    are loaded), which opens and builds nothing. It is resolved at call time on purpose: at
    import time the registry may not be ready."""
    if ast.unparse(call.func) == "swapper.load_model":
        return True
    return (
        isinstance(call.func, ast.Name)
        and tree is not None
        and any(
            isinstance(node, ast.ImportFrom)
            and node.module == "swapper"
            and any((a.asname or a.name) == call.func.id for a in node.names)
            for node in ast.walk(tree)
        )
    )


def _verb(call: ast.Call, *, now: bool = False) -> str:
    """ "creates" for a worker pool, "loads" for a model or a file."""
    pool = ast.unparse(call.func).endswith("Executor")
    return ("create" if pool else "load") if now else ("creates" if pool else "loads")


def _benchmarks(repo: Repo) -> list[RoleFinding]:
    endpoints, apps = web_inventory(repo)
    if all(e.public for e in endpoints) or repo.named(_BENCH_FILES.pattern):
        return []
    hosted = _host_component(repo.root) or host_plugin(repo.root) or hosted_library(repo.root)
    if _beside_the_package(repo.root) or hosted or tested_library(repo, endpoints):
        return []
    if _callbacks_only(endpoints) or quiet_routes(endpoints) or ships_load_driver(repo.root):
        return []
    if declares_benchmark_tool(repo.root) or names_benchmark_folder(repo.root):
        # benchmarks the package leaves out
        return []
    if cites_load_tests(repo):  # load tests the code points to, left out as well
        return []
    if any("benchmark" in repo.text(f) for f in repo.python if is_test(f)):
        return []
    if any(_load_script(repo, f) for f in repo.python):
        return []
    shown = repo_deployment(repo)
    if shown is None and installable_app(repo, endpoints):
        return []
    first = apps[0] if apps else endpoints[0]
    service = service_phrase(shown)
    return [
        finding(
            "no-benchmarks",
            first.file,
            first.line,
            f"{service} has {len(endpoints)} endpoint(s) and no benchmark or load test "
            "(no bench/, locustfile, k6 script or pytest-benchmark); nothing measures latency "
            "before a release",
            evidence=repo.line_text(first.file, first.line),
        )
    ]


# a script named for what it times (fschat's `serve/test_throughput.py`), or whose module
# docstring says it benchmarks or load-tests the service's throughput or latency
_TIMING_SCRIPT = re.compile(
    r"(?:^|/)(?:test_(?:throughput|latency)|(?:throughput|latency)_tests?)\.py$"
)
_SAYS_BENCHMARK = re.compile(r"(?i)\bbenchmark|\bload[ -]?test|\bstress[ -]?test")
_SAYS_TIMED = re.compile(r"(?i)\bthroughput|\blatency|\bqps\b|requests per second")


def _load_script(repo: Repo, rel: str) -> bool:
    """A script that measures the service's load: named for throughput or latency tests, or
    documented as a benchmark or load test of throughput or latency ("Benchmarking script to
    test the throughput of serving workers", fschat's `serve/test_throughput.py`, which posts
    to the workers from threads and reports throughput). An evaluation "benchmark" of a
    model's answers names neither throughput nor latency."""
    if _TIMING_SCRIPT.search(rel):
        return True
    tree = repo.tree(rel)
    doc = (ast.get_docstring(tree) or "") if tree else ""
    return bool(_SAYS_BENCHMARK.search(doc) and _SAYS_TIMED.search(doc))


def _beside_the_package(root: Path) -> bool:
    """When the reviewed folder is a package inside a project (`keystone/api`), the project's
    load tests sit beside it (`rally-jobs/`, `locustfile.py` at the top): look two levels
    deep under the nearest enclosing folder that holds a project file, at most three up."""
    if (root / "__init__.py").exists():  # a package's README (label-studio's io_storages)
        if any((root / m).exists() for m in _PROJECT_MARKERS):
            return False
    elif any((root / m).exists() for m in _OWN_PROJECT):
        return False
    for top in list(root.resolve().parents)[:3]:
        if any((top / m).exists() for m in _PROJECT_MARKERS):
            return any(_BENCH_FILES.search(rel) for rel in _two_levels(top)) or _performance_tests(
                top
            )
    return False


# an entry point that plugs the package into a host platform as one of its course components
_HOST_COMPONENT = re.compile(r"['\"]?xblock\.v1['\"]?\s*[=:\]]")


def _host_component(root: Path) -> bool:
    """The enclosing project declares an `xblock.v1` entry point: the package is an XBlock, a
    component of the courses of an Open edX platform, whose LMS serves its views
    (lti-consumer-xblock's launch, token and deep-linking views): load is measured where the
    platform is deployed, not in the component."""
    for top in [root, *list(root.resolve().parents)[:3]]:
        files = [top / name for name in ("setup.py", "setup.cfg", "pyproject.toml")]
        if any(f.exists() for f in files):
            return any(
                _HOST_COMPONENT.search(f.read_text(encoding="utf-8", errors="replace"))
                for f in files
                if f.exists()
            )
    return False


def _callbacks_only(endpoints: list[Endpoint]) -> bool:
    """Every route is a function view exempt from CSRF (`@csrf_exempt`): only other services
    post to them, a payment gateway's notifications (django-payments' `process_data` and
    `static_callback`), no user's page or API; their latency is the caller's round trip, and
    the shop that installs the library is what a load test measures."""
    return all(
        isinstance(e.node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(ast.unparse(d).rsplit(".", 1)[-1] == "csrf_exempt" for d in e.node.decorator_list)
        for e in endpoints
    )


def _performance_tests(top: Path) -> bool:
    """A file anywhere in the enclosing project named for its performance tests (nautobot's
    `core/management/commands/generate_performance_test_endpoints.py`, which lists the
    endpoints its performance suite times), a Locust file however deep (label-studio's
    `label_studio/tests/loadtests/locustfile.py`), a benchmark playbook or config however
    deep (ARA's `tests/integration/benchmark.yaml`, which records thousands of tasks against
    the API), or a performance folder of the test suite however deep: the project measures
    latency, only not here."""
    return (
        any(p.suffix in (".py", ".yml", ".yaml") for p in top.rglob("*performance_test*"))
        or any(top.rglob("locustfile*.py"))
        or any(p.suffix in (".yml", ".yaml") for p in top.rglob("*benchmark*"))
        or any(_performance_suite(top, d) for d in top.rglob("perf*") if d.is_dir())
    )


def _performance_suite(top: Path, folder: Path) -> bool:
    """A `perf`/`performance` folder of a test suite with scripts in it (pulp-ansible's
    `pulp_ansible/tests/performance/`, which creates 50,000 repositories, imports a folder of
    collections and promotes one across N repositories). An empty one (galaxy-ng's
    `tests/performance/`, only `__init__.py`) measures nothing."""
    return (
        folder.name in ("perf", "performance")
        and any(part in ("tests", "test") for part in folder.relative_to(top).parts)
        and any(p.name != "__init__.py" for p in folder.glob("*.py"))
    )


def _two_levels(top: Path) -> list[str]:
    """Paths of the entries of `top` and of its folders, a folder's with a trailing slash."""
    try:
        near = [*top.iterdir(), *(p for d in top.iterdir() if d.is_dir() for p in d.iterdir())]
    except OSError:
        return []
    return [p.relative_to(top).as_posix() + ("/" if p.is_dir() else "") for p in near]


def performance_review(repo: Repo) -> list[RoleFinding]:
    """Every Performance Engineer finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in performance_review(Repo.scan(Path("scenarios/fixtures/churn")))]
        ['no-benchmarks']
    """
    endpoints, _ = web_inventory(repo)
    out = [*_n_plus_one(repo), *serializer_queries(repo), *method_field_queries(repo)]
    out += nested_row_queries(repo)
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
    out += [
        f
        for f in [
            *from_ruff,
            *session_timeouts(repo),
            *urlopen_timeouts(repo),
            *xmlrpc_timeouts(repo),
            *none_timeouts(repo),
            *client_timeouts(repo),
            *sync_client_calls(repo),
            *sync_session_calls(repo),
            *sync_peewee_calls(repo),
            *sync_helper_calls(repo),
            *waited_processes(repo),
        ]
        if not _debug_only(repo, f.path, f.line)
        and not _does_not_block(repo, f)
        and not _timeout_in_spread(repo, f)
        and not _timeout_elsewhere(repo, f)
    ]
    return out


def _timeout_elsewhere(repo: Repo, f: RoleFinding) -> bool:
    """An http-no-timeout finding whose timeout is the configuration's, or whose call no
    request waits on (a command-line tool, a build step), or that no code of the application
    makes: a function nothing calls, a method only the test suite calls (papaye's
    `get_last_remote_version()`, and its frozen copies in the model snapshots the migrations
    unpickle with; a copy of a helper whose name the other modules bind to their own, or only
    tests name; `uncalled.py`), in a deployed service (not a library whose users may
    import the class) a method of a class nothing makes (sovereign's `Tracer`), or a
    `timeout=None` chosen for a streaming proxy to the app's own local service
    (`local_streams.py`), or a probe of a development server on a loopback URL that falls
    back when nothing answers the connection (`dev_servers.py`)."""
    return f.rule == "http-no-timeout" and (
        timeout_from_settings(repo, f.path, f.line)
        or no_request_waits(repo, f.path)
        or uncalled(repo, f.path, f.line)
        or shadowed(repo, f.path, f.line)
        or only_tests_call(repo, f.path, f.line)
        or (unused_class(repo, f.path, f.line) and repo_deployment(repo) is not None)
        or streams_to_local_service(repo, f.path, f.line)
        or probes_local_server(repo, f.path, f.line)
    )


def _timeout_in_spread(repo: Repo, f: RoleFinding) -> bool:
    """`requests.request(**params)` where `params` is a dict literal with a "timeout" key
    (OctoPrint's connectivity check): the timeout is passed, inside the spread."""
    tree = repo.tree(f.path)
    if f.rule != "http-no-timeout" or tree is None:
        return False
    scope: ast.AST = innermost_function(tree, f.line) or tree
    bound = assignments(scope)
    for node in ast.walk(scope):
        if not (isinstance(node, ast.Call) and node.lineno == f.line):
            continue
        for kw in node.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Name):
                values = bound.get(kw.value.id, [])
                if values and all(
                    isinstance(v, ast.Dict)
                    and any(isinstance(k, ast.Constant) and k.value == "timeout" for k in v.keys)
                    for v in values
                ):
                    return True
    return False


def _does_not_block(repo: Repo, f: RoleFinding) -> bool:
    """A blocking-io-in-async finding where nothing waits on the event loop: a command-line
    tool's code, a function nothing in the repository runs or a method only its tests call
    (`uncalled.py`), startup code or
    a build only start-up and the CLI run (`off_the_loop.py`), a non-blocking `waitpid`, a
    file opened only to be handed to an awaited coroutine or kept on the object, a read of
    the app's own static asset
    or of a page template or document the package ships, a side file of a few bytes (a key,
    a short text note) read or written whole, an upload already read into memory written
    whole (`small_files.py`), a file the app's configuration or its environment names by a
    key, read or written from memory outside any lock (`config_files.py`);
    `subprocess.Popen` starts a process and returns (only waiting for it blocks), and a file
    opened only to be
    handed to a call (`form.add_field("file", open(path, "rb"))`, or `with open(...) as f:`
    and then only `form.add_field("file", f)`) is read by the library that takes it, which
    streams it off the loop; opening it is one cheap system call."""
    if f.rule != "blocking-io-in-async":
        return False
    if "ASYNC220" in f.message or _command_line(f.path) or uncalled(repo, f.path, f.line):
        return True
    if only_tests_call(repo, f.path, f.line):
        return True
    tree = repo.tree(f.path)
    if tree is None:
        return False
    if _background(repo, f.path) and _read_whole(tree, f.line):
        return True
    if downloaded_read(tree, f.line) and _run_by_tasks(repo, f.path, f.line):
        return True  # a page a sync task just downloaded, read back (`small_files.py`)
    if _polls_without_waiting(tree, f.line) or _at_startup(tree, f.line):
        return True
    if runs_before_serving(repo, f.path, f.line):
        return True
    if "ASYNC230" not in f.message:
        return False
    if reads_packaged_document(tree, f.line) or side_file(tree, f.line):
        return True
    if configured_file(tree, f.line):
        return True  # a file the configuration or environment names (`config_files.py`)
    if upload_written(tree, f.line):
        return True  # an upload already in memory, written whole (`small_files.py`)
    if handle_handed_on(tree, f.line, _named_functions(tree)):
        return True
    for node in ast.walk(tree):
        if _reads_static_asset(node, f.line):
            return True
        if isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Call) and call_name(arg) == "open" and arg.lineno == f.line
            for arg in [*node.args, *(k.value for k in node.keywords)]
        ):
            return True
        if isinstance(node, ast.With | ast.AsyncWith) and _handed_over(
            tree, node, f.line, _named_functions(tree)
        ):
            return True
    return False


_ASSET = re.compile(r"(?i)\.(svg|png|ico|gif|jpe?g|webp|css|js|html)$")


def _reads_static_asset(node: ast.AST, line: int) -> bool:
    """`open(join(settings.STATIC_PATH, "img", "no-preview.svg")).read()`: opened to read (no
    mode, or "r"/"rb"), the path ends in a file name written in the code with an asset's
    extension: a small file of the app's own, served from the page cache (motionEye's
    placeholder image)."""
    if not (isinstance(node, ast.Call) and call_name(node) == "open" and node.lineno == line):
        return False
    mode = (
        node.args[1]
        if len(node.args) > 1
        else next((k.value for k in node.keywords if k.arg == "mode"), None)
    )
    if mode is not None and not (isinstance(mode, ast.Constant) and mode.value in ("r", "rb")):
        return False
    names = (
        [
            n.value
            for n in ast.walk(node.args[0])
            if node.args
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
        if node.args
        else []
    )
    return bool(names) and _ASSET.search(names[-1]) is not None


# runs once as the service comes up, or once as it goes down after it stopped serving
# (fractal-server's cleanup_after_shutdown waits for submitted jobs before exit)
_STARTUP = re.compile(
    r"(?i)^(?:connect|serve|lifespan|startup\w*|on_startup|start(?:_\w+)?|setup\w*|init\w*"
    r"|\w*shutdown\w*|\w*teardown\w*)$"
)


def _at_startup(tree: ast.Module, line: int) -> bool:
    """The blocking call sits in an async function that runs once as the service comes up
    (`async def connect(self)` reading a connector's private key, `async def serve(...)`
    reading a gRPC server's certificates) or goes down (`cleanup_after_shutdown` sleeping
    between checks of the jobs still running): no request waits behind it."""
    fn = innermost_function(tree, line)
    return isinstance(fn, ast.AsyncFunctionDef) and _STARTUP.match(fn.name) is not None


def _polls_without_waiting(tree: ast.Module, line: int) -> bool:
    """`os.waitpid(-1, os.WNOHANG)`: asks whether a child has exited and returns at once."""
    return any(
        isinstance(node, ast.Call)
        and node.lineno == line
        and "WNOHANG" in ast.unparse(node)
        and call_name(node) in ("waitpid", "wait3", "wait4")
        for node in ast.walk(tree)
    )


def _command_line(rel: str) -> bool:
    """A module of a command-line tool (`maubot/cli/commands/build.py`) or of a script shipped
    beside the service (`scripts/unicodemojipack/__main__.py`): its async functions run one
    job for one operator, so a blocking call there stalls no one else."""
    parts = rel.removesuffix(".py").split("/")
    return "cli" in parts or "scripts" in parts


# a module of background work: a task queue's tasks (pulp's `tasks/sync_stages.py`, celery's
# `tasks.py`), a worker, the stages of a sync pipeline
_BACKGROUND = re.compile(r"(?i)tasks|tasking|workers?|celery|(?:\w+_)?stages")


def _background(repo: Repo, rel: str) -> bool:
    """A module of background work that serves no request (no endpoint in it): its event loop
    is the task's own (`asyncio.run(...)` in a worker), so a short blocking read of a small
    file the task just downloaded stalls no caller. Serving code in such a folder is still
    reviewed."""
    parts = rel.removesuffix(".py").split("/")
    if not any(_BACKGROUND.fullmatch(p) for p in parts):
        return False
    endpoints, _ = web_inventory(repo)
    return all(e.file != rel for e in endpoints) and not _takes_requests(repo.tree(rel))


def _job_module(repo: Repo, rel: str) -> tuple[bool, bool]:
    """Whether the module serves a request (an endpoint in it), and whether it is one of
    background work or a Django management command, which no request waits on."""
    parts = rel.split("/")
    serving = any(e.file == rel for e in web_inventory(repo)[0])
    return serving, _background(repo, rel) or ("management" in parts and "commands" in parts)


def _run_by_tasks(repo: Repo, rel: str, line: int) -> bool:
    """The function around `line` is no endpoint and every call to it in the repository is
    in a module of background work (pulp-python's `aget_remote_simple_page`, awaited only by
    the sync task's pipeline in `tasks/sync.py`): no request waits on its event loop."""
    tree = repo.tree(rel)
    fn = innermost_function(tree, line) if tree else None
    endpoints, _ = web_inventory(repo)
    if fn is None or any(e.file == rel and e.node is fn for e in endpoints):
        return False
    callers = [
        other
        for other, module in repo.modules()
        if not is_test(other)
        for call in ast.walk(module)
        if isinstance(call, ast.Call)
        and call_name(call) == fn.name
        and not (other == rel and fn.lineno <= call.lineno <= (fn.end_lineno or fn.lineno))
    ]
    return bool(callers) and all(_background(repo, other) for other in callers)


def _opened_as(block: ast.With | ast.AsyncWith, line: int) -> list[str]:
    """The names ``block`` binds to a file it opens on ``line`` (`with open(p) as f:` -> f)."""
    return [
        item.optional_vars.id
        for item in block.items
        if isinstance(item.context_expr, ast.Call)
        and call_name(item.context_expr) == "open"
        and item.context_expr.lineno == line
        and isinstance(item.optional_vars, ast.Name)
    ]


def _read_whole(tree: ast.Module, line: int) -> bool:
    """`with open(path) as f:` on `line` and `f` only ever `f.read()` whole: a file small
    enough to hold in memory (a manifest, a signature, a page of tags a sync task just
    downloaded). A file handed on or read in a loop (an artifact streamed to storage) is not."""
    for block in ast.walk(tree):
        if not isinstance(block, ast.With | ast.AsyncWith):
            continue
        names = _opened_as(block, line)
        if not names:
            continue
        inside = [n for s in block.body for n in ast.walk(s)]
        uses = [n for n in inside if isinstance(n, ast.Name) and n.id == names[0]]
        reads = {
            id(n.func.value)
            for n in inside
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "read"
            and not n.args
            and isinstance(n.func.value, ast.Name)
        }
        return bool(uses) and all(id(n) in reads for n in uses)
    return False


def _takes_requests(tree: ast.Module | None) -> bool:
    """An async function with a `request` parameter: a handler (aiohttp's `async def
    status(request)`), routed from wherever the app is put together."""
    return tree is None or any(
        isinstance(fn, ast.AsyncFunctionDef)
        and any(a.arg in ("request", "req") for a in [*fn.args.posonlyargs, *fn.args.args])
        for fn in ast.walk(tree)
    )


def _named_functions(tree: ast.Module) -> set[str]:
    """Names of the functions a module defines or imports by name (`from
    gns3server.controller.import_project import import_project`): awaited by that name, each is
    a coroutine function whose body reads what it is handed, not a sync call wrapped for a
    thread (`await sync_to_async(file.save)(name, src)`)."""
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    return {name for cls, name, _ in units(tree) if not cls} | imported


def _handed_over(
    tree: ast.Module, block: ast.With | ast.AsyncWith, line: int, coroutines: set[str]
) -> bool:
    """`with open(path) as f:` on `line`, and `f` is only ever passed to a method of an object
    built in the module from a call (`form = aiohttp.FormData()`, then `form.add_field("file",
    f)`), or to a coroutine function the handler awaits by name (gns3's `await
    import_project(..., f)`): that object or coroutine reads the file, and a blocking read in
    the coroutine is its own finding. Handing
    it to a module's function (`json.dump(data, f)`, `shutil.copyfileobj(src, f)`) reads or
    writes it right here, on the loop."""
    names = _opened_as(block, line)
    if not names:
        return False
    built = {
        t.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    handed: set[int] = set()
    for call in (n for s in block.body for n in ast.walk(s) if isinstance(n, ast.Call)):
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in built
        ):
            handed |= {id(a) for a in [*call.args, *(k.value for k in call.keywords)]}
    for awaited in (n for s in block.body for n in ast.walk(s) if isinstance(n, ast.Await)):
        coro = awaited.value  # `await import_project(..., f)`: read there, reviewed there
        if (
            isinstance(coro, ast.Call)
            and isinstance(coro.func, ast.Name)
            and coro.func.id in coroutines
        ):
            handed |= {id(a) for a in [*coro.args, *(k.value for k in coro.keywords)]}
    uses = [
        n for s in block.body for n in ast.walk(s) if isinstance(n, ast.Name) and n.id == names[0]
    ]
    return bool(uses) and all(id(n) in handed for n in uses)


_DEBUG = re.compile(r"(?i)profiling|profiler|debug")  # not "profile": a user's profile


def _spans(nodes: ast.stmt | list[ast.stmt], line: int) -> bool:
    """Whether `line` lies within a statement or a block of statements."""
    block = nodes if isinstance(nodes, list) else [nodes]
    return block[0].lineno <= line <= (block[-1].end_lineno or block[-1].lineno)


def _debug_only(repo: Repo, rel: str, line: int) -> bool:
    """Whether a line only runs when profiling or debugging: in a module, class or function
    named *profiling*, *profiler* or *debug*, or under an `if` whose test names them
    (`if settings.DEBUG:`, `if PROFILING_ENABLED:`). A file a profiler writes serves
    developers, not the traffic."""
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
