"""A hand-written training loop that keeps the best epoch by a score of the test split.

Bayesian-Torch's CIFAR-10 scripts build `val_loader` from `CIFAR10(train=False)`, the test set,
and each epoch run `prec1 = validate(args, val_loader, ...)`, `is_best = prec1 > best_prec1` and
save the checkpoint when it is the best so far; test mode then reports that checkpoint's accuracy
on the same set. The epoch is chosen on the test set, so the reported test score is optimistic.
Callbacks say the same thing in a framework (`callbacks.py`); here the loop says it: inside a
`for`/`while`, a score computed from test data (a name for the test split, or a loader built with
`train=False` / `split="test"` or from a path named for the test split, YOLOv5's
`create_classification_dataloader(path=test_dir)`), or a plain rename of such a score
(`fitness = top1`), is compared with, or folded by `max`/`min` into, a best-so-far value (a name
or attribute containing `best`). A score read under a key naming the test split
(pytorch-tabular's `model_sweep` compares `res_dict[f"test_{rank_metric[0]}"]` with
`best_score`) counts only where the branch keeps a best-named value its function returns or a
save call writes: the key alone says little of how the score was made. A loop that fits or
tunes a model each pass and collects its test score in a list whose best is taken after the loop
(FEDOT's `pipeline_tune.py` tunes five times, appends each run's test ROC-AUC and returns
`np.max` of them) is read in `collected.py`.

A loader named in one word for the test split (`testloader`, `testset`) counts where the module
holds no validation split: Brevitas' A2Q script loads `trainloader, testloader` for CIFAR-10,
keeps the weights of the epoch whose `test_top_1` is best and reports them as final. With a
validation split beside it the one-word name says too little to tell which set picks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Set as AbstractSet

from team.review.callbacks import test_split
from team.review.calltools import leaf_name
from team.review.catalog import role_hint
from team.review.collected import best_candidate_rescored, best_of_collected
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.randomness import Usage, enclosing_function
from team.review.sources import SourceFile

__all__ = ["best_epoch_on_test"]


def best_epoch_on_test(
    src: SourceFile, *, reported: AbstractSet[int] = frozenset()
) -> list[Finding]:
    """One `test-set-tuning` finding per loop that keeps a best-so-far score of test data;
    `reported`: lines already found to select on the test set (by the data flow), whose loop
    is not reported again."""
    use = Usage(src.tree)
    out: list[Finding] = []
    seen: set[int] = set()
    for loop in ast.walk(src.tree):
        if not isinstance(loop, ast.For | ast.While) or id(loop) in seen:
            continue
        seen |= {id(n) for n in ast.walk(loop) if isinstance(n, ast.For | ast.While)}
        end = loop.end_lineno or loop.lineno
        if any(loop.lineno <= line <= end for line in reported):
            continue
        scores = _test_scores(loop, use, _carved(use, loop), _joined_test_names(src.tree))
        found = _best_so_far(loop, scores) or _best_kept_by_test_key(loop, use)
        if found is None:
            out.extend(_collected_finding(src, loop, use))
            continue
        node, name = found
        why = scores.get(name, "its key names the test split")
        out.append(
            make_finding(
                src,
                "test-set-tuning",
                node.lineno,
                f"{name} is a score of the test split ({why}) and the loop keeps the best so far "
                f"({ast.unparse(node)}): the epoch or model is chosen on the test set, so the "
                "test score reported for it is optimistic. Select on a validation split carved "
                "from the training data.",
                trace=(f"select: best {name} on the test split ({src.rel}:{node.lineno})",),
            )
        )
    return out


def _collected_finding(src: SourceFile, loop: ast.For | ast.While, use: Usage) -> list[Finding]:
    found = best_of_collected(loop, use)
    if found is None:
        return _rescored_finding(src, loop, use)
    node, name = found
    return [
        make_finding(
            src,
            "test-set-tuning",
            node.lineno,
            f"each pass of the loop at line {loop.lineno} fits a model and collects {name}, a "
            f"score of the test split, and {ast.unparse(node)} takes the best of them: the run "
            "or candidate is chosen on the test set, so the test score reported for it is "
            "optimistic. Select on a validation split carved from the training data.",
            trace=(f"select: best {name} on the test split ({src.rel}:{node.lineno})",),
        )
    ]


def _rescored_finding(src: SourceFile, loop: ast.For | ast.While, use: Usage) -> list[Finding]:
    choice = best_candidate_rescored(loop, use)
    if choice is None:
        return []
    best = ast.unparse(choice.best)
    return [
        make_finding(
            src,
            "test-set-tuning",
            choice.best.lineno,
            f"each pass of the loop at line {loop.lineno} tries one of {choice.candidates} and "
            f"collects {choice.score}, a score of the test split; {best} picks the candidate "
            f"(line {choice.chosen}) and the test split is scored again with it (line "
            f"{choice.rescored}): the setting is tuned on the rows its score is reported on, so "
            "that score is optimistic. Choose it on a validation split carved from the training "
            "data, then score the test split once.",
            trace=(
                f"select: best {choice.score} over {choice.candidates} ({src.rel}:{choice.best.lineno})",
                f"evaluate: on the test split again ({src.rel}:{choice.rescored})",
            ),
        )
    ]


def _test_scores(
    loop: ast.For | ast.While,
    use: Usage,
    carved: AbstractSet[str] = frozenset(),
    joined: AbstractSet[str] = frozenset(),
) -> dict[str, str]:
    """Names the loop binds to a call that takes test data: `prec1 = validate(val_loader)`;
    `carved` names are held-out rows of what the function was given, not the test split;
    `joined` names are one-word test loaders of a module without a validation split."""
    scores: dict[str, str] = {}
    for stmt in ast.walk(loop):
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.value, ast.Call):
            continue
        call = stmt.value
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if not isinstance(arg, ast.Name) or arg.id in carved:
                continue
            why = test_split(arg, use)
            if why is None and arg.id in joined:
                why = f"{arg.id} is the test split and the module holds no validation split"
            if why is None:
                continue
            for target in stmt.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        scores.setdefault(name.id, why)
            break
    return _aliases(loop, scores)


_JOINED_TEST = re.compile(r"^test_?(loader|set|data|dataset|dataloader|dl)$")
_JOINED_VAL = re.compile(r"^(val|valid|dev)_?(loader|set|data|dataset|dataloader|dl)$")


def _joined_test_names(tree: ast.Module) -> frozenset[str]:
    """Names the module binds to a test loader in one word (`testloader`, `testset`), where
    it binds no validation split under any name (`val_loader`, `validloader`)."""
    bound = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    lowered = {b: b.lower() for b in bound}
    if any(role_hint(b) == "val" or _JOINED_VAL.match(low) for b, low in lowered.items()):
        return frozenset()
    return frozenset(b for b, low in lowered.items() if _JOINED_TEST.match(low))


def _carved(use: Usage, loop: ast.For | ast.While) -> frozenset[str]:
    """Names the loop's function binds to `train_test_split` of one of its own parameters.

    Auto_NLP's `select_best_nlp_vectorizer(model, data, ...)` splits the `data` it is handed
    into `X_train, X_test, ...` and keeps the vectorizer that scores best on that `X_test`: a
    validation split carved from whatever its caller passes (the training rows), which is
    where a choice should be made. A split of data the function reads itself stays a test
    split."""
    func = enclosing_function(use, loop)
    if func is None:
        return frozenset()
    params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    params = {p for p in params if role_hint(p) != "test"}
    out: set[str] = set()
    for stmt in ast.walk(func):
        if not (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Call)
            and leaf_name(stmt.value.func) == "train_test_split"
            and stmt.value.args
            and _root(stmt.value.args[0]) in params
        ):
            continue
        out |= {n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return frozenset(out)


def _root(node: ast.expr) -> str:
    """`data` of `data`, `data[col]` or `data.values`."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _aliases(loop: ast.For | ast.While, scores: dict[str, str]) -> dict[str, str]:
    """Scores renamed in the loop (YOLOv5's `fitness = top1`) are the same test score; the
    best-so-far value it is copied into (`best_fitness = fitness`) is not."""
    out = dict(scores)
    for stmt in ast.walk(loop):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id in scores
        ):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and not _is_best(target):
                    out.setdefault(target.id, scores[stmt.value.id])
    return out


