"""Queries in a loop that are no N+1 for what they read, so the rule (`performance.py`) leaves
them alone:

- each pass hands the query its whole group (`for status in ids_by_status:` then
  `get_entries(session, list(ids_by_status[status]))`): rows grouped by a key are fetched with
  one IN (...) per key, so the round trips count the keys (pyramid-oereb's law statuses, at
  most three), not the rows;
- the query reads a configuration table (quotas, settings, preferences, config) and the loop
  does not walk the rows of a query: one row per key the application defines (aodh's quota per
  resource kind, flaskbb's settings of one form), so a loop over such keys is a handful of
  passes. A loop over users read from the database, each looking up its own preference row, is
  still an N+1.
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import is_query
from team.audit.repo import assignments, walked

__all__ = ["batched_calls", "over_query_rows", "reads_configuration"]

# calls that hand their argument's items back as a collection
_COLLECT = frozenset(["list", "set", "tuple", "frozenset", "sorted"])
_GROWS = frozenset(["append", "add", "extend", "update"])
# what runs once per item of a call's argument, not once per call
_PER_ITEM = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# tables of settings: one row per key the application defines (aodh's quotas, conda-store's
# KeyValueStore of the admin settings form), not one per thing users make
_CONFIG_MODEL = re.compile(
    r"(?:^|[a-z_])(?:Quota|Setting|Preference|Config|Configuration|KeyValue(?:Store)?)s?$"
)


def batched_calls(loop: ast.AST, unit: ast.AST, tree: ast.AST | None = None) -> set[int]:
    """ids of the calls in the body of `loop` over a dict of groups that hand on the group of
    the pass (`d[key]` for `for key in d`, `rows` for `for key, rows in d.items()`), a
    collection `unit` builds (`d[k] = {...}`, `d[k].add(...)`, `defaultdict(list)`), with
    the calls inside them that run once per pass (`session.query(E)` of
    `session.query(E).filter(E.id.in_(...))`; not a lambda's or a comprehension's among their
    arguments, which run once per key: `map(lambda i: s.get(E, i), by[kind])`). A step named
    by a constant is read where `unit` or the module `tree` binds it.

    Example:
        >>> code = ("def f(s, rows):\\n    by = {}\\n    for r in rows:\\n"
        ...         "        by.setdefault(r.kind, []).append(r.id)\\n"
        ...         "    for kind in by:\\n        fetch(s, list(by[kind]))")
        >>> fn = ast.parse(code).body[0]
        >>> len(batched_calls(fn.body[2], fn))
        2
    """
    if not isinstance(loop, ast.For | ast.AsyncFor):
        return set()
    out = _slice_calls(loop, [unit] if tree is None else [unit, tree])
    group = _group_of(loop)
    if group is None or not _holds_collections(unit, group[0]):
        return out
    for stmt in loop.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and id(node) not in out and _hands(node, group[1]):
                out |= {id(c) for c in _calls_once(node)}
    return out


def _slice_calls(loop: ast.For | ast.AsyncFor, scopes: list[ast.AST] | None = None) -> set[int]:
    """ids of the calls in the body of a loop that steps over offsets (`for start in
    range(0, len(ids), STEP)`) and hand on the slice of keys the pass starts at
    (`ids[start:start + STEP]`, or a name the body binds to it), with the calls inside them
    that run once per pass: one query per batch of keys. A lambda or a comprehension among
    their arguments runs per key (`list(map(lambda i: db.get(i), batch))`) and is left out.

    Example:
        >>> code = ("for at in range(0, len(ids), 500):\\n    batch = ids[at:at + 500]\\n"
        ...         "    rows = Job.objects.filter(id__in=batch)")
        >>> len(_slice_calls(ast.parse(code).body[0]))
        1
        >>> code = "for at in range(0, len(ids), 500):\\n    Job.objects.get(id=ids[at])"
        >>> len(_slice_calls(ast.parse(code).body[0]))
        0
    """
    start = _offset(loop, scopes or [])
    if start is None:
        return set()
    batches = {
        target.id
        for stmt in loop.body
        for node in ast.walk(stmt)
        if isinstance(node, ast.Assign) and _starts_at(node.value, start)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    out: set[int] = set()
    for stmt in loop.body:
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and id(node) not in out
                and _hands_slice(node, start, batches)
            ):
                out |= {id(c) for c in _calls_once(node)}
    return out


def _calls_once(call: ast.Call) -> list[ast.Call]:
    """`call` and the calls inside it that run once when it runs: its receiver chain and its
    arguments, not the body of a lambda or a comprehension among them (once per item)."""
    out: list[ast.Call] = []
    todo: list[ast.AST] = [call]
    while todo:
        node = todo.pop()
        if isinstance(node, _PER_ITEM):
            continue
        if isinstance(node, ast.Call):
            out.append(node)
        todo += ast.iter_child_nodes(node)
    return out


def _offset(loop: ast.For | ast.AsyncFor, scopes: list[ast.AST]) -> str | None:
    """The loop's name for `for start in range(begin, end, step)` with a step other than one
    (a step of one walks keys one by one): a literal one, or a name that one of `scopes` (the
    function, the module) binds to one (`STEP = 1`), is a step of one.

    Example:
        >>> tree = ast.parse("STEP = 1\\nfor at in range(0, len(ids), STEP):\\n    pass")
        >>> _offset(tree.body[1], [tree]) is None
        True
        >>> _offset(tree.body[1], []) is None
        False
    """
    source, target = loop.iter, loop.target
    if not (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "range"
        and len(source.args) == 3
        and isinstance(target, ast.Name)
    ):
        return None
    step = source.args[2]
    if isinstance(step, ast.Name):
        step = _constant(step.id, scopes) or step
    one = isinstance(step, ast.Constant) and step.value in (1, -1)
    return None if one else target.id


def _constant(name: str, scopes: list[ast.AST]) -> ast.Constant | None:
    """The constant that the innermost of `scopes` binding `name` gives it, when that scope
    binds it once, to a constant (`STEP = 1`, `STEP: int = 1`); a parameter, an import, a
    `global` or a second binding gives none. Nested functions and classes bind their own names.

    Example:
        >>> tree = ast.parse("from settings import STEP\\ndef f():\\n    STEP = 1")
        >>> _constant("STEP", [tree]) is None
        True
    """
    for scope in scopes:
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and name in {
            a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)
        }:
            return None
        nodes: list[ast.AST] = []
        todo = [*getattr(scope, "body", [])]
        while todo:
            node = todo.pop()
            nodes.append(node)
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                todo += ast.iter_child_nodes(node)
        if any(
            (isinstance(n, ast.alias) and (n.asname or n.name.split(".")[0]) == name)
            or (isinstance(n, ast.Global | ast.Nonlocal) and name in n.names)
            for n in nodes
        ):
            return None
        bound = [
            n
            for n in nodes
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        ]
        if not bound:
            continue
        values = [
            n.value
            for n in nodes
            if (isinstance(n, ast.Assign) and n.targets == [bound[0]])
            or (isinstance(n, ast.AnnAssign) and n.target is bound[0])
        ]
        value = values[0] if len(bound) == 1 and values else None
        return value if isinstance(value, ast.Constant) else None
    return None


def _starts_at(expr: ast.expr, start: str) -> bool:
    """`expr` is a slice from `start` on (`ids[start:start + STEP]`), not one key."""
    if not (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice)):
        return False
    lower, upper = expr.slice.lower, expr.slice.upper
    if lower is None or ast.unparse(lower) != start:
        return False
    return upper is None or ast.unparse(upper) not in (f"{start} + 1", f"1 + {start}")


def _hands_slice(call: ast.Call, start: str, batches: set[str]) -> bool:
    """`call` or a call it runs once takes the pass's slice (or a name bound to it)."""
    return any(
        _starts_at(arg, start) or (isinstance(arg, ast.Name) and arg.id in batches)
        for c in _calls_once(call)
        for a in [*c.args, *(k.value for k in c.keywords)]
        for arg in [_uncollected(a)]
    )


