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
"""

from __future__ import annotations

import ast

from team.audit.configured_keys import SETTINGS
from team.audit.passed_in import argument
from team.audit.repo import Repo, is_test
from team.review.calltools import leaf_name

__all__ = ["keyed_by_fixed_callers"]

Function = ast.FunctionDef | ast.AsyncFunctionDef


def keyed_by_fixed_callers(repo: Repo, fn: Function, key: ast.expr) -> bool:
    """Whether `key` is built only from parameters of `fn` (and constants) and every call of
    `fn` outside the tests passes, for each of them, a literal or a read of the settings.

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
        >>> keyed_by_fixed_callers(Scanned(tree), fn, store)
        True
        >>> later = ast.parse("def view(request):\\n    return discover(request.GET['url'])")
        >>> keyed_by_fixed_callers(Scanned(tree, later), fn, store)
        False
    """
    params = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    bound = params[1:] if params[:1] in (["self"], ["cls"]) else params
    names = {n.id for n in ast.walk(key) if isinstance(n, ast.Name)}
    if not names or not names <= set(bound):
        return False
    calls, passed = _uses(repo)
    if fn.name in passed:
        return False  # handed on as a callback (`map(discover, urls)`): who calls it is unknown
    outside = [c for c in calls.get(fn.name, []) if not _inside(fn, c)]
    return (
        bool(outside)
        and all(_fixed(argument(c, name, bound.index(name))) for c in outside for name in names)
        and all(
            _recurses_with(fn, c, name, bound) for c in calls.get(fn.name, []) for name in names
        )
    )


def _uses(repo: Repo) -> tuple[dict[str, list[ast.Call]], set[str]]:
    """Outside the tests: every call by the last name of what it calls (`utils.get_key(...)`
    under `get_key`: a same-named function elsewhere only adds callers to satisfy), and the
    last names read other than as what a call calls (`map(discover, urls)`, `cb=self.fetch`).
    Not `passed_in`'s index: that one keeps the tests' calls and only those inside functions,
    where a memo's callers also count at module level and never in the tests."""
    if "fixed_callers_uses" not in repo.memo:
        calls: dict[str, list[ast.Call]] = {}
        read: set[str] = set()
        for rel, tree in repo.modules():
            if is_test(rel):
                continue
            called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and leaf_name(node.func):
                    calls.setdefault(leaf_name(node.func), []).append(node)
                elif isinstance(node, ast.Name | ast.Attribute) and id(node) not in called:
                    read |= {leaf_name(node)} if isinstance(node.ctx, ast.Load) else set()
        repo.memo["fixed_callers_uses"] = (calls, read)
    uses: tuple[dict[str, list[ast.Call]], set[str]] = repo.memo["fixed_callers_uses"]
    return uses


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


def _fixed(arg: ast.expr | None) -> bool:
    """A literal, or a read of the settings that calls nothing and indexes only by names
    written in the code (`settings.OIDC_ISSUER_URL`, `self.settings[Params.JWKS_URI]`)."""
    if isinstance(arg, ast.Constant):
        return arg.value is not None
    if not isinstance(arg, ast.Attribute | ast.Subscript) or not SETTINGS.search(ast.unparse(arg)):
        return False
    return not any(isinstance(n, ast.Call) for n in ast.walk(arg)) and all(
        isinstance(n.slice, ast.Constant | ast.Attribute)
        for n in ast.walk(arg)
        if isinstance(n, ast.Subscript)
    )
