"""Functions Django runs when an operator migrates the database, so the N+1 rule
(`performance.py`) leaves their loops alone: a receiver of the `post_migrate` or `pre_migrate`
signal (`@receiver(post_migrate)`, or `post_migrate.connect(handler, sender=self)` in an app's
`ready()`) runs once per migrated app at `manage.py migrate`, a deploy step like the
migrations themselves, never on a request or a job (netbox's `update_object_types` walks the
models of the app just migrated and looks each one's ObjectType up).
"""

from __future__ import annotations

import ast

from team.audit.repo import Repo

__all__ = ["migrate_receivers", "runs_at_migrate"]

_SIGNALS = frozenset(["post_migrate", "pre_migrate"])


def _migrate_signal(expr: ast.expr) -> bool:
    """`post_migrate`, `signals.post_migrate`, or a list or tuple holding one."""
    if isinstance(expr, ast.List | ast.Tuple):
        return any(_migrate_signal(e) for e in expr.elts)
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
    return name in _SIGNALS


def migrate_receivers(repo: Repo) -> frozenset[str]:
    """Names of the functions the repository connects to a migrate signal with
    `post_migrate.connect(handler)` (the handler named, or an attribute's last part).

    Example:
        >>> tree = ast.parse("post_migrate.connect(handlers.create_perms, sender=self)")
        >>> sorted(_connected(tree))
        ['create_perms']
    """
    return frozenset(name for _, tree in repo.modules() for name in _connected(tree))


def _connected(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        match node:
            case ast.Call(func=ast.Attribute(attr="connect", value=signal), args=[handler, *_]):
                if _migrate_signal(signal):
                    name = handler.attr if isinstance(handler, ast.Attribute) else handler
                    out.add(name if isinstance(name, str) else getattr(name, "id", ""))
    return out - {""}


def runs_at_migrate(unit: ast.AST, connected: frozenset[str]) -> bool:
    """Whether the function `unit` receives a migrate signal: decorated with
    `@receiver(post_migrate...)` or named among the `connected` handlers.

    Example:
        >>> code = "@receiver(post_migrate)\\ndef update_types(sender, **kwargs):\\n    pass"
        >>> runs_at_migrate(ast.parse(code).body[0], frozenset())
        True
        >>> code = code.replace("post_migrate", "post_save")
        >>> runs_at_migrate(ast.parse(code).body[0], frozenset())
        False
    """
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if unit.name in connected:
        return True
    return any(
        isinstance(d, ast.Call)
        and getattr(d.func, "id", getattr(d.func, "attr", "")) == "receiver"
        and bool(d.args)
        and _migrate_signal(d.args[0])
        for d in unit.decorator_list
    )
