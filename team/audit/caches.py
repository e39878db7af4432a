"""The Performance Engineer's unbounded-cache rule: a memo that only grows with what callers pass.

A module-level dict named like a cache, or an `@cache`/`@lru_cache(None)` function, is reported
only when its entries pile up per value a caller hands in: the key comes from a parameter of the
function that stores it. It is not reported when the key is a class or a model (one entry per
class of the program), when the key reads the settings (one entry per configuration, built at
start-up) or is checked against a settings mapping before the store (`configured_keys.py`),
when every value the key can take is written in the code (`'re_only' if
real_estate_only else 'full'`, a bool or an enum argument: two or a few entries), when the stored
value is a lock (a few bytes per key, not cached data), or when the value is read from a file (one
entry per file on disk), there or in a function of the same module it calls, two calls deep
(cherrymusic's schema per database name, loaded by `_loaddef` from the definitions it ships). Nor is a dict its module empties or prunes (`.pop`, `.clear`, `del`,
or a function that rebinds it to `{}` or to its own entries that pass a test, such as the
unexpired ones), nor one of a Django management command's module: the command's process exits
with the one run the memo serves (squad's backfill commands memoize per build URL or project).
Nor an `@cache` on a method of a class hashed by value that the code builds only from constants
(`value_instances.py`: one entry per value written in the code), nor a dict keyed by a parameter
that every caller fills with a literal or a settings value (`fixed_callers.py`: byro's discovery
document per `settings.OIDC_ISSUER_URL`).
"""

from __future__ import annotations

import ast
import re

from team.audit.configured_keys import SETTINGS, checked_against_settings
from team.audit.core import RoleFinding, finding
from team.audit.fixed_callers import keyed_by_fixed_callers
from team.audit.memory_regions import memory_region_findings
from team.audit.repo import Repo, assignments, is_management_command, is_test, parameter_names
from team.audit.value_instances import fixed_value_instances

__all__ = ["cache_findings"]

_NAME = re.compile(r"(?i)cache|memo")
# a cache keyed by a model, class or type holds one entry per class of the program
_TYPE_KEY = re.compile(r"(?i)^(?:model|cls|klass|class_?|type|kind|module)\w*$")
_LOCKS = frozenset(["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition"])
_FILE_READS = re.compile(
    r"\bopen\(|\.read_(?:text|bytes)\(|\b(?:json|yaml|toml|tomllib|pickle)\.\w*load\("
)
_UNBOUNDED = re.compile(
    r"(?:functools\.)?cache|(?:functools\.)?lru_cache\(\s*(?:maxsize\s*=\s*)?None\s*\)"
)

Function = ast.FunctionDef | ast.AsyncFunctionDef


_FEW_VALUES = re.compile(r"bool|(?:typing\.)?Literal\[.*\]|\w*(?:Enum|Kind|Mode|Level)")


def _small_domain(fn: Function) -> bool:
    """Every argument takes a handful of values (no argument, bool, Literal[...], an Enum):
    an unbounded cache of such a function holds a few entries at most."""
    for arg in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]:
        ann = ast.unparse(arg.annotation) if arg.annotation else ""
        if not _FEW_VALUES.fullmatch(ann):
            return False
    return not (fn.args.vararg or fn.args.kwarg)


def _flags(fn: Function) -> set[str]:
    """Parameters that take a handful of values: annotated bool, Literal[...] or an enum, or
    defaulting to True/False (`real_estate_only=False`)."""
    args = [*fn.args.posonlyargs, *fn.args.args]
    defaults: list[ast.expr | None] = [None] * (len(args) - len(fn.args.defaults))
    defaults += [*fn.args.defaults, *fn.args.kw_defaults]
    return {
        a.arg
        for a, default in zip([*args, *fn.args.kwonlyargs], defaults, strict=True)
        if (a.annotation is not None and _FEW_VALUES.fullmatch(ast.unparse(a.annotation)))
        or (isinstance(default, ast.Constant) and isinstance(default.value, bool))
    }


def _fixed_key(fn: Function, key: ast.expr, depth: int = 3) -> bool:
    """Every value the key can take is written in the code: a constant, a choice between
    constants (`'re_only' if real_estate_only else 'full'`), a comparison or `not` (a bool), a
    tuple of such, a bool/enum parameter, or a local name only ever bound to one of these.
    A memo keyed so holds two or a few entries (pyramid-oereb's `_processor_cache`)."""
    if isinstance(key, ast.Constant | ast.Compare):
        return True
    if isinstance(key, ast.UnaryOp) and isinstance(key.op, ast.Not):
        return True
    if isinstance(key, ast.IfExp):
        return _fixed_key(fn, key.body, depth) and _fixed_key(fn, key.orelse, depth)
    if isinstance(key, ast.Tuple):
        return bool(key.elts) and all(_fixed_key(fn, e, depth) for e in key.elts)
    if not isinstance(key, ast.Name) or depth == 0:
        return False
    if key.id in _flags(fn):
        return True
    values = assignments(fn).get(key.id, [])
    return bool(values) and all(_fixed_key(fn, v, depth - 1) for v in values)


