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
`[A-Za-z0-9_.]`; no `-`, since `--` comments out the rest of the query, and no range across
kinds such as `[A-z]`, which holds the backtick) or a `path()` converter `int` or `uuid`; and
when every call of the view in the reviewed folder (a caller in a sibling package is not read)
passes a constant, a loop variable over a list of constants bound once and never grown
(`append`, `extend`, `+=`), or a parameter of its own view that the same reading holds for and
that it does not change (`object_table_query` passes its own routed `objtype`). Identifier
characters are harmless only where an identifier goes: every paste into SQL text must follow
`from`, `join`, `into`, `update` or `table` and spaces, or `name.` (`WHERE id = %s` with `id`
reads every row); a group of digits (`\\d+`, `int`) may go anywhere. A decorator or wrapper of
the view defined in the repository that writes the parameter (`kwargs["objtype"]`) or passes
something else on in its place keeps it outside data; a library's (`login_required`) is not
read. A caller nothing names is dead code (`uncalled`). A wider group (`.+`, `[^/]+`), a
`str`, `slug` or `path` converter, a route that does not capture the parameter or whose text is
not a literal, any other use of the view's name (handed to a helper, listed, looked up; a
view named like its own parameter, which fails closed), or no route at all keeps the
parameter outside data.
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
# no `slug`: it holds `-`, and `--` comments out the rest of the query
_CONVERTERS = frozenset({"int", "uuid"})
# a class item: \w, \d, a range a-z, A-Z or 0-9 (not `[A-z]`, which holds `` ` `` and `\\`),
# a letter, digit, `_` or `.` (no lone `-`)
_ITEM = r"(?:\\[wd]|[a-z]-[a-z]|[A-Z]-[A-Z]|[0-9]-[0-9]|[A-Za-z0-9_.])"
_IDENTIFIER = re.compile(rf"(?:(?:\\[wd]|\[{_ITEM}+\])(?:[+*?]|\{{\d+(?:,\d*)?\}})?)+")
_DIGITS = re.compile(r"(?:\\d|\[0-9\]|\[\\d\])(?:[+*?]|\{\d+(?:,\d*)?\})?")
# where an identifier goes: after `from`/`join`/`into`/`update`/`table`, or after `name.`
_BEFORE_IDENTIFIER = re.compile(r"(?i)(?:\b(?:from|join|into|update|table)\s+|\w\.)$")
_SQL = re.compile(r"(?i)\b(?:select|insert|update|delete|from|where|join)\b")
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


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
    kind = _routed(repo, rel, fn, name, 0)
    return kind == "digits" or (kind == "identifier" and _pasted_as_identifier(fn, name))


def _routed(repo: Repo, rel: str, fn: Function, name: str, depth: int) -> str | None:
    """How the routes of `fn` capture `name`: "digits" when every route captures a group of
    digits (and callers pass digits), "identifier" for identifier characters, else None."""
    tree = repo.tree(rel)
    if tree is None or fn not in tree.body or depth > 2 or _rewrapped(repo, tree, fn, name):
        return None
    names = _view_names(tree, fn)
    index = _index(fn, name)
    routed = False
    kinds: set[str] = set()
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
                    kind = _fixed(repo, other, node, passed, caller, depth)
                    if kind is None:
                        return None
                    kinds.add(kind)
            elif _call_name(node) in _ROUTES and len(node.args) >= 2:
                target = _peeled(node.args[1])
                if _refers(target, local):
                    seen.add(id(target))
                    if _changed_by(repo, _wrappers(node.args[1]), fn, name):
                        return None
                    route = _str(node.args[0])
                    kind = None if route is None else _captures_identifier(node, route, name)
                    if kind is None:
                        return None
                    kinds.add(kind)
                    routed = True
        if any(
            (_refers(n, local) and id(n) not in seen) or _names_view(n, names)
            for n in ast.walk(module)
        ):
            return None  # the view's name used some other way, or as a string: not followed
    if not routed:
        return None
    return "digits" if kinds == {"digits"} else "identifier"


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


def _captures_identifier(call: ast.Call, route: str, name: str) -> str | None:
    """How the route captures `name`: "digits" or "identifier" characters only, else None."""
    if _call_name(call) == "path":
        match = re.search(rf"<(?:(\w+):)?{re.escape(name)}>", route)
        if match is None or match.group(1) not in _CONVERTERS:
            return None
        return "digits" if match.group(1) == "int" else "identifier"
    body = _group(route, name)
    if body is None or _IDENTIFIER.fullmatch(body) is None:
        return None
    return "digits" if _DIGITS.fullmatch(body) else "identifier"


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
) -> str | None:
    """What `call` passes is a constant, a loop variable over a list of constants, or a
    parameter of a view whose routes capture it as an identifier: "digits" for an integer or
    a parameter routed as digits, "identifier" otherwise, None when it may hold anything."""
    if passed is None:  # left to its default, unless spread from `*args` or `**kwargs`
        spread = any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        )
        return None if spread else "identifier"
    if isinstance(passed, ast.Constant):
        return "digits" if isinstance(passed.value, int) else "identifier"
    if not isinstance(passed, ast.Name) or caller is None:
        return None
    loops = [
        n
        for n in ast.walk(caller)
        if isinstance(n, ast.For) and isinstance(n.target, ast.Name) and n.target.id == passed.id
    ]
    bound = _bindings(caller)
    if loops:
        fixed = all(_constants(loop.iter, bound) for loop in loops) and passed.id not in bound
        return "identifier" if fixed else None
    if passed.id in parameter_names(caller) and passed.id not in bound:
        return _routed(repo, rel, caller, passed.id, depth + 1)
    return None


