"""Training loops a framework runs: PyTorch, Lightning, skorch, Pyro and ART-wrapped Keras.

An unseeded loop draws its initial weights, dropout and shuffling anew each run; one finding
names the loop and what in the script draws (`torch_loop`), unless the loop is its caller's to
seed or nothing there draws at random. The rule's entry point (`hygiene.py`) finds the loop's
call; this module says whether it trains and what its finding reads.
"""

from __future__ import annotations

import ast
from functools import partial

from team.review.callerdraws import CallerDraws, caller_draws
from team.review.core import Finding, Note
from team.review.dictlogs import ignored_dict_logs_reason
from team.review.findingtext import make_finding
from team.review.libloop import caller_loop_reason, unused_seed_draw, why_library_loop_fires
from team.review.libmethods import class_helper
from team.review.outputs import reports_only_sizes
from team.review.randomness import Usage, in_library_class, torch_draws
from team.review.sources import RepoIndex, SourceFile
from team.review.speedbench import SCORING
from team.review.toydata import dummy_target_fit

__all__ = [
    "TORCH_LOOP",
    "TORCH_ROOTS",
    "art_training",
    "callers_loop",
    "framework_fit",
    "learns",
    "self_supervised",
    "torch_loop",
    "trains",
]

_RULE = "unseeded-randomness"

# How an unseeded PyTorch training loop's finding begins (`runnerseed.py` reads it).
TORCH_LOOP = "a PyTorch training loop"


_LEARNS = frozenset({"fit", "partial_fit", "fit_predict", "fit_transform", "evaluate", "score"})


def trains(calls: list[ast.Call]) -> bool:
    """Some model of the module is fitted, evaluated or trained (`.fit`, `.train()`,
    `loss.backward()`): samples drawn from it there are that training's result."""
    return learns(calls) or any(
        isinstance(c.func, ast.Attribute) and c.func.attr in ("train", "backward") for c in calls
    )


def learns(calls: list[ast.Call]) -> bool:
    """Some model of the module is fitted or evaluated (`.fit`, `.partial_fit`,
    `evaluator.evaluate(stream=...)`): generated data there feed a result."""
    return any(isinstance(c.func, ast.Attribute) and c.func.attr in _LEARNS for c in calls)


def self_supervised(src: SourceFile, repo: RepoIndex, calls: list[ast.Call], fit: ast.Call) -> bool:
    """A Keras fit on a constant target (`np.zeros`), in a module that calls no metric, score or
    evaluation: aeon's triplet-loss network shows only its loss curve and a PCA of the
    embedding, so no shown number needs the seed."""
    if not dummy_target_fit(fit):
        return False
    for call in calls:
        last = (repo.qualify(src, call.func) or "").rsplit(".", 1)[-1]
        if last in SCORING or last.endswith(("_score", "_error", "accuracy")):
            return False
    return True


def _repo_def_draws(repo: RepoIndex, qual: str) -> bool:
    """A call into the repository draws at random only if what it calls may: a class that
    extends another (an `nn.Module`, a torch optimizer), or a plain class or function whose own
    body surely draws. A metric logger or a helper that reduces a dict draws nothing (Avalanche's
    copy of torchvision's detection `engine.py`), nor does an `nn.Module` whose own body builds
    no random layer (LightAutoML's `SoftmaxClip`, a softmax). Calls outside the repository are
    kept."""
    parts = qual.split(".")
    # `examples.tvdetection.utils.MetricLogger` when the review's root is `examples/`
    found = next(
        (f for i in range(len(parts) - 1) if (f := repo.resolve(".".join(parts[i:]))) is not None),
        None,
    )
    if found is None or found[1] is None:
        return True
    home, node = found
    if (
        isinstance(node, ast.ClassDef)
        and any(ast.unparse(b) != "object" for b in node.bases)
        and not all(repo.qualify(home, b) in _TORCH_MODULE for b in node.bases)
    ):
        return True  # it inherits what it does (a torch optimizer, another class): not read here
    # only what surely draws: layers, init, dropout, random splits, torch.rand* (no library
    # call counts here, or every helper that touches pycocotools would "draw")
    model, data = torch_draws(
        ast.Module(body=[node], type_ignores=[]),  # type: ignore[list-item]
        lambda n: repo.qualify(home, n),
        set(),
    )
    if isinstance(node, ast.ClassDef):
        data = [(at, what) for at, what in data if _in_init(node, at)]
    return bool(model or data)


