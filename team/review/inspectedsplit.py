"""A split a notebook only looks at before splitting again: nothing is fitted on its parts.

thqml's `squeezedvacuum.ipynb` scales the moons data and splits it (`X = StandardScaler()
.fit_transform(X)`, then `X_train, X_test, y_train, y_test = train_test_split(...)`), looks at
the result (`X.shape`, `X_train[0]`, `squeezing_kernel(X_train, X_train).shape`) and then, in the
loop over data sets that trains and scores the classifiers, scales and splits again before any
model sees the parts. The first scale-then-split leaks nothing into any score.

Read here, in a notebook, for a leak with no evaluation on its rows: the split is a top-level
statement binding names, and every read of those names before each is bound again at the
notebook's top level (or first thing in a later loop) is a cell's bare expression that only
looks: the name itself, an item of it, its `.shape`, or `print`/`display`/`len` of those. A
part handed to any other call (a fit, a function of the notebook) or kept in a name stays
reported, as does a split whose parts are never bound again and are read at all by a model.
"""

from __future__ import annotations

import ast

from team.review.sources import SourceFile

__all__ = ["split_only_inspected"]

_SIZES = frozenset({"shape", "ndim", "dtype", "size"})
_SHOWS = frozenset({"print", "display", "len", "type"})


def split_only_inspected(src: SourceFile, line: int) -> bool:
    """The top-level split on `line` of a notebook has parts that are only looked at.

    Example:
        >>> import ast
        >>> from team.review.sources import SourceFile
        >>> code = (
        ...     "a, b = split(X)\\na.shape\\nb[0]\\n"
        ...     "for d in data:\\n    a, b = split(d)\\n    fit(a)\\n"
        ... )
        >>> src = SourceFile("n.ipynb", code, ast.parse(code), cells=[1] * 6)
        >>> split_only_inspected(src, 1)
        True
    """
    if src.cells is None:
        return False
    body = src.tree.body
    at = next((i for i, s in enumerate(body) if s.lineno <= line <= (s.end_lineno or 0)), None)
    split = body[at] if at is not None else None
    if at is None or not isinstance(split, ast.Assign):
        return False
    watched = _bound(split)
    if not watched:
        return False
    for stmt in body[at + 1 :]:
        rebound = _first_rebinding(stmt, watched)
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id in watched
                and node.lineno < rebound.get(node.id, 1 << 30)
                and not _looks_only(stmt, node)
            ):
                return False
        watched -= set(rebound)
        if not watched:
            return True
    return False


def _bound(stmt: ast.Assign) -> set[str]:
    names: set[str] = set()
    for target in stmt.targets:
        elts = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        if not all(isinstance(e, ast.Name) for e in elts):
            return set()
        names |= {e.id for e in elts if isinstance(e, ast.Name)}
    return names


def _first_rebinding(stmt: ast.stmt, watched: set[str]) -> dict[str, int]:
    """Names of `watched` bound again by `stmt`: at the top level, or as the first statements
    of a loop's body; the line of that binding."""
    if isinstance(stmt, ast.Assign):
        return {n: stmt.lineno for n in _bound(stmt) & watched}
    if not isinstance(stmt, ast.For):
        return {}
    out: dict[str, int] = {}
    for inner in stmt.body:
        if not isinstance(inner, ast.Assign):
            break
        out.update({n: inner.lineno for n in _bound(inner) & watched if n not in out})
    return out


def _looks_only(stmt: ast.stmt, read: ast.Name) -> bool:
    """`read` sits in a bare expression that only looks at it."""
    return isinstance(stmt, ast.Expr) and _looks(stmt.value, read)


def _looks(node: ast.expr, read: ast.Name) -> bool:
    if node is read:
        return True
    if isinstance(node, ast.Subscript):
        return _looks(node.value, read)
    if isinstance(node, ast.Attribute) and node.attr in _SIZES:
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            return any(a is read or _looks(a, read) for a in value.args)  # f(x).shape
        return _looks(value, read)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SHOWS:
        return any(_looks(a, read) for a in node.args)
    return False
