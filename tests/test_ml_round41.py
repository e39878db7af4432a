"""ML review round 41: what real code hides from the review, by family.

Family 1, code that only RLlib builds: MARLlib's QMIX policy and centralised-critic models run
`loss.backward()` in their update methods with no torch seed in their modules, and were reported
because `try_import_torch()` and RLlib's helpers read as calls that may draw initial weights. But
RLlib builds them, inside a trainer made from the run config, and every MARLlib run config
carries `"seed": int(exp_info["seed"])` read from the package's `ray/ray.yaml` (`seed: 321`);
RLlib seeds random, NumPy and torch in each worker from it. Silent now; a run config with no
seed, a seed drawn at random, or a seed read from a config no yaml of the package sets stays
reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

UNSEEDED = "unseeded-randomness"

RLLIB_MODEL = """\
    from ray.rllib.models.torch.torch_modelv2 import TorchModelV2
    from ray.rllib.utils.framework import try_import_torch
    from torch.optim import Adam

    torch, nn = try_import_torch()


    class CentralizedCriticMLP(TorchModelV2, nn.Module):
        def __init__(self, obs_space, action_space, num_outputs, model_config, name):
            TorchModelV2.__init__(self, obs_space, action_space, num_outputs, model_config, name)
            nn.Module.__init__(self)
            self.critic = nn.Linear(16, 1)
            self.optimizer = Adam(self.parameters())

        def update_use_torch_adam(self, loss):
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
"""

RUN_CC = """\
    from ray import tune

    from marl.models.cc_mlp import CentralizedCriticMLP


    def run_cc(exp_info, env_name):
        run_config = {
            "seed": SEED,
            "env": env_name,
            "num_workers": exp_info["num_workers"],
            "framework": "torch",
        }
        return tune.run("MAPPO", config=run_config, stop={"training_iteration": 100})
"""

RAY_YAML = """\
    framework: "torch"
    num_workers: 1
    seed: 321
"""


def _unseeded_lines(tmp_path: Path, seed: str | None, *, yaml: str = RAY_YAML) -> set[str]:
    run_cc = RUN_CC.replace("SEED", seed) if seed else RUN_CC.replace('"seed": SEED,\n', "")
    files = {
        "marl/__init__.py": "",
        "marl/models/__init__.py": "",
        "marl/models/cc_mlp.py": RLLIB_MODEL,
        "marl/run_cc.py": run_cc,
        "marl/ray/ray.yaml": yaml,
    }
    folder = write_app(tmp_path, files)
    return {f"{f.path}:{f.line}" for f in review_path(folder / "marl") if f.rule == UNSEEDED}


def test_an_rllib_model_of_a_package_whose_run_config_reads_its_yaml_seed_is_not_reported(
    tmp_path: Path,
) -> None:
    assert _unseeded_lines(tmp_path, 'int(exp_info["seed"])') == set()


def test_an_rllib_model_of_a_package_whose_run_config_fixes_the_seed_is_not_reported(
    tmp_path: Path,
) -> None:
    assert _unseeded_lines(tmp_path, "321", yaml="framework: torch\n") == set()


def test_an_rllib_model_of_a_package_whose_run_config_has_no_seed_is_reported(
    tmp_path: Path,
) -> None:
    assert _unseeded_lines(tmp_path, None) == {"models/cc_mlp.py:17"}


def test_an_rllib_model_seeded_at_random_is_reported(tmp_path: Path) -> None:
    assert _unseeded_lines(tmp_path, "random.randint(0, 10)") == {"models/cc_mlp.py:17"}


def test_a_seed_read_from_a_config_no_yaml_sets_is_reported(tmp_path: Path) -> None:
    found = _unseeded_lines(tmp_path, 'int(exp_info["seed"])', yaml="framework: torch\n")
    assert found == {"models/cc_mlp.py:17"}
