"""What a script reports: whether any number a training run changes ever leaves it.

A script that trains and then prints only sizes (`output.size(0)` graphs per batch, the shape
of the prediction intervals, the device), saves nothing and logs nothing, reports no result a
seed could make repeatable: PyTorch Geometric's DataParallel demo prints how many graphs each
GPU gets; TorchCP's distribution example prints the shape of its intervals. Anything else it
prints, a progress bar's loss, a saved model or figure, or a logger counts as a result.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import words

__all__ = ["reports_only_sizes", "shows_only_sizes"]

# Calls that send a number out of the script, other than print.
_OUTPUTS = words(
    "save savefig show plot imshow scatter add_scalar add_scalars log log_dict log_metrics "
    "info debug warning write writelines dump dumps to_csv to_json to_pickle set_postfix "
    "set_description display pprint"
)
_SIZE_ATTRS = words("shape size device dtype ndim num_graphs num_nodes num_edges num_features")
_SIZE_CALLS = words("len size numel dim device_count format str")


def _size_only(node: ast.AST) -> bool:
    """The printed expression holds only text and sizes (`x.shape`, `len(x)`, `data.device`)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Attribute) and node.attr in _SIZE_ATTRS:
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = leaf_name(func)
        if name not in _SIZE_CALLS:
            return False
        inner = [*node.args, *(k.value for k in node.keywords)]
        if name in ("len", "numel", "dim", "size", "device_count"):
            return True  # a count, whatever it counts
        base = [func.value] if isinstance(func, ast.Attribute) else []
        return all(_size_only(n) for n in [*base, *inner])
    if isinstance(node, ast.JoinedStr):
        return all(_size_only(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _size_only(node.value)
    if isinstance(node, ast.BinOp):  # "%d graphs" % n
        return _size_only(node.left) and _size_only(node.right)
    if isinstance(node, ast.Tuple):
        return all(_size_only(e) for e in node.elts)
    return False


def shows_only_sizes(call: ast.Call) -> bool:
    """A print of text and sizes only (`print("Train shape", X_train.shape)`)."""
    return all(_size_only(a) for a in call.args)


def reports_only_sizes(tree: ast.Module) -> bool:
    """Every print of the script shows only text and sizes, and nothing else leaves it: no
    save, plot, log, progress-bar value or file write."""
    printed = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = leaf_name(func)
        if name in _OUTPUTS:
            return False
        if name == "print":
            if not shows_only_sizes(node):
                return False
            printed = True
    return printed
