"""Training callbacks that pick a model by a test-set score: `test-set-tuning` in deep learning.

A best-model checkpoint or an early stop chooses an epoch by a score. When that score is taken on
the test set, the epoch is tuned on the test set and the test score reported from it is
optimistic. Frameworks hide the choice in a callback, so the data flow never sees a fit: the
evidence is read from names instead, precisely enough to name it in the finding:
- the callback says so itself: `Checkpoint(..., score_name="test_accuracy")`,
  `ModelCheckpoint(monitor="test_loss")`;
- it is attached to an evaluator that runs on test data (PyTorch Ignite:
  `evaluator.add_event_handler(Events.COMPLETED, best)` with `evaluator.run(test_loader)`), where
  test data are a loader or dataset named for the test split, or built with `train=False` or
  `split="test"` (torchvision's and Hugging Face's test splits).
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import role_hint, words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.randomness import Usage
from team.review.sources import RepoIndex, SourceFile
from team.review.trialobjective import define_by_run_objectives, returned_test_metric

__all__ = ["SEARCHES", "bindings", "checkpoint_tuning", "objective_tuning", "test_split"]

_SELECTORS = words("ModelCheckpoint Checkpoint EarlyStopping")
_SCORE_KEYWORDS = words("score_name monitor")
_SPLIT_KEYWORDS = words("split subset")
# Keywords that hand a loader factory its data (YOLOv5's `create_classification_dataloader(path=...)`).
_DATA_KEYWORDS = words("path dataset data")
_DEPTH = 4


def checkpoint_tuning(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """Checkpoint and early-stopping callbacks that select on the test set: one finding per
    evaluator they hang on (the others listed in it), one per callback that names a test score."""
    use = Usage(src.tree)
    runs = _evaluator_runs(src.tree)
    attached = _attached(src.tree)
    groups: dict[object, list[tuple[ast.Call, str, str]]] = {}
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call):
            continue
        cls = (repo.qualify(src, node.func) or "").rsplit(".", 1)[-1]
        if cls not in _SELECTORS:
            continue
        named = _named_score(node)
        if named is not None:
            groups[id(node)] = [(node, cls, named)]
            continue
        found = _test_evaluator(node, use, runs, attached)
        if found is not None:
            engine, why = found
            groups.setdefault(engine, []).append((node, cls, why))
    out: list[Finding] = []
    for group in groups.values():
        group.sort(key=lambda g: g[0].lineno)
        node, cls, why = group[0]
        verb = "stops training" if cls == "EarlyStopping" else "keeps the best model"
        also = "".join(f"; {c} at line {n.lineno} does the same" for n, c, _ in group[1:])
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                node.lineno,
                f"{cls} {verb} by a score of the test set ({why}){also}: the epoch is chosen on "
                "the test set, so the test score reported from it is optimistic. Select on a "
                "validation split carved from the training data.",
                trace=tuple(
                    f"select: {c} on the test split ({src.rel}:{n.lineno})" for n, c, _ in group
                ),
            )
        )
    return out


def _named_score(call: ast.Call) -> str | None:
    """`score_name="test_accuracy"` / `monitor="test_loss"`: the callback names a test score."""
    for kw in call.keywords:
        value = kw.value
        if (
            kw.arg in _SCORE_KEYWORDS
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and role_hint(value.value) == "test"
        ):
            return f'{kw.arg}="{value.value}"'
    return None


def _evaluator_runs(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """`evaluator.run(test_loader)`: what each named engine runs on."""
    runs: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and isinstance(node.func.value, ast.Name)
            and node.args
        ):
            runs.setdefault(node.func.value.id, []).append(node.args[0])
    return runs


def _attached(tree: ast.Module) -> list[tuple[str, ast.expr]]:
    """`engine.add_event_handler(event, handler)`: (engine name, handler expression)."""
    return [
        (node.func.value.id, node.args[1])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_event_handler"
        and isinstance(node.func.value, ast.Name)
        and len(node.args) >= 2
    ]


def _test_evaluator(
    call: ast.Call,
    use: Usage,
    runs: dict[str, list[ast.expr]],
    attached: list[tuple[str, ast.expr]],
) -> tuple[str, str] | None:
    """The engine the callback is attached to, if it runs on test data, and which data."""
    names = _bound_names(call, use)
    for engine, handler in attached:
        if handler is call or (isinstance(handler, ast.Name) and handler.id in names):
            for data in runs.get(engine, []):
                why = test_split(data, use)
                if why is not None:
                    return engine, f"{engine}.run({ast.unparse(data)}), {why}"
    return None


def _bound_names(call: ast.Call, use: Usage) -> set[str]:
    """The names the callback object was assigned to."""
    return {name for name, values in use.assigned.items() if any(v is call for v in values)}


def test_split(data: ast.expr, use: Usage, depth: int = _DEPTH) -> str | None:
    """Why `data` holds the test split, following assignments a few steps back."""
    if isinstance(data, ast.Name):
        if role_hint(data.id) == "test":
            return f"{data.id} is the test split"
        if depth == 0:
            return None
        values = use.assigned.get(data.id, [])
        found = [test_split(v, use, depth - 1) for v in values]
        return found[0] if values and all(found) else None
    if not isinstance(data, ast.Call) or depth == 0:
        return None
    for kw in data.keywords:
        value = kw.value
        if kw.arg == "train" and isinstance(value, ast.Constant) and value.value is False:
            return f"{ast.unparse(data.func)}(train=False) is the test split"
        if (
            kw.arg in _SPLIT_KEYWORDS
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and role_hint(value.value) == "test"
        ):
            return f'{ast.unparse(data.func)}({kw.arg}="{value.value}") is the test split'
    given = [*data.args[:1], *(k.value for k in data.keywords if k.arg in _DATA_KEYWORDS)]
    for arg in given:
        why = test_split(arg, use, depth - 1)
        if why is not None:
            return why
    return None


def objective_tuning(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """A search objective scored on the test split: a function that returns Hyperopt's
    `{"loss": ...}` from `model.evaluate(X_test, y_test)` (or a score or metric of test-named
    data) and is handed to the search (`optim.minimize(model=model, ...)`, `fmin(fn=...)`), or
    that returns such a score itself and is handed to a search call (`study.optimize(objective)`,
    `gp_minimize(objective, space)`). The
    hyperparameters are chosen on the test set, and the test score reported for the best run is
    optimistic."""
    bound = bindings(src.tree)
    handed = {
        a.id
        for node in ast.walk(src.tree)
        if isinstance(node, ast.Call)
        for a in [*node.args, *(k.value for k in node.keywords)]
        if isinstance(a, ast.Name)
    }
    searched = {
        a.id
        for node in ast.walk(src.tree)
        if isinstance(node, ast.Call) and leaf_name(node.func) in SEARCHES
        for a in [*node.args, *(k.value for k in node.keywords)]
        if isinstance(a, ast.Name)
    }
    trialled = define_by_run_objectives(src.tree)
    handed, searched = handed | trialled, searched | trialled
    folds = _fold_rows(src.tree)
    out: list[Finding] = reported_to_tuner(src, repo, bound, folds)
    for fn in ast.walk(src.tree):
        if not isinstance(fn, ast.FunctionDef) or fn.name not in handed:
            continue
        if any(f.line in range(fn.lineno, (fn.end_lineno or fn.lineno) + 1) for f in out):
            continue
        for ret in (n for n in ast.walk(fn) if isinstance(n, ast.Return)):
            loss = _loss_of(ret)
            if loss is None and fn.name in searched:
                loss = ret.value  # Optuna's `return accuracy`, scikit-optimize's `return -score`
            scored = _scored_on_test(loss, bound, folds) if loss is not None else None
            if scored is None and loss is not None and fn.name in searched:
                scored = returned_test_metric(loss, bound)
            if scored is not None:
                out.append(
                    make_finding(
                        src,
                        "test-set-tuning",
                        ret.lineno,
                        f"{fn.name}() is the search's objective and its loss is {scored}: the "
                        "hyperparameters are chosen on the test set, so the best run's test "
                        "score is optimistic. Score the objective on a validation split.",
                        trace=(f"select: {fn.name}() on the test split ({src.rel}:{ret.lineno})",),
                    )
                )
                break
    return out


# What a trial calls to hand its result to the tuner that ranks the trials: Ray Tune's
# `tune.report(...)` (also through `ray.train` / `ray.air.session`), NNI's final result.
_TUNER_REPORTS = frozenset(
    {
        "ray.tune.report",
        "ray.train.report",
        "ray.air.session.report",
        "ray.train.session.report",
        "nni.report_final_result",
    }
)


def reported_to_tuner(
    src: SourceFile,
    repo: RepoIndex,
    bound: dict[str, list[ast.expr]],
    folds: frozenset[str],
) -> list[Finding]:
    """A trial that hands the tuner only scores of the test split: RecBole's default objective
    trains with early stopping on the validation split, then calls `tune.report(**test_result)`
    with `test_result = trainer.evaluate(test_data)`. Ray Tune ranks the trials by what they
    report, so the best configuration, and the test score shown for it, are chosen on the test
    split. A report that also carries a validation score leaves the choice to the metric the
    search names, and is not reported."""
    out: list[Finding] = []
    for call in (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)):
        if repo.qualify(src, call.func) not in _TUNER_REPORTS:
            continue
        given = [*call.args, *(k.value for k in call.keywords)]
        found = [_scored_on_test(value, bound, folds) for value in given]
        if not given or not all(found):
            continue
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                call.lineno,
                f"{ast.unparse(call.func)}() hands the tuner only a score of the test split "
                f"({found[0]}): the tuner ranks the trials by it, so the hyperparameters are "
                "chosen on the test set and the best trial's test score is optimistic. Report a "
                "validation score to the tuner and test the chosen configuration once.",
                trace=(f"select: trials ranked on the test split ({src.rel}:{call.lineno})",),
            )
        )
    return out


# Calls that run a search over an objective function they are handed: Optuna's
# `study.optimize(objective)`, Hyperopt's `fmin`, scikit-optimize's `gp_minimize`, Optunity's
# `maximize`, SciPy's `minimize`.
SEARCHES = frozenset(
    {
        "optimize",
        "fmin",
        "minimize",
        "maximize",
        "gp_minimize",
        "forest_minimize",
        "gbrt_minimize",
        "dummy_minimize",
        "minimize_structured",
        "maximize_structured",
    }
)


def _loss_of(ret: ast.Return) -> ast.expr | None:
    """The value under the "loss" key of a returned dict literal (Hyperopt's result)."""
    if not isinstance(ret.value, ast.Dict):
        return None
    for key, value in zip(ret.value.keys, ret.value.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "loss":
            return value
    return None


def _scores(call: ast.Call) -> bool:
    """`model.evaluate(...)`, `.score(...)`, `accuracy_score(...)`, `log_loss(...)`."""
    func = call.func
    name = leaf_name(func)
    return name in ("evaluate", "score") or name.endswith(("_score", "_error", "_loss"))


def bindings(tree: ast.AST) -> dict[str, list[ast.expr]]:
    """Name -> the values assigned to it, tuple targets included (`score, acc =
    model.evaluate(X_test, Y_test)` binds both names to the call)."""
    out: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        out.setdefault(name.id, []).append(node.value)
    return out


def _scored_on_test(
    expr: ast.expr,
    bound: dict[str, list[ast.expr]],
    folds: frozenset[str] = frozenset(),
    depth: int = 2,
) -> str | None:
    """How `expr` comes from a score of test data (`-acc` where `score, acc =
    model.evaluate(X_test, Y_test)`), following assignments a few steps back. Test-named rows
    of a cross-validation fold (`folds`) are validation rows, not the test split."""
    for node in ast.walk(expr):
        if (
            isinstance(node, ast.Call)
            and _scores(node)
            and any(
                isinstance(a, ast.Name) and role_hint(a.id) == "test" and a.id not in folds
                for a in node.args
            )
        ):
            return f"computed from {ast.unparse(node)}"
        if isinstance(node, ast.Name) and depth > 0:
            for value in bound.get(node.id, []):
                found = _scored_on_test(value, bound, folds, depth - 1)
                if found is not None:
                    return found
    return None


def _fold_rows(tree: ast.AST) -> frozenset[str]:
    """Names bound only to rows picked by the indices of a cross-validation loop: detexe's
    Optuna objective `optimize` runs `for idx, (train_idx, test_idx) in
    enumerate(cv.split(x, y))` over a StratifiedKFold of the training data it is handed and
    binds `X_train, X_test = x[train_idx], x[test_idx]`. Its `X_test` is the fold's held-out
    part, so a log loss averaged over those folds is a cross-validated score, not a test one."""
    indices = {
        name.id
        for loop in ast.walk(tree)
        if isinstance(loop, ast.For | ast.AsyncFor) and _splits(loop.iter)
        for name in ast.walk(loop.target)
        if isinstance(name, ast.Name)
    }
    bound = bindings(tree)
    return frozenset(
        name
        for name, values in bound.items()
        if indices and all(_picked(value, indices) for value in values)
    )


def _splits(expr: ast.expr) -> bool:
    """`cv.split(x, y)` (also inside `enumerate(...)`): a splitter's folds, not `str.split`."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "split"
        and bool(node.args)
        and not any(isinstance(a, ast.Constant) for a in node.args)
        for node in ast.walk(expr)
    )


def _picked(value: ast.expr, indices: set[str]) -> bool:
    """`x[test_idx]`, or a tuple of such (`x[train_idx], x[test_idx]`), `.iloc`/`.loc` too."""
    if isinstance(value, ast.Tuple):
        return bool(value.elts) and all(_picked(v, indices) for v in value.elts)
    return (
        isinstance(value, ast.Subscript)
        and isinstance(value.slice, ast.Name)
        and value.slice.id in indices
    )
