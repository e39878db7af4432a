"""Functions Django runs when an operator migrates the database, so the N+1 rule
(`performance.py`) leaves their loops alone: a receiver of the `post_migrate` or `pre_migrate`
signal (`@receiver(post_migrate)`, or `post_migrate.connect(handler, sender=self)` in an app's
`ready()`) runs once per migrated app at `manage.py migrate`, a deploy step like the
migrations themselves, never on a request or a job (netbox's `update_object_types` walks the
models of the app just migrated and looks each one's ObjectType up).
"""

from __future__ import annotations

import ast

from team.audit.modules import import_statements, imported_names, module_names
from team.audit.repo import Repo

__all__ = ["migrate_receivers", "runs_at_migrate"]

_SIGNALS = frozenset(["post_migrate", "pre_migrate"])


def _migrate_signal(expr: ast.expr) -> bool:
    """`post_migrate`, `signals.post_migrate`, or a list or tuple holding one."""
    if isinstance(expr, ast.List | ast.Tuple):
        return any(_migrate_signal(e) for e in expr.elts)
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
    return name in _SIGNALS


def migrate_receivers(repo: Repo) -> frozenset[tuple[str, str]]:
    """(file, name) of the functions the repository connects to a migrate signal with
    `post_migrate.connect(handler)`: a handler named bare is the module's own function or the
    one it imports under that name; `handlers.create_perms` is `create_perms` of the module
    imported as `handlers`; `self.create_perms` or `Config.create_perms` is a method of the same
    module. A handler whose module is not in the repository exempts nothing.

    Example:
        >>> tree = ast.parse("from app import handlers\\n"
        ...                  "post_migrate.connect(handlers.create_perms, sender=self)")
        >>> sorted(_connected("app/apps.py", tree, {"app.handlers": "app/handlers.py"}))
        [('app/handlers.py', 'create_perms')]
    """
    names = module_names(repo)
    return frozenset(key for rel, tree in repo.modules() for key in _connected(rel, tree, names))


def _connected(rel: str, tree: ast.Module, names: dict[str, str]) -> set[tuple[str, str]]:
    bound: dict[str, str] = {}  # local name -> the dotted module or module member it is
    for node in import_statements(tree, every=True):
        for alias, candidates in zip(node.names, imported_names(rel, node), strict=False):
            local = alias.asname or alias.name.split(".")[0]
            plain = isinstance(node, ast.Import) and not alias.asname  # `import a.b` binds `a`
            bound[local] = local if plain else candidates[0]
    own = {"self", "cls"} | {c.name for c in tree.body if isinstance(c, ast.ClassDef)}
    out: set[tuple[str, str]] = set()
    for call in ast.walk(tree):
        match call:
            case ast.Call(func=ast.Attribute(attr="connect", value=signal), args=[handler, *_]):
                if _migrate_signal(signal):
                    out |= _handler(rel, handler, bound, own, names)
    return out


def _handler(
    rel: str, handler: ast.expr, bound: dict[str, str], own: set[str], names: dict[str, str]
) -> set[tuple[str, str]]:
    """The (file, name) `handler` means, or none when its module is not the repository's
    (`own`: `self`, `cls` and the module's classes)."""
    match handler:
        case ast.Name(id=name) if name not in bound:
            return {(rel, name)}
        case ast.Name(id=name):
            module = bound[name].rsplit(".", 1)[0]  # `from core.signals import sync`
        case ast.Attribute(value=ast.Name(id=owner), attr=name) if owner in own:
            return {(rel, name)}  # `self.create_perms`, `AppConfig.update_sequences`
        case ast.Attribute(value=owner, attr=name):
            head, _, rest = ast.unparse(owner).partition(".")
            if head not in bound:
                return set()
            module = ".".join(p for p in (bound[head], rest) if p)  # `signals.sync_types`
        case _:
            return set()
    return {(names[module], name)} if module in names else set()


def runs_at_migrate(unit: ast.AST, rel: str, connected: frozenset[tuple[str, str]]) -> bool:
    """Whether the function `unit` of the file `rel` receives a migrate signal: decorated with
    `@receiver(post_migrate...)` or among the `connected` handlers.

    Example:
        >>> code = "@receiver(post_migrate)\\ndef update_types(sender, **kwargs):\\n    pass"
        >>> runs_at_migrate(ast.parse(code).body[0], "m.py", frozenset())
        True
        >>> code = code.replace("post_migrate", "post_save")
        >>> runs_at_migrate(ast.parse(code).body[0], "m.py", frozenset())
        False
    """
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if (rel, unit.name) in connected:
        return True
    return any(
        isinstance(d, ast.Call)
        and getattr(d.func, "id", getattr(d.func, "attr", "")) == "receiver"
        and bool(d.args)
        and _migrate_signal(d.args[0])
        for d in unit.decorator_list
    )
