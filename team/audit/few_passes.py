"""Queries in a loop that run a handful of times for reasons the loop's source or body shows,
so the N+1 rule (`performance.py`) leaves them alone:

- a loop over the values of a request's query string or validated parameters
  (`for alias in request.validated.get("updates")`, `request.GET.getlist("tag")`,
  `request.args.getlist(...)`): the filter values or names one client typed, usually one or
  a few, each an indexed lookup (bodhi's list filters and update validators);
- a loop in the code that sets up one account from a login (bodhi's `create_or_update_user`,
  an OIDC backend's `update_user(self, user, claims)`, calibre-web's
  `register_user_with_oauth`, a federated `_create_user(self, user_data)`): it walks the
  groups, roles or providers one identity carries, a handful, once per login, not per page;
- a loop over what a function is handed together with one login name (alerta's
  `get_scopes_by_match(self, login, matches)` walking `matches`, or `[login] + matches`: the
  roles or groups of the user just authenticated): the memberships of one identity, a handful,
  resolved per login or per authenticated request;
- a pass that looks up a table of its own and queries it (nominatim's `table = await
  conn.get_class_table(*category)` per category of a search, directly or in the helper the
  pass calls): one query per table, which no IN or join over one table can merge;
- a loop over the orphans an outer join finds (`query(Entry).join(Book, ...,
  isouter=True).filter(Book.id == None)`, then one delete per entry): the cleanup of rows whose
  parent went away outside the app, almost always none (calibre-web's dangling shelf entries);
- a loop in code that merges records into one (nautobot's IPAddressMergeView): it walks the few
  duplicates a user picked and what hangs off them, once per rare interactive merge;
- a loop of a django-filter FilterSet method (of a class named so, or one that derives from
  such a class in the module: nsot's `ResourceFilter(FilterSet)`, its `DeviceFilter(ResourceFilter)`)
  over its `value` parameter, or over the query data the FilterSet was bound to (`self.data`:
  nsot's `for attribute in self.data.getlist("attributes")`, the `attr=value` terms of one
  filter), directly, through a name bound only to such terms, or split (`value.split(",")`):
  the terms one client put in one request, as for the query string above, bounded by the
  request and not by the rows stored;
- a query under a test that picks one key of the loop (`for k, v in data.items(): if k ==
  "state": ...`): it runs once, for the pass whose key matches, not once per pass;
- a search that stops at the first hit (`for tag in tags: release = ...first(); if release:
  return release`, postorius's `try: get(email=addr.email) ... else: break`): it tries the
  few keys one object carries (a build's tags, a user's addresses) until one is stored;
- a loop whose body cannot reach a second pass (netbox-secrets' `secrets_panel`: `for model
  in self.models: ... return self.render(...)`): every path through the body ends in a
  return, raise or break, none under a test that could skip it, and no `continue`; its
  queries run once. A return under an `if` (the loop may go on) is not this.

A request body is not in the first reading: a list of ids posted to an API can be hundreds
long (a role's permission ids), and a lookup per id there is the N+1 a reviewer raises.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import assignments, parameter_names, walked

__all__ = [
    "at_login",
    "from_request",
    "key_matched",
    "looks_up_table",
    "merges_records",
    "one_pass",
    "over_filter_values",
    "over_login_memberships",
    "over_orphans",
    "over_request_values",
    "stops_at_first_hit",
]

# a function that creates or updates one user account (from the profile an identity provider
# sent at login: quetz's `update_user_from_profile`), or handles a login or an identity
# provider's answer; `users` (a batch) is not one account
_ACCOUNT_FROM_LOGIN = re.compile(
    r"(?i)^_*(?:create|update|register|sync|provision|get_or_create)(?:_or_[a-z]+)?_user"
    r"(?:_(?:groups|roles|qualifications|permissions|with_\w+"
    r"|from_(?:profile|claims|userinfo|user_info|id_token|identity)))?$"
    r"|log_?in|sign_?in|oauth|oidc|openid|\bsso|saml|claims"
)
# the parameter that names the one user a function resolves (`def get_scopes(self, login, ...)`)
_LOGIN_PARAMETERS = frozenset(["login"])
# a call that finds a table to query: `conn.get_class_table(...)`, `sa.Table(name, ...)`
_TABLE_LOOKUP = re.compile(r"(?i)^(?:get|load|lookup|find|reflect)_(?:\w+_)?table$|^Table$")
_IDENTITY_PARAMETERS = frozenset(["claims", "userinfo", "user_info", "id_token"])


def at_login(unit: ast.AST) -> bool:
    """Whether the function `unit` sets up one user's account at login: its name says so, or
    it takes an identity provider's claims.

    Example:
        >>> at_login(ast.parse("def create_or_update_user(db, name, groups): pass").body[0])
        True
        >>> at_login(ast.parse("def update_user_from_profile(db, user, profile): pass").body[0])
        True
        >>> at_login(ast.parse("def create_users(db, rows): pass").body[0])
        False
        >>> at_login(ast.parse("def update_user_sport_preferences(user, ids): pass").body[0])
        False
    """
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    params = parameter_names(unit)
    return bool(_ACCOUNT_FROM_LOGIN.search(unit.name)) or bool(params & _IDENTITY_PARAMETERS)


# what a request carries in its URL or its validated parameters
_PARAMETERS = frozenset(
    ["validated", "GET", "args", "query_params", "params", "matchdict", "query", "rel_url"]
)


def over_login_memberships(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` walks only parameters of a function `unit` that also takes one login name:
    the roles or groups handed in with that login, not rows.

    Example:
        >>> code = "def scopes(self, login, matches):\\n    for m in [login] + matches:\\n        pass"
        >>> fn = ast.parse(code).body[0]
        >>> over_login_memberships(fn.body[0], fn)
        True
        >>> fn = ast.parse(code.replace("[login] + matches", "self.db.rows(login)")).body[0]
        >>> over_login_memberships(fn.body[0], fn)
        False
    """
    source = walked(loop)
    if source is None or not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    params = parameter_names(unit)
    if not params & _LOGIN_PARAMETERS:
        return False
    names = [n for n in ast.walk(source) if isinstance(n, ast.Name)]
    calls = [n for n in ast.walk(source) if isinstance(n, ast.Call)]
    return bool(names) and not calls and all(n.id in params - {"self", "cls"} for n in names)


