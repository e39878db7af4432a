"""Which calls run a database query, and which functions of a repository run one (also through
the helpers they call): what the Performance Engineer's N+1 rules look for inside loops.

A query is a Django manager read (`Model.objects.get`, or a lazy queryset that is iterated), a
query method on a session/connection/cursor-named receiver, `execute` of a SELECT, and, when asked,
Flask-SQLAlchemy's `Model.query...first()`; an UPDATE/DELETE/INSERT is a write, not a read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from functools import cache, partial
from typing import cast

from team.audit.managers import manager_methods
from team.audit.repo import Repo, assignments
from team.audit.subqueries import subquery_builders
from team.pyimports import imported_module

__all__ = [
    "Key",
    "call_name",
    "callee",
    "evaluated_exprs",
    "function_nodes",
    "is_query",
    "local_imports",
    "members",
    "per_row_updates",
    "query_functions",
    "runs_bound_write",
    "units",
    "write_statement",
]

_DB_RECEIVER = re.compile(r"(?i)(?:^|_)(?:session|db|conn|connection|cursor|cur|engine|tx)$")
_QUERY_ATTRS = frozenset(
    ["execute", "scalars", "scalar", "query", "fetch", "fetchrow", "fetchval", "raw"]
)
# A Django queryset runs its query when evaluated: these reads do, the lazy ones only when the
# queryset is iterated or passed to list()/len() (`evaluated_exprs`). A write per item (create,
# update) is most often the work itself, not an N+1 read.
_ORM_ATTRS = frozenset(
    ["get", "first", "last", "count", "exists", "aggregate", "latest", "earliest", "in_bulk"]
)
_ORM_LAZY = frozenset(["filter", "all", "exclude", "values", "values_list", "select_related"])
# A SQLAlchemy query (Flask-SQLAlchemy's `Model.query`) runs when one of these ends the chain.
_QUERY_RUNS = frozenset(
    [
        "first",
        "one",
        "one_or_none",
        "scalar",
        "all",
        "count",
        "get",
        "first_or_404",
        "get_or_404",
        "paginate",
        "exists",
    ]
)


def evaluated_exprs(node: ast.AST) -> set[int]:
    """ids of the expressions that are iterated (for/comprehension) or materialised
    (list, len, set, tuple, sorted, bool) inside `node`, and of a call to a custom queryset
    method (`managers.py`) bound to a name that is then iterated (`attempts =
    Attempt.objects.by_exam(exam_id)`, `[serialize(a) for a in attempts]`)."""
    out: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.For | ast.AsyncFor | ast.comprehension):
            out.add(id(sub.iter))
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Name)
            and sub.func.id in ("list", "len", "set", "tuple", "sorted", "bool")
            and sub.args
        ):
            out.add(id(sub.args[0]))
    iterated = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) in out}
    for name, values in assignments(node).items():
        if name in iterated:
            out |= {
                id(v)
                for v in values
                if isinstance(v, ast.Call)
                and isinstance(v.func, ast.Attribute)
                and v.func.attr not in _ORM_LAZY  # Django's own lazy reads stay as they were
            }
    return out


def is_query(
    call: ast.Call,
    evaluated: Callable[[], set[int]] | None = None,
    *,
    model_query: bool = False,
    custom: Mapping[str, Mapping[str, bool]] | None = None,
) -> bool:
    """A call that runs a database query: a Django manager method (also one of the
    repository's own, `custom`, by model: see `managers.manager_methods`), or a query method on a
    session/connection/cursor-named receiver, or `execute` of a SELECT literal; with
    `model_query`, also a Flask-SQLAlchemy `Model.query...first()`."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    receiver = ast.unparse(func.value)
    if model_query and re.match(r"[A-Z]\w*\.query(?:\.|$)", receiver):
        return func.attr in _QUERY_RUNS
    manager = _DJANGO_MANAGER.search(receiver)
    if manager:
        runs = (custom or {}).get(manager["model"] or "", {}).get(func.attr)
        return (
            func.attr in _ORM_ATTRS
            or runs is True
            or (
                (func.attr in _ORM_LAZY or runs is False)
                and evaluated is not None
                and id(call) in evaluated()
            )
        )
    if func.attr in _ORM_ATTRS and _NARROWED_RELATED.search(receiver):
        return True
    first = call.args[0] if call.args else None
    if func.attr == "execute" and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return bool(re.match(r"(?is)\s*(?:select|with)\b", first.value))
    if _runs_sql_text(func.attr, first):
        return True
    if func.attr == "execute" and first is not None and write_statement(first):
        return False
    db = _DB_RECEIVER.search(receiver.rsplit(".", 1)[-1]) is not None
    if func.attr == "get":  # session.get(Model, id), not an HTTP session's get(url)
        return db and isinstance(first, ast.Name) and first.id[:1].isupper()
    return db and func.attr in _QUERY_ATTRS


# `Model.objects`, `get_user_model().objects` (the user model Django is configured with) or
# `cls.objects` in a model's classmethod
_DJANGO_MANAGER = re.compile(
    r"(?:(?:^|\.)(?P<model>[A-Z]\w*)|^get_user_model\(\)|^cls)\.objects(?:\.|$)"
)
# A reverse related manager narrowed before it is read (`content.contentartifact_set.exclude(
# ...).first()`): a new query per call even when the rows were prefetched, which a plain
# `book.page_set.count()` over a prefetch is not.
_NARROWED_RELATED = re.compile(r"(?:^|\.)[a-z]\w*_set\.(?:filter|exclude)\(")
_WRITES = frozenset(["update", "delete", "insert"])
# a database helper's method that runs the SQL it is handed (sickchill's `db.select(sql, args)`,
# `conn.fetch_all(sql)`), whatever its receiver is named
_RUNS_TEXT = re.compile(r"(?i)^_*(?:select|fetch|query|exec|run|all|one|first|get|read|scalar)")


def _runs_sql_text(attr: str, first: ast.expr | None) -> bool:
    """`x.select("SELECT ... FROM ...", args)`: a method named for running a query, handed a
    SELECT literal as its first argument."""
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and bool(_RUNS_TEXT.match(attr))
        and re.match(r"(?is)\s*select\b.+\bfrom\b", first.value) is not None
    )