def _bindings(fn: Function) -> dict[str, list[ast.expr]]:
    """`assignments(fn)`, with a name changed in place counted as bound again: the target of
    `+=` or of an annotated assignment, the receiver of `append`, `extend` or `insert`."""
    bound = assignments(fn)
    for node in ast.walk(fn):
        if isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(node.target, ast.Name):
            bound.setdefault(node.target.id, []).append(node.value or node.target)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "extend", "insert"}
            and isinstance(node.func.value, ast.Name)
        ):
            bound.setdefault(node.func.value.id, []).append(node)
    return bound


def _constants(iterable: ast.expr, bound: dict[str, list[ast.expr]]) -> bool:
    """A list or tuple of constants, written there or bound once to the name walked."""
    if isinstance(iterable, ast.Name) and len(bound.get(iterable.id, [])) == 1:
        iterable = bound[iterable.id][0]
    return isinstance(iterable, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) for e in iterable.elts
    )


def _pasted_as_identifier(fn: Function, name: str) -> bool:
    """Every paste of `name` (or of a local or loop variable made from it) into SQL text in
    `fn` follows `from`, `join`, `into`, `update` or `table` and spaces, or `name.`: pasted
    where a value goes (`WHERE id = %s`), a word is a column (`id`, every row)."""
    tainted = {name}
    grew = True
    while grew:
        grew = False
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign | ast.For):
                value = node.value if isinstance(node, ast.Assign) else node.iter
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _reads(value, tainted):
                    new = {t.id for t in targets if isinstance(t, ast.Name)} - tainted
                    tainted |= new
                    grew = grew or bool(new)
    return all(
        _BEFORE_IDENTIFIER.search(before) is not None
        for node in ast.walk(fn)
        for before, value in _pastes(node)
        if _SQL.search(before) and _reads(value, tainted)
    )


def _reads(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _pastes(node: ast.AST) -> list[tuple[str, ast.expr]]:
    """(the literal text of the string before the paste, the value pasted) for a `%` format,
    an f-string, a `+` of a literal and a value, or a `.format()` of a literal."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _literal(node.left):
        text = _literal(node.left) or ""
        marks = [m for m in _PLACEHOLDER.finditer(text) if m.group() != "%%"]
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        if len(marks) != len(values):  # a mapping, or a count not read: every value anywhere
            return [(text, node.right)]
        return [  # `%d` makes a number of what it is given: no text
            (text[: m.start()], v)
            for m, v in zip(marks, values, strict=True)
            if m.group()[-1] not in "dif"
        ]
    if isinstance(node, ast.JoinedStr):
        out, text = [], ""
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                out.append((text, part.value))
            text += _literal(part) or "{}"
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _literal(node.left):
        return [(_literal(node.left) or "", node.right)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _literal(node.func.value)
    ):
        text = _literal(node.func.value) or ""
        return [(text, v) for v in [*node.args, *(k.value for k in node.keywords)]]
    return []


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.right)  # `"select " + "from "`: the end is what comes before
    return None


def _rewrapped(repo: Repo, tree: ast.Module, fn: Function, name: str) -> bool:
    """A decorator of `fn`, or a wrapper `fn` is bound in, defined in the repository whose
    code changes `name` on its way to the view (`_changes`). Library wrappers
    (`login_required`) are not read; they pass the captured values on."""
    wrappers = {_call_leaf(d) for d in fn.decorator_list}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            wrappers |= _wrappers(node.value)
    return _changed_by(repo, wrappers, fn, name)


def _wrappers(view: ast.expr) -> set[str]:
    """The names of the calls a view is wrapped in: `login_required(jsonp(show))`."""
    out = set()
    while isinstance(view, ast.Call) and view.args:
        out.add(_call_leaf(view))
        view = view.args[0]
    return out


def _changed_by(repo: Repo, wrappers: set[str], fn: Function, name: str) -> bool:
    wrappers = wrappers - {"", "as_view"}
    index = _index(fn, name)
    return bool(wrappers) and any(
        isinstance(node, ast.FunctionDef | ast.ClassDef)
        and node.name in wrappers
        and _changes(node, name, index)
        for _, module in repo.modules()
        for node in ast.walk(module)
    )


def _call_leaf(node: ast.expr) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _changes(wrapper: ast.FunctionDef | ast.ClassDef, name: str, index: int) -> bool:
    # the wrapped function reaches the wrapper as a parameter (`def jsonp(f)`, `__call__(self, f)`)
    passers = {
        a.arg for n in ast.walk(wrapper) if isinstance(n, ast.FunctionDef) for a in n.args.args
    } - {"self", "request"}
    for node in ast.walk(wrapper):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.slice, ast.Constant)
            and node.slice.value == name
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in passers
        ):
            passed = argument(node, name, index)
            if passed is not None and not (isinstance(passed, ast.Name) and passed.id == name):
                return True
    return False
