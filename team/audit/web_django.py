"""The endpoints of Django and Django REST framework apps, read from the syntax tree.

`urls.py` patterns (`path`, `re_path`, `url`) name function views and class-based views; routers
(`DefaultRouter().register(prefix, ViewSet)`) expand a viewset into its actions (list, create,
retrieve, update, partial_update, destroy and `@action` methods). A view's HTTP methods come
from the methods it defines and its generic bases; its authentication from decorators
(`login_required`, `permission_classes`), mixins, `permission_classes` on the class or a base
defined in the repository, and the project's `DEFAULT_PERMISSION_CLASSES` or login middleware.
`AllowAny` marks a view public on purpose.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from team.audit.access_middleware import admits_only_privileged
from team.audit.allow_any import OpenPermissions
from team.audit.endpoints import (
    _AUTH,
    Endpoint,
    _call_name,
    _denies,
    _dotted,
    _kw,
    _str,
    guards_anonymous,
)
from team.audit.mapped_views import action_node, mapped_view
from team.audit.open_defaults import OpenDefaults, open_by_default
from team.audit.route_strings import route_text
from team.audit.url_builders import built_patterns, url_builders

__all__ = ["django_endpoints"]

_READ = ("GET",)
_GENERIC_METHODS: dict[str, tuple[str, ...]] = {
    "ListAPIView": _READ,
    "RetrieveAPIView": _READ,
    "CreateAPIView": ("POST",),
    "ListCreateAPIView": ("GET", "POST"),
    "UpdateAPIView": ("PUT", "PATCH"),
    "DestroyAPIView": ("DELETE",),
    "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
    "ListView": _READ,
    "DetailView": _READ,
    "TemplateView": _READ,
    "RedirectView": _READ,
    "ArchiveIndexView": _READ,
    "CreateView": ("GET", "POST"),
    "UpdateView": ("GET", "POST"),
    "DeleteView": ("GET", "POST"),
    "FormView": ("GET", "POST"),
}
_VERBS = ("get", "post", "put", "patch", "delete")
# viewset action -> (HTTP method, on the detail route)
_ACTIONS = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
_MIXIN_ACTIONS = {
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
    "ModelViewSet": tuple(_ACTIONS),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
}
_AUTH_BASES = re.compile(
    r"(?i)login|permission|userpasses|staff|superuser|authenticat|auth(?!or)\w*mixin|admin\w*mixin"
)
_ROUTERS = re.compile(r"Router$")
# how a view opts out of a login-required middleware (Django 5.1, django-login-required-middleware,
# django-require-login, django-login-default)
_NOT_REQUIRED = re.compile(
    r"(?i)login_not_required|no_login_required|LoginNotRequired|NoLoginRequired|PublicView"
    r"|^public$"
)


@dataclass(frozen=True)
class _View:
    rel: str
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _index(modules: list[tuple[str, ast.Module]]) -> dict[str, _View]:
    views: dict[str, _View] = {}
    for rel, tree in modules:
        for top in tree.body:
            if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                views.setdefault(top.name, _View(rel, top))
    return views


def _chain(view: _View, views: dict[str, _View]) -> list[ast.ClassDef]:
    """The class and its bases defined in the repository, nearest first."""
    out: list[ast.ClassDef] = []
    todo = [view.node]
    while todo and len(out) < 12:
        node = todo.pop(0)
        if not isinstance(node, ast.ClassDef) or node in out:
            continue
        out.append(node)
        for base in node.bases:
            found = views.get(_dotted(base).rsplit(".", 1)[-1])
            if found is not None:
                todo.append(found.node)
    return out


def _base_names(chain: list[ast.ClassDef]) -> list[str]:
    return [_dotted(b).rsplit(".", 1)[-1] for c in chain for b in c.bases]


def _permission(
    chain: list[ast.ClassDef], known: frozenset[str], opens: OpenPermissions
) -> tuple[str, bool]:
    """(auth, public on purpose) of a class view from its permission classes (read by what
    they resolve to, `allow_any.py`), mixins and decorators."""
    for cls in chain:
        for node in cls.body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "permission_classes" for t in node.targets
            ):
                if opens.lets_anyone_in(cls, node.value):
                    return "", True
                return "permission_classes", False
            if (
                isinstance(node, ast.FunctionDef)
                and node.name
                in (
                    "get_permissions",
                    "has_permission",
                    "dispatch",
                )
                and (
                    node.name != "dispatch"
                    or _decorated_auth(node, known)
                    or guards_anonymous(node)
                    or _denies(node)
                    or _wraps_in_guard(node, known)
                )
            ):
                return node.name, False
        if _decorated_auth(cls, known):
            return _decorated_auth(cls, known), False
    base = next((b for b in _base_names(chain) if _AUTH_BASES.search(b)), "")
    return base, False


# a decorator that admits only a verified caller: one that reads as auth, or a `*_required`
# (django_otp's `otp_required`, which lets through a user logged in with a second factor)
_REQUIRED = re.compile(r"(?i)_required$")


def _wraps_in_guard(dispatch: ast.FunctionDef, known: frozenset[str]) -> str:
    """The guard a `dispatch` applies to the parent's dispatch itself, inside its body rather
    than as a decorator (two_factor's DisableView: `fn = otp_required(super().dispatch,
    login_url=self.success_url)`, so that a subclass can change the redirect)."""
    for call in (n for n in ast.walk(dispatch) if isinstance(n, ast.Call)):
        name = _call_name(call).rsplit(".", 1)[-1]
        if not (_AUTH.search(name) or _REQUIRED.search(name) or name in known):
            continue
        if any(ast.unparse(a).endswith(".dispatch") for a in call.args):
            return name
    return ""


def _method_auth(chain: list[ast.ClassDef], method: str, known: frozenset[str]) -> str:
    """The auth decorator on the class's handler of one HTTP method (Tornado's
    `@web.authenticated def post(self)`, Django's `@method_decorator(login_required)`)."""
    for cls in chain:
        for node in cls.body:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.name == method.lower()
            ):
                return _decorated_auth(node, known)
    return ""


def _opts_out(node: ast.AST, chain: list[ast.ClassDef]) -> bool:
    """The view is marked as needing no login (`@login_not_required`, LoginNotRequiredMixin)."""
    marks = [_dotted(d) for d in getattr(node, "decorator_list", [])] + _base_names(chain)
    marks += [
        ast.unparse(d) for c in chain for f in c.body for d in getattr(f, "decorator_list", [])
    ]
    return any(
        _NOT_REQUIRED.search(m.rsplit(".", 1)[-1]) or "login_not_required" in m for m in marks
    )


def _unwrapped(deco: ast.expr) -> ast.expr:
    """The decorator `method_decorator(x)` applies to a method: `x`."""
    if isinstance(deco, ast.Call) and _call_name(deco) == "method_decorator" and deco.args:
        return deco.args[0]
    return deco


def _asks_permission(deco: ast.expr) -> bool:
    """The decorator is told to check a right: a `can_...=True` argument
    (`get_article(can_write=True)`)."""
    return isinstance(deco, ast.Call) and any(
        (k.arg or "").startswith("can_")
        and isinstance(k.value, ast.Constant)
        and k.value.value is True
        for k in deco.keywords
    )


def _decorated_auth(node: ast.AST, known: frozenset[str] = frozenset()) -> str:
    """The decorator that authenticates `node`: one whose name reads as auth, a decorator of
    the repository that checks the user, or one told to check a right (`can_write=True`),
    also when wrapped in `method_decorator`."""
    for deco in getattr(node, "decorator_list", []):
        text = ast.unparse(deco)
        inner = _unwrapped(deco)
        name = _dotted(inner).rsplit(".", 1)[-1]
        if _NOT_REQUIRED.search(text) or _call_name(deco) == "action":
            continue
        if _AUTH.search(text) or name in known or _asks_permission(inner):
            return _dotted(inner) or text
    return ""


_CHECKS_USER = re.compile(
    r"is_authenticated|is_staff|is_superuser|PermissionDenied|redirect_to_login|user_passes_test"
    r"|login_required|permission_required|has_perm"
)


def _prologue(fn: ast.AST) -> str:
    """A function view that starts by refusing an anonymous or unprivileged caller (`if not
    request.user.is_authenticated: return HttpResponse(..., status=403)`) in its first
    statements, before it does anything else."""
    head = ast.Module(body=list(getattr(fn, "body", []))[:4], type_ignores=[])
    return "checks the user first" if guards_anonymous(head) or _denies(head) else ""


def _auth_decorators(modules: list[tuple[str, ast.Module]]) -> frozenset[str]:
    """Decorators of the repository that authenticate: `x = user_passes_test(...)` and the like,
    or a function that checks the user (is_authenticated, is_staff, PermissionDenied...)."""
    out: set[str] = set()
    for _, tree in modules:
        for node in tree.body:
            if isinstance(node, ast.Assign) and _CHECKS_USER.search(ast.unparse(node.value)):
                out.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.FunctionDef) and (
                any(isinstance(n, ast.FunctionDef) for n in node.body)
                and _CHECKS_USER.search(ast.unparse(node))
            ):
                out.add(node.name)
    return frozenset(out)


def _methods(view: _View, chain: list[ast.ClassDef]) -> tuple[str, ...]:
    node = view.node
    if not isinstance(node, ast.ClassDef):
        for deco in node.decorator_list:
            if _call_name(deco) in ("api_view", "require_http_methods") and isinstance(
                deco, ast.Call
            ):
                listed = deco.args[0] if deco.args else _kw(deco, "http_method_names")
                if isinstance(listed, ast.List | ast.Tuple):
                    return tuple(s.upper() for e in listed.elts if (s := _str(e)))
            if _call_name(deco) in ("require_GET", "require_safe"):
                return _READ
            if _call_name(deco) == "require_POST":
                return ("POST",)
        text = ast.unparse(node)
        if re.search(
            r"request\.(?:POST|FILES|data)\b|request\.method\s*==|\.(?:save|delete)\(", text
        ):
            return ("GET", "POST")
        return _READ
    defined = [
        n.name.upper()
        for cls in chain
        for n in cls.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name in _VERBS
    ]
    for base in _base_names(chain):
        defined += _GENERIC_METHODS.get(base, ())
    return tuple(dict.fromkeys(defined)) or ("ANY",)


def _actions(chain: list[ast.ClassDef]) -> list[tuple[str, str, bool, ast.AST, str]]:
    """(handler, method, detail, node, extra path) of a viewset's actions."""
    out: list[tuple[str, str, bool, ast.AST, str]] = []
    names: set[str] = set()
    for base in _base_names(chain):
        names.update(_MIXIN_ACTIONS.get(base, ()))
    for cls in chain:
        for n in cls.body:
            if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if n.name in _ACTIONS:
                names.add(n.name)
            deco = next((d for d in n.decorator_list if _call_name(d) == "action"), None)
            if isinstance(deco, ast.Call):
                detail = _kw(deco, "detail")
                listed = _kw(deco, "methods")
                methods = (
                    [s.upper() for e in listed.elts if (s := _str(e))]
                    if isinstance(listed, ast.List | ast.Tuple)
                    else ["GET"]
                )
                path = _str(_kw(deco, "url_path")) or n.name
                is_detail = isinstance(detail, ast.Constant) and detail.value is True
                out += [(n.name, m, is_detail, n, path + "/") for m in methods]
    defined = {
        n.name: n for cls in chain for n in cls.body if isinstance(n, ast.FunctionDef)
    }  # an override's line; else the class's
    for name in sorted(names, key=list(_ACTIONS).index):
        method, on_detail = _ACTIONS[name]
        out.append((name, method, on_detail, defined.get(name, chain[0]), ""))
    return out


_LIST_BASES = frozenset(
    {"ListAPIView", "ListCreateAPIView", "ListModelMixin", "ModelViewSet", "ReadOnlyModelViewSet"}
)


def _lists(chain: list[ast.ClassDef]) -> bool:
    """A DRF generic list view whose GET is DRF's own `list()` (the class's override, if any,
    calls it): the response is the serialized queryset, paged only by a pagination class."""
    if not _LIST_BASES & set(_base_names(chain)):
        return False
    own = [
        n
        for cls in chain
        for n in cls.body
        if isinstance(n, ast.FunctionDef) and n.name in ("get", "list")
    ]
    return all(
        any(
            isinstance(c, ast.Call) and _call_name(c) in ("list", "paginate_queryset")
            for c in ast.walk(fn)
        )
        for fn in own
    )


def _pages(chain: list[ast.ClassDef]) -> bool:
    """The view chooses its pagination class (`pagination_class = OpenWispPagination`; `None`
    is a choice too: the view is meant to return the whole list)."""
    return any(
        isinstance(n, ast.Assign)
        and any(getattr(t, "id", "") == "pagination_class" for t in n.targets)
        for cls in chain
        for n in cls.body
    )


_LOGIN_MIDDLEWARE = re.compile(r"Login\w*Middleware|RequireLogin\w*Middleware")


def _middleware(modules: list[tuple[str, ast.Module]]) -> list[str]:
    """The dotted names a settings module lists in `MIDDLEWARE` (or `MIDDLEWARE_CLASSES`),
    assigned, extended or appended to."""
    out: list[str] = []
    for _, tree in modules:
        for node in ast.walk(tree):
            value: ast.AST | None = None
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(
                    getattr(t, "id", "") in ("MIDDLEWARE", "MIDDLEWARE_CLASSES") for t in targets
                ):
                    value = node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and _dotted(node.func.value) in ("MIDDLEWARE", "MIDDLEWARE_CLASSES")
            ):
                value = node
            if value is not None:
                out += [s for n in ast.walk(value) if (s := _str(n))]
    return out


def _login_middleware(
    modules: list[tuple[str, ast.Module]], settings: list[tuple[str, ast.Module]]
) -> str:
    """The middleware that makes every Django view require a login: Django 5.1's
    LoginRequiredMiddleware or a package's (django-login-required-middleware...), or a class
    of the project listed in MIDDLEWARE whose code refuses anonymous requests, or passes on
    only a privileged user's (`access_middleware.py`). `settings` are
    the modules that can list it (their text mentions MIDDLEWARE)."""
    classes = {
        node.name: node
        for _, tree in modules
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    for dotted in _middleware(settings):
        name = dotted.rsplit(".", 1)[-1]
        if _LOGIN_MIDDLEWARE.search(name):
            return "login middleware"
        cls = classes.get(name)
        if cls is not None and (guards_anonymous(cls) or admits_only_privileged(cls)):
            return f"middleware {name}"
    return ""


def _settings_auth(texts: dict[str, str]) -> str:
    """The project-wide authentication of DRF views: DEFAULT_PERMISSION_CLASSES (not AllowAny);
    for a reusable app (no project settings in the repository) the installing project's, which
    the review cannot see.

    DEFAULT_AUTHENTICATION_CLASSES alone does not count: it says who the caller is, and DRF's
    default permission (AllowAny) still lets anybody in."""
    if not any(re.search(r"(?m)^(?:ROOT_URLCONF|REST_FRAMEWORK)\s*=", t) for t in texts.values()):
        return "project settings"
    for _rel, text in texts.items():
        if "DEFAULT_PERMISSION_CLASSES" in text:
            m = re.search(r"DEFAULT_PERMISSION_CLASSES['\"]\s*:\s*[\[(]([^\])]*)", text)
            if m and re.search(r"\w", m[1]) and "AllowAny" not in m[1]:
                return "DEFAULT_PERMISSION_CLASSES"
    return ""


def _viewset_endpoints(
    rel: str,
    tree: ast.Module,
    views: dict[str, _View],
    default_auth: str,
    known: frozenset[str],
    default_pages: bool,
    defaults: OpenDefaults,
    opens: OpenPermissions,
) -> list[Endpoint]:
    routers = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _ROUTERS.search(_call_name(node.value))
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    mounted = {  # path("api/v1/", include(router.urls)) in the same module
        _dotted(inc.args[0]).split(".")[0]: prefix
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _call_name(node) in ("path", "re_path", "url")
        and len(node.args) >= 2 and (prefix := _str(node.args[0])) is not None
        and isinstance(inc := node.args[1], ast.Call) and _call_name(inc) == "include"
        and inc.args
    }  # fmt: skip
    out: list[Endpoint] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register"
            and _dotted(node.func.value) in routers
            and len(node.args) >= 2
        ):
            continue
        prefix = _str(node.args[0])
        view = views.get(_dotted(node.args[1]).rsplit(".", 1)[-1])
        if prefix is None or view is None or not isinstance(view.node, ast.ClassDef):
            continue
        chain = _chain(view, views)
        auth, public = _permission(chain, known, opens)
        unset = open_by_default(chain, defaults) if auth == "permission_classes" else ""
        auth = "" if unset else auth
        pages = default_pages or _pages(chain)
        for handler, method, detail, fn, extra in _actions(chain):
            own = _decorated_auth(fn, known) if fn is not chain[0] else ""
            base = mounted.get(_dotted(node.func.value), "").strip("^/")
            path = "/" + (base + "/" if base else "") + prefix.strip("/") + "/"
            path += ("{pk}/" if detail else "") + extra
            out.append(
                Endpoint(
                    method,
                    path,
                    f"{view.node.name}.{handler}",
                    view.rel,
                    getattr(fn, "lineno", view.node.lineno),
                    "django",
                    own or auth or ("" if public or unset else default_auth),
                    paginated=pages,
                    returns_list=handler == "list" and _lists(chain),
                    marked_public=public and not own,
                    open_setting=unset,
                    node=fn,
                )
            )
    return out


def _guarded_includes(modules: list[tuple[str, ast.Module]]) -> dict[str, str]:
    """urls module path ("shop/urls.py") -> the auth decorator django-decorator-include wraps
    every view of it in: `path("shop/", decorator_include(login_required, "shop.urls"))`."""
    out: dict[str, str] = {}
    for _, tree in modules:
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and _call_name(node) == "decorator_include"
                and len(node.args) >= 2
            ):
                continue
            names = [
                _dotted(n)
                for n in ast.walk(node.args[0])
                if isinstance(n, ast.Name | ast.Attribute)
            ]
            auth = next((n for n in names if _AUTH.search(n.rsplit(".", 1)[-1])), "")
            target = node.args[1]
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]  # (urls module, app namespace)
            module = _str(target)
            if auth and module:
                out[module.replace(".", "/") + ".py"] = auth
    return out


def _same_module(rel: str, module: str) -> bool:
    """`testruns/urls.py` (relative to the reviewed folder) is `tcms/testruns/urls.py`."""
    a, b = "/" + rel, "/" + module
    return a.endswith(b) or b.endswith(a)


def _admin_site(target: ast.AST, tree: ast.Module) -> bool:
    """`admin.site.urls` (or a custom `AdminSite` instance's `.urls`): Django's admin, whose
    every view but its login page requires a signed-in staff user. A name the URL conf binds
    to that tuple rebuilt around its own list (tethys's `admin_urls = (admin_url_list,
    admin.site.urls[1], admin.site.urls[2])`) is the admin too: the views it splices into the
    list are url patterns of their own, each held to its own check."""
    if isinstance(target, ast.Name):
        return any(
            _admin_urls(sub)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == target.id for t in node.targets)
            for sub in ast.walk(node.value)
        )
    return _admin_urls(target)


def _admin_urls(node: ast.AST) -> bool:
    """The expression is `<admin site>.urls`."""
    name = _dotted(node)
    return name.endswith(".urls") and bool(re.search(r"(?i)admin|\bsite\b", name))


def _url_view(call: ast.Call) -> tuple[ast.AST, str]:
    """The view a url pattern names, and the auth decorator it is wrapped in."""
    view = call.args[1]
    wrapped = ""
    while isinstance(view, ast.Call) and view.args and _call_name(view) != "as_view":
        if _AUTH.search(_call_name(view)):
            wrapped = _call_name(view)
        view = view.args[0]
    func = view.func if isinstance(view, ast.Call) else None
    return (func.value if isinstance(func, ast.Attribute) else view), wrapped


def django_endpoints(
    modules: list[tuple[str, ast.Module]], texts: dict[str, str]
) -> list[Endpoint]:
    """The endpoints of the url patterns and DRF routers in `modules` (rel, tree).

    Example:
        >>> import ast
        >>> views = "class Notes(ModelViewSet):\\n    permission_classes = [IsAuthenticated]\\n"
        >>> urls = "router = DefaultRouter()\\nrouter.register('notes', Notes)\\n"
        >>> mods = [("views.py", ast.parse(views)), ("urls.py", ast.parse(urls))]
        >>> found = django_endpoints(mods, {"views.py": views, "urls.py": urls})
        >>> [(e.method, e.path, e.handler, e.auth) for e in found][:2]
        [('GET', '/notes/', 'Notes.list', 'permission_classes'), ('POST', '/notes/', 'Notes.create', 'permission_classes')]
    """
    views = _index(modules)
    # only the modules whose text can hold what each helper looks for are walked (most of a
    # large tree mentions neither MIDDLEWARE nor a user check)
    middleware = _login_middleware(modules, [m for m in modules if "MIDDLEWARE" in texts[m[0]]])
    default_auth = _settings_auth(texts) or middleware
    known = _auth_decorators([m for m in modules if _CHECKS_USER.search(texts[m[0]])])
    included = _guarded_includes([m for m in modules if "decorator_include" in texts[m[0]]])
    builders = url_builders(m for m in modules if "path(" in texts[m[0]] or "url(" in texts[m[0]])
    by_rel = dict(modules)
    default_pages = any("DEFAULT_PAGINATION_CLASS" in t for t in texts.values())
    defaults = OpenDefaults([m for m in modules if "settings" in texts[m[0]]])
    opens = OpenPermissions(modules)
    out: list[Endpoint] = []
    for rel, tree in modules:
        if "Router" in texts[rel]:
            out += _viewset_endpoints(
                rel, tree, views, default_auth, known, default_pages, defaults, opens
            )
        if not rel.endswith("urls.py"):
            continue
        for node in [*ast.walk(tree), *built_patterns(rel, tree, by_rel, builders)]:
            if not (isinstance(node, ast.Call) and _call_name(node) in ("path", "re_path", "url")):
                continue
            route = _str(node.args[0]) if node.args else None
            if route is None and node.args:  # `API_URL_PREFIX + r"addresses/$"`
                route = route_text(node.args[0], rel, by_rel)
            if route is None or len(node.args) < 2 or _call_name(node.args[1]) == "include":
                continue
            target, wrapped = _url_view(node)
            mapped = mapped_view(node.args[1], tree)  # `Notes.as_view({"get": "list"})`
            target = mapped[0] if mapped else target
            wrapped = wrapped or next((d for m, d in included.items() if _same_module(rel, m)), "")
            name = _dotted(target).rsplit(".", 1)[-1]
            found = views.get(name)
            path = "/" + route.lstrip("^/").rstrip("$")
            if found is None:
                auth = wrapped or ("admin site login" if _admin_site(target, tree) else "")
                out.append(Endpoint("ANY", path, name, rel, node.lineno, "django", auth))
                continue
            chain = _chain(found, views)
            unset = ""
            if isinstance(found.node, ast.ClassDef):
                auth, public = _permission(chain, known, opens)
                unset = open_by_default(chain, defaults) if auth == "permission_classes" else ""
                auth = "" if unset else auth
            else:
                public = opens.declared_open(found.node)  # `@permission_classes([AllowAny])`
                auth = "" if public else _decorated_auth(found.node, known) or _prologue(found.node)
            public = public or bool(re.search(r"(?i)public", f"{found.rel} {found.node.name}"))
            public = public or _opts_out(found.node, chain)
            drf = any(
                _call_name(d) == "api_view" for d in getattr(found.node, "decorator_list", [])
            ) or any(re.search(r"APIView$|ViewSet", b) for b in _base_names(chain))
            auth = wrapped or auth or ("" if public or unset else default_auth if drf else "")
            auth = auth or ("" if public else middleware)
            lists = isinstance(found.node, ast.ClassDef) and _lists(chain)
            actions = mapped[1] if mapped and isinstance(found.node, ast.ClassDef) else {}
            out += [
                Endpoint(
                    method,
                    path,
                    f"{name}.{actions[method]}" if actions else name,
                    found.rel,
                    fn.lineno,
                    "django",
                    auth or _method_auth(chain, method, known),
                    paginated=default_pages or _pages(chain),
                    returns_list=lists and method == "GET" and not actions,  # `mapped_views.py`
                    marked_public=public,
                    open_setting=unset,
                    node=fn,
                )
                for method in (tuple(actions) or _methods(found, chain))
                for fn in [action_node(chain, actions.get(method), found.node)]
            ]
    return out
