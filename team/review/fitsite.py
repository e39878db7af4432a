"""One leak, one finding: a fit that several callers split is reported once, at the fit.

A leak is recorded in the file whose analysis found it, at the line of that file that leads to
the fit. When a helper's fit is reached from one call, that call is the place to report. When
several calls reach the same fit (crypto-trader-analysis' `Preprocessor` fits its input scaler
at `preprocessor.py:281`, and `train_model.py` and `training_session.py` each split its output
twice), they are one root cause: the finding goes to the fit, and its message lists the lines
that split. A fit that only its own file reaches, or only one call, stays where it was reported;
so does a full-data statistic written into the rows by a helper (`standardize(X)`): the helper
computes what it is asked to, and each caller that splits after it is a leak of its own.

A split by two slices at one bound (`slicepairs.py`) counts for what a fitted transform (a
scaler, an encoder) put out, not for a statistic written into the rows (`X - np.mean(X, 0)` cut
into inliers and outliers for a plot), and not on a path that trains and scores nothing (a
`predict_without_dataframe` that builds the datasets and only predicts).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace

from team.review.calltools import leaf_name
from team.review.domainlabels import function_at
from team.review.sources import SourceFile
from team.review.values import LeakRec, Origin, Record

__all__ = ["place_at_fits"]

_LEARNS = frozenset(
    {
        "fit",
        "partial_fit",
        "train",
        "fit_generator",
        "train_on_batch",
        "evaluate",
        "evaluate_generator",
        "score",
        "cross_val_score",
        "cross_validate",
    }
)

Hidden = Callable[[SourceFile, Record, LeakRec], bool]


def place_at_fits(
    records: dict[str, Record], sources: dict[str, SourceFile], hidden: Hidden
) -> dict[str, Record]:
    """The records with each fit that several places reach (or its own file reports) moved to
    the fit's file as one leak; leaks of slice splits on a path that learns nothing dropped.
    `hidden` is the rules' test of a leak its split shows to be none."""
    fits = {(k.taint.origin.path, k.taint.origin.line) for r in records.values() for k in r.leaks}
    groups: dict[tuple[str, int, str], list[tuple[str, LeakRec]]] = {}
    kept: dict[str, list[LeakRec]] = {}
    for rel, record in records.items():
        src = sources.get(rel)
        kept[rel] = list(record.leaks) if src is None else []
        if src is None:
            continue
        for leak in record.leaks:
            if leak.chain is not None and (
                leak.taint.kind != "fit" or _learns_nothing(leak.chain, sources, fits)
            ):
                continue  # slices are a split of a fitted transform's output on a learning path
            kept[rel].append(leak)
            t = leak.taint
            if t.kind == "fit" and t.origin.path in sources and not hidden(src, record, leak):
                groups.setdefault((t.origin.path, t.origin.line, t.what), []).append((rel, leak))
    for (path, _, _), found in groups.items():
        if len({(rel, leak.taint.origin.site) for rel, leak in found}) < 2:
            continue  # one place reaches it (the fit itself, or one call): reported there
        moved = {id(leak) for _, leak in found}
        for rel in {rel for rel, _ in found}:
            kept[rel] = [leak for leak in kept[rel] if id(leak) not in moved]
        kept.setdefault(path, []).append(_merged([leak for _, leak in found]))
    return {rel: replace(records.get(rel) or Record(), leaks=leaks) for rel, leaks in kept.items()}


def _merged(leaks: list[LeakRec]) -> LeakRec:
    """One leak at the fit, its `how` naming every place that splits (or transforms) it."""
    first = leaks[0]
    t = first.taint
    origin = Origin(t.origin.path, t.origin.line, t.origin.line)
    lines: dict[str, set[int]] = {}
    for leak in leaks:
        lines.setdefault(leak.at.path, set()).add(leak.at.line)
    where = "; ".join(f"{p}:{', '.join(map(str, sorted(n)))}" for p, n in sorted(lines.items()))
    if first.how.startswith("the data is split afterwards ("):
        kinds = dict.fromkeys(leak.how.split("(", 1)[1].split(",")[0] for leak in leaks)
        how = f"the data is split afterwards ({'; '.join(kinds)}, at {where})"
    else:
        how = f"then applied to split data (at {where})"
    return LeakRec(replace(t, origin=origin), how, first.at, first.chain, placed=True)


def _learns_nothing(
    chain: tuple[tuple[str, int], ...],
    sources: dict[str, SourceFile],
    fits: set[tuple[str, int]],
) -> bool:
    """No function on the way to the split (the callers, then the splitting function) fits,
    trains or scores anything but the transforms whose fits leak."""
    for path, line in chain:
        src = sources.get(path)
        if src is None:
            return False
        body: ast.AST = function_at(src.tree, line) or src.tree
        for node in ast.walk(body):
            if (
                isinstance(node, ast.Call)
                and leaf_name(node.func) in _LEARNS
                and (path, node.lineno) not in fits
            ):
                return False
    return True
