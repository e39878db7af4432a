"""The endpoints of Flask-RESTful and Flask-RESTX resources: classes whose `get`, `post`, `put`,
`patch` and `delete` methods answer the URLs they are registered under, with
`api.add_resource(Resource, "/path/", ...)` or through a table of registrations that the
application walks (cornflow's `resources = [dict(resource=InstanceEndpoint, urls="/instance/",
...)]`, registered by `api.add_resource(res["resource"], res["urls"], ...)` in its app
factory). They have no route decorator, so `web.py`'s decorator walk never meets them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from team.audit.endpoints import (
    _AUTH,
    METHODS,
    App,
    Endpoint,
    _auth_in,
    _dotted,
    _Module,
    _prefix,
    _str,
)
from team.audit.handlers import _endpoint

__all__ = ["resource_endpoints"]

# the registration table's keys: the resource class and its URL (or URLs)
_TABLE_CLASS = ("resource",)
_TABLE_URLS = ("urls", "url")
_DECORATORS = ("method_decorators", "decorators")
_RESOURCE_BASE = re.compile(r"(?:Resource|MethodView)$")


def resource_endpoints(
    modules: list[tuple[str, ast.Module]], scanned: dict[str, _Module], known: frozenset[str]
) -> tuple[list[Endpoint], list[App]]:
    """An endpoint per HTTP method of every resource class of `modules` (rel, tree) that is
    registered under a URL there, with the prefix of the `Api(..., prefix=...)` it is added to
    and of the blueprint that Api is built on, and the authentication of that blueprint (its
    `before_request` hook, `scanned` by `web.py`) or of the class (`method_decorators`); and,
    as the API's application, the first registration of each module that registers some
    (cornflow's table, whose `Api` is built outside the reviewed folder).

    Example:
        >>> import ast
        >>> code = '''
        ... class Notes(Resource):
        ...     def get(self):
        ...         return []
        ... api = Api(app, prefix="/api")
        ... api.add_resource(Notes, "/notes")
        ... '''
        >>> found, apps = resource_endpoints([("r.py", ast.parse(code))], {}, frozenset())
        >>> [(e.method, e.path, e.handler) for e in found], [(a.file, a.line) for a in apps]
        ([('GET', '/api/notes', 'Notes.get')], [('r.py', 6)])
    """
    classes = {
        node.name: (rel, node)
        for rel, tree in modules
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    out: list[Endpoint] = []
    apps: dict[str, App] = {}
    for rel, tree in modules:
        apis = _apis(tree, scanned.get(rel))
        for name, urls, owner, line in _registrations(tree):
            found = classes.get(name)
            if found is None or not _is_resource(found[1], classes):
                continue
            apps.setdefault(rel, App(rel, line, "flask", owner or "resources"))
            cls_rel, cls = found
            mod = _Module(cls_rel, ast.Module(body=[], type_ignores=[]), known=known)
            prefix, api_auth = apis.get(owner, ("", ""))
            auth = api_auth or _class_auth(cls, classes, known)
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.name in METHODS:
                    out += [
                        replace(
                            _endpoint(fn, fn.name, prefix + url, mod, "flask", auth, None),
                            handler=f"{cls.name}.{fn.name}",
                        )
                        for url in urls
                    ]  # fmt: skip
    return out, sorted(apps.values(), key=lambda a: (a.file, a.line))


def _registrations(tree: ast.Module) -> list[tuple[str, list[str], str, int]]:
    """(class name, URLs, the Api's variable, line) of each registration in the module: an
    `x.add_resource(Class, "/a", "/b")` call, or an entry of a table of registrations
    (`dict(resource=Class, urls="/a")`, `{"resource": Class, "urls": ["/a", "/b"]}`), whose Api
    is not named."""
    out: list[tuple[str, list[str], str, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call | ast.Dict):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if (
                node.func.attr == "add_resource"
                and node.args
                and isinstance(node.args[0], ast.Name)
            ):
                urls = [u for u in (_str(a) for a in node.args[1:]) if u is not None]
                out.append((node.args[0].id, urls, _dotted(node.func.value), node.lineno))
            continue
        entry = _table_entry(node)
        if entry is not None:
            out.append((*entry, "", node.lineno))
    return sorted((r for r in out if r[1]), key=lambda r: r[3])


def _table_entry(node: ast.Call | ast.Dict) -> tuple[str, list[str]] | None:
    """(class name, URLs) of a `dict(resource=Class, urls=...)` or `{"resource": Class, ...}`."""
    if isinstance(node, ast.Call):
        if _dotted(node.func) != "dict":
            return None
        fields = {k.arg: k.value for k in node.keywords if k.arg}
    else:
        fields = {
            k.value: v
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    cls = next((fields[k] for k in _TABLE_CLASS if k in fields), None)
    urls = next((fields[k] for k in _TABLE_URLS if k in fields), None)
    if not isinstance(cls, ast.Name) or urls is None:
        return None
    items = urls.elts if isinstance(urls, ast.List | ast.Tuple) else [urls]
    return cls.id, [u for u in (_str(i) for i in items) if u is not None]


def _apis(tree: ast.Module, mod: _Module | None) -> dict[str, tuple[str, str]]:
    """(prefix, authentication) of each `x = Api(bp, prefix="/v2")` of the module (or of an
    `Api` subclass, bound to its blueprint later by `x.init_app(bp)`), by variable: the
    blueprint's `url_prefix` before its own, and the blueprint's guard (psiturk's
    `api_blueprint`, under /api with a `before_request` that asks for a login)."""
    built: dict[str, tuple[ast.Call, str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _dotted(node.value.func).rsplit(".", 1)[-1].endswith("Api")
        ):
            base = _dotted(node.value.args[0]) if node.value.args else ""
            built |= {t.id: (node.value, base) for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):  # api.init_app(api_blueprint)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "init_app"
            and node.args
            and _dotted(node.func.value) in built
        ):
            call, _ = built[_dotted(node.func.value)]
            built[_dotted(node.func.value)] = (call, _dotted(node.args[0]))
    out: dict[str, tuple[str, str]] = {}
    for name, (call, base) in built.items():
        _, bp_prefix, bp_auth = mod.routers.get(base, ("", "", "")) if mod else ("", "", "")
        if mod is not None and not bp_auth and base in mod.global_auth:
            bp_auth = f"{base}.before_request"
        out[name] = (bp_prefix + _prefix(call), bp_auth)
    return out


def _is_resource(cls: ast.ClassDef, classes: dict[str, tuple[str, ast.ClassDef]]) -> bool:
    """The class derives, through classes of the repository, from a `Resource` (Flask-RESTful's,
    Flask-RESTX's, flask-apispec's `MethodResource`) or Flask's `MethodView`."""
    return any(
        _RESOURCE_BASE.search(_dotted(b).rsplit(".", 1)[-1])
        for c in _chain(cls, classes)
        for b in c.bases
    )


def _chain(cls: ast.ClassDef, classes: dict[str, tuple[str, ast.ClassDef]]) -> list[ast.ClassDef]:
    """The class and the classes of the repository it derives from, nearest first."""
    out = [cls]
    for node in out:
        for base in node.bases:
            found = classes.get(_dotted(base).rsplit(".", 1)[-1])
            if found is not None and found[1] not in out:
                out.append(found[1])
    return out


def _class_auth(
    cls: ast.ClassDef, classes: dict[str, tuple[str, ast.ClassDef]], known: frozenset[str]
) -> str:
    """The authentication every method of the resource gets from its class or a base class of
    the repository: Flask-RESTful's `method_decorators = [login_required]` (lemur's
    `AuthenticatedResource`), `decorators = [..., auth_required]` (opencve's `BaseResource`),
    or a decorator of the class itself."""
    for c in _chain(cls, classes):
        for stmt in c.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in _DECORATORS for t in stmt.targets
            ):
                found = _auth_in(stmt.value, known)
                if found:
                    return found
        for d in c.decorator_list:
            if _AUTH.search(_dotted(d).rsplit(".", 1)[-1]) or _dotted(d) in known:
                return _dotted(d)
    return ""
