"""Queries per value of one submitted payload in a serializer or a form, which the N+1 rule
(`performance.py`) leaves alone.

DRF's `validate`, `validate_<field>` and `to_internal_value`, and a Django form's `clean` and
`clean_<field>`, check the one payload a client submitted. A loop there over a value of that
payload (the domain names given for one account, the groups named for one user) that raises
a validation error inside the loop resolves each name to a row so that it can say which one
does not exist: one indexed lookup per value the client typed, a handful, on a write, and
the error per value is why the lookups are one by one (modoboa's `WritableAccountSerializer.
validate`, galaxy-ng's `UserSerializer.to_internal_value`). A loop over rows the hook
queried itself, or one that raises nothing, is still reported.

A serializer's `create` or `update` walks its `validated_data`, the same payload once checked:
`over_validated_data` lets the N+1 rule read it as what one request carries, so a pass that
writes with the row it read (tomtoolkit's `assign_perm(perm, group, record)` per group named)
is the write per item the rule already accepts for a request's body (`written_each.py`). A
lookup per value with no write per pass (galaxy-ng's `SyncListSerializer.create` resolving
every collection named, then one `set()`) is still reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.repo import parameter_names, walked

__all__ = ["over_validated_data", "validates_each_value"]

_HOOKS = re.compile(r"^(?:validate(?:_\w+)?|to_internal_value|clean(?:_\w+)?)$")
_VALIDATORS = ("Serializer", "Form")


def validates_each_value(loop: ast.AST, unit: ast.AST, cls: ast.ClassDef | None) -> bool:
    """Whether `loop` walks a value handed to a serializer's or form's validation hook `unit`
    (of class `cls`) and raises inside its body.

    Example:
        >>> code = '''
        ... class AccountSerializer(ModelSerializer):
        ...     def validate(self, data):
        ...         names = data.get("domains")
        ...         for name in names:
        ...             if not Domain.objects.filter(name=name).first():
        ...                 raise ValidationError(name)
        ...         return data
        ... '''
        >>> cls = ast.parse(code).body[0]
        >>> hook = cls.body[0]
        >>> validates_each_value(hook.body[1], hook, cls)
        True
        >>> validates_each_value(hook.body[1], hook, None)
        False
    """
    if cls is None or not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if not _HOOKS.match(unit.name) or not _validator(cls):
        return False
    source = walked(loop)
    if source is None or not _raises(loop):
        return False
    return _from_parameters(source, unit, parameter_names(unit) - {"self", "cls"}, depth=2)


def over_validated_data(loop: ast.AST, unit: ast.AST, cls: ast.ClassDef | None) -> bool:
    """Whether `loop` walks the `validated_data` a serializer's `create` or `update` (`unit`,
    of class `cls`) is handed.

    Example:
        >>> code = '''
        ... class RecordSerializer(ModelSerializer):
        ...     def create(self, validated_data):
        ...         groups = validated_data.pop("groups", [])
        ...         for group in groups:
        ...             pass
        ... '''
        >>> cls = ast.parse(code).body[0]
        >>> hook = cls.body[0]
        >>> over_validated_data(hook.body[1], hook, cls)
        True
        >>> hook.name = "save_groups"
        >>> over_validated_data(hook.body[1], hook, cls)
        False
    """
    if cls is None or not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if unit.name not in ("create", "update") or not _validator(cls):
        return False
    source = walked(loop)
    params = [a.arg for a in unit.args.args[1:]]
    return source is not None and _from_parameters(source, unit, set(params[-1:]), depth=2)


def _validator(cls: ast.ClassDef) -> bool:
    """A serializer or a form by its name or one of its bases' names."""
    names = [cls.name, *(ast.unparse(b).rsplit(".", 1)[-1] for b in cls.bases)]
    return any(n.endswith(_VALIDATORS) for n in names)


def _raises(loop: ast.AST) -> bool:
    body = getattr(loop, "body", [])
    return any(isinstance(n, ast.Raise) for stmt in body for n in ast.walk(stmt))


def _from_parameters(expr: ast.expr, unit: ast.AST, params: set[str], *, depth: int) -> bool:
    """Every name `expr` reads is a parameter of the hook, or a name the hook binds only to
    an expression of its parameters (`names = data.get("domains")`); no query runs in it."""
    names = [n.id for n in ast.walk(expr) if isinstance(n, ast.Name)]
    if not names or any(_queries(n) for n in ast.walk(expr)):
        return False
    for name in names:
        if name in params:
            continue
        bound = [
            node.value
            for node in ast.walk(unit)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ]
        if depth == 0 or not bound:
            return False
        if not all(_from_parameters(v, unit, params, depth=depth - 1) for v in bound):
            return False
    return True


def _queries(node: ast.AST) -> bool:
    """A call on a manager or a queryset (`Group.objects.filter(...)`, `.all()`)."""
    return isinstance(node, ast.Attribute) and node.attr in ("objects", "all", "filter", "query")
