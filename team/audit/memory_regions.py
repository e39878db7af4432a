"""A dogpile.cache memory region with no expiry memoizing per-user results.

module-build-service configures `region = make_region().configure("dogpile.cache.memory")` and
decorates `get_ldap_group_membership(uid)` with `@region.cache_on_arguments()`: with no
`expiration_time` on the region or the decorator, the process keeps one entry per user forever,
and a user's group changes (gaining or losing rights) are never seen until a restart. Only a
function that takes a user (a parameter named for one) is reported: its keys grow with the
users, and what it caches is theirs to change.
"""

from __future__ import annotations

import ast
import re

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo

__all__ = ["memory_region_findings"]

_MEMORY = frozenset(["dogpile.cache.memory", "dogpile.cache.memory_pickle"])
_MEMOIZERS = frozenset(["cache_on_arguments", "cache_multi_on_arguments"])
_USER = re.compile(r"(?i)^(?:uid|user(?:_?(?:id|name))?|username|login|email|account(?:_id)?)$")


def memory_region_findings(repo: Repo, rel: str, tree: ast.Module) -> list[RoleFinding]:
    """`@region.cache_on_arguments()` with no expiry, on a function that takes a user, where
    `region` is a module-level dogpile memory region configured with no `expiration_time`."""
    regions = _unexpiring_regions(tree)
    out: list[RoleFinding] = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        users = [a.arg for a in fn.args.args if _USER.match(a.arg)]
        for deco in fn.decorator_list:
            region = _memoizing_region(deco)
            if region not in regions or not users:
                continue
            out.append(
                finding(
                    "unbounded-cache",
                    rel,
                    deco.lineno,
                    f"@{ast.unparse(deco)} on {fn.name}({users[0]}) keeps one entry per user "
                    f"in a memory region with no expiration_time (line {regions[region]}): it "
                    "grows with the users and serves stale per-user results until a restart; "
                    "set expiration_time",
                    evidence=repo.line_text(rel, deco.lineno),
                )
            )
    return out


def _unexpiring_regions(tree: ast.Module) -> dict[str, int]:
    """Module-level region name -> line of its `configure(...)` with a memory backend and no
    `expiration_time` (`region = make_region().configure("dogpile.cache.memory")`, or a
    `region.configure(...)` statement of its own)."""
    out: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
            name = target.id if isinstance(target, ast.Name) else ""
        elif isinstance(stmt, ast.Expr):
            value = stmt.value
            func = value.func if isinstance(value, ast.Call) else None
            receiver = func.value if isinstance(func, ast.Attribute) else None
            name = receiver.id if isinstance(receiver, ast.Name) else ""
        else:
            continue
        if name and _configures_memory(value):
            out[name] = stmt.lineno
    return out


def _configures_memory(value: ast.expr) -> bool:
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "configure"
    ):
        return False
    backends = value.args[:1] + [k.value for k in value.keywords if k.arg == "backend"]
    return any(isinstance(b, ast.Constant) and b.value in _MEMORY for b in backends) and not any(
        k.arg == "expiration_time" for k in value.keywords
    )


def _memoizing_region(deco: ast.expr) -> str:
    """`region` of `@region.cache_on_arguments(...)` with no `expiration_time` of its own."""
    if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
        return ""
    if deco.func.attr not in _MEMOIZERS or any(k.arg == "expiration_time" for k in deco.keywords):
        return ""
    receiver = deco.func.value
    return receiver.id if isinstance(receiver, ast.Name) else ""
