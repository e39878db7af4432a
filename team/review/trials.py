"""Search trials left unseeded on purpose, whose best value is then reported.

RL Baselines3 Zoo's hyperparameter search builds each trial's agent with `seed=None` ("We do not
seed the trial"), scores it by one noisy evaluation, and prints `study.best_trial.value` as the
result. Each trial's score is one draw of a random training run; the best of many such draws is
the largest noise as much as the best configuration, and a rerun picks and reports another.

Narrow on purpose: a seed keyword given `None` is the author's choice, which the rest of
`unseeded-randomness` respects (a library call given `seed=None` is not reported). It is reported
here only when
- the call sits in a function a search runs (`study.optimize(objective)`,
  `fmin(objective, ...)`, also as a method, `study.optimize(self.objective)`);
- the call is given `seed=None` / `random_state=None` / `random_seed=None` in so many words;
- the module reads the search's best result (`study.best_value`, `study.best_trial`,
  `trials.best_trial`): the best of those unseeded trials is what it reports;
- the process is not seeded whole before the search runs (by the module or by every entry
  point that runs it: `set_random_seed(args.seed)`, `seed_everything`, or numpy's seed with
  torch's or TensorFlow's). In a seeded process `seed=None` only means "do not reseed": each
  trial continues the seeded generators, so the search repeats from the run's seed (the Zoo's
  train.py seeds python, numpy and torch with a seed it prints, judged false on fresh24).

The search's own sampler draws too: Hyperopt's `fmin` without `rstate` (RecBole's
`HyperTuning.run`), Optuna's `create_study` with no sampler (TPE, unseeded) or a sampler built
without `seed`. Which configurations are tried, and so the one chosen, change from run to run,
and `np.random.seed` does not reach either sampler. Reported only where the search runs here
(`fmin`, or `.optimize(objective)` in the module) on an objective that does some work: a lambda
or a function of only arithmetic is a toy function, as in Hyperopt's tutorials. A `**kwargs`
spread into the call may carry the seed, and is not read.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.randomness import Usage
from team.review.sources import RepoIndex, SourceFile

__all__ = ["reports_best_hyperparameters", "unseeded_samplers", "unseeded_trials"]

_RULE = "unseeded-randomness"
_SEED_KEYWORDS = words("seed random_state random_seed")
_SEARCHES = words("optimize fmin")
_BEST = words("best_value best_trial")
_BEST_HYPERPARAMETERS = re.compile(r"best[_ ]?(hyper)?param", re.IGNORECASE)


def unseeded_trials(src: SourceFile, seeds: set[str]) -> list[Finding]:
    """One finding per search objective that builds its model with an explicit `seed=None`,
    in a module that reports the search's best trial. `seeds`: what the module, or every entry
    point that runs it, seeds first (`all`, `numpy`, `torch`, `tf`, ...)."""
    reads = [n for n in ast.walk(src.tree) if isinstance(n, ast.Attribute) and n.attr in _BEST]
    best = min(reads, key=lambda n: n.lineno, default=None)
    if best is None or _seeded_whole(seeds):
        return []
    out: list[Finding] = []
    for func in _objectives(src.tree):
        call = next((c for c in ast.walk(func) if isinstance(c, ast.Call) and _seed_none(c)), None)
        if call is None:
            continue
        out.append(
            make_finding(
                src,
                _RULE,
                call.lineno,
                f"each trial of the search run by {func.name}() trains with a seed of None, and "
                f"the best trial is reported (line {best.lineno}): the best of unseeded, noisy "
                "runs is picked and reported, and a rerun picks and reports another. Seed each "
                "trial, or re-evaluate the chosen configuration over several seeds.",
                trace=(
                    f"random: {ast.unparse(call.func)}(seed=None) ({src.rel}:{call.lineno})",
                    f"select: the best trial ({src.rel}:{best.lineno})",
                ),
            )
        )
    return out


def _seeded_whole(seeds: set[str]) -> bool:
    """The process's generators are seeded: one call seeds them all, or numpy's and a deep
    learning framework's are both seeded."""
    return "all" in seeds or ("numpy" in seeds and bool(seeds & {"torch", "tf"}))


def _seed_none(node: ast.Call) -> bool:
    return any(
        k.arg in _SEED_KEYWORDS and isinstance(k.value, ast.Constant) and k.value.value is None
        for k in node.keywords
    )


