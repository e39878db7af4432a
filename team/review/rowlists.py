"""Rows appended as lists or tuples, named by the columns of the DataFrame made from them.

pythonlabtools' Titanic question fits three classifiers in a loop, appends
`[name, accuracy, precision, recall, f1]` per model, where each score is of the test split,
makes `results_df = pd.DataFrame(results, columns=["Model", "Accuracy", "Precision", "Recall",
"F1 Score"])` after the loop and prints `results_df["F1 Score"].idxmax()`'s model as the
"Selected Model". A row is a dict in `scoretable.py`'s reading; here it is a sequence, and the
DataFrame's `columns=` names its positions. Narrow on purpose: the row is a list or tuple
literal given to `append` (a starred item leaves the positions unknown, and the row unread),
and the columns are a literal list or tuple of strings with a name for every position that
holds a score; a table made without `columns=`, or with columns read from a variable, names no
column.
"""

from __future__ import annotations

import ast
from collections.abc import Set as AbstractSet

__all__ = ["appended_rows", "named_columns", "positional_scores"]


def positional_scores(
    loop: ast.For | ast.While, scores: AbstractSet[str]
) -> dict[str, dict[int, str]]:
    """List name -> {position: score name} for list or tuple rows appended to it in `loop`
    whose item at that position holds one of `scores`.

    Example:
        >>> import ast
        >>> tree = ast.parse("for m in ms:\\n    rows.append([m, acc, f1 * 100])")
        >>> positional_scores(tree.body[0], {"acc", "f1"})
        {'rows': {1: 'acc', 2: 'f1'}}
    """
    out: dict[str, dict[int, str]] = {}
    for table, row in appended_rows(loop):
        if not isinstance(row, ast.List | ast.Tuple):
            continue
        if any(isinstance(item, ast.Starred) for item in row.elts):
            continue
        for position, item in enumerate(row.elts):
            held = [n.id for n in ast.walk(item) if isinstance(n, ast.Name) and n.id in scores]
            if held:
                out.setdefault(table, {})[position] = held[0]
    return out


def appended_rows(loop: ast.For | ast.While) -> list[tuple[str, ast.expr]]:
    """(list name, row) for each `NAME.append(row)` with one argument in `loop`, in walk order.

    Example:
        >>> import ast
        >>> tree = ast.parse("for m in ms:\\n    rows.append({'f1': f1})\\n    log.append(m, 1)")
        >>> [(name, type(row).__name__) for name, row in appended_rows(tree.body[0])]
        [('rows', 'Dict')]
    """
    return [
        (node.func.value.id, node.args[0])
        for node in ast.walk(loop)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and len(node.args) == 1
    ]


def named_columns(call: ast.Call, positions: dict[int, str]) -> dict[str, str]:
    """{column: score name} for `DataFrame(rows, columns=[...])` whose literal columns name
    the positions of the rows; empty when the columns are not given as such a literal.

    Example:
        >>> import ast
        >>> call = ast.parse("pd.DataFrame(rows, columns=['Model', 'F1'])").body[0].value
        >>> named_columns(call, {1: "f1"})
        {'F1': 'f1'}
    """
    given = [k.value for k in call.keywords if k.arg == "columns"]
    if not given or not isinstance(given[0], ast.List | ast.Tuple):
        return {}
    names = given[0].elts
    if not all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in names):
        return {}
    if max(positions, default=-1) >= len(names):
        return {}
    return {
        str(n.value): positions[i]
        for i, n in enumerate(names)
        if i in positions and isinstance(n, ast.Constant)
    }
