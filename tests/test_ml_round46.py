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
