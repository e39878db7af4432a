"""Per-module rules that need names, not data flow: `unseeded-randomness`, its entry point.

`unseeded` walks a module's calls and yields one finding per missing seed, with a note for each
draw it leaves alone. What seeds a run is read in `seedfacts.py`, what a draw is and draws in
`drawkinds.py`, the training loops a framework runs in `trainloops.py`, and a module that only
times code in `speedbench.py`.
"""

from __future__ import annotations

import ast
import re
from functools import partial

from team.review.augment import augmentation_draw, loader_sampling
from team.review.catalog import (
    ALWAYS_SHUFFLED_SPLITTERS,
    RANDOM_ESTIMATORS,
    SEQUENTIAL_SPLIT_LIBRARIES,
    SPLITTER_CLASSES,
    fixed_default_seed,
    is_data_generator,
)
from team.review.core import Finding, Note
from team.review.deadscript import dead_function
from team.review.drawkinds import (
    GENERATOR_CONSTRUCTORS,
    JAX_ROOTS,
    NP_NOT_DRAWS,
    RANDOM_FUNCS,
    few_rows,
    generator,
    in_model_map,
    makes_data,
    mcmc_call,
    mcmc_on_fixed_data,
    shape_sample,
    torch_sample,
    unless_deliberate,
)
from team.review.embedplot import embedding_plot_reason
from team.review.ensemblebase import ensemble_base_reason
from team.review.fallbackrng import fallback_never_taken
from team.review.findingtext import make_finding
from team.review.hypersearch import unseeded_search
from team.review.inputgrad import input_gradient_reason
from team.review.libloop import (
    caller_draw_reason,
    library_shaped,
    sampler_factory_reason,
    seeded_namesake,
    why_library_draw_fires,
)
from team.review.libmethods import library_method_reason
from team.review.libseeds import (
    SeededCall,
    built_with_seed,
    given_seed,
    library_key,
    own_def,
    seeded_elsewhere_msg,
)
from team.review.onestatement import one_per_statement, statement_span
from team.review.outputs import reports_only_sizes
from team.review.plotrunner import plotted_class_reason
from team.review.priorbatch import prior_batch_reason
from team.review.randomness import Usage, enclosing_function, not_random_reason, uncalled_hook
from team.review.seededmakers import env_made_with_seed
from team.review.seedfacts import (
    ModuleFacts,
    calls_in,
    keywords_of,
    reseeded,
    seeded_by_its_library,
    seeded_for,
    seeding_runners,
    sets_random_state,
    unset,
)
from team.review.shadowed import MODULE_ROOTS, reads_shadowed, shadowed_receivers
from team.review.shufflesplit import ids_order_reason, shuffled_into_split
from team.review.sources import RepoIndex, SourceFile
from team.review.spark import seeded_by_default, spark_random_call, unseeded_spark_msg
from team.review.speedbench import speed_benchmark
from team.review.startweights import replaced_by_saved_weights
from team.review.toydata import feeds_only, fitted_on_literals_reason, reaches_no_result_reason
from team.review.trainloops import (
    TORCH_ROOTS,
    art_training,
    callers_loop,
    framework_fit,
    learns,
    self_supervised,
    torch_loop,
    trains,
)
from team.review.trials import reports_best_hyperparameters
from team.review.unbound import undefined_inputs, unrunnable_caller
from team.review.unreached import unreached_function
from team.review.unused import unused_result_reason
from team.review.viewer import only_watches

__all__ = ["unseeded"]

_RULE = "unseeded-randomness"
# a module with no ML library may still run a hyperparameter search (`hypersearch.py`)
_WORTH_READING = re.compile(
    r"seed|accuracy|random|scoring|metrics|shuffle|split|_minimize|BayesianOptimization", re.I
)


def _seeded_namesake(src: SourceFile, repo: RepoIndex, name: str) -> str | None:
    """Where a function named `name` in another module of the repository takes a seed."""
    return seeded_namesake((o.rel, f) for o, f in repo.functions_named(name) if o is not src)


