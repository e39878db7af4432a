"""DRF permission classes read from a setting that is empty unless the project sets it.

A view's `permission_classes` replaces the project's DEFAULT_PERMISSION_CLASSES. A reusable app
that fills it from a setting of its own, `getattr(settings, "APP_PERMISSION_CLASSES", [])` or a
helper that collects into a list the classes such a setting names, leaves the view with no
permission class at all when the installing project sets nothing: open to anonymous callers by
default, whatever the project's own default. django-drf-filepond's views read

    PERMISSION_CLASSES = getattr(settings, _app_prefix + "PERMISSION_CLASSES", {})

    def _import_permission_classes(endpoint):
        permission_classes = []
        if endpoint in local_settings.PERMISSION_CLASSES.keys():
            for perm_str in local_settings.PERMISSION_CLASSES[endpoint]:
                ...
                permission_classes.append(class_)
        return permission_classes

    class FetchView(APIView):
        permission_classes = _import_permission_classes("GET_FETCH")

The inventory (`web_django.py`) keeps the setting as `Endpoint.open_setting` and counts no
authentication for such a view; this module reports each view once, at its `permission_classes`
line, whatever its methods: by default every one of them is open. A class the repository itself
names beside the setting (`getattr(settings, "X", [IsAuthenticated])`) is a default, and a helper
that falls back to one is not empty.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.endpoints import Endpoint, by_handler, methods_and_paths
from team.audit.repo import Repo

__all__ = ["OpenDefaults", "open_by_default", "open_defaults"]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _empty_literal(node: ast.AST | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return (
        isinstance(node, ast.Call)
        and _dotted(node.func) in ("list", "tuple", "dict", "set")
        and not node.args
        and not node.keywords
    )


def _setting_name(node: ast.AST, consts: dict[str, str] | None = None) -> str:
    """The setting a `getattr(settings, "NAME", [])` reads when it falls back to nothing ("" if
    it is not one); a name built from a prefix the module binds to a string is spelled out."""
    if not (
        isinstance(node, ast.Call)
        and _dotted(node.func) == "getattr"
        and len(node.args) == 3
        and _dotted(node.args[0]).rsplit(".", 1)[-1] == "settings"
        and _empty_literal(node.args[2])
    ):
        return ""
    parts = [
        str(n.value) if isinstance(n, ast.Constant) else (consts or {}).get(n.id, "")
        for n in ast.walk(node.args[1])
        if isinstance(n, ast.Constant | ast.Name)
    ]
    return "".join(parts) or ast.unparse(node.args[1])


class OpenDefaults:
    """The repository's module-level names bound to a setting that is empty by default, and its
    top-level functions, to tell whether a `permission_classes` value is empty by default."""

    def __init__(self, modules: list[tuple[str, ast.Module]]) -> None:
        self.settings: dict[str, str] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        bound: dict[str, list[str]] = {}
        for _rel, tree in modules:
            consts = {
                t.id: top.value.value
                for top in tree.body
                if isinstance(top, ast.Assign) and isinstance(top.value, ast.Constant)
                and isinstance(top.value.value, str)
                for t in top.targets
                if isinstance(t, ast.Name)
            }  # fmt: skip
            for top in tree.body:
                if isinstance(top, ast.FunctionDef):
                    self.functions.setdefault(top.name, top)
                elif isinstance(top, ast.Assign):
                    for target in top.targets:
                        if isinstance(target, ast.Name):
                            bound.setdefault(target.id, []).append(_setting_name(top.value, consts))
        # a name bound elsewhere to anything else is not known to be empty
        self.settings = {k: v[0] for k, v in bound.items() if all(v)}

    def setting(self, value: ast.AST) -> str:
        """The setting that leaves `value` empty when the project does not set it ("" if none).

        Example:
            >>> src = "P = 'APP_'\\nX = getattr(settings, P + 'PERMS', {})\\nY = []"
            >>> found = OpenDefaults([("s.py", ast.parse(src))])
            >>> [found.setting(ast.parse(v, mode="eval").body) for v in ("s.X", "Y")]
            ['APP_PERMS', '']
        """
        if name := _setting_name(value):
            return name
        if isinstance(value, ast.Name | ast.Attribute):
            return self.settings.get(_dotted(value).rsplit(".", 1)[-1], "")
        if isinstance(value, ast.Call) and (fn := self.functions.get(_dotted(value.func))):
            return self._collected(fn)
        return ""

    def _collected(self, fn: ast.FunctionDef) -> str:
        """The setting a helper's returned list is filled from, when the list starts empty and
        grows only under a loop or test over that setting."""
        returns = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return)]
        names = {r.id for r in returns if isinstance(r, ast.Name)}
        if not returns or len(names) != 1 or not all(isinstance(r, ast.Name) for r in returns):
            return ""
        (name,) = names
        starts = [
            n.value
            for n in ast.walk(fn)
            if isinstance(n, ast.Assign) and any(_dotted(t) == name for t in n.targets)
        ]
        if not starts or not all(_empty_literal(s) for s in starts):
            return ""
        found = ""
        for node in ast.walk(fn):
            if not isinstance(node, ast.For | ast.If | ast.While):
                continue
            head = node.iter if isinstance(node, ast.For) else node.test
            for sub in ast.walk(head):
                if isinstance(sub, ast.Name | ast.Attribute) and (
                    hit := self.settings.get(_dotted(sub).rsplit(".", 1)[-1], "")
                ):
                    found = found or hit
        return found if found and _grows_only_under_setting(fn, name, self) else ""


def _grows_only_under_setting(fn: ast.FunctionDef, name: str, defaults: OpenDefaults) -> bool:
    """Every `name.append(...)`/`name += ...` of the helper sits in a loop or test over an
    empty-by-default setting."""

    def over_setting(node: ast.For | ast.If | ast.While) -> bool:
        head = node.iter if isinstance(node, ast.For) else node.test
        return any(
            isinstance(sub, ast.Name | ast.Attribute)
            and _dotted(sub).rsplit(".", 1)[-1] in defaults.settings
            for sub in ast.walk(head)
        )

    def visit(node: ast.AST, guarded: bool) -> bool:
        if isinstance(node, ast.For | ast.If | ast.While) and over_setting(node):
            guarded = True
        grows = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend", "insert")
            and _dotted(node.func.value) == name
        ) or (isinstance(node, ast.AugAssign) and _dotted(node.target) == name)
        if grows and not guarded:
            return False
        return all(visit(child, guarded) for child in ast.iter_child_nodes(node))

    return visit(fn, False)


def open_by_default(chain: list[ast.ClassDef], defaults: OpenDefaults) -> str:
    """The setting that leaves the nearest `permission_classes` of a class view's chain empty
    by default ("" if it names classes or the chain sets none)."""
    for cls in chain:
        for node in cls.body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "permission_classes" for t in node.targets
            ):
                return defaults.setting(node.value)
    return ""


def open_defaults(repo: Repo, endpoints: list[Endpoint]) -> list[RoleFinding]:
    """An endpoint-no-auth finding per view whose permission classes are empty by default.

    Example:
        >>> e = Endpoint("GET", "/load/", "LoadView", "v.py", 3, "django", open_setting="PERMS")
        >>> _line(e)
        3
    """
    out: list[RoleFinding] = []
    for group in by_handler(endpoints, lambda e: bool(e.open_setting) and not e.auth):
        e = group[0]
        line = _line(e)
        out.append(
            finding(
                "endpoint-no-auth",
                e.file,
                line,
                f"{methods_and_paths(group)} ({e.handler}): permission_classes come from the setting "
                f"{e.open_setting}, which is empty unless the project sets it, and replace the "
                "project's DEFAULT_PERMISSION_CLASSES, so by default anyone can call the view; "
                "fall back to IsAuthenticated (or the project's default classes) when the "
                "setting is absent",
                evidence=repo.line_text(e.file, line),
                severity="error" if any(g.method != "GET" for g in group) else None,
            )
        )
    return out


def _line(e: Endpoint) -> int:
    """The line of the view's `permission_classes` (the view's own line if it has none)."""
    if isinstance(e.node, ast.ClassDef):
        for node in e.node.body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "permission_classes" for t in node.targets
            ):
                return node.lineno
    return e.line
