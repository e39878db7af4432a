"""Spark's own random calls: which draw at random by default, and where the seed goes.

`DataFrame.randomSplit(weights, seed=None)` and `RDD.randomSplit` draw a fresh seed each run;
so do MLlib's `RandomForest.trainClassifier`, `KMeans.train`, `ALS.train`, ... whose `seed`
defaults to None. Spark ML estimators (`pyspark.ml.classification.RandomForestClassifier`) are
different: their `seed` Param defaults to a hash of the class name, fixed under spark-submit
(which exports PYTHONHASHSEED=0), so an estimator built without a seed repeats itself.
A seed is often given positionally (`df.randomSplit([0.6, 0.4], 1234)`), so the position of
each API's seed argument is kept with it.
"""

from __future__ import annotations

import ast

__all__ = ["seed_given", "seeded_by_default", "spark_random_call", "unseeded_spark_msg"]

# method name -> index of its positional `seed` argument
_RDD_METHODS = {"randomSplit": 1}
# `Class.method` of pyspark.mllib -> index of its positional `seed` argument
_MLLIB_TRAINERS = {
    "RandomForest.trainClassifier": 8,
    "RandomForest.trainRegressor": 7,
    "KMeans.train": 4,
    "GaussianMixture.train": 4,
    "LDA.train": 5,
    "ALS.train": 6,
    "ALS.trainImplicit": 7,
}


def seeded_by_default(qual: str) -> bool:
    """A Spark ML estimator (`pyspark.ml.*`), whose seed Param has a fixed default."""
    return qual.startswith("pyspark.ml.")


def seed_given(call: ast.Call, position: int) -> bool:
    """The seed is passed, by keyword or at its position, and is not None."""
    values = [k.value for k in call.keywords if k.arg == "seed"]
    if len(call.args) > position:
        values.append(call.args[position])
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return True  # `*args` / `**kwargs`: cannot tell, assume given
    return any(not (isinstance(v, ast.Constant) and v.value is None) for v in values)


def spark_random_call(qual: str, call: ast.Call, *, imported: bool) -> tuple[str, int] | None:
    """(name, position of its seed argument) when the call is one of Spark's random calls.

    `qual` is the call's import-resolved name; `imported`: the receiver of a method call is an
    imported name (a module, whose `randomSplit` is no RDD's).
    """
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _RDD_METHODS and not imported:
        return func.attr, _RDD_METHODS[func.attr]
    if not qual.startswith("pyspark.mllib."):
        return None
    name = ".".join(qual.rsplit(".", 2)[-2:])
    position = _MLLIB_TRAINERS.get(name)
    return None if position is None else (name, position)


def unseeded_spark_msg(name: str, call: ast.Call, position: int) -> str | None:
    """The finding's text for a Spark random call made without a seed; else None."""
    if seed_given(call, position):
        return None
    return f"{name} without a seed: Spark draws a new one every run"
