"""Queries in a loop that a reviewer would not raise as N+1, for reasons the code shows:

- a loop over what one request carries (the items a user picked, ticked or removed in one
  form, its body included) whose each pass writes the object it read or the item it walks
  (`card = Card.objects.get(pk=i); card.save()`, `Relation.objects.get(pk=i).delete()`), or
  hands the row it read to a write (`update_or_create(kind=kind_read)`, `assign_perm(perm,
  group_read, obj)`): the write is a round trip per item anyway, and a model's own `save()`
  or `delete()` (signals, search index, edit log) is why the object is loaded one by one; an
  IN query would save at most half the round trips (arches' relationship edits, a graph's
  removed functions, the identities a permission form selected, also when the handler hands
  the decoded body to a helper of the same module). A pass that executes a DELETE, UPDATE
  or INSERT built from the row it read is such a write (knowledge-repo's batch tag removal:
  `post_id = query(Post).filter(Post.path == post).first().id`, then
  `session.execute(assoc_post_tag.delete().where(... == post_id))` for each post an editor
  ticked), and a list the handler converts item by item (`posts = [str(x) for x in posts]`)
  holds what the request put there. A pass that only reads and collects (flask-appbuilder's
  `add_role_permissions`: one lookup per posted permission id, appended, the role written
  once after the loop) writes nothing per item: one IN query would replace all its round
  trips, and it is still reported, as is a loop over rows the code queried, or over a list
  some caller fills from elsewhere: it grows with the data;
- the helper called per item keeps what it read in a cache that outlives the call (`if
  codename not in self.perm_cache: self.perm_cache[codename] = ...objects.get(...)`, an
  `lru_cache`d function, or a test that looks the key up: django-ditto's `if
  self.fetched_users.get(flickr_user_id, None) is None:`): it queries once per distinct key
  for the life of the process or of the object holding the cache, not once per pass
  (arches' permission names, ditto's photo owners).
"""

from __future__ import annotations

import ast

from team.audit.repo import calls_in_module, walked

__all__ = ["memoized", "over_request_data", "writes_each_item"]

_OWN_WRITES = frozenset(["save", "delete"])
# writes that take the row read as a value: a link, a permission, a row that points to it
_WRITES_WITH = frozenset(
    ["create", "get_or_create", "update_or_create", "bulk_create", "assign_perm", "remove_perm"]
)
_CACHE_DECORATORS = frozenset(["cache", "lru_cache", "cached", "memoize", "cached_property"])


def writes_each_item(call: ast.Call, body: list[ast.AST], loop_vars: set[str]) -> bool:
    """Whether the pass calls `save()` or `delete()` on the row `call` reads (directly, or on the
    name the pass binds to it) or on the item the loop walks, or hands that row to a write
    (`create(...)`, `assign_perm(...)`).

    Example:
        >>> code = '''
        ... for item in data:
        ...     card = Card.objects.get(pk=item["id"])
        ...     card.save()
        ... '''
        >>> loop = ast.parse(code).body[0]
        >>> call = loop.body[0].value
        >>> writes_each_item(call, loop.body, {"item"})
        True
        >>> loop = ast.parse(code.replace("card.save()", "out.append(card.name)")).body[0]
        >>> writes_each_item(loop.body[0].value, loop.body, {"item"})
        False
    """
    nodes = [n for stmt in body for n in ast.walk(stmt)]
    written = set(loop_vars)
    for node in nodes:
        if isinstance(node, ast.Assign) and any(n is call for n in ast.walk(node.value)):
            written |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    read = written - loop_vars
    for node in (n for n in nodes if isinstance(n, ast.Call)):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _OWN_WRITES and isinstance(func, ast.Attribute):
            receiver = func.value
            if receiver is call or (isinstance(receiver, ast.Name) and receiver.id in written):
                return True
        if name in _WRITES_WITH:
            values = [*node.args, *(k.value for k in node.keywords)]
            if any(isinstance(v, ast.Name) and v.id in read for v in values):
                return True
    return _executes_write(nodes, read)


