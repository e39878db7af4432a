"""ML review round 46: real code that nobody here wrote, by family.

Family 1, cells under a cell magic that runs Python (recall): a notebook cell that starts with
`%%time`, `%%timeit` or `%%capture` was blanked whole, so a split, a fit or a score inside it was
never read. IPython runs such a cell's body as Python (timed, or with its output captured), after
the same input transformations as any cell, so the body is read as a cell and only the magic line
is blank. A cell magic whose body is not Python (`%%bash`, `%%sql`, `%%writefile`, `%%html`) is
still blanked whole.

Family 2, a search evaluated on the test split (recall): HyperGBM's examples run
`hk.search(X_train, y_train, X_eval=X_test, y_eval=y_test)`, so every trial is scored, the best
picked and the search stopped on the test rows, and then report the accuracy of the best trial's
`predict(X_test)`. A test split given as a search's evaluation set (`X_eval`, `eval_data`) and
scored again under the same name is `test-set-tuning`; a validation split, test rows bound again
before they are scored, or test rows never scored stay silent.

Family 3, a seed handed to a helper that seeds through its own module (precision): ML-From-Scratch's
runners call the package's `train_test_split(X, y, seed=1)`, which passes the seed to
`shuffle_data` in the same module, which calls `np.random.seed(seed)` when given one; the
models' initial weights drawn after it were reported unseeded. A call that hands a repository
helper a literal seed by keyword now follows the helper into the functions of its own module;
the same helper called without a seed (or `seed=None`) seeds nothing, as before.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import notebook_findings, write_app

IMPORTS = """\
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
X, y = load_iris(return_X_y=True)"""

SPLIT_CELL = """\
MAGIC
!ls data
X_tr, X_te, y_tr, y_te = train_test_split(X, y)
print(LogisticRegression().fit(X_tr, y_tr).score(X_te, y_te))
"""


def test_a_timed_or_captured_cell_keeps_its_python(tmp_path: Path) -> None:
    for n, magic in enumerate(("%%time", "%%capture out", "  %%time")):
        cell = SPLIT_CELL.replace("MAGIC", magic)
        assert notebook_findings(tmp_path / str(n), IMPORTS, cell) == {(7, "unseeded-randomness")}


def test_an_indented_body_under_a_cell_magic_parses(tmp_path: Path) -> None:
    cell = (
        "%%capture\n    !ls data\n    X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n"
        "    print(LogisticRegression().fit(X_tr, y_tr).score(X_te, y_te))\n"
    )
    assert notebook_findings(tmp_path, IMPORTS, cell) == {(7, "unseeded-randomness")}


def test_a_cell_magic_whose_body_is_not_python_is_still_blanked(tmp_path: Path) -> None:
    for n, magic in enumerate(("%%bash", "%%writefile train.py", "%%sql", "%%html", "%%timer")):
        cell = SPLIT_CELL.replace("MAGIC", magic)
        assert notebook_findings(tmp_path / str(n), IMPORTS, cell) == set()


SEARCH = """\
    from hypergbm import HyperGBM
    from sklearn.datasets import load_iris
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, random_state=0)
    hk = HyperGBM(searcher, task="multiclass", reward_metric="accuracy")
    hk.search(X_train, y_train, X_eval=EVAL, y_eval=y_eval)
    estimator = hk.load_estimator(hk.get_best_trial().model_file)
    BETWEEN
    print(accuracy_score(y_test, estimator.predict(X_test)))
    """


def _tuning_lines(tmp_path: Path, source: str) -> list[int]:
    root = write_app(tmp_path, {"search.py": source})
    return sorted(f.line for f in review_path(root) if f.rule == "test-set-tuning")


def test_a_search_evaluated_on_the_test_split_it_then_scores_is_tuning(tmp_path: Path) -> None:
    for n, given in enumerate(("X_test", "X_test.copy()")):
        source = SEARCH.replace("EVAL", given).replace("BETWEEN", "")
        assert _tuning_lines(tmp_path / str(n), source) == [10]
    experiment = (
        SEARCH.replace("hk.search(X_train, y_train, X_eval=EVAL, y_eval=y_eval)", "")
        .replace("BETWEEN", "exp = make_experiment(X_train, eval_data=X_test.copy())")
        .replace("hk.load_estimator(hk.get_best_trial().model_file)", "exp.run()")
    )
    assert _tuning_lines(tmp_path / "experiment", experiment) == [12]


def test_a_search_on_a_validation_split_or_unscored_test_rows_is_silent(tmp_path: Path) -> None:
    sources = (
        SEARCH.replace("EVAL", "X_val").replace("BETWEEN", ""),
        SEARCH.replace("EVAL", "X_test").replace("BETWEEN", 'X_test = load("new.csv")'),
        SEARCH.replace("EVAL", "X_test").replace(
            "print(accuracy_score(y_test, estimator.predict(X_test)))", "print(X_test.shape)"
        ),
    )
    for n, source in enumerate(sources):
        assert _tuning_lines(tmp_path / str(n), source) == []


HELPERS = """\
    import numpy as np


    def shuffle_data(X, y, seed=None):
        if seed:
            np.random.seed(seed)
        idx = np.arange(X.shape[0])
        np.random.shuffle(idx)
        return X[idx], y[idx]


    def train_test_split(X, y, test_size=0.5, seed=None):
        X, y = shuffle_data(X, y, seed)
        cut = len(y) - int(len(y) // (1 / test_size))
        return X[:cut], X[cut:], y[:cut], y[cut:]
    """

MODEL = """\
    import numpy as np
    from sklearn import datasets

    from pkg.utils import train_test_split


    class Perceptron:
        def fit(self, X, y):
            self.w = np.random.random((X.shape[1],))
            return self

        def predict(self, X):
            return (X @ self.w > 0).astype(int)


    def main():
        data = datasets.load_iris()
        X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, SPLIT)
        clf = Perceptron().fit(X_train, y_train)
        print("Accuracy:", np.mean(clf.predict(X_test) == y_test))


    if __name__ == "__main__":
        main()
    """


def _unseeded(tmp_path: Path, split: str) -> list[tuple[str, int]]:
    files = {
        "pkg/__init__.py": "",
        "pkg/utils.py": HELPERS,
        "pkg/perceptron.py": MODEL.replace("SPLIT", split),
    }
    root = write_app(tmp_path, files)
    return [(f.path, f.line) for f in review_path(root) if f.rule == "unseeded-randomness"]


def test_a_seed_handed_to_a_helper_that_seeds_through_its_own_module_seeds(
    tmp_path: Path,
) -> None:
    assert _unseeded(tmp_path / "seeded", "test_size=0.4, seed=1") == []


def test_a_helper_that_seeds_only_when_handed_a_seed_leaves_other_calls_unseeded(
    tmp_path: Path,
) -> None:
    for n, split in enumerate(("test_size=0.4", "test_size=0.4, seed=None")):
        assert _unseeded(tmp_path / str(n), split) == [("pkg/perceptron.py", 9)]
