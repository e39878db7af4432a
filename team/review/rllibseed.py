"""Code that only RLlib builds, in a package whose RLlib runs carry a seed.

MARLlib's QMIX policy (`algos/core/VD/iql_vdn_qmix.py`) and its centralised-critic models
(`models/zoo/mlp/cc_mlp.py`, `models/zoo/rnn/cc_rnn.py`) run `loss.backward()` in their own
update methods, and nothing in those modules seeds torch. But they are RLlib policies and
models: no script of the package builds them, RLlib does, inside a trainer made from the run
config. Every MARLlib run config (`run_vd.py:152`, `run_cc.py:118`) carries
`"seed": int(exp_info["seed"])`, read from the package's own `ray/ray.yaml` (`seed: 321`), and
RLlib seeds Python's `random`, NumPy and torch in each worker from that key before it builds the
policy and its model. The draws are seeded by the framework that runs them.

Narrow on purpose: the finding sits inside a function or class (not at a module's top level) of
a module that imports from `ray.rllib` and runs nothing as a script of its own; and some module
of the package importing `ray` writes an RLlib config, a dict literal with an `"env"` key and at
least one other of RLlib's run keys (`framework`, `num_workers`, `multiagent`, ...), whose
`"seed"` is an integer literal or is read (`cfg["seed"]`, `int(cfg["seed"])`) from a config
whose yaml file in the package sets `seed:` to an integer. A seed drawn at random, `None`, or a
config with no seed silences nothing.

And the other way round (`unseeded_rllib_runs`): POPGym's `ppo.py` builds its PPO config
(`"env"`, `"framework"`, `"num_workers"`, `"model"`, ...) with no `"seed"` and runs it with
`ray.tune.run("PPO", config=config, ...)` from its `__main__`; RLlib then leaves torch, NumPy and
the environments of its workers unseeded, so the memory models' initial weights, the sampled
actions and the returns the script reports change on every run. Reported when a script hands
such a config, a dict literal with no `"seed"` key and nothing spread into it, by name to
`tune.run(config=...)`, `Tuner(param_space=...)` or an RLlib `*Trainer`/`Algorithm(config=...)`,
and never stores or updates a seed into it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from team.pyimports import absolute_imports
from team.review.core import Finding, Note
from team.review.findingtext import make_finding
from team.review.randomness import is_script, main_guard
from team.review.serving import is_test_file
from team.review.sources import RepoIndex, SourceFile

__all__ = ["RLlibSeed", "rllib_run_config", "rllib_seeded", "unseeded_rllib_runs"]

_RULE = "unseeded-randomness"
# keys of an RLlib trainer config besides "env": one of them with "env" marks a run config
_RUN_KEYS = frozenset(
    {"framework", "num_workers", "multiagent", "num_gpus", "num_envs_per_worker", "model"}
)
_YAML_SEED = re.compile(r"^seed:\s*\d+\s*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class RLlibSeed:
    """An RLlib run config of the package with a fixed seed."""

    path: str
    line: int

    def note(self) -> str:
        return (
            "RLlib builds and runs this code, and the package's RLlib run config seeds every "
            f'worker first ({self.path}:{self.line}, "seed")'
        )


def rllib_seeded(
    src: SourceFile, repo: RepoIndex, base: Path, found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings inside the functions and classes of an
    RLlib module of `src` when the package runs RLlib with a fixed seed, and a note, for
    `--explain`, at each of them."""
    if not any(f.rule == _RULE for f in found) or not _rllib_module(src):
        return found, []
    seed = _seeded_run_config(repo, base)
    if seed is None:
        return found, []
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        if finding.rule == _RULE and _inside_definition(src.tree, finding.line):
            notes.append(Note(finding.path, finding.line, finding.rule, seed.note()))
        else:
            kept.append(finding)
    return kept, notes


