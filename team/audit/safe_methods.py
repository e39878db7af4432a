"""The Backend Architect's state-changing-get rule: a route that answers only GET and whose
handler deletes or clears what the service holds on every call (docling-serve's
`GET /v1/clear/results` deletes stored results clients may not have fetched yet). Judged blind on
the spent corpora: 1 of 3 true; the two false ones cleared what comes back on its own (converters
the next conversion reloads, a local copy of a database kept in S3).

The GET of a Django class view is its `get`, or a `dispatch` that answers every method itself
(byro's outbox purge empties the outbox on any GET). A route named for a delete with a parameter
in its path is a link deleting what it names: its delete counts under an `if` too (lute's
`/read/delete_page/<bookid>/<pagenum>`).

A GET is repeated without asking: link prefetchers, crawlers holding a key, a browser's retry,
a monitoring probe. Only destructive calls that run on every GET count (`_unconditional`): an
ORM's or a store's `delete()`, a `clear_*()` or `purge_*()` of something the handler did not
build, `os.remove`, `shutil.rmtree`, a `DELETE FROM` or `TRUNCATE` string. A GET that records a
visit changes state by design and costs one more write; a cache cleared is recomputed on the next
read, and so is a loaded object or a local copy (`delete_local_sqlite`, `clear_converters`);
a delete of garbage rows (`delete_empty_images`, a `DELETE` filtered on a blank or null field)
loses nothing a user stored. Not reported either: a route that also answers POST or another method (the handler
branches on the method), a websocket's teardown, the steps of a sign-in or an e-mail link
(`/logout`, `/confirm/<token>`, `/unsubscribe`), whose links are GETs by necessity, and what the
handler does to the caller's own session or cookies, or to a list or temporary file it made;
nor the routes of a blueprint or router that exists for tests or development (`test_only_route`:
registered only under a test or debug setting, or refusing every call unless one holds, as
lute's dev API that wipes a test database), which no production deployment serves.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from team.audit.core import RoleFinding, finding
from team.audit.endpoints import Endpoint
from team.audit.inline_checks import local_containers
from team.audit.repo import Repo
from team.pyimports import imported_module

__all__ = ["registered_for_tests", "state_changing_gets", "test_only_route"]

# a called name that destroys what the service holds: `delete`, `clear_results`, `purge_cache`
_DESTROYS = re.compile(
    r"^_*(?:delete|clear|remove|purge|drop|truncate|wipe|destroy|erase|unload|evict)(?:_\w+)?$"
)
# a word of the called name for what holds no user data: garbage rows (`delete_empty_images`), a
# copy or a loaded object the code rebuilds on next use (`delete_local_sqlite`, `clear_converters`)
_GARBAGE = ["empty", "blank", "null", "nulls", "orphan", "orphans", "orphaned", "dangling"]
_NOTHING_STORED = frozenset(
    [*_GARBAGE, "local", "loaded", "memory", "converter", "converters", "pipeline", "pipelines"]
)
# a DELETE filtered on a blank or null field: garbage rows, not what a user stored
_SQL_GARBAGE = re.compile(r"(?is)\bwhere\b.*(?:=\s*''|\bis\s+null\b)")
_READS = frozenset(["GET", "HEAD", "OPTIONS"])
# a list's or a set's own methods: on a name the handler bound, they edit its own container
_CONTAINER_METHODS = frozenset(["remove", "clear", "discard"])
_FILE_REMOVALS = frozenset(["os.remove", "os.unlink", "os.rmdir", "shutil.rmtree"])
_SQL_DESTROYS = re.compile(r"(?i)\b(?:delete\s+from|truncate(?:\s+table)?\s+\w+|drop\s+table)\b")
# what the handler may clear of its caller's own: the session, cookies, the messages shown once
_CALLERS_OWN = re.compile(r"(?i)(?:^|\.)(?:session|cookies?|messages|flash\w*|response|resp)$")
# a GET that is a step of a sign-in or of a link sent by e-mail: a GET by necessity
_LINK_STEP = re.compile(
    r"(?i)log_?out|sign_?out|confirm|verify|activat|unsubscribe|callback|invit|revoke|token"
)
# a setting that holds only in tests or on a developer's machine: `is_test_db`, `app.debug`
_DEV_SETTING = re.compile(r"(?i)(?:^|[^a-z])(?:test(?:ing)?|debug|dev(?:elopment)?)(?:[^a-z]|$)")
# a handler or path named for a delete: `delete_page`, `/read/delete_page/<id>`, `/purge`
_NAMED_DELETE = re.compile(r"(?i)(?:^|[_/ ])(?:delete|remove|purge|wipe|destroy|erase)(?:[_/ ]|$)")
_PATH_PARAMETER = re.compile(r"[<{]|\(\?P")
_REGISTERS = frozenset(["register_blueprint", "include_router"])


def _get_body(node: ast.AST | None) -> list[ast.stmt]:
    """The statements that answer a GET: a function's body, a class view's `get` method, or
    the `dispatch` of a class view that defines no `get` and answers every method itself
    without handing on to `super().dispatch` (byro's outbox purge)."""
    if isinstance(node, ast.ClassDef):
        methods = {
            m.name: m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        answer = methods.get("get") or methods.get("dispatch")
        if answer is None or (answer.name == "dispatch" and "super()" in ast.unparse(answer)):
            return []
        return list(answer.body)
    return list(getattr(node, "body", []))


def _bound_here(body: list[ast.stmt]) -> tuple[set[str], set[str]]:
    """Names the handler binds itself, and among them those bound to a temporary file or
    folder it made (`fd, path = tempfile.mkstemp()`)."""
    bound: set[str] = set()
    temporary: set[str] = set()
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if not isinstance(node, ast.Assign | ast.AnnAssign | ast.With):
            continue
        pairs = (
            [(i.optional_vars, i.context_expr) for i in node.items]
            if isinstance(node, ast.With)
            else [
                (t, node.value) for t in getattr(node, "targets", [getattr(node, "target", None)])
            ]
        )
        for target, value in pairs:
            names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)} if target else set()
            bound |= names
            if isinstance(value, ast.Call) and "temp" in ast.unparse(value.func).lower():
                temporary |= names
    return bound, temporary


