"""A model scored on a whole truth table: there are no other rows to hold out.

dlprac's exercise 1 (`notebooks/02_multilayer_perceptron.py`) shows that a single-layer perceptron
cannot represent XOR: it is fitted on the four rows of the truth table, `X = np.array([[0, 0],
[0, 1], [1, 0], [1, 1]])`, and its accuracy on those rows is the point of the exercise (it stays
near 50%). The rows are every input the function has, so no held-out split exists and the score
measures whether the model can represent the function, not memorisation.

Read here: the evaluation call's data is a name whose last binding before the call is a literal
array (a list, or `np.array`/`torch.tensor` of one) of rows of 0/1 values that holds each of the
2**k combinations of its k columns. A subset of a truth table, other literal data, or rows read from
a file stay reported.
"""

from __future__ import annotations

import ast
import itertools

from team.review.calltools import leaf_name
from team.review.sources import SourceFile

__all__ = ["scores_a_truth_table"]

_MAX_COLUMNS = 4
_ARRAYS = frozenset({"array", "asarray", "tensor", "constant", "DataFrame"})


def scores_a_truth_table(src: SourceFile, line: int) -> bool:
    """The call on `line` of `src` is given, first, a name last bound to a whole truth table.

    Example:
        >>> import ast
        >>> from team.review.sources import SourceFile
        >>> code = "X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])\\nm.evaluate(X, y)"
        >>> src = SourceFile("x.py", code, ast.parse(code))
        >>> scores_a_truth_table(src, 2)
        True
    """
    names = {
        call.args[0].id
        for call in ast.walk(src.tree)
        if isinstance(call, ast.Call)
        and call.lineno == line
        and call.args
        and isinstance(call.args[0], ast.Name)
    }
    for name in names:
        bound = [
            node
            for node in ast.walk(src.tree)
            if isinstance(node, ast.Assign)
            and node.lineno < line
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ]
        if bound and _whole_table(max(bound, key=lambda n: n.lineno).value):
            return True
    return False


def _whole_table(value: ast.expr) -> bool:
    if isinstance(value, ast.Call) and leaf_name(value.func) in _ARRAYS and value.args:
        value = value.args[0]
    if not isinstance(value, ast.List | ast.Tuple):
        return False
    rows: set[tuple[int, ...]] = set()
    for row in value.elts:
        if not isinstance(row, ast.List | ast.Tuple):
            return False
        cells = [c.value for c in row.elts if isinstance(c, ast.Constant)]
        if len(cells) != len(row.elts) or not all(c in (0, 1) for c in cells):
            return False
        rows.add(tuple(1 if c else 0 for c in cells))
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        return False
    width = widths.pop()
    return 0 < width <= _MAX_COLUMNS and rows == set(itertools.product((0, 1), repeat=width))
