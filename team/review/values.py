"""Abstract values of the data-flow interpreter and the facts it records for the rules.

A `Data` value stands for a frame, array or scalar. `ids` names where its rows came from
(a `read_csv` call, a parameter), `path` records the row subsets taken from those sources
(`(split_id, "train")` after `train_test_split`), so two values hold the same rows when both
agree. `taint` lists statistics learned from unsplit data that flowed into the value.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field, replace

__all__ = [
    "ClassRef",
    "Const",
    "Data",
    "DictV",
    "Est",
    "EvalRec",
    "Folds",
    "FuncRef",
    "Indices",
    "LeakRec",
    "ModRef",
    "Obj",
    "Origin",
    "Pred",
    "Record",
    "SplitRec",
    "Taint",
    "Tup",
    "combine",
    "derive",
    "fresh_id",
    "is_full",
    "role",
    "same_rows",
    "strict_subset",
]

_ids = itertools.count(1)


def fresh_id() -> int:
    """A new identity for a data source, a split or a row subset."""
    return next(_ids)


@dataclass(frozen=True)
class Origin:
    """Where something happened (`path`, `line`) and the line in the analysed file (`site`)."""

    path: str
    line: int
    site: int


@dataclass(frozen=True)
class Taint:
    """A statistic learned from all rows before they were split."""

    origin: Origin
    what: str
    # fit | stat | resample | oversample (rows added to a split part that is split again) |
    # select (features chosen with the labels of split rows)
    kind: str
    severity: str
    ids: frozenset[int]
    path: tuple[tuple[int, str], ...] = ()  # the rows a `select` fit saw
    # a trailing window's statistic (`close.rolling(20).mean()`): each row sees only the rows before
    # it, so it leaks only into a shuffled split, where later rows train on earlier test rows
    trailing: bool = False


def in_order(taints: frozenset[Taint]) -> list[Taint]:
    """Taints in a fixed order (a frozenset's order follows string hashing, which varies per run).

    >>> at = Origin("a.py", 3, 3)
    >>> [t.what for t in in_order(frozenset({Taint(at, ".std()", "stat", "warn", frozenset()),
    ...                                       Taint(at, ".mean()", "stat", "warn", frozenset())}))]
    ['.mean()', '.std()']
    """
    return sorted(
        taints, key=lambda t: (t.origin.path, t.origin.line, t.origin.site, t.kind, t.what)
    )


@dataclass(frozen=True)
class Pred:
    """Predictions of estimator `est` (fitted on `fitted`) for `data`."""

    est: int
    fitted: Data | None
    data: Data
    cls: str
    fit_at: Origin | None = None


@dataclass(frozen=True)
class Data:
    """A frame, array or scalar: where its rows came from and what flowed into it."""

    ids: frozenset[int]
    path: tuple[tuple[int, str], ...] = ()
    taint: frozenset[Taint] = frozenset()
    stats: frozenset[Taint] = frozenset()
    temporal: bool = False
    hint: str | None = None
    preds: frozenset[Pred] = frozenset()
    reduced: bool = False
    mask: bool = False
    array: bool = False  # a numpy array (np.load, sklearn loaders): `.max()` is one number
    residual: bool = False  # targets minus predictions: an error series, not the test rows
    # a trailing window over the rows (`.rolling(20)`, `.expanding()`, `.ewm(span=12)`): what is
    # computed of it is each row's own past, no statistic of all rows
    window: bool = False
    # (attribute, taint): a taint that entered only by `data.attr = value` (a graph's `data.x`);
    # reading another attribute (`data.x_raw`) does not carry it (`calls.eval_attribute`)
    held: frozenset[tuple[str, Taint]] = frozenset()

    @staticmethod
    def new(**kw: object) -> Data:
        return Data(ids=frozenset({fresh_id()}), **kw)  # type: ignore[arg-type]


@dataclass(eq=False)
class Est:
    """A scikit-learn-style estimator object (mutable: `.fit` changes it in place)."""

    uid: int
    cls: str
    kind: str  # transformer | stateless | model | search | resampler | splitter
    origin: Origin
    kwargs: frozenset[str] = frozenset()
    steps: tuple[Est, ...] = ()
    shuffle: bool = False
    fitted: Data | None = None
    taint: frozenset[Taint] = frozenset()
    classifier: bool = False
    severity: str = "error"
    fit_at: Origin | None = None
    oof: bool = False  # predicts each fitted row out of fold (a repository CV wrapper)


@dataclass(frozen=True)
class Const:
    """A literal."""

    value: object


@dataclass(frozen=True)
class Tup:
    """A tuple or list of values (e.g. what `train_test_split` returns)."""

    items: tuple[object, ...]


@dataclass(frozen=True)
class DictV:
    """A dict literal: key and value pairs."""

    pairs: tuple[tuple[object, object], ...]


@dataclass(frozen=True)
class ModRef:
    """An imported module or library object, by qualified name."""

    qual: str


@dataclass(frozen=True)
class FuncRef:
    """A function defined in the repository (`bound` is the instance of a method)."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    src: object  # SourceFile
    bound: object = None


@dataclass(frozen=True)
class ClassRef:
    """A class defined in the repository (`src` is its `SourceFile`)."""

    node: ast.ClassDef
    src: object


@dataclass(eq=False)
class Obj:
    """An instance of a class defined in the repository."""

    cls: ClassRef
    attrs: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Folds:
    """The folds a CV splitter's `split` yields."""

    sid: int
    data: Data


@dataclass(frozen=True)
class Indices:
    """The train or validation row indices of one fold."""

    sid: int
    side: str


@dataclass(frozen=True)
class LeakRec:
    """A full-data statistic exposed by a split or a transform of split data."""

    taint: Taint
    how: str  # description of the split or the transform that exposes the leak
    at: Origin
    # a split by two slices at one bound (`slicepairs.py`): the calls that led to it, then the
    # split itself, as (path, line); None for every other split
    chain: tuple[tuple[str, int], ...] | None = None
    placed: bool = False  # one leak standing for all the callers of a fit (`fitsite.py`)


@dataclass(frozen=True)
class SplitRec:
    """A split of `data` into parts (random or not)."""

    data: Data
    at: Origin
    random: bool
    func: str


@dataclass(frozen=True)
class EvalRec:
    """A score of estimator `est` (fitted on `fitted`) computed on `data`."""

    est: int
    cls: str
    fitted: Data | None
    data: Data
    at: Origin
    fit_at: Origin | None = None
    loop: tuple[ast.AST, str] | None = None
    scope: ast.AST | None = None


@dataclass
class Record:
    """Everything one analysis observed, read by the flow rules."""

    leaks: list[LeakRec] = field(default_factory=list)
    splits: list[SplitRec] = field(default_factory=list)
    evals: list[EvalRec] = field(default_factory=list)
    fit_on_test: list[tuple[Origin, str, str]] = field(default_factory=list)
    tuning: list[tuple[Origin, str]] = field(default_factory=list)
    # (estimator uid, the held-out fold rows it early-stopped on, the fit, the keyword): tuning
    # only when the same rows are then scored (`testsetuse.tuning_findings`)
    stopped_on: list[tuple[int, Data, Origin, str]] = field(default_factory=list)
    escapes: set[int] = field(default_factory=set)
    cross_validated: set[int] = field(default_factory=set)
    reads: dict[int, tuple[Origin, str]] = field(default_factory=dict)  # data id -> its read
    persisted: set[int] = field(default_factory=set)
    # full-data statistics a target was then computed from (`X -= X.mean(0); y = X @ w`): they
    # build synthetic data, they do not leak into an evaluation
    generative: set[Origin] = field(default_factory=set)
    # estimator uid -> the labels of its last fit; and each model fitted on base models'
    # predictions for their own training rows with the same labels (`stacking.py`)
    labels: dict[int, Data] = field(default_factory=dict)
    stacked: list[tuple[Origin, str, tuple[Pred, ...]]] = field(default_factory=list)
    # where full-data statistics were written into rows by `+ - * /` alone (`(x - m) / s`), and
    # where by anything else (`fillna`, a method); and each fit or cross-validation given tainted
    # data: its taints, the estimator class, its file (`rescaled.py`)
    affine: set[Origin] = field(default_factory=set)
    nonaffine: set[Origin] = field(default_factory=set)
    fed: list[tuple[frozenset[Taint], str, str]] = field(default_factory=list)
    models: list[tuple[str, str]] = field(default_factory=list)  # (file, class) of each model built


def _flatten(values: tuple[object, ...]) -> list[Data]:
    out: list[Data] = []
    for v in values:
        if isinstance(v, Data):
            out.append(v)
        elif isinstance(v, Tup):
            out.extend(_flatten(v.items))
        elif isinstance(v, DictV):
            out.extend(_flatten(tuple(val for _, val in v.pairs)))
    return out


def _common_prefix(paths: list[tuple[tuple[int, str], ...]]) -> tuple[tuple[int, str], ...]:
    first = paths[0]
    n = len(first)
    for p in paths[1:]:
        n = min(n, len(p))
        while n and p[:n] != first[:n]:
            n -= 1
    return first[:n]


def combine(*values: object, arithmetic: bool = False, at: Origin | None = None) -> Data | None:
    """Join the data flowing into one result; arithmetic with a full-data statistic taints it.

    The taint is placed at `at`, the line that writes the statistic into the rows.
    """
    parts = _flatten(values)
    if not parts:
        return None
    hints = {p.hint for p in parts if p.hint}
    rows = [p for p in parts if not p.reduced]
    taint = frozenset().union(*(p.taint for p in parts))
    stats = frozenset().union(*(p.stats for p in parts))
    if arithmetic and rows and stats:
        row_ids = frozenset().union(*(r.ids for r in rows))
        taint |= frozenset(replace(s, origin=at or s.origin) for s in stats if s.ids & row_ids)
    basis = rows or parts
    return Data(
        ids=frozenset().union(*(p.ids for p in basis)),
        path=_common_prefix([p.path for p in basis]),
        taint=taint,
        stats=stats if not rows else frozenset(),
        temporal=any(p.temporal for p in parts),
        hint=next(iter(hints)) if len(hints) == 1 else None,
        preds=frozenset().union(*(p.preds for p in parts)),
        reduced=not rows,
        residual=bool(rows) and all(r.residual for r in rows),
    )


def derive(base: Data, **changes: object) -> Data:
    """A copy of `base` with some fields changed."""
    return replace(base, **changes)  # type: ignore[arg-type]


def role(d: Data) -> str | None:
    """train / test / val / fold_train / fold_val / None, from the name or the split path."""
    if d.hint:
        return d.hint
    if not d.path:
        return None
    side = d.path[-1][1]
    if side == "test":
        return "val" if any(s == "train" for _, s in d.path[:-1]) else "test"
    return side if side != "subset" else None


def is_full(d: Data) -> bool:
    """Data not yet split: no train/test name and no split taken. A row filter (a boolean
    mask, `.query`, `.loc[mask]`, an `.iloc[:N]` slice) not named as a split part selects
    which rows to model, so the rows it keeps are still unsplit."""
    return not d.hint and not d.reduced and all(side == "subset" for _, side in d.path)


def same_rows(a: Data, b: Data) -> bool:
    """Both values hold exactly the same rows."""
    return a.ids == b.ids and a.path == b.path


def strict_subset(part: Data, whole: Data) -> bool:
    """`part` is a split-off piece of `whole` (e.g. the test split of the rows `whole` holds)."""
    return (
        part.ids == whole.ids
        and len(part.path) > len(whole.path)
        and part.path[: len(whole.path)] == whole.path
        and part.path[len(whole.path)][1] != "subset"
    )
