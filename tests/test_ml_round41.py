"""ML review round 41: what real code hides from the review, by family.

Family 1, code that only RLlib builds: MARLlib's QMIX policy and centralised-critic models run
`loss.backward()` in their update methods with no torch seed in their modules, and were reported
because `try_import_torch()` and RLlib's helpers read as calls that may draw initial weights. But
RLlib builds them, inside a trainer made from the run config, and every MARLlib run config
carries `"seed": int(exp_info["seed"])` read from the package's `ray/ray.yaml` (`seed: 321`);
RLlib seeds random, NumPy and torch in each worker from it. Silent now; a run config with no
seed, a seed drawn at random, or a seed read from a config no yaml of the package sets stays
reported.

Family 2, draws that only name files: auto_ml saves a Keras model under a file name built from
`random_name = str(random.random())`, keys the saved object by that name and leaves it in the
pipeline as a placeholder; its deep-learning fit checkpoints to `"tmp_dl_model_checkpoint_" +
time_string + str(random.random()) + ".h5"`. No result depends on either draw. Silent now; a
drawn name that is also printed, a draw used as a number, and drawn text that names no file stay
reported.

Family 3, an estimator seeded later through a params dict: fklearn's `isolation_learner` builds
`IsolationForest()` bare, then merges its default params (`"random_state": 1729`) with the
caller's and applies them with `model.set_params(**params)` before it fits. Silent now; params
with no seed, or a seed of None, stay reported. And auto_ml's feature selection fits an unseeded
forest it builds in place (`utils_feature_selection.py:64/:66`), while the map of selectors by
name at `:13` holds another that is never fitted on that path: one missing seed, now named at
the forest built and fitted in place; a map alone is still reported at the map.

Family 4, an RLlib run with no seed (recall): POPGym's `ppo.py` runs its PPO config, which has no
`"seed"`, with `ray.tune.run`; RLlib leaves the workers' torch, NumPy and environments unseeded,
so the returns it reports change on every run. Reported now; a config with a seed, or given one
later, and a config that is never run stay silent.
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


# Family 2: draws that only name files.
SAVE = """\
    import random

    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    data = pd.read_csv("train.csv")
    model = LogisticRegression().fit(data[["x"]], data["y"])
    file_name = "pipeline.json"
    model_name_map = {}
    BODY
"""

KEYED_NAME = """\
random_name = str(random.random())
    keras_file_name = file_name[:-5] + random_name + "_keras_deep_learning_model.h5"
    model_name_map[random_name] = model
    model.save(keras_file_name)
    model.estimator = random_name"""


def _unseeded_save(tmp_path: Path, body: str) -> set[int]:
    folder = write_app(tmp_path, {"save.py": SAVE.replace("BODY", body)})
    return {f.line for f in review_path(folder) if f.rule == UNSEEDED}


def test_a_draw_whose_text_only_names_a_saved_file_and_keys_it_is_not_reported(
    tmp_path: Path,
) -> None:
    assert _unseeded_save(tmp_path, KEYED_NAME) == set()


def test_a_draw_concatenated_into_a_checkpoint_file_name_is_not_reported(tmp_path: Path) -> None:
    body = 'temp_file_name = "tmp_checkpoint_" + str(random.random()) + ".h5"\n    model.save(temp_file_name)'
    assert _unseeded_save(tmp_path, body) == set()


def test_a_draw_in_an_f_string_file_name_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded_save(tmp_path, 'model.save(f"model_{random.randint(0, 10**6)}.pkl")') == set()


def test_a_drawn_name_that_is_also_printed_is_reported(tmp_path: Path) -> None:
    assert _unseeded_save(tmp_path, KEYED_NAME + "\n    print(random_name)") == {10}


def test_a_draw_used_as_a_number_is_reported(tmp_path: Path) -> None:
    body = 'model.set_params(C=random.random())\n    model.save("model.h5")'
    assert _unseeded_save(tmp_path, body) == {10}


def test_a_draw_turned_into_text_that_is_no_file_name_is_reported(tmp_path: Path) -> None:
    body = 'label = "run_" + str(random.random())\n    print(label, model.score(data[["x"]], data["y"]))'
    assert _unseeded_save(tmp_path, body) == {10}


# Family 3: an estimator seeded later through a params dict.
ISOLATION = """\
    from typing import Any, Dict

    import pandas as pd
    from sklearn.ensemble import IsolationForest
    from toolz import merge


    def isolation_learner(df: pd.DataFrame, features, params=None):
        model = IsolationForest()
        default_params: Dict[str, Any] = {"n_jobs": -1, DEFAULTS}
        params = default_params if not params else merge(default_params, params)
        model.set_params(**params)
        model.fit(df[features].values)
        return model.decision_function(df[features])


    scores = isolation_learner(pd.read_csv("data.csv"), ["a", "b"])
    print(scores.mean())
