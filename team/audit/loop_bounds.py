"""Loops whose number of passes is set by the code or by the caller's own arguments, not by the
rows stored: a query per pass of one costs a fixed handful of round trips, so the N+1 rule
(`performance.py`) leaves it alone.

- a loop over tables, columns, indexes, chunks... (named so) or a fixed `range(10)`; or over
  the CPU architectures or platforms of a package index (conda-store's `for architecture in
  repodata["architectures"]`: linux-64, noarch..., a few the ecosystem defines);
- a loop over a list, tuple, set or dict written in the code (also enumerated or sorted:
  `for i, ev in enumerate([ev_0, ev_1])`), directly or through a name only ever bound to one
  (`kinds = ["users", "services"]`, then `for kind in kinds`), or through a class attribute
  bound to one in the class body (`for key, value in Preferences.defaults`);
- a Django management command's loop over the arguments it was run with
  (`for name in options["lists"]`), or to a count it was given (`range(options["limit"])`):
  as many passes as the operator typed;
- a decorator's loop over the arguments it was given (`@needs_scope("read:users")`, then
  `for scope in scopes` in the wrapper): as many passes as names written at the decoration;
- a loop over the pieces of one string (`path.split("/")`, `authors.split("&")`, the tokens
  `re.findall(pattern, tagname)` finds), directly,
  through a name only ever bound to them (tidied in place: `map`, `uniq`, a comprehension), or
  through a function of the module returning them: the parts of one path or the names typed
  into one form field, a handful, not rows of a table; or over a slice of one parsed row
  (`for domain in row[2:]`): the cells of one line past its fixed columns;
- a loop over the entries of a configuration mapping the function is handed (tethys's
  `for varname, group in cookie_config_dict.items()`): the entries someone wrote;
- a loop over database sessions or connections (`for session in get_db()`, a dependency that
  yields one): each pass opens a session, it does not walk rows;
- a management command's loop over records it read from outside the database (a remote API's
  JSON pages, a CSV file, an mbox), or a loop nested in one: a sync or import run from the shell,
  whose passes are the records it imports and each already costs a download or a file row.

And a query on a session the pass opens itself (`with create_session() as session:` inside the
loop) is one unit of work per item by design (airflow's grid stream frees its connection
between runs so a slow client holds none), not a read a join would replace.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import is_management_command

__all__ = ["bindings_of", "bounded_loop", "imports_records", "literal_display", "sessions_per_pass"]

_SCHEMA_LOOP = re.compile(
    r"(?i)column|\bcols?\b|table|index|trigger|extension|\bext\b|chunk|batch|statement|\bsql"
    r"|quer(?:y|ies)|migration|schema|foreign_?key|\bfks?\b|pragma|\bpaths?_?\b|\bfiles?\b"
    r"|database|\bdbs?\b|\bdb_name|\bfn\b|function|shard|partition|extract|checksum|algorithm"
    r"|digest_type|\bstates?\b|choices|\barch(?:itecture)?s?\b|\bplatforms?\b|\bsubdirs?\b"
)
_CONFIGURATION = re.compile(r"(?i)(?:^|_)(?:conf|config|configuration|settings)(?:_|$)")
_CONNECTION = re.compile(r"(?i)(?:^|_)(?:session|conn|connection|cursor|engine)s?$")
_GROWS = frozenset(["append", "extend", "add", "update", "insert", "setdefault"])
_VIEWS = frozenset(["items", "keys", "values"])
# calls that hand their (first) argument's items back, tidied or reordered
_SAME_ITEMS = re.compile(r"(?i)^(?:enumerate|sorted|reversed|list|tuple|set|frozenset|\w*uniq\w*)$")


def bounded_loop(loop: ast.AST, unit: ast.AST, module: ast.Module) -> bool:
    """Whether the passes of `loop` (a for loop or comprehension inside the function `unit` of
    `module`) are fixed by the code or by the command's arguments, whatever its body runs."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        target, source = loop.target, loop.iter
    elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        target, source = loop.generators[0].target, loop.generators[0].iter
    else:
        return False
    if literal_display(source) or _fixed_count(source) or _literal_name(source, unit, module):
        return True
    if _class_constant(source, module) or _string_pieces(source, unit, module, set()):
        return True
    if _row_cells(source):
        return True
    if _command_arguments(source, unit) or _decorator_arguments(source, unit, loop):
        return True
    if isinstance(target, ast.Name) and _CONNECTION.search(target.id):
        return True
    if _configuration_entries(source, unit):
        return True
    return bool(_SCHEMA_LOOP.search(f"{ast.unparse(target)} in {ast.unparse(source)}"))


