"""Estimator objects: construction (pipelines, searches, splitters) and their methods."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from team.review.calltools import arg, datas, ests, is_const, loop_of, mentions, note_split, where
from team.review.catalog import (
    ALWAYS_SHUFFLED_SPLITTERS,
    LABEL_SELECTORS,
    LEVEL_COUNTING_OPTIONS,
    LEVEL_ENCODERS,
    PREDICT_METHODS,
    TARGET_ENCODERS,
    is_classifier,
    transformer_severity,
    words,
)
from team.review.values import (
    Const,
    Data,
    Est,
    EvalRec,
    Folds,
    LeakRec,
    Obj,
    Origin,
    Pred,
    Taint,
    Tup,
    combine,
    derive,
    fresh_id,
    in_order,
    is_full,
    role,
    same_rows,
)

if TYPE_CHECKING:
    from team.review.interfaces import Interpreter
    from team.review.scope import Scope

__all__ = ["check_validation", "est_method", "fit", "make_est", "predicts_out_of_fold"]

FITS = words("fit partial_fit fit_transform fit_resample fit_sample fit_predict")


def make_est(
    it: Interpreter,
    sc: Scope,
    node: ast.Call,
    cls: str,
    kind: str,
    args: list[object],
    kwargs: dict[str, object],
) -> Est:
    """A new estimator; pipelines and column transformers take their kind from their steps."""
    steps: tuple[Est, ...] = ()
    oof = False
    classifier = is_classifier(cls)
    severity = transformer_severity(cls)
    if cls in (
        "Pipeline",
        "make_pipeline",
        "ColumnTransformer",
        "make_column_transformer",
        "FeatureUnion",
        "make_union",
    ):
        raw = (
            args
            if cls.startswith("make_")
            else [arg(args, kwargs, 0, "steps", "transformers", "transformer_list", "stages")]
        )
        items = [i for r in raw for i in (r.items if isinstance(r, Tup) else (r,))]
        last = items[-1] if items else None
        if isinstance(last, Tup):
            last = next((x for x in last.items if isinstance(x, Est)), last.items[-1])
        steps = tuple(ests(*items))
        oof = isinstance(last, Obj) and predicts_out_of_fold(last.cls.node)
        stateful = [s for s in steps if s.kind == "transformer"]
        severity = "error" if any(s.severity == "error" for s in stateful) else "warning"
        if cls.startswith(("Pipeline", "make_pipeline")) and not (
            isinstance(last, Est) and last.kind in ("transformer", "stateless")
        ):
            kind, classifier = "model", isinstance(last, Est) and last.classifier
        else:
            kind = "transformer" if stateful else "stateless"
    elif kind == "search":
        inner = arg(args, kwargs, 0, "estimator")
        classifier = isinstance(inner, Est) and inner.classifier
        steps = (inner,) if isinstance(inner, Est) else ()
    shuffle = cls in ALWAYS_SHUFFLED_SPLITTERS or is_const(kwargs.get("shuffle"), True)
    if kind in ("model", "search") and not it.quiet:
        it.record.models.append((sc.src.rel, cls))
    return Est(
        fresh_id(),
        cls,
        kind,
        it.origin(sc, node),
        frozenset(k for k, v in kwargs.items() if not _no_cut(k, v)),
        steps,
        shuffle,
        classifier=classifier,
        severity=severity,
        oof=oof,
        taint=_kept_fits(steps) if "stages" in kwargs else frozenset(),
    )


_NO_CUT = {
    "min_df": 1,
    "max_df": 1.0,
    "max_features": None,
    "min_frequency": None,
    "max_categories": None,
}


def _no_cut(key: str, value: object) -> bool:
    """`min_df=1`, `max_df=1.0`, `max_features=None`...: a counting option given its default,
    which keeps every word or level. The type is part of the default: `min_df=1.0` keeps only
    the words of every document and `max_df=1` those of one."""
    default = _NO_CUT.get(key, ...)
    return (
        isinstance(value, Const) and type(value.value) is type(default) and value.value == default
    )


def _kept_fits(stages: tuple[Est, ...]) -> frozenset[Taint]:
    """Spark's `Pipeline(stages=[...])` keeps a stage that is already a fitted model as it is
    (`MinMaxScaler(...).fit(data)`): what that fit learned travels with the pipeline, where
    scikit-learn's Pipeline would refit the step."""
    return frozenset(t for s in stages if s.fitted is not None for t in s.taint)


