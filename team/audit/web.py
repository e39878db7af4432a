"""The HTTP endpoints of FastAPI, Flask and Django apps, read from the syntax tree.

An `Endpoint` holds what an API review needs: method, path (with router prefixes), handler,
the authentication it requires, its inputs, whether it paginates, and the error codes it raises.
Routers mounted under a prefix in another module (`include_router(x.router, prefix=...)`) get
that prefix; DRF viewsets registered on routers are not listed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import cast

from team.audit.repo import Repo

__all__ = ["App", "Endpoint", "web_inventory"]

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_AUTH = re.compile(
    r"(?i)auth|user|token|login|permission|security|verify|api_?key|credential|principal|admin"
    r"|jwt|oauth|bearer|scope|role|access"
)
_PUBLIC = re.compile(
    r"(?i)^/?$|health|ready|live|ping|status|metrics|docs|openapi|redoc|login|logout|token"
    r"|signup|sign-up|register|callback|static|favicon|version|password|recover|reset|forgot"
)
_PAGE_PARAMS = frozenset(
    [
        "limit",
        "offset",
        "page",
        "page_size",
        "per_page",
        "pagesize",
        "cursor",
        "skip",
        "size",
        "after",
        "before",
    ]
)
_APP_CLASSES = {"FastAPI": "fastapi", "Flask": "flask", "Starlette": "starlette", "Quart": "flask"}
_ROUTER_CLASSES = {"APIRouter": "fastapi", "Blueprint": "flask"}


@dataclass(frozen=True)
class Endpoint:
    """One HTTP operation a repository serves."""

    method: str
    path: str
    handler: str
    file: str
    line: int
    framework: str
    auth: str = ""
    inputs: tuple[str, ...] = ()
    paginated: bool = False
    errors: tuple[int, ...] = ()
    returns_list: bool = False
    writes: bool = False
    idempotency_key: bool = False
    node: ast.AST | None = field(default=None, compare=False, repr=False)

    @property
    def public(self) -> bool:
        literal = [p for p in self.path.split("/") if p and not p.startswith(("{", "<"))]
        return not literal or bool(_PUBLIC.search(literal[-1]))


@dataclass(frozen=True)
class App:
    """An application object (`FastAPI()`, `Flask()`) or a Django project, where it is created."""

    file: str
    line: int
    framework: str
    name: str


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _prefix(call: ast.Call) -> str:
    """A router's prefix; one computed at run time (`settings.API_V1_STR`) reads `{expression}`."""
    node = _kw(call, "prefix") or _kw(call, "url_prefix")
    if node is None:
        return ""
    text = _str(node)
    return text if text is not None else "{" + ast.unparse(node) + "}"


def _auth_in(node: ast.AST | None) -> str:
    """The name of an auth-looking dependency inside `node` (Depends(x), Security(x), names)."""
    if node is None:
        return ""
    for sub in ast.walk(node):
        name = _dotted(sub) if isinstance(sub, ast.Name | ast.Attribute) else ""
        if name and _AUTH.search(name.rsplit(".", 1)[-1]):
            return name
    return ""


@dataclass
class _Module:
    rel: str
    tree: ast.Module
    routers: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # var -> fw, prefix, auth
    apps: list[App] = field(default_factory=list)
    global_auth: set[str] = field(default_factory=set)  # router/app vars guarded as a whole


