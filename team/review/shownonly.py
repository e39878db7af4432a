"""Draws that only show something in a teaching notebook, or that a zero knob switches off.

ml4climate's and mlprac's course notebooks draw numbers to show them: `print(np.random.rand(5))`
shows what NumPy's random functions return, an `ipywidgets.interact(plot, ...)` demo draws a new
sample each time a slider moves (its first parameter is literally `Resample`), and an optional
`np.random.normal(...) * NOISE_LEVEL` with `NOISE_LEVEL = 0.` adds nothing. No result changes
between runs, so none is an unseeded experiment. Narrow on purpose: the draw is an argument of
`print`/`display` itself (in a notebook), the function it is drawn in is handed to `interact`
and returns nothing, or it is multiplied by a literal zero or by a name only ever bound to one.
"""

from __future__ import annotations

import ast

from team.review.catalog import words
from team.review.randomness import Usage, enclosing_function
from team.review.sources import SourceFile
from team.review.unused import printed_alone

__all__ = ["shown_only_reason"]

_INTERACT = words("interact interactive interact_manual")


def shown_only_reason(use: Usage, call: ast.Call, src: SourceFile) -> str | None:
    """Why the bare draw `call` changes no result (printed, redrawn, or times zero); else None."""
    if src.cells is not None and printed_alone(use, call):
        return "a notebook prints the draw itself to show what it returns, no result depends on it"
    if _redrawn_by_interact(use, call):
        return "drawn afresh each time an interactive demo (ipywidgets' interact) redraws"
    if _times_zero(use, call):
        return "multiplied by zero (a knob set to 0), it changes nothing"
    return None


def _redrawn_by_interact(use: Usage, call: ast.Call) -> bool:
    func = enclosing_function(use, call)
    if func is None or any(isinstance(n, ast.Return) and n.value for n in ast.walk(func)):
        return False
    loads = use.loads.get(func.name, [])
    return bool(loads) and all(_handed_to_interact(use, load) for load in loads)


def _handed_to_interact(use: Usage, load: ast.Name) -> bool:
    parent = use.up(load)
    return (
        isinstance(parent, ast.Call)
        and parent.args[:1] == [load]
        and isinstance(parent.func, ast.Name | ast.Attribute)
        and (parent.func.id if isinstance(parent.func, ast.Name) else parent.func.attr) in _INTERACT
    )


def _times_zero(use: Usage, call: ast.Call) -> bool:
    node: ast.AST = call
    while isinstance(parent := use.up(node), ast.BinOp):
        if isinstance(parent.op, ast.Mult):
            other = parent.right if parent.left is node else parent.left
            if _zero(use, other):
                return True
        node = parent
    return False


def _zero(use: Usage, node: ast.expr) -> bool:
    """A literal 0, or a name whose every binding in the module is one."""
    values = use.assigned.get(node.id, []) if isinstance(node, ast.Name) else [node]
    return bool(values) and all(
        isinstance(v, ast.Constant) and type(v.value) in (int, float) and v.value == 0
        for v in values
    )