def _in_init(cls: ast.ClassDef, line: int) -> bool:
    """`line` is in the class's `__init__`. A tensor a method draws per call (speckcn2's
    `EnsembleModel.apply_noise`: `torch.randn` noise and `random.randint` rotations on each
    batch) comes from the global generators its caller seeds, like dropout's; building the
    object draws nothing."""
    return any(
        isinstance(f, ast.FunctionDef)
        and f.name == "__init__"
        and f.lineno <= line <= (f.end_lineno or f.lineno)
        for f in cls.body
    )


def callers_loop(
    src: SourceFile,
    repo: RepoIndex,
    use: Usage,
    backward: ast.Call,
    *,
    library_module: bool,
) -> bool:
    """The library loop around `backward()` trains what its caller hands it (its caller
    seeds torch's global generator, `caller_loop_reason`), and no unseeded caller in the
    package feeds it: speckcn2's `mlops.train`."""
    roots = {q.split(".")[0] for q in repo.imports(src).values()}
    return (
        _callers_reason(src, repo, use, backward, roots, library_module=library_module) is not None
        and caller_draws(repo, src, use, backward) is None
    )


def _callers_reason(
    src: SourceFile,
    repo: RepoIndex,
    use: Usage,
    backward: ast.Call,
    roots: set[str],
    *,
    library_module: bool,
) -> str | None:
    """`caller_loop_reason` for the loop around `backward()` in `src`."""
    return caller_loop_reason(
        use,
        backward,
        src.tree,
        lambda node: repo.qualify(src, node),
        roots,
        library_module=library_module,
        draws=lambda what: _repo_def_draws(repo, what[:-2]),
    )


_TORCH_MODULE = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module"})
TORCH_ROOTS = frozenset({"torch", "pytorch_lightning", "lightning", "skorch"})
_TRAINERS = frozenset(
    {
        "pytorch_lightning.Trainer",
        "pytorch_lightning.trainer.Trainer",
        "lightning.Trainer",
        "lightning.pytorch.Trainer",
        "skorch.NeuralNet",
        "skorch.NeuralNetClassifier",
        "skorch.NeuralNetRegressor",
        "skorch.NeuralNetBinaryClassifier",
    }
)


# Pyro's stochastic variational inference: each `svi.step(x)` samples from the model and guide
# and takes a gradient step, as `loss.backward(); optimizer.step()` does.
_STEPPERS = frozenset({"pyro.infer.SVI", "pyro.infer.svi.SVI"})


def framework_fit(src: SourceFile, repo: RepoIndex, use: Usage, func: ast.Attribute) -> bool:
    """`trainer.fit(model, ...)` on a Lightning `Trainer`, `net.fit(X, y)` on a skorch net, or
    `svi.step(x)` on Pyro's `SVI`: a PyTorch training loop the framework runs, with no
    `backward()` in the script."""
    known = {"fit": _TRAINERS, "step": _STEPPERS}.get(func.attr)
    if known is None:
        return False
    made: list[ast.expr] = [func.value]
    if isinstance(func.value, ast.Name):
        made = use.assigned.get(func.value.id, [])
    return bool(made) and all(
        isinstance(m, ast.Call) and _made_by(repo.qualify(src, m.func) or "", known) for m in made
    )


# Lightning's alternative constructor: `Trainer.from_argparse_args(args)` builds a Trainer.
_CONSTRUCTORS = ("from_argparse_args",)


def _made_by(qual: str, known: frozenset[str]) -> bool:
    """The call builds one of `known`: the class itself or its `from_argparse_args`."""
    owner, _, last = qual.rpartition(".")
    return qual in known or (last in _CONSTRUCTORS and owner in known)


def art_training(src: SourceFile, repo: RepoIndex, use: Usage, func: ast.Attribute) -> str | None:
    """`classifier.fit(x, y, nb_epochs=3)` on an Adversarial Robustness Toolbox wrapper
    (`PyTorchClassifier`, `KerasClassifier`, `TensorFlowV2Classifier`) or `trainer.fit(...)` /
    `.fit_generator(...)` on one of its adversarial trainers: the wrapper runs the framework's
    training loop. "torch" or "keras" by the framework it wraps, else None."""
    if func.attr not in ("fit", "fit_generator") or not isinstance(func.value, ast.Name):
        return None
    made = use.assigned.get(func.value.id, [])
    quals = [repo.qualify(src, m.func) or "" for m in made if isinstance(m, ast.Call)]
    if not made or len(quals) < len(made):
        return None
    kinds = {_art_framework(q) for q in quals}
    return kinds.pop() if len(kinds) == 1 else None


