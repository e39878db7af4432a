"""DRF permission classes read by what they resolve to: a view open to anyone on purpose.

A DRF view lets anyone in on purpose with `AllowAny`, written bare, through its module (the
common spelling, `from rest_framework import permissions` then `permissions.AllowAny`), under an
alias (`from rest_framework.permissions import AllowAny as Public`), or through a name its module
binds (`OPEN = [permissions.AllowAny]`), on the class (`permission_classes = ...`) or on a
function view (`@permission_classes([...])`). The inventory (`web_django.py`) read bare names
only, so longclaw 1.0.2's

    @api_view(["GET"])
    @permission_classes({permissions.AllowAny})
    def shipping_cost(request): ...

counted as authenticated, and its endpoint-no-auth finding on AddressViewSet cited that open
endpoint as the guarded one its app has.

Classes are read as DRF checks them: a list, tuple or set lets anyone in when every class in it
does (an empty one too: no check at all), `A | B` when either does, `A & B` when both do.
Anything else (a call, a class of the repository, a setting) is taken for a real check.
"""

from __future__ import annotations

import ast

from team.audit.endpoints import _dotted
from team.audit.route_strings import bound_value

__all__ = ["OpenPermissions"]

_OPEN = "AllowAny"


def _origins(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it was imported as, for the module's top-level imports."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                out[a.asname or a.name] = f"{node.module or ''}.{a.name}".lstrip(".")
        elif isinstance(node, ast.Import):
            out.update((a.asname, a.name) for a in node.names if a.asname)
    return out


def _opens(value: ast.expr, tree: ast.Module | None, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return all(_opens(e, tree, depth + 1) for e in value.elts)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr | ast.BitAnd):
        sides = (_opens(value.left, tree, depth + 1), _opens(value.right, tree, depth + 1))
        return any(sides) if isinstance(value.op, ast.BitOr) else all(sides)
    dotted = _dotted(value) if isinstance(value, ast.Name | ast.Attribute) else ""
    if not dotted:
        return False
    if tree is not None and isinstance(value, ast.Name):
        bound = bound_value(tree, value.id)
        if bound is not None:
            return _opens(bound, tree, depth + 1)
        dotted = _origins(tree).get(value.id, dotted)
    return dotted.rsplit(".", 1)[-1] == _OPEN


class OpenPermissions:
    """Reads a view's permission classes in the scope of the module that defines the view.

    Example:
        >>> api = ast.parse(
        ...     "from rest_framework import permissions\\n"
        ...     "from rest_framework.permissions import AllowAny as Public\\n"
        ...     "class Rates(APIView):\\n    permission_classes = (permissions.AllowAny,)\\n"
        ...     "class Orders(APIView):\\n    permission_classes = [permissions.IsAdminUser]\\n"
        ...     "@permission_classes([Public])\\ndef cost(request): ...\\n"
        ... )
        >>> rates, orders, cost = api.body[2:]
        >>> read = OpenPermissions([("api.py", api)])
        >>> read.lets_anyone_in(rates, rates.body[0].value), read.declared_open(cost)
        (True, True)
        >>> read.lets_anyone_in(orders, orders.body[0].value)
        False
    """

    def __init__(self, modules: list[tuple[str, ast.Module]]) -> None:
        self._scope: dict[ast.AST, ast.Module] = {}
        for _, tree in modules:
            for top in tree.body:
                if isinstance(top, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    self._scope[top] = tree

    def lets_anyone_in(self, owner: ast.AST, value: ast.expr) -> bool:
        """The permission classes `value`, set on the view `owner`, let anyone in."""
        return _opens(value, self._scope.get(owner))

    def declared_open(self, node: ast.AST) -> bool:
        """A function view decorated `@permission_classes([...])` with classes that let anyone
        in."""
        return any(
            isinstance(d, ast.Call)
            and _dotted(d.func).rsplit(".", 1)[-1] == "permission_classes"
            and bool(d.args)
            and self.lets_anyone_in(node, d.args[0])
            for d in getattr(node, "decorator_list", [])
        )