def _scan_objects(rel: str, tree: ast.Module) -> _Module:
    mod = _Module(rel, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            cls = _call_name(node.value)
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            fw = _APP_CLASSES.get(cls) or _ROUTER_CLASSES.get(cls)
            if not fw or not targets:
                continue
            prefix = _prefix(node.value)
            auth = _auth_in(_kw(node.value, "dependencies"))
            for target in targets:
                mod.routers[target] = (fw, prefix, auth)
                if cls in _APP_CLASSES:
                    mod.apps.append(App(rel, node.lineno, fw, target))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if _call_name(deco) == "before_request" and (
                    _AUTH.search(node.name) or _auth_in(node)
                ):
                    owner = _dotted(deco).split(".")[0]
                    mod.global_auth.add(owner)
        elif (
            isinstance(node, ast.Call)
            and _call_name(node) == "add_middleware"
            and node.args
            and _AUTH.search(_dotted(node.args[0]))
        ):
            mod.global_auth.add(_dotted(node.func).split(".")[0])
    return mod


def _mounts(modules: list[_Module]) -> dict[tuple[str, str], tuple[str, str]]:
    """(module stem, router var) -> (prefix, auth) from `include_router`/`register_blueprint`."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for mod in modules:
        imported = {
            alias.asname or alias.name: (node.module or "").rsplit(".", 1)[-1]
            for node in ast.walk(mod.tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        for node in ast.walk(mod.tree):
            if not (
                isinstance(node, ast.Call)
                and _call_name(node) in ("include_router", "register_blueprint")
                and node.args
            ):
                continue
            prefix = _prefix(node)
            auth = _auth_in(_kw(node, "dependencies"))
            arg = node.args[0]
            if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
                key = (arg.value.id, arg.attr)
            elif isinstance(arg, ast.Name):
                key = (imported.get(arg.id, _stem(mod.rel)), arg.id)
            else:
                continue
            out[key] = (prefix, auth)
    return out


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".py")


def _errors(fn: ast.AST) -> tuple[int, ...]:
    codes: set[int] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and _call_name(node) in (
            "HTTPException",
            "abort",
            "JSONResponse",
            "Response",
            "make_response",
        ):
            for arg in [*node.args[:2], _kw(node, "status_code"), _kw(node, "status")]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, int):
                    codes.add(arg.value)
                elif isinstance(arg, ast.Attribute) and (m := re.search(r"_(\d{3})_", arg.attr)):
                    codes.add(int(m[1]))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            last = node.value.elts[-1] if node.value.elts else None
            if isinstance(last, ast.Constant) and isinstance(last.value, int):
                codes.add(last.value)
    return tuple(sorted(c for c in codes if c >= 300))


_WRITE_CALLS = frozenset(
    [
        "add",
        "add_all",
        "insert",
        "insert_one",
        "insert_many",
        "create",
        "save",
        "commit",
        "bulk_create",
        "put_item",
    ]
)
_LIST_CALLS = frozenset(["all", "fetchall", "find", "scalars"])


def _endpoint(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    method: str,
    path: str,
    mod: _Module,
    framework: str,
    auth: str,
    call: ast.Call | None,
) -> Endpoint:
    params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults = dict(
        zip(
            [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]][::-1],
            fn.args.defaults[::-1],
            strict=False,
        )
    )
    defaults |= {
        a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True) if d
    }
    inputs: list[str] = []
    for param in params:
        if param.arg in ("self", "cls", "request"):
            continue
        ann = ast.unparse(param.annotation) if param.annotation else ""
        found = _auth_in(defaults.get(param.arg)) or (
            _auth_in(param.annotation) if param.annotation else ""
        )
        if found:
            auth = auth or found
            continue
        if "Depends(" in ann or "Depends(" in ast.unparse(defaults.get(param.arg) or ast.Pass()):
            continue  # a database session or another injected helper
        inputs.append(f"{param.arg}: {ann}" if ann else param.arg)
    for deco in fn.decorator_list:
        name = _dotted(deco)
        if _AUTH.search(name.rsplit(".", 1)[-1]) and not name.endswith((*METHODS, "route")):
            auth = auth or name
    if call is not None:
        auth = auth or _auth_in(_kw(call, "dependencies"))
    text = ast.unparse(fn)
    names = {p.arg for p in params}
    paginated = bool(names & _PAGE_PARAMS) or bool(
        re.search(r"args\.get\(\s*['\"](?:page|limit|offset|cursor|per_page)", text)
    )
    model = _kw(call, "response_model") if call else None
    response = ast.unparse(model) if model is not None else ""
    returns = ast.unparse(fn.returns) if fn.returns else ""
    returns_list = bool(
        re.match(r"(?:typing\.)?(?:list|List|Sequence)\[", response or returns)
    ) or any(
        isinstance(n, ast.Return) and n.value is not None and _call_name(n.value) in _LIST_CALLS
        for n in ast.walk(fn)
    )
    creates = bool(
        re.match(r"(?i)(?:create|add|new|insert|register|submit|upload|place|post)", fn.name)
    )
    writes = (
        creates
        and any(isinstance(n, ast.Call) and _call_name(n) in _WRITE_CALLS for n in ast.walk(fn))
    ) or bool(re.search(r"(?i)\binsert\s+into\b", text))
    return Endpoint(
        method=method.upper(),
        path=path or "/",
        handler=fn.name,
        file=mod.rel,
        line=fn.lineno,
        framework=framework,
        auth=auth,
        inputs=tuple(inputs),
        paginated=paginated,
        errors=_errors(fn),
        returns_list=returns_list,
        writes=writes,
        idempotency_key="idempotency" in text.lower(),
        node=fn,
    )


def _route_endpoints(
    mod: _Module, mounts: dict[tuple[str, str], tuple[str, str]]
) -> list[Endpoint]:
    out: list[Endpoint] = []
    stem = _stem(mod.rel)
    for fn in ast.walk(mod.tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in fn.decorator_list:
            if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                continue
            owner = _dotted(deco.func.value)
            if owner not in mod.routers:
                continue
            framework, prefix, router_auth = mod.routers[owner]
            mount_prefix, mount_auth = mounts.get((stem, owner), ("", ""))
            verb = deco.func.attr
            route = _str(deco.args[0]) if deco.args else _str(_kw(deco, "path"))
            if route is None:
                continue
            if verb in METHODS:
                methods = [verb]
            elif verb in ("route", "api_route", "websocket"):
                listed = _kw(deco, "methods")
                methods = [
                    m
                    for m in (
                        [_str(e) for e in listed.elts]
                        if isinstance(listed, ast.List | ast.Tuple)
                        else ["GET"]
                    )
                    if m
                ]
            else:
                continue
            auth = router_auth or mount_auth or ("global" if owner in mod.global_auth else "")
            for method in methods:
                out.append(
                    _endpoint(fn, method, mount_prefix + prefix + route, mod, framework, auth, deco)
                )
    return out


def _django(repo: Repo, modules: list[_Module]) -> tuple[list[Endpoint], list[App]]:
    views: dict[str, tuple[_Module, ast.AST]] = {}
    for mod in modules:
        for top in mod.tree.body:
            if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                views.setdefault(top.name, (mod, top))
    out: list[Endpoint] = []
    apps: list[App] = []
    for mod in modules:
        if not mod.rel.endswith("urls.py"):
            continue
        for node in ast.walk(mod.tree):
            if not (isinstance(node, ast.Call) and _call_name(node) in ("path", "re_path", "url")):
                continue
            route = _str(node.args[0]) if node.args else None
            if route is None or len(node.args) < 2 or _call_name(node.args[1]) == "include":
                continue
            view = node.args[1]
            func = view.func if isinstance(view, ast.Call) else None
            target = func.value if isinstance(func, ast.Attribute) else view
            name = _dotted(target).rsplit(".", 1)[-1]
            found = views.get(name)
            auth = ""
            if found is not None:
                _, vnode = found
                heads = [*getattr(vnode, "decorator_list", []), *getattr(vnode, "bases", [])]
                auth = next((_dotted(h) for h in heads if _AUTH.search(_dotted(h))), "")
                if not auth and isinstance(vnode, ast.ClassDef):
                    auth = next(
                        (
                            "permission_classes"
                            for n in vnode.body
                            if isinstance(n, ast.Assign)
                            and any(getattr(t, "id", "") == "permission_classes" for t in n.targets)
                        ),
                        "",
                    )
            file, line = (
                (found[0].rel, getattr(found[1], "lineno", 1)) if found else (mod.rel, node.lineno)
            )
            out.append(Endpoint("ANY", "/" + route.lstrip("^/"), name, file, line, "django", auth))
        if out and not apps:
            apps.append(App(mod.rel, 1, "django", "urlpatterns"))
    return out, apps


def web_inventory(repo: Repo) -> tuple[list[Endpoint], list[App]]:
    """Every endpoint and application object in the repository, sorted by file and line.

    Example:
        >>> from pathlib import Path
        >>> endpoints, apps = web_inventory(Repo.scan(Path("scenarios/fixtures/churn")))
        >>> [(e.method, e.path, e.handler) for e in endpoints]
        [('POST', '/predict', 'predict')]
    """
    if "web" in repo.memo:
        return cast("tuple[list[Endpoint], list[App]]", repo.memo["web"])
    modules = [
        _scan_objects(rel, tree)
        for rel, tree in repo.modules()
        if re.search(r"fastapi|flask|starlette|quart|django|Blueprint|APIRouter", repo.text(rel))
    ]
    mounts = _mounts(modules)
    endpoints = [e for mod in modules for e in _route_endpoints(mod, mounts)]
    apps = [a for mod in modules for a in mod.apps]
    django_endpoints, django_apps = _django(repo, modules)
    result = (
        sorted(endpoints + django_endpoints, key=lambda e: (e.file, e.line, e.method)),
        apps + django_apps,
    )
    repo.memo["web"] = result
    return result
