"""Queries in a loop that run a handful of times for reasons the loop's source or body shows,
so the N+1 rule (`performance.py`) leaves them alone:

- a loop over the values of a request's query string or validated parameters
  (`for alias in request.validated.get("updates")`, `request.GET.getlist("tag")`,
  `request.args.getlist(...)`): the filter values or names one client typed, usually one or
  a few, each an indexed lookup (bodhi's list filters and update validators);
- a query under a test that picks one key of the loop (`for k, v in data.items(): if k ==
  "state": ...`): it runs once, for the pass whose key matches, not once per pass.

A request body is not in the first reading: a list of ids posted to an API can be hundreds
long (a role's permission ids), and a lookup per id there is the N+1 a reviewer raises.
"""

from __future__ import annotations

import ast

__all__ = ["key_matched", "over_request_values"]

# what a request carries in its URL or its validated parameters
_PARAMETERS = frozenset(
    ["validated", "GET", "args", "query_params", "params", "matchdict", "query", "rel_url"]
)


def over_request_values(loop: ast.AST, unit: ast.AST) -> bool:
    """Whether `loop` walks values read from the request's query string or validated
    parameters, directly or through a name `unit` binds only to such a value."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        source = loop.iter
    elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        source = loop.generators[0].iter
    else:
        return False
    return _from_request(source, unit, depth=2)


def _from_request(expr: ast.expr, unit: ast.AST, *, depth: int) -> bool:
    """`expr` is a parameter value (`request.GET.getlist("tag")`, `params["names"]`), not an
    attribute of one (`request.validated["update"].builds` walks a row the validator loaded)."""
    if isinstance(expr, ast.BoolOp):  # `request.validated.get("builds") or []`
        return all(
            _from_request(v, unit, depth=depth) or isinstance(v, ast.List | ast.Tuple)
            for v in expr.values
        )
    root, called = expr, False
    while isinstance(root, ast.Subscript | ast.Attribute | ast.Call):
        if isinstance(root, ast.Attribute):
            if root.attr in _PARAMETERS and _request(root.value):
                return True
            if not called:
                return False
        called = isinstance(root, ast.Call)
        root = root.func if isinstance(root, ast.Call) else root.value
    if depth == 0 or not isinstance(root, ast.Name):
        return False
    values = _bound(unit, root.id)
    return bool(values) and all(
        v is not None and _from_request(v, unit, depth=depth - 1) for v in values
    )


def _request(node: ast.expr) -> bool:
    """`request` or `self.request`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "request" and isinstance(node.value, ast.Name)
    return isinstance(node, ast.Name) and node.id in ("request", "req")


def _bound(unit: ast.AST, name: str) -> list[ast.expr | None]:
    """The values `unit` binds to `name` (None for a loop target or an augmented assignment)."""
    out: list[ast.expr | None] = []
    for node in ast.walk(unit):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            out.append(node.value)
        elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor) and name in {
            n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)
        }:
            out.append(None)
    return out


def key_matched(call: ast.Call, body: list[ast.AST], loop_vars: set[str]) -> bool:
    """Whether `call` sits under an `if` of the loop's body that compares a loop variable with
    a constant (`if k == "state" and ...`): it runs for the one pass whose key matches."""
    return any(
        isinstance(node, ast.If)
        and _picks_one(node.test, loop_vars)
        and any(n is call for part in node.body for n in ast.walk(part))
        for stmt in body
        for node in ast.walk(stmt)
    )


def _picks_one(test: ast.expr, loop_vars: set[str]) -> bool:
    """`k == "state"`, or an `and` with such a comparison among its operands."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_picks_one(v, loop_vars) for v in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq | ast.Is):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id in loop_vars for s in sides) and any(
        isinstance(s, ast.Constant) and s.value is not None for s in sides
    )