def _objectives(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions (or methods, by name) handed first to a search call."""
    handed: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        given = (
            node.args[0]
            if node.args
            else next((k.value for k in node.keywords if k.arg in ("func", "fn")), None)
        )
        if name in _SEARCHES and isinstance(given, ast.Name | ast.Attribute):
            handed.add(given.id if isinstance(given, ast.Name) else given.attr)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in handed
    ]


_FMIN = frozenset({"hyperopt.fmin", "hyperopt.fmin.fmin"})
_CREATE_STUDY = frozenset({"optuna.create_study", "optuna.study.create_study"})
# Samplers that enumerate rather than draw, and the samplers' own pieces.
_ORDERLY = words("GridSampler BruteForceSampler PartialFixedSampler")
_ARITHMETIC = words(
    "abs sum min max float int pow len range round np numpy math sin cos exp log sqrt"
)


def unseeded_samplers(src: SourceFile, repo: RepoIndex) -> list[Finding]:
    """One finding per Hyperopt `fmin` or Optuna `create_study` whose sampler draws unseeded,
    where the search runs in this module on an objective that does some work."""
    use = Usage(src.tree)
    optimized = [
        c.args[0]
        for c in ast.walk(src.tree)
        if isinstance(c, ast.Call)
        and isinstance(c.func, ast.Attribute)
        and c.func.attr == "optimize"
        and c.args
    ]
    out: list[Finding] = []
    for call in (c for c in ast.walk(src.tree) if isinstance(c, ast.Call)):
        if any(k.arg is None for k in call.keywords):
            continue  # **kwargs may carry the seed
        qual = repo.qualify(src, call.func) or ""
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        if qual in _FMIN and "rstate" not in kw and "HYPEROPT_FMIN_SEED" not in src.text:
            objective = call.args[0] if call.args else kw.get("fn")
            what = "fmin() without rstate"
            objectives = [objective] if objective is not None else []
        elif qual in _CREATE_STUDY and _unseeded_sampler(kw.get("sampler"), use):
            what = "create_study() with an unseeded sampler"
            objectives = optimized
        else:
            continue
        if not any(_does_work(o, src.tree, use) for o in objectives):
            continue
        out.append(
            make_finding(
                src,
                _RULE,
                call.lineno,
                f"{what}: the search's sampler draws which configurations are tried, so the one "
                "it chooses, and its score, change from run to run (np.random.seed does not "
                "reach it). Seed the sampler: TPESampler(seed=...) for Optuna, "
                "rstate=np.random.default_rng(...) for Hyperopt.",
                trace=(f"random: the search's sampler ({src.rel}:{call.lineno})",),
            )
        )
    return out


def _unseeded_sampler(sampler: ast.expr | None, use: Usage, depth: int = 2) -> bool:
    """No sampler (Optuna's default TPE draws unseeded), or one built without a seed."""
    if sampler is None:
        return True
    if isinstance(sampler, ast.Name) and depth > 0:
        made = use.assigned.get(sampler.id, [])
        return bool(made) and all(_unseeded_sampler(m, use, depth - 1) for m in made)
    if not isinstance(sampler, ast.Call):
        return False
    func = sampler.func
    name = leaf_name(func)
    return (
        name.endswith("Sampler")
        and name not in _ORDERLY
        and not any(k.arg == "seed" or k.arg is None for k in sampler.keywords)
    )


def _does_work(objective: ast.expr, tree: ast.Module, use: Usage) -> bool:
    """The objective calls something beyond arithmetic and the trial's suggestions: it trains
    or scores something. A lambda or a function of arithmetic alone is a toy function; a lambda
    that hands the parameters on to a method (MLBox's `lambda params: -self.evaluate(params,
    df)`) runs that method's work."""
    if isinstance(objective, ast.Lambda):
        return _calls_work(objective)
    name = (
        objective.id
        if isinstance(objective, ast.Name)
        else objective.attr
        if isinstance(objective, ast.Attribute)
        else None
    )
    if name is None:
        return False
    lambdas = [v for v in use.assigned.get(name, []) if isinstance(v, ast.Lambda)]
    if lambdas:
        return any(_calls_work(v) for v in lambdas)
    funcs = [
        f
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name == name
    ]
    if not funcs:
        return True  # defined elsewhere: not known to be a toy
    return any(_calls_work(f) for f in funcs)


def _calls_work(node: ast.AST) -> bool:
    """Some call under `node` is neither arithmetic nor a trial's suggestion."""
    return any(isinstance(c, ast.Call) and not _arithmetic(c) for c in ast.walk(node))


def _arithmetic(call: ast.Call) -> bool:
    func = call.func
    while isinstance(func, ast.Attribute):
        if func.attr.startswith("suggest"):
            return True
        func = func.value
    return isinstance(func, ast.Name) and func.id in _ARITHMETIC | {"hp", "trial"}


def reports_best_hyperparameters(text: str) -> bool:
    """The module names its best hyperparameters (`best_hyperparameters.yaml`, `best_params`):
    a tuner, even one that imports no ML library (Ultralytics' evolutionary `Tuner` mutates
    hyperparameters with numpy alone and trains through a subprocess), whose own draws decide
    which configurations are tried and so which is reported best."""
    return bool(_BEST_HYPERPARAMETERS.search(text))
