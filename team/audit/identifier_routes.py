"""View parameters that every route reaching the view captures as an identifier.

omero-web's webgateway pastes the object type of its bulk-annotations view into an HQL query,

    def _bulk_file_annotations(request, objtype, objid, conn=None, **kwargs):
        objtype = objtype.split(".")
        query = "select obj0 from %s obj0\\n" % objtype[0]

    annotations = login_required()(jsonp(_bulk_file_annotations))  # views.py
    re_path(r"^annotations/(?P<objtype>[\\w.]+)/(?P<objid>\\d+)/$", views.annotations)  # urls.py

and Django answers 404 before the view runs to an `objtype` of anything but word characters and
dots: no space, quote or operator reaches the text (judged false). A parameter holds only such
text when the app's URL configuration captures it, on every route naming the view (or a name
bound to the view wrapped in decorators), with a group of identifier characters (`\\w`, `\\d`,
`[A-Za-z0-9_.-]`) or a `path()` converter `int`, `slug` or `uuid`; and when every call of the view
in the repository passes a constant, a loop variable over a list of constants, or a parameter
of its own view that the same reading holds for (`object_table_query` passes its own routed
`objtype`). A caller nothing names is dead code (`uncalled`). A wider group (`.+`, `[^/]+`), a
`str` or `path` converter, a route that does not capture the parameter or whose text is not a
literal, any other use of the view's name (handed to a helper, listed, looked up), or no route
at all keeps the parameter outside data.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from team.audit.endpoints import _call_name, _str
from team.audit.passed_in import argument
from team.audit.repo import Function, Repo, assignments, innermost_function, parameter_names
from team.audit.uncalled import uncalled

__all__ = ["identifier_route"]

_ROUTES = frozenset({"path", "re_path", "url"})
_CONVERTERS = frozenset({"int", "slug", "uuid"})
# a class item: \w, \d, a range of letters or digits, a letter, digit, `_`, `.` or `-`
_ITEM = r"(?:\\[wd]|[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9_.-])"
_IDENTIFIER = re.compile(rf"(?:(?:\\[wd]|\[{_ITEM}+\])(?:[+*?]|\{{\d+(?:,\d*)?\}})?)+")


def identifier_route(repo: Repo, rel: str, fn: Function, name: str, depth: int = 0) -> bool:
    """Whether parameter `name` of the module-level view `fn` of `rel` reaches it only as an
    identifier captured by its routes (or a constant its callers pass).

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "views.py").write_text("def show(request, kind):\\n    pass\\n")
        >>> _ = (root / "urls.py").write_text(
        ...     "from app import views\\n"
        ...     "urlpatterns = [re_path(r'^(?P<kind>[\\\\w.]+)/$', views.show)]\\n"
        ... )
        >>> repo = Repo.scan(root)
        >>> fn = repo.tree("views.py").body[0]
        >>> identifier_route(repo, "views.py", fn, "kind")
        True
    """
    tree = repo.tree(rel)
    if tree is None or fn not in tree.body or depth > 2:
        return False
    names = _view_names(tree, fn)
    index = _index(fn, name)
    routed = False
    for other, module in repo.modules():
        if not any(n in repo.text(other) for n in names):
            continue
        local = _local_names(module, names, rel, other)
        seen: set[int] = set()
        for node in ast.walk(module):
            if other == rel and _wraps(node, names):
                seen |= {id(n) for n in ast.walk(node)}
            if not isinstance(node, ast.Call):
                continue
            if _refers(node.func, local):
                seen.add(id(node.func))
                caller = innermost_function(module, node.lineno)
                if caller is not None and caller.name in names:
                    caller = None  # a view calling itself passes on what it was given
                if not (caller is not None and uncalled(repo, other, caller.lineno)):
                    passed = argument(node, name, index)
                    if not _fixed(repo, other, node, passed, caller, depth):
                        return False
            elif _call_name(node) in _ROUTES and len(node.args) >= 2:
                target = _peeled(node.args[1])
                if _refers(target, local):
                    seen.add(id(target))
                    route = _str(node.args[0])
                    if route is None or not _captures_identifier(node, route, name):
                        return False
                    routed = True
        if any(
            (_refers(n, local) and id(n) not in seen) or _names_view(n, names)
            for n in ast.walk(module)
        ):
            return False  # the view's name used some other way, or as a string: not followed
    return routed


def _view_names(tree: ast.Module, fn: Function) -> set[str]:
    """`fn`'s name and the module-level names bound to it wrapped in calls
    (`annotations = login_required()(jsonp(_bulk_file_annotations))`)."""
    names = {fn.name}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and _peeled(node.value) is not node.value
            and isinstance(_peeled(node.value), ast.Name)
            and getattr(_peeled(node.value), "id", "") == fn.name
        ):
            names.add(node.targets[0].id)
    return names


def _wraps(node: ast.AST, names: set[str]) -> bool:
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in names
    )


def _peeled(view: ast.expr) -> ast.expr:
    """The view inside its wrappers: `login_required(views.show)` -> `views.show`."""
    while isinstance(view, ast.Call) and view.args and _call_name(view) != "as_view":
        view = view.args[0]
    return view


def _index(fn: Function, name: str) -> int:
    positional = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    return positional.index(name) if name in positional else -1


def _local_names(module: ast.Module, names: set[str], rel: str, other: str) -> set[str]:
    """How `module` refers to the view: its own names in `rel` itself; elsewhere `stem.name`
    for the module `rel` imported under its stem (or an alias), and a name imported from it."""
    if other == rel:
        return set(names)
    out: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and _is_module(_imported(node, other), rel):
            out |= {a.asname or a.name for a in node.names if a.name in names}
            out |= names if any(a.name == "*" for a in node.names) else set()
        for a in node.names if isinstance(node, ast.ImportFrom | ast.Import) else []:
            prefix = _imported(node, other) + "." if isinstance(node, ast.ImportFrom) else ""
            if _is_module(prefix + a.name, rel):
                bound = a.asname or a.name
                out |= {f"{bound}.{n}" for n in names}
    return out


def _imported(node: ast.ImportFrom, rel: str) -> str:
    """The dotted module an import names, a relative one read from `rel`'s package."""
    if not node.level:
        return node.module or ""
    package = list(Path(rel).parent.parts)
    package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*package, *([node.module] if node.module else [])])


