"""A loop over training-set sizes: a learning curve, not a choice of model.

mills' question5 trains the same `LinearRegression()` on 50%, 70% and 80% of the rows, scores
each on one fixed test split, tabulates and plots the scores, and names the size with the lowest
test RMSE. The candidates are amounts of training data, not settings of a model: nothing is tuned,
and a table of every size's test score is the experiment's answer (judged false, round 49).

A `for` loop reads as a learning curve when its variable (or a name the loop binds from it by
arithmetic, `n = int(frac * len(X))`) sizes the training rows somewhere in the loop: a
`train_size=` / `test_size=` / `frac=` / `n_samples=` keyword, the first bound of a row slice
(`X_train[:n]`, `X.iloc[:n]`), or `.head(n)` / `.sample(n)`; and is read otherwise only in an `if`
test (which picks the rows), a print, or the row appended to a table. A variable given to a model
(`max_depth=d`), used to choose columns (`X[cols]`, `X[:, :k]`) or called, is a candidate setting.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.randomness import Usage

__all__ = ["sizes_training_rows"]

_SIZE_KEYWORDS = frozenset({"train_size", "test_size", "frac", "n_samples", "n"})
_TAKES_ROWS = frozenset({"head", "sample"})
_ARITHMETIC = frozenset({"int", "round", "float", "len", "min", "max"})
_SHOWS = frozenset({"print", "format", "str", "display"})


def sizes_training_rows(loop: ast.For | ast.While, use: Usage) -> bool:
    """Whether each pass of `loop` differs only in how many training rows it takes.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "for n in sizes:\\n    m = LinearRegression()\\n"
        ...     "    m.fit(X_train[:n], y_train[:n])\\n    rows.append({'n': n})"
        ... )
        >>> tree = ast.parse(code)
        >>> sizes_training_rows(tree.body[0], Usage(tree))
        True
    """
    if not isinstance(loop, ast.For):
        return False
    names = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    if not names:
        return False
    names |= _derived(loop, names)
    sized = False
    for node in ast.walk(ast.Module(body=loop.body, type_ignores=[])):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names):
            continue
        kind = _read_as(node, loop, use, names)
        if kind is None:
            return False
        sized = sized or kind
    return sized


def _derived(loop: ast.For, names: set[str]) -> set[str]:
    """Names bound in the loop by arithmetic on the loop variable: `n = int(frac * len(X))`."""
    out: set[str] = set()
    for stmt in ast.walk(loop):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and _arithmetic(stmt.value)
            and any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(stmt.value))
        ):
            out.add(stmt.targets[0].id)
    return out


def _arithmetic(value: ast.expr) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and leaf_name(node.func) not in _ARITHMETIC:
            return False
        if isinstance(node, ast.Subscript | ast.Lambda | ast.comprehension):
            return False
    return True


def _read_as(node: ast.Name, loop: ast.For, use: Usage, names: set[str]) -> bool | None:
    """True where the read sizes the training rows, False where it only picks a branch, labels
    a row or is printed, None where it reaches anything else (a model, a column choice)."""
    child: ast.AST = node
    parent = use.up(node)
    while parent is not None and parent is not loop:
        if isinstance(parent, ast.keyword) and parent.arg in _SIZE_KEYWORDS:
            return True
        if isinstance(parent, ast.Slice) and child in (parent.lower, parent.upper):
            subscript = use.up(parent)
            return (
                True if isinstance(subscript, ast.Subscript) and subscript.slice is parent else None
            )
        if isinstance(parent, ast.Call) and child in parent.args:
            called = leaf_name(parent.func)
            if called in _TAKES_ROWS and isinstance(parent.func, ast.Attribute):
                return True
            if called in _SHOWS:
                return False
            if called == "append" and isinstance(child, ast.Dict):
                return False
            if called not in _ARITHMETIC:
                return None
        if isinstance(parent, ast.If | ast.IfExp) and child is parent.test:
            return False
        if isinstance(parent, ast.Assign):
            targets = parent.targets
            if child in targets and isinstance(child, ast.Subscript):
                return False
            target = targets[0] if len(targets) == 1 else None
            return False if isinstance(target, ast.Name) and target.id in names else None
        if isinstance(parent, ast.JoinedStr):
            return _in_show(parent, loop, use)
        if isinstance(parent, ast.stmt) and not isinstance(parent, ast.Expr):
            return None
        child, parent = parent, use.up(parent)
    return None


def _in_show(node: ast.AST, loop: ast.For, use: Usage) -> bool | None:
    parent = use.up(node)
    while parent is not None and parent is not loop and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and leaf_name(parent.func) in _SHOWS:
            return False
        parent = use.up(parent)
    return None
