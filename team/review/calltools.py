"""Shared pieces of call handling: argument access, splits, escapes and loop items."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from team.review.catalog import CV_FUNCTIONS, PERSIST, SEARCH_CLASSES, leaf_name
from team.review.values import (
    Const,
    Data,
    DictV,
    Est,
    Folds,
    Indices,
    LeakRec,
    Origin,
    SplitRec,
    Taint,
    Tup,
    combine,
    derive,
    fresh_id,
    in_order,
    same_rows,
)

if TYPE_CHECKING:
    from team.review.interfaces import Interpreter
    from team.review.scope import Scope

__all__ = [
    "PERSIST",
    "Seq",
    "arg",
    "arith",
    "datas",
    "ests",
    "is_const",
    "iter_items",
    "leaf_name",
    "loop_of",
    "mentions",
    "note_split",
    "opaque",
    "where",
]


@dataclass(frozen=True)
class Seq:
    """`enumerate(...)` / `zip(...)`: iterated by loops."""

    kind: str
    parts: tuple[object, ...]


def datas(*values: object) -> list[Data]:
    """The data values among call arguments (looking inside tuples and lists)."""
    out: list[Data] = []
    for v in values:
        if isinstance(v, Data):
            out.append(v)
        elif isinstance(v, Tup):
            out.extend(datas(*v.items))
    return out


def ests(*values: object) -> list[Est]:
    """The estimators among call arguments (looking inside tuples and lists)."""
    out: list[Est] = []
    for v in values:
        if isinstance(v, Est):
            out.append(v)
        elif isinstance(v, Tup):
            out.extend(ests(*v.items))
    return out


def loop_of(sc: Scope) -> tuple[ast.AST, str] | None:
    """The innermost loop being executed, with its file."""
    return sc.loops[-1] if sc.loops else None


def where(it: Interpreter, at: Origin) -> str:
    """`line N` in the analysed file, else `path:N`."""
    return f"line {at.line}" if at.path == it.entry.rel else f"{at.path}:{at.line}"


def arith(
    it: Interpreter, *values: object, at: Origin, affine: bool = False, compared: bool = False
) -> Data | None:
    """Arithmetic joining data and statistics (`df.fillna(df.mean())`, `(x - m) / s`).

    A statistic of the test split written into the test split is noted as a fit on test, unless
    the arithmetic is `compared`: itself an operand of an `if` or `while` test's comparison, where
    it only picks a branch (not what the test hands to a call or binds with a walrus).
    `affine`: the statistic only shifts or scales the rows (`+ - * /`), noted per place.
    """
    out = combine(*values, arithmetic=True, at=at)
    if out is None or it.quiet:
        return out
    before = frozenset().union(*(d.taint for d in datas(*values)))
    if out.taint - before:
        (it.record.affine if affine else it.record.nonaffine).add(at)
    for t in in_order(out.taint - before):
        if t.kind == "teststat" and not compared:
            it.record.fit_on_test.append((at, f"a statistic of the test set ({t.what})", "stat"))
    return out


def note_split(
    it: Interpreter,
    data: Data,
    at: Origin,
    *,
    random: bool,
    func: str,
    chain: tuple[tuple[str, int], ...] | None = None,
) -> None:
    """A split of `data`; statistics learned on the unsplit rows leak into both sides."""
    it.record.splits.append(SplitRec(data, at, random, func))
    for t in in_order(data.taint):
        if t.kind == "teststat" or (t.kind == "select" and not _validates_selection(t, data, func)):
            continue
        # a trailing window cut in order has no test row behind it; a `DataFrame.sample` named
        # train/test is often a subsample of rows already split (alphapy's mflow_main.py:601)
        if t.trailing and (not random or func == "DataFrame.sample"):
            continue
        it.record.leaks.append(
            LeakRec(t, f"the data is split afterwards ({func}, {where(it, at)})", at, chain)
        )


def _validates_selection(t: Taint, data: Data, func: str) -> bool:
    """A cross-validation or a search splits exactly the rows whose labels chose the features.
    A later split of other rows, or a plain train/validation split, is left alone."""
    return func in CV_FUNCTIONS | SEARCH_CLASSES and (data.ids, data.path) == (t.ids, t.path)


def iter_items(value: object) -> list[object]:
    """What a `for` loop binds on each pass (literal lists are unrolled)."""
    if isinstance(value, Folds):
        return [Tup((Indices(value.sid, "fold_train"), Indices(value.sid, "fold_val")))]
    if isinstance(value, Est) and value.kind == "splitter":  # old API: `for tr, te in KFold(n)`
        sid = fresh_id()
        return [Tup((Indices(sid, "fold_train"), Indices(sid, "fold_val")))]
    if isinstance(value, Tup):
        return list(value.items) or [Data.new()]
    if isinstance(value, DictV):
        return [k for k, _ in value.pairs] or [Data.new()]
    if isinstance(value, Seq):
        # a part that binds nothing (`zip()` inside a `zip`) still yields one unknown value
        lists = [iter_items(p) or [Data.new()] for p in value.parts]
        if not lists:
            return [Data.new()]
        if value.kind == "enumerate":
            return [Tup((Const(i), item)) for i, item in enumerate(lists[0])]
        n = max(len(x) for x in lists)
        return [Tup(tuple(x[min(i, len(x) - 1)] for x in lists)) for i in range(n)]
    if isinstance(value, Data):
        return [derive(value, mask=False, reduced=False)]
    return [Data.new()]


def arg(args: list[object], kwargs: dict[str, object], index: int, *names: str) -> object:
    """Positional argument `index`, else the first keyword among `names`."""
    if len(args) > index:
        return args[index]
    for name in names:
        if name in kwargs:
            return kwargs[name]
    return None


def is_const(value: object, *accepted: object) -> bool:
    """The value is a literal equal to one of `accepted`."""
    return isinstance(value, Const) and value.value in accepted


def mentions(node: ast.AST, *needles: str) -> bool:
    """Some name, attribute or keyword under `node` contains one of `needles`."""
    for sub in ast.walk(node):
        text = (
            sub.id
            if isinstance(sub, ast.Name)
            else getattr(sub, "attr", None) or getattr(sub, "arg", None)
        )
        if isinstance(text, str) and any(w in text.lower() for w in needles):
            return True
    return False


def opaque(
    it: Interpreter, name: str, args: list[object], kwargs: dict[str, object], *, owner: str = ""
) -> object:
    """An unknown call: join its data; an estimator handed over with other data escapes.
    `owner`: the repository class whose method this is, named as the consumer of the rows."""
    values = [*args, *kwargs.values()]
    passed = datas(*values)
    fed = frozenset().union(*(d.taint for d in passed if not d.preds))
    if fed and not it.quiet:  # an unknown consumer of the rows (a torch tensor, a network)
        it.record.fed.append((fed, name or owner or "?", it.entry.rel))
    for est in ests(*values):
        if name in PERSIST:
            it.record.persisted.add(est.uid)
        elif est.fitted is None or any(not same_rows(d, est.fitted) for d in passed):
            it.record.escapes.add(est.uid)
    return combine(*values) or Data.new()