def _is_module(dotted: str, rel: str) -> bool:
    """`dotted` names the module `rel`, whatever folder holds its top package or whichever
    folder of the package is reviewed (`omeroweb.webgateway.views` is `views.py` of a review
    of `omeroweb/webgateway`)."""
    own = ".".join(Path(rel).with_suffix("").parts)
    return bool(dotted) and (
        own == dotted or own.endswith("." + dotted) or dotted.endswith("." + own)
    )


def _refers(node: ast.AST, local: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return isinstance(node.ctx, ast.Load) and node.id in local
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}" in local
    return False


def _names_view(node: ast.AST, names: set[str]) -> bool:
    """A string naming the view (`"app.views.show"`, `getattr(views, "show")`)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.rsplit(".", 1)[-1] in names
    )


def _captures_identifier(call: ast.Call, route: str, name: str) -> bool:
    """The route captures `name` with identifier characters only."""
    if _call_name(call) == "path":
        match = re.search(rf"<(?:(\w+):)?{re.escape(name)}>", route)
        return match is not None and match.group(1) in _CONVERTERS
    body = _group(route, name)
    return body is not None and _IDENTIFIER.fullmatch(body) is not None


def _group(route: str, name: str) -> str | None:
    """The pattern of the named group `name` of a regular-expression route."""
    opening = f"(?P<{name}>"
    start = route.find(opening)
    if start < 0:
        return None
    begin = end = start + len(opening)
    depth = 1
    while end < len(route):
        char = route[end]
        if char == "\\":
            end += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return route[begin:end]
        end += 1
    return None


def _fixed(
    repo: Repo,
    rel: str,
    call: ast.Call,
    passed: ast.expr | None,
    caller: Function | None,
    depth: int,
) -> bool:
    """What `call` passes is a constant, a loop variable over a list of constants, or a
    parameter of a view whose routes capture it as an identifier."""
    if passed is None:  # left to its default, unless spread from `*args` or `**kwargs`
        return not any(isinstance(a, ast.Starred) for a in call.args) and all(
            k.arg is not None for k in call.keywords
        )
    if isinstance(passed, ast.Constant):
        return True
    if not isinstance(passed, ast.Name) or caller is None:
        return False
    loops = [
        n
        for n in ast.walk(caller)
        if isinstance(n, ast.For) and isinstance(n.target, ast.Name) and n.target.id == passed.id
    ]
    bound = assignments(caller)
    if loops:
        return all(_constants(loop.iter, bound) for loop in loops) and passed.id not in bound
    if passed.id in parameter_names(caller) and passed.id not in bound:
        return identifier_route(repo, rel, caller, passed.id, depth + 1)
    return False


def _constants(iterable: ast.expr, bound: dict[str, list[ast.expr]]) -> bool:
    """A list or tuple of constants, written there or bound once to the name walked."""
    if isinstance(iterable, ast.Name) and len(bound.get(iterable.id, [])) == 1:
        iterable = bound[iterable.id][0]
    return isinstance(iterable, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) for e in iterable.elts
    )
