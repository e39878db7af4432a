"""Test scores collected as rows of a table, and the best row picked by a column.

mills' question1 fits a LinearRegression for each of seven feature subsets, appends
`{"Features": ..., "RMSE": round(rmse, 3), ...}` per subset, where `rmse` is a score of the test
split, makes `results_df = pd.DataFrame(results)` after the loop and reports the row at
`results_df["RMSE"].idxmin()` as the best model; question15 does the same with
`results_df["F1-Score"].idxmax()`. The rows are dicts, not scores, so the best is taken by a
column: a column whose value holds a test score, read from the list or from a DataFrame made of
it, and folded by `idxmax`/`idxmin`/`argmax`/`argmin`/`max`/`min`/`nlargest`/`nsmallest`, or
sorted on and one row taken (`sort_values("RMSE").head(1)`, `max(results, key=lambda r:
r["F1"])`). A column of training scores, one only plotted or given an axis limit, or a table only
sorted for show (every candidate kept), chooses nothing. Rows appended as lists or tuples are
named by the literal `columns=` of the DataFrame made from them (`rowlists.py`).
"""

from __future__ import annotations

import ast
from collections.abc import Set as AbstractSet

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.randomness import Usage
from team.review.rowlists import appended_rows, named_columns, positional_scores

__all__ = ["best_of_table", "in_display"]

_BEST_BY = words("max min argmax argmin idxmax idxmin nlargest nsmallest")
_SORTS = words("sort_values nlargest nsmallest")
_SHOWS = ("plot", "lim", "text", "annotate", "axis", "scatter", "bar", "hist")


def best_of_table(
    loop: ast.For | ast.While, use: Usage, scores: AbstractSet[str]
) -> list[tuple[ast.Call, str]]:
    """Calls after `loop`, in its scope, that pick the best row of the dicts (or the named
    list rows) the loop appends by a column holding one of `scores` (test scores the loop binds),
    each with the score's name.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "rows = []\\nfor c in cs:\\n    rows.append({'c': c, 'f1': f1})\\n"
        ...     "df = pd.DataFrame(rows)\\nbest = df.loc[df['f1'].idxmax()]"
        ... )
        >>> tree = ast.parse(code)
        >>> [(c.lineno, s) for c, s in best_of_table(tree.body[1], Usage(tree), {"f1"})]
        [(5, 'f1')]
    """
    tables = _test_columns(loop, scores)
    rows = positional_scores(loop, scores)
    scope = use.up(loop)
    if not (tables or rows) or scope is None:
        return []
    end = loop.end_lineno or loop.lineno
    for node in ast.walk(scope):
        if (
            isinstance(node, ast.Assign)
            and node.lineno > end
            and isinstance(node.value, ast.Call)
            and leaf_name(node.value.func) == "DataFrame"
            and node.value.args
            and isinstance(node.value.args[0], ast.Name)
            and node.value.args[0].id in tables.keys() | rows.keys()
        ):
            made = node.value.args[0].id
            columns = tables.get(made) or named_columns(node.value, rows.get(made, {}))
            tables.update({t.id: columns for t in node.targets if isinstance(t, ast.Name)})
    hits: list[tuple[ast.Call, str]] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and node.lineno > end and not in_display(use, node):
            score = _picks_by(node, tables)
            if score is not None and (not _sorts(node) or _takes_one(use, node)):
                hits.append((node, score))
    return sorted(hits, key=lambda h: h[0].lineno)


