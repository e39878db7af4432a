"""The Backend Architect's review: the endpoint inventory and the rules read from it, SQL built
from strings and swallowed exceptions (ruff S608, S110, S112).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Hashable

from team.audit.action_routes import route_action
from team.audit.bounded_lists import bounded_list
from team.audit.bundled_ui import private_to_bundled_ui
from team.audit.components import host_plugin
from team.audit.core import RoleFinding, finding, one_per_cause
from team.audit.cornice_services import open_cornice_views
from team.audit.endpoints import App, Endpoint, _call_name, _scope
from team.audit.fixed_paths import probes_only, standard_paths
from team.audit.guard_order import misplaced_guards
from team.audit.header_checks import checks_credential_first
from team.audit.idempotency import operator_only, retry_safe
from team.audit.identifier_checks import checked_identifiers
from team.audit.identifier_routes import identifier_route
from team.audit.inline_checks import decides_on_caller, local_containers
from team.audit.open_defaults import open_defaults
from team.audit.open_logins import open_logins
from team.audit.outer_mounts import versioned_outside
from team.audit.pages import serves_pages, signs_in_only
from team.audit.protocol_paths import (
    cas_ticket_checks,
    pages_beside_protocol,
    protocol_endpoint,
    provider_opens,
)
from team.audit.repo import (
    Repo,
    assignments,
    is_management_command,
    is_migration,
    is_test,
    parameter_names,
)
from team.audit.route_numbers import route_numbers
from team.audit.ruff import ruff_findings
from team.audit.safe_methods import state_changing_gets
from team.audit.signed_pushes import pages_beside_receiver
from team.audit.skipped_items import counted_after, left_for_later, skips_item
from team.audit.unexecuted_sql import never_executed
from team.audit.unpassed import never_passed
from team.audit.version_prefixes import versioned_include
from team.audit.web import web_inventory

__all__ = ["backend_review", "endpoint_table"]

_VERSIONED = re.compile(r"(?i)(?:^|/)v\d+(?:/|$)|v\d|version|/\d+\.\d+(?:/|$)")
# a version the client sends in a header (`X-API-Version`, `Accept-Version`, a vendor media type
# `application/vnd.acme.v2+json`), or DRF's versioning scheme
_HEADER_VERSION = re.compile(
    r"""(?i)['"](?:x-)?(?:api-|accept-)version['"]|\bx_api_version\b|vnd\.[\w.-]+\.v\d"""
    r"|DEFAULT_VERSIONING_CLASS|versioning_class"
)
# a blueprint or router mounted under a prefix that ends with a version, where the routes
# themselves carry none (`app.register_blueprint(api_v1, url_prefix="/api/v1.0")`)
_VERSIONED_PREFIX = re.compile(
    r"""\b(?:url_)?prefix\s*=\s*f?['"][^'"]*/(?:v\d+(?:\.\d+)*|\d+\.\d+)/?['"]"""
)


def endpoint_table(endpoints: list[Endpoint]) -> list[str]:
    """The inventory as `endpoint:` lines a role (or a person) can read and parse.

    Example:
        >>> e = Endpoint("POST", "/predict", "predict", "serve/app.py", 25, "fastapi")
        >>> endpoint_table([e])[0]
        'endpoint: POST /predict serve/app.py:25 handler=predict auth=none inputs=- pagination=no errors=-'
    """
    return [
        f"endpoint: {e.method} {e.path} {e.file}:{e.line} handler={e.handler} "
        f"auth={e.auth or ('public' if e.public else 'none')} "
        f"inputs={','.join(i.replace(' ', '') for i in e.inputs) or '-'} "
        f"pagination={'yes' if e.paginated else 'no'} "
        f"errors={','.join(map(str, e.errors)) or '-'}"
        for e in endpoints
    ]


_MUTATING = ("POST", "PUT", "PATCH", "DELETE")
_PRIVATE_READ = re.compile(r"(?i)(?:^|/)(?:admin|internal|private)(?:/|$)")
# words of a called function's name that change state: a database write, a queued task, a message
# sent, money moved (`db.commit`, `order.refund`, `tasks.add.delay`, `send_payment`)
_EFFECT_WORDS = frozenset(
    [
        "save",
        "commit",
        "add",
        "insert",
        "create",
        "update",
        "delete",
        "remove",
        "destroy",
        "bulk",
        "put",
        "send",
        "publish",
        "delay",
        "enqueue",
        "emit",
        "write",
        "upload",
        "store",
        "persist",
        "upsert",
        "flush",
        "pay",
        "transfer",
        "withdraw",
        "refund",
        "cancel",
        "settle",
        "approve",
        "reject",
        "register",
        "invite",
        "submit",
        "purge",
        "archive",
        "restore",
        "assign",
        "subscribe",
        "unsubscribe",
        "merge",
        "move",
        "rename",
        "toggle",
        "drop",
        "truncate",
        "post",
        "patch",
    ]
)
_WRITE_VIEWS = re.compile(r"(?:Create|Update|Delete|Destroy|Edit|Form)(?:API)?View$|ModelViewSet$")
_WRITE_ACTIONS = ("create", "update", "partial_update", "destroy")


