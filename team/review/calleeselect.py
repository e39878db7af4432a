"""A selection loop whose candidates are trained and scored in helpers it calls.

RiskX's `train_auto(X_train, y_train, X_val, y_val)` loops over algorithms, calls one helper per
algorithm (`results[algo] = self._train_logistic(X_train, y_train, X_val, y_val)`), each of which
fits a model, scores it on `X_val` and returns the score in a dict (`{"val_score": val_score}`),
and keeps the model whose `results[algo]["val_score"]` beats the best so far. The score is
computed outside the loop's lines, so the loop is tied to it through the helper's call: the
helper's name is called in the loop, and the score comes back either as the call's value or
under a constant key of the dict the helper returns, read back in the loop by that key.

Example:
    >>> import ast
    >>> helper = ast.parse(
    ...     "def fit_one(X, y, Xv, yv):\\n"
    ...     "    m = make().fit(X, y)\\n"
    ...     "    val = auc(yv, m.predict(Xv))\\n"
    ...     "    return {'model': m, 'val': val}\\n"
    ... ).body[0]
    >>> returned_keys(helper, 3)
    ({'val'}, False)
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from team.review.calltools import leaf_name
from team.review.values import EvalRec

__all__ = ["best_attributes", "callee_hit", "reads_after", "returned_keys", "selected_in_callees"]

_Func = ast.FunctionDef | ast.AsyncFunctionDef


def returned_keys(func: ast.AST, line: int) -> tuple[set[str], bool]:
    """The constant dict keys under which `func` returns the value computed at `line`, and
    whether it returns that value itself. The value is the expression spanning `line`, or the
    one name a plain assignment spanning `line` binds (`val_score = roc_auc_score(...)`)."""
    names: set[str] = set()
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and node.value is not None
            and _spans(node.value, line)
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}

    def carries(value: ast.AST) -> bool:
        return _spans(value, line) or (isinstance(value, ast.Name) and value.id in names)

    keys: set[str] = set()
    direct = False
    for node in ast.walk(func):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Dict):
            keys |= {
                k.value
                for k, v in zip(value.keys, value.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and carries(v)
            }
        elif carries(value):
            direct = True
    return keys, direct


def callee_hit(loop: ast.AST, func: ast.AST, line: int) -> Callable[[ast.AST], bool] | None:
    """A test for the expressions of `loop` that hold the value `func` computes at `line`:
    calls of `func` in the loop when it returns the value itself, and reads of the returned
    dict's key (`results[algo]["val_score"]`, `self._fit(...)["val_score"]`) from a name the
    loop stores a call's result in. None when `func` is not called in the loop, or the value is
    not returned."""
    if not isinstance(func, _Func) or _spans(func, getattr(loop, "lineno", 0)):
        return None
    calls = [
        n for n in ast.walk(loop) if isinstance(n, ast.Call) and leaf_name(n.func) == func.name
    ]
    keys, direct = returned_keys(func, line)
    if not calls or not (keys or direct):
        return None
    call_ids = {id(c) for c in calls}
    holders: set[str] = set()
    for node in ast.walk(loop):
        if isinstance(node, ast.Assign) and id(node.value) in call_ids:
            holders |= {_root(t) for t in node.targets} - {""}

    def holds(sub: ast.AST) -> bool:
        if direct and id(sub) in call_ids:
            return True
        if not (
            isinstance(sub, ast.Subscript)
            and isinstance(sub.slice, ast.Constant)
            and sub.slice.value in keys
        ):
            return False
        inner = sub.value
        while isinstance(inner, ast.Subscript):
            inner = inner.value
        return id(inner) in call_ids or (isinstance(inner, ast.Name) and inner.id in holders)

    return lambda node: any(holds(sub) for sub in ast.walk(node))


def _root(target: ast.AST) -> str:
    """`results` for `results[algo]` and `results`; '' for an attribute or a tuple."""
    while isinstance(target, ast.Subscript):
        target = target.value
    return target.id if isinstance(target, ast.Name) else ""


def _spans(node: ast.AST, line: int) -> bool:
    return getattr(node, "lineno", 0) <= line <= (getattr(node, "end_lineno", 0) or 0)


def selected_in_callees(
    loop: ast.AST,
    path: str,
    evals: list[EvalRec],
    selects: Callable[[ast.AST, Callable[[ast.AST], bool]], bool],
) -> tuple[list[EvalRec], Callable[[ast.AST], bool]] | None:
    """The scores of `evals` (taken in helpers of `loop`, in file `path`) by which the loop
    selects, each of a model fitted in the same helper, with a test for the loop's expressions
    that hold one; None when the loop selects by none of them. `selects(loop, hit)` is the
    loop's own selection test (`testsetuse._selects`)."""
    chosen: list[EvalRec] = []
    hits: list[Callable[[ast.AST], bool]] = []
    for e in sorted(evals, key=lambda e: (e.at.line, e.cls)):
        func = e.scope
        fit = e.fit_at
        if e.at.path != path or fit is None or fit.path != path or func is None:
            continue
        if not _spans(func, fit.line) or _spans(loop, e.at.line):
            continue  # a model fitted elsewhere, or a score the loop's own lines take
        hit = callee_hit(loop, func, e.at.line)
        if hit is not None and selects(loop, hit):
            chosen.append(e)
            hits.append(hit)
    if not chosen:
        return None
    return chosen, lambda node: any(h(node) for h in hits)


def best_attributes(loop: ast.AST, hit: Callable[[ast.AST], bool]) -> set[str]:
    """The attributes the loop keeps the best score in: `self.best_score = score` where `score`
    holds the selecting value (`hit`) or is assigned from it in the loop."""
    assigns = [n for n in ast.walk(loop) if isinstance(n, ast.Assign)]
    scores = {t.id for n in assigns if hit(n.value) for t in n.targets if isinstance(t, ast.Name)}
    return {
        t.attr
        for n in assigns
        if hit(n.value) or {m.id for m in ast.walk(n.value) if isinstance(m, ast.Name)} & scores
        for t in n.targets
        if isinstance(t, ast.Attribute)
    }


def reads_after(tree: ast.Module, line: int, attrs: set[str]) -> list[int]:
    """Lines after `line`, in the function around it, that read one of `attrs`
    (`print(model.best_score)`)."""
    funcs = [f for f in ast.walk(tree) if isinstance(f, _Func) and _spans(f, line)]
    scope: ast.AST = min(funcs, key=lambda f: f.end_lineno or 0) if funcs else tree
    return sorted(
        {
            n.lineno
            for n in ast.walk(scope)
            if isinstance(n, ast.Attribute)
            and isinstance(n.ctx, ast.Load)
            and n.attr in attrs
            and n.lineno > line
        }
    )
