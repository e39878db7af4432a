"""Centring or scaling inside an estimator's own `fit`: preprocessing of the rows it is given.

nirs4all-aom's PLS estimators start `fit(self, X, y)` with `self.x_mean_ = X.mean(axis=0)` and
`Xc = X - self.x_mean_`, and `predict` subtracts the stored `x_mean_`; the component selection
that `fit` then runs cuts `Xc` into folds (KFold in selection.py). The review read the centring
as a full-data statistic written before a split (fresh54, judged false twice): the rows a
model's `fit` is given are its training rows, whoever split them, and the statistic it learns
from them is the model's fitted state, reused on new rows. That is what a Pipeline step does.

`own_fit` tells that shape: the statistic is written inside a method named `fit`,
`partial_fit`, `fit_transform` or `_fit` of a class; the line reads only the method's own data
(its parameters and names made from them in the method) and the class's attributes; and the
method stores on `self` an attribute another method of the class reads (the fitted state that
`predict`/`transform` reuse). The leak is then not reported when the split is not in that
method's own body but in a routine it hands its rows to (the estimator's inner selection, which
re-learns what it needs per fold), and nothing scored is recorded on the rows. A fit that holds
out rows itself and reports an error on them, a script, a function or a method that is not a
fit (a `run`, a `prepare`) that centres all rows before it splits them is reported as before.
"""

from __future__ import annotations

import ast

__all__ = ["own_fit"]

_FITS = frozenset({"fit", "partial_fit", "fit_transform", "_fit"})


def own_fit(tree: ast.Module, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The estimator's own fit method `line` lies in, when the line reads only the method's data
    and the class's attributes and the method stores state another method of the class reads;
    else None.

    Example:
        >>> src = '''
        ... class PLS:
        ...     def fit(self, X, y):
        ...         X = X.astype(float)
        ...         self.x_mean_ = X.mean(axis=0)
        ...         Xc = X - self.x_mean_
        ...         return self
        ...     def predict(self, X):
        ...         return (X - self.x_mean_) @ self.coef_
        ... '''
        >>> own_fit(ast.parse(src), 6).name
        'fit'
        >>> own_fit(ast.parse(src.replace("def fit", "def run")), 6) is None
        True
    """
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        for method in cls.body:
            if (
                isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
                and method.name in _FITS
                and method.lineno <= line <= (method.end_lineno or method.lineno)
            ):
                if _reads_own_data(method, line) and _stores_reused_state(cls, method, line):
                    return method
                return None
    return None


def _reads_own_data(method: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> bool:
    """The statements at `line` read some of the method's data and no other local name."""
    own = _made_from_parameters(method)
    names = {
        n.id
        for stmt in _statements_at(method, line)
        for n in ast.walk(stmt)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    local = names & (_assigned(method) | _parameters(method))
    return bool(local & own) and local <= own | {_self(method)}


def _statements_at(method: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> list[ast.stmt]:
    """The simple statements (no block of their own) whose lines hold `line`."""
    return [
        stmt
        for stmt in ast.walk(method)
        if isinstance(stmt, ast.stmt)
        and not getattr(stmt, "body", None)
        and stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno)
    ]


def _parameters(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = method.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _self(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    args = [*method.args.posonlyargs, *method.args.args]
    return args[0].arg if args else "self"


def _assigned(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return {
        n.id for n in ast.walk(method) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _made_from_parameters(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The method's parameters (but `self`) and the local names assigned from them."""
    own = _parameters(method) - {_self(method)}
    assigns = [
        n for n in ast.walk(method) if isinstance(n, ast.Assign | ast.AnnAssign | ast.AugAssign)
    ]
    changed = True
    while changed:
        changed = False
        for node in assigns:
            if (
                node.value is None
                or not {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)} & own
            ):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name) and n.id not in own:
                        own.add(n.id)
                        changed = True
    return own


def _stores_reused_state(
    cls: ast.ClassDef, fit: ast.FunctionDef | ast.AsyncFunctionDef, line: int
) -> bool:
    """The statement at `line` sets or reads a `self.<attr>` that `fit` sets and another method
    of the class reads: the statistic is the model's fitted state, not a one-off."""
    me = _self(fit)
    stored = {n.attr for n in _self_attributes(fit, me) if isinstance(n.ctx, ast.Store)}
    here = {
        n.attr
        for stmt in _statements_at(fit, line)
        for n in _self_attributes(stmt, me)
        if n.attr in stored
    }
    for other in cls.body:
        if other is fit or not isinstance(other, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(n.attr in here for n in _self_attributes(other, _self(other))):
            return True
    return False


def _self_attributes(node: ast.AST, me: str) -> list[ast.Attribute]:
    return [
        n
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == me
    ]