def _versioned(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """Some endpoint carries a version, a route string elsewhere does (`add_resource(R,
    '/api/v1/x')`, or CKAN's `add_url_rule('/<int(min=1, max=3):ver>/action/...')`, whose
    version the caller fills in), the server reads the version from a header
    (`X-API-Version`), a blueprint or router is mounted under a versioned prefix
    (`url_prefix="/api/v1.0"`), the endpoints belong to a reusable Django app that the
    installing project mounts under its own prefix, or the packages enclosing the reviewed one
    mount its routers only under versioned prefixes (`outer_mounts.py`, a prefix held in a
    constant read where it is bound), a URL conf includes others under a versioned path
    (byro's `path("api/v1/", include(...))`, `version_prefixes.py`), or the package is a
    host platform's plugin (`components.py`: an Invenio module's blueprints, which Invenio
    loads from their entry points and mounts under its own prefixes and conventions)."""
    if any(_VERSIONED.search(e.path) for e in endpoints) or versioned_outside(repo.root):
        return True
    if host_plugin(repo.root) or versioned_include(repo):
        return True
    routes = re.compile(  # /api/v1/, /api/2.0/, or a version the caller fills in (/api/<int:ver>/)
        r"""['"]/(?:[\w-]+/)?(?:(?:v\d+|\d+\.\d+)/"""
        r"""|(?:<[^<>]*?\b(?:api_)?ver(?:sion)?>|\{(?:api_)?ver(?:sion)?\})(?:/|['"]))"""
    )
    if any(
        routes.search(text := repo.text(rel))
        or _HEADER_VERSION.search(text)
        or _VERSIONED_PREFIX.search(text)
        for rel in repo.python
    ):
        return True
    return all(e.framework == "django" for e in endpoints) and not any(
        re.search(r"(?m)^ROOT_URLCONF\s*=", repo.text(rel)) for rel in repo.python
    )


def _api_anchor(repo: Repo, apps: list[App], private: list[Endpoint]) -> tuple[str, int]:
    """Where an unversioned API is reported: its first application or URL conf outside the
    tests (the first URL conf of django-cas-server is its test suite's `tests/urls.py`, no API
    of the package: its own `urls.py` is), else its first private route."""
    own = [(a.file, a.line) for a in apps if not is_test(a.file)]
    if apps and not own:
        own = [(rel, 1) for rel in repo.python if rel.endswith("urls.py") and not is_test(rel)]
    return own[0] if own else (private[0].file, private[0].line)


_RPC_PATH = re.compile(r"(?i)(?:^|/)(?:json|xml)[-_]?rpc(?:/|$)")


def _rpc_api(endpoints: list[Endpoint]) -> bool:
    """The machine API is a JSON-RPC or XML-RPC entry point and nothing is served under /api:
    the contract is the method names, changed by adding methods, and the other routes are
    pages (Kiwi TCMS's /json-rpc/ and /xml-rpc/ next to its server-rendered views); a URL
    version is not that protocol's idiom."""
    return any(_RPC_PATH.search(e.path) for e in endpoints) and not any(
        re.search(r"(?i)(?:^|/)api(?:/|$)", e.path) for e in endpoints
    )


def _words(name: str) -> list[str]:
    """`send_payment` -> send, payment; `bulkCreate` -> bulk, create."""
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]


# calls whose names read as writes but serve or build a response
_PURE_CALLS = frozenset(
    [
        "send_file",
        "send_from_directory",
        "send_static_file",
        "send_result",
        "send_response",
        "send_error",
        "send_json",
        "mark_safe",
    ]
)
# in-memory containers a handler fills before it answers (`context.update(...)`)
_SCRATCH = re.compile(
    r"(?i)^(?:context|ctx|kwargs|params|headers|data|result|response|extra|options|defaults"
    r"|initial|attrs|errors|seen|out|payload)$"
)


# a name that starts by saying it reads: whatever noun follows (`_get_job_store`)
_READS = re.compile(r"(?i)^_?(?:get|fetch|find|load|read|list|search|lookup|query|count)(?:_|$)")


def _writes_call(call: ast.Call) -> bool:
    """The call reads as changing state: a name word such as save, commit, send, delay,
    refund, and not a response helper or an update of a local container."""
    name = _call_name(call)
    if name in _PURE_CALLS or _READS.match(name):
        return False  # get_job_store() fetches the store; it does not store anything
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and _SCRATCH.match(func.value.id)
        and name in ("update", "add", "remove", "pop", "append")
    ):
        return False
    return name == "apply_async" or bool(_EFFECT_WORDS & set(_words(name)))