def runs_bound_write(
    call: ast.Call,
    bound: dict[str, list[ast.expr]],
    members: dict[str, list[ast.expr]] | None = None,
) -> bool:
    """`session.execute(ins_stmt)` where every value the function assigns to `ins_stmt` (or,
    for `self.ins_query`, every value the class assigns to that attribute: `members`) is an
    INSERT, UPDATE or DELETE, or SQL text that reads nothing (`"UPDATE t SET ..."`, `"SET
    FOREIGN_KEY_CHECKS=0"`): a write per item, the work itself, as when the statement is
    written inside the call. openstack-placement builds `ins_stmt = _ALLOC_TBL.insert()...`
    per allocation; monasca-api binds `self.insert_sad_query = insert(sad).values(...)` in
    `__init__`; a rebinding that tidies the text (`sql = sql.replace("\\n", " ")`) keeps it.

    Example:
        >>> from team.audit.repo import assignments
        >>> code = '''
        ... def add(session, table, rows):
        ...     for row in rows:
        ...         stmt = table.insert().values(id=row.id)
        ...         session.execute(stmt)
        ... '''
        >>> fn = ast.parse(code).body[0]
        >>> call = fn.body[0].body[1].value
        >>> runs_bound_write(call, assignments(fn))
        True
        >>> fn = ast.parse(code.replace("insert().values", "select().where")).body[0]
        >>> runs_bound_write(fn.body[0].body[1].value, assignments(fn))
        False
    """
    first = call.args[0] if call.args else None
    if call_name(call) != "execute" or first is None:
        return False
    values = _statement_values(first, bound, members or {}, depth=2)
    return bool(values) and all(write_statement(v) or _write_text(v) for v in values)


def _statement_values(
    expr: ast.expr,
    bound: dict[str, list[ast.expr]],
    members: dict[str, list[ast.expr]],
    *,
    depth: int,
) -> list[ast.expr]:
    """The statements `expr` may hold: the values bound to a name (through one more name) or to
    a `self.` attribute, leaving out the rebindings that only tidy the same text; [] when it is
    neither (a statement written in the call is `is_query`'s to read)."""
    if isinstance(expr, ast.Name):
        key, values = expr.id, bound.get(expr.id, [])
    elif (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in ("self", "cls")
    ):
        key, values = ast.unparse(expr), members.get(expr.attr, [])
    else:
        return []
    out: list[ast.expr] = []
    for value in values:
        if any(ast.unparse(n) == key for n in ast.walk(value)):
            continue  # `sql = re.sub(pattern, " ", sql)`: the same statement, tidied
        inner = _statement_values(value, bound, members, depth=depth - 1) if depth else []
        out += inner or [value]
    return out


