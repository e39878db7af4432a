"""Library functions and pandas/numpy methods: splits, readers, statistics, metrics."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from team.review.calltools import (
    Seq,
    arg,
    arith,
    datas,
    is_const,
    leaf_name,
    loop_of,
    note_split,
    opaque,
)
from team.review.catalog import (
    CV_FUNCTIONS,
    SEQUENTIAL_SPLIT_LIBRARIES,
    STAT_METHODS,
    est_kind,
    is_date_like,
    is_metric_name,
    role_hint,
    words,
)
from team.review.estimators import check_validation, make_est
from team.review.values import (
    Const,
    Data,
    Est,
    EvalRec,
    Origin,
    Taint,
    Tup,
    combine,
    derive,
    fresh_id,
    is_full,
    role,
)

if TYPE_CHECKING:
    from team.review.interfaces import Interpreter
    from team.review.scope import Scope

__all__ = ["api_call", "data_method"]

ARITHMETIC = words(
    "fillna clip sub subtract div divide truediv floordiv mul multiply add pow where mask "
    "replace rsub rdiv radd rmul combine_first"
)
MASKS = words("isin between isna isnull notna notnull contains startswith endswith")
SUBSETS = words("head tail nlargest nsmallest query")
# Functions that learn a statistic of the rows they get and apply it at once.
FUNCTION_SCALERS = words(
    "scale minmax_scale robust_scale maxabs_scale quantile_transform power_transform zscore"
)
# Statistics that impute or standardise (a max or a sum of the test set is usually a report).
_IMPUTE_STATS = words("mean median std var quantile mode nanmean nanmedian nanstd")
_PATSY_STATEFUL = re.compile(r"\b(standardize|center|scale)\(")
COMBINERS = words(
    "concat concatenate vstack hstack column_stack stack DataFrame Series array asarray merge "
    "get_dummies tensor from_numpy DMatrix Dataset log log1p exp sqrt abs"
)


_LABELS = frozenset({"columns", "index", "dtype", "name", "feature_names", "copy"})


def api_call(
    it: Interpreter,
    sc: Scope,
    node: ast.Call,
    qual: str,
    args: list[object],
    kwargs: dict[str, object],
) -> object:
    """Value of a library function call, recording splits, metrics and boosters."""
    last = qual.rsplit(".", 1)[-1]
    root = qual.split(".")[0]
    at = it.origin(sc, node)
    if last == "train_test_split":
        random = (
            not is_const(kwargs.get("shuffle"), False) and root not in SEQUENTIAL_SPLIT_LIBRARIES
        )
        out: list[object] = []
        sid = fresh_id()
        for a in args:
            d = a if isinstance(a, Data) else Data.new()
            note_split(it, d, at, random=random, func="train_test_split")
            for side in ("train", "test"):
                out.append(derive(d, path=(*d.path, (sid, side)), hint=None, preds=frozenset()))
        return Tup(tuple(out))
    if last == "random_split" and root == "torch" and args and isinstance(args[0], Data):
        d = args[0]
        note_split(it, d, at, random=True, func="random_split")
        sid = fresh_id()
        sides = ("train", "test", "val")
        n = len(args[1].items) if len(args) > 1 and isinstance(args[1], Tup) else 2
        return Tup(
            tuple(derive(d, path=(*d.path, (sid, sides[min(i, 2)])), hint=None) for i in range(n))
        )
    if last in CV_FUNCTIONS:
        est, x = arg(args, kwargs, 0, "estimator"), arg(args, kwargs, 1, "X")
        cv = kwargs.get("cv")
        if isinstance(x, Data):
            note_split(it, x, at, random=isinstance(cv, Est) and cv.shuffle, func=last)
            if x.taint and not it.quiet:
                it.record.fed.append((x.taint, est.cls if isinstance(est, Est) else "?", at.path))
        if isinstance(est, Est):
            it.record.cross_validated.add(est.uid)
            if isinstance(x, Data) and role(x) == "test":
                it.record.fit_on_test.append((at, f"{est.cls} (in {last})", "model"))
        return (
            derive(x, preds=frozenset())
            if isinstance(x, Data) and last.endswith("predict")
            else Data.new(reduced=True)
        )
    kind = est_kind(last) if last[:1].isupper() else None
    if last in (
        "Pipeline",
        "make_pipeline",
        "ColumnTransformer",
        "make_column_transformer",
        "FeatureUnion",
        "make_union",
    ) or (last == "Model" and ("keras" in qual or "tensorflow" in qual)):
        kind = "model"
    if kind is not None:
        return make_est(it, sc, node, last, kind, args, kwargs)
    if qual.startswith("sklearn.datasets.") and last.startswith(("load_", "fetch_", "make_")):
        return _read(it, at, f"{last}()", Data.new(array=True))
    if last.startswith("read_") or last in ("load", "loadtxt", "genfromtxt"):
        path = arg(args, kwargs, 0, "filepath_or_buffer", "path")
        stem = str(path.value).rsplit("/", 1)[-1] if isinstance(path, Const) else ""
        parse = kwargs.get("parse_dates")
        temporal = parse is not None and not is_const(parse, False, None)
        data = Data.new(
            hint=role_hint(stem.split(".")[0]) if stem else None,
            temporal=temporal,
            array=root in ("numpy", "np"),
        )
        return _read(it, at, f"{last}({path.value!r})" if isinstance(path, Const) else last, data)
    if last == "to_datetime":
        return derive(combine(*args) or Data.new(), temporal=True, reduced=False)
    if last in FUNCTION_SCALERS and root in ("sklearn", "scipy"):
        x = arg(args, kwargs, 0, "X", "a")
        if isinstance(x, Data):
            taint = x.taint
            if is_full(x):
                taint |= {Taint(at, f"{last}()", "fit", "error", x.ids)}
            return derive(x, taint=taint, preds=frozenset())
    if last in ("dmatrix", "dmatrices") and root == "patsy":
        formula, frame = arg(args, kwargs, 0, "formula_like"), arg(args, kwargs, 1, "data")
        stateful = isinstance(formula, Const) and _PATSY_STATEFUL.search(str(formula.value))
        if isinstance(frame, Data):
            taint = frame.taint
            if stateful and is_full(frame):
                shown = formula.value if isinstance(formula, Const) else "?"
                taint |= {Taint(at, f"patsy.{last}({shown!r})", "fit", "error", frame.ids)}
            matrix = derive(frame, taint=taint, preds=frozenset())
            return Tup((matrix, matrix)) if last == "dmatrices" else matrix
    if last == "datetime_attribute_timeseries":
        return Data.new(reduced=True)  # calendar values (year, month): known for any date
    if (
        last in _GRIDS
        and root in ("numpy", "np")
        and all(isinstance(v, Const) for v in (*args, *kwargs.values()))
    ):
        return Data.new(reduced=True)  # a grid of constants (frequencies, thresholds): no rows
    if last in STAT_METHODS and root in ("numpy", "np"):
        if _per_sample(node):
            return Data.new()
        return _stat(it, at, f"np.{last}()", args[0] if args else None)
    if last in ("train",) and root in ("xgboost", "lightgbm", "xgb", "lgb"):
        dtrain = arg(args, kwargs, 1, "dtrain", "train_set")
        est = Est(fresh_id(), "Booster", "model", at, frozenset(kwargs))
        check_validation(it, node, est, kwargs, at)
        est.fitted = dtrain if isinstance(dtrain, Data) else None
        est.fit_at = at
        return est
    if is_metric_name(last) and (qual.startswith("sklearn.") or "." not in qual):
        for d in datas(*args, *kwargs.values()):
            for p in sorted(d.preds, key=lambda p: (p.est, sorted(p.data.ids), p.cls)):
                it.record.evals.append(
                    EvalRec(p.est, p.cls, p.fitted, p.data, at, p.fit_at, loop_of(sc), sc.func)
                )
        return Data.new(reduced=True)
    if qual.startswith(("os.path.", "posixpath.", "ntpath.")) or qual == "os.getcwd":
        # a file name holds no rows: two paths built from one unknown folder
        # (`os.path.join(root, "train")`, `os.path.join(root, "test")`) name two data sets,
        # not the same rows twice
        return Const(None)
    if last in _ALLOCATORS and root in ("numpy", "np"):
        # `np.zeros((rounds, y_test.shape[0]))`: new cells, sized by the test set but holding
        # none of its rows (a size still carries its rows, for `rng.permutation(X.shape[0])`
        # indexes them)
        return Data.new()
    if last in ("enumerate", "zip"):
        return Seq(last, tuple(args))
    if last in ("list", "tuple", "sorted", "reversed") and args and isinstance(args[0], Tup):
        return args[0]
    if last in COMBINERS:
        # `columns=`/`index=` name the rows and columns, they add none: a vocabulary shared by
        # the train and test frames must not make them the same rows
        rows = [v for k, v in kwargs.items() if k not in _LABELS]
        return combine(*args, *rows) or Data.new()
    return opaque(it, last, args, kwargs)


_GRIDS = frozenset({"linspace", "arange", "logspace", "geomspace"})
_ALLOCATORS = frozenset({"zeros", "ones", "empty", "full"})


def _per_sample(node: ast.Call) -> bool:
    """A statistic over axes that exclude the rows (`axis=1`, `axis=-1`, `axis=(1, 2)`)."""
    axis = next((k.value for k in node.keywords if k.arg == "axis"), None)
    axes = axis.elts if isinstance(axis, ast.Tuple) else [axis]
    # `-1` parses as a unary minus around 1: only the sign is dropped, the check is `!= 0`.
    values = [
        a.operand.value
        if isinstance(a, ast.UnaryOp) and isinstance(a.operand, ast.Constant)
        else getattr(a, "value", None)
        for a in axes
    ]
    return bool(values) and all(
        isinstance(v, int) and not isinstance(v, bool) and v != 0 for v in values
    )


def _read(it: Interpreter, at: Origin, what: str, data: Data) -> Data:
    """Remember where rows were read, for the data flow a finding explains."""
    if not it.quiet:
        for i in data.ids:
            it.record.reads.setdefault(i, (at, what))
    return data


def _stat(it: Interpreter, at: Origin, what: str, base: object) -> Data:
    if not isinstance(base, Data) or base.reduced:
        return Data.new(reduced=True)
    stats: frozenset[Taint] = frozenset()
    if is_full(base):
        stats = frozenset({Taint(at, what, "stat", "error", base.ids)})
    elif (
        role(base) == "test"
        and not base.residual
        and what.rstrip("()").rsplit(".", 1)[-1] in _IMPUTE_STATS
    ):
        stats = frozenset({Taint(at, what, "teststat", "error", base.ids)})
    return Data(base.ids, base.path, base.taint, stats, base.temporal, base.hint, reduced=True)


def _column_name(func: ast.expr) -> str:
    """`df["signup_date"].max` -> signup_date; `df.signup_date.max` -> signup_date."""
    if not isinstance(func, ast.Attribute):
        return ""
    base = func.value
    if isinstance(base, ast.Subscript) and isinstance(base.slice, ast.Constant):
        return str(base.slice.value)
    return base.attr if isinstance(base, ast.Attribute) else ""


# Trailing windows: a centred one (`center=True`) also reads later rows and stays a statistic.
_WINDOWS = frozenset({"rolling", "expanding", "ewm"})


def _trailing(name: str, args: list[object], kwargs: dict[str, object]) -> bool:
    """`close.rolling(20)`: no `center`, or `center=False` (`rolling`'s third positional argument,
    `rolling(20, 1, True)`, is `center` too); a `center` not known to be False may be centred."""
    center = kwargs.get("center")
    if center is None and name == "rolling" and len(args) > 2:
        center = args[2]
    return center is None or is_const(center, False)


def data_method(
    it: Interpreter,
    sc: Scope,
    node: ast.Call,
    recv: Data,
    name: str,
    args: list[object],
    kwargs: dict[str, object],
) -> object:
    """Value of a pandas/numpy method on data: statistics, masks, samples, date sorting."""
    at = it.origin(sc, node)
    if name in _WINDOWS and _trailing(name, args, kwargs):
        return derive(recv, window=True)
    if recv.window:
        # `close.rolling(20).mean()`, `.ewm(span=9).mean()`, `.expanding().apply(f)`: each row's
        # value comes from the rows before it, so an ordered split's test rows shape no training
        # row; a shuffled split trains on rows whose windows read test rows (`Taint.trailing`)
        taint = recv.taint
        if is_full(recv):
            taint |= {Taint(at, f".{name}()", "stat", "error", recv.ids, trailing=True)}
        return derive(recv, window=False, preds=frozenset(), taint=taint)
    if name in STAT_METHODS:
        if is_date_like(_column_name(node.func)):  # a reference date, not a learned statistic
            return Data.new(reduced=True)
        if _per_sample(node):  # `X.mean(axis=1)`: each row's own statistic, nothing crosses rows
            return Data.new()
        if recv.array and not args and not kwargs and name in ("max", "min"):
            return Data.new(reduced=True)  # `X / X.max()`: one constant for every cell
        return _stat(it, at, f".{name}()", recv)
    if (
        name in ("apply", "transform", "pipe")
        and args
        and not _row_wise(kwargs)  # `.apply(np.mean, axis=1)`: each row's own statistic
        and _fits_inside(it, sc, node.args[0])
    ):
        taint = recv.taint
        if is_full(recv):
            taint |= {Taint(at, f"DataFrame.{name}(...)", "fit", "error", recv.ids)}
        return derive(recv, taint=taint, preds=frozenset())
    if name in ARITHMETIC:
        return arith(it, recv, *args, *kwargs.values(), at=at) or recv
    if name in MASKS:
        return derive(recv, mask=True, preds=frozenset())
    if name == "sample":
        if is_const(kwargs.get("frac"), 1, 1.0) or _training_rows(recv):
            return recv
        return derive(recv, path=(*recv.path, (fresh_id(), "sample")), hint=None)
    if name in SUBSETS:
        return derive(recv, path=(*recv.path, (fresh_id(), "subset")), hint=None)
    if name == "randomSplit":  # Spark: `train, test = df.randomSplit([0.7, 0.3])`
        note_split(it, recv, at, random=True, func="randomSplit")
        sid = fresh_id()
        weights = arg(args, kwargs, 0, "weights")
        n = len(weights.items) if isinstance(weights, Tup) else 2
        sides = ("train", "test", "val")
        return Tup(
            tuple(
                derive(recv, path=(*recv.path, (sid, sides[min(i, 2)])), hint=None)
                for i in range(n)
            )
        )
    if name == "drop":
        for other in datas(*args, *kwargs.values()):
            if (
                other.ids == recv.ids
                and len(other.path) == len(recv.path) + 1
                and (other.path[:-1] == recv.path)
            ):
                return derive(recv, path=(*recv.path, (other.path[-1][0], "complement")), hint=None)
        return derive(recv, mask=False)
    if name in ("sort_values", "set_index"):
        by = arg(args, kwargs, 0, "by", "keys")
        cols = [by] if isinstance(by, Const) else list(by.items) if isinstance(by, Tup) else []
        dated = any(
            isinstance(c, Const) and isinstance(c.value, str) and is_date_like(c.value)
            for c in cols
        )
        return derive(recv, temporal=recv.temporal or dated, mask=False)
    if name == "astype":
        dtype = arg(args, kwargs, 0, "dtype")
        dated = isinstance(dtype, Const) and str(dtype.value).startswith("datetime64")
        return derive(recv, temporal=recv.temporal or dated, mask=False)
    given = datas(*args)
    if name in ("transform", "fit_transform") and given:
        # an unknown transformer's output holds the rows it was given, not the object's
        out = combine(*given) or recv
        return derive(out, taint=out.taint | recv.taint)
    return combine(recv, *args, *kwargs.values()) or recv


def _training_rows(recv: Data) -> bool:
    """`X_train.sample(frac=0.3)` thins training rows for speed (Auto_ViML's quick ensemble):
    the sample is still training rows, and no held-out side is made."""
    side = recv.path[-1][1] if recv.path else recv.hint
    return side == "train"


def _row_wise(kwargs: dict[str, object]) -> bool:
    """`axis=1` / `axis="columns"`: the function gets one row at a time, so whatever it
    computes stays within that row (skope-rules' mean of a client's own bill amounts)."""
    return is_const(kwargs.get("axis"), 1, "columns")


def _fits_inside(it: Interpreter, sc: Scope, func: ast.expr) -> bool:
    """A function given to `DataFrame.apply` that learns from what it gets: a lambda or a
    repository function calling `fit_transform`/`fit`, a function scaler or a statistic."""
    body: ast.AST | None = func if isinstance(func, ast.Lambda) else None
    if isinstance(func, ast.Name):
        value = it.lookup(sc, func.id)
        body = getattr(value, "node", None)
        if body is None and func.id in FUNCTION_SCALERS:
            return True
    elif isinstance(func, ast.Attribute) and func.attr in FUNCTION_SCALERS:
        return True
    if body is None:
        return False
    for node in ast.walk(body):
        if isinstance(node, ast.Call):
            f = node.func
            name = leaf_name(f)
            if name in ("fit_transform", "fit") or name in FUNCTION_SCALERS:
                return True
            if isinstance(f, ast.Attribute) and name in ("mean", "std", "min", "max", "median"):
                return True
    return False