def over_request_values(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` walks values read from the request's query string or validated
    parameters, directly or through a name `unit` binds only to such a value."""
    source = walked(loop)
    if source is None:
        return False
    return from_request(source, unit, depth=2)


def from_request(expr: ast.expr, unit: ast.AST, *, depth: int) -> bool:
    """`expr` is a parameter value (`request.GET.getlist("tag")`, `params["names"]`), not an
    attribute of one (`request.validated["update"].builds` walks a row the validator loaded).
    A copy of such a value (`copy.copy(data)`, `dict(data)`) carries the same values."""
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and _copies(expr.func):
        return from_request(expr.args[0], unit, depth=depth)
    if isinstance(expr, ast.BoolOp):  # `request.validated.get("builds") or []`
        return all(
            from_request(v, unit, depth=depth) or isinstance(v, ast.List | ast.Tuple)
            for v in expr.values
        )
    root, called = expr, False
    while isinstance(root, ast.Subscript | ast.Attribute | ast.Call):
        if isinstance(root, ast.Attribute):
            if root.attr in _PARAMETERS and _request(root.value):
                return True
            if not called:
                return False
        called = isinstance(root, ast.Call)
        root = root.func if isinstance(root, ast.Call) else root.value
    if depth == 0 or not isinstance(root, ast.Name):
        return False
    values = _bound(unit, root.id)
    return bool(values) and all(
        v is not None and from_request(v, unit, depth=depth - 1) for v in values
    )


def _copies(func: ast.expr) -> bool:
    """`copy.copy`, `copy.deepcopy`, `deepcopy`, `dict`."""
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("copy", "deepcopy", "dict")


def _request(node: ast.expr) -> bool:
    """`request` or `self.request`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "request" and isinstance(node.value, ast.Name)
    return isinstance(node, ast.Name) and node.id in ("request", "req")


def _bound(unit: ast.AST, name: str) -> list[ast.expr | None]:
    """The values `unit` binds to `name` (None for a loop target or an augmented assignment)."""
    out: list[ast.expr | None] = []
    for node in ast.walk(unit):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            out.append(node.value)
        elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor) and name in {
            n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)
        }:
            out.append(None)
    return out


def key_matched(call: ast.Call, body: list[ast.AST], loop_vars: set[str]) -> bool:
    """Whether `call` sits under an `if` of the loop's body that compares a loop variable with
    a constant (`if k == "state" and ...`): it runs for the one pass whose key matches."""
    return any(
        isinstance(node, ast.If)
        and _picks_one(node.test, loop_vars)
        and any(n is call for part in node.body for n in ast.walk(part))
        for stmt in body
        for node in ast.walk(stmt)
    )


def _picks_one(test: ast.expr, loop_vars: set[str]) -> bool:
    """`k == "state"`, or an `and` with such a comparison among its operands."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_picks_one(v, loop_vars) for v in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq | ast.Is):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id in loop_vars for s in sides) and any(
        isinstance(s, ast.Constant) and s.value is not None for s in sides
    )


def looks_up_table(nodes: list[ast.AST]) -> bool:
    """Whether `nodes` (a loop's body, or the function it calls per pass) bind a name to a
    table they look up (`table = await conn.get_class_table(*category)`).

    Example:
        >>> looks_up_table(ast.parse("t = await conn.get_class_table(*c)").body)
        True
    """
    for node in (n for stmt in nodes for n in ast.walk(stmt)):
        if not isinstance(node, ast.Assign):
            continue
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if _TABLE_LOOKUP.match(name):
            return True
    return False


_OUTER = re.compile(r"isouter\s*=\s*True|outerjoin\(")
# the joined row's key is missing (`Book.id == None`), not any column of it (`kobo_sync == None`)
_NO_PARENT = re.compile(r"\.\w*id\s*==\s*None\b|\.\w*id\.is_\(\s*None\s*\)")


def over_orphans(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` walks a name `unit` binds only to an outer join filtered on the joined
    key being missing: the rows left without a parent.

    Example:
        >>> code = ("def f(s):\\n    gone = s.query(E).join(B, E.b == B.id, isouter=True)"
        ...         ".filter(B.id == None).all()\\n    for e in gone:\\n        pass")
        >>> fn = ast.parse(code).body[0]
        >>> over_orphans(fn.body[1], fn)
        True
    """
    source = loop.iter if isinstance(loop, ast.For | ast.AsyncFor) else None
    if not isinstance(source, ast.Name):
        return False
    bound = assignments(unit).get(source.id, [])
    return bool(bound) and all(
        _OUTER.search(text := ast.unparse(v)) and _NO_PARENT.search(text) for v in bound
    )


# `merge_duplicates`, `handle_changes_when_merging_ips`, `IPAddressMergeView`; not `emergency`
_MERGE = re.compile(r"(?:^|_)merg(?:e|es|ing)(?:_|$)|Merg(?:e|es|ing)(?:[A-Z_]|$)")


def merges_records(cls: str, name: str) -> bool:
    """Whether the function `name` (of class `cls`, "" for none) merges records into one: its
    loops walk the few duplicates a user picked to merge and what hangs off them (nautobot's
    IPAddressMergeView), a rare interactive job that writes per item anyway.

    Example:
        >>> merges_records("IPAddressMergeView", "post"), merges_records("", "merge_users")
        (True, True)
        >>> merges_records("EmergencyView", "post"), merges_records("", "list_emergencies")
        (False, False)
    """
    return bool(_MERGE.search(cls) or _MERGE.search(name))


_FILTER_VALUES = frozenset(["value", "values"])
_FILTERSET = re.compile(r"FilterSet\b")


def _filterset(cls: str, classes: dict[str, ast.ClassDef], seen: frozenset[str]) -> bool:
    """The class `cls` is a django-filter FilterSet: named so, or deriving from one (through the
    classes of its module)."""
    if _FILTERSET.search(cls):
        return True
    node = classes.get(cls)
    if node is None or cls in seen:
        return False
    bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
    return any(_filterset(b, classes, seen | {cls}) for b in bases)


def _filter_terms(expr: ast.expr, unit: ast.AST, params: set[str], *, depth: int) -> bool:
    """`expr` is what the request put in a filter: a `value` parameter, the bound query data
    (`self.data.getlist("attributes")`, `self.data["tag"]`), split into pieces, or a name bound
    only to such terms."""
    if isinstance(expr, ast.Name):
        if expr.id in params:
            return True
        values = _bound(unit, expr.id)
        return (
            depth > 0
            and bool(values)
            and all(
                v is not None and _filter_terms(v, unit, params, depth=depth - 1) for v in values
            )
        )
    if isinstance(expr, ast.BoolOp):  # `self.data.getlist("attributes") or []`
        return all(
            _filter_terms(v, unit, params, depth=depth) or isinstance(v, ast.List | ast.Tuple)
            for v in expr.values
        )
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr in ("split", "getlist", "get"):
            return _filter_terms(expr.func.value, unit, params, depth=depth)
        return False
    if isinstance(expr, ast.Subscript):
        return _filter_terms(expr.value, unit, params, depth=depth)
    return (
        isinstance(expr, ast.Attribute)
        and expr.attr == "data"
        and isinstance(expr.value, ast.Name)
        and expr.value.id == "self"
    )


def over_filter_values(
    loop: ast.AST, unit: ast.AST, cls: str, classes: dict[str, ast.ClassDef] | None = None
) -> bool:
    """Whether `loop`, in a method of a django-filter FilterSet class, walks the terms a client
    put in the query string: the method's `value`/`values` parameter (`?prefix=a&prefix=b`) or
    the query data the FilterSet was bound to (`self.data.getlist("attributes")`), a handful per
    request, as in `over_request_values`.

    Example:
        >>> fn = ast.parse("def _strip(self, values):\\n    for v in values:\\n        pass").body[0]
        >>> over_filter_values(fn.body[0], fn, "PrefixFilterSet"), over_filter_values(fn.body[0], fn, "Prefix")
        (True, False)
        >>> code = "def f(self, qs, name, value):\\n    for a in self.data.getlist('a', []):\\n        pass"
        >>> fn = ast.parse(code).body[0]
        >>> over_filter_values(fn.body[0], fn, "DeviceFilterSet")
        True
    """
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if not _filterset(cls, classes or {}, frozenset()):
        return False
    source = walked(loop)
    params = {a.arg for a in unit.args.args} & _FILTER_VALUES
    return source is not None and _filter_terms(source, unit, params, depth=2)


def stops_at_first_hit(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` (a `for`) leaves at its first hit: it returns or breaks under `if
    found:` (`found` a name the pass assigns) or in the `else:` of a `try:` (the lookup did
    not raise), so its queries run until one finds a row, not once for every item. Leaving
    at the first miss (`if not found: return`) still runs a query per item when all exist,
    and a search through a query's rows (pulpcore's publications, newest first, until one
    holds the path) runs one per row of a history that grows.

    Example:
        >>> code = "for tag in tags:\\n    r = s.query(R).filter_by(name=tag).first()\\n    if r:\\n        return r"
        >>> stops_at_first_hit(ast.parse(code).body[0], ast.Pass())
        True
        >>> stops_at_first_hit(ast.parse(code.replace("if r:", "if not r:")).body[0], ast.Pass())
        False
    """
    if not isinstance(loop, ast.For | ast.AsyncFor) or _rows_of_a_query(loop.iter, unit):
        return False
    assigned = {
        t.id
        for node in _own_nodes(loop.body)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in _own_nodes(loop.body):
        if isinstance(node, ast.If) and _found(node.test, assigned) and _leaves(node.body):
            return True
        if isinstance(node, ast.Try) and _leaves(node.orelse):
            return True
    return False


# a source that walks a table: a queryset, a query's results
_QUERY_SOURCE = re.compile(
    r"\.(?:objects|query|filter|exclude|all|iterator|order_by|select_related|execute|scalars)\b"
)


def _rows_of_a_query(source: ast.expr, unit: ast.AST) -> bool:
    """`source`, or a value `unit` assigns to it, reads rows from the database."""
    values: list[ast.expr] = [source]
    if isinstance(source, ast.Name):
        values += [v for v in _bound(unit, source.id) if v is not None]
    return any(_QUERY_SOURCE.search(ast.unparse(v)) for v in values)


def _found(test: ast.expr, assigned: set[str]) -> bool:
    """`if r:` or `if r is not None:` on a name the pass assigned."""
    if isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.IsNot):
        test = test.left
    return isinstance(test, ast.Name) and test.id in assigned


def _own_nodes(body: list[ast.stmt]) -> list[ast.AST]:
    """The nodes of `body`, not descending into inner loops, functions or classes."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        out.append(node)
        if not isinstance(node, _SCOPES):
            todo += list(ast.iter_child_nodes(node))
    return out


_SCOPES = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
)


def _leaves(body: list[ast.stmt]) -> bool:
    """`body` returns or breaks out of the loop it sits in (not out of an inner one)."""
    return any(isinstance(n, ast.Return | ast.Break) for n in _own_nodes(body))


def one_pass(loop: ast.AST) -> bool:
    """Whether `loop` (a `for`) cannot reach a second pass: every path through its body ends
    in a return, raise or break of this loop, and no `continue` of this loop can skip that
    end. An `if` ends the pass only when both its branches do.

    Example:
        >>> code = "for m in ms:\\n    t = T.objects.get(name=m)\\n    return t"
        >>> one_pass(ast.parse(code).body[0])
        True
        >>> one_pass(ast.parse(code.replace("    return", "    if t:\\n        return")).body[0])
        False
    """
    if not isinstance(loop, ast.For | ast.AsyncFor):
        return False
    if any(isinstance(n, ast.Continue) for n in _own_nodes(loop.body)):
        return False
    return _ends(loop.body)


def _ends(body: list[ast.stmt]) -> bool:
    """Every path through `body` leaves the loop it sits in (return, raise, break)."""
    for stmt in body:
        if isinstance(stmt, ast.Return | ast.Raise | ast.Break):
            return True
        if isinstance(stmt, ast.If) and _ends(stmt.body) and _ends(stmt.orelse):
            return True
        if isinstance(stmt, ast.With | ast.AsyncWith) and _ends(stmt.body):
            return True
        if (
            isinstance(stmt, ast.Try)
            and _ends(stmt.body + stmt.orelse)
            and all(_ends(h.body) for h in stmt.handlers)
        ):
            return True
    return False
