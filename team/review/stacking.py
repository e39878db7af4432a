"""A meta-model fitted on its base models' in-sample predictions.

GluPredKit's stacked PLSR (`stacked_plsr.py` 42-54) fits an MLP, a PLS regression and an LSTM on
`x_train`, predicts `x_train` with each, and fits the second-level PLS regression on those three
predictions with the same `y_train` (fresh54's miss). A base model's predictions for the rows
it was trained on are better than its predictions for new rows, and most so for the model that
overfits most, so the meta-model learns weights that do not hold at prediction time: stacking
needs out-of-fold predictions (`cross_val_predict`, or scikit-learn's `StackingRegressor`).

Reported when the data flow shows it (`estimators._note_stacking`): a model is fitted on
predictions of two or more other models for exactly the rows those models were fitted on, and
with the same labels they were fitted with. One model's output among the features is not taken
for a stack (aif360's bias-scan demo refits its model with the subgroups a scan of its own
in-sample predictions found: an analysis of that model, no second level). Predictions from a cross-validation wrapper carry no prediction, an
unsupervised base (a clustering, an autoencoder fitted on its input) has other labels, and
predictions for other rows are out of sample; none of these is reported. One finding at the
meta-model's fit, in its own file, however many analyses reach it.
"""

from __future__ import annotations

from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile
from team.review.values import Record

__all__ = ["in_sample_stacking"]


def in_sample_stacking(src: SourceFile, records: dict[str, Record]) -> list[Finding]:
    """One `leakage-preprocess-before-split` finding per meta-model fit in `src` that any
    analysis saw trained on in-sample predictions of its base models."""
    found: dict[int, tuple[str, list[str], list[int]]] = {}
    for record in records.values():
        for at, meta, bases in record.stacked:
            if at.path != src.rel:
                continue
            _, names, lines = found.setdefault(at.line, (meta, [], []))
            for p in bases:
                if p.cls not in names:
                    names.append(p.cls)
                if p.fit_at and p.fit_at.path == src.rel and p.fit_at.line not in lines:
                    lines.append(p.fit_at.line)
    out = []
    for line, (meta, names, lines) in sorted(found.items()):
        fitted = (
            f" (fitted at line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)))})"
        )
        out.append(
            make_finding(
                src,
                "leakage-preprocess-before-split",
                line,
                f"{meta} is fitted on the predictions of {', '.join(names)}{fitted if lines else ''} "
                "for the rows they were trained on, with the same labels: in-sample predictions "
                "are better than predictions for new rows, most for the base model that overfits "
                "most, so the second level learns weights that do not hold when it predicts. Fit "
                "it on out-of-fold predictions (cross_val_predict, or a StackingRegressor / "
                "StackingClassifier).",
                trace=(
                    *(f"fit: base model {n}" for n in names),
                    f"fit: {meta} on their predictions for the same rows ({src.rel}:{line})",
                ),
            )
        )
    return out