"""


def _unseeded_isolation(tmp_path: Path, defaults: str) -> set[int]:
    folder = write_app(tmp_path, {"unsupervised.py": ISOLATION.replace("DEFAULTS", defaults)})
    return {f.line for f in review_path(folder) if f.rule == UNSEEDED}


def test_an_estimator_given_a_default_seed_through_set_params_is_not_reported(
    tmp_path: Path,
) -> None:
    assert _unseeded_isolation(tmp_path, '"random_state": 1729, "contamination": 0.1') == set()


def test_an_estimator_given_params_with_no_seed_is_reported(tmp_path: Path) -> None:
    assert _unseeded_isolation(tmp_path, '"contamination": 0.1') == {9}


def test_an_estimator_given_a_seed_of_none_through_set_params_is_reported(tmp_path: Path) -> None:
    assert _unseeded_isolation(tmp_path, '"random_state": None') == {9}


SELECTION = """\
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_selection import RFECV, SelectFromModel


    def selector_by_name(name):
        model_map = {
            "SelectFromModel": SelectFromModel(RandomForestClassifier(max_depth=10)),
            "RFECV": RFECV(estimator=RandomForestClassifier()),
        }
        return model_map[name]


    data = pd.read_csv("train.csv")
    FITTED
    print(selector.feature_importances_)
"""


def _unseeded_selection(tmp_path: Path, fitted: str) -> set[int]:
    folder = write_app(tmp_path, {"selection.py": SELECTION.replace("FITTED", fitted)})
    return {f.line for f in review_path(folder) if f.rule == UNSEEDED}


def test_a_forest_built_and_fitted_in_place_is_reported_before_a_map_of_models(
    tmp_path: Path,
) -> None:
    fitted = 'selector = RandomForestClassifier(max_depth=10).fit(data[["a", "b"]], data["y"])'
    assert _unseeded_selection(tmp_path, fitted) == {15}


def test_a_map_of_models_alone_is_reported_at_the_map(tmp_path: Path) -> None:
    fitted = 'selector = selector_by_name("RFECV").fit(data[["a", "b"]], data["y"])'
    assert _unseeded_selection(tmp_path, fitted) == {8}


# Family 4: an RLlib run with no seed.
PPO = """\
    import ray


    def main():
        config = {
            "env": ray.tune.grid_search(["popgym-RepeatPrevious-v0"]),
            "framework": "torch",
            "num_workers": 4,
            SEED
        }
        AFTER
        ray.init()
        ray.tune.run("PPO", config=config, stop={"timesteps_total": 15_000_000})


    if __name__ == "__main__":
        main()
"""


def _unseeded_ppo(tmp_path: Path, seed: str = "", after: str = "pass") -> set[int]:
    source = PPO.replace("SEED", seed).replace("AFTER", after)
    folder = write_app(tmp_path, {"ppo.py": source})
    return {f.line for f in review_path(folder) if f.rule == UNSEEDED}


def test_an_rllib_run_config_without_a_seed_is_reported(tmp_path: Path) -> None:
    assert _unseeded_ppo(tmp_path) == {5}


def test_an_rllib_run_config_with_a_seed_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded_ppo(tmp_path, seed='"seed": 0,') == set()


def test_an_rllib_run_config_given_its_seed_later_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded_ppo(tmp_path, after='config["seed"] = 0') == set()


def test_an_rllib_config_that_is_never_run_is_not_reported(tmp_path: Path) -> None:
    folder = write_app(
        tmp_path,
        {
            "ppo.py": PPO.replace("SEED", "")
            .replace("AFTER", "pass")
            .replace("config=config", "config={}")
        },
    )
    assert {f.line for f in review_path(folder) if f.rule == UNSEEDED} == set()


def test_models_in_a_dict_handed_to_a_call_keep_their_line(tmp_path: Path) -> None:
    source = """\
        import numpy as np
        from econml.dml import DML
        from sklearn.ensemble import GradientBoostingRegressor

        params = {"model_y": GradientBoostingRegressor(), "model_t": GradientBoostingRegressor()}
        X = np.random.uniform(0, 1, size=(100, 3))
        est = DML(**params).fit(X[:, 0], X[:, 1], X=X)
        print(est.effect(X))
    """
    folder = write_app(tmp_path, {"dml.py": source})
    assert {f.line for f in review_path(folder) if f.rule == UNSEEDED} == {5}
