"""A loop over what two sets of keys differ by, so the N+1 rule (`performance.py`) leaves it
alone: a reconciliation that compares what is stored with what should be (`to_add = wanted -
stored`, `to_update = wanted & stored`, `gone = cached - listed`) walks the drift between two
states, the few items added, removed or changed since the last pass, not the rows of a table.
A query per item of the delta is one statement per change (pypicloud's graceful cache rebuild
deletes the packages gone from storage; OpenStack Placement updates the resource classes whose
inventory a PUT changed).

The delta is read where the loop walks it: a set operation written in the loop (`for pkg in s1
- s2`) or in a comprehension the loop walks, a name the function binds only to one, or a
parameter that every caller in the module fills with one (`_update_inventory(ctx, rp,
to_update)` after `to_update = these & existing`) or with a set of keys written in the call
(`set([rc_id])`, the one class a single update changes).
"""

from __future__ import annotations

import ast

from team.audit.repo import assignments, calls_in_module, walked

__all__ = ["over_delta"]

# set difference, intersection and symmetric difference, as operators or methods
_SET_OPERATORS = (ast.Sub, ast.BitAnd, ast.BitXor)
_SET_METHODS = frozenset(["difference", "intersection", "symmetric_difference"])


def over_delta(loop: ast.AST, unit: ast.AST, module: ast.Module) -> bool:
    """Whether `loop` (inside the function `unit` of `module`) walks a difference or an
    intersection of two sets, directly, through names `unit` binds only to one, or through a
    parameter of `unit` every call in `module` fills with one.

    Example:
        >>> code = '''
        ... def rebuild(db, storage):
        ...     listed = set(storage.list())
        ...     cached = set(db.query(Package).all())
        ...     for pkg in cached - listed:
        ...         db.query(Package).filter(Package.name == pkg.name).delete()
        ... '''
        >>> module = ast.parse(code)
        >>> fn = module.body[0]
        >>> over_delta(fn.body[2], fn, module)
        True
        >>> module = ast.parse(code.replace("cached - listed", "cached"))
        >>> fn = module.body[0]
        >>> over_delta(fn.body[2], fn, module)
        False
    """
    source = walked(loop)
    if source is None:
        return False
    return _delta(source, unit, depth=2) or _passed_delta(source, unit, module)


def _delta(expr: ast.expr, unit: ast.AST, *, depth: int) -> bool:
    """`expr` is a set operation, a comprehension over one, or a name `unit` binds (`depth`
    levels back) only to such values."""
    if isinstance(expr, ast.BinOp):
        return isinstance(expr.op, _SET_OPERATORS)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return expr.func.attr in _SET_METHODS
    if isinstance(expr, ast.Call) and getattr(expr.func, "id", "") == "set" and expr.args:
        return _written(expr.args[0])  # `set([rc_id])`: the one key a caller updates
    if isinstance(expr, ast.Set):
        return _written(expr)
    if isinstance(expr, ast.ListComp | ast.SetComp | ast.GeneratorExp):
        return _delta(expr.generators[0].iter, unit, depth=depth)
    if depth == 0 or not isinstance(expr, ast.Name):
        return False
    values = assignments(unit).get(expr.id, [])
    return bool(values) and all(_delta(v, unit, depth=depth - 1) for v in values)


def _written(expr: ast.expr) -> bool:
    """A list, tuple or set display with no `*` unpacking: its items are written in the code."""
    return isinstance(expr, ast.List | ast.Tuple | ast.Set) and not any(
        isinstance(e, ast.Starred) for e in expr.elts
    )


def _passed_delta(source: ast.expr, unit: ast.AST, module: ast.Module) -> bool:
    """`source` is a parameter of `unit` that every call of `unit` in `module` fills with a
    delta (by position or keyword)."""
    if not isinstance(source, ast.Name) or not isinstance(
        unit, ast.FunctionDef | ast.AsyncFunctionDef
    ):
        return False
    params = [a.arg for a in (*unit.args.posonlyargs, *unit.args.args)]
    if source.id not in params or source.id in assignments(unit):
        return False
    index = params.index(source.id) - (1 if params[:1] in (["self"], ["cls"]) else 0)
    passed = []
    for caller, call in calls_in_module(unit, module):
        by_keyword = [k.value for k in call.keywords if k.arg == source.id]
        arg = by_keyword[0] if by_keyword else None
        if arg is None and 0 <= index < len(call.args):
            arg = call.args[index]
        passed.append(arg is not None and _delta(arg, caller, depth=2))
    return bool(passed) and all(passed)
