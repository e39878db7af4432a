"""http-no-timeout where a requests or httpx call is handed a timeout of None from a parameter.

ruff's S113 and `sessions.py` leave alone a call that passes `timeout=`; but a timeout handed
down from a parameter that defaults to None is no timeout when the caller leaves it (tabpy's
client: `RequestsNetworkWrapper.GET(self, url, data, timeout=None)` calls
`self.session.get(url, ..., timeout=timeout)`, `ServiceClient.GET` forwards its own
`timeout=None` to it, and every call of the management API but `query()` leaves it so, so a
deploy hangs on a server that accepts and stalls).

The None counts only where the application leaves it: a caller outside the tests and the
command-line tools that passes no timeout (by name or position), followed up through the
functions that only hand on a parameter of their own. A function that replaces the None
(`timeout or 30`, `if timeout is None:`), a caller that spreads `*args` or `**kwargs`, and a
method name other objects share (`get`, `post`: a `dict.get()` is no caller) called on anything
but `self` are left alone. So is `timeout=None` written at the call: it is chosen there (lnbits'
event streams and Lightning payments wait on purpose for as long as the node takes). The root
cause is reported once, at the first such call of its class (or module), with the other calls
and the callers that leave the None in the message, never once per caller.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from team.audit.core import RoleFinding, finding
from team.audit.repo import Function, Repo, is_test
from team.audit.timeouts import no_request_waits

__all__ = ["none_timeouts"]

_VERBS = frozenset(
    ["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"]
)
# method names other objects have too: a call of one counts as a caller only on `self`
_SHARED = _VERBS | {"send", "fetch", "call", "run", "open", "update", "pop", "execute", "query"}
_DEPTH = 4  # forwarding functions followed up from the client call


@dataclass(frozen=True)
class _Site:
    """A call in the application's code: its module, line and the function it sits in."""

    rel: str
    call: ast.Call
    caller: Function | None


def _client_names(tree: ast.Module) -> tuple[set[str], bool]:
    """The names a module binds requests and httpx to, and whether it imports httpx."""
    names: set[str] = set()
    httpx = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("requests", "httpx"):
                    names.add(alias.asname or alias.name)
                    httpx |= alias.name == "httpx"
        elif isinstance(node, ast.ImportFrom) and node.module == "httpx":
            httpx = True
    return names, httpx


def _is_client_call(call: ast.Call, modules: set[str], httpx: bool) -> bool:
    """`requests.get(...)`, `self.session.post(...)`, and with httpx imported `client.get(...)`."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in _VERBS):
        return False
    receiver = ast.unparse(func.value)
    last = receiver.rsplit(".", 1)[-1].lower()
    return receiver in modules or "session" in last or (httpx and "client" in last)


def _timeout(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "timeout"), None)


def _forwarded(fn: Function, name: str) -> tuple[int, bool] | None:
    """`name`'s place among `fn`'s positional parameters (after `self`/`cls`; -1 if keyword
    only) and whether it defaults to None, when `fn` only hands it on (never rebinds, tests or
    combines it), else None."""
    positional = [*fn.args.posonlyargs, *fn.args.args]
    defaults = {
        a.arg: d
        for a, d in [
            *zip(
                positional[len(positional) - len(fn.args.defaults) :], fn.args.defaults, strict=True
            ),
            *zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True),
        ]
        if d is not None
    }
    if name not in {a.arg for a in (*positional, *fn.args.kwonlyargs)}:
        return None
    passed = {id(k.value) for c in ast.walk(fn) if isinstance(c, ast.Call) for k in c.keywords}
    passed |= {id(a) for c in ast.walk(fn) if isinstance(c, ast.Call) for a in c.args}
    if any(
        isinstance(n, ast.Name) and n.id == name and id(n) not in passed
        for stmt in fn.body
        for n in ast.walk(stmt)
    ):
        return None  # rebound, tested or combined: the None may be replaced
    default = defaults.get(name)
    names = [a.arg for a in positional]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    index = names.index(name) if name in names else -1
    return index, isinstance(default, ast.Constant) and default.value is None


def _passed(call: ast.Call, name: str, index: int) -> ast.expr | None:
    """What `call` passes for the parameter (`...` for a spread that may carry it)."""
    if any(k.arg is None for k in call.keywords) or any(
        isinstance(a, ast.Starred) for a in call.args
    ):
        return ast.Constant(value=...)
    value = next((k.value for k in call.keywords if k.arg == name), None)
    if value is None and 0 <= index < len(call.args):
        value = call.args[index]
    return value


class _Calls:
    """Every call of the application (outside the tests), by the name it calls."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.by_name: dict[str, list[_Site]] = {}
        self.defs: dict[str, list[Function]] = {}
        for rel, tree in repo.modules():
            if is_test(rel):
                continue
            for fn in (n for n in ast.walk(tree) if isinstance(n, Function)):
                self.defs.setdefault(fn.name, []).append(fn)
            self._collect(rel, tree, None)

    def _collect(self, rel: str, node: ast.AST, caller: Function | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, Function) else caller
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                self.by_name.setdefault(name, []).append(_Site(rel, child, caller))
            self._collect(rel, child, inner)

    def callers(self, fn: Function, owner: ast.ClassDef | None) -> list[_Site]:
        """The calls that may run `fn`: by its name, and for a shared method name only on
        `self` in its class; none when another function of that name takes no such parameter."""
        sites = [s for s in self.by_name.get(fn.name, []) if s.caller is not fn]
        if fn.name in _SHARED:
            body = set(map(id, ast.walk(owner))) if owner is not None else set()
            sites = [
                s
                for s in sites
                if isinstance(s.call.func, ast.Attribute)
                and ast.unparse(s.call.func.value) == "self"
                and id(s.call) in body
            ]
        return sites