_WRITE_TEXT = re.compile(
    r"(?is)\s*(?:insert|update|delete|replace|set|create|drop|alter|truncate|lock|begin|commit)\b"
)


def _write_text(expr: ast.expr) -> bool:
    """SQL text that changes rows or settings and reads none (`"UPDATE events SET ..."`)."""
    return (
        isinstance(expr, ast.Constant)
        and isinstance(expr.value, str)
        and _WRITE_TEXT.match(expr.value) is not None
    )


def members(cls: ast.ClassDef) -> dict[str, list[ast.expr]]:
    """Attribute -> every value the class's methods assign to `self.attribute`."""
    out: dict[str, list[ast.expr]] = {}
    for node in ast.walk(cls):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in ("self", "cls")
                ):
                    out.setdefault(target.attr, []).append(node.value)
    return out


def write_statement(expr: ast.expr) -> bool:
    """A SQLAlchemy UPDATE/DELETE/INSERT (`update(Model).where(...)`, `table.delete()`,
    `sa.insert(...)`): executed once per item it writes that item, the work itself (as a Django
    `create` or `update` per item is), not a read a join or an IN would replace."""
    node = expr
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _WRITES:
            return True
        node = node.func.value
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _WRITES
    )


# what a SQLAlchemy Query may be narrowed with before its bulk `.update({...})`
_NARROWING = frozenset(["filter", "filter_by", "where", "join", "outerjoin", "execution_options"])


def per_row_updates(loop: ast.AST) -> set[int]:
    """ids of the calls of a SQLAlchemy Query's bulk `.update({...})` inside `loop` that sets a
    value the pass binds (a status chosen per job, an item's own field):
    `db.query(Job).filter(Job.id == job_id).update({Job.status: status})` runs one UPDATE and
    loads no row, and as each row gets its own value no `IN (...)` folds the passes into one
    statement (quetz's job statuses). An update to a value fixed for the whole loop, and a bulk
    `.delete()` per row, are one `UPDATE`/`DELETE ... WHERE id IN (...)` and still count.

    Example:
        >>> code = '''
        ... for job_id, failed in results:
        ...     status = "failed" if failed else "success"
        ...     db.query(Job).filter(Job.id == job_id).update({Job.status: status})
        ...     db.query(Job).filter(Job.id == job_id).update({Job.seen: True})
        ... '''
        >>> loop = ast.parse(code).body[0]
        >>> found = per_row_updates(loop)
        >>> [c.lineno for c in ast.walk(loop) if isinstance(c, ast.Call) and id(c) in found]
        [4, 4, 4]
    """
    names = {
        n.id
        for node in ast.walk(loop)
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension | ast.Assign | ast.AugAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        for n in ast.walk(target)
        if isinstance(n, ast.Name)
    }
    out: set[int] = set()
    for call in ast.walk(loop):
        match call:
            case ast.Call(
                func=ast.Attribute(attr="update", value=link), args=[ast.Dict(values=values), *_]
            ):
                own = {n.id for v in values for n in ast.walk(v) if isinstance(n, ast.Name)}
                if not own & names:
                    continue  # one value for every pass: one UPDATE ... WHERE id IN (...)
            case _:
                continue
        chain = [call]
        while (
            isinstance(link, ast.Call)
            and isinstance(link.func, ast.Attribute)
            and link.func.attr in _NARROWING
        ):
            chain.append(link)
            link = link.func.value
        if (
            isinstance(link, ast.Call)
            and isinstance(link.func, ast.Attribute)
            and link.func.attr == "query"
            and link.args
        ):
            out.update(id(c) for c in (*chain, link))
    return out


def call_name(call: ast.Call) -> str:
    func = call.func
    return (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )


Key = tuple[str, str]  # (file, "function" or "Class.method")


def local_imports(repo: Repo, rel: str, tree: ast.Module) -> dict[str, Key]:
    """Names a module imports from repository modules: local name -> (file, function)."""
    from team.audit.modules import module_names

    names = module_names(repo)
    out: dict[str, Key] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = imported_module(rel, node)
            if base is None:
                continue
            target = names.get(base) or names.get(_inside(repo, base))
            if target is not None:
                out.update({a.asname or a.name: (target, a.name) for a in node.names})
    return out


def _inside(repo: Repo, module: str) -> str:
    """`module` named from inside the package the repository is (`edx_proctoring.api` is
    `api.py` when the folder reviewed is `edx_proctoring/` itself), else ""."""
    package, _, rest = module.partition(".")
    return rest if package == repo.root.name and "__init__.py" in repo.files else ""


