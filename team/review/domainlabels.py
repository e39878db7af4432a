"""Folds of a domain classifier: its label is which set a row came from, known for every row.

mlforecast's `estimate_density_ratio` stacks the source and target feature rows
(`X = np.vstack([source, target])`), labels them by where they came from
(`y = np.array([0] * n_src + [1] * n_tgt)`), scales `X` over all rows, then cross-fits a
classifier with `StratifiedKFold.split(X, y)` whose out-of-fold probabilities become importance
weights. Both sets are known in full when the weights are made (transductive), the label is no
measurement a scaler could leak, and no score comes from the folds: a statistic of all rows
makes nothing look better than it is.

Narrow on purpose: the label passed to the split must be built, in the same function, only
from constant blocks (`[0] * n + [1] * m`, `np.zeros(n)` beside `np.ones(m)`) of at least two
different values; and the caller reports the leak anyway when a metric is computed on the
folds' output (an adversarial-validation AUC is a score).
"""

from __future__ import annotations

import ast

__all__ = ["function_at", "split_on_domain_labels"]

_WRAPPERS = frozenset({"array", "asarray", "concatenate", "hstack", "append", "r_"})
_FILLED = {"zeros": 0, "ones": 1, "zeros_like": 0, "ones_like": 1}


def split_on_domain_labels(tree: ast.Module, line: int) -> bool:
    """The function around `line` (the split) splits on a label made only of constant blocks
    of two or more values: domain membership, not a measured target."""
    func = function_at(tree, line)
    if func is None:
        return False
    labels = {
        target.id: node.value
        for node in ast.walk(func)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "split"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Name)
            and node.args[1].id in labels
            and len(_block_values(labels[node.args[1].id]) or set()) >= 2
        ):
            return True
    return False


def function_at(tree: ast.Module, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function whose lines hold `line`."""
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (found is None or node.lineno >= found.lineno):
                found = node
    return found


def _block_values(node: ast.expr) -> set[object] | None:
    """The constants a label array is made of, when it is only constant blocks; else None."""
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = name or (node.func.id if isinstance(node.func, ast.Name) else "")
        if name in _FILLED:
            return {_FILLED[name]}
        if name == "full" and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            return {node.args[1].value}
        if name in _WRAPPERS and len(node.args) == 1:
            return _block_values(node.args[0])
        return None
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("r_"):
        return _block_values(node.slice)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _block_values(node.left), _block_values(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        block = node.left if isinstance(node.left, ast.List) else node.right
        if isinstance(block, ast.List) and len(block.elts) == 1:
            only = block.elts[0]
            return {only.value} if isinstance(only, ast.Constant) else None
        return None
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        # blocks side by side (`np.concatenate([np.zeros(n), np.ones(m)])`); a literal list of
        # constants is a hand-written label, not blocks
        out: set[object] = set()
        for elt in node.elts:
            part = None if isinstance(elt, ast.Constant) else _block_values(elt)
            if part is None:
                return None
            out |= part
        return out
    return None
