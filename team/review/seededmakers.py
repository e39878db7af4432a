"""Calls that seed what they make, so the draws made from it later are seeded.

SpikingJelly's memopt example runs its data module under `LightningCLI(Model, DataModule)`:
Lightning 2's CLI seeds every generator by default (`seed_everything_default=True`, the drawn
seed saved in the run's config) before it builds the model and the data, so the data module's
`np.random` augmentation is seeded. Sample Factory's Brax example makes its env with
`envs.create_gym_env(..., seed=0)`; its wrapper's `reset()` passes no seed, but a jitted Brax env
draws every reset from the key of that seed. A CLI that turns the seed off, or an env made with
no seed, seeds nothing.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name

__all__ = ["env_made_with_seed", "seeding_cli"]

_LIGHTNING_CLIS = ("lightning.pytorch.cli.", "pytorch_lightning.cli.")
_ENV_MAKER = re.compile(r"^(make|create)_?\w*env\w*$|^make$", re.I)


def _off(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and (value.value is False or value.value is None)


def seeding_cli(qual: str, call: ast.Call) -> bool:
    """`LightningCLI(seed_everything_default=1234)`, or a Lightning 2 `LightningCLI(...)` that
    keeps its default: the CLI seeds before it builds the model and data, unless the call turns
    it off (`False` or `None`)."""
    keywords = [k.value for k in call.keywords if (k.arg or "").startswith("seed_everything")]
    if not keywords and not (
        qual.rsplit(".", 1)[-1] == "LightningCLI" and qual.startswith(_LIGHTNING_CLIS)
    ):
        return False
    return not any(_off(value) for value in keywords)


def env_made_with_seed(tree: ast.Module) -> str | None:
    """`envs.create_gym_env(..., seed=0)`, `gym.make(name, seed=1)`: the call in the module
    that makes an environment with a seed, shown; else None."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and _ENV_MAKER.match(leaf_name(node.func))
            and any(k.arg == "seed" and not _off(k.value) for k in node.keywords)
        ):
            return f"{ast.unparse(node.func)}(seed=...) at line {node.lineno}"
    return None
