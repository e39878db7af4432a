"""A bare shuffle whose list is then cut into a train and a test part is a random split.

PyTorch-BigGraph's LiveJournal example reads the edge file, calls `random.shuffle(lines)` and
writes `lines[:split_len]` to `train.txt` and `lines[split_len:]` to `test.txt`; the ranking
metrics it reports are measured on those test edges. The module imports only its own package,
no ML library, so it is not read as ML code, yet which edges are test edges changes on every
run. Such a shuffle is reported wherever it sits: its list is sliced at both ends of one cut
point in the same function (or script), and that code names both a train and a test part.

A shuffle that only orders a vocabulary is no experiment's draw: its converter
(`converters/import_from_tsv.py`) shuffles the relation and entity names and hands them only
to `Dictionary(names)`, so the shuffle picks which integer id each name gets, and no split,
sample or data order (`ids_order_reason`).
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.randomness import Usage, enclosing_function

__all__ = ["ids_order_reason", "shuffled_into_split"]

_SHUFFLES = frozenset({"random.shuffle", "numpy.random.shuffle"})
_TRAIN = re.compile(r"train", re.I)
_TEST = re.compile(r"test", re.I)
# constructors that number the names they are given
_NUMBERS_NAMES = re.compile(r"(Dictionary|Vocab|Vocabulary)$")


def _cut_ends(scope: ast.AST, name: str, after: int) -> tuple[bool, bool]:
    """Whether `name[:k]` and `name[k:]` are read in `scope` from line `after` on."""
    head = tail = False
    for node in ast.walk(scope):
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
            and isinstance(node.slice, ast.Slice)
            and node.slice.step is None
            and node.lineno >= after
        ):
            continue
        head = head or (node.slice.lower is None and node.slice.upper is not None)
        tail = tail or (node.slice.upper is None and node.slice.lower is not None)
    return head, tail


def shuffled_into_split(use: Usage, call: ast.Call, qual: str, tree: ast.Module) -> bool:
    """`random.shuffle(rows)` then `rows[:n]` and `rows[n:]`, in code that names a train and a
    test part: the shuffle decides which rows are held out.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = "random.shuffle(rows)\\ntrain, test = rows[:8], rows[8:]"
        >>> tree = ast.parse(code)
        >>> call = tree.body[0].value
        >>> shuffled_into_split(Usage(tree), call, "random.shuffle", tree)
        True
    """
    if qual not in _SHUFFLES or len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
        return False
    scope: ast.AST = enclosing_function(use, call) or tree
    if not all(_cut_ends(scope, call.args[0].id, call.lineno)):
        return False
    text = ast.unparse(scope)
    return bool(_TRAIN.search(text) and _TEST.search(text))


def ids_order_reason(use: Usage, call: ast.Call, qual: str, tree: ast.Module) -> str | None:
    """Why a shuffle only orders ids: after it, its list is read only as an argument of a
    vocabulary constructor (`random.shuffle(names); Dictionary(names)`) or counted.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> tree = ast.parse("random.shuffle(names)\\nids = Dictionary(names)")
        >>> ids_order_reason(Usage(tree), tree.body[0].value, "random.shuffle", tree)
        'the shuffle only orders the ids Dictionary gives the names; it picks no rows'
    """
    if qual not in _SHUFFLES or len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
        return None
    scope: ast.AST = enclosing_function(use, call) or tree
    shuffled = call.args[0]
    reads = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.Name)
        and isinstance(node.ctx, ast.Load)
        and node.id == shuffled.id
        and node is not shuffled
        and node.lineno >= call.lineno
    ]
    makers = set()
    for read in reads:
        parent = use.up(read)
        if not (isinstance(parent, ast.Call) and read in parent.args):
            return None
        name = leaf_name(parent.func)
        if name == "len":  # a count reads no order
            continue
        if not _NUMBERS_NAMES.search(name):
            return None
        makers.add(name)
    if not makers:
        return None
    return f"the shuffle only orders the ids {', '.join(sorted(makers))} gives the names; it picks no rows"
