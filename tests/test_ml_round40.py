"""ML review round 40: what real code hides from the review, by family.

Family 1, a memory and timing benchmark: ALIGNN's `scaling_test_cu.py` builds a fresh model,
times one forward and backward pass per precision and records the peak GPU memory
(`torch.cuda.max_memory_allocated`), printing and dumping only those. Its name says no
"benchmark", so it was read as an unseeded training loop. A script that reads a peak-memory
counter and a clock, scores nothing and shows no loss or metric is now a benchmark: no number it
reports depends on the draws. One that also prints its loss stays reported.

Family 2, a seed taken and dropped: MLBox's `DriftThreshold` takes `random_state` ("Seed for
cv and subsampling") and keeps it, then subsamples with `df.sample(frac=...)` and no seed;
`DriftEstimator` takes the same seed and builds its default random forest without it; its
`Optimiser.optimise` runs Hyperopt's `fmin` without `rstate` on `lambda params:
-self.evaluate(params, df)`. Storing `self.random_state` read as "seeded later" for the whole
module, and a lambda objective read as a toy function. Reported now; a draw given the seed, a
k-means from given centres, an estimator seeded by `set_params`, a module that seeds numpy, and
a lambda of arithmetic stay silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

UNSEEDED = "unseeded-randomness"

SCALING = """\
    import time

    import torch

    from models import Net


    def run_one(model, x):
        torch.cuda.reset_peak_memory_stats()
        t0 = time.time()
        out = model(x)
        loss = out.sum()
        loss.backward()
        dt = time.time() - t0
        peak = torch.cuda.max_memory_allocated() / 1e9
        return {"time_s": dt, "peak_gb": peak}


    def main():
        model = Net()
        for n in range(1, 5):
            x = torch.ones(n * 64, 92)
            r = run_one(model, x)
            print(f"{n}: {r['peak_gb']:.2f} GB  {r['time_s'] * 1000:.0f} ms")
        print("all precisions OOM - stopping")


    if __name__ == "__main__":
        main()
"""

NET = """\
    import torch


    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(92, 1)
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, x):
            return self.fc(self.drop(x))
"""


def _unseeded(tmp_path: Path, script: str) -> list[tuple[str, int]]:
    folder = write_app(tmp_path, {"scaling.py": script, "models.py": NET})
    return [(f.path, f.line) for f in review_path(folder) if f.rule == UNSEEDED]


def test_a_memory_and_timing_benchmark_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, SCALING) == []


def test_a_benchmark_that_also_prints_its_loss_is_reported(tmp_path: Path) -> None:
    script = SCALING.replace('return {"time_s"', 'print("loss", loss.item())\n    return {"time_s"')
    assert _unseeded(tmp_path, script) == [("scaling.py", 13)]


def test_a_timed_loop_without_a_memory_counter_is_reported(tmp_path: Path) -> None:
    script = SCALING.replace("torch.cuda.max_memory_allocated()", "torch.cuda.device_count()")
    assert _unseeded(tmp_path, script) == [("scaling.py", 13)]


DRIFT = """\
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_predict


    class Drift:
        \"\"\"random_state: seed for cv and subsampling.\"\"\"

        def __init__(self, subsample=1.0, estimator=RandomForestClassifier(max_depth=5),
                     random_state=1):
            self.subsample = subsample
            self.estimator = estimator
            self.random_state = random_state

        def fit(self, df_train, df_test):
            train = df_train.sample(frac=self.subsample)
            test = df_test.sample(frac=self.subsample)
            cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=self.random_state)
            return cross_val_predict(self.estimator, train, test, cv=cv)
"""


def _drift(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    folder = write_app(tmp_path, {"drift.py": source})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == UNSEEDED]


def test_draws_that_drop_the_seed_their_class_keeps_are_reported(tmp_path: Path) -> None:
    found = _drift(tmp_path, DRIFT)
    assert [line for line, _ in found] == [15]
    message = found[0][1]
    assert "Drift.__init__ takes random_state and keeps it as self.random_state" in message
    assert "line 16: df_test.sample(); line 8: RandomForestClassifier()" in message


def test_draws_given_the_kept_seed_are_not_reported(tmp_path: Path) -> None:
    source = DRIFT.replace("max_depth=5)", "max_depth=5, random_state=1)").replace(
        "frac=self.subsample)", "frac=self.subsample, random_state=self.random_state)"
    )
    assert _drift(tmp_path, source) == []


def test_an_estimator_seeded_later_is_not_reported(tmp_path: Path) -> None:
    seeded = "self.estimator.set_params(random_state=self.random_state)"
    source = DRIFT.replace("            cv = ", f"            {seeded}\n            cv = ")
    found = _drift(tmp_path, source)
    assert [line for line, _ in found] == [15]
    assert "RandomForestClassifier" not in found[0][1]


def test_a_module_that_seeds_numpy_is_not_reported(tmp_path: Path) -> None:
    source = "import numpy as np\n" + DRIFT.replace(
        "\n\n\nclass Drift", "\nnp.random.seed(0)\n\n\nclass Drift"
    )
    assert _drift(tmp_path, source) == []


def test_a_k_means_from_given_centres_drops_no_seed(tmp_path: Path) -> None:
    source = DRIFT.replace("RandomForestClassifier", "KMeans").replace(
        "from sklearn.ensemble import KMeans", "from sklearn.cluster import KMeans"
    )
    source = source.replace("KMeans(max_depth=5)", "KMeans(init=CENTRES, n_init=1)")
    source = source.replace("train = df_train.sample(frac=self.subsample)", "train = df_train")
    source = source.replace("test = df_test.sample(frac=self.subsample)", "test = df_test")
    assert _drift(tmp_path, source) == []


SEARCH = """\
    from hyperopt import fmin, hp, tpe

    from pipeline import fit_and_score


    class Optimiser:
        def __init__(self, random_state=1):
            self.random_state = random_state

        def evaluate(self, params, df):
            return fit_and_score(params, df, random_state=self.random_state)

        def optimise(self, df):
            objective = OBJECTIVE
            space = {"depth": hp.choice("depth", [3, 5, 7])}
            best_params = fmin(objective, space=space, algo=tpe.suggest, max_evals=40)
            print("BEST HYPER-PARAMETERS", best_params)
            return best_params
"""


def _search(tmp_path: Path, objective: str) -> list[int]:
    folder = write_app(tmp_path, {"optimiser.py": SEARCH.replace("OBJECTIVE", objective)})
    return [f.line for f in review_path(folder) if f.rule == UNSEEDED]


def test_a_search_on_a_lambda_that_runs_a_method_is_reported(tmp_path: Path) -> None:
    assert _search(tmp_path, "lambda params: -self.evaluate(params, df)") == [16]


def test_a_search_on_a_lambda_of_arithmetic_is_not_reported(tmp_path: Path) -> None:
    assert _search(tmp_path, "lambda params: (params['depth'] - 5) ** 2") == []