def _left_none(
    calls: _Calls, fn: Function, owner: ast.ClassDef | None, name: str, depth: int
) -> list[_Site]:
    """The calls of the application that leave `fn`'s parameter `name` at its None default,
    followed up through callers that forward a parameter of their own."""
    forwarded = _forwarded(fn, name)
    if forwarded is None or depth > _DEPTH:
        return []
    index, none_default = forwarded
    if any(_forwarded(other, name) != forwarded for other in calls.defs.get(fn.name, [fn])):
        return []  # a namesake that differs: its calls cannot be told apart
    out: list[_Site] = []
    for site in calls.callers(fn, owner):
        value = _passed(site.call, name, index)
        if value is None and none_default:
            if not no_request_waits(calls.repo, site.rel):
                out.append(site)
        elif isinstance(value, ast.Name) and site.caller is not None:
            tree = calls.repo.tree(site.rel)
            cls = _owner(tree, site.caller) if tree is not None else None
            out += _left_none(calls, site.caller, cls, value.id, depth + 1)
    return out


def _owner(tree: ast.Module, fn: Function) -> ast.ClassDef | None:
    return next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and fn in c.body), None)


def none_timeouts(repo: Repo) -> list[RoleFinding]:
    """One http-no-timeout finding per class (or module) whose requests or httpx calls get
    their timeout from a None-defaulting parameter that some caller leaves at None.

    Example:
        >>> from pathlib import Path
        >>> none_timeouts(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    calls: _Calls | None = None
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        text = repo.text(rel)
        if (
            is_test(rel)
            or "timeout" not in text
            or ("requests" not in text and "httpx" not in text)
        ):
            continue
        modules, httpx = _client_names(tree)
        if not modules and not httpx:
            continue
        groups: dict[int, list[tuple[ast.Call, list[_Site]]]] = {}
        for fn in (n for n in ast.walk(tree) if isinstance(n, Function)):
            owner = _owner(tree, fn)
            for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call)):
                value = _timeout(call)
                if value is None or not _is_client_call(call, modules, httpx):
                    continue
                if isinstance(value, ast.Name):
                    calls = calls or _Calls(repo)
                    left = _left_none(calls, fn, owner, value.id, 0)
                    if left:
                        groups.setdefault(id(owner), []).append((call, left))
        out += [_finding(repo, rel, group) for group in groups.values()]
    return out


def _finding(repo: Repo, rel: str, group: list[tuple[ast.Call, list[_Site]]]) -> RoleFinding:
    first = group[0][0]
    others = sorted({c.lineno for c, _ in group[1:]} - {first.lineno})
    left = sorted({(s.rel, s.call.lineno) for _, sites in group for s in sites})
    where = f" (and on lines {', '.join(map(str, others))})" if others else ""
    shown = ", ".join(f"{r}:{n}" for r, n in left[:4]) + (", ..." if len(left) > 4 else "")
    return finding(
        "http-no-timeout",
        rel,
        first.lineno,
        f"{ast.unparse(first.func)}(){where} gets its timeout from a parameter that defaults to "
        f"None, and {len(left)} call(s) of the application leave it so ({shown}): None is no "
        "timeout, so the caller waits as long as the server does; default it to seconds",
        evidence=repo.line_text(rel, first.lineno),
    )
