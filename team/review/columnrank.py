"""A training score that only ranks the columns for a selection step is no evaluation.

autoviml 0.2.2's `EntropyBinningTransformer.select_top_n_vars` (feature_engineering.py:455-510)
fits a one-feature decision tree per float column on the training rows, scores it on the same
rows (:498) and stores the score under the column's name; the scores are only sorted to choose
which columns to bin (:507). Ranking candidate columns on the training data is the data a
selection step should use (held-out rows would be the leak); the score is never printed or
returned as an estimate (fresh35, judged false).

Read here: the score is bound to a name, that name is read only in stores `scores[col] = ...`
inside a `for col in ...` loop whose body indexes rows by `col` (`X[col]`, not `models[col]` of
the collection looped over: the loop runs over columns, not models), and `scores` is read only inside `sorted`, `max`, `min` or `nlargest`
calls. A score that is printed, returned, appended or kept per model stays reported.
"""

from __future__ import annotations

import ast

from team.review.sources import SourceFile

__all__ = ["ranks_columns"]

_RANKING = frozenset({"sorted", "max", "min", "nlargest", "nsmallest", "argsort"})
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _innermost(
    tree: ast.AST, line: int, kind: type[ast.stmt] | tuple[type[ast.stmt], ...]
) -> ast.stmt | None:
    """The last-starting statement of `kind` that spans `line`."""
    spans = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
        and isinstance(node, kind)
        and node.lineno <= line <= (node.end_lineno or 0)
    ]
    return max(spans, key=lambda node: node.lineno, default=None)


def _loads(scope: ast.AST, name: str) -> list[ast.Name]:
    return [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]


def _parent_map(scope: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}


def ranks_columns(src: SourceFile, line: int) -> bool:
    """The score computed on `line` of `src` only ranks columns (see the module docstring).

    Example:
        >>> import ast
        >>> from team.review.sources import SourceFile
        >>> lines = ["def top(X, y):", "    scores = {}", "    for col in X.columns:",
        ...          "        m = Tree().fit(X[[col]], y)",
        ...          "        score = accuracy_score(y, m.predict(X[[col]]))",
        ...          "        scores[col] = score", "    return sorted(scores, key=scores.get)"]
        >>> ranks_columns(SourceFile("x.py", "\\n".join(lines), ast.parse("\\n".join(lines))), 5)
        True
        >>> lines[5] = "        print(col, score)"
        >>> ranks_columns(SourceFile("x.py", "\\n".join(lines), ast.parse("\\n".join(lines))), 5)
        False
    """
    func = _innermost(src.tree, line, _DEFS)
    stmt = _innermost(src.tree, line, ast.Assign)
    if func is None or not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return False
    target = stmt.targets[0]
    if not isinstance(target, ast.Name):
        return False
    parents = _parent_map(func)
    tables: set[str] = set()
    for load in _loads(func, target.id):
        node: ast.AST = load
        while node in parents and not isinstance(node, ast.stmt):
            node = parents[node]
        if not isinstance(node, ast.Assign):
            return False
        loop = _innermost(func, node.lineno, ast.For)
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(sub := node.targets[0], ast.Subscript)
            and isinstance(sub.value, ast.Name)
            and isinstance(sub.slice, ast.Name)
            and isinstance(loop, ast.For)
            and isinstance(loop.target, ast.Name)
            and sub.slice.id == loop.target.id
            and _indexes_rows_by(loop, sub.value.id)
        ):
            return False
        tables.add(sub.value.id)
    if not tables:
        return False
    for table in tables:
        for load in _loads(func, table):
            node = load
            up = parents.get(node)
            if isinstance(up, ast.Subscript) and isinstance(up.ctx, ast.Store):
                continue  # the store of a score under its column
            while node in parents and not (
                isinstance(node, ast.Call) and _name(node.func) in _RANKING
            ):
                node = parents[node]
                if isinstance(node, ast.stmt):
                    return False
            if node not in parents:
                return False
    return True


def _indexes_rows_by(loop: ast.For, table: str) -> bool:
    """Some `X[var]` (or `X[[var]]`) in the loop's body other than the store into `table` and a
    look-up in the collection looped over (`for name in models: models[name]`): the loop runs
    over columns."""
    if not isinstance(loop.target, ast.Name):
        return False
    var = loop.target.id
    over = loop.iter
    if isinstance(over, ast.Call) and isinstance(over.func, ast.Attribute):
        over = over.func.value  # models.items(), models.keys()
    looked_up = {table, over.id if isinstance(over, ast.Name) else ""}
    for node in ast.walk(loop):
        if isinstance(node, ast.Subscript) and _name(node.value) in looked_up:
            continue
        if isinstance(node, ast.Subscript) and any(
            isinstance(n, ast.Name) and n.id == var for n in ast.walk(node.slice)
        ):
            return True
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