def _destroys(call: ast.Call, local: set[str], bound: set[str], temporary: set[str]) -> bool:
    """The call deletes or clears state the service holds, not the caller's session, a
    container or temporary file the handler made (`results.remove(me)` on a list it built)."""
    func = call.func
    if ast.unparse(func) in _FILE_REMOVALS:
        first = call.args[0] if call.args else None
        return not (isinstance(first, ast.Name) and first.id in temporary)
    if not isinstance(func, ast.Attribute) or not _DESTROYS.match(func.attr):
        return False  # a bare `delete(...)` is a helper the rule does not read
    owner = func.value
    while isinstance(owner, ast.Subscript):
        owner = owner.value
    mine = isinstance(owner, ast.Name) and (
        owner.id in local or (owner.id in bound and func.attr in _CONTAINER_METHODS)
    )
    return not (
        mine
        or _CALLERS_OWN.search(ast.unparse(owner))
        or func.attr.endswith("cookie")
        or "cache" in ast.unparse(func).lower()  # recomputed on the next read, nothing is lost
        or not _NOTHING_STORED.isdisjoint(func.attr.lower().split("_"))
        or isinstance(owner, ast.Dict | ast.List | ast.Set)
    )


def _websocket(node: ast.AST | None) -> bool:
    """A websocket route (served on a GET upgrade): what it tears down when the socket closes
    is the connection's own state."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any("websocket" in ast.unparse(d).lower() for d in node.decorator_list) or any(
        "WebSocket" in ast.unparse(a.annotation or ast.Pass()) for a in node.args.args
    )


def _unconditional(body: list[ast.stmt], branches: bool = False) -> list[ast.stmt]:
    """The simple statements that run on every GET: those of the body, of its `with` blocks
    and of its `try` blocks, not those under an `if`, in a loop, a handler or a `finally`. A
    delete that runs only when a lookup came back empty (calibre-web's hot feed dropping the
    download rows of a book that is gone, open-webui's search dropping a tag no chat carries)
    repairs a dangling row on the way; a handler that deletes every time exists to delete.
    With `branches`, those of an `if`'s branches too: a handler named for a delete exists to
    delete whatever it checks first (lute's `delete_page` refusing a book's last page)."""
    out: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.With | ast.AsyncWith | ast.Try):
            out += _unconditional(stmt.body, branches)
        elif branches and isinstance(stmt, ast.If):
            out += _unconditional(stmt.body, branches) + _unconditional(stmt.orelse, branches)
        elif not isinstance(
            stmt,
            ast.If
            | ast.For
            | ast.AsyncFor
            | ast.While
            | ast.Match
            | ast.FunctionDef
            | ast.AsyncFunctionDef
            | ast.ClassDef,
        ):
            out.append(stmt)
    return out


def _destructive_effect(node: ast.AST | None, named_delete: bool) -> ast.expr | None:
    """The first call or SQL string in the GET handler that deletes or clears stored state;
    under an `if` too when the route is `named_delete`."""
    if _websocket(node):
        return None
    body = _get_body(node)
    local = local_containers(body)
    bound, temporary = _bound_here(body)
    for sub in (n for stmt in _unconditional(body, named_delete) for n in ast.walk(stmt)):
        if isinstance(sub, ast.Call) and _destroys(sub, local, bound, temporary):
            return sub
        if (
            isinstance(sub, ast.Constant)
            and isinstance(sub.value, str)
            and _SQL_DESTROYS.search(sub.value)
            and not _SQL_GARBAGE.search(sub.value)
        ):
            return sub
    return None


def _router_of(node: ast.AST | None) -> str | None:
    """The blueprint or router a handler's decorator puts it on (`bp` of `@bp.route(...)`)."""
    for deco in getattr(node, "decorator_list", []):
        func = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return func.value.id
    return None


def _refuses(stmts: list[ast.stmt]) -> bool:
    """The statements raise or abort the request."""
    return any(
        isinstance(s, ast.Raise)
        or (
            isinstance(s, ast.Expr)
            and isinstance(s.value, ast.Call)
            and ast.unparse(s.value.func).split(".")[-1] == "abort"
        )
        for s in stmts
    )


def _guarded_for_tests(module: ast.Module, router: str) -> bool:
    """A `before_request` hook of the router refuses every call unless a test or debug setting
    holds (lute's dev API: `if not current_app.env_config.is_test_db: raise RuntimeError`)."""
    hooks = [
        fn
        for fn in module.body
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(ast.unparse(d) == f"{router}.before_request" for d in fn.decorator_list)
    ]
    return any(
        isinstance(sub, ast.If)
        and isinstance(sub.test, ast.UnaryOp)
        and isinstance(sub.test.op, ast.Not)
        and _DEV_SETTING.search(ast.unparse(sub.test.operand))
        and _refuses(sub.body)
        for fn in hooks
        for sub in ast.walk(fn)
    )


def registered_for_tests(repo: Repo) -> set[tuple[str, str]]:
    """(module, name) of each blueprint or router the app registers only under an `if` on a test
    or debug setting (`if app_config.is_test_db: app.register_blueprint(dev_api_bp)`), the
    module as its import names it."""
    out: set[tuple[str, str]] = set()
    for rel, tree in repo.modules():
        imported = {
            alias.asname or alias.name: (module, alias.name)
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and (module := imported_module(rel, node)) is not None
            for alias in node.names
        }
        for branch in ast.walk(tree):
            if not isinstance(branch, ast.If) or not _DEV_SETTING.search(ast.unparse(branch.test)):
                continue
            if isinstance(branch.test, ast.UnaryOp):
                continue  # `if not app.debug:` registers outside tests
            for call in (n for stmt in branch.body for n in ast.walk(stmt)):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in _REGISTERS
                    and call.args
                ):
                    continue
                arg = call.args[0]
                if isinstance(arg, ast.Name) and arg.id in imported:
                    out.add(imported[arg.id])
                elif (  # `app.register_blueprint(debug.debug_blueprint)`, `from anitya import debug`
                    isinstance(arg, ast.Attribute)
                    and isinstance(arg.value, ast.Name)
                    and arg.value.id in imported
                ):
                    module, name = imported[arg.value.id]
                    out.add((f"{module}.{name}" if module else name, arg.attr))
    return out


