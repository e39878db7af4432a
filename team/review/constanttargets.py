"""A model scored on constant targets: a loss minimised for itself, with no labels to hold out.

thqml's Bose-Hubbard soliton notebooks train a variational state: the input is a dummy batch,
the target `ytrain = np.zeros([Nbatch, 2])`, and the model's own loss is the energy being
minimised. `model.evaluate(xtrain, ytrain)` after `model.fit(xtrain, ytrain, ...)` recomputes that
minimised cost, which is the result sought; no label is predicted, so no held-out split exists.

Read here: the evaluation call's targets (its second argument, or `y=`) are a constant made in
place (`np.zeros(...)`, `np.ones_like(x)`) or a name whose every binding before the call is one,
and whose items are only ever set to literal numbers (`ytrain[i] = 0`). Targets read from data,
or set item by item from anything but a literal, stay reported.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.sources import SourceFile

__all__ = ["scores_constant_targets"]

_CONSTANT_MAKERS = frozenset({"zeros", "ones", "zeros_like", "ones_like"})


def scores_constant_targets(src: SourceFile, line: int) -> bool:
    """The evaluation call on `line` of `src` is given constant targets.

    Example:
        >>> import ast
        >>> from team.review.sources import SourceFile
        >>> code = "y = np.zeros([4, 2])\\nmodel.fit(x, y)\\nmodel.evaluate(x, y)"
        >>> src = SourceFile("x.py", code, ast.parse(code))
        >>> scores_constant_targets(src, 3)
        True
    """
    for call in ast.walk(src.tree):
        if not isinstance(call, ast.Call) or call.lineno != line:
            continue
        target = call.args[1] if len(call.args) > 1 else None
        target = next((k.value for k in call.keywords if k.arg == "y"), target)
        if target is not None and _constant(src.tree, target, line):
            return True
    return False


def _constant(tree: ast.Module, target: ast.expr, line: int) -> bool:
    if _made_constant(target):
        return True
    if not isinstance(target, ast.Name):
        return False
    name = target.id
    bound: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and node.lineno < line:
            for t in node.targets:
                if isinstance(t, ast.Name) and t.id == name:
                    bound.append(node.value)
                elif _item_of(t, name) and not _number(node.value):
                    return False
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and _names(node.target, name):
            return False
    return bool(bound) and all(_made_constant(v) for v in bound)


def _made_constant(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and leaf_name(value.func) in _CONSTANT_MAKERS


def _item_of(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Subscript) and _names(target.value, name)


def _names(node: ast.expr, name: str) -> bool:
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id == name


def _number(value: ast.expr) -> bool:
    if isinstance(value, ast.UnaryOp):
        value = value.operand
    return isinstance(value, ast.Constant) and type(value.value) in (int, float)