def _configuration_entries(source: ast.expr, unit: ast.AST) -> bool:
    """A loop over the entries of a configuration mapping the function is handed (tethys's
    `for varname, group in cookie_config_dict.items()`, the four cookie groups of a YAML file):
    a parameter named for a configuration or settings, walked directly or through its
    `items()`, `keys()` or `values()`. Its passes are the entries someone wrote, not stored
    rows; an attribute of a settings module (`settings.show_list`) can hold data and is not
    read so.

    Example:
        >>> fn = ast.parse("def sync(cookie_config_dict):\\n    pass").body[0]
        >>> loop = ast.parse("cookie_config_dict.items()", mode="eval").body
        >>> _configuration_entries(loop, fn)
        True
    """
    source = _unviewed(source)
    return (
        isinstance(source, ast.Name)
        and bool(_CONFIGURATION.search(source.id))
        and source.id in _parameters(unit)
    )


def literal_display(source: ast.expr) -> bool:
    """A list, tuple, set or dict display with no `*`/`**` unpacking: its length is written in
    the code (`for kind in ("users", "groups")`, `for period, cutoff in {...}.items()`)."""
    source = _unviewed(source)
    if isinstance(source, ast.Dict):
        return None not in source.keys
    return isinstance(source, ast.Tuple | ast.List | ast.Set) and not any(
        isinstance(e, ast.Starred) for e in source.elts
    )


def _unviewed(source: ast.expr) -> ast.expr:
    """`kinds` for `kinds.items()`, `.keys()` or `.values()`: the collection a view walks; and
    for `enumerate(kinds)`, `sorted(kinds)` or another call that hands its items back
    (oncall's swap handler, `for i, ev in enumerate([ev_0, ev_1])`: two events)."""
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and _SAME_ITEMS.match(source.func.id)
        and source.args
    ):
        source = source.args[0]
    return _view_of(source)


def _view_of(source: ast.expr) -> ast.expr:
    """`kinds` for `kinds.items()`, `.keys()` or `.values()`."""
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Attribute)
        and source.func.attr in _VIEWS
        and not source.args
    ):
        return source.func.value
    return source


def _fixed_count(source: ast.expr) -> bool:
    """`range(10)`, `range(MAX_RETRIES)`: a loop run a fixed number of times (a retry of one
    query, a lock attempt) does not grow with the rows stored, whatever it runs."""
    return (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "range"
        and bool(source.args)
        and all(
            (isinstance(a, ast.Constant) and isinstance(a.value, int))
            or (isinstance(a, ast.Name) and a.id.lstrip("_").isupper())
            for a in source.args
        )
    )


def _iterated_name(source: ast.expr) -> str | None:
    """`kinds` in `for kind in kinds` or `for k, v in kinds.items()`."""
    source = _unviewed(source)
    return source.id if isinstance(source, ast.Name) else None


def bindings_of(scope: ast.AST, name: str) -> list[ast.expr | None]:
    """The values bound to `name` in `scope` (None for a binding that is no plain assignment:
    a loop target, an augmented assignment, an item set, a call that grows it in place)."""
    out: list[ast.expr | None] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and t.id == name:
                    out.append(node.value)
                elif isinstance(t, ast.Subscript) and ast.unparse(t.value) == name:
                    out.append(None)
        elif _changes(node, name):
            out.append(None)
    return out


def _changes(node: ast.AST, name: str) -> bool:
    """A loop or augmented assignment rebinding `name`, or a call growing it in place."""
    if isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor):
        return name in {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _GROWS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
    )


def _literal_name(source: ast.expr, unit: ast.AST, module: ast.Module) -> bool:
    """A name the function (or, when the function never binds it, the whole module: a
    constant no function grows) only ever binds to a literal display, and never grows:
    `kinds = ["users", "services", "groups"]`."""
    name = _iterated_name(source)
    if name is None or name in _parameters(unit):
        return False
    values = bindings_of(unit, name)
    if not values and any(
        isinstance(node, ast.Assign) and name in {ast.unparse(t) for t in node.targets}
        for node in module.body
    ):
        values = bindings_of(module, name)
    return bool(values) and all(v is not None and literal_display(v) for v in values)