def _test_columns(loop: ast.For | ast.While, scores: AbstractSet[str]) -> dict[str, dict[str, str]]:
    """List name -> {column: score name} for dicts appended to it whose value holds a test score."""
    out: dict[str, dict[str, str]] = {}
    for table, row in appended_rows(loop):
        if not isinstance(row, ast.Dict):
            continue
        for key, value in zip(row.keys, row.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            held = [n.id for n in ast.walk(value) if isinstance(n, ast.Name) and n.id in scores]
            if held:
                out.setdefault(table, {})[key.value] = held[0]
    return out


def _picks_by(call: ast.Call, tables: dict[str, dict[str, str]]) -> str | None:
    """The score a call picks the best row by: `df["RMSE"].idxmin()`,
    `df.sort_values(by="F1")`, `max(rows, key=lambda r: r["F1"])`; else None."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _BEST_BY:
        column = func.value
        if (
            isinstance(column, ast.Subscript)
            and isinstance(column.value, ast.Name)
            and column.value.id in tables
        ):
            return _column(column.slice, tables[column.value.id])
    if isinstance(func, ast.Attribute) and func.attr in _SORTS:
        frame = func.value
        if isinstance(frame, ast.Name) and frame.id in tables:
            given = [
                *call.args[:1],
                *(k.value for k in call.keywords if k.arg in ("by", "columns")),
            ]
            for g in given:
                found = _column(g, tables[frame.id])
                if found is not None:
                    return found
    if (
        isinstance(func, ast.Name)
        and func.id in ("max", "min", "sorted")
        and call.args
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id in tables
    ):
        for k in call.keywords:
            if k.arg == "key":
                for n in ast.walk(k.value):
                    found = _column(n, tables[call.args[0].id]) if isinstance(n, ast.expr) else None
                    if found is not None:
                        return found
    return None


def _sorts(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in _SORTS) or (
        isinstance(func, ast.Name) and func.id == "sorted"
    )


def _takes_one(use: Usage, call: ast.Call) -> bool:
    """A sorted table picks a row only where one row is taken from it: `.iloc[0]`, `[-1]`,
    `.index[0]`, `.head(1)`, `nsmallest(1, ...)`, directly or from the name it is bound to.
    lazypredict's `scores.sort_values("Accuracy", ascending=False).set_index("Model")`, returned
    for the caller to read, ranks every model and keeps all of them: nothing is chosen."""
    if leaf_name(call.func) in ("nlargest", "nsmallest") and _is_one(call.args[:1]):
        return True
    if _chain_takes_one(use, call):
        return True
    parent = use.up(call)
    while isinstance(parent, ast.Attribute | ast.Call | ast.Subscript):
        parent = use.up(parent)
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return False
    name, scope = parent.targets[0].id, use.up(parent)
    return scope is not None and any(
        isinstance(n, ast.Name)
        and n.id == name
        and isinstance(n.ctx, ast.Load)
        and n.lineno > parent.lineno
        and _chain_takes_one(use, n)
        for n in ast.walk(scope)
    )


def _chain_takes_one(use: Usage, node: ast.AST) -> bool:
    """Along the chain of attributes, calls and subscripts on `node`, one row is taken:
    `[0]`, `[-1]` (also after `.iloc`, `.index`, `.loc`), `.head(1)`, `.tail(1)`, `.first()`."""
    parent = use.up(node)
    while (isinstance(parent, ast.Attribute | ast.Subscript) and parent.value is node) or (
        isinstance(parent, ast.Call) and parent.func is node
    ):
        if isinstance(parent, ast.Subscript) and _first_or_last(parent.slice):
            return True
        if (
            isinstance(parent, ast.Call)
            and isinstance(node, ast.Attribute)
            and ((node.attr in ("head", "tail") and _is_one(parent.args)) or node.attr == "first")
        ):
            return True
        node, parent = parent, use.up(parent)
    return False


def _first_or_last(index: ast.expr) -> bool:
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
        return isinstance(index.operand, ast.Constant) and index.operand.value == 1
    return isinstance(index, ast.Constant) and index.value == 0 and index.value is not False


def _is_one(args: list[ast.expr]) -> bool:
    return bool(args) and isinstance(args[0], ast.Constant) and args[0].value == 1


def _column(key: ast.expr, columns: dict[str, str]) -> str | None:
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return columns.get(key.value)
    return None


def in_display(use: Usage, node: ast.AST) -> bool:
    """Inside a plotting or axis-limit call, or bound to names read only inside such calls
    (mlxtend's `max_y = max(max(test_errors), ...)` then `plt.ylim([..., max_y * 1.15])`): the
    best value only places a plot."""
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if _shows(parent):
            return True
        parent = use.up(parent)
    if not (
        isinstance(parent, ast.Assign) and all(isinstance(t, ast.Name) for t in parent.targets)
    ):
        return False
    names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    scope = use.up(parent)
    while scope is not None and not isinstance(
        scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module
    ):
        scope = use.up(scope)
    if scope is None:
        return False
    reads = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
    ]
    return bool(reads) and all(_under_display(use, n) for n in reads)


def _under_display(use: Usage, node: ast.AST) -> bool:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if _shows(parent):
            return True
        parent = use.up(parent)
    return False


def _shows(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and any(w in leaf_name(node.func).lower() for w in _SHOWS)
