"""A slice up to the training part's last position holds the training rows: `rows[:end]`.

areafluforecast's `normalization(frame, split)` computes the mean and std of
`frame.to_numpy()[:end]` with `end = split.train[-1] + split.window.max_horizon + 1`: the split
was made first (`make_split`, chronological origins), and the slice stops at the last training
origin (and the weeks its targets reveal). The statistic is fitted on the training rows, not on
all of them. Only a bound read from a training part's last element counts (`split.train[-1]`,
`train_idx[-1]`): a bound from a size (`n`, `len(X)`) or a test part, or a slice from a bound,
says nothing of which part the rows are.
"""

from __future__ import annotations

import ast

from team.review.catalog import role_hint

__all__ = ["train_head"]


def train_head(body: ast.AST, node: ast.Subscript) -> bool:
    """`node` is `X[:b]` and `b` (or the one value `body` assigns to the name `b`) reads the
    last element of a part named as training.

    >>> tree = ast.parse("end = split.train[-1] + 3\\na = X[:end]\\nb = X[:n]\\nc = X[:idx_test[-1]]")
    >>> subscripts = [n for n in ast.walk(tree) if isinstance(n, ast.Subscript)]
    >>> [(ast.unparse(n), train_head(tree, n)) for n in subscripts if isinstance(n.slice, ast.Slice)]
    [('X[:end]', True), ('X[:n]', False), ('X[:idx_test[-1]]', False)]
    """
    first = (
        node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
    )
    if not isinstance(first, ast.Slice) or first.lower is not None or first.upper is None:
        return False
    bound: ast.expr | None = first.upper
    if isinstance(bound, ast.Name):
        bound = _only_value(body, bound.id)
    return bound is not None and any(_last_of_train(n) for n in ast.walk(bound))


def _only_value(body: ast.AST, name: str) -> ast.expr | None:
    """The value of the one plain assignment of `name` in `body`; None if there is not one."""
    values = [
        n.value
        for n in ast.walk(body)
        if isinstance(n, ast.Assign | ast.AnnAssign | ast.AugAssign)
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        )
    ]
    if len(values) != 1 or values[0] is None:
        return None
    return values[0]


def _last_of_train(node: ast.AST) -> bool:
    """`split.train[-1]`, `train_idx[-1]`: the last element of a part named as training."""
    if not isinstance(node, ast.Subscript):
        return False
    key = node.slice
    last = (
        isinstance(key, ast.UnaryOp)
        and isinstance(key.op, ast.USub)
        and isinstance(key.operand, ast.Constant)
        and key.operand.value == 1
    )
    part = node.value
    name = part.attr if isinstance(part, ast.Attribute) else getattr(part, "id", None)
    return last and isinstance(name, str) and role_hint(name) == "train"
