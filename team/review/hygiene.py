"""Per-module rules that need names, not data flow: `unseeded-randomness`."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath

from team.review.augment import augmentation_draw
from team.review.calltools import leaf_name
from team.review.catalog import (
    ALWAYS_SHUFFLED_SPLITTERS,
    CV_FUNCTIONS,
    GLOBAL_SEEDERS,
    PRINTS,
    RANDOM_ESTIMATORS,
    RICH_METRIC_NAMES,
    SEQUENTIAL_SPLIT_LIBRARIES,
    SPLITTER_CLASSES,
    fixed_default_seed,
    is_data_generator,
    words,
)
from team.review.copiedstate import state_copied_next
from team.review.core import Finding, Note
from team.review.dictlogs import ignored_dict_logs_reason
from team.review.drawnames import only_names_a_file_reason
from team.review.ensemblebase import ensemble_base_reason
from team.review.inputgrad import input_gradient_reason
from team.review.libloop import (
    caller_draw_reason,
    caller_loop_reason,
    library_shaped,
    sampler_factory_reason,
    seeded_namesake,
    unused_seed_draw,
    why_library_draw_fires,
    why_library_loop_fires,
)
from team.review.libmethods import class_helper, library_method_reason
from team.review.libseeds import (
    SeededCall,
    built_with_seed,
    given_seed,
    library_key,
    own_def,
    seeded_elsewhere_msg,
    seeds_a_library_call,
)
from team.review.onestatement import one_per_statement, statement_span
from team.review.outputs import reports_only_sizes, shows_only_sizes
from team.review.randomness import (
    Usage,
    deliberate_draw_reason,
    enclosing_function,
    in_library_class,
    not_random_reason,
    only_plotted_reason,
    torch_draws,
    uncalled_hook,
)
from team.review.rules import make_finding
from team.review.seededmakers import env_made_with_seed, seeding_cli
from team.review.shownonly import shown_only_reason
from team.review.shufflesplit import ids_order_reason, shuffled_into_split
from team.review.simulation import simulation_reason
from team.review.sources import RepoIndex, SourceFile
from team.review.spark import seeded_by_default, spark_random_call, unseeded_spark_msg
from team.review.startweights import replaced_by_saved_weights
from team.review.toydata import (
    dummy_target_fit,
    feeds_only,
    fitted_on_literals_reason,
    reaches_no_result_reason,
)
from team.review.trials import reports_best_hyperparameters
from team.review.unbound import undefined_inputs, unrunnable_caller
from team.review.unreached import unreached_function
from team.review.unused import unused_result_reason

__all__ = ["ModuleFacts", "module_facts", "seed_kind", "unseeded"]

ML_ROOTS = words(
    "sklearn torch tensorflow keras xgboost lightgbm catboost imblearn pytorch_lightning lightning "
    "skmultiflow river lasagne dynet chainer neurolab jax haiku flax optax rlax"
)
_JAX_ROOTS = words("jax haiku flax optax rlax")
# A module that fits a model is an ML module whatever library it imports (FEDOT's `model.fit`).
_FITS_MODEL = words("fit partial_fit fit_predict")
_RANDOM_FUNCS = words(
    "random randint choice choices shuffle sample uniform gauss randrange normalvariate "
    "betavariate expovariate triangular"
)
_NP_NOT_DRAWS = words(
    "seed get_state set_state default_rng RandomState Generator SeedSequence PCG64 MT19937 "
    "Philox SFC64 BitGenerator"
)
# How an unseeded PyTorch training loop's finding begins (`runnerseed.py` reads it).
TORCH_LOOP = "a PyTorch training loop"


# Libraries whose fits are Markov chain Monte Carlo: on fixed data an unseeded run changes only
# the Monte Carlo error, which their posterior summaries report (MCSE, R-hat).
_MCMC_ROOTS = words("bambi pymc pymc3 pystan stan cmdstanpy emcee")
# Kinds of draw that make a module's data random (the MCMC fit on them then matters).
_DATA_KINDS = frozenset({"numpy", "random", "generator", "data"})

_RULE = "unseeded-randomness"
_GENERATOR_CONSTRUCTORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
    }
)
_SCORING = RICH_METRIC_NAMES | CV_FUNCTIONS | words("score evaluate classification_report")
_FACT_TEXT = re.compile(r"seed|random_state")
_WORTH_READING = re.compile(r"seed|accuracy|random|scoring|metrics|shuffle|split", re.I)


@dataclass
class ModuleFacts:
    """What the per-module rules need to know about one file."""

    ml: bool = False
    seeds: set[str] = field(default_factory=set)
    # `library.Name` -> a call of the module that gives it `seed=` / `random_seed=`
    seeded: dict[str, SeededCall] = field(default_factory=dict)


def _calls(src: SourceFile) -> list[ast.Call]:
    return sorted(
        (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )


def _kw(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def _unset(value: ast.expr | None) -> bool:
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


def module_facts(src: SourceFile, repo: RepoIndex) -> ModuleFacts:
    """Imports, seeds and metrics of one module."""
    roots = {q.split(".")[0] for q in repo.imports(src).values()}
    fits = any(
        isinstance(c.func, ast.Attribute) and c.func.attr in _FITS_MODEL for c in _calls(src)
    )
    facts = ModuleFacts(ml=bool(roots & ML_ROOTS) or src.rel.endswith(".ipynb") or fits)
    if not facts.ml and not _FACT_TEXT.search(src.text):
        return facts
    for call in _calls(src):
        qual = repo.qualify(src, call.func) or ""
        if seeds_a_library_call(call) and (key := library_key(src, repo, call, qual)):
            facts.seeded.setdefault(key, SeededCall(src.rel, call.lineno, "shuffle" in _kw(call)))
        if (kind := seed_kind(qual)) is not None:
            facts.seeds.add(kind)
        elif helper := _helper_seeds(repo, qual, local=_given_a_seed(call)):
            facts.seeds |= helper  # `setup.prepare(args)`, whose body calls torch.manual_seed
        elif seeding_cli(qual, call):
            facts.seeds.add("all")  # LightningCLI(seed_everything_default=1234) seeds first
        elif any(_seed_in_settings(k.value) for k in call.keywords):
            facts.seeds.add("settings")
    return facts


def _seeded_namesake(src: SourceFile, repo: RepoIndex, name: str) -> str | None:
    """Where a function named `name` in another module of the repository takes a seed."""
    return seeded_namesake((o.rel, f) for o, f in repo.functions_named(name) if o is not src)


def seed_kind(qual: str) -> str | None:
    """What a call seeds: `torch` for torch.manual_seed, `all` for a helper named for seeding
    (`utils.set_random_seed`, `seed_everything`); None for any other call."""
    last = qual.rsplit(".", 1)[-1]
    if qual in GLOBAL_SEEDERS:
        return GLOBAL_SEEDERS[qual]
    if "seed" in last.lower() and not last.startswith("SeedSequence"):
        return "all"
    return None


def _helper_seeds(repo: RepoIndex, qual: str, depth: int = 2, *, local: bool = False) -> set[str]:
    """The seeds a repository function of another name sets when called: its body, or a
    function it calls (two levels down), seeds (`setup.prepare(args)` calling
    `torch.manual_seed(args.seed)` among its logging set-up). `local`: the call hands the helper
    a seed, so a function of the helper's own module that it calls counts too (ML-From-Scratch's
    `train_test_split(X, y, seed=1)` passes it to `shuffle_data`, which calls
    `np.random.seed(seed)` when given one); without a seed such a helper may seed nothing."""
    found = repo.resolve(qual)
    func = found[1] if found is not None else None
    if found is None or not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    home = found[0]
    own = repo.defs(home) if local and home.module else {}
    out: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and (inner := repo.qualify(home, node.func)):
            if inner in own:
                inner = f"{home.module}.{inner}"
            kind = seed_kind(inner)
            if kind is not None:
                out.add(kind)
            elif depth > 0 and inner != qual:
                out |= _helper_seeds(repo, inner, depth - 1, local=local)
    return out


def _given_a_seed(call: ast.Call) -> bool:
    """The call passes a literal seed by a keyword named for it (`seed=1`, `random_seed=0`)."""
    return any(
        k.arg is not None
        and "seed" in k.arg.lower()
        and isinstance(k.value, ast.Constant)
        and isinstance(k.value.value, int)
        and not isinstance(k.value.value, bool)
        for k in call.keywords
    )


def _seed_in_settings(value: ast.expr) -> bool:
    """`generator_kwargs={"seed": 0}`: a library's draws seeded through a settings dict (Ax's
    `GenerationNode`); the module chose where a seed matters, so a library call elsewhere in it
    left without one is not the library's unseeded default."""
    return isinstance(value, ast.Dict) and any(
        isinstance(k, ast.Constant) and k.value in ("seed", "random_seed") and not _unset(v)
        for k, v in zip(value.keys, value.values, strict=True)
    )


