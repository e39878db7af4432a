"""Rules decided from what the data-flow interpreter recorded: leakage, evaluation, tuning, time.

Each function turns the `Record` of one analysed file into findings. Every finding sits on a
line of that file: when the offending fit happens inside a helper in another module, the
finding is on the call that hands the helper the unsplit data, and the message names the helper.
A leaking fit that several calls reach is moved to the fit's own file first (`fitsite.py`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from team.review.calleeselect import best_attributes, reads_after, selected_in_callees
from team.review.calltools import leaf_name
from team.review.catalog import UNSUPERVISED, words
from team.review.constanttargets import scores_constant_targets
from team.review.core import RULE_ENFORCES, RULE_SEVERITY, Finding, Severity
from team.review.domainlabels import split_on_domain_labels
from team.review.inspectedsplit import split_only_inspected
from team.review.nomodel import joined_only_by_demo
from team.review.ownfit import own_fit
from team.review.rescaled import rescaled_for_trees
from team.review.sources import SourceFile
from team.review.transductive import only_looks_at_test_rows
from team.review.truthtable import scores_a_truth_table
from team.review.values import (
    EvalRec,
    LeakRec,
    Origin,
    Record,
    is_full,
    role,
    same_rows,
    strict_subset,
)

__all__ = ["flow_findings", "leak_hidden", "make_finding", "once_per_cause"]

_PLOTTING = re.compile(
    r"lim$|^axis$|^ax[hv]line$|^[hv]lines$|^plot|^text$|^annotate$|^fill|^scatter|^bar|^errorbar"
)
_SELECTORS = words(
    "max min sorted argmax argmin idxmax idxmin nlargest nsmallest sort_values index"
)


def make_finding(
    src: SourceFile,
    rule: str,
    line: int,
    message: str,
    severity: str | None = None,
    *,
    trace: tuple[str, ...] = (),
) -> Finding:
    """Build a finding on a line of `src`, with its evidence, cell and card text."""
    evidence = src.line_text(line).strip()
    if len(evidence) > 120:
        evidence = evidence[:117] + "..."
    sev: Severity = severity or RULE_SEVERITY[rule]  # type: ignore[assignment]
    return Finding(
        src.rel, line, rule, sev, message, RULE_ENFORCES[rule], evidence, src.cell_of(line), trace
    )


def _at(origin: Origin, src: SourceFile) -> str:
    """` (in helper.py:12)` when the real location differs from the reported line."""
    if origin.path == src.rel and origin.line == origin.site:
        return ""
    where = f"line {origin.line}" if origin.path == src.rel else f"{origin.path}:{origin.line}"
    return f" (at {where})"


def flow_findings(src: SourceFile, record: Record) -> list[Finding]:
    """All data-flow findings for one analysed file."""
    out: list[Finding] = []
    for check in (_leakage, _fit_on_test, _tuning, _eval_on_train, _temporal):
        out.extend(check(src, record))
    return out


def _leakage(src: SourceFile, record: Record) -> list[Finding]:
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
        where = _at(t.origin, src)
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
            *_reads(record, t.ids),
            f"fit: {t.what} on {'labelled training' if t.kind == 'select' else 'all'} rows "
            f"({_where(t.origin)})",
            f"{how}: {split_by if how == 'split' else 'applied to split data'} ({_where(leak.at)})",
            *((f"evaluate: {evaluated.cls} ({_where(evaluated.at)})",) if evaluated else ()),
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


def _reads(record: Record, ids: frozenset[int]) -> tuple[str, ...]:
    """`read: pd.read_csv('x.csv') (train.py:6)` for the sources of some rows."""
    seen = {record.reads[i] for i in sorted(ids) if i in record.reads}
    return tuple(f"read: {what} ({_where(at)})" for at, what in sorted(seen, key=str))


def _fit_on_test(src: SourceFile, record: Record) -> list[Finding]:
    """One finding per line: `(x - np.mean(x)) / np.std(x)` on the test set is one problem,
    whose statistics are named together. An unsupervised fit of the test set whose output no
    model is given (a PCA drawn as a scatter plot) is no finding."""
    out = []
    by_site: dict[int, list[tuple[Origin, str, str]]] = {}
    for item in record.fit_on_test:
        by_site.setdefault(item[0].site, []).append(item)
    for items in by_site.values():
        at, label, kind = items[0]
        if kind != "stat" and at.path == src.rel and only_looks_at_test_rows(src.tree, at.line):
            continue  # a projection or clustering of the test set, only plotted or compared
        labels = list(dict.fromkeys(lab for _, lab, k in items if k == kind))
        if len(labels) > 1 and kind == "stat":
            label = (
                "statistics of the test set ("
                + ", ".join(
                    lab.removeprefix("a statistic of the test set (").removesuffix(")")
                    for lab in labels
                )
                + ")"
            )
        if kind == "stat":
            msg = (
                f"the test set is filled or scaled with {label}{_at(at, src)}: its rows shape "
                "their own preprocessing. Reuse the statistic computed on the training split."
            )
        elif kind == "transformer":
            msg = (
                f"{label} is fitted on the test set{_at(at, src)}; fit it on the training "
                "split and only `transform` the test split."
            )
        else:
            msg = (
                f"{label} is trained on the test set{_at(at, src)}; the test set is for the "
                "final evaluation only."
            )
        out.append(
            make_finding(
                src,
                "fit-on-test",
                at.site,
                msg,
                trace=(f"fit: {label} on test rows ({_where(at)})",),
            )
        )
    return out


def _tuning(src: SourceFile, record: Record) -> list[Finding]:
    out = [
        make_finding(
            src,
            "test-set-tuning",
            at.site,
            f"{msg}{_at(at, src)}; tune on a "
            "validation split or with cross-validation on the training data.",
            trace=(f"fit: tuned on the test split ({_where(at)})",),
        )
        for at, msg in record.tuning
    ]
    out.extend(_stopped_on_scored_fold(src, record))
    by_loop: dict[int, list[EvalRec]] = {}
    for e in record.evals:
        if e.loop is not None and role(e.data) == "test":
            by_loop.setdefault(id(e.loop[0]), []).append(e)
    for evals in by_loop.values():
        first = min(evals, key=lambda e: e.at.site)
        loop, path = first.loop  # type: ignore[misc]
        line = (
            first.at.site if path == src.rel else (first.at.line if first.at.path == path else None)
        )
        if line is None:
            continue
        if not _selects(loop, first.scope, partial(_spans, line=line)) or not any(
            e.fit_at and _inside(e.fit_at, loop, path, src.rel) for e in evals
        ):
            out.extend(_selected_in_helpers(src, record, loop, path, evals))
            continue
        fits = sorted({_where(e.fit_at) for e in evals if e.fit_at})
        trace = (
            *_reads(record, first.fitted.ids if first.fitted else frozenset()),
            *(f"fit: {first.cls} per candidate ({w})" for w in fits[:1]),
            *(f"evaluate: on the test split ({_where(e.at)})" for e in evals[:3]),
            f"select: the best candidate by that score (loop at {path}:{getattr(loop, 'lineno', 0)})",
        )
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                first.at.site,
                f"a loop picks the best {first.cls} by its score on the test set{_at(first.at, src)};"
                " the chosen score is then no longer an unbiased estimate. Select on a validation "
                "split or with cross-validation, and score the winner on the test set once.",
                trace=trace,
            )
        )
    return out


def _selected_in_helpers(
    src: SourceFile, record: Record, loop: ast.AST, path: str, evals: list[EvalRec]
) -> list[Finding]:
    """A loop that calls one helper per candidate, each fitting a model and scoring it on the
    test set it is handed, and keeps the candidate with the best returned score
    (`calleeselect.py`). One finding, on the line that hands the test set over, naming the
    lines of the analysed file that then report the best score or score the winner again."""
    found = selected_in_callees(
        loop, path, evals, lambda lp, hit: _selection(lp, None, hit, ordered=True) is not None
    )
    if found is None:
        return []
    chosen, hit = found
    first = min(chosen, key=lambda e: e.at.site)
    # in the analysed file the loop's selection is the place; else the call that hands it over
    chosen_at = _selection(loop, None, hit, ordered=True) if path == src.rel else None
    line = getattr(chosen_at, "lineno", first.at.site)
    lines = {
        e.at.line
        for e in record.evals
        if e.at.path == src.rel
        and role(e.data) == "test"
        and e.est in {c.est for c in chosen}
        and (e.loop is None or e.loop[0] is not loop)
    }
    if chosen_at is None:
        lines |= set(reads_after(src.tree, line, best_attributes(loop, hit)))
    names = ", ".join(dict.fromkeys(e.cls for e in chosen))
    scored = ", ".join(str(n) for n in sorted({e.at.line for e in chosen}))
    reported = (
        f" The best of those scores is then reported as a test score "
        f"(line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)))})."
        if lines
        else ""
    )
    loop_at = f"{path}:{getattr(loop, 'lineno', 0)}"
    return [
        make_finding(
            src,
            "test-set-tuning",
            line,
            f"{'this loop' if chosen_at else f'the test set is handed to a loop ({loop_at}) that'}"
            f" fits each candidate ({names}) in the helpers it calls, scores it on the test set "
            f"({path}:{scored}) and keeps the best: the model is selected on the test set, so "
            f"its score there is no longer an unbiased estimate.{reported} "
            "Select on a validation split or with cross-validation, and score the winner on "
            "the test set once.",
            trace=(
                *_reads(record, first.fitted.ids if first.fitted else frozenset()),
                *(f"fit: {e.cls} per candidate ({_where(e.fit_at)})" for e in chosen if e.fit_at),
                *(f"evaluate: on the test split ({_where(e.at)})" for e in chosen),
                f"select: the best candidate by that score (loop at {loop_at})",
                *(f"report: {src.rel}:{n}" for n in sorted(lines)),
            ),
        )
    ]


def _stopped_on_scored_fold(src: SourceFile, record: Record) -> list[Finding]:
    """A model early-stopped on a fold's held-out rows (`eval_set=[(X[va], y[va])]` with early
    stopping) and then scored on those same rows: the number of rounds is chosen on the rows the
    fold's score is taken on, so the cross-validated score is optimistic. Stopping on the
    held-out rows of a fold that is never scored on them is not reported. Once per fit."""
    out: list[Finding] = []
    seen: set[Origin] = set()
    for uid, held_out, at, key in record.stopped_on:
        scored = [e for e in record.evals if e.est == uid and same_rows(e.data, held_out)]
        if at in seen or not scored:
            continue
        seen.add(at)
        first = min(scored, key=lambda e: e.at.site)
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                at.site,
                f"`{key}` gives {first.cls}.fit the fold's held-out rows to stop on{_at(at, src)}, "
                f"and the same rows are then scored ({_where(first.at)}): the stopping point is "
                "chosen on the rows the fold's score is taken on, so the cross-validated score is "
                "optimistic. Stop on a split of the fold's training rows.",
                trace=(
                    f"fit: early-stopped on the fold's held-out rows ({_where(at)})",
                    f"evaluate: on the same rows ({_where(first.at)})",
                ),
            )
        )
    return out


_TRAINING_LABEL = re.compile(r"train|in[-_ ]sample|resubstitution", re.I)
_SCORE_NAME = re.compile(r"score|acc|err|loss|auc|r2|mse|mae|rmse", re.I)


def _labelled_training(src: SourceFile, origin: Origin) -> bool:
    """The score is announced as a training score: `print("Training score", m.score(X, y))`,
    `train_acc = ...`, or a label on one of the next two lines that use it."""
    if origin.path != src.rel:
        return False
    line = origin.line
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.stmt) or isinstance(node, _COMPOUND):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        if not (start <= line <= end or line < start <= line + 2):
            continue
        for sub in ast.walk(node):
            text = ""
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                text = sub.value
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                text = sub.id if _SCORE_NAME.search(sub.id) else ""
            if _TRAINING_LABEL.search(text):
                return True
    return False


_OUTLIER_FUNCTION = re.compile(r"outlier|anomal", re.I)


def _in_outlier_detector(src: SourceFile, origin: Origin) -> bool:
    """The score sits in a function that flags outliers by its model's residuals
    (`find_outliers(model, X, y)`: fit on the series, flag the points far from the fit, return
    them). Fitting on the rows it judges is the method there, the score printed beside the
    flagged points is a diagnostic of that fit, and the function returns no score."""
    if origin.path != src.rel:
        return False
    for node in ast.walk(src.tree):
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and _OUTLIER_FUNCTION.search(node.name)
            and node.lineno <= origin.line <= (node.end_lineno or node.lineno)
        ):
            returned = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
            return bool(returned) and not any(_returns_score(value) for value in returned)
    return False


def _returns_score(value: ast.expr) -> bool:
    """A returned value that is or holds a score: a call, or a name read as one (`score`,
    `mse`, `acc`)."""
    return any(
        isinstance(sub, ast.Call) or (isinstance(sub, ast.Name) and _SCORE_NAME.search(sub.id))
        for sub in ast.walk(value)
    )


_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
)


def _eval_on_train(src: SourceFile, record: Record) -> list[Finding]:
    out: list[Finding] = []
    by_est: dict[int, list[EvalRec]] = {}
    for e in record.evals:
        if e.fitted is not None and e.cls not in UNSUPERVISED:
            by_est.setdefault(e.est, []).append(e)
    reported: set[int] = set()
    groups: dict[tuple[object, ...], list[EvalRec]] = {}
    for uid, evals in by_est.items():
        if uid in record.cross_validated:
            continue  # also cross-validated: the training score sits beside a real estimate
        evals.sort(key=lambda e: (e.at.site, e.at.line))
        overlap = next((e for e in evals if strict_subset(e.data, e.fitted)), None)  # type: ignore[arg-type]
        if overlap is not None:
            fit = f" (fitted at line {overlap.fit_at.site})" if overlap.fit_at else ""
            out.append(
                make_finding(
                    src,
                    "eval-on-train",
                    overlap.at.site,
                    f"{overlap.cls} was fitted on all rows{fit} and is then evaluated on a split "
                    "of those same rows; the test rows were seen in training. Fit on the training "
                    "split only.",
                )
            )
            continue
        if any(not same_rows(e.data, e.fitted) for e in evals):  # type: ignore[arg-type]
            continue
        first = evals[0]
        if uid in record.escapes or (uid in record.persisted and not is_full(first.fitted)):  # type: ignore[arg-type]
            continue
        if first.at.site in reported or any(
            _labelled_training(src, e.at)
            or _in_outlier_detector(src, e.at)
            or (e.at.path == src.rel and scores_a_truth_table(src, e.at.site))
            or (e.at.path == src.rel and scores_constant_targets(src, e.at.site))
            for e in evals
        ):
            continue
        reported.add(first.at.site)
        rows = (first.fitted.ids, first.fitted.path)  # type: ignore[union-attr]
        groups.setdefault(rows, []).append(first)
    for group in _by_cause(list(groups.values()), src):
        first, rest = group[0], group[1:]
        fit = " it was fitted on"
        if first.fit_at:  # in a helper: where the helper fits it, not the line calling it
            in_src = first.fit_at.path == src.rel
            fit += f" (line {first.fit_at.site})" if in_src else f" ({_where(first.fit_at)})"
        calls = [e for e in rest if first.at.path != src.rel and _same_place(e.at, first.at)]
        others = [e for e in rest if e not in calls]
        also = _also_called(first, calls)
        if others:
            listed = ", ".join(f"{e.cls} at line {e.at.site}" for e in others)
            also += f" The same rows are also used to score {listed}."
        trace = _reads(record, first.fitted.ids) + tuple(  # type: ignore[union-attr]
            dict.fromkeys(  # a helper called from several lines: its steps once
                step
                for e in group
                for step in (
                    *((f"fit: {e.cls} ({_where(e.fit_at)})",) if e.fit_at else ()),
                    f"evaluate: {e.cls} on the same rows ({_where(e.at)})",
                )
            )
        )
        out.append(
            make_finding(
                src,
                "eval-on-train",
                first.at.site,
                f"{first.cls} is only evaluated on the data{fit}{_at(first.at, src)}; that measures "
                f"memorisation, not generalisation. Evaluate on a held-out split.{also}",
                trace=trace,
            )
        )
    return out


def _by_cause(groups: list[list[EvalRec]], src: SourceFile) -> list[list[EvalRec]]:
    """Merge the groups whose first score lies at one line of a called helper: one root cause,
    whichever lines of `src` call the helper, reported once (at the first call)."""
    merged: dict[object, list[EvalRec]] = {}
    for n, group in enumerate(groups):
        at = group[0].at
        key = (at.path, at.line) if at.path != src.rel else n
        merged.setdefault(key, []).extend(group)
    return list(merged.values())


def _same_place(a: Origin, b: Origin) -> bool:
    return (a.path, a.line) == (b.path, b.line)


def _also_called(first: EvalRec, calls: list[EvalRec]) -> str:
    """` The same helper is also called at lines 327, 403.` when a helper's one cause was
    reached from several lines of the analysed file (reported once, at the first call)."""
    sites = sorted({e.at.site for e in calls} - {first.at.site})
    if not sites:
        return ""
    listed = ", ".join(str(site) for site in sites)
    return f" The same helper is also called at line{'s' if len(sites) > 1 else ''} {listed}."


def _where(origin: Origin) -> str:
    return f"{origin.path}:{origin.line}"


def _temporal(src: SourceFile, record: Record) -> list[Finding]:
    out, seen = [], set()
    for split in record.splits:
        if not (split.random and split.data.temporal) or split.at.site in seen:
            continue
        seen.add(split.at.site)
        trace = (
            *_reads(record, split.data.ids),
            f"split: {split.func}, shuffled ({_where(split.at)})",
        )
        out.append(
            make_finding(
                src,
                "temporal-random-split",
                split.at.site,
                f"{split.func} shuffles time-indexed data{_at(split.at, src)} (it has a parsed or "
                "sorted datetime column), so the model trains on rows from after the ones it is "
                "tested on. Split by time: TimeSeriesSplit, a date cutoff, or shuffle=False on "
                "time-sorted rows.",
                trace=trace,
            )
        )
    return out


# -- does a loop pick a winner by the score it computes? ------------------------------------------
def _inside(origin: Origin, loop: ast.AST, path: str, entry: str) -> bool:
    """The fit happened in this loop: a model is trained per candidate."""
    line = origin.site if path == entry else (origin.line if origin.path == path else None)
    return line is not None and _spans(loop, line)


def _spans(node: ast.AST, line: int) -> bool:
    return getattr(node, "lineno", 0) <= line <= (getattr(node, "end_lineno", 0) or 0)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _selects(loop: ast.AST, scope: ast.AST | None, hit: Callable[[ast.AST], bool]) -> bool:
    return _selection(loop, scope, hit) is not None


def _selection(
    loop: ast.AST, scope: ast.AST | None, hit: Callable[[ast.AST], bool], *, ordered: bool = False
) -> ast.AST | None:
    """Where the loop compares, maximises or collects for a selector the score `hit` finds;
    `ordered`: only an ordering comparison counts (`score > best`, not `score is None`)."""
    scores: set[str] = set()
    containers: set[str] = set()
    for node in ast.walk(loop):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value is not None:
            if not hit(node.value) and not (_names(node.value) & scores):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                root = t
                while isinstance(root, ast.Subscript | ast.Attribute):
                    root = root.value
                if root is not t:
                    containers |= _names(root)
                else:
                    scores |= _names(t)
    found: Callable[[ast.AST], bool] = lambda n: hit(n) or bool(_names(n) & scores)  # noqa: E731
    for node in ast.walk(loop):
        if (
            isinstance(node, ast.Compare)
            and found(node)
            and (not ordered or all(isinstance(op, _ORDERING) for op in node.ops))
        ):
            return node
        if isinstance(node, ast.Call):
            name = leaf_name(node.func)
            if name in ("max", "min") and found(node):
                return node
            if (
                name in ("append", "add", "update", "extend")
                and any(found(a) for a in node.args)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
            ):
                containers.add(node.func.value.id)
    if not containers or scope is None:
        return None
    drawn = {  # `ax.set_ylim(np.min(scores), 1)`: a plot limit, not a choice
        id(sub)
        for node in ast.walk(scope)
        if isinstance(node, ast.Call) and _PLOTTING.search(leaf_name(node.func))
        for a in [*node.args, *(k.value for k in node.keywords)]
        for sub in ast.walk(a)
    }
    for node in ast.walk(scope):
        if id(node) in drawn:
            continue
        if isinstance(node, ast.Call) and leaf_name(node.func) in _SELECTORS:
            operands = [*node.args[:1]]
            if isinstance(node.func, ast.Attribute):
                operands.append(node.func.value)
            if any(_holds(op, containers) for op in operands):
                return node
    return None


_ORDERING = (ast.Gt, ast.GtE, ast.Lt, ast.LtE)


def _holds(node: ast.AST, containers: set[str]) -> bool:
    """`scores`, or `scores` wrapped once (`np.array(scores)`, `pd.Series(scores)`)."""
    if isinstance(node, ast.Name):
        return node.id in containers
    if isinstance(node, ast.Call):
        return any(isinstance(a, ast.Name) and a.id in containers for a in node.args)
    return False