def _class_constant(source: ast.expr, module: ast.Module) -> bool:
    """`Preferences.defaults` or `self.defaults`, where a class of the module binds `defaults`
    to a literal display in its body and no code of the module assigns or grows it
    (`self.defaults = ...`, `Preferences.defaults.append(...)`)."""
    source = _unviewed(source)
    if not (isinstance(source, ast.Attribute) and isinstance(source.value, ast.Name)):
        return False
    owner, attr = source.value.id, source.attr
    values = [
        stmt.value
        for cls in module.body
        if isinstance(cls, ast.ClassDef) and (cls.name == owner or owner in ("self", "cls"))
        for stmt in cls.body
        if isinstance(stmt, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == attr for t in stmt.targets)
    ]
    changed = any(
        (isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Store))
        or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _GROWS
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == attr
        )
        for node in ast.walk(module)
    )
    return bool(values) and not changed and all(literal_display(v) for v in values)


def _parameters(unit: ast.AST) -> set[str]:
    """The parameter names of a function and of the functions nested in it."""
    return {
        a.arg
        for node in ast.walk(unit)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for a in [
            *node.args.posonlyargs,
            *node.args.args,
            *node.args.kwonlyargs,
            *filter(None, [node.args.vararg, node.args.kwarg]),
        ]
    }


def _options(expr: ast.expr | None, options: str) -> bool:
    """`options["names"]` or `options.get("names")`: an argument the command was run with."""
    if isinstance(expr, ast.Subscript):
        return isinstance(expr.value, ast.Name) and expr.value.id == options
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "get"
        and isinstance(expr.func.value, ast.Name)
        and expr.func.value.id == options
    )


def _command_arguments(source: ast.expr, unit: ast.AST) -> bool:
    """A loop of a Django management command's `handle(self, *args, **options)` over one of its
    arguments, directly or through a name bound only to it (`days = options["days"]`): the
    operator typed each item, so the count is theirs, not the database's; or over
    `range(options["limit"])`, the number of records the operator asked the command to make
    (tendenci's make_event_registrants makes `--limit` fake registrants)."""
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef) or unit.name != "handle":
        return False
    kwarg = unit.args.kwarg
    if kwarg is None:
        return False
    count = _counted(source)
    if count is not None:
        source = count
    if _options(source, kwarg.arg):
        return True
    name = _iterated_name(source)
    values = bindings_of(unit, name) if name else []
    return bool(values) and all(_options(v, kwarg.arg) for v in values)


def _counted(source: ast.expr) -> ast.expr | None:
    """`n` in `range(n)` or `range(int(n))`: the count a loop runs to."""
    if not (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "range"
        and len(source.args) == 1
    ):
        return None
    arg = source.args[0]
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "int":
        return arg.args[0] if len(arg.args) == 1 else None
    return arg


def sessions_per_pass(body: list[ast.AST]) -> set[str]:
    """Names of the sessions or connections a loop's body opens for each pass
    (`with create_session() as session:`): queries on them are that pass's own unit of work."""
    return {
        item.optional_vars.id
        for stmt in body
        for node in ast.walk(stmt)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
        if isinstance(item.optional_vars, ast.Name) and _CONNECTION.search(item.optional_vars.id)
    }


def _decorator_arguments(source: ast.expr, unit: ast.AST, loop: ast.AST) -> bool:
    """A decorator factory's wrapper looping over the factory's `*args`
    (`def needs_scope(*scopes)` returning `scope_decorator`, whose wrapper runs `for scope in
    scopes`): the arguments are written once at each decoration site."""
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef) or unit.args.vararg is None:
        return False
    if not (isinstance(source, ast.Name) and source.id == unit.args.vararg.arg):
        return False
    inner = [n for n in unit.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    last = unit.body[-1] if unit.body else None
    returned = (
        last.value.id if isinstance(last, ast.Return) and isinstance(last.value, ast.Name) else ""
    )
    return any(
        fn.name == returned and any(n is loop for n in ast.walk(fn)) for fn in inner
    ) and not any(isinstance(t, ast.Name) and t.id == source.id for t in _rebound(unit))


def _rebound(unit: ast.AST) -> list[ast.expr]:
    """Every assignment target in `unit` (a vararg rebound there no longer holds the arguments)."""
    return [
        t
        for node in ast.walk(unit)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
    ]


# Calls that read records from outside the database: an HTTP response's body, a file, a parser.
_READS_OUTSIDE = frozenset(
    [
        "json",
        "load",
        "loads",
        "safe_load",
        "reader",
        "DictReader",
        "open",
        "urlopen",
        "readlines",
        "mbox",
        "Maildir",
    ]
)


def imports_records(loop: ast.AST, unit: ast.AST, rel: str) -> bool:
    """Whether `loop`, in a Django management command's module `rel`, walks records the command
    read from outside the database, or sits inside a loop that does (wger's sync-exercises walks
    `requests.get(url).json()["results"]`, its cleanup reader `csv.DictReader(file)`): a lookup
    per record is part of importing that record, run once from the shell."""
    if not is_management_command(rel):
        return False
    outer = [
        node
        for node in ast.walk(unit)
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension)
        and (node is loop or any(n is loop for n in ast.walk(node)))
    ]
    if isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        outer += loop.generators
    return any(_read_outside(node.iter, unit, depth=3) for node in outer)