def _best_so_far(loop: ast.For | ast.While, scores: dict[str, str]) -> tuple[ast.expr, str] | None:
    """The first comparison of a test score with a best value (`prec1 > best_prec1`,
    `max(prec1, best_prec1)`), and the score's name."""
    hits: list[tuple[ast.expr, str]] = []
    for node in ast.walk(loop):
        if isinstance(node, ast.Compare) and len(node.comparators) == 1:
            operands = [node.left, node.comparators[0]]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("max", "min")
        ):
            operands = list(node.args)
        else:
            continue
        named = [o.id for o in operands if isinstance(o, ast.Name) and o.id in scores]
        if named and any(_is_best(o) for o in operands):
            hits.append((node, named[0]))
    return min(hits, key=lambda h: h[0].lineno) if hits else None


def _best_kept_by_test_key(loop: ast.For | ast.While, use: Usage) -> tuple[ast.expr, str] | None:
    """The first `if` that compares a result read under a test key with a best value and then
    keeps something the function returns or saves: pytorch-tabular's `model_sweep` scores each
    model into `res_dict` by `evaluate(test=test)`, and on
    `if res_dict[f"test_{rank_metric[0]}"] < best_score:` keeps `best_model = deepcopy(...)`,
    which it returns. The key alone says test; the returned or saved choice says it is kept."""
    hits: list[tuple[ast.expr, str]] = []
    for node in ast.walk(loop):
        branch = use.up(node)
        if not (
            isinstance(node, ast.Compare)
            and len(node.comparators) == 1
            and isinstance(branch, ast.If)
            and branch.test is node
        ):
            continue
        operands = [node.left, node.comparators[0]]
        keyed = [o for o in operands if _test_key(o)]
        if keyed and any(_is_best(o) for o in operands) and _keeps_for_later(branch, use):
            hits.append((node, ast.unparse(keyed[0])))
    return min(hits, key=lambda h: h[0].lineno) if hits else None