_RESTORED = "built only to receive saved weights (load_state_dict before any other use)"


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
    script_reach: frozenset[str] | None = None,
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
    module hands out (`sampler_factory_reason`) is its caller's to seed. `script_reach`: when
    the module is a script or notebook, the names the modules importing it mention; a top-level
    function of it that nothing names is dead code (`deadscript.py`).
    """
    seeded_elsewhere = seeded_elsewhere or {}
    out: list[Finding] = []
    notes: list[Note] = []
    if not facts.ml and not _WORTH_READING.search(src.text):
        return out, notes
    calls = calls_in(src)
    if speed_benchmark(src, repo, calls):
        why = "a speed benchmark: the random data feed only timings, no result is scored"
        notes.append(Note(src.rel, 1, _RULE, why))
        return out, notes
    if watched := only_watches(src.tree):
        notes.append(Note(src.rel, 1, _RULE, watched))
        return out, notes
    imports = repo.imports(src)
    # JAX code samples with explicit keys (`policy.sample(key, q)`) and replay buffers
    # (`accumulator.sample(batch_size)`); its `.sample` is no DataFrame's
    jax_module = any(q.split(".")[0] in JAX_ROOTS for q in imports.values())
    runners = seeding_runners(calls)
    tuner = reports_best_hyperparameters(src.text)
    backward: ast.Call | None = None
    trainer_fit: ast.Call | None = None  # Lightning's Trainer.fit, skorch's NeuralNet.fit
    compiled: set[str] = set()
    keras_fit: ast.Call | None = None
    set_later = sets_random_state(src)
    use = Usage(src.tree)
    places: dict[str, list[tuple[int, str]]] = {}
    spans: dict[int, tuple[int, int]] = {}
    mapped: set[int] = set()  # lines of draws that only fill a dict (a map of models by name)
    shadowed = shadowed_receivers(src.tree, {*imports, *MODULE_ROOTS})
    for call in calls:
        func = call.func
        # a receiver bound in scope (`random` a generator parameter) is no module
        qual = "" if reads_shadowed(func, shadowed) else repo.qualify(src, func) or ""
        last = qual.rsplit(".", 1)[-1]
        kw = keywords_of(call)
        spread = any(k.arg is None for k in call.keywords)
        # River and others name it `seed`
        no_state = (
            unset(kw.get("random_state")) and unset(kw.get("seed")) and not spread and not set_later
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
            if no_state and not off and not seeded_for(seeds, "numpy"):
                msg = "train_test_split without random_state: every run gets a different split"
        elif not local and (
            search := unseeded_search(qual, call, use, numpy_seeded=seeded_for(seeds, "numpy"))
        ):
            msg, kind = search
        elif last in RANDOM_ESTIMATORS and not local:
            if seeded_by_default(qual):
                why = "a Spark ML estimator's seed Param defaults to a fixed value"
                notes.append(Note(src.rel, call.lineno, _RULE, f"{last}: {why}"))
            elif default := fixed_default_seed(qual):
                notes.append(
                    Note(src.rel, call.lineno, _RULE, seeded_by_its_library(last, default))
                )
            elif no_state and not seeded_for(seeds, "numpy"):
                reason = (
                    not_random_reason(use, call, last)
                    or ensemble_base_reason(use, call)
                    or fitted_on_literals_reason(use, call, src.tree)
                    or embedding_plot_reason(
                        use, call, last, src.tree, (s.tree for s in repo.sources if s is not src)
                    )
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
            if shuffled and no_state and not seeded_for(seeds, "numpy"):
                msg = f"{last} shuffles without random_state: folds change from run to run"
        elif is_data_generator(qual) and not local and makes_data(call):
            if no_state and not seeded_for(seeds, "numpy") and learns(calls):
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
                    Note(src.rel, call.lineno, _RULE, seeded_by_its_library(last, default))
                )
            elif last == "reset" and (made := env_made_with_seed(src.tree)):
                why = f"reset: the environment is made with a seed ({made}), which its resets draw from"
                notes.append(Note(src.rel, call.lineno, _RULE, why))
            elif not (spread or seeds or serving or key in facts.seeded):
                text = seeded_elsewhere_msg(use, call, src.tree, last, seeded_elsewhere[key])
                if text is not None and not reports_only_sizes(src.tree):
                    mcmc = mcmc_call(src, repo, use, call, qual)
                    msg, kind = text, "mcmc" if mcmc else "library"
        elif serving or not (
            facts.ml
            or (tuner and qual in GENERATOR_CONSTRUCTORS)
            or shuffled_into_split(use, call, qual, src.tree)
        ):
            pass  # a tuner's generator draws the hyperparameters whose best it reports
        elif qual.startswith("numpy.random."):
            if last in ("default_rng", "RandomState", "Generator") and not call.args and not kw:
                if not reseeded(use, call, src.tree):
                    msg, kind = f"np.random.{last}() without a seed", "generator"
            elif last not in NP_NOT_DRAWS and not seeded_for(seeds, "numpy"):
                msg = f"np.random.{last} with no np.random.seed in this module"
                msg = unless_deliberate(use, call, src, msg, notes, illustrative=True)
                if msg and (toy := reaches_no_result_reason(use, call)):
                    notes.append(Note(src.rel, call.lineno, _RULE, f"np.random.{last}: {toy}"))
                    msg = None
        elif qual.startswith("random.") and qual.count(".") == 1:
            kind = "random"
            if last == "Random" and not call.args:
                if not reseeded(use, call, src.tree):
                    msg = "random.Random() without a seed"
            elif last in RANDOM_FUNCS and not seeded_for(seeds, "random"):
                msg = f"random.{last} with no random.seed in this module"
                msg = unless_deliberate(use, call, src, msg, notes, illustrative=True)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "sample"
            and no_state
            and (call.args or "frac" in kw or "n" in kw)
            and not torch_sample(src, repo, call)
            and not jax_module
            and not (isinstance(func.value, ast.Name) and func.value.id in imports)
            and not generator(src, repo, use, func.value)
            and not seeded_for(seeds, "numpy")
            and not (shape_sample(use, call) and seeds & {"torch", "tf"})
        ):
            msg = (
                f"{ast.unparse(func)}() draws a distribution's sample and nothing seeds its "
                "framework (torch.manual_seed, tf.random.set_seed): a different sample every run"
                if shape_sample(use, call)
                else f"{ast.unparse(func)}() without random_state: a different sample every run"
            )
            # samples of a model trained elsewhere (a toy posterior), only drawn: no result
            msg = unless_deliberate(use, call, src, msg, notes, illustrative=not trains(calls))
            if msg and few_rows(call, kw):
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
            if trainer_fit is None and framework_fit(src, repo, use, func):
                trainer_fit = call
            wrapped = art_training(src, repo, use, func)
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
        if msg and (dead := dead_function(use, call, src.tree, script_reach)):
            why = f"{dead}() is never called: neither the script nor a module importing it names it"
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
        if (
            msg
            and in_package
            and qual.startswith(("numpy.random.", "random."))
            and (loader := loader_sampling(use, call, partial(repo.qualify, src)))
        ):
            why = (
                f"{loader} draws in a data loader's own sampling, like a shuffled DataLoader: "
                "the trainer that iterates the loader owns the seed"
            )
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {why}"))
            msg = None
        if (
            msg
            and kind in ("numpy", "random")
            and qual.startswith(("numpy.random.", "random."))
            and (
                plotted := plotted_class_reason(
                    use, call, src.tree, (s.tree for s in repo.sources if s is not src)
                )
            )
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(' with ')[0]}: {plotted}"))
            msg = None
        if (
            msg
            and kind in ("generator", "random")
            and (never := fallback_never_taken(use, call, (s.tree for s in repo.sources)))
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg}: {never}"))
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
        if (
            msg
            and in_package
            and library_shaped(src.tree)
            and qual.startswith(("numpy.random.", "random."))
            and (prior := prior_batch_reason(src, repo, use, call, kind))
        ):
            notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {prior}"))
            msg = None
        if msg and library_module and library_shaped(src.tree):
            builds = last in RANDOM_ESTIMATORS or is_data_generator(qual)
            copy = partial(_seeded_namesake, src, repo)
            loop_of = partial(callers_loop, src, repo, use, library_module=library_module)
            if lib := caller_draw_reason(
                use, call, kind, builds_model=builds, seeded_copy=copy, callers_loop=loop_of
            ):
                notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(':')[0]}: {lib}"))
                msg = None
            else:
                msg += why_library_draw_fires(use, call, kind, copy)
        if msg:
            places.setdefault(kind, []).append((call.lineno, msg))
            spans.setdefault(call.lineno, statement_span(use, call))
            if in_model_map(use, call):
                mapped.add(call.lineno)
    roots = {q.split(".")[0] for q in imports.values()}
    loop = backward or trainer_fit
    torch_unseeded = loop is not None and roots & TORCH_ROOTS and not seeded_for(seeds, "torch")
    keras_unseeded = (
        keras_fit is not None and roots & {"tensorflow", "keras"} and not seeded_for(seeds, "tf")
    )
    if torch_unseeded or keras_unseeded:
        places.pop("library", None)  # the training the framework runs is the finding
    if keras_unseeded and keras_fit is not None and self_supervised(src, repo, calls, keras_fit):
        why = "a Keras fit on a constant target (self-supervised) in a module that scores nothing"
        notes.append(Note(src.rel, keras_fit.lineno, _RULE, f"{why}: only its loss is shown"))
        keras_unseeded = False
        drawn = places.get("numpy", [])
        if drawn and all(feeds_only(use, src.tree, line, keras_fit) for line, _ in drawn):
            places.pop("numpy")
            why = "the draws make only that self-supervised fit's inputs"
            notes.extend(Note(src.rel, line, _RULE, why) for line, _ in drawn)
    mcmc_on_fixed_data(src, places, notes)
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
        out += torch_loop(src, repo, use, loop, roots, notes, library_module=library_module)
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
