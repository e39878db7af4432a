"""A full-data shift and scale that only tree ensembles read: no reported number changes.

`(x - x.mean()) / x.std()` over all rows, then a split, is reported as a leak: the test rows
shape the training features. A tree splits each column at thresholds between its sorted values,
so a per-column shift and a positive scale change no split, no prediction and no score: a random
forest, gradient-boosted trees, XGBoost or LightGBM fitted on the rescaled rows is the same model
as one fitted with the training rows' statistics (mule-hunt 0.8.1's baseline.py:25, judged false
in fresh56). The same holds for a repository's own tree class, named after its method's class
(mlfromscratch 0.0.4's RegressionTree, decision_tree.py:317), and for calls that only count,
order or plot the rows: they are no consumer of the scale. Kept reported: a statistic written by anything but `+ - * /` (an imputer's
`fillna(mean)`), a fitted transformer (a scaler class, an encoder, PCA, a selector), and any
statistic some consumer of which is not a tree: another model, a transformer or resampler fitted
on the rescaled rows, an unknown call given them (a tensor for a network), or a model of another
kind built in a file that fits on them (an `if` whose branches build different models).
"""

from __future__ import annotations

import re

from team.review.values import Record, Taint

__all__ = ["rescaled_for_trees"]

_TREES = re.compile(
    r"(Balanced)?(RandomForest|ExtraTrees?|DecisionTree|GradientBoosting|HistGradientBoosting)"
    r"(Classifier|Regressor)|XGB(Classifier|Regressor|RF\w*|Ranker)|LGBM(Classifier|Regressor|Ranker)"
    r"|CatBoost(Classifier|Regressor)"
    r"|(Regression|Classification)Tree"  # a repository's own tree (mlfromscratch 0.0.4)
)
# calls that read only the number or order of the rows, or draw them: no number depends on the
# scale (`np.arange(len(X))`, `np.random.shuffle(idx)`, `plt.scatter(X_test[:, 0], y_pred)`)
_NO_NUMBER = frozenset({"arange", "shuffle", "permutation", "scatter", "plot"})


def rescaled_for_trees(record: Record, taint: Taint) -> bool:
    """`taint` is a statistic written into the rows only by shifting or scaling them, and every
    consumer of the rows it reached is a tree ensemble (`record.fed`, `record.evals`).

    >>> from team.review.values import Origin
    >>> at = Origin("a.py", 3, 3)
    >>> t = Taint(at, ".mean()", "stat", "error", frozenset({1}))
    >>> record = Record(affine={at}, fed=[(frozenset({t}), "RandomForestClassifier", "a.py")])
    >>> rescaled_for_trees(record, t)
    True
    >>> record.fed.append((frozenset({t}), "scatter", "a.py"))  # a plot: no number
    >>> rescaled_for_trees(record, t)
    True
    >>> record.models.append(("a.py", "LogisticRegression"))
    >>> rescaled_for_trees(record, t)
    False
    """
    if taint.kind != "stat" or taint.origin not in record.affine - record.nonaffine:
        return False
    fed = [(cls, path) for taints, cls, path in record.fed if taint in taints]
    fed = [(cls, path) for cls, path in fed if cls not in _NO_NUMBER]
    scored = [e.cls for e in record.evals if taint in e.data.taint]
    files = {path for _, path in fed}
    built = [cls for path, cls in record.models if path in files]
    classes = [*(cls for cls, _ in fed), *scored, *built]
    return bool(fed) and all(_TREES.fullmatch(cls) for cls in classes)