def predicts_out_of_fold(node: ast.ClassDef) -> bool:
    """A repository class whose `fit` trains one model per fold of a splitter and whose `predict`
    fills each fold's rows from the model that did not see them (quantile-forest's
    `CrossValidationPipeline`): its predictions on the rows it was fitted on are out-of-fold, a
    held-out estimate, not a training score."""
    methods = {m.name: m for m in node.body if isinstance(m, ast.FunctionDef)}
    fit, predict = methods.get("fit"), methods.get("predict")
    if fit is None or predict is None:
        return False
    per_fold = any(
        isinstance(loop, ast.For)
        and any(
            isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "split"
            for c in ast.walk(loop.iter)
        )
        for loop in ast.walk(fit)
    )
    fills_rows = any(
        isinstance(loop, ast.For)
        and any(
            isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Subscript)
            for s in ast.walk(loop)
        )
        for loop in ast.walk(predict)
    )
    return per_fold and fills_rows


def learns_statistics(est: Est) -> bool:
    """Whether fitting est learns more than the category levels (a mean, a count, a target)."""
    if est.steps:
        return any(learns_statistics(s) for s in est.steps if s.kind == "transformer")
    return est.cls not in LEVEL_ENCODERS or bool(est.kwargs & LEVEL_COUNTING_OPTIONS)


def selects_by_labels(est: Est) -> bool:
    """A feature selector that scores features against the labels, alone or as a step."""
    return est.cls in LABEL_SELECTORS or any(selects_by_labels(s) for s in est.steps)


_LABEL_NAME = re.compile(r"^(y|labels?|targets?)(_|$)|_(y|labels?|targets?)$", re.I)


def _encodes_labels(est: Est, node: ast.Call) -> bool:
    """A target encoder fitted on what is named as labels (SetFit's
    `LabelEncoder().fit(list(y_test) + list(y_pred))` before its metric): it learns the label
    names and nothing of the test set reaches a model. One fitted on a feature column
    (`test["segment"]`) still encodes the test rows."""
    if est.cls not in TARGET_ENCODERS or not node.args:
        return False
    return any(isinstance(n, ast.Name) and _LABEL_NAME.search(n.id) for n in ast.walk(node.args[0]))


def _label(est: Est) -> str:
    inner = [s.cls for s in est.steps if s.kind == "transformer"]
    return f"{est.cls}({', '.join(inner)})" if inner else est.cls


