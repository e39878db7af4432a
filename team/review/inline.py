"""Inlining calls into repository code: parameter binding, globals, in-place write-back."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from team.review.calltools import ests
from team.review.catalog import role_hint
from team.review.recordclass import fields, is_record_class
from team.review.scope import Scope
from team.review.sources import SourceFile
from team.review.values import ClassRef, Const, Data, FuncRef, Obj, Tup, combine

if TYPE_CHECKING:
    from team.review.interfaces import Interpreter

__all__ = ["MAX_DEPTH", "MAX_STEPS", "Scope", "instantiate", "invoke"]

MAX_DEPTH = 6
MAX_STEPS = 40_000


def invoke(
    it: Interpreter,
    sc: Scope,
    ref: FuncRef,
    args: list[object],
    kwargs: dict[str, object],
    call: ast.AST | None,
) -> object:
    """Interpret a repository function with the given arguments and return its value."""
    fdef = ref.node
    if len(sc.frames) >= MAX_DEPTH or id(fdef) in it.active or it.steps > MAX_STEPS:
        for est in ests(*args, *kwargs.values()):
            it.record.escapes.add(est.uid)
        return combine(*args, *kwargs.values()) or Data.new()
    if not it.quiet:
        it.ws.visited.add(id(fdef))
    src = ref.src
    if not isinstance(src, SourceFile):
        return Data.new()
    if src is it.entry:
        glob = it.entry_env
    elif src is sc.src and sc.globals is not None:
        glob = sc.globals
    else:
        glob = it.ws.module_env(src)
    frames = sc.frames if call is None else (*sc.frames, (sc.src.rel, getattr(call, "lineno", 0)))
    callee = Scope(src, {}, glob, frames, sc.loops, fdef)
    bind_params(it, callee, fdef, ref.bound, args, kwargs)
    it.active.add(id(fdef))
    try:
        it.exec_body(callee, fdef.body)
    finally:
        it.active.discard(id(fdef))
    if isinstance(call, ast.Call):
        write_back(it, sc, call, fdef, callee)
    results = [_predicted(fdef, r) for r in callee.returns if r is not None]
    if not results:
        return Const(None)
    if len(results) == 1 or not all(isinstance(r, Data) for r in results):
        return results[-1]
    return combine(*results) or results[-1]


def _predicted(fdef: ast.AST, value: object) -> object:
    """What a repository `predict` method returns is predictions: a mean it takes of the rows
    it is handed (a forest averaging its trees' outputs, `np.mean(preds, axis=0)`) is how the
    model answers, not a statistic of the test set to fill or scale the test rows with.
    Arithmetic inside the method that writes such a statistic back into its rows is recorded
    where it happens, and a full-data statistic keeps its taint."""
    if not (isinstance(value, Data) and _predict_method(fdef)):
        return value
    kept = frozenset(t for t in value.stats if t.kind != "teststat")
    return value if kept == value.stats else replace(value, stats=kept)


def _predict_method(fdef: ast.AST) -> bool:
    """`def predict(self, X)` or `def predict_proba(self, X)`: a model's predict method, not any
    function whose name starts with "predict" (`predictor_means(frame)`).

    Example:
        >>> [_predict_method(ast.parse(t).body[0]) for t in (
        ...     "def predict_proba(self, X): pass", "def predictor_means(self): pass",
        ...     "def predict(X): pass")]
        [True, False, False]
    """
    if not isinstance(fdef, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    params = [*fdef.args.posonlyargs, *fdef.args.args]
    return (
        (fdef.name == "predict" or fdef.name.startswith("predict_"))
        and bool(params)
        and params[0].arg == "self"
    )


def write_back(it: Interpreter, sc: Scope, call: ast.Call, fdef: ast.AST, callee: Scope) -> None:
    """A helper that fills or scales a frame in place changes the caller's frame too."""
    params = [p.arg for p in (*fdef.args.posonlyargs, *fdef.args.args)]  # type: ignore[attr-defined]
    for param, node in zip(params, call.args, strict=False):
        if not isinstance(node, ast.Name) or _copied(fdef, param):
            continue
        before, after = it.lookup(sc, node.id), callee.env.get(param)
        if (
            isinstance(before, Data)
            and isinstance(after, Data)
            and (after.ids, after.path) == (before.ids, before.path)
            and (after.taint - before.taint or after.temporal > before.temporal)
        ):
            it.store_into(sc, node.id, before, after)


_COPIES = frozenset({"clone", "copy", "deepcopy"})


def _copied(fdef: ast.AST, param: str) -> bool:
    """`data = data.clone()`, `df = df.copy()`, `x = copy.deepcopy(x)`: the helper works on its
    own copy, so what it stores into it never reaches the caller's object (mule-hunt's
    `train_gnn` standardises `data.x` of a clone of the caller's graph)."""
    for node in ast.walk(fdef):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        if not any(isinstance(t, ast.Name) and t.id == param for t in node.targets):
            continue
        func = node.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _COPIES:
            return True
    return False


def bind_params(
    it: Interpreter,
    sc: Scope,
    fdef: ast.AST,
    bound: object,
    args: list[object],
    kwargs: dict[str, object],
) -> None:
    """Bind arguments to parameters; missing ones are unknown data named after them."""
    a = fdef.args  # type: ignore[attr-defined]
    positional = [*a.posonlyargs, *a.args]
    values = list(args)
    if bound is not None and positional:
        sc.env[positional[0].arg] = bound
        positional = positional[1:]
    defaults = dict(zip([p.arg for p in positional][::-1], a.defaults[::-1], strict=False))
    defaults.update({p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d})
    for i, param in enumerate([*positional, *a.kwonlyargs]):
        name = param.arg
        if i < len(positional) and i < len(values):
            value = values[i]
        elif name in kwargs:
            value = kwargs[name]
        elif name in defaults:
            value = it.ev(Scope(sc.src, {}, sc.globals), defaults[name])
        elif name in ("self", "cls"):
            value = Data.new()
        else:
            value = Data.new(hint=role_hint(name))
        sc.env[name] = value
    if a.vararg is not None:
        sc.env[a.vararg.arg] = Tup(tuple(values[len(positional) :]))
    if a.kwarg is not None:
        sc.env[a.kwarg.arg] = Data.new()


def instantiate(
    it: Interpreter,
    sc: Scope,
    ref: ClassRef,
    args: list[object],
    kwargs: dict[str, object],
    call: ast.AST,
) -> Obj:
    """Create an instance of a repository class, running its `__init__` (a dataclass's or an
    attrs class's fields are set from the call or their defaults, then its post-init runs)."""
    obj = Obj(ref)
    methods = {n.name: n for n in ref.node.body if isinstance(n, ast.FunctionDef)}
    if is_record_class(ref.node):
        _set_fields(it, sc, ref, obj, args, kwargs)
        post = methods.get("__post_init__") or methods.get("__attrs_post_init__")
        if post is not None:
            invoke(it, sc, FuncRef(post, ref.src, obj), [], {}, call)
    elif "__init__" in methods:
        invoke(it, sc, FuncRef(methods["__init__"], ref.src, obj), args, kwargs, call)
    return obj


def _set_fields(
    it: Interpreter,
    sc: Scope,
    ref: ClassRef,
    obj: Obj,
    args: list[object],
    kwargs: dict[str, object],
) -> None:
    src = ref.src
    if not isinstance(src, SourceFile):
        return
    glob = it.entry_env if src is it.entry else it.ws.module_env(src)
    for i, (name, default) in enumerate(fields(ref.node)):
        if i < len(args):
            obj.attrs[name] = args[i]
        elif name in kwargs or name.lstrip("_") in kwargs:
            obj.attrs[name] = kwargs.get(name, kwargs.get(name.lstrip("_")))
        elif default is not None:
            obj.attrs[name] = it.ev(Scope(src, {}, glob, sc.frames, sc.loops), default)