def _sets_random_state(src: SourceFile) -> bool:
    """`est.set_params(random_state=...)`, `est.set_params(**params)` with `params` built from a
    dict holding a `random_state` (fklearn's `isolation_learner` merges its defaults, seed
    1729, with the caller's params), or `est.random_state = ...` somewhere in the module."""
    seed_dicts = _seed_dict_names(src.tree)
    for node in ast.walk(src.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "set_params"
            and any(
                k.arg == "random_state" or (k.arg is None and _names_in(k.value) & seed_dicts)
                for k in node.keywords
            )
        ):
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "random_state" for t in node.targets
        ):
            return True
    return False


def _in_model_map(use: Usage, call: ast.Call) -> bool:
    """`model_map = {"SelectFromModel": SelectFromModel(RandomForestClassifier()), ...}` or
    `model_map[name] = Model()`, with `model_map` only ever looked up by key: a model in a map
    by name, which the code may look up and fit, or may not (auto_ml builds and fits a new
    forest on the path that names it). A dict handed to a call (`init_params={...}`) is used."""
    stmt, chain = use.holder(call)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return False
    target = stmt.targets[0]
    if any(isinstance(node, ast.Dict) for node in chain) and stmt.value is chain[-1]:
        name = target.id if isinstance(target, ast.Name) else None
    elif stmt.value is call and isinstance(target, ast.Subscript):
        name = target.value.id if isinstance(target.value, ast.Name) else None
    else:
        return False
    loads = use.loads.get(name, []) if name else []
    return bool(loads) and all(
        isinstance(parent := use.up(load), ast.Subscript) and parent.value is load for load in loads
    )


