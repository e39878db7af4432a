"""An optional parameter that no caller in the repository fills: every call that may run the
method leaves it out, passes None, or hands on an optional parameter of its own that no caller
fills in turn.

alerta's Postgres backend builds every query from `{query.where}` of a `query=None` parameter.
Most are reached by views that pass a query built from the request, but `get_count` runs only
through `Alert.get_count()` (no query), `get_heartbeats` only through `Heartbeat.find_all()`,
and `get_notes` and `get_counts` through nothing at all: the default `1=1` is all they paste.
A call is resolved by the class of its receiver where the code shows it: `Heartbeat.find_all()`
runs `Heartbeat`'s method, not `Blackout`'s, and `self.get_counts` in the MongoDB backend runs
that backend's own; any other receiver (`db`, an instance) may run it. A method that nothing
calls and that a framework may run (decorated, taking a `request`, or named for an HTTP method
as a class-based view's handlers are) is left reported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import cast

from team.audit.repo import Function, Repo

__all__ = ["never_passed"]

_DEPTH = 3  # calls followed back from the method, through methods that hand the value on
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
# a class-based view's handlers, which the router runs with the URL's parameters
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


@dataclass(frozen=True)
class _Site:
    """A call in the repository and where it sits: its module, class and function (if any)."""

    rel: str
    cls: ast.ClassDef | None
    unit: Function | None
    call: ast.Call


def never_passed(repo: Repo, rel: str, fn: Function, name: str) -> bool:
    """Whether `name`, a parameter of method `fn` in module `rel` that defaults to None, is left
    out or None in every call of the repository that may run `fn`.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "db.py").write_text(
        ...     "class Backend:\\n"
        ...     "    def count(self, query=None):\\n"
        ...     "        pass\\n"
        ...     "    def search(self, query=None):\\n"
        ...     "        pass\\n"
        ... )
        >>> _ = (root / "views.py").write_text(
        ...     "def metrics(db):\\n    db.count()\\n\\n\\ndef find(db, q):\\n    db.search(q)\\n"
        ... )
        >>> repo = Repo.scan(root)
        >>> cls = repo.tree("db.py").body[0]
        >>> never_passed(repo, "db.py", cls.body[0], "query")
        True
        >>> never_passed(repo, "db.py", cls.body[1], "query")
        False
    """
    owner = _owner(repo, rel, fn)
    if owner is None or not _optional(fn, name):
        return False
    return _unfilled(repo, owner, fn, name, depth=0)


def _unfilled(repo: Repo, owner: ast.ClassDef, fn: Function, name: str, *, depth: int) -> bool:
    sites = [s for s in _sites(repo).get(fn.name, []) if _may_run(s, owner, repo)]
    if not sites and _framework_may_run(fn):
        return False
    index = _positional(fn).index(name) if name in _positional(fn) else -1
    for site in sites:
        if site.unit is fn:
            continue  # it hands on its own value: nothing new reaches it
        arg = _argument(site.call, name, index)
        if arg is None or (isinstance(arg, ast.Constant) and arg.value is None):
            continue
        if not (
            isinstance(arg, ast.Name)
            and depth < _DEPTH
            and site.unit is not None
            and site.cls is not None
            and _optional(site.unit, arg.id)
            and not _rebinds(site.unit, arg.id)
            and _unfilled(repo, site.cls, site.unit, arg.id, depth=depth + 1)
        ):
            return False
    return True


def _owner(repo: Repo, rel: str, fn: Function) -> ast.ClassDef | None:
    """The class whose body defines `fn`."""
    tree = repo.tree(rel)
    classes = (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)) if tree else ()
    return next((c for c in classes if fn in c.body), None)


def _optional(fn: Function, name: str) -> bool:
    """`name` is a parameter of `fn` whose default is None."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    defaults = zip(positional[len(positional) - len(a.defaults) :], a.defaults, strict=True)
    pairs = [*defaults, *zip(a.kwonlyargs, a.kw_defaults, strict=True)]
    return any(p.arg == name and isinstance(d, ast.Constant) and d.value is None for p, d in pairs)


def _positional(fn: Function) -> list[str]:
    """The parameters a call fills by position (`self` and `cls` are bound, not passed)."""
    names = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
    static = any(_decorator_name(d) == "staticmethod" for d in fn.decorator_list)
    return names if static else names[1:]


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _framework_may_run(fn: Function) -> bool:
    """A method nothing in the repository calls may still be a route or a handler's hook."""
    names = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
    decorated = any(_decorator_name(d) not in _PLAIN_DECORATORS for d in fn.decorator_list)
    return decorated or bool(names & {"request", "req"}) or fn.name.lower() in _HTTP_METHODS


def _argument(call: ast.Call, name: str, index: int) -> ast.expr | None:
    """What `call` passes for parameter `name` (None when it leaves it out); a call that
    spreads `*args` or `**kwargs` is taken to pass it (the call itself stands for the value)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
        if keyword.arg is None:
            return call
    if any(isinstance(a, ast.Starred) for a in call.args):
        return call
    return call.args[index] if 0 <= index < len(call.args) else None


def _rebinds(unit: Function, name: str) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
        for node in ast.walk(unit)
    )


def _may_run(site: _Site, owner: ast.ClassDef, repo: Repo) -> bool:
    """Whether `site`'s call may run a method of `owner`: through `self`/`cls` of `owner` or of
    a class it inherits from or that inherits from it, through `owner`'s name or a subclass's,
    or through any receiver whose class the code does not show."""
    func = site.call.func
    if not isinstance(func, ast.Attribute):
        return False  # a plain name calls a function, not a method
    receiver = func.value
    if not isinstance(receiver, ast.Name):
        return True
    if receiver.id in ("self", "cls"):
        cls = site.cls
        return cls is None or cls is owner or _related(cls, owner)
    named = _classes(repo).get(receiver.id)
    if named is None:
        return True
    return receiver.id == owner.name or any(owner.name in _base_names(c) for c in named)


def _related(a: ast.ClassDef, b: ast.ClassDef) -> bool:
    """One of the two classes names the other among its bases."""
    return b.name in _base_names(a) or a.name in _base_names(b)


def _base_names(cls: ast.ClassDef) -> set[str]:
    return {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in cls.bases}


def _classes(repo: Repo) -> dict[str, list[ast.ClassDef]]:
    """Every class of the repository by its name."""
    if "classes_by_name" not in repo.memo:
        out: dict[str, list[ast.ClassDef]] = {}
        for _, tree in repo.modules():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    out.setdefault(node.name, []).append(node)
        repo.memo["classes_by_name"] = out
    return cast("dict[str, list[ast.ClassDef]]", repo.memo["classes_by_name"])


def _sites(repo: Repo) -> dict[str, list[_Site]]:
    """Every call of the repository by the name it calls, with the innermost function and class
    around it."""
    if "call_sites" not in repo.memo:
        out: dict[str, list[_Site]] = {}
        for rel, tree in repo.modules():
            _collect(rel, tree, None, None, out)
        repo.memo["call_sites"] = out
    return cast("dict[str, list[_Site]]", repo.memo["call_sites"])


def _collect(
    rel: str,
    node: ast.AST,
    cls: ast.ClassDef | None,
    unit: Function | None,
    out: dict[str, list[_Site]],
) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            _collect(rel, child, child, None, out)
            continue
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            _collect(rel, child, cls if unit is None else None, child, out)
            continue
        if isinstance(child, ast.Call):
            func = child.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name:
                out.setdefault(name, []).append(_Site(rel, cls, unit, child))
        _collect(rel, child, cls, unit, out)
