"""A memo keyed by a parameter that every caller fills with a value written in the code or read
from the settings, so the unbounded-cache rule (`caches.py`) counts one entry per such value.

byro's `discover(issuer_url)` stores the OpenID discovery document under `issuer_url` in a
module-level dict, and its four callers all pass `settings.OIDC_ISSUER_URL`: one entry, the
configured issuer. supysonic's `get_secret_key(keyname)` is called with `"daemon_key"` and
`"cookies_secret"`: two entries. The function's own parameter says nothing of who fills it; its
callers do. One caller that passes anything else (a request's value, a row, a parameter of its
own) keeps the memo reported, and so does a function the repository never calls, one it hands
on as a callback (`map(discover, urls)`: its callers are not in sight), and one that calls
itself with anything but the parameter it was given (`crawl(link)` inside `crawl(url)`).

The key may be computed from the parameters (terracotta's `get_driver(url_or_path, provider)`
stores under `cache_key = (normalized_path, provider, os.getpid())`, built by the module's own
functions), followed through the function's plain assignments to its parameters, builtins, the
module's classes, a per-process call on an imported module (`os.getpid()`, `os.path.*(...)`)
and the module's functions whose returned values pass the same test one hop down (terracotta's
`load_driver(provider)` returns the class it imports); any other name (a request, a loop
variable, `flask.request...`, `time.time()`, a `current_tenant()` reading the request) keeps it
reported. A caller may also pass a parameter's default by leaving it out, read the process's
environment (`os.environ["DB"]`; a WSGI app's `environ` is the request's), or call it in the
body of a click or typer command (`@click.command()`, `@cli.command()` on a `click.group`,
`@app.command()` on a `typer.Typer()`) outside any loop: the command runs once per process, one
entry per run (as a Django management command's memo, which `caches.py` passes over).
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

from team.audit.configured_keys import SETTINGS
from team.audit.passed_in import argument
from team.audit.repo import Repo, assignments, is_test
from team.review.calltools import leaf_name

__all__ = ["keyed_by_fixed_callers"]

Function = ast.FunctionDef | ast.AsyncFunctionDef

# `os.getenv("DB")`, `os.environ.get("DB")`, `os.environ["DB"]`: not a WSGI request's `environ`
_ENVIRON = re.compile(r"os\.(?:getenv|environ\.get|environ)")
# a call on an imported module that gives one value per process and input
_PER_PROCESS = re.compile(r"os\.getpid|os\.path\.\w+")
# a class's name: CapWords (`MySQLMetaStore`), not `request` or `time`
_CLASS = re.compile(r"_?[A-Z]\w*[a-z]\w*")
# what makes a group of click or typer commands (`cli = click.Group()`, `app = typer.Typer()`)
_MAKERS = ("group", "Group", "Typer")
# what a command's body runs more than once, or not at its run
_NOT_ONCE = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


def keyed_by_fixed_callers(repo: Repo, fn: Function, key: ast.expr, module: ast.Module) -> bool:
    """Whether `key` is built only from parameters of `fn` (see module) and every call of `fn`
    outside the tests passes, for each of them, a literal, a read of the settings or of the
    environment, or its default, or sits in a command-line command's body (`module` holds `fn`).

    Example:
        >>> tree = ast.parse(
        ...     "cache = {}\\n"
        ...     "def discover(url):\\n    cache[url] = fetch(url)\\n"
        ...     "def login():\\n    return discover(settings.ISSUER_URL)\\n"
        ...     "def keys():\\n    return discover('https://idp.example')\\n"
        ... )
        >>> fn, store = tree.body[1], tree.body[1].body[0].targets[0].slice
        >>> class Scanned:
        ...     def __init__(self, *trees):
        ...         self.trees, self.memo = trees, {}
        ...     def modules(self):
        ...         return [(f"m{n}.py", t) for n, t in enumerate(self.trees)]
        >>> keyed_by_fixed_callers(Scanned(tree), fn, store, tree)
        True
        >>> later = ast.parse("def view(request):\\n    return discover(request.GET['url'])")
        >>> keyed_by_fixed_callers(Scanned(tree, later), fn, store, tree)
        False
    """
    params = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    bound = params[1:] if params[:1] in (["self"], ["cls"]) else params
    own = _packages(repo)
    names = _parameters_of(fn, key, bound, module, own)
    if not names:
        return False
    calls, passed, once = _uses(repo)
    if fn.name in passed:
        return False  # handed on as a callback (`map(discover, urls)`): who calls it is unknown
    outside = [c for c in calls.get(fn.name, []) if not _inside(fn, c)]
    defaults = _defaults(fn, bound)
    return (
        bool(outside)
        and all(
            id(c) in once or _passes_fixed(c, name, bound, defaults)
            for c in outside
            for name in names
        )
        and all(
            _recurses_with(fn, c, name, bound) for c in calls.get(fn.name, []) for name in names
        )
    )


def _packages(repo: Repo) -> frozenset[str]:
    """The project's top packages: the first folder of each module (below `src/`), and the
    reviewed folder's own name when it is a package (terracotta's `terracotta/`)."""
    parts = [Path(rel).parts for rel, _ in repo.modules()]
    own = {p[1] if p[0] == "src" else p[0] for p in parts if len(p) > 1 + (p[0] == "src")}
    root = getattr(repo, "root", None)
    if isinstance(root, Path) and ("__init__.py",) in parts:
        own.add(root.name)
    return frozenset(own)


def _parameters_of(
    fn: Function, key: ast.expr, bound: list[str], module: ast.Module, own: frozenset[str]
) -> set[str] | None:
    """The parameters `key` is built from, following names `fn` binds only by plain assignment;
    None when it also reads a name that is none of these, a builtin, a class of `module`, an
    imported module's per-process call (`os.getpid()`) or a function of `module` whose returned
    values pass this test in turn (`_returns_fixed`); `own` holds the project's packages."""
    params = _reads(fn, key, bound, module, own, hops=1)
    return params or None


