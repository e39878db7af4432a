"""eval-on-train: a supervised model scored only on the rows it was fitted on (memorisation,
not generalisation), or fitted on all rows and scored on a split of them. Scores announced as
training scores, residual diagnostics of outlier detectors, truth tables and constant targets
are not reported; a score in a helper that several lines call is reported once.
"""

from __future__ import annotations

import ast
import re

from team.review.catalog import UNSUPERVISED
from team.review.columnrank import ranks_columns
from team.review.constanttargets import scores_constant_targets
from team.review.core import Finding
from team.review.findingtext import make_finding, path_line, read_steps, where_note
from team.review.sources import SourceFile
from team.review.truthtable import scores_a_truth_table
from team.review.values import EvalRec, Origin, Record, is_full, same_rows, strict_subset

__all__ = ["eval_on_train_findings"]


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


def eval_on_train_findings(src: SourceFile, record: Record) -> list[Finding]:
    """eval-on-train in one analysed file: one finding per cause of a score on the fitted rows."""
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
            or (e.at.path == src.rel and ranks_columns(src, e.at.site))
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
            fit += f" (line {first.fit_at.site})" if in_src else f" ({path_line(first.fit_at)})"
        calls = [e for e in rest if first.at.path != src.rel and _same_place(e.at, first.at)]
        others = [e for e in rest if e not in calls]
        also = _also_called(first, calls)
        if others:
            listed = ", ".join(f"{e.cls} at line {e.at.site}" for e in others)
            also += f" The same rows are also used to score {listed}."
        trace = read_steps(record, first.fitted.ids) + tuple(  # type: ignore[union-attr]
            dict.fromkeys(  # a helper called from several lines: its steps once
                step
                for e in group
                for step in (
                    *((f"fit: {e.cls} ({path_line(e.fit_at)})",) if e.fit_at else ()),
                    f"evaluate: {e.cls} on the same rows ({path_line(e.at)})",
                )
            )
        )
        out.append(
            make_finding(
                src,
                "eval-on-train",
                first.at.site,
                f"{first.cls} is only evaluated on the data{fit}{where_note(first.at, src)}; that measures "
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
