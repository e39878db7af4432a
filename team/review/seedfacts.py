"""What seeds a module's run: the seeding calls it makes and the seeds it hands to its draws.

The `unseeded-randomness` rule (`hygiene.py`) asks, for each draw, whether something already fixes
it: a global seeder (`torch.manual_seed`), a helper of the repository that calls one, a seed in a
library's settings dict, a `random_state` set after construction, a runner handed a seed, a
generator reseeded after it is built. The module's facts are gathered once (`module_facts`) so
the rule, and the rules that read its findings, agree on what seeds a run.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from team.review.catalog import GLOBAL_SEEDERS, words
from team.review.copiedstate import state_copied_next
from team.review.libseeds import SeededCall, given_seed, library_key, seeds_a_library_call
from team.review.randomness import Usage
from team.review.seededmakers import seeding_cli
from team.review.sources import RepoIndex, SourceFile

__all__ = [
    "ML_ROOTS",
    "ModuleFacts",
    "calls_in",
    "keywords_of",
    "module_facts",
    "reseeded",
    "seed_kind",
    "seeded_by_its_library",
    "seeded_for",
    "seeding_runners",
    "sets_random_state",
    "unset",
]

ML_ROOTS = words(
    "sklearn torch tensorflow keras xgboost lightgbm catboost imblearn pytorch_lightning lightning "
    "skmultiflow river lasagne dynet chainer neurolab jax haiku flax optax rlax"
)
# A module that fits a model is an ML module whatever library it imports (FEDOT's `model.fit`).
_FITS_MODEL = words("fit partial_fit fit_predict")
_FACT_TEXT = re.compile(r"seed|random_state")


@dataclass
class ModuleFacts:
    """What the per-module rules need to know about one file."""

    ml: bool = False
    seeds: set[str] = field(default_factory=set)
    # `library.Name` -> a call of the module that gives it `seed=` / `random_seed=`
    seeded: dict[str, SeededCall] = field(default_factory=dict)


def calls_in(src: SourceFile) -> list[ast.Call]:
    return sorted(
        (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )


def keywords_of(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg}


def unset(value: ast.expr | None) -> bool:
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


def module_facts(src: SourceFile, repo: RepoIndex) -> ModuleFacts:
    """Imports, seeds and metrics of one module."""
    roots = {q.split(".")[0] for q in repo.imports(src).values()}
    fits = any(
        isinstance(c.func, ast.Attribute) and c.func.attr in _FITS_MODEL for c in calls_in(src)
    )
    facts = ModuleFacts(ml=bool(roots & ML_ROOTS) or src.rel.endswith(".ipynb") or fits)
    if not facts.ml and not _FACT_TEXT.search(src.text):
        return facts
    for call in calls_in(src):
        qual = repo.qualify(src, call.func) or ""
        if seeds_a_library_call(call) and (key := library_key(src, repo, call, qual)):
            facts.seeded.setdefault(
                key, SeededCall(src.rel, call.lineno, "shuffle" in keywords_of(call))
            )
        if (kind := seed_kind(qual)) is not None:
            facts.seeds.add(kind)
        elif helper := _helper_seeds(repo, qual, local=_given_a_seed(call)):
            facts.seeds |= helper  # `setup.prepare(args)`, whose body calls torch.manual_seed
        elif seeding_cli(qual, call):
            facts.seeds.add("all")  # LightningCLI(seed_everything_default=1234) seeds first
        elif any(_seed_in_settings(k.value) for k in call.keywords):
            facts.seeds.add("settings")
    return facts


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
        isinstance(k, ast.Constant) and k.value in ("seed", "random_seed") and not unset(v)
        for k, v in zip(value.keys, value.values, strict=True)
    )


def sets_random_state(src: SourceFile) -> bool:
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


def _holds_random_state(value: ast.expr) -> bool:
    return isinstance(value, ast.Dict) and any(
        isinstance(k, ast.Constant) and k.value == "random_state" and not unset(v)
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


def seeded_for(seeds: set[str], kind: str) -> bool:
    return "all" in seeds or kind in seeds


def seeding_runners(calls: list[ast.Call]) -> dict[str, str]:
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


def seeded_by_its_library(name: str, default: str) -> str:
    """Why a constructor given no seed is left alone: its library fixes one."""
    return f"{name}: its library seeds it by default ({default}), the same on every run"


def reseeded(use: Usage, call: ast.Call, tree: ast.Module) -> bool:
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