def _read_outside(expr: ast.expr, unit: ast.AST, *, depth: int) -> bool:
    """Whether `expr` holds records read from outside the database: it calls a reader
    (`.json()`, `csv.DictReader`, `open`), or it is (an item or attribute of) a name only ever
    bound to such a value, or the target of a loop over one."""
    if any(isinstance(n, ast.Call) and _reader(n) for n in ast.walk(expr)):
        return True
    root = expr
    while isinstance(root, ast.Subscript | ast.Attribute | ast.Call):
        root = root.func if isinstance(root, ast.Call) else root.value
    if depth == 0 or not isinstance(root, ast.Name):
        return False
    values = bindings_of(unit, root.id)
    if values and all(v is not None for v in values):
        return all(_read_outside(v, unit, depth=depth - 1) for v in values if v is not None)
    sources = [
        node.iter
        for node in ast.walk(unit)
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension)
        and root.id in {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    ]
    return bool(sources) and all(_read_outside(s, unit, depth=depth - 1) for s in sources)


def _reader(call: ast.Call) -> bool:
    func = call.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )
    return name in _READS_OUTSIDE


_LINE_BREAKS = frozenset(["\n", "\r\n"])
# a name for one parsed record of a file: a CSV row, a line's fields
_ONE_RECORD = frozenset(["row", "record", "fields", "cells", "columns"])


def _string_pieces(source: ast.expr, unit: ast.AST, module: ast.Module, seen: set[str]) -> bool:
    """The items are the pieces of one string split on a separator (not its lines: a file's
    lines grow with the file), seen through tidying calls, names and module functions."""
    source = _unviewed(source)
    if isinstance(source, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        return _string_pieces(source.generators[0].iter, unit, module, seen)
    if isinstance(source, ast.Call):
        func, args = source.func, source.args
        if isinstance(func, ast.Attribute) and func.attr in ("split", "rsplit"):
            sep = args[0] if args else None
            return not (isinstance(sep, ast.Constant) and sep.value in _LINE_BREAKS)
        if _regex_pieces(source):
            return True
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("map", "filter") and len(args) == 2:
            return _string_pieces(args[1], unit, module, seen)
        if _SAME_ITEMS.match(name) and len(args) == 1:
            return _string_pieces(args[0], unit, module, seen)
        if isinstance(func, ast.Name) and func.id not in seen:
            return _returns_pieces(func.id, module, seen | {func.id})
        return False
    if isinstance(source, ast.Name) and source.id in seen:
        return True  # `authors = uniq(authors)`: the binding being read, tidied in place
    if not isinstance(source, ast.Name) or source.id in _parameters(unit):
        return False
    values = bindings_of(unit, source.id)
    inner = seen | {source.id}
    return bool(values) and all(
        v is not None and (literal_display(v) or _string_pieces(v, unit, module, inner))
        for v in values
    )


def _row_cells(source: ast.expr) -> bool:
    """`row[2:]`: the cells of one parsed row past its fixed columns (modoboa's CSV import,
    the domains listed after an account's name and role), a line's fields, not rows.

    Example:
        >>> _row_cells(ast.parse("row[2:]", mode="eval").body)
        True
        >>> _row_cells(ast.parse("rows[1:]", mode="eval").body)
        False
    """
    return (
        isinstance(source, ast.Subscript)
        and isinstance(source.slice, ast.Slice)
        and isinstance(source.value, ast.Name)
        and source.value.id in _ONE_RECORD
    )


def _regex_pieces(call: ast.Call) -> bool:
    """`re.findall(r"[\\w -]+", tagname)`: the tokens a pattern finds in one string, as a
    split on it gives (hyperkitty's tag form: the tags typed into one field)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "findall"
        and isinstance(func.value, ast.Name)
        and func.value.id == "re"
        and len(call.args) == 2
    )


def _returns_pieces(name: str, module: ast.Module, seen: set[str]) -> bool:
    """A module function whose every `return` hands back pieces of one string."""
    fn = next(
        (
            n
            for n in module.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
        ),
        None,
    )
    if fn is None:
        return False
    values = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return)]
    return bool(values) and all(
        v is not None and _string_pieces(v, fn, module, seen) for v in values
    )