def test_only_route(repo: Repo, e: Endpoint, for_tests: set[tuple[str, str]]) -> bool:
    """The route's blueprint or router exists for tests or development: registered only under
    a test or debug setting, or refusing every call unless one holds. Its GETs are what a test
    drives by URL (wipe the test database), not a production route."""
    router = _router_of(e.node)
    tree = repo.tree(e.file)
    if router is None or tree is None:
        return False
    dotted = e.file.removesuffix(".py").replace("/", ".")
    return _guarded_for_tests(tree, router) or any(
        name == router and f".{module}".endswith(f".{dotted}") for module, name in for_tests
    )


def _deletes_what_it_names(e: Endpoint) -> bool:
    """The route is a link that deletes the item its path names (`/read/delete_page/<bookid>/
    <pagenum>`): named for a delete, with a parameter in its path. An action without one
    (lute's `/remove_demo_flag`, done once when a state holds) is not read so."""
    return bool(_NAMED_DELETE.search(f"{e.handler} {e.path}") and _PATH_PARAMETER.search(e.path))


def state_changing_gets(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """state-changing-get: each GET-only route whose handler deletes or clears stored state.

    Example:
        >>> from pathlib import Path
        >>> code = "def clear(store):\\n    store.clear_results()"
        >>> handler = ast.parse(code).body[0]
        >>> e = Endpoint("GET", "/v1/clear/results", "clear", "app.py", 1, "fastapi", node=handler)
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> [f.message.split(";")[0] for f in state_changing_gets(repo, [e])]
        ['GET /v1/clear/results (clear) calls store.clear_results() on a GET']
    """
    methods: dict[tuple[str, int], set[str]] = defaultdict(set)
    for e in endpoints:
        methods[(e.file, e.line)].add(e.method)
    out: list[RoleFinding] = []
    seen: set[tuple[str, int]] = set()
    for_tests = registered_for_tests(repo)
    for e in endpoints:
        every_method = e.method == "ANY" and isinstance(e.node, ast.ClassDef)
        if (e.method != "GET" and not every_method) or (e.file, e.line) in seen:
            continue
        if not isinstance(e.node, ast.ClassDef) and methods[(e.file, e.line)] - _READS:
            continue  # one function answers a write too: it branches on the method
        if _LINK_STEP.search(f"{e.handler} {e.path}"):
            continue
        effect = _destructive_effect(e.node, _deletes_what_it_names(e))
        if effect is None or test_only_route(repo, e, for_tests):
            continue
        seen.add((e.file, e.line))
        what = (
            f"calls {ast.unparse(effect.func)}()"
            if isinstance(effect, ast.Call)
            else "runs a destructive SQL statement"
        )
        out.append(
            finding(
                "state-changing-get",
                e.file,
                effect.lineno,
                f"{e.method} {e.path} ({e.handler}) {what} on a GET"
                f"{' (its dispatch answers every method)' if every_method else ''}; crawlers, link "
                "prefetchers and retries repeat GETs freely: serve it as POST or DELETE",
                evidence=repo.line_text(e.file, effect.lineno),
            )
        )
    return out
