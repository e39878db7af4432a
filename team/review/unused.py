"""Random draws whose result nothing reads: no seed is missing where no number depends on it.

A draw bound to names (`validation = data.series.sample(20)`, `ds = data.train_test_split()`)
matters only if later code reads those names for more than showing them. Two shapes are common
in examples: the result is overwritten before anything reads it (pytorch-forecasting's N-BEATS
script samples validation series, then rebinds `validation` to a time-cutoff dataset), or it is
only displayed (a notebook cell that splits and shows the split, whose metrics all come from a
later, seeded split). Anything else that reads a name, in the same block or from a nested
function, counts as a use.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import PRINTS
from team.review.randomness import Usage

__all__ = ["printed_alone", "unused_result_reason"]

_DISPLAY = PRINTS | {"repr"}
# Calls that only show something: a draw that only picks what they show changes no number.
_SHOW_CALLS = frozenset(PRINTS | {"imshow", "image", "images", "show", "matshow", "title"})


def _bound_names(stmt: ast.Assign) -> list[str] | None:
    """The plain names an assignment binds (tuples unpacked), or None for any other target."""
    out: list[str] = []
    todo: list[ast.expr] = list(stmt.targets)
    while todo:
        target = todo.pop()
        if isinstance(target, ast.Name):
            out.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            todo.extend(target.elts)
        else:
            return None
    return out


def _block(use: Usage, stmt: ast.stmt) -> list[ast.stmt] | None:
    """The statement list `stmt` sits in (a module's, a function's, a branch's body)."""
    parent = use.up(stmt)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is stmt for s in block):
            return block
    return None


def _in_loop(use: Usage, stmt: ast.stmt) -> bool:
    """`stmt` runs repeatedly: a loop encloses it within its function or module."""
    parent = use.up(stmt)
    while parent is not None and not isinstance(
        parent, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
    ):
        if isinstance(parent, ast.For | ast.AsyncFor | ast.While):
            return True
        parent = use.up(parent)
    return False


def printed_alone(use: Usage, node: ast.expr, printers: frozenset[str] = PRINTS) -> bool:
    """`print(node)` as a statement of its own: the value is shown and goes nowhere else."""
    parent = use.up(node)
    return (
        isinstance(parent, ast.Call)
        and node in parent.args
        and isinstance(parent.func, ast.Name)
        and parent.func.id in printers
        and isinstance(use.up(parent), ast.Expr)
    )


def _displayed(use: Usage, load: ast.Name) -> bool:
    """The name is only shown: a notebook's bare `ds`, `print(ds)`, an image it picks
    (`plt.imshow(x_test[idx])`), or the examples a loop shows one by one (`for i in picked:`
    whose body only binds names and shows)."""
    parent = use.up(load)
    if isinstance(parent, ast.Expr) or printed_alone(use, load, _DISPLAY):
        return True
    if isinstance(parent, ast.For) and parent.iter is load:
        return all(_shows_only(stmt) for stmt in parent.body) and not _leaves(use, parent)
    node: ast.AST = load
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call):
            if _shows(parent):
                return isinstance(use.up(parent), ast.Expr)
            if parent.func is not node:  # handed to a computation (`model.fit(x[idx])`)
                return False
        node, parent = parent, use.up(parent)
    return False


def _leaves(use: Usage, loop: ast.For) -> bool:
    """A name the loop binds is read after it (`total = total + score`, printed later)."""
    inside = {id(n) for n in ast.walk(loop)}
    bound = {
        t.id
        for stmt in loop.body
        if isinstance(stmt, ast.Assign)
        for t in stmt.targets
        if isinstance(t, ast.Name)
    }
    return any(id(load) not in inside for name in bound for load in use.loads.get(name, []))


def _shows(call: ast.Call) -> bool:
    """A call that only shows: print, imshow, ..., or a plotting helper (`plot_series`)."""
    name = leaf_name(call.func)
    return name in _SHOW_CALLS or name.startswith("plot")


def _shows_only(stmt: ast.stmt) -> bool:
    """A loop-body statement that only binds a plain name or shows something."""
    if isinstance(stmt, ast.Assign):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _shows(stmt.value)


def _rebinds(stmt: ast.stmt, name: str) -> bool:
    return isinstance(stmt, ast.Assign) and name in (_bound_names(stmt) or [])


def _read_after(use: Usage, block: list[ast.stmt], start: int, name: str) -> str | None:
    """How `name`, bound at block[start], is next read: "used", "shown", or "rebound at line N"
    when a plain assignment replaces it first; None when nothing reads it."""
    shown = False
    for stmt in block[start + 1 :]:
        loads = [
            n
            for n in ast.walk(stmt)  # `mask[selection] = False` reads it in a target
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
        ]
        if any(not _displayed(use, load) for load in loads):
            return "used"
        shown = shown or bool(loads)
        if _rebinds(stmt, name):
            return f"rebound at line {stmt.lineno}"
    return "shown" if shown else None


def _read_elsewhere(use: Usage, block: list[ast.stmt], name: str) -> bool:
    """Some load of `name` lies outside the block's own statements (in a function defined in
    the block, say): it may run at any time, so the value counts as used."""
    own = {id(n) for stmt in block for n in ast.walk(stmt) if not _nested(stmt)}
    home = _function_of(use, block[0])
    return any(
        (id(load) not in own or _in_def(use, load, block)) and not _local_there(use, load, home)
        for load in use.loads.get(name, [])
    )


def _function_of(use: Usage, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    func = use.up(node)
    while func is not None:
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            return func
        func = use.up(func)
    return None


def _local_there(use: Usage, load: ast.Name, home: ast.AST | None) -> bool:
    """The read is, in another function than the draw's, of that function's own variable of
    the name (a parameter or a name it binds, not declared global): another variable."""
    func = _function_of(use, load)
    if func is None or func is home:
        return False
    args = func.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    bound = {
        n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    declared = {g for n in ast.walk(func) if isinstance(n, ast.Global) for g in n.names}
    return load.id in (params | bound) - declared


def _nested(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _in_def(use: Usage, node: ast.AST, block: list[ast.stmt]) -> bool:
    """`node` sits in a function or lambda nested inside one of the block's statements."""
    tops = {id(stmt) for stmt in block}
    parent = use.up(node)
    while parent is not None and id(parent) not in tops:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return True
        parent = use.up(parent)
    return False


def unused_result_reason(use: Usage, call: ast.Call) -> str | None:
    """Why no result depends on this draw (its names are never read but to be shown, or are
    rebound first); else None. A draw whose names nothing reads at all is still reported: a
    notebook that ends on its split may be continued elsewhere."""
    stmt, _ = use.holder(call)
    if not isinstance(stmt, ast.Assign) or stmt.value is not call:
        return None
    names = _bound_names(stmt)
    block = _block(use, stmt)
    if not names or block is None:
        return None
    start = next(i for i, s in enumerate(block) if s is stmt)
    earlier = block[:start] if _in_loop(use, stmt) else []  # read on the next pass
    fates = []
    for name in names:
        if _read_elsewhere(use, block, name) or any(
            isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
            for s in earlier
            for n in ast.walk(s)
        ):
            return None
        fate = _read_after(use, block, start, name)
        if fate == "used":
            return None
        fates.append(fate)
    if any(f and f.startswith("rebound") for f in fates):
        where = next(f for f in fates if f and f.startswith("rebound"))
        return f"its result is never read ({', '.join(names)} {where} first)"
    if any(fates):
        return "its result is only displayed, no number depends on it"
    return None  # never read at all: a snippet whose use may follow elsewhere, still read