def units(tree: ast.Module) -> list[tuple[str, str, ast.AST]]:
    """(class or "", function name, node) of module-level functions and methods."""
    out: list[tuple[str, str, ast.AST]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append(("", node.name, node))
        elif isinstance(node, ast.ClassDef):
            out += [
                (node.name, n.name, n)
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return out


def callee(
    call: ast.Call, rel: str, cls: str, local: set[str], imported: dict[str, Key]
) -> Key | None:
    """The repository function a call reaches: a module function, an imported one, or a method
    of the enclosing class through self/cls; None for anything else."""
    func = call.func
    if isinstance(func, ast.Name):
        return (rel, func.id) if func.id in local else imported.get(func.id)
    if (
        cls
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in ("self", "cls")
    ):
        return (rel, f"{cls}.{func.attr}")
    return None


def class_method(repo: Repo, rel: str, call: ast.Call) -> Key | None:
    """The repository classmethod or staticmethod a `Model.method(...)` call in `rel` reaches
    when the receiver is a class-like name the module assigns (a swappable model read into a
    name, openwisp's `Node = self.node_model` or `Metric = load_model(...)`): the one class of
    the repository defining a class-level method of that name; None when no class or more than
    one defines it. A class named by its own name (imported, defined) is left to `callee`."""
    func = call.func
    tree = repo.tree(rel)
    if not (
        tree is not None
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id[:1].isupper()
        and func.value.id in _assigned_names(tree)
    ):
        return None
    if "class_methods" not in repo.memo:
        found: dict[str, list[Key]] = {}
        for key, node in function_nodes(repo).items():
            decorators = {ast.unparse(d) for d in getattr(node, "decorator_list", [])}
            if "." in key[1] and decorators & {"classmethod", "staticmethod"}:
                found.setdefault(key[1].rsplit(".", 1)[1], []).append(key)
        repo.memo["class_methods"] = found
    keys = cast("dict[str, list[Key]]", repo.memo["class_methods"]).get(func.attr, [])
    return keys[0] if len(keys) == 1 else None


def _assigned_names(tree: ast.Module) -> set[str]:
    """Every name an assignment in the module binds, also in a tuple (`Link, Node = ...`)."""
    return {
        n.id
        for a in ast.walk(tree)
        if isinstance(a, ast.Assign)
        for t in a.targets
        for n in ast.walk(t)
        if isinstance(n, ast.Name)
    }


def function_nodes(repo: Repo) -> dict[Key, ast.AST]:
    """Every module-level function and method of the repository by (file, name), as `callee`
    names them."""
    if "function_nodes" not in repo.memo:
        repo.memo["function_nodes"] = {
            (rel, f"{cls}.{name}" if cls else name): node
            for rel, tree in repo.modules()
            for cls, name, node in units(tree)
        }
    return cast("dict[Key, ast.AST]", repo.memo["function_nodes"])


def query_functions(repo: Repo, *, model_query: bool = False) -> dict[Key, tuple[str, int]]:
    """Functions and methods of the repository that run a query, directly or through other such
    functions (three levels deep): (file, name) -> (path, line of the query). `model_query`
    also counts Flask-SQLAlchemy's `Model.query...first()` (see `is_query`)."""
    memo = f"queries:{model_query}"
    if memo in repo.memo:
        return cast("dict[Key, tuple[str, int]]", repo.memo[memo])
    calls: dict[Key, list[Key]] = {}
    found: dict[Key, tuple[str, int]] = {}
    custom = manager_methods(repo)
    for rel, tree in repo.modules():
        imported = local_imports(repo, rel, tree)
        local = {name for cls, name, _ in units(tree) if not cls}
        for cls, name, node in units(tree):
            key = (rel, f"{cls}.{name}" if cls else name)
            evaluated = cache(partial(evaluated_exprs, node))  # walked only for a lazy queryset
            built = subquery_builders(node)
            for sub in ast.walk(node):
                if not isinstance(sub, ast.Call) or id(sub) in built:
                    continue
                if is_query(sub, evaluated, model_query=model_query, custom=custom):
                    found.setdefault(key, (rel, sub.lineno))
                else:
                    target = callee(sub, rel, cls, local, imported)
                    if target is not None:
                        calls.setdefault(key, []).append(target)
    for _ in range(3):  # helpers of helpers
        for key, targets in calls.items():
            if key not in found:
                hit = next((t for t in targets if t in found), None)
                if hit is not None:
                    found[key] = found[hit]
    repo.memo[memo] = found
    return found
