"""A loop over a helper's parameter that every caller, in any module, fills with the values of
a request's query string or validated parameters, so the N+1 rule (`performance.py`) reads it
as `few_passes.over_request_values` reads the same values in the handler itself.

bodhi's `Update.new(request, data)` and `Update.edit(request, data)` live in `models.py` and
walk `data["bugs"]` and `data["builds"]`; the service in `services/updates.py` calls them with
`data = request.validated` (or a copy of it): the bug numbers and builds of one update, a
handful, each an indexed lookup. One caller that passes anything else (rows it queried, a list
built from elsewhere) keeps the loop reported: it may grow with the data.

The same holds for a parameter every caller fills with a list written in its code (Golden
Config's `add_message(combo_check, request)`, called with `[["ComplianceJob", ...]]` or with a
`jobs = []` that three `jobs.append([...])` lines fill): as many passes as items written there.
"""

from __future__ import annotations

import ast
from typing import cast

from team.audit.few_passes import from_request
from team.audit.loop_bounds import literal_display
from team.audit.queries import units
from team.audit.repo import Repo, walked

__all__ = ["argument", "passed_literals", "passed_request_values"]

Calls = dict[str, list[tuple[ast.AST, ast.Call]]]


def passed_request_values(loop: ast.AST, unit: ast.AST, cls: str, repo: Repo) -> bool:
    """Whether `loop` walks one parameter of `unit` (`data["bugs"]`, `data.get("builds")`) that
    `unit` never rebinds and that every call of `unit` in the repository fills with request
    values (`request.validated`, directly or through a name bound to it or to its copy).

    Example:
        >>> from types import SimpleNamespace
        >>> models = ast.parse('''
        ... class Update:
        ...     def new(cls, request, data):
        ...         for num in data["bugs"]:
        ...             pass
        ... ''')
        >>> views = ast.parse('''
        ... def new_update(request):
        ...     data = request.validated
        ...     return Update.new(request, data)
        ... ''')
        >>> repo = SimpleNamespace(memo={}, modules=lambda: [("m.py", models), ("v.py", views)])
        >>> method = models.body[0].body[0]
        >>> passed_request_values(method.body[0], method, "Update", repo)
        True
        >>> views.body[0].body[0].value = ast.parse("db.query(Bug).all()").body[0].value
        >>> repo.memo.clear()
        >>> passed_request_values(method.body[0], method, "Update", repo)
        False
    """
    source = walked(loop)
    if source is None or not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    name = _parameter(source)
    params = [a.arg for a in (*unit.args.posonlyargs, *unit.args.args)]
    if name is None or name not in params or _rebinds(unit, name):
        return False
    index = params.index(name) - (1 if params[:1] in (["self"], ["cls"]) else 0)
    passed = [
        from_request(arg, caller, depth=2) if arg is not None else False
        for caller, call in _calls(repo).get(unit.name, [])
        if caller is not unit and _may_call(call, cls)
        for arg in [argument(call, name, index)]
    ]
    return bool(passed) and all(passed)


def passed_literals(loop: ast.AST, unit: ast.AST, cls: str, repo: Repo) -> bool:
    """Whether `loop` walks a parameter of `unit` that `unit` never rebinds and that every call
    of `unit` in the repository fills with a list written in the caller's code: a display, or a
    name the caller binds only to displays and grows only by `append`/`extend` lines outside any
    loop.

    Example:
        >>> from types import SimpleNamespace
        >>> helper = ast.parse("def warn(jobs, request):\\n    for job in jobs:\\n        pass")
        >>> views = ast.parse("def page(request):\\n    jobs = []\\n    jobs.append('a')\\n"
        ...                   "    warn(jobs, request)\\n    warn([['b', 1]], request)")
        >>> repo = SimpleNamespace(memo={}, modules=lambda: [("h.py", helper), ("v.py", views)])
        >>> fn = helper.body[0]
        >>> passed_literals(fn.body[0], fn, "", repo)
        True
        >>> views.body[0].body[0].value = ast.parse("Job.objects.all()").body[0].value
        >>> repo.memo.clear()
        >>> passed_literals(fn.body[0], fn, "", repo)
        False
    """
    source = walked(loop)
    if not isinstance(source, ast.Name) or not isinstance(
        unit, ast.FunctionDef | ast.AsyncFunctionDef
    ):
        return False
    name = source.id
    params = [a.arg for a in (*unit.args.posonlyargs, *unit.args.args)]
    if name not in params or _rebinds(unit, name):
        return False
    index = params.index(name) - (1 if params[:1] in (["self"], ["cls"]) else 0)
    passed = [
        arg is not None and _written_list(arg, caller)
        for caller, call in _calls(repo).get(unit.name, [])
        if caller is not unit and _may_call(call, cls)
        for arg in [argument(call, name, index)]
    ]
    return bool(passed) and all(passed)


def _written_list(arg: ast.expr, caller: ast.AST) -> bool:
    """`arg` is a display, or a name `caller` binds only to displays and grows only by
    `append`/`extend`/`add` lines run once each (outside any loop), extending only by displays."""
    if literal_display(arg):
        return True
    if not isinstance(arg, ast.Name):
        return False
    looped = {
        id(inner)
        for node in ast.walk(caller)
        if isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.comprehension)
        for inner in ast.walk(node)
    }
    bound = 0
    for node in ast.walk(caller):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == arg.id for t in targets):
                if not isinstance(node, ast.Assign) or not literal_display(node.value):
                    return False
                bound += 1
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == arg.id
            and node.func.attr in ("append", "extend", "add", "insert")
        ):
            grown = node.args[-1:] if node.func.attr == "extend" else []
            if id(node) in looped or not all(literal_display(a) for a in grown):
                return False
    return bound > 0


def _parameter(source: ast.expr) -> str | None:
    """The name a loop source reads keys of (`data["bugs"]`, `data.get("bugs")`), not an
    attribute of (`update.builds` walks rows loaded for it)."""
    root, called = source, False
    while isinstance(root, ast.Subscript | ast.Call | ast.Attribute):
        if isinstance(root, ast.Attribute) and not called:
            return None
        called = isinstance(root, ast.Call)
        root = root.func if isinstance(root, ast.Call) else root.value
    return root.id if isinstance(root, ast.Name) and root is not source else None


def _rebinds(unit: ast.AST, name: str) -> bool:
    """`unit` assigns `name` a new value somewhere (its keys may be set, not the name)."""
    return any(
        isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
        for node in ast.walk(unit)
    )


def _may_call(call: ast.Call, cls: str) -> bool:
    """A call that may run the unit: a plain name, or a method on its class, `self`, `cls` or
    an instance; not the same name on another class (`BuildrootOverride.new`)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return True
    owner = func.value.id
    return owner in (cls, "self", "cls") or not owner[:1].isupper()


def argument(call: ast.Call, name: str, index: int) -> ast.expr | None:
    """The expression `call` passes for parameter `name` (by keyword or at `index`)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return None
    return call.args[index] if 0 <= index < len(call.args) else None


def _calls(repo: Repo) -> Calls:
    """Every call in the repository's functions by the name it calls, with its caller."""
    if "calls_by_name" not in repo.memo:
        out: Calls = {}
        for _, tree in repo.modules():
            for _, _, unit in units(tree):
                for call in (c for c in ast.walk(unit) if isinstance(c, ast.Call)):
                    func = call.func
                    called = func.attr if isinstance(func, ast.Attribute) else None
                    called = getattr(func, "id", called)
                    if called:
                        out.setdefault(called, []).append((unit, call))
        repo.memo["calls_by_name"] = out
    return cast("Calls", repo.memo["calls_by_name"])