def _holds_random_state(value: ast.expr) -> bool:
    return isinstance(value, ast.Dict) and any(
        isinstance(k, ast.Constant) and k.value == "random_state" and not _unset(v)
        for k, v in zip(value.keys, value.values, strict=True)
    )


def _seed_dict_names(tree: ast.Module) -> set[str]:
    """The names bound to a dict literal holding a `random_state`, and (one step on) the names
    bound to an expression that reads one of them (`params = merge(default_params, params)`)."""
    bindings = [
        (target.id, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    ]
    direct = {name for name, value in bindings if _holds_random_state(value)}
    return direct | {name for name, value in bindings if _names_in(value) & direct}


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


_TIMING_MAGICS = frozenset({"timeit"})
# A library's timing helper (skl2onnx.tutorial.measure_time) times as `timeit` does.
_TIMERS = frozenset({"measure_time", "timeit"})


def _speed_benchmark(src: SourceFile, repo: RepoIndex, calls: list[ast.Call]) -> bool:
    """The module only times code: it uses `%timeit`, the `timeit` module or a timing helper, or
    reads a clock and names no result in what it shows; it shows nothing but timings, status
    text and sizes, and scores nothing (no metric, `.score`, `evaluate`, cross-validation or
    training loop). Random data there only make something to time (the hummingbird notebooks that
    `%%timeit` a converted forest on `np.random.rand` data, DiCE's benchmark that prints the
    elapsed time of each method, skl2onnx's tutorial that prints the train and test shapes and
    times predictions with `measure_time`), so no seed is missing. A module that shows anything
    else may show predictions that change per run, and is still read."""
    if _training_speed_benchmark(src, repo, calls):
        return True
    timed = bool(src.magics & _TIMING_MAGICS)
    clocked = result_shown = False  # reads a clock (time.time); shows a result word
    for call in calls:
        qual = repo.qualify(src, call.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if last in _SCORING or last == "backward" or last.endswith(("_score", "_error", "_loss")):
            return False
        if last in PRINTS and not (_shows_timings(call) or shows_only_sizes(call)):
            return False
        # "Score ... (took 2.1 seconds)": a clock times a run whose result is shown
        result_shown = result_shown or (last in PRINTS and _mentions_result(call))
        timed = timed or qual.startswith("timeit.") or last in _TIMERS
        clocked = clocked or qual in _CLOCKS
    return timed or (clocked and not result_shown)


_CLOCKS = frozenset({"time.time", "time.perf_counter", "time.monotonic", "time.process_time"})
_RESULT_WORDS = re.compile(r"(?i)loss|acc|score|metric|auc|f1|error|precision|recall|perplexity")


# Counters of the peak memory a run used: a script that reads one measures its cost.
_MEMORY_COUNTERS = words(
    "max_memory_allocated max_memory_reserved get_traced_memory max_rss_bytes peak_memory"
)


def _training_speed_benchmark(src: SourceFile, repo: RepoIndex, calls: list[ast.Call]) -> bool:
    """A module named a benchmark, or one that reads the peak memory used, that reads a clock
    around its work, scores nothing and shows no loss or metric (Opacus' `vision_benchmark.py`
    trains on `torch.randn` images and prints only the time taken and images per second;
    ALIGNN's `scaling_test_cu.py` times one forward and backward pass of a fresh model and
    records the peak GPU memory): the seed changes no number it reports."""
    named = "bench" in PurePosixPath(src.rel).stem.lower()
    if not named and not any(leaf_name(call.func) in _MEMORY_COUNTERS for call in calls):
        return False
    clocked = False
    for call in calls:
        qual = repo.qualify(src, call.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if last in _SCORING or last.endswith(("_score", "_error")):
            return False
        if last in PRINTS and _mentions_result(call) and not _text_only(call):
            return False
        clocked = clocked or qual in _CLOCKS
    return clocked


def _text_only(call: ast.Call) -> bool:
    """The call shows fixed text and no value ("all precisions OOM - stopping"): whatever words
    it uses, no number it could report leaves it."""
    values = [*call.args, *(k.value for k in call.keywords)]
    return all(isinstance(v, ast.Constant) for v in values)


def _mentions_result(call: ast.Call) -> bool:
    """A shown value or its text names a result: a loss, an accuracy, a score."""
    return any(
        _RESULT_WORDS.search(n.id if isinstance(n, ast.Name) else str(n.value))
        for arg in [*call.args, *(k.value for k in call.keywords)]
        for n in ast.walk(arg)
        if isinstance(n, ast.Name) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
    )


_TIMING_WORDS = re.compile(
    r"(?i)\b(?:time|timing|elapsed|took|seconds?|secs?|ms|latency|duration)\b"
)
_TIMING_NAME = re.compile(r"(?i)elapsed|time|duration|took|seconds|secs|latency|speed|^_?t\d?$")
_FORMATTING = frozenset({"round", "len", "str", "int", "float", "format", "sum", "min", "max"})


def _shows_timings(call: ast.Call) -> bool:
    """The call prints a timing: its text says so ("Total time taken ..."), or every value it
    prints is named for one (`elapsed_random`)."""
    values = [*call.args, *(k.value for k in call.keywords)]
    texts = [
        n.value
        for arg in values
        for n in ast.walk(arg)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    if any(_TIMING_WORDS.search(text) for text in texts):
        return True
    names = {n.id for arg in values for n in ast.walk(arg) if isinstance(n, ast.Name)}
    return bool(names) and all(_TIMING_NAME.search(n) or n in _FORMATTING for n in names)


def _generator(src: SourceFile, repo: RepoIndex, use: Usage, value: ast.expr) -> bool:
    """`random.Random(12345).sample(...)`, or `rng.sample(...)` where `rng` was made so: a
    generator object (seeded or not, the generator rules read its making), not a DataFrame."""
    if isinstance(value, ast.Name):
        made = use.assigned.get(value.id, [])
        return bool(made) and all(_generator(src, repo, use, v) for v in made)
    if not isinstance(value, ast.Call):
        return False
    qual = repo.qualify(src, value.func) or ""
    return qual in ("random.Random", "random.SystemRandom") or qual.startswith("numpy.random.")


def _torch_sample(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """`dist.sample(torch.Size(...))` or `.sample(sample_shape=...)`: a torch distribution's
    sample (a torch seed fixes it), not `DataFrame.sample`."""
    if any(k.arg == "sample_shape" for k in call.keywords):
        return True
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Call) and repo.qualify(src, first.func) == "torch.Size"


def _shape_sample(use: Usage, call: ast.Call) -> bool:
    """`prior.sample((1000,))`: a tuple of sizes (or `x.shape`) is a distribution's sample shape
    (torch, Pyro, sbi, TensorFlow Probability), which that framework's global seed fixes;
    `DataFrame.sample` takes a row count and `random.sample` a population. So is
    `sim.sample(theta)` where `theta` was drawn so: a draw conditioned on such a sample comes
    from the same framework."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Name):
        made = use.assigned.get(first.id, [])
        return bool(made) and all(isinstance(v, ast.Call) and _shape_sample(use, v) for v in made)
    return isinstance(first, ast.Tuple) or (
        isinstance(first, ast.Attribute) and first.attr == "shape"
    )


def _makes_data(call: ast.Call) -> bool:
    """A generator given only settings (`RegressionGenerator(n_samples=40000)`), not data to
    wrap (`DataGenerator(x, y)` batches the arrays it is given)."""
    return all(isinstance(a, ast.Constant) for a in call.args)


_LEARNS = frozenset({"fit", "partial_fit", "fit_predict", "fit_transform", "evaluate", "score"})


def _trains(calls: list[ast.Call]) -> bool:
    """Some model of the module is fitted, evaluated or trained (`.fit`, `.train()`,
    `loss.backward()`): samples drawn from it there are that training's result."""
    return _learns(calls) or any(
        isinstance(c.func, ast.Attribute) and c.func.attr in ("train", "backward") for c in calls
    )


def _learns(calls: list[ast.Call]) -> bool:
    """Some model of the module is fitted or evaluated (`.fit`, `.partial_fit`,
    `evaluator.evaluate(stream=...)`): generated data there feed a result."""
    return any(isinstance(c.func, ast.Attribute) and c.func.attr in _LEARNS for c in calls)


def _self_supervised(
    src: SourceFile, repo: RepoIndex, calls: list[ast.Call], fit: ast.Call
) -> bool:
    """A Keras fit on a constant target (`np.zeros`), in a module that calls no metric, score or
    evaluation: aeon's triplet-loss network shows only its loss curve and a PCA of the
    embedding, so no shown number needs the seed."""
    if not dummy_target_fit(fit):
        return False
    for call in calls:
        last = (repo.qualify(src, call.func) or "").rsplit(".", 1)[-1]
        if last in _SCORING or last.endswith(("_score", "_error", "accuracy")):
            return False
    return True


def _seeded(seeds: set[str], kind: str) -> bool:
    return "all" in seeds or kind in seeds


def _mcmc_call(src: SourceFile, repo: RepoIndex, use: Usage, call: ast.Call, qual: str) -> bool:
    """`pm.sample()`, or `model.fit()` where `model` was built by an MCMC library
    (`model = bmb.Model("y ~ x", data)`)."""
    if qual.split(".")[0] in _MCMC_ROOTS:
        return True
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return False
    made = use.assigned.get(func.value.id, [])
    return bool(made) and all(
        isinstance(m, ast.Call) and (repo.qualify(src, m.func) or "").split(".")[0] in _MCMC_ROOTS
        for m in made
    )


def _mcmc_on_fixed_data(
    src: SourceFile, places: dict[str, list[tuple[int, str]]], notes: list[Note]
) -> None:
    """An unseeded MCMC fit (`bmb.Model(...).fit()`, `pm.sample()`) is reported with the
    library's other unseeded calls only when the module also draws its data unseeded; on fixed
    or seeded data only Monte Carlo error varies between runs, and the posterior summary
    reports it."""
    fits = places.pop("mcmc", [])
    if fits and any(kind in places for kind in _DATA_KINDS):
        places["library"] = sorted([*places.get("library", []), *fits])
        return
    why = "an MCMC fit on fixed data: only Monte Carlo error varies, which its summary reports"
    notes.extend(Note(src.rel, line, _RULE, f"{msg.split(':')[0]}: {why}") for line, msg in fits)


def _unless_deliberate(
    use: Usage,
    call: ast.Call,
    src: SourceFile,
    msg: str,
    notes: list[Note],
    *,
    illustrative: bool = False,
) -> str | None:
    """msg, or None with a note when the draw is random on purpose. `illustrative`: a draw from
    a named distribution (`np.random.normal`), which may be drawn only to be plotted."""
    reason = (
        deliberate_draw_reason(use, call, src.tree)
        or simulation_reason(use, call, src.tree)
        or only_names_a_file_reason(use, call)
        or shown_only_reason(use, call, src)
    )
    if reason is None and illustrative:
        reason = only_plotted_reason(use, call)
    if reason is None:
        return msg
    notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(' with ')[0]}: {reason}"))
    return None


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
    return bool(model or data)


_FEW_ROWS = 10
_RESTORED = "built only to receive saved weights (load_state_dict before any other use)"
_TORCH_MODULE = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module"})
_TORCH_ROOTS = frozenset({"torch", "pytorch_lightning", "lightning", "skorch"})
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


def _seeding_runners(calls: list[ast.Call]) -> dict[str, str]:
    """Function name -> the call it is handed to when that call takes a seed (Talos'
    `Scan(x, y, params, model=iris_model, seed=17)` seeds random, numpy and TensorFlow before
    each trial it runs): training inside such a function is seeded."""
    out: dict[str, str] = {}
    for call in calls:
        if not given_seed(call):
            continue
        for given in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(given, ast.Name):
                out.setdefault(given.id, f"{ast.unparse(call.func)}(..., {given.id}, seed)")
    return out


# Pyro's stochastic variational inference: each `svi.step(x)` samples from the model and guide
# and takes a gradient step, as `loss.backward(); optimizer.step()` does.
_STEPPERS = frozenset({"pyro.infer.SVI", "pyro.infer.svi.SVI"})


def _framework_fit(src: SourceFile, repo: RepoIndex, use: Usage, func: ast.Attribute) -> bool:
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


def _art_training(src: SourceFile, repo: RepoIndex, use: Usage, func: ast.Attribute) -> str | None:
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


def _few_rows(call: ast.Call, kw: dict[str, ast.expr]) -> bool:
    """`house_df.sample(4)`: a handful of rows (at most ten) drawn as example inputs."""
    n = call.args[0] if call.args else kw.get("n")
    return (
        "frac" not in kw
        and isinstance(n, ast.Constant)
        and isinstance(n.value, int)
        and 0 < n.value <= _FEW_ROWS
    )


def _torch_loop(
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
    if caller := caller_loop_reason(
        use,
        backward,
        src.tree,
        lambda node: repo.qualify(src, node),
        roots,
        library_module=library_module,
        draws=lambda what: _repo_def_draws(repo, what[:-2]),
    ):
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


def _seeded_by_its_library(name: str, default: str) -> str:
    """Why a constructor given no seed is left alone: its library fixes one."""
    return f"{name}: its library seeds it by default ({default}), the same on every run"


def _reseeded(use: Usage, call: ast.Call, tree: ast.Module) -> bool:
    """`rng = random.Random()` (or `self.rng = ...`) then `rng.seed(seed)`: a generator built
    empty and seeded before it draws (OpenCLIP's shard shuffle seeds it with `seed + epoch`)."""
    stmt, _ = use.holder(call)
    if not isinstance(stmt, ast.Assign) or stmt.value is not call:
        return False
    names = {ast.unparse(t) for t in stmt.targets if isinstance(t, ast.Name | ast.Attribute)}
    if state_copied_next(use.up(stmt), stmt, names):
        return True  # `rng.set_state(source.get_state())` next: a copy of another generator
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "seed"
        and ast.unparse(node.func.value) in names
        and (node.args or node.keywords)
        for node in ast.walk(tree)
    )


def unseeded(
    src: SourceFile,
    repo: RepoIndex,
    facts: ModuleFacts,
    seeds: set[str],
    *,
    serving: bool,
    imported: bool = False,
    orphaned_in: frozenset[str] | None = None,
    left_out: bool = False,
    seeded_elsewhere: dict[str, SeededCall] | None = None,
    caller_seeds: bool = False,
    library_module: bool = False,
    in_package: bool = False,
) -> tuple[list[Finding], list[Note]]:
    """Random draws, splits and estimators whose randomness no seed fixes.

    One finding per root cause: every numpy-backed draw of the module (sklearn estimators,
    splits, `np.random.*`, `DataFrame.sample`) is fixed by one seed, so they are reported
    together at the first place with the others listed; likewise `random.*`, unseeded
    generators, PyTorch and Keras. `imported`: another module of the repository imports this
    one, so a training function it never calls itself may be called from there. `orphaned_in`:
    when the module belongs to a package reviewed whole and nothing there imports it, or others
    import it and it is no script, the names the repository mentions; a top-level function none
    of them names runs only from outside (`unreached.py`). `left_out`: modules beside this one
    are imported and it is not, so a class none of those names is dead code too.
    `seeded_elsewhere`: `library.Name` -> where the repository gives that call a seed keyword
    (`facts.seeded` of every module): called here without one, in a module with no seed, the
    library's own examples show it is random. `caller_seeds`: the module belongs to an
    importable package and nothing reviewed with it seeds anything, so a bare draw in a method
    of a class is its caller's to seed (`libmethods.py`). `library_module`: the module sits in an
    importable package that no script of the reviewed folder runs, so a training loop on what
    its caller hands it is the caller's to seed (`libloop.py`). `in_package`: the module sits in
    an importable package, run by a script or not: a draw in a sampler that a library-shaped
    module hands out (`sampler_factory_reason`) is its caller's to seed.
    """
    seeded_elsewhere = seeded_elsewhere or {}
    out: list[Finding] = []
    notes: list[Note] = []
    if not facts.ml and not _WORTH_READING.search(src.text):
        return out, notes
    calls = _calls(src)
    if _speed_benchmark(src, repo, calls):
        why = "a speed benchmark: the random data feed only timings, no result is scored"
        notes.append(Note(src.rel, 1, _RULE, why))
        return out, notes
    imports = repo.imports(src)
    # JAX code samples with explicit keys (`policy.sample(key, q)`) and replay buffers
    # (`accumulator.sample(batch_size)`); its `.sample` is no DataFrame's
    jax_module = any(q.split(".")[0] in _JAX_ROOTS for q in imports.values())
    runners = _seeding_runners(calls)
    tuner = reports_best_hyperparameters(src.text)
    backward: ast.Call | None = None
    trainer_fit: ast.Call | None = None  # Lightning's Trainer.fit, skorch's NeuralNet.fit
    compiled: set[str] = set()
    keras_fit: ast.Call | None = None
    set_later = _sets_random_state(src)
    use = Usage(src.tree)
    places: dict[str, list[tuple[int, str]]] = {}
    spans: dict[int, tuple[int, int]] = {}
    mapped: set[int] = set()  # lines of draws that only fill a dict (a map of models by name)
    for call in calls:
        func = call.func
        qual = repo.qualify(src, func) or ""
        last = qual.rsplit(".", 1)[-1]
        kw = _kw(call)
        spread = any(k.arg is None for k in call.keywords)
        # River and others name it `seed`
        no_state = (
            _unset(kw.get("random_state"))
            and _unset(kw.get("seed"))
            and not spread
            and not set_later
        )
        local = repo.resolve(qual) is not None or own_def(src, repo, call.func)
        msg, kind = None, "numpy"
        receiver = func.value if isinstance(func, ast.Attribute) else None
        from_import = isinstance(receiver, ast.Name) and receiver.id in imports
        if (spark := spark_random_call(qual, call, imported=from_import)) is not None:
            msg, kind = unseeded_spark_msg(spark[0], call, spark[1]), "spark"
        elif last == "train_test_split" and not local:
            shuffle = kw.get("shuffle")
            off = isinstance(shuffle, ast.Constant) and shuffle.value is False
            off = off or qual.split(".")[0] in SEQUENTIAL_SPLIT_LIBRARIES
            if no_state and not off and not _seeded(seeds, "numpy"):
                msg = "train_test_split without random_state: every run gets a different split"
        elif last in RANDOM_ESTIMATORS and not local:
            if seeded_by_default(qual):
                why = "a Spark ML estimator's seed Param defaults to a fixed value"
                notes.append(Note(src.rel, call.lineno, _RULE, f"{last}: {why}"))
            elif default := fixed_default_seed(qual):
                notes.append(
                    Note(src.rel, call.lineno, _RULE, _seeded_by_its_library(last, default))
                )
            elif no_state and not _seeded(seeds, "numpy"):
                reason = (
                    not_random_reason(use, call, last)
                    or ensemble_base_reason(use, call)
                    or fitted_on_literals_reason(use, call, src.tree)
                    or (_RESTORED if id(call) in replaced_by_saved_weights(src.tree) else None)
                )
                if reason is None:
                    msg = f"{last} without random_state: results change from run to run"
                else:
                    notes.append(Note(src.rel, call.lineno, _RULE, f"{last}: {reason}"))
        elif last in SPLITTER_CLASSES and not local:
            shuffle = kw.get("shuffle")
            shuffled = last in ALWAYS_SHUFFLED_SPLITTERS or (
                isinstance(shuffle, ast.Constant) and shuffle.value is True
            )
            if shuffled and no_state and not _seeded(seeds, "numpy"):
                msg = f"{last} shuffles without random_state: folds change from run to run"
        elif is_data_generator(qual) and not local and _makes_data(call):
            if no_state and not _seeded(seeds, "numpy") and _learns(calls):
                msg = f"{last} without random_state: the generated data differ every run"
                kind = "data"
        elif (key := library_key(src, repo, call, qual)) in seeded_elsewhere and not (
            seeded_by_default(qual)
        ):
            # seeded in this very module too: a default seed exists or the contrast is the point;
            # a serving module predicts, its draws are no experiment (as for bare draws below)
            default = None if given_seed(call) else fixed_default_seed(qual)
            if default is not None:
                notes.append(
                    Note(src.rel, call.lineno, _RULE, _seeded_by_its_library(last, default))
                )
            elif last == "reset" and (made := env_made_with_seed(src.tree)):
                why = f"reset: the environment is made with a seed ({made}), which its resets draw from"
                notes.append(Note(src.rel, call.lineno, _RULE, why))
            elif not (spread or seeds or serving or key in facts.seeded):
                text = seeded_elsewhere_msg(use, call, src.tree, last, seeded_elsewhere[key])
                if text is not None and not reports_only_sizes(src.tree):
                    mcmc = _mcmc_call(src, repo, use, call, qual)
                    msg, kind = text, "mcmc" if mcmc else "library"
        elif serving or not (
            facts.ml
            or (tuner and qual in _GENERATOR_CONSTRUCTORS)
            or shuffled_into_split(use, call, qual, src.tree)
        ):
            pass  # a tuner's generator draws the hyperparameters whose best it reports
        elif qual.startswith("numpy.random."):
            if last in ("default_rng", "RandomState", "Generator") and not call.args and not kw:
                if not _reseeded(use, call, src.tree):
                    msg, kind = f"np.random.{last}() without a seed", "generator"
            elif last not in _NP_NOT_DRAWS and not _seeded(seeds, "numpy"):
                msg = f"np.random.{last} with no np.random.seed in this module"
                msg = _unless_deliberate(use, call, src, msg, notes, illustrative=True)
                if msg and (toy := reaches_no_result_reason(use, call)):
                    notes.append(Note(src.rel, call.lineno, _RULE, f"np.random.{last}: {toy}"))
                    msg = None
        elif qual.startswith("random.") and qual.count(".") == 1:
            kind = "random"
            if last == "Random" and not call.args:
                if not _reseeded(use, call, src.tree):
                    msg = "random.Random() without a seed"
            elif last in _RANDOM_FUNCS and not _seeded(seeds, "random"):
                msg = f"random.{last} with no random.seed in this module"
                msg = _unless_deliberate(use, call, src, msg, notes, illustrative=True)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "sample"
            and no_state
            and (call.args or "frac" in kw or "n" in kw)
            and not _torch_sample(src, repo, call)
            and not jax_module
            and not (isinstance(func.value, ast.Name) and func.value.id in imports)
            and not _generator(src, repo, use, func.value)
            and not _seeded(seeds, "numpy")
            and not (_shape_sample(use, call) and seeds & {"torch", "tf"})
        ):
            msg = (
                f"{ast.unparse(func)}() draws a distribution's sample and nothing seeds its "
                "framework (torch.manual_seed, tf.random.set_seed): a different sample every run"
                if _shape_sample(use, call)
                else f"{ast.unparse(func)}() without random_state: a different sample every run"
            )
            # samples of a model trained elsewhere (a toy posterior), only drawn: no result
            msg = _unless_deliberate(use, call, src, msg, notes, illustrative=not _trains(calls))
            if msg and _few_rows(call, kw):
                why = "a few example rows picked to show a prediction, no result depends on them"
                notes.append(Note(src.rel, call.lineno, _RULE, f"DataFrame.sample: {why}"))
                msg = None
        if msg and kind in ("numpy", "random") and shuffled_into_split(use, call, qual, src.tree):
            msg += ": it decides which rows are cut into the train and the test part"
        if (
            msg
            and kind in ("numpy", "random")
            and (ids := ids_order_reason(use, call, qual, src.tree))
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(' with ')[0]}: {ids}"))
            msg = None
        if msg and (undefined := undefined_inputs(call, src.tree, repo)):
            why = f"the call cannot run: {undefined}, a NameError before any draw"
            notes.append(Note(src.rel, call.lineno, _RULE, why))
            msg = None
        if isinstance(func, ast.Attribute) and func.attr in ("backward", "fit"):
            hook = None if imported else uncalled_hook(use, call, src.tree)
            if hook is not None:
                why = f"the training runs only when a runner outside the module calls {hook}()"
                notes.append(Note(src.rel, call.lineno, _RULE, f"{why}; that caller owns the seed"))
                continue
            dead = unrunnable_caller(use, call, src.tree)
            if dead is not None:
                why = f"the training cannot run: {dead}, a NameError before any step"
                notes.append(Note(src.rel, call.lineno, _RULE, why))
                continue
            if func.attr == "backward" and (attack := input_gradient_reason(use, call)):
                notes.append(Note(src.rel, call.lineno, _RULE, attack))
                continue
            func_def = enclosing_function(use, call)
            runner = runners.get(func_def.name) if func_def is not None else None
            if runner is not None:  # Talos' Scan(..., model=build, seed=17) seeds each trial
                why = f"the training runs under {runner}, which seeds every run it makes"
                notes.append(Note(src.rel, call.lineno, _RULE, why))
                continue
        if isinstance(func, ast.Attribute):
            if func.attr == "backward" and backward is None:
                backward = call
            if trainer_fit is None and _framework_fit(src, repo, use, func):
                trainer_fit = call
            wrapped = _art_training(src, repo, use, func)
            if wrapped == "torch" and trainer_fit is None:
                trainer_fit = call
            elif wrapped == "keras" and keras_fit is None:
                keras_fit = call
            if func.attr == "compile" and isinstance(func.value, ast.Name):
                compiled.add(func.value.id)
            if (
                func.attr == "fit"
                and isinstance(func.value, ast.Name)
                and func.value.id in compiled
                and keras_fit is None
            ):
                if built_with_seed(src.tree, use, func.value.id):
                    why = f"{func.value.id} was built with a seed, which seeds its training"
                    notes.append(Note(src.rel, call.lineno, _RULE, why))
                else:
                    keras_fit = call
        if (
            msg
            and orphaned_in is not None
            and (
                unreached := unreached_function(use, call, src.tree, orphaned_in, classes=left_out)
            )
        ):
            why = f"{unreached}() runs only when code outside the package calls it"
            why += ", which owns the seed"
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {why}"))
            msg = None
        if msg and (transform := augmentation_draw(use, call)):
            why = f"{transform} draws per input it transforms: the augmentation itself"
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {why}"))
            msg = None
        if (
            msg
            and kind in ("numpy", "random")
            and qual.startswith(("numpy.random.", "random."))
            and (lib := library_method_reason(use, call, src.tree, caller_seeds=caller_seeds))
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(' with ')[0]}: {lib}"))
            msg = None
        if msg and kind != "generator" and (unused := unused_result_reason(use, call)):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {unused}"))
            msg = None
        if (
            msg
            and in_package
            and library_shaped(src.tree)
            and (factory := sampler_factory_reason(use, call, kind))
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {factory}"))
            msg = None
        if msg and library_module and library_shaped(src.tree):
            builds = last in RANDOM_ESTIMATORS or is_data_generator(qual)
            copy = partial(_seeded_namesake, src, repo)
            if lib := caller_draw_reason(use, call, kind, builds_model=builds, seeded_copy=copy):
                notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {lib}"))
                msg = None
            else:
                msg += why_library_draw_fires(use, call, kind, copy)
        if msg:
            places.setdefault(kind, []).append((call.lineno, msg))
            spans.setdefault(call.lineno, statement_span(use, call))
            if _in_model_map(use, call):
                mapped.add(call.lineno)
    roots = {q.split(".")[0] for q in imports.values()}
    loop = backward or trainer_fit
    torch_unseeded = loop is not None and roots & _TORCH_ROOTS and not _seeded(seeds, "torch")
    keras_unseeded = (
        keras_fit is not None and roots & {"tensorflow", "keras"} and not _seeded(seeds, "tf")
    )
    if torch_unseeded or keras_unseeded:
        places.pop("library", None)  # the training the framework runs is the finding
    if keras_unseeded and keras_fit is not None and _self_supervised(src, repo, calls, keras_fit):
        why = "a Keras fit on a constant target (self-supervised) in a module that scores nothing"
        notes.append(Note(src.rel, keras_fit.lineno, _RULE, f"{why}: only its loss is shown"))
        keras_unseeded = False
        drawn = places.get("numpy", [])
        if drawn and all(feeds_only(use, src.tree, line, keras_fit) for line, _ in drawn):
            places.pop("numpy")
            why = "the draws make only that self-supervised fit's inputs"
            notes.extend(Note(src.rel, line, _RULE, why) for line, _ in drawn)
    _mcmc_on_fixed_data(src, places, notes)
    for found in places.values():  # a draw built and fitted in place names the cause first
        found.sort(key=lambda place: place[0] in mapped)
    for kinds, found in one_per_statement(places, spans).items():
        (line, msg), rest = found[0], found[1:]
        also = ""
        if rest:
            listed = "; ".join(f"line {n}: {m.split(':')[0]}" for n, m in rest)
            seeds_missing = "The same missing seed also affects"
            if len(kinds) > 1:  # two generators in one statement, each needing its seed
                seeds_missing = "The missing seeds also affect"
            also = f" {seeds_missing} {listed}."
        trace = tuple(f"random: {m.split(':')[0]} ({src.rel}:{n})" for n, m in found)
        out.append(
            make_finding(
                src,
                _RULE,
                line,
                f"{msg}. Fix a seed so the experiment can be reproduced.{also}",
                trace=trace,
            )
        )
    if torch_unseeded and loop is not None:
        out += _torch_loop(src, repo, use, loop, roots, notes, library_module=library_module)
    if keras_unseeded and keras_fit is not None:
        out.append(
            make_finding(
                src,
                _RULE,
                keras_fit.lineno,
                "a Keras model is trained without tf.random.set_seed / "
                "keras.utils.set_random_seed: weights differ every run. Set a seed first.",
            )
        )
    return out, notes