def _reads(
    fn: Function,
    expr: ast.expr,
    bound: list[str],
    module: ast.Module,
    own: frozenset[str],
    *,
    hops: int,
) -> set[str] | None:
    """The parameters in `bound` that `expr` reads in `fn`, or None when it reads anything else
    (see `_parameters_of`); a function of `module` is followed `hops` calls down."""
    assigned = assignments(fn)
    stores: dict[str, int] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
    imported, known, functions = _module_names(module)
    params: set[str] = set()
    seen: set[str] = set()
    todo: list[ast.expr] = [expr]
    while todo:
        top = todo.pop()
        per_process = {
            id(_head(n.func))
            for n in ast.walk(top)
            if isinstance(n, ast.Call) and _PER_PROCESS.fullmatch(ast.unparse(n.func))
        }
        for sub in ast.walk(top):
            if not isinstance(sub, ast.Name):
                continue
            if sub.id in imported and sub.id not in bound and sub.id not in assigned:
                if id(sub) not in per_process:
                    return None  # `flask.request...`, `time.time()`: not one value per process
                continue
            if sub.id in seen:
                continue
            seen.add(sub.id)
            if stores.get(sub.id, 0) != len(assigned.get(sub.id, [])):
                return None  # bound by a loop, a `with`, an unpacking: not followed
            todo += assigned.get(sub.id, [])
            if sub.id in bound:
                params.add(sub.id)
            elif sub.id in functions and sub.id not in assigned:
                if hops == 0 or not _returns_fixed(functions[sub.id], module, own, hops=hops - 1):
                    return None
            elif sub.id not in assigned and sub.id not in known:
                return None
    return params


