"""An MLlib model scored, through `rdd.map(lambda p: model.predict(...))`, on the RDD it was
trained on.

Spark's RDD API trains with a class method (`LinearRegressionWithSGD.train(parsedData)`,
`ALS.train(ratings, rank, 10)`) and predicts inside a lambda mapped over an RDD
(`parsedData.map(lambda p: (model.predict(p.features), p.label))`) or on an RDD of keys
(`model.predictAll(ratings.map(lambda r: (r.user, r.product)))`). The data-flow interpreter does
not follow lambdas, so this reading is separate: when the RDD mapped for the predictions is the
one the model was trained on (or an RDD mapped from it), and the module computes an error or a metric
(a `*Metrics` object, a difference in a lambda), that number is training error. A module whose
printed text says "train" (`"Training Error = "`) labels it so and is left alone; clusterings
(`GaussianMixture.train`) label their own training rows by design.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import UNSUPERVISED, words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import RepoIndex, SourceFile

__all__ = ["spark_scored_on_training_rdd"]

_TRAINERS = frozenset({"train", "trainClassifier", "trainRegressor", "trainImplicit"})
_PREDICTS = frozenset({"predict", "predictAll"})
# MLlib's clusterings and topic models: their predictions on the training rows are the result
_UNLABELLED = UNSUPERVISED | words("BisectingKMeans LDA PowerIterationClustering StreamingKMeans")


def _bound_once(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once in the module, by a plain `name = value`, with the value."""
    seen: dict[str, list[ast.expr | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        # an unpacked name (`a, b = ...`) has no value of its own here
                        seen.setdefault(name.id, []).append(node.value if target is name else None)
    return {
        name: value
        for name, values in seen.items()
        if len(values) == 1 and (value := values[0]) is not None
    }


def _base(node: ast.expr) -> str | None:
    """`ratings` for `ratings.map(f).filter(g)`: the name a chain of RDD methods starts from."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node.id if isinstance(node, ast.Name) else None


def _rows_of(name: str, bound: dict[str, ast.expr]) -> set[str]:
    """`name` and every name bound once to a method chain on it (`testdata = ratings.map(...)`)."""
    rows = {name}
    grew = True
    while grew:
        grew = False
        for other, value in bound.items():
            if other not in rows and isinstance(value, ast.Call) and _base(value) in rows:
                rows.add(other)
                grew = True
    return rows


def _scores(tree: ast.Module) -> bool:
    """The module computes an error or a metric: a `*Metrics(...)` object, or a difference
    inside a lambda (`lambda vp: (vp[0] - vp[1]) ** 2`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = leaf_name(func)
            if name.endswith("Metrics"):
                return True
        if isinstance(node, ast.Lambda) and any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub) for n in ast.walk(node.body)
        ):
            return True
    return False


def _labelled_training(tree: ast.Module) -> bool:
    """Some printed text of the module says it is training error."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id != "print":
                continue
            for part in ast.walk(node):
                if (
                    isinstance(part, ast.Constant)
                    and isinstance(part.value, str)
                    and "train" in part.value.lower()
                ):
                    return True
    return False


def _predict_sites(tree: ast.Module, model: str) -> list[tuple[ast.Call, str | None]]:
    """Each `model.predict(...)` / `model.predictAll(...)` call, with the RDD it runs over: the
    RDD a lambda holding it is mapped over, or the RDD handed to it."""
    out: list[tuple[ast.Call, str | None]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "map" and node.args and isinstance(node.args[0], ast.Lambda):
            for inner in ast.walk(node.args[0].body):
                if _is_predict(inner, model):
                    out.append((inner, _base(node.func.value)))  # type: ignore[arg-type]
        elif _is_predict(node, model) and node.args and not isinstance(node.args[0], ast.Attribute):
            out.append((node, _base(node.args[0])))
    return out


def _is_predict(node: ast.AST, model: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _PREDICTS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == model
    )


def spark_scored_on_training_rdd(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """One `eval-on-train` finding per MLlib model whose predictions are made over the RDD it
    was trained on, in a module that does not call that training error."""
    if _labelled_training(src.tree) or not _scores(src.tree):
        return []
    bound = _bound_once(src.tree)
    out: list[Finding] = []
    for model, value in bound.items():
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _TRAINERS
            and value.args
            and isinstance(value.args[0], ast.Name)
            and (qual := repo.qualify(src, value.func) or "").startswith("pyspark.mllib.")
            and qual.split(".")[-2] not in _UNLABELLED
        ):
            continue
        data = value.args[0].id
        if data not in bound:
            continue  # rebound (or a parameter): which rows it holds is not read here
        rows = _rows_of(data, bound)
        for call, over in _predict_sites(src.tree, model):
            if over in rows and call.lineno > value.lineno:
                cls = ast.unparse(value.func)
                keys = bound.get(over) if over != data else None  # `testdata = ratings.map(...)`
                line = keys.lineno if keys is not None else call.lineno
                out.append(
                    make_finding(
                        src,
                        "eval-on-train",
                        line,
                        f"{model} is trained on {data} ({cls} at line {value.lineno}) and "
                        f"predicts over {over}, the same rows: the error or metric computed "
                        "from these predictions is training error, not a held-out score. Split "
                        "with randomSplit and score on the held-out part.",
                    )
                )
                break
    return out