def _test_key(node: ast.expr) -> bool:
    """`scores["test_acc"]`, `res[f"test_{metric}"]`: a subscript whose key names the test
    split (a string, or an f-string whose literal start does)."""
    if not isinstance(node, ast.Subscript):
        return False
    key = node.slice
    if isinstance(key, ast.JoinedStr) and key.values:
        key = key.values[0]
    return (
        isinstance(key, ast.Constant)
        and isinstance(key.value, str)
        and role_hint(key.value) == "test"
    )


def _keeps_for_later(branch: ast.If, use: Usage) -> bool:
    """The branch binds a best-named variable (`best_model = copy.deepcopy(model)`) that its
    function returns or that a save call writes (`torch.save(best_model, path)`)."""
    kept = {
        target.id
        for stmt in branch.body
        if isinstance(stmt, ast.Assign)
        for target in stmt.targets
        if isinstance(target, ast.Name) and _is_best(target)
    }
    scope: ast.AST = branch
    while not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
        up = use.up(scope)
        if up is None:
            break
        scope = up
    for node in ast.walk(scope):
        if isinstance(node, ast.Return) and node.value is not None:
            given = [node.value]
        elif isinstance(node, ast.Call) and _saves(node):
            given = [*node.args, *(k.value for k in node.keywords)]
        else:
            continue
        if any(isinstance(n, ast.Name) and n.id in kept for g in given for n in ast.walk(g)):
            return True
    return False


def _saves(call: ast.Call) -> bool:
    """`torch.save(...)`, `joblib.dump(...)`, `model.save_model(...)`: writes something out."""
    func = call.func
    return leaf_name(func).startswith(("save", "dump"))


def _is_best(node: ast.expr) -> bool:
    """`best_prec1`, `self.best_valid_acc`: a name or attribute for the best value so far."""
    return "best" in leaf_name(node).lower()