def est_method(
    it: Interpreter,
    sc: Scope,
    node: ast.Call,
    est: Est,
    name: str,
    args: list[object],
    kwargs: dict[str, object],
) -> object:
    """Effect and value of `estimator.method(...)`."""
    at = it.origin(sc, node)
    x = arg(args, kwargs, 0, "X", "x")
    xd = x if isinstance(x, Data) else None
    if name in FITS:
        y = arg(args, kwargs, 1, "y")
        labelled = y is not None and not is_const(y, None)
        fit(it, sc, node, est, xd, kwargs, at, labelled=labelled)
        if est.kind == "model" and isinstance(y, Data):
            _note_stacking(it, est, xd, y, at)
            it.record.labels[est.uid] = y
        if name == "fit_transform" and xd is not None:
            return derive(xd, taint=xd.taint | est.taint, preds=frozenset())
        if name in ("fit_resample", "fit_sample"):
            y = arg(args, kwargs, 1, "y")
            return Tup(
                tuple(
                    derive(d, taint=d.taint | est.taint) if isinstance(d, Data) else Data.new()
                    for d in (x, y)
                )
            )
        return est if name != "fit_predict" else (xd or Data.new())
    if name in ("transform", "inverse_transform") and xd is not None:
        exposed = role(xd) is not None and xd.path
        for t in in_order(est.taint):
            if exposed and t.ids & xd.ids and t.kind != "select":
                how = f"then applied to split data ({where(it, at)})"
                it.record.leaks.append(LeakRec(t, how, at))
        return derive(xd, taint=xd.taint | est.taint, preds=frozenset())
    if name in PREDICT_METHODS:
        if xd is None:
            return Data.new()
        if est.oof:
            return derive(xd, reduced=False, mask=False)
        pred = Pred(est.uid, est.fitted, xd, est.cls, est.fit_at)
        return derive(xd, preds=xd.preds | {pred}, reduced=False, mask=False)
    if name in ("score", "evaluate"):
        if xd is not None and not est.oof:
            it.record.evals.append(
                EvalRec(est.uid, est.cls, est.fitted, xd, at, est.fit_at, loop_of(sc), sc.func)
            )
        return Data.new(reduced=True)
    if name == "split" and est.kind == "splitter":
        data = xd or Data.new()
        note_split(it, data, at, random=est.shuffle, func=est.cls)
        return Folds(fresh_id(), data)
    if name in ("set_params", "compile"):
        return est
    return combine(*args, *kwargs.values()) or Data.new()


def fit(
    it: Interpreter,
    sc: Scope,
    node: ast.Call,
    est: Est,
    x: Data | None,
    kwargs: dict[str, object],
    at: Origin,
    *,
    labelled: bool = False,
) -> None:
    """Record what fitting `est` on `x` means: a leak source, a fit on test, a search split.

    A feature selector given the labels (`labelled`) of a training split remembers those rows:
    cross-validating on them later is selection outside the cross-validation (`note_split`)."""
    if x is None:
        return
    if x.taint and not it.quiet:
        it.record.fed.append((x.taint, est.cls, at.path))
    if est.kind == "search":
        cv = kwargs.get("cv")
        note_split(it, x, at, random=isinstance(cv, Est) and cv.shuffle, func=est.cls)
        if role(x) == "test":
            it.record.tuning.append((at, f"{est.cls} tunes hyperparameters on the test set"))
    elif est.kind == "transformer":
        if role(x) == "test" and not _encodes_labels(est, node):
            it.record.fit_on_test.append((at, _label(est), "transformer"))
        est.taint = frozenset()
        if is_full(x) and learns_statistics(est):
            est.taint = frozenset({Taint(at, _label(est), "fit", est.severity, x.ids)})
        elif labelled and role(x) != "test" and selects_by_labels(est):
            est.taint = frozenset({Taint(at, _label(est), "select", "error", x.ids, x.path)})
    elif est.kind == "resampler":
        est.taint = frozenset()
        if is_full(x):
            est.taint = frozenset({Taint(at, est.cls, "resample", "error", x.ids)})
        elif _OVERSAMPLER.search(est.cls):
            est.taint = frozenset({Taint(at, est.cls, "oversample", "error", x.ids)})
    elif est.kind == "model":
        if role(x) == "test":
            it.record.fit_on_test.append((at, est.cls, "model"))
        check_validation(it, node, est, kwargs, at)
    est.fitted, est.fit_at = x, at


def _note_stacking(it: Interpreter, est: Est, x: Data | None, y: Data, at: Origin) -> None:
    """A model fitted on two or more other models' predictions for the rows they were
    themselves fitted on, with the same labels (the same value, not only the same rows): a
    meta-model trained on in-sample predictions (`stacking.py`)."""
    if x is None:
        return
    bases = tuple(
        p
        for p in sorted(x.preds, key=lambda p: (p.fit_at.line if p.fit_at else 0, p.cls))
        if p.est != est.uid
        and p.fitted is not None
        and same_rows(p.data, p.fitted)
        and it.record.labels.get(p.est) == y
        and y != p.fitted  # an autoencoder's labels are its input
    )
    if len({p.est for p in bases}) > 1:  # one model's output among the features is no stack
        it.record.stacked.append((at, est.cls, bases))