def _hands(call: ast.Call, group: str) -> bool:
    """`call` or a call it runs once takes `group` (or a copy of it) as an argument."""
    return any(
        ast.unparse(_uncollected(a)) == group
        for c in _calls_once(call)
        for a in [*c.args, *(k.value for k in c.keywords)]
    )


def _group_of(loop: ast.For | ast.AsyncFor) -> tuple[str, str] | None:
    """(the dict walked, the text of one pass's group) for `for k in d` / `d.keys()` (`d[k]`)
    or `for k, v in d.items()` (`v`)."""
    source, target = loop.iter, loop.target
    view = ""
    if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
        view, source = source.func.attr, source.func.value
    if not isinstance(source, ast.Name):
        return None
    if view in ("", "keys") and isinstance(target, ast.Name):
        return source.id, f"{source.id}[{target.id}]"
    if (
        view == "items"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and isinstance(target.elts[1], ast.Name)
    ):
        return source.id, target.elts[1].id
    return None


def _uncollected(arg: ast.expr) -> ast.expr:
    """`d[k]` for `list(d[k])`, `sorted(d[k])`: the collection a copying call hands on."""
    while (
        isinstance(arg, ast.Call)
        and isinstance(arg.func, ast.Name)
        and arg.func.id in _COLLECT
        and len(arg.args) == 1
    ):
        arg = arg.args[0]
    return arg


