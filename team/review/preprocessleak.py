"""leakage-preprocess-before-split: a transform, statistic, feature selector or resampler fitted
on all rows before the data is split or cross-validated, so the test rows shape training.

One finding per leaking fit; a fit in a helper that several lines call is reported once, at
the first call (`once_per_cause`). A leak that nothing scores and whose split shows it is none
is hidden (`leak_hidden`); tree-only rescaling and statistics of generated data are no leak.
"""

from __future__ import annotations

from dataclasses import replace

from team.review.core import Finding
from team.review.domainlabels import split_on_domain_labels
from team.review.findingtext import make_finding, path_line, read_steps, where_note
from team.review.inspectedsplit import split_only_inspected
from team.review.nomodel import joined_only_by_demo
from team.review.ownfit import own_fit
from team.review.rescaled import rescaled_for_trees
from team.review.sources import SourceFile
from team.review.values import LeakRec, Origin, Record

__all__ = ["leak_hidden", "leakage_findings", "once_per_cause"]


def leakage_findings(src: SourceFile, record: Record) -> list[Finding]:
    """leakage-preprocess-before-split in one analysed file: one finding per leaking fit."""
    out: list[Finding] = []
    causes: list[object] = []  # per finding: its helper's cause, or None
    seen: set[Origin] = set()
    whats: dict[Origin, list[str]] = {}
    for leak in record.leaks:
        names = whats.setdefault(leak.taint.origin, [])
        if leak.taint.what not in names:
            names.append(leak.taint.what)
    stat_sites: dict[tuple[int, str], list[int]] = {}  # one finding per split for statistics
    leaks = sorted(  # a split by slices at one bound speaks only where no other split does
        (
            leak
            for leak in record.leaks
            if not (leak.taint.kind == "stat" and leak.taint.origin in record.generative)
            and not rescaled_for_trees(record, leak.taint)  # only tree ensembles read it
        ),
        key=lambda leak: leak.chain is not None,
    )
    for leak in leaks:
        if leak.taint.kind == "stat":
            lines = stat_sites.setdefault((leak.at.site, leak.at.path), [])
            if leak.taint.origin.site not in lines:
                lines.append(leak.taint.origin.site)
    for leak in leaks:
        t = leak.taint
        if t.origin in seen:
            continue
        seen.add(t.origin)
        if t.kind == "stat":
            lines = stat_sites[(leak.at.site, leak.at.path)]
            if t.origin.site != min(lines):
                continue
            others = sorted(set(lines) - {t.origin.site})
        where = where_note(t.origin, src)
        if t.kind == "stat":
            stats = " and ".join(sorted(whats[t.origin]))
            also = (
                f" Full-data statistics are also written at line{'s' if len(others) > 1 else ''} "
                f"{', '.join(map(str, others))} before the same split."
                if others
                else ""
            )
            msg = (
                f"a statistic of the full dataset ({stats}) is written into the data{where} "
                f"and {leak.how}: test rows shape the training features. Compute it on the "
                f"training split and reuse it for the test split.{also}"
            )
        elif t.kind == "select":
            msg = (
                f"{t.what} chooses features with the labels of the training rows{where} and "
                f"{leak.how.replace('the data is split afterwards', 'those rows are then split')}"
                ": each validation fold's labels helped pick the features, so the cross-validated "
                "scores are optimistic. Put the selector inside the cross-validation (a Pipeline "
                "of selector and model)."
            )
        elif t.kind == "oversample":
            msg = (
                f"{t.what} oversamples the rows{where} and {leak.how}: each validation part "
                "holds rows whose synthetic neighbours or copies are in its training part, so "
                "the validation score is optimistic. Split first and oversample the training "
                "part only (an imblearn Pipeline inside the cross-validation)."
            )
        elif t.kind == "resample":
            msg = (
                f"{t.what} resamples the full dataset{where} and {leak.how}: synthetic rows "
                "built from test rows end up in training. Resample the training split only."
            )
        else:
            msg = (
                f"{t.what} is fitted on the full dataset{where} and {leak.how}: the test "
                "rows shape the transform, so the evaluation is optimistic. Fit it on the "
                "training split only (e.g. inside a Pipeline)."
            )
        how = "split" if leak.how.startswith("the data is split") else "transform"
        split_by = leak.how.split("(", 1)[-1].split(",")[0]
        evaluated = next((e for e in record.evals if t in e.data.taint), None)
        if not leak.placed and leak_hidden(src, record, leak):
            continue
        trace = (
            *read_steps(record, t.ids),
            f"fit: {t.what} on {'labelled training' if t.kind == 'select' else 'all'} rows "
            f"({path_line(t.origin)})",
            f"{how}: {split_by if how == 'split' else 'applied to split data'} ({path_line(leak.at)})",
            *((f"evaluate: {evaluated.cls} ({path_line(evaluated.at)})",) if evaluated else ()),
        )
        out.append(
            make_finding(
                src,
                "leakage-preprocess-before-split",
                t.origin.site,
                msg,
                t.severity,
                trace=trace,
            )
        )
        in_helper = t.origin.path != src.rel and leak.at.path != src.rel
        causes.append(
            (t.kind, t.origin.path, t.origin.line, leak.at.path, leak.at.line)
            if in_helper
            else None
        )
    return once_per_cause(out, causes)


def once_per_cause(findings: list[Finding], causes: list[object]) -> list[Finding]:
    """One finding per root cause held in a called helper: findings of one rule placed at the
    lines of the analysed file that call the helper (`causes[n]` is the same, not None) become
    one, at the first call, naming the other calls. Findings with a None cause are kept."""
    first: dict[object, int] = {}
    calls: dict[int, list[int]] = {}
    kept: list[Finding] = []
    for finding, cause in zip(findings, causes, strict=True):
        if cause is None:
            kept.append(finding)
        elif cause in first:
            calls[first[cause]].append(finding.line)
        else:
            first[cause] = len(kept)
            calls[len(kept)] = []
            kept.append(finding)
    for n, lines in calls.items():
        if lines := sorted(set(lines) - {kept[n].line}):
            listed = ", ".join(map(str, lines))
            many = "s" if len(lines) > 1 else ""
            message = f"{kept[n].message} The same helper is also called at line{many} {listed}."
            kept[n] = replace(kept[n], message=message)
    return kept


def leak_hidden(src: SourceFile, record: Record, leak: LeakRec) -> bool:
    """A leak that nothing scores and whose split shows it is none: a domain classifier's folds
    (`domainlabels.py`), parts only looked at and then split again (`inspectedsplit.py`), a fit
    and a split that only a demo joins (`nomodel.py`), centring or scaling an estimator's own
    `fit` learns from the rows it is given (`ownfit.py`). `src` is the analysed file."""
    t = leak.taint
    if any(t in e.data.taint for e in record.evals):
        return False
    if split_on_domain_labels(src.tree, leak.at.site):
        return True
    fit = own_fit(src.tree, t.origin.line) if t.kind in ("stat", "fit") else None
    if fit is not None and t.origin.path == src.rel:
        inside = leak.at.path == src.rel and fit.lineno <= leak.at.line <= (fit.end_lineno or 0)
        if not inside:
            return True
    if leak.at.path != src.rel:
        return False
    return split_only_inspected(src, leak.at.site) or (
        t.origin.path == src.rel and joined_only_by_demo(src.tree, t.origin.line, leak.at.line)
    )