def _handler_body(node: ast.AST) -> list[ast.stmt]:
    """The statements that run for a write: a function's body (not its route decorator); a
    class view's methods other than its reads (get, get_context_data, get_queryset...)."""
    body: list[ast.stmt] = getattr(node, "body", [])
    if isinstance(node, ast.ClassDef):
        return [
            s
            for s in body
            if not (
                isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
                and (s.name.startswith("get") or s.name in ("head", "options"))
            )
        ]
    return body


def _fills_local(call: ast.Call, local: set[str]) -> bool:
    """`params.update(request.POST)` on a container the handler built (`inline_checks.py`)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    root = func.value
    while isinstance(root, ast.Subscript):  # `results[query].add(node)`
        root = root.value
    return (
        isinstance(root, ast.Name)
        and root.id in local
        and func.attr in ("update", "add", "remove", "pop", "append", "setdefault")
    )


def _effect(e: Endpoint) -> str:
    """What the handler does that changes state, as a reader would name it (`db.commit()`, a
    `CreateView`), or "" when its code changes nothing: it decodes, computes or only touches the
    caller's own session. A view whose code is not at hand is taken to change state."""
    node = e.node
    if node is None or e.handler.rsplit(".", 1)[-1] in _WRITE_ACTIONS:
        return f"{e.handler}"
    if isinstance(node, ast.ClassDef):
        base = next(
            (n for b in node.bases if _WRITE_VIEWS.search(n := _call_name(b) or ast.unparse(b))),
            "",
        )
        if base:
            return f"a {base}"
    body = _handler_body(node)
    local = local_containers(body)
    for sub in (n for statement in body for n in ast.walk(statement)):
        if isinstance(sub, ast.Call) and _writes_call(sub) and not _fills_local(sub, local):
            return ast.unparse(sub.func) + "()"
    text = "\n".join(ast.unparse(statement) for statement in body)
    m = re.search(r"(?i)\b(?:insert\s+into|update\s+\w+\s+set|delete\s+from)\b", text)
    return m[0].upper() if m else route_action(e, body)  # `POST /x/trigger` (`action_routes.py`)


_FIX = "add an auth dependency or decorator, or mark it public (AllowAny)"
_FIX_WEBHOOK = "verify the sender's signature (HMAC of the body with the shared secret)"


_SEARCH = re.compile(r"(?i)search|query|list|find|lookup|filter")


def _searches(e: Endpoint) -> bool:
    """The endpoint is a search sent as a POST (`POST /jobs/search`, `search_jobs`): its
    filters travel in the body, and what it does is read."""
    literal = [p for p in e.path.split("/") if p and not p.startswith(("{", "<", "("))]
    return bool(_SEARCH.search(f"{e.handler} {literal[-1] if literal else ''}"))


def _app_of(rel: str) -> str:
    """The part of the repository an endpoint belongs to: its top-level folder (a Django app, a
    service, an example), or "" at the root."""
    return rel.split("/", 1)[0] if "/" in rel else ""


def _guarded_elsewhere(secured: list[Endpoint], file: str) -> str:
    """Why the open endpoint stands out: one authenticated endpoint to cite, from the same file
    when there is one, else the same top-level folder, else anywhere in the repository."""
    e = min(
        secured,
        key=lambda s: (s.file != file, _app_of(s.file) != _app_of(file), s.file, s.line),
    )
    where = (
        "other endpoints of this app"
        if _app_of(e.file) == _app_of(file)
        else ("endpoints elsewhere in the repository")
    )
    return f"{where} require `{e.auth}` ({e.method} {e.path}, {e.file}:{e.line})"


def _only_redirects(e: Endpoint) -> bool:
    """The handler does nothing but answer with a redirect (`GET /admin` returning
    `RedirectResponse("/admin/")`): it reads nothing, and the page it sends to guards itself."""
    fn = e.node
    if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    body = [
        s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and isinstance(body[0].value, ast.Call)
        and "redirect" in ast.unparse(body[0].value.func).lower()
    )