def _returns_fixed(fn: Function, module: ast.Module, own: frozenset[str], *, hops: int) -> bool:
    """Every value `fn` returns is a class it imports for itself from the project's own
    packages `own` (terracotta's `load_driver`: `from terracotta.drivers.mysql_meta_store import
    MySQLMetaStore`; not `from flask import request` or `from time import time`) or reads only
    what `_reads` lets a key read, its own parameters included."""
    args = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)}
    classes = {
        alias.asname or alias.name
        for node in ast.walk(fn)
        if isinstance(node, ast.ImportFrom)
        and (node.level > 0 or (node.module or "").split(".")[0] in own)
        for alias in node.names
        if _CLASS.fullmatch(alias.name)
    }
    return all(
        (isinstance(node.value, ast.Name) and node.value.id in classes)
        or _reads(fn, node.value, sorted(args), module, own, hops=hops) is not None
        for node in ast.walk(fn)
        if isinstance(node, ast.Return) and node.value is not None
    )


def _head(node: ast.expr) -> ast.expr:
    """The name an attribute chain starts from (`os` of `os.path.abspath`)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def _module_names(module: ast.Module) -> tuple[set[str], set[str], dict[str, Function]]:
    """The modules `module` imports (`import os`), the builtins and its classes, and its
    functions by name."""
    imported: set[str] = set()
    known = set(dir(builtins))
    functions: dict[str, Function] = {}
    for node in module.body:
        if isinstance(node, ast.Import):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ClassDef):
            known.add(node.name)
        elif isinstance(node, Function):
            functions[node.name] = node
    return imported, known, functions


def _defaults(fn: Function, bound: list[str]) -> dict[str, ast.expr]:
    """Parameter -> its default value."""
    args = [*fn.args.posonlyargs, *fn.args.args]
    pairs = zip(
        [a.arg for a in args[len(args) - len(fn.args.defaults) :]], fn.args.defaults, strict=True
    )
    return {name: value for name, value in pairs if name in bound}


def _passes_fixed(
    call: ast.Call, name: str, bound: list[str], defaults: dict[str, ast.expr]
) -> bool:
    """`call` passes `name` a fixed value (`_fixed`), or leaves it to a constant default."""
    arg = argument(call, name, bound.index(name))
    if arg is not None:
        return _fixed(arg)
    spread = any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )
    return not spread and isinstance(defaults.get(name), ast.Constant)


def _uses(repo: Repo) -> tuple[dict[str, list[ast.Call]], set[str], set[int]]:
    """Outside the tests: every call by the last name of what it calls (`utils.get_key(...)`
    under `get_key`: a same-named function elsewhere only adds callers to satisfy), and the
    last names read other than as what a call calls (`map(discover, urls)`, `cb=self.fetch`).
    Not `passed_in`'s index: that one keeps the tests' calls and only those inside functions,
    where a memo's callers also count at module level and never in the tests. And the ids of
    the calls a command-line command makes once per run (`_once_per_run`)."""
    if "fixed_callers_uses" not in repo.memo:
        calls: dict[str, list[ast.Call]] = {}
        read: set[str] = set()
        once: set[int] = set()
        for rel, tree in repo.modules():
            if is_test(rel):
                continue
            once |= _once_per_run(tree)
            called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and leaf_name(node.func):
                    calls.setdefault(leaf_name(node.func), []).append(node)
                elif isinstance(node, ast.Name | ast.Attribute) and id(node) not in called:
                    read |= {leaf_name(node)} if isinstance(node.ctx, ast.Load) else set()
        repo.memo["fixed_callers_uses"] = (calls, read, once)
    uses: tuple[dict[str, list[ast.Call]], set[str], set[int]] = repo.memo["fixed_callers_uses"]
    return uses


def _once_per_run(module: ast.Module) -> set[int]:
    """Ids of the calls in the body of a click or typer command (`_commands`) outside any loop,
    comprehension or nested function: one call per run."""
    out: set[int] = set()
    for fn in _commands(module):
        todo: list[ast.AST] = list(fn.body)
        while todo:
            node = todo.pop()
            if isinstance(node, _NOT_ONCE):
                continue
            out |= {id(node)} if isinstance(node, ast.Call) else set()
            todo += ast.iter_child_nodes(node)
    return out


def _commands(module: ast.Module) -> list[Function]:
    """The functions a `.command`/`.group` decorator makes a command of, when the decorator
    is called on click or typer (as imported) or on a group made of them: a function a group
    decorator makes, or a name bound to `click.group(...)`, `click.Group(...)` or
    `typer.Typer(...)`. A chat bot's `@bot.command()` handler runs once per message."""
    heads: set[str] = set()  # what `.command` may be called on
    bare: set[str] = set()  # `from click import command`
    makers: set[str] = set()  # what makes a group: `click.group`, `typer.Typer`
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("click", "typer"):
                    heads.add(alias.asname or alias.name)
                    makers |= {f"{alias.asname or alias.name}.{m}" for m in _MAKERS}
        elif isinstance(node, ast.ImportFrom) and node.module in ("click", "typer"):
            for alias in node.names:
                bare |= (
                    {alias.asname or alias.name} if alias.name in ("command", "group") else set()
                )
                makers |= {alias.asname or alias.name} if alias.name in _MAKERS else set()

    def decorators(node: ast.AST) -> list[str]:
        if not isinstance(node, Function):
            return []
        return [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]

    def command(text: str) -> bool:
        head, _, leaf = text.rpartition(".")
        return text in bare or (leaf in ("command", "group") and head in heads)

    for _ in range(2):  # a group of a group
        for node in ast.walk(module):
            if isinstance(node, Function) and any(
                command(d) and d.endswith("group") for d in decorators(node)
            ):
                heads.add(node.name)
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and ast.unparse(node.value.func) in makers
            ):
                heads |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return [
        fn
        for fn in ast.walk(module)
        if isinstance(fn, Function) and any(command(d) for d in decorators(fn))
    ]