def _memo_dicts(tree: ast.Module) -> dict[str, int]:
    """Module-level empty dicts named like a cache or memo: name -> line."""
    out: dict[str, int] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        value = node.value
        empty = (isinstance(value, ast.Dict) and not value.keys) or (
            isinstance(value, ast.Call) and ast.unparse(value.func) == "dict" and not value.args
        )
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if empty and isinstance(target, ast.Name) and _NAME.search(target.id):
                out.setdefault(target.id, node.lineno)
    return out


def _stores(fn: Function, names: set[str]) -> list[tuple[str, ast.expr, ast.expr]]:
    """(dict, key, value) of every `d[key] = value` and `d.setdefault(key, value)` in `fn`."""
    out: list[tuple[str, ast.expr, ast.expr]] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in names
                ):
                    out.append((target.value.id, target.slice, node.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in names
            and len(node.args) == 2
        ):
            out.append((node.func.value.id, node.args[0], node.args[1]))
    return out


def _key_sources(fn: Function, key: ast.expr) -> tuple[set[str], str]:
    """The names a key is built from, following local assignments (`key = (a, b)`) two steps
    back, and the text of everything it was built from."""
    assigned = assignments(fn)
    names: set[str] = set()
    texts = [ast.unparse(key)]
    todo = [key]
    for _ in range(3):
        following: list[ast.expr] = []
        for expr in todo:
            for sub in ast.walk(expr):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.add(sub.id)
                    following += assigned.get(sub.id, [])
        texts += [ast.unparse(e) for e in following]
        todo = following
    return names, " ".join(texts)


def _grows_per_caller(
    fn: Function, key: ast.expr, value: ast.expr, functions: dict[str, Function]
) -> bool:
    """Whether a store adds an entry per value the function's callers pass in (see module);
    `functions` are the module's own, by name."""
    params = parameter_names(fn)
    names, built_from = _key_sources(fn, key)
    sources = (names & params) - {"self", "cls"}
    if not sources or any(_TYPE_KEY.match(n) or n[:1].isupper() for n in sources):
        return False
    if _fixed_key(fn, key):
        return False
    if SETTINGS.search(built_from):
        return False
    if isinstance(value, ast.Call) and ast.unparse(value.func).rsplit(".", 1)[-1] in _LOCKS:
        return False
    if checked_against_settings(fn, key, value):
        return False  # one entry per key the configuration names (`configured_keys.py`)
    return not _reads_files(fn, functions)


def _reads_files(fn: Function, functions: dict[str, Function], depth: int = 2) -> bool:
    """`fn` reads a file, or calls by name a function of its module that does, `depth` calls
    deep.

    Example:
        >>> tree = ast.parse(
        ...     "def get(name):\\n    return load(name)\\n"
        ...     "def load(name):\\n    return open(name).read()"
        ... )
        >>> functions = {f.name: f for f in tree.body}
        >>> _reads_files(functions["get"], functions), _reads_files(functions["get"], {})
        (True, False)
    """
    if _FILE_READS.search(ast.unparse(fn)):
        return True
    called = {
        c.func.id for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
    }
    return depth > 0 and any(
        _reads_files(functions[name], functions, depth - 1)
        for name in sorted(called & set(functions) - {fn.name})
    )


def _reset_elsewhere(tree: ast.Module, name: str) -> bool:
    """A function declares the cache `global` and binds it to a new empty dict (motionEye's
    `list_devices()` sets `_ctrls_cache = {}` when the devices are listed again), or to the
    entries of its own that pass a test (fmn's `_cache_collect_garbage` keeps
    `{k: v for k, v in cache.items() if v.expires_at > now}`): entries are dropped, as by
    `.clear()` or `.pop()`."""
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        declared = any(isinstance(n, ast.Global) and name in n.names for n in ast.walk(fn))
        if declared and any(
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
            and (
                (isinstance(n.value, ast.Dict) and not n.value.keys)
                or (isinstance(n.value, ast.Call) and ast.unparse(n.value) == "dict()")
                or _pruned(n.value, name)
            )
            for n in ast.walk(fn)
        ):
            return True
    return False


def _pruned(value: ast.expr, name: str) -> bool:
    """`{k: v for k, v in name.items() if ...}`: the cache's own entries, filtered."""
    if not isinstance(value, ast.DictComp) or len(value.generators) != 1:
        return False
    walked = value.generators[0]
    return bool(walked.ifs) and any(
        isinstance(n, ast.Name) and n.id == name for n in ast.walk(walked.iter)
    )


def _offered(repo: Repo, tree: ast.Module, fn: Function) -> bool:
    """`fn` is a module-level decorator, or the wrapper it returns, that no module of the
    repository applies or calls (chainlit's public `cl.cache`): a memo offered to the
    package's users, whose size is set by what they decorate, not by the requests served."""
    outer = next(
        (
            d
            for d in tree.body
            if isinstance(d, ast.FunctionDef | ast.AsyncFunctionDef)
            and (d is fn or fn in d.body)
            and any(
                isinstance(r, ast.Return)
                and isinstance(r.value, ast.Name)
                and any(
                    isinstance(w, ast.FunctionDef | ast.AsyncFunctionDef) and w.name == r.value.id
                    for w in d.body
                )
                for r in d.body
            )
        ),
        None,
    )
    return outer is not None and not any(
        _uses(mod, outer.name) for rel, mod in repo.modules() if not is_test(rel)
    )


def _uses(module: ast.Module, name: str) -> bool:
    """The module decorates with or calls `name` (`@cache`, `@cl.cache`, `cache(f)`)."""
    for node in ast.walk(module):
        targets = (
            node.decorator_list
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            else [node.func]
            if isinstance(node, ast.Call)
            else []
        )
        for t in targets:
            t = t.func if isinstance(t, ast.Call) else t
            if (isinstance(t, ast.Name) and t.id == name) or (
                isinstance(t, ast.Attribute) and t.attr == name
            ):
                return True
    return False


def _dict_findings(repo: Repo, rel: str, tree: ast.Module) -> list[RoleFinding]:
    memos = _memo_dicts(tree)
    if not memos:
        return []
    text = repo.text(rel)
    functions = {
        f.name: f for f in tree.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    growing: set[str] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for name, key, value in _stores(fn, set(memos)):
                if (
                    _grows_per_caller(fn, key, value, functions)
                    and not _offered(repo, tree, fn)
                    and not keyed_by_fixed_callers(repo, fn, key, tree)  # `fixed_callers.py`
                ):
                    growing.add(name)
    out = []
    for name in sorted(growing, key=memos.__getitem__):
        quoted = re.escape(name)
        if re.search(rf"\b{quoted}\.(?:pop|popitem|clear)\(|\bdel\s+{quoted}\[", text):
            continue
        if _reset_elsewhere(tree, name):
            continue
        line = memos[name]
        out.append(
            finding(
                "unbounded-cache",
                rel,
                line,
                f"'{name}' only ever grows (no eviction, no size bound): one entry per value "
                "its callers pass in; use a bounded LRU/TTL cache",
                evidence=repo.line_text(rel, line),
            )
        )
    return out


def _decorator_findings(repo: Repo, rel: str, tree: ast.Module, web: bool) -> list[RoleFinding]:
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        is_method = [a.arg for a in fn.args.args][:1] == ["self"]
        for deco in fn.decorator_list:
            text = ast.unparse(deco)
            if _UNBOUNDED.fullmatch(text) and (is_method or (web and not _small_domain(fn))):
                if is_method and fixed_value_instances(repo, tree, fn):
                    continue  # one entry per value written in the code (`value_instances.py`)
                why = (
                    "keeps every instance it was called on alive"
                    if is_method
                    else "grows with every distinct request argument"
                )
                out.append(
                    finding(
                        "unbounded-cache",
                        rel,
                        deco.lineno,
                        f"@{text} on {fn.name}() has no size bound and {why}; set a "
                        "maxsize or a TTL",
                        evidence=repo.line_text(rel, deco.lineno),
                    )
                )
    return out


def cache_findings(repo: Repo, web_files: set[str]) -> list[RoleFinding]:
    """Unbounded caches outside tests: memo dicts that grow per caller's value, unbounded
    `@cache` on methods or on functions of modules that serve endpoints (`web_files`), and
    per-user memos in a dogpile memory region that never expires (`memory_regions.py`)."""
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        if not is_management_command(rel):  # its process ends with the run the memo serves
            out += _dict_findings(repo, rel, tree)
        out += _decorator_findings(repo, rel, tree, rel in web_files)
        out += memory_region_findings(repo, rel, tree)
    return out