def unseeded_rllib_runs(src: SourceFile) -> list[Finding]:
    """An unseeded-randomness finding at each RLlib config with no seed that a script runs."""
    if is_test_file(src.rel) or not is_script(src.tree):
        return []
    out = []
    for config in rllib_run_config(src):
        if "seed" in _keys(config) or None in config.keys:
            continue
        names = _bound_names(src.tree, config)
        if names and _run_with(src.tree, names) and not _seed_set_on(src.tree, names):
            msg = (
                'an RLlib run config without "seed": RLlib leaves torch, NumPy and the '
                "environments of its workers unseeded, so the initial weights, the sampled "
                "actions and episodes, and every return reported change from run to run. "
                'Add "seed": SEED to the config.'
            )
            out.append(make_finding(src, _RULE, config.lineno, msg))
    return out


def _bound_names(tree: ast.Module, value: ast.expr) -> set[str]:
    return {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and node.value is value
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _run_with(tree: ast.Module, names: set[str]) -> bool:
    """`tune.run(..., config=config)`, `Tuner(..., param_space=config)` or
    `PPOTrainer(config=config)`: the config is run."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        leaf = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        wanted = {
            "run": "config",
            "Tuner": "param_space",
        }.get(leaf, "config" if leaf.endswith(("Trainer", "Algorithm")) else None)
        if wanted and any(
            k.arg == wanted and isinstance(k.value, ast.Name) and k.value.id in names
            for k in node.keywords
        ):
            return True
    return False


def _seed_set_on(tree: ast.Module, names: set[str]) -> bool:
    """`config["seed"] = ...` or `config.update(...)`: a seed may be put in later."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and isinstance(node.ctx, ast.Store)
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in names
            and node.func.attr in ("update", "setdefault")
        ):
            return True
    return False


def rllib_run_config(src: SourceFile) -> list[ast.Dict]:
    """The dict literals of a module importing `ray` that read as an RLlib trainer config: an
    `"env"` key and one more of RLlib's run keys."""
    if not _imports(src.tree, "ray"):
        return []
    out = []
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Dict):
            keys = _keys(node)
            if "env" in keys and keys & _RUN_KEYS:
                out.append(node)
    return out


def _keys(node: ast.Dict) -> set[str]:
    return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def _imports(tree: ast.Module, root: str) -> bool:
    return any(n == root or n.startswith(f"{root}.") for n in absolute_imports(tree))


def _rllib_module(src: SourceFile) -> bool:
    return (
        src.rel.endswith(".py")
        and _imports(src.tree, "ray.rllib")
        and not main_guard(src.tree)
        and not is_test_file(src.rel)
    )


def _inside_definition(tree: ast.Module, line: int) -> bool:
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.lineno <= line <= (node.end_lineno or node.lineno)
        for node in tree.body
    )


def _seeded_run_config(repo: RepoIndex, base: Path) -> RLlibSeed | None:
    yaml_seed: bool | None = None
    for src in repo.sources:
        if is_test_file(src.rel):
            continue
        for config in rllib_run_config(src):
            value = next(
                (v for k, v in zip(config.keys, config.values, strict=True) if _is_seed_key(k)),
                None,
            )
            if value is None:
                continue
            if _int_literal(value):
                return RLlibSeed(src.rel, value.lineno)
            if _read_seed(value):
                if yaml_seed is None:
                    yaml_seed = _yaml_sets_seed(base)
                if yaml_seed:
                    return RLlibSeed(src.rel, value.lineno)
    return None


def _is_seed_key(key: ast.expr | None) -> bool:
    return isinstance(key, ast.Constant) and key.value == "seed"


def _int_literal(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Constant)
        and isinstance(value.value, int)
        and not isinstance(value.value, bool)
    )


def _read_seed(value: ast.expr) -> bool:
    """`cfg["seed"]` or `int(cfg["seed"])`: a seed read from the experiment's config."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "int"
        and len(value.args) == 1
    ):
        value = value.args[0]
    return (
        isinstance(value, ast.Subscript)
        and isinstance(value.slice, ast.Constant)
        and value.slice.value == "seed"
    )


def _yaml_sets_seed(base: Path) -> bool:
    """A yaml file of the package sets a top-level `seed:` to an integer."""
    for path in sorted(base.rglob("*.y*ml")):
        try:
            if _YAML_SEED.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
        except OSError:
            continue
    return False