def _art_framework(qual: str) -> str | None:
    last = qual.rsplit(".", 1)[-1]
    if not qual.startswith(("art.estimators.", "art.defences.trainer.")):
        return None
    if "PyTorch" in last:
        return "torch"
    if "Keras" in last or "TensorFlow" in last:
        return "keras"
    return None


def torch_loop(
    src: SourceFile,
    repo: RepoIndex,
    use: Usage,
    backward: ast.Call,
    roots: set[str],
    notes: list[Note],
    *,
    library_module: bool = False,
) -> list[Finding]:
    """The finding for a PyTorch training loop with no torch seed, naming what is random.

    No finding when nothing in the script draws at random (an exact GP on data read from a
    file), when the loop belongs to a library class that the importing script seeds, or when
    the script reports nothing but sizes.
    """
    line = backward.lineno
    if in_library_class(use, backward, src.tree):
        qualify = partial(repo.qualify, src)
        if (dropped := unused_seed_draw(use, backward, qualify, roots)) is not None:
            return [make_finding(src, _RULE, dropped[0], f"{dropped[1]}.")]
        notes.append(Note(src.rel, line, _RULE, "backward() in a library class: its caller seeds"))
        return []
    if (helper := class_helper(use, backward, src.tree)) is not None:
        why = f"backward() in {helper}(), a private helper of a library class: its caller seeds"
        notes.append(Note(src.rel, line, _RULE, why))
        return []
    if caller := _callers_reason(src, repo, use, backward, roots, library_module=library_module):
        if (fed := caller_draws(repo, src, use, backward)) is not None:
            return [_caller_finding(src, line, fed)]  # the package's own caller is unseeded
        notes.append(Note(src.rel, line, _RULE, caller))
        return []
    # a framework's fit (Lightning's Trainer) logs losses and checkpoints of its own
    own_loop = isinstance(backward.func, ast.Attribute) and backward.func.attr == "backward"
    if own_loop and src.rel.endswith(".py") and reports_only_sizes(src.tree):
        why = "the script reports only sizes (shapes, counts, devices): no result depends on it"
        notes.append(Note(src.rel, line, _RULE, f"a PyTorch loop without a seed: {why}"))
        return []
    if not own_loop and (ignored := ignored_dict_logs_reason(src.tree)) is not None:
        notes.append(Note(src.rel, line, _RULE, f"a Lightning fit without a seed: {ignored}"))
        return []
    model, data = torch_draws(src.tree, lambda node: repo.qualify(src, node), roots)
    model = [(at, what) for at, what in model if _repo_def_draws(repo, what[:-2])]
    if not model and not data and (fed := caller_draws(repo, src, use, backward)) is not None:
        return [_caller_finding(src, line, fed)]
    if not model and not data:
        reason = "nothing draws at random (no random initial weights, dropout, shuffling or draws)"
        notes.append(Note(src.rel, line, _RULE, f"a PyTorch loop without a seed: {reason}"))
        return []
    if model:
        at, what = model[0]
        msg = (
            f"{TORCH_LOOP} runs without torch.manual_seed while {what} at line {at} "
            "draws at random (initial weights, dropout, shuffling or sampling): results differ "
            "every run. Call torch.manual_seed(SEED) before building the model."
        )
    else:
        at, what = data[0]
        msg = (
            f"{TORCH_LOOP} runs on data drawn at random ({what} at line {at}) without "
            "torch.manual_seed: the data, and every result, differ every run. Call "
            "torch.manual_seed(SEED) before the data are drawn."
        )
    msg += why_library_loop_fires(use, backward, src.tree, library_module=library_module)
    trace = tuple(f"random: {what} ({src.rel}:{n})" for n, what in [*model, *data][:5])
    return [make_finding(src, _RULE, line, msg, trace=trace)]


def _caller_finding(src: SourceFile, line: int, fed: CallerDraws) -> Finding:
    """The loop's finding naming what its unseeded caller in the repository builds at random."""
    at, what = fed.draws[0]
    msg = (
        f"{TORCH_LOOP} trains the model its caller hands it, and the caller, {fed.caller}, runs "
        f"without torch.manual_seed while {what}, built at {at}, draws at random (initial "
        "weights, dropout, shuffling or sampling): results differ every run. Call "
        "torch.manual_seed(SEED) before building the model."
    )
    trace = tuple(f"random: {w} ({where})" for where, w in fed.draws[:5])
    return make_finding(src, _RULE, line, msg, trace=trace)
