"""The test set used before its final score: fit-on-test (a model, transform or statistic fitted
on the test rows) and test-set-tuning (a loop, directly or through the helpers it calls, that
keeps the candidate with the best test score; a model early-stopped on a fold's held-out rows
and then scored on them; tuning the interpreter recorded on the test split).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import partial

from team.review.calleeselect import best_attributes, reads_after, selected_in_callees
from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.core import Finding
from team.review.findingtext import make_finding, path_line, read_steps, where_note
from team.review.sources import SourceFile
from team.review.transductive import only_looks_at_test_rows
from team.review.values import EvalRec, Origin, Record, role, same_rows

__all__ = ["fit_on_test_findings", "tuning_findings"]


_PLOTTING = re.compile(
    r"lim$|^axis$|^ax[hv]line$|^[hv]lines$|^plot|^text$|^annotate$|^fill|^scatter|^bar|^errorbar"
)
_SELECTORS = words(
    "max min sorted argmax argmin idxmax idxmin nlargest nsmallest sort_values index"
)


def fit_on_test_findings(src: SourceFile, record: Record) -> list[Finding]:
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
                f"the test set is filled or scaled with {label}{where_note(at, src)}: its rows shape "
                "their own preprocessing. Reuse the statistic computed on the training split."
            )
        elif kind == "transformer":
            msg = (
                f"{label} is fitted on the test set{where_note(at, src)}; fit it on the training "
                "split and only `transform` the test split."
            )
        else:
            msg = (
                f"{label} is trained on the test set{where_note(at, src)}; the test set is for the "
                "final evaluation only."
            )
        out.append(
            make_finding(
                src,
                "fit-on-test",
                at.site,
                msg,
                trace=(f"fit: {label} on test rows ({path_line(at)})",),
            )
        )
    return out


def tuning_findings(src: SourceFile, record: Record) -> list[Finding]:
    """test-set-tuning in one analysed file: tuning recorded on the test split, early stopping
    on a fold that is then scored, and loops that keep the candidate with the best test score."""
    out = [
        make_finding(
            src,
            "test-set-tuning",
            at.site,
            f"{msg}{where_note(at, src)}; tune on a "
            "validation split or with cross-validation on the training data.",
            trace=(f"fit: tuned on the test split ({path_line(at)})",),
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
        fits = sorted({path_line(e.fit_at) for e in evals if e.fit_at})
        trace = (
            *read_steps(record, first.fitted.ids if first.fitted else frozenset()),
            *(f"fit: {first.cls} per candidate ({w})" for w in fits[:1]),
            *(f"evaluate: on the test split ({path_line(e.at)})" for e in evals[:3]),
            f"select: the best candidate by that score (loop at {path}:{getattr(loop, 'lineno', 0)})",
        )
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                first.at.site,
                f"a loop picks the best {first.cls} by its score on the test set{where_note(first.at, src)};"
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
                *read_steps(record, first.fitted.ids if first.fitted else frozenset()),
                *(
                    f"fit: {e.cls} per candidate ({path_line(e.fit_at)})"
                    for e in chosen
                    if e.fit_at
                ),
                *(f"evaluate: on the test split ({path_line(e.at)})" for e in chosen),
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
                f"`{key}` gives {first.cls}.fit the fold's held-out rows to stop on{where_note(at, src)}, "
                f"and the same rows are then scored ({path_line(first.at)}): the stopping point is "
                "chosen on the rows the fold's score is taken on, so the cross-validated score is "
                "optimistic. Stop on a split of the fold's training rows.",
                trace=(
                    f"fit: early-stopped on the fold's held-out rows ({path_line(at)})",
                    f"evaluate: on the same rows ({path_line(first.at)})",
                ),
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