def _holds_collections(unit: ast.AST, name: str) -> bool:
    """`unit` fills the dict `name` with collections: stores a list or set display, grows an
    item in place (`d[k].add(x)`, `d.setdefault(k, []).append(x)`), or makes it a
    `defaultdict(list)`."""
    for node in ast.walk(unit):
        if isinstance(node, ast.Assign):
            stored = any(
                isinstance(t, ast.Subscript) and ast.unparse(t.value) == name for t in node.targets
            )
            if stored and isinstance(node.value, ast.List | ast.Set | ast.ListComp | ast.SetComp):
                return True
            made = any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            if made and re.fullmatch(
                r"(?:\w+\.)?defaultdict\((?:list|set)\)", ast.unparse(node.value)
            ):
                return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _GROWS
            and ast.unparse(node.func.value).startswith((f"{name}[", f"{name}.setdefault("))
        ):
            return True
    return False


def reads_configuration(call: ast.Call, cls: str) -> bool:
    """Whether every model `call` queries is a configuration table (`query(models.Quota)`,
    `select(cls)` in `class Setting`, `UserPreference.objects`).

    Example:
        >>> reads_configuration(ast.parse("s.query(models.Quota).first()").body[0].value, "")
        True
        >>> reads_configuration(ast.parse("s.query(models.Alarm).first()").body[0].value, "")
        False
        >>> reads_configuration(ast.parse("db.query(orm.KeyValueStore).first()").body[0].value, "")
        True
    """
    models = _models(call, cls)
    return bool(models) and all(_CONFIG_MODEL.search(m) for m in models)


def _models(call: ast.Call, cls: str) -> set[str]:
    """The class names `call` queries: the first argument of `query`/`select`, the owner of
    `.objects` or `.query`; `cls`/`self` stand for the enclosing class `cls`. A column
    (`query(Quota.limit)`) or a session is no class name and is left out."""
    out: set[str] = set()
    for node in ast.walk(call):
        owner: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = node.args[0] if name in ("query", "select") else None
        elif isinstance(node, ast.Attribute) and node.attr in ("objects", "query"):
            owner = node.value
        if isinstance(owner, ast.Name | ast.Attribute):
            last = ast.unparse(owner).rsplit(".", 1)[-1]
            last = cls if last in ("cls", "self") else last
            if last[:1].isupper():  # a class, not `db.session` of `db.session.query(...)`
                out.add(last)
    return out


def over_query_rows(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` walks the rows of a query: its source runs one (`for u in
    User.objects.filter(...)`, `db.query(User).all()`), or is a name `unit` binds to one.

    Example:
        >>> code = ("def f(session):\\n    users = session.query(User).all()\\n"
        ...         "    for u in users:\\n        pass")
        >>> fn = ast.parse(code).body[0]
        >>> over_query_rows(fn.body[1], fn)
        True
    """
    source = walked(loop)
    if source is None:
        return False
    sources = [source]
    if isinstance(source, ast.Name):
        sources += assignments(unit).get(source.id, [])
    return any(_runs_query(expr) for expr in sources)


def _runs_query(expr: ast.expr) -> bool:
    """A call in `expr` runs a query, its result being walked (a lazy Django queryset too)."""
    calls = [c for c in ast.walk(expr) if isinstance(c, ast.Call)]
    walked = {id(c) for c in calls}
    return any(is_query(c, lambda: walked, model_query=True) for c in calls)
