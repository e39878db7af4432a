"""What calls, attributes and subscripts mean to the data-flow interpreter.

Calls into repository code are inlined by the interpreter; estimator methods are in
`estimators.py`, library functions and pandas/numpy methods in `library.py`. Anything else is
opaque: its result joins the data passed in, and an estimator passed to it with other data is
assumed to be evaluated there (so no "only evaluated on training data" verdict is drawn).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from team.review import inline
from team.review.calendarcols import is_calendar_feature
from team.review.calltools import is_const, iter_items, note_split, opaque
from team.review.catalog import role_hint
from team.review.columnlist import lists_columns
from team.review.estimators import est_method
from team.review.library import api_call, data_method
from team.review.slicepairs import complement_in
from team.review.trainhead import train_head
from team.review.values import (
    ClassRef,
    Const,
    Data,
    DictV,
    Est,
    FuncRef,
    Indices,
    ModRef,
    Obj,
    Tup,
    combine,
    derive,
    fresh_id,
)

if TYPE_CHECKING:
    from team.review.interfaces import Interpreter
    from team.review.scope import Scope

__all__ = ["eval_attribute", "eval_call", "eval_subscript", "iter_items", "note_split"]


def eval_call(it: Interpreter, sc: Scope, node: ast.Call) -> object:
    """Value of a call: inline repository code, else give library calls their meaning."""
    func = node.func
    recv: object = None
    qual: str | None = None
    target: object = None
    if isinstance(func, ast.Attribute):
        recv = it.ev(sc, func.value)
        if isinstance(recv, ModRef):
            qual = f"{recv.qual}.{func.attr}"
            target = it.resolve(qual)
        elif isinstance(recv, Obj | ClassRef):
            target = eval_attribute(it, sc, func, base=recv)
    elif isinstance(func, ast.Name):
        value = it.lookup(sc, func.id)
        if value is None:
            qual = func.id
        elif isinstance(value, ModRef):
            qual, target = value.qual, it.resolve(value.qual)
        else:
            target = value
    else:
        it.ev(sc, func)
    args: list[object] = []
    for a in node.args:
        value = it.ev(sc, a)
        if isinstance(a, ast.Starred) and isinstance(value, Tup):
            args.extend(value.items)
        else:
            args.append(value)
    kwargs = {kw.arg: it.ev(sc, kw.value) for kw in node.keywords if kw.arg}
    for kw in node.keywords:
        if kw.arg is None:
            it.ev(sc, kw.value)
    if isinstance(target, FuncRef):
        return inline.invoke(it, sc, target, args, kwargs, node)
    if isinstance(target, ClassRef):
        return inline.instantiate(it, sc, target, args, kwargs, node)
    if isinstance(func, ast.Attribute):
        if isinstance(recv, Est):
            return est_method(it, sc, node, recv, func.attr, args, kwargs)
        if isinstance(recv, Data) and qual is None:
            result = data_method(it, sc, node, recv, func.attr, args, kwargs)
            if is_const(kwargs.get("inplace"), True) and isinstance(result, Data):
                _store_inplace(it, sc, func.value, result)
            return result
        if isinstance(recv, DictV):
            if func.attr == "items":
                return Tup(tuple(Tup(p) for p in recv.pairs))
            if func.attr == "values":
                return Tup(tuple(v for _, v in recv.pairs))
            if func.attr == "keys":
                return Tup(tuple(k for k, _ in recv.pairs))
    if qual is not None:
        return api_call(it, sc, node, qual, args, kwargs)
    owner = recv.cls if isinstance(recv, Obj) else recv if isinstance(recv, ClassRef) else None
    return opaque(it, "", args, kwargs, owner=owner.node.name if owner else "")


def _store_inplace(it: Interpreter, sc: Scope, target: ast.expr, result: Data) -> None:
    """`df["c"].fillna(v, inplace=True)` changes `df`."""
    while isinstance(target, ast.Attribute | ast.Subscript):
        target = target.value
    if isinstance(target, ast.Name):
        base = it.lookup(sc, target.id)
        if isinstance(base, Data):
            it.store_into(sc, target.id, base, result)


# attributes that view the whole object (a frame's array, its indexers), not one field of it
_WHOLE_VIEWS = frozenset({"values", "iloc", "loc", "iat", "at", "T", "array", "data"})


def eval_attribute(it: Interpreter, sc: Scope, node: ast.Attribute, base: object = None) -> object:
    """Value of `x.attr`: module members, instance attributes and bound methods, columns."""
    if base is None:
        base = it.ev(sc, node.value)
    attr = node.attr
    if isinstance(base, ModRef):
        qual = f"{base.qual}.{attr}"
        return it.resolve(qual) or ModRef(qual)
    if isinstance(base, Obj | ClassRef):
        cls = base.cls if isinstance(base, Obj) else base
        if isinstance(base, Obj) and attr in base.attrs:
            return base.attrs[attr]
        for member in cls.node.body:
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and member.name == attr:
                return FuncRef(member, cls.src, base if isinstance(base, Obj) else None)
        value = Data.new()
        if isinstance(base, Obj):
            base.attrs[attr] = value
        return value
    if isinstance(base, Est):
        return base if attr == "best_estimator_" else Data.new()
    if isinstance(base, Data):
        temporal = base.temporal and not is_calendar_feature(node, sc.src.tree)
        hint = role_hint(attr) or base.hint  # bunch.cov_train
        elsewhere = {t for a, t in base.held} - {t for a, t in base.held if a == attr}
        if attr in _WHOLE_VIEWS:  # `frame.values` after `frame.col = ...` holds the column
            elsewhere = set()
        return derive(
            base,
            mask=False,
            hint=hint,
            temporal=temporal,
            taint=base.taint - elsewhere,
            held=frozenset(),
        )
    return Data.new()


def eval_subscript(it: Interpreter, sc: Scope, node: ast.Subscript) -> object:
    """Value of `x[k]`: a column keeps the rows, a mask, slice or fold index takes a subset."""
    base = it.ev(sc, node.value)
    key = it.ev(sc, node.slice)
    if isinstance(base, Tup):
        if (
            isinstance(key, Const)
            and isinstance(key.value, int)
            and -len(base.items) <= (key.value) < len(base.items)
        ):
            return base.items[key.value]
        return combine(base) or Data.new()
    if isinstance(base, DictV):
        for k, v in base.pairs:
            if isinstance(k, Const) and isinstance(key, Const) and k.value == key.value:
                return v
        return Data.new()
    if not isinstance(base, Data):
        return Data.new()
    by_label = isinstance(node.value, ast.Attribute) and node.value.attr in ("iloc", "loc")
    first_node, first = node.slice, key
    if isinstance(node.slice, ast.Tuple) and node.slice.elts:
        first_node = node.slice.elts[0]
        first = key.items[0] if isinstance(key, Tup) and key.items else Data.new()
    if isinstance(first, Indices):
        return derive(base, path=(*base.path, (first.sid, first.side)), hint=None)
    named = _named_rows(first_node, first)
    if named is not None and not (
        isinstance(first_node, ast.Name) and lists_columns(sc.func or sc.src.tree, first_node.id)
    ):
        return derive(base, path=(*base.path, named), hint=None, mask=False)
    rows = False
    if isinstance(first_node, ast.Slice):
        # `rows[:end]`, end = `split.train[-1]`
        if train_head(sc.func or sc.src.tree, node, sc.src.tree):
            return derive(base, path=(*base.path, (fresh_id(), "train")), hint=None, mask=False)
        # `frame.iloc[::3]` thins the rows across the whole range: every third row, no part
        rows = first_node.lower is not None or first_node.upper is not None
        head = first_node.lower is None and first_node.upper is not None
        if head and base.taint and not it.quiet and complement_in(sc.func or sc.src.tree, node):
            bound = ast.unparse(first_node.upper)  # type: ignore[arg-type]
            at = it.origin(sc, node)
            chain = (*sc.frames, (sc.src.rel, at.line))
            label = f"slices [:{bound}] and [{bound}:]"
            note_split(it, base, at, random=False, func=label, chain=chain)
    elif isinstance(first, Data):
        rows = first.mask or by_label
    elif by_label and not _is_columns(first):
        rows = True
    if rows:
        return derive(base, path=(*base.path, (fresh_id(), "subset")), hint=None, mask=False)
    return derive(base, mask=False)


_PART = re.compile(r"[0-9_]*(train|training|test|valid|val|validation|holdout)", re.IGNORECASE)


def _named_rows(node: ast.expr, key: object) -> tuple[int, str] | None:
    """`data[train_idx]`, `X[test_mask]`: an index or mask variable named as a split part
    selects that part's rows; so does a key that is only a part's name (`splits["valid"]`,
    `parts["0train"]`). Each is its own row subset (one id per name, the same on every use)."""
    if isinstance(node, ast.Name) and isinstance(key, Data):
        side = role_hint(node.id)
        return None if side is None else (hash((node.id, key.ids)), side)
    if isinstance(key, Const) and isinstance(key.value, str) and _PART.fullmatch(key.value):
        side = role_hint(key.value)
        return None if side is None else (hash(("part", key.value)), side)
    return None


def _is_columns(value: object) -> bool:
    if isinstance(value, Const):
        return isinstance(value.value, str)
    return isinstance(value, Tup) and all(_is_columns(v) for v in value.items)