# Add rows made from the rows they are given (SMOTE's interpolations, RandomOverSampler's
# copies): split after it, a validation part holds rows whose copies or neighbours trained the
# model. An under-sampler only drops rows, so a training part it thinned can be split again.
_OVERSAMPLER = re.compile(r"SMOTE|ADASYN|OverSampler")


def check_validation(
    it: Interpreter, node: ast.Call, est: Est, kwargs: dict[str, object], at: Origin
) -> None:
    """Early stopping or Keras validation on the test set is tuning on it. On a fold's held-out
    rows it is noted, and tuning if the same rows are then scored (`testsetuse.tuning_findings`)."""
    for key in ("eval_set", "validation_data", "valid_sets", "evals"):
        given = datas(kwargs.get(key))
        held_out = [d for d in given if any(side == "fold_val" for _, side in d.path)]
        if not held_out and not any(role(d) == "test" for d in given):
            continue
        keras = key == "validation_data"
        stops = (
            est.cls.startswith("CatBoost")
            or "early_stopping_rounds" in est.kwargs
            or (
                mentions(node, "early_stopping", "earlystopping")
                and not (keras and _monitors_training_only(it, at.path))
            )
            or (keras and _selects_by_validation(it, at.path))
        )
        if stops and held_out:
            it.record.stopped_on.extend((est.uid, d, at, key) for d in held_out)
        elif stops:
            it.record.tuning.append(
                (
                    at,
                    f"`{key}` passes the test set to {est.cls}.fit, which uses it to pick the "
                    "stopping point / best epoch",
                )
            )


_SELECTING_CALLBACKS = re.compile(r"EarlyStopping|ModelCheckpoint|ReduceLROnPlateau")


def _selects_by_validation(it: Interpreter, path: str) -> bool:
    """Keras only reports `validation_data` unless a callback stops, keeps the best epoch or
    lowers the learning rate by it; look for one in the file that fits, unless each one the
    file builds watches a training metric."""
    src = next((s for s in it.repo.sources if s.rel == path), None)
    return (
        src is not None
        and bool(_SELECTING_CALLBACKS.search(src.text))
        and not _monitors_training_only(it, path)
    )


def _monitors_training_only(it: Interpreter, path: str) -> bool:
    """Every stopping, checkpointing or learning-rate callback of the file (at least one)
    watches a training metric: `EarlyStopping(monitor="mae")` stops on the training rows'
    error, so the `validation_data` is only logged and chooses nothing."""
    calls = _selecting_callbacks(it, path)
    return bool(calls) and all(_training_monitor(call) for call in calls)


def _selecting_callbacks(it: Interpreter, path: str) -> list[ast.Call]:
    """The calls of the file that build an `EarlyStopping`, a `ModelCheckpoint` or a
    `ReduceLROnPlateau`."""
    src = next((s for s in it.repo.sources if s.rel == path), None)
    if src is None:
        return []
    return [
        node
        for node in ast.walk(src.tree)
        if isinstance(node, ast.Call) and _SELECTING_CALLBACKS.search(ast.unparse(node.func))
    ]


def _training_monitor(call: ast.Call) -> bool:
    """`monitor="loss"` / `"mae"`: a literal metric name without Keras's `val_` prefix (the
    default, `val_loss`, and any name computed at run time may be a validation score)."""
    return any(
        kw.arg == "monitor"
        and isinstance(kw.value, ast.Constant)
        and isinstance(kw.value.value, str)
        and not kw.value.value.startswith("val")
        for kw in call.keywords
    )