def _unauthenticated(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """endpoint-no-auth: the endpoints that take a POST, PUT, PATCH or DELETE, or read under an
    admin/internal path, with no authentication and no public path or AllowAny. One finding per
    app (top-level folder) and cause (an open webhook, an app that authenticates nothing, an
    outlier among authenticated endpoints), the other handlers listed in it.

    A read endpoint with no authentication is most often public on purpose (a catalogue, a
    rate, a page), so it is listed in the inventory, not reported. When the app authenticates
    other endpoints, an open one is reported only if its code changes state: one that decodes,
    computes or sets the caller's own session preference is public on purpose there. When no
    endpoint of the app authenticates, every open write is reported but a search sent as a
    POST that changes nothing: anyone who reaches the service can call it.
    """
    secured = [e for e in endpoints if e.auth]
    # a mounted OpenID Connect provider's, and a CAS server's ticket checks
    by_protocol = provider_opens(repo, endpoints) + cas_ticket_checks(endpoints)
    by_handler: dict[tuple[str, int], list[Endpoint]] = {}
    for e in endpoints:
        if e.auth or e.public or e.guard_above or e.open_setting or protocol_endpoint(repo, e):
            continue  # a guard above the route decorator is reported by `guard_order.py`
        if e in by_protocol or checks_credential_first(e.node, repo.tree(e.file)):
            continue  # a mounted protocol's endpoint, or a handler that checks the credential
        if e.method in _MUTATING or (_PRIVATE_READ.search(e.path) and not _only_redirects(e)):
            by_handler.setdefault((e.file, e.line), []).append(e)
    found: list[tuple[Hashable, RoleFinding]] = []
    for (file, line), group in by_handler.items():
        mutating = any(e.method in _MUTATING for e in group)
        methods = ", ".join(dict.fromkeys(e.method for e in group))
        paths = ", ".join(sorted(dict.fromkeys(e.path for e in group)))
        handlers = ", ".join(dict.fromkeys(e.handler for e in group))
        where = f"{methods} {paths} ({handlers})"
        effect = _effect(group[0]) if mutating else ""
        kind = "webhook" if group[0].webhook else ("open app" if not secured else "outlier")
        if group[0].webhook and (effect or not secured):
            why = (
                f"{where} receives another service's events but checks no signature or shared "
                "secret: anyone can forge them"
            )
        elif mutating and not effect and (secured or _searches(group[0])):
            continue  # changes nothing: public on purpose among authenticated endpoints, or a
            # search that takes its filters in a POST body
        elif secured and decides_on_caller(_handler_body(group[0].node or ast.Pass())):
            continue  # checks the caller in its own code, through a helper (`inline_checks.py`)
        elif not secured:
            why = (
                f"{where} requires no authentication, and no endpoint of this app does: anyone "
                "who reaches the service can call it"
            )
        else:
            does = f"changes state ({effect})" if effect else "reads a private path"
            why = (
                f"{where} {does} with no authentication, while {_guarded_elsewhere(secured, file)}"
            )
        found.append(
            (
                (_app_of(file), kind),
                finding(
                    "endpoint-no-auth",
                    file,
                    line,
                    f"{why}; {_FIX_WEBHOOK if group[0].webhook else _FIX}",
                    evidence=repo.line_text(file, line),
                    severity="error" if mutating else None,
                ),
            )
        )
    return one_per_cause(found)


def _bounded(e: Endpoint) -> bool:
    """The list stays short: an operator's configuration, or one parent's or the caller's
    own entities (`bounded_lists.py`)."""
    return operator_only(e) or bounded_list(e)


def _paging_neighbour(e: Endpoint, endpoints: list[Endpoint]) -> Endpoint | None:
    """A list view of a Django list view's module that sets a pagination class, when most of
    the module's other list views set one: the module's convention, which this view breaks.

    A Django list view is held to pagination only so: the installing project's
    `DEFAULT_PAGINATION_CLASS` (outside a reusable app, or in a settings module beside the
    reviewed folder) may page every view that sets none, and a module where one view sets a
    special class (weblate's `LargePagination` among a dozen viewsets) says nothing of the rest.
    """
    others = {
        o.line: o
        for o in endpoints
        if o.returns_list and o.framework == "django" and o.file == e.file and o.line != e.line
    }
    paged = [o for o in others.values() if o.paginated]
    return paged[0] if paged and len(paged) * 2 > len(others) else None


def backend_review(repo: Repo) -> list[RoleFinding]:
    """Every Backend Architect finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in backend_review(Repo.scan(Path("scenarios/fixtures/churn")))]
        ['endpoint-no-auth', 'api-unversioned']
    """
    endpoints, apps = web_inventory(repo)
    out: list[RoleFinding] = []
    out += _unauthenticated(repo, endpoints)
    out += misplaced_guards(repo, endpoints)
    out += open_defaults(repo, endpoints)
    out += open_cornice_views(repo)
    reported = {(f.path, f.line) for f in out}
    out += [f for f in open_logins(repo, endpoints) if (f.path, f.line) not in reported]
    out += state_changing_gets(repo, endpoints)
    per_app: list[tuple[Hashable, RoleFinding]] = []  # by cause: a missing convention of an app
    for e in endpoints:
        where = f"{e.method} {e.path} ({e.handler})"
        evidence = repo.line_text(e.file, e.line)
        if e.method == "POST" and e.writes and not e.idempotency_key and not retry_safe(e, repo):
            f = finding(
                "post-not-idempotent",
                e.file,
                e.line,
                f"{where} creates records but takes no idempotency key: a client retry "
                "creates a duplicate; accept an Idempotency-Key header",
                evidence=evidence,
            )
            per_app.append(((f.rule, _app_of(e.file)), f))
        neighbour = _paging_neighbour(e, endpoints) if e.framework == "django" else None
        if (
            e.method == "GET"
            and e.returns_list
            and not e.paginated
            and not _bounded(e)
            and (e.framework != "django" or neighbour is not None)
        ):
            # each list grows with its own table: one finding per endpoint
            why = (
                f"sets no pagination_class while {neighbour.handler} "
                f"({neighbour.file}:{neighbour.line}) pages its list"
                if neighbour is not None
                else "returns a list with no limit/offset/cursor parameter"
            )
            f = finding(
                "list-not-paginated",
                e.file,
                e.line,
                f"{where} {why}; the response grows with the table",
                evidence=evidence,
            )
            per_app.append(((f.rule, e.file, e.line), f))
    out += one_per_cause(per_app)
    # a webhook's URL is configured once in the platform that calls it, in that platform's shape
    private = [e for e in endpoints if not e.public and not e.webhook]
    if (
        private
        and not _versioned(repo, endpoints)
        and not _rpc_api(endpoints)
        and not serves_pages(repo, endpoints)
        and not signs_in_only(endpoints)
        and not pages_beside_protocol(repo, endpoints)
        and not pages_beside_receiver(repo, endpoints)
        and not probes_only(repo, private)
        and not standard_paths(endpoints)
        and not private_to_bundled_ui(repo)
    ):
        file, line = _api_anchor(repo, apps, private)
        out.append(
            finding(
                "api-unversioned",
                file,
                line,
                f"none of the {len(endpoints)} endpoint(s) carries a version (e.g. /v1/...); a "
                "breaking change has nowhere to go but in place",
                evidence=repo.line_text(file, line),
            )
        )
    out += [
        f
        for f in ruff_findings(
            repo,
            {
                "sql-string-built": "SQL is built from strings (injection risk); pass values as "
                "bound parameters",
                "swallowed-exception": "a broad except does nothing around a read or write of "
                "data: the failure disappears and the caller sees success; log it or let it "
                "propagate",
            },
        )
        if (f.rule != "swallowed-exception" or _hides_data_error(repo, f.path, f.line))
        and (
            f.rule != "sql-string-built"
            or (_untrusted_sql(repo, f.path, f.line) and not never_executed(repo, f.path, f.line))
        )
    ]
    return out


_IDENTIFIER = re.compile(
    r"(?i)^_*(?:\w+_)?(?:tables?|table_?name|columns?|cols?|schema|fields?|index|view|order_by"
    r"|direction|alias|prefix|where|sql|clause|joins?|placeholders?|quoted?\w*|sep|ident\w*)$"
)
_WEB = re.compile(
    r"(?m)^\s*(?:from|import)\s+(?:fastapi|flask|starlette|quart|django|rest_framework|aiohttp"
    r"|sanic|litestar|tornado)\b"
)
_QUOTING = re.compile(r"(?i)quote|escape|ident|placeholder")
# a `%` conversion; d, i, u, o, x, e, f, g (and their capitals) format only numbers
_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")
_REQUEST = re.compile(r"^request\.(?:args|form|values|json|GET|POST|data|query_params|body)")


def _interpolated(node: ast.AST) -> list[ast.expr]:
    """The values pasted into a string expression: f-string fields, `+` operands, `%` and
    `.format` arguments."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [
            *(_interpolated(node.left) or [node.left]),
            *(_interpolated(node.right) or [node.right]),
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if _numbers_only(node.left):
            return []  # `"... WHERE event_id=%d" % event.id`: a string there raises TypeError
        right = node.right
        return list(right.elts) if isinstance(right, ast.Tuple) else [right]
    if isinstance(node, ast.Call) and _call_name(node) == "format":
        return [*node.args, *(k.value for k in node.keywords)]
    return []


def _numbers_only(template: ast.expr) -> bool:
    """A `%` template whose every conversion formats a number (`%d`, `%i`, `%f`...): nothing
    it pastes can carry SQL text (tendenci's `WHERE event_id=%d` of an Event's primary key)."""
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
        return False
    kinds = {k for k in _CONVERSION.findall(template.value) if k != "%"}
    return bool(kinds) and kinds <= set("diuoxXeEfFgG")


def _outside(
    expr: ast.AST, params: set[str], assigned: dict[str, list[ast.expr]], depth: int = 0
) -> bool:
    """A value from outside reaches `expr`: request data, or one of `params` (not an identifier
    name), directly or through the local variables `assigned` (two levels deep)."""
    if isinstance(expr, ast.Call) and _QUOTING.search(_call_name(expr)):
        return False
    if _REQUEST.match(ast.unparse(expr)):
        return True
    for sub in _text_parts(expr):
        if isinstance(sub, ast.Call) and _QUOTING.search(_call_name(sub)):
            return False
        if not isinstance(sub, ast.Name) or _IDENTIFIER.match(sub.id) or sub.id.isupper():
            continue
        if sub.id in params:
            return True
        if depth < 2 and any(
            _outside(v, params, assigned, depth + 1) for v in assigned.get(sub.id, [])
        ):
            return True
    return False


_NUMERIC = frozenset({"int", "float", "len", "bool", "abs", "round"})


def _text_parts(expr: ast.AST) -> list[ast.AST]:
    """The nodes whose value can end up in the text: both branches of `a if test else b` but not
    its test (alerta's `customer='customer=%(customer)s' if alert.customer else 'customer IS
    NULL'` pastes one of two constants), nothing of a comparison or a `not`, and nothing of
    `int(...)`/`len(...)`, which can only be a number."""
    if isinstance(expr, ast.IfExp):
        return [*_text_parts(expr.body), *_text_parts(expr.orelse)]
    if isinstance(expr, ast.Compare) or (
        isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not)
    ):
        return []
    if isinstance(expr, ast.Call) and _call_name(expr) in _NUMERIC:
        return []
    out: list[ast.AST] = [expr]
    for child in ast.iter_child_nodes(expr):
        out += _text_parts(child)
    return out


def _numeric_params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Parameters that hold a number: annotated `int`/`float`, defaulting to a number
    (alerta's `is_flapping(self, alert, window=1800)`), or converted to one by the route
    (lute's `@bp.route("/delete/<int:termtagid>")`, `route_numbers`)."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults = dict(zip([p.arg for p in positional][::-1], a.defaults[::-1], strict=False))
    defaults.update({p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d})
    numbers = {name for name, d in defaults.items() if _number(d)}
    return route_numbers(fn) | {
        p.arg
        for p in [*positional, *a.kwonlyargs]
        if (isinstance(p.annotation, ast.Name) and p.annotation.id in ("int", "float"))
        or p.arg in numbers
    }


def _number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _allowlisted(fn: ast.AST) -> set[str]:
    """The variables the function refuses unless they are among known values: `if sort not in
    sortable_columns: raise ...` (or return)."""
    out: set[str] = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.If):
            continue
        test = node.test
        if (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and [type(op) for op in test.ops] == [ast.NotIn]
            and any(isinstance(n, ast.Return | ast.Raise) for s in node.body for n in ast.walk(s))
        ):
            out.add(test.left.id)
    return out


def _untrusted_sql(repo: Repo, rel: str, line: int) -> bool:
    """SQL built from strings where a value from outside reaches the text: request data, or in
    a web module a parameter of the enclosing function (not an identifier such as a table or
    column name), directly or through a local variable. Constants, identifiers and quoted
    values pass, and so does a library's or a command-line tool's own SQL."""
    tree = repo.tree(rel)
    if tree is None or is_test(rel) or is_migration(rel):
        return False
    # a library's or a CLI's caller is its operator, and so is a Django management command's
    web = bool(_WEB.search(repo.text(rel))) and not is_management_command(rel)
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not (fn.lineno <= line <= (fn.end_lineno or fn.lineno)):
            continue
        inner = [
            n
            for n in ast.walk(fn)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n is not fn
            and n.lineno <= line <= (n.end_lineno or n.lineno)
        ]
        if inner:
            continue  # the innermost function decides
        params = parameter_names(fn)
        params = params - {"self", "cls"} - _numeric_params(fn) if web else set()
        assigned = assignments(fn)
        for name in _allowlisted(fn):  # checked against the known columns: an identifier
            params.discard(name)
            assigned[name] = []
        # an optional parameter that no caller fills holds its default, not outside data
        params = {p for p in params if not never_passed(repo, rel, fn, p)}
        # a view parameter every route captures as an identifier (`(?P<objtype>[\w.]+)`)
        params = {p for p in params if not identifier_route(repo, rel, fn, p)}

        strings = [
            n
            for n in ast.walk(fn)
            if getattr(n, "lineno", 0) == line
            and isinstance(n, ast.JoinedStr | ast.BinOp | ast.Call)
            and _interpolated(n)
        ]
        checked = checked_identifiers(fn, line)  # raised on unless a bare identifier
        return any(
            _outside(v, params, assigned)
            for n in strings
            for v in _interpolated(n)
            if ast.unparse(v) not in checked
        )
    return False


_CLEANUP = re.compile(
    r"(?i)^(?:a?close|unlink|remove|rmtree|kill|terminate|shutdown|cancel|release|stop|disconnect"
    r"|clean_?up|request_gc|collect|malloc_trim|mallopt|rollback|join|unregister|teardown"
    r"|import_module|__import__)$"
)
# reads and writes of data; a user's registration, enrolment or subscription to something
# (inginious' `course_register_user`) writes a membership the user then relies on
_DATA = re.compile(
    r"(?i)^(?:save|commit|execute\w*|write\w*|insert\w*|update\w*|delete\w*|upsert\w*|flush"
    r"|store|persist|get_\w+|fetch\w*|query|load|dump"
    r"|\w*(?:register|enrol|subscribe)_\w*user\w*)$"
)


# functions that run while an object or a process goes away, where a failure has nowhere to go
_TEARDOWN = re.compile(
    r"(?i)^(?:__del__|__exit__|__aexit__|a?close|dispose|shutdown|stop|teardown\w*|tear_down\w*"
    r"|clean_?up\w*|finali[sz]e)$"
)


# a comment that gives a reason, not a note that the handling is still to write
_REASON = re.compile(r"#(?!.*\b(?:TODO|FIXME|XXX|HACK)\b)")
# a tool's directive on the `except` line (ruff's noqa with its codes, pylint's
# disable=broad-except, coverage's pragma: no cover): it silences a checker, it gives no reason
_DIRECTIVE = re.compile(
    r"(?i)\bnoqa(?::\s*[A-Z]+\d+(?:,\s*[A-Z]+\d+)*)?|\bpylint:\s*disable=[\w,-]+"
    r"|\bpragma:\s*no\s*cover|\btype:\s*ignore(?:\[[\w,-]+\])?|\bnosec\b(?:\s+B\d+)?"
)


def _best_effort(repo: Repo, tree: ast.Module, rel: str, line: int) -> bool:
    """The swallow at `line` is a decision: it sits in a destructor, close or teardown
    function, or in a Django system check (a check skipped is reported by none), or a comment
    in its handler says why (a TODO or FIXME is no reason)."""
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not (fn.lineno <= line <= (fn.end_lineno or fn.lineno)):
            continue
        args = [a.arg for a in fn.args.args]
        if _TEARDOWN.match(fn.name) or "app_configs" in args:
            return True
    lines = repo.text(rel).splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.lineno == line and node.body:
            inside = lines[line : node.body[-1].end_lineno or line]
            return _reason_on(lines[line - 1]) or any(
                _REASON.match(text.strip()) for text in inside
            )
    return False


def _reason_on(except_line: str) -> bool:
    """The `except` line's own comment says why, once a checker's directive is set aside
    (langbot's `except Exception:  # pragma: no cover - identity resolution is best effort`).

    Example:
        >>> _reason_on("except Exception:  # pragma: no cover - resolution is best effort")
        True
        >>> _reason_on("except Exception:  # pylint: disable=broad-except")
        False
    """
    _, hash_, comment = except_line.partition("#")
    if not hash_:
        return False
    rest = _DIRECTIVE.sub("", comment)
    return bool(_REASON.match("#" + rest)) and re.search(r"[A-Za-z]{3,}", rest) is not None


def _hides_data_error(repo: Repo, rel: str, line: int) -> bool:
    """A broad `except: pass/continue` that hides a failed read or write of data, not cleanup
    (closing, removing, killing, inside `finally` or another handler, a destructor or teardown
    function), an optional import, a best-effort parse or platform call, a Django system
    check, a swallow whose comment says why, or test code."""
    tree = repo.tree(rel)
    if tree is None or is_test(rel) or is_migration(rel) or _best_effort(repo, tree, rel, line):
        return False
    cleanup: set[int] = set()  # try statements that run while cleaning up or handling an error
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for part in [*node.finalbody, *(s for h in node.handlers for s in h.body)]:
                cleanup.update(id(n) for n in ast.walk(part) if isinstance(n, ast.Try))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try) or id(node) in cleanup:
            continue
        if not any(h.lineno == line for h in node.handlers):
            continue
        if any(isinstance(s, ast.Import | ast.ImportFrom) for s in node.body):
            return False
        calls = [_call_name(c) for s in node.body for c in ast.walk(s) if isinstance(c, ast.Call)]
        if _falls_back(tree, node, calls) or _tries_candidates(tree, node) or _enriches(tree, node):
            return False
        if _read_with_default(tree, node, calls) or _writes_diagnostic(node):
            return False
        if skips_item(tree, node, any(_WRITES.match(c) for c in calls)):
            return False  # the pass leaves one item out of the list it builds
        if left_for_later(tree, node):
            return False  # the failed items stay in a collection recorded after the loop
        if counted_after(tree, node):
            return False  # the next statement counts the lists and reports what is missing
        data = [c for c in calls if _DATA.match(c)]
        if data and set(data) <= _optional_names(tree):
            return False  # only an optional dependency's helper, missing where not installed
        return not any(_CLEANUP.match(c) for c in calls) and bool(data)
    return False


def _optional_names(tree: ast.Module) -> set[str]:
    """The names the module binds to an optional dependency: `f = optional_import("f", ...)`
    (tethys's `get_gravatar_url`, absent without django-gravatar), or imported in a module-level
    `try` whose `except ImportError` binds a stand-in.

    Example:
        >>> code = "try:\\n    from x import f\\nexcept ImportError:\\n    f = None\\n"
        >>> sorted(_optional_names(ast.parse(code + "g = optional_import('g', 'y')")))
        ['f', 'g']
    """
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and "optional" in _call_name(node.value).lower():
            out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Try) and any(
            h.type is not None and "ImportError" in ast.unparse(h.type) for h in node.handlers
        ):
            out |= {
                (a.asname or a.name).split(".")[0]
                for s in node.body
                if isinstance(s, ast.Import | ast.ImportFrom)
                for a in s.names
            }
    return out


_STREAMS = frozenset(["sys.stderr", "sys.stdout", "sys.__stderr__", "sys.__stdout__"])


def _writes_diagnostic(node: ast.Try) -> bool:
    """The try only writes a message to the process's own stderr or stdout (`os.write(2,
    ...)` in skypilot's signal handler, `sys.stderr.write(...)`): if that write fails there is
    nowhere left to report it, and no data is lost.

    Example:
        >>> code = "try:\\n    os.write(2, b'ignored')\\nexcept Exception:\\n    pass"
        >>> _writes_diagnostic(ast.parse(code).body[0])
        True
        >>> code = "try:\\n    os.write(fd, data)\\nexcept Exception:\\n    pass"
        >>> _writes_diagnostic(ast.parse(code).body[0])
        False
    """
    calls = [c for s in node.body for c in ast.walk(s) if isinstance(c, ast.Call)]
    return bool(calls) and all(_to_stream(c) for c in calls)


def _to_stream(call: ast.Call) -> bool:
    func = ast.unparse(call.func)
    if func == "os.write":
        first = call.args[0] if call.args else None
        return isinstance(first, ast.Constant) and first.value in (1, 2)
    owner, _, method = func.rpartition(".")
    return owner in _STREAMS and method in ("write", "flush")


_WRITES = re.compile(
    r"(?i)^(?:save|commit|execute\w*|write\w*|insert\w*|update\w*|delete\w*|upsert\w*|flush"
    r"|store|persist|dump)$"
)


def _enriches(tree: ast.Module, node: ast.Try) -> bool:
    """An optional extra: the try only reads a value into a dict or list the function is
    building (zenml's error body gets the request id `if request_id := ...`), writes and
    returns nothing, so a failure leaves that value out and the answer is given either way."""
    body = [n for s in node.body for n in ast.walk(s)]
    calls = [_call_name(c) for c in body if isinstance(c, ast.Call)]
    if any(_WRITES.match(c) for c in calls) or any(
        isinstance(n, ast.Return | ast.Raise | ast.Delete) for n in body
    ):
        return False
    stores = [
        t
        for n in body
        if isinstance(n, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
    ]
    built = {
        t.id
        for n in ast.walk(_scope(tree, node))
        if isinstance(n, ast.Assign | ast.AnnAssign)
        and n.lineno < node.lineno
        and isinstance(n.value, ast.Dict | ast.List)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Name)
    }
    return bool(stores) and all(
        isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in built
        for t in stores
    )


def _tries_candidates(tree: ast.Module, node: ast.Try) -> bool:
    """A probe: the try runs once per item of a fixed list written in the code (extensions,
    formats, encodings to try), so a candidate that fails is an answer, not a lost error."""
    for loop in ast.walk(tree):
        if (
            isinstance(loop, ast.For | ast.AsyncFor)
            and node in loop.body
            and isinstance(loop.iter, ast.Tuple | ast.List | ast.Set)
            and all(
                isinstance(n, ast.Constant | ast.Tuple | ast.List | ast.Load)
                for item in loop.iter.elts
                for n in ast.walk(item)
            )
        ):
            return True
    return False


def _falls_back(tree: ast.Module, node: ast.Try, calls: list[str]) -> bool:
    """A read with a fallback: the try returns what it read, writes nothing, and a statement
    after it returns another answer, so the caller is answered either way."""
    if any(_WRITES.match(c) for c in calls) or not any(
        isinstance(n, ast.Return) for s in node.body for n in ast.walk(s)
    ):
        return False
    for parent in ast.walk(tree):
        for block in (getattr(parent, f, None) for f in ("body", "orelse", "finalbody")):
            if isinstance(block, list) and node in block:
                after = block[block.index(node) + 1 :]
                return any(isinstance(n, ast.Return) for s in after for n in ast.walk(s))
    return False


def _read_with_default(tree: ast.Module, node: ast.Try, calls: list[str]) -> bool:
    """A read into names the function set to a default just before (`trace = None`, then
    `try: trace = await get_trace(...)`): it writes nothing, so a failure leaves the default,
    which is the documented answer for "none" (letta's optional provider trace)."""
    if any(_WRITES.match(c) for c in calls):
        return False
    body = [n for s in node.body for n in ast.walk(s)]
    if any(isinstance(n, ast.Return | ast.Raise | ast.Delete) for n in body):
        return False
    stored = [
        t
        for s in node.body
        if isinstance(s, ast.Assign | ast.AnnAssign)
        for t in (s.targets if isinstance(s, ast.Assign) else [s.target])
    ]
    if not stored or len(stored) != len(node.body):
        return False
    defaults = {
        t.id
        for n in ast.walk(_scope(tree, node))
        if isinstance(n, ast.Assign)
        and n.lineno < node.lineno
        and isinstance(n.value, ast.Constant)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    return all(isinstance(t, ast.Name) and t.id in defaults for t in stored)