def _inside(fn: Function, call: ast.Call) -> bool:
    return any(node is call for node in ast.walk(fn))


def _recurses_with(fn: Function, call: ast.Call, name: str, bound: list[str]) -> bool:
    """A call outside `fn`, or one inside it (itself again) that passes `name` on unchanged:
    `crawl(link)` inside `crawl(url)` adds a key per link it finds."""
    if not _inside(fn, call):
        return True
    passed = argument(call, name, bound.index(name))
    rebound = any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(fn)
    )
    return isinstance(passed, ast.Name) and passed.id == name and not rebound


def _environ(arg: ast.expr | None) -> bool:
    """A read of one environment variable named in the code (`os.environ["DB"]`,
    `os.getenv("DB", "tc.sqlite")`)."""
    if isinstance(arg, ast.Subscript) and _ENVIRON.fullmatch(ast.unparse(arg.value)):
        return isinstance(arg.slice, ast.Constant)
    if isinstance(arg, ast.Call) and _ENVIRON.fullmatch(ast.unparse(arg.func)):
        return not arg.keywords and all(isinstance(a, ast.Constant) for a in arg.args)
    return False


def _fixed(arg: ast.expr | None) -> bool:
    """A literal, a read of the environment by a name written in the code, or a read of the
    settings that calls nothing and indexes only by names written in the code
    (`settings.OIDC_ISSUER_URL`, `self.settings[Params.JWKS_URI]`)."""
    if isinstance(arg, ast.Constant):
        return arg.value is not None
    if _environ(arg):
        return True
    if not isinstance(arg, ast.Attribute | ast.Subscript) or not SETTINGS.search(ast.unparse(arg)):
        return False
    return not any(isinstance(n, ast.Call) for n in ast.walk(arg)) and all(
        isinstance(n.slice, ast.Constant | ast.Attribute)
        for n in ast.walk(arg)
        if isinstance(n, ast.Subscript)
    )