def _executes_write(nodes: list[ast.AST], read: set[str]) -> bool:
    """The pass executes a DELETE, UPDATE or INSERT statement that uses the row it read
    (knowledge-repo's `post_id = query(Post)...first().id`, then `session.execute(
    assoc_post_tag.delete().where(... == post_id))`, directly or through a name bound to it)."""
    bound = [n for n in nodes if isinstance(n, ast.Assign) and _write_statement(n.value, read)]
    statements = {t.id for n in bound for t in n.targets if isinstance(t, ast.Name)}
    executed = [
        n.args[0]
        for n in nodes
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "execute"
        and n.args
    ]
    return any(
        (isinstance(s, ast.Name) and s.id in statements) or _write_statement(s, read)
        for s in executed
    )


def _write_statement(expr: ast.expr, read: set[str]) -> bool:
    """`table.delete().where(table.c.id == post_id)` with `post_id` a name the pass read."""
    inside = list(ast.walk(expr))
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("delete", "update", "insert")
        and not n.args
        for n in inside
    ) and any(isinstance(n, ast.Name) and n.id in read for n in inside)


def memoized(function: ast.AST | None) -> bool:
    """Whether `function` caches what it reads beyond one call: it is decorated with a cache
    (`functools.lru_cache`, `cache`, django-cache-memoize's `cache_memoize`), or it fills a store under `if key not in store:` whose
    branch sets `store[key] = ...`, where `store` is not a local of the function
    (`self.perm_cache`, a module-level dict).

    Example:
        >>> code = '''
        ... def get_perm_name(self, codename):
        ...     if codename not in self.perm_cache:
        ...         self.perm_cache[codename] = Permission.objects.get(codename=codename)
        ...     return self.perm_cache[codename]
        ... '''
        >>> memoized(ast.parse(code).body[0])
        True
        >>> per_call = code.replace("self.perm_cache", "found")
        >>> per_call = per_call.replace("    if", "    found = {}\\n    if")
        >>> memoized(ast.parse(per_call).body[0])
        False
    """
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _CACHE_DECORATORS or name.endswith("_memoize"):
            return True  # `cache_memoize(timeout)` (django-cache-memoize) too
    local = {
        t.id
        for n in ast.walk(function)
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    return any(_fills_store(node, local) for node in ast.walk(function))


def _fills_store(node: ast.AST, local: set[str]) -> bool:
    """`if key not in store: ... store[key] = value` with `store` outliving the call; the test
    may also look the key up (`if store.get(key) is None:`, `if not store.get(key):`)."""
    if not isinstance(node, ast.If):
        return False
    missing = _missing_key(node.test)
    if missing is None:
        return False
    key_node, store = missing
    root = store
    while isinstance(root, ast.Attribute | ast.Subscript):
        root = root.value
    if isinstance(root, ast.Name) and root.id in local and root is store:
        return False  # a dict built in this call: gone when it returns
    key, text = ast.unparse(key_node), ast.unparse(store)
    return any(
        isinstance(n, ast.Assign)
        and any(
            isinstance(t, ast.Subscript)
            and ast.unparse(t.value) == text
            and ast.unparse(t.slice) == key
            for t in n.targets
        )
        for stmt in node.body
        for n in ast.walk(stmt)
    )


def _missing_key(test: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(key, store) when `test` holds for a key missing from a store: `key not in store`,
    `store.get(key) is None` (a default of None too), `not store.get(key)`.

    Example:
        >>> [ast.unparse(n) for n in _missing_key(ast.parse("k not in seen", mode="eval").body)]
        ['k', 'seen']
        >>> test = ast.parse("self.users.get(k, None) is None", mode="eval").body
        >>> [ast.unparse(n) for n in _missing_key(test)]
        ['k', 'self.users']
        >>> _missing_key(ast.parse("self.users.get(k) is not None", mode="eval").body) is None
        True
    """
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.ops[0], ast.NotIn):
            return test.left, test.comparators[0]
        none = test.comparators[0]
        if (
            isinstance(test.ops[0], ast.Is)
            and isinstance(none, ast.Constant)
            and none.value is None
        ):
            return _looked_up(test.left)
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _looked_up(test.operand)
    return None


def _looked_up(expr: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(key, store) for `store.get(key)` or `store.get(key, None)`, `store` an attribute (an
    object's cache, `self.fetched_users`): a dict handed in as a parameter whose missing keys
    get a default (`if data.get("name") is None: data["name"] = ...`) caches nothing."""
    if not (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and isinstance(expr.func.value, ast.Attribute)
        and expr.func.attr == "get"
        and not expr.keywords
        and 1 <= len(expr.args) <= 2
    ):
        return None
    default = expr.args[1] if len(expr.args) == 2 else None
    if default is not None and not (isinstance(default, ast.Constant) and default.value is None):
        return None
    return expr.args[0], expr.func.value


def over_request_data(loop: ast.AST, unit: ast.AST, module: ast.AST | None = None) -> bool:
    """Whether `loop` walks data the request carries: an expression that reads `request` (its
    body, form, query string), directly or through names `unit` binds only to such data or
    to an empty literal (`ids = []` before `ids = res["ids[]"]`, `res = dict(request.POST)`).

    Example:
        >>> code = '''
        ... def post(self, request):
        ...     data = json.loads(request.body)
        ...     for item in data["selected"]:
        ...         pass
        ... '''
        >>> fn = ast.parse(code).body[0]
        >>> over_request_data(fn.body[1], fn)
        True
        >>> fn = ast.parse(code.replace("request.body", "open(path).read()")).body[0]
        >>> over_request_data(fn.body[1], fn)
        False
    """
    source = walked(loop)
    if source is None:
        return False
    return _carried(source, unit, depth=3) or (
        module is not None and _passed_from_request(source, unit, module)
    )


def _passed_from_request(source: ast.expr, unit: ast.AST, module: ast.AST) -> bool:
    """`source` reads a parameter of `unit` that every call of `unit` in its module fills with
    request data (`self.apply_permissions(data)` after `data = json.loads(request.body)`)."""
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    params = [a.arg for a in (*unit.args.posonlyargs, *unit.args.args)]
    offset = 1 if params[:1] in (["self"], ["cls"]) else 0
    used = {n.id for n in ast.walk(source) if isinstance(n, ast.Name)} & set(params)
    if len(used) != 1:
        return False
    index = params.index(used.pop()) - offset
    passed = []
    for caller, call in calls_in_module(unit, module):
        arg = call.args[index] if 0 <= index < len(call.args) else None
        passed.append(arg is not None and _carried(arg, caller, depth=3))
    return bool(passed) and all(passed)


def _carried(expr: ast.expr, unit: ast.AST, *, depth: int) -> bool:
    """`expr` reads the request, or names bound (`depth` levels back) only to what does."""
    names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    if names & {"request", "req"} or "self.request" in ast.unparse(expr):
        return True
    if depth == 0:
        return False
    for name in names:
        values = [
            node.value
            for node in ast.walk(unit)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ]
        filled = [
            v
            for v in values
            if not (isinstance(v, ast.List | ast.Dict) and not _items(v)) and not _rebinds(v, name)
        ]
        if filled and all(_carried(v, unit, depth=depth - 1) for v in filled):
            return True
    return False


def _items(node: ast.List | ast.Dict) -> list[ast.expr | None]:
    """The elements of a list literal, the keys of a dict literal."""
    return list(node.elts) if isinstance(node, ast.List) else list(node.keys)


def _rebinds(value: ast.expr, name: str) -> bool:
    """`value` converts each item of the name's own earlier value (`posts = [str(x) for x in
    posts]`): it holds what the other assignments put there, item by item."""
    return (
        isinstance(value, ast.ListComp | ast.SetComp | ast.GeneratorExp)
        and len(value.generators) == 1
        and isinstance(value.generators[0].iter, ast.Name)
        and value.generators[0].iter.id == name
    )
