"""ML review round 47: real code that nobody here wrote, by family.

Family 1, a class whose constructor takes the seed and hands it to a seeding call (precision):
sb3-contrib's algorithms (CrossQ, QR-DQN, TQC, TRPO) take `seed` and pass it on with
`super().__init__(..., seed=seed)` to stable-baselines3's base class, whose set-up seeds Python,
NumPy, torch and the environment; their replay samples and training loops were reported
unseeded, seven times. A draw in a class whose `__init__` hands its seed parameter to a base class
whose code is not in the reviewed folder, or to a repository base class or helper that seeds
every generator with it, is seeded by the caller's choice. A base of the repository that only
stores the seed, a class that seeds one library (`tf.random.set_seed`) or keeps the seed unused,
and `random_state` stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TRAIN = """\
    def train(self, steps):
        for _ in range(steps):
            batch = self.replay_buffer.sample(256)
            noise = np.random.rand(3)
            loss = self.policy(batch.observations + noise).mean()
            self.policy.optimizer.zero_grad()
            loss.backward()
            self.policy.optimizer.step()
"""

HEAD = """\
import numpy as np
import torch
import tensorflow as tf
from stable_baselines3.common.off_policy_algorithm import OffPolicyAlgorithm
from stable_baselines3.common.utils import set_random_seed

"""


def _unseeded(
    tmp_path: Path, classes: str, more: dict[str, str] | None = None
) -> list[tuple[str, int]]:
    """(path, line) of the unseeded-randomness findings on a package whose `algo.py` holds
    `classes`, the last of them given `TRAIN`'s replay sampling and loop."""
    files = {"pkg/__init__.py": "", "pkg/algo.py": HEAD + classes + TRAIN, **(more or {})}
    write_app(tmp_path, files)
    return [
        (f.path, f.line) for f in review_path(tmp_path / "pkg") if f.rule == "unseeded-randomness"
    ]


def _algo(base: str, init: str) -> str:
    return f"class Algo({base}):\n    def __init__(self, policy, env, {init}\n\n"


def test_a_seed_handed_to_a_library_base_class_seeds_the_draws(tmp_path: Path) -> None:
    algo = _algo(
        "OffPolicyAlgorithm", "seed=None):\n        super().__init__(policy, env, seed=seed)"
    )
    assert _unseeded(tmp_path, algo) == []


def test_a_seed_handed_to_a_repository_base_that_seeds_everything_seeds_the_draws(
    tmp_path: Path,
) -> None:
    base = "from stable_baselines3.common.utils import set_random_seed\n\n\nclass Base:\n"
    base += "    def __init__(self, seed=None):\n        self.seed = seed\n\n"
    base += "    def setup(self):\n        set_random_seed(self.seed)\n"
    algo = "from pkg.base import Base\n\n\n"
    algo += _algo("Base", "seed=None):\n        super().__init__(seed=seed)")
    assert _unseeded(tmp_path / "seeds", algo, {"pkg/base.py": base}) == []
    stores = base.replace("set_random_seed(self.seed)", "return self.seed")
    assert _unseeded(tmp_path / "stores", algo, {"pkg/base.py": stores}) == [("algo.py", 16)]


def test_a_seed_that_reaches_no_seeding_call_is_still_reported(tmp_path: Path) -> None:
    stored = "class Base:\n    def __init__(self, seed=None):\n        self.seed = seed\n\n\n"
    cases = {
        "stored": stored + _algo("Base", "seed=None):\n        super().__init__(seed=seed)"),
        "tf": _algo("object", "seed=0):\n        tf.random.set_seed(seed)"),
        "unused": _algo("OffPolicyAlgorithm", "seed=None):\n        super().__init__(policy, env)"),
        "state": _algo(
            "OffPolicyAlgorithm",
            "random_state=None):\n        super().__init__(policy, env, random_state=random_state)",
        ),
    }
    for name, classes in cases.items():
        assert _unseeded(tmp_path / name, classes), name
