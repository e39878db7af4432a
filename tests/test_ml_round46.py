"""ML review round 46: real code that nobody here wrote, by family.

Family 1, cells under a cell magic that runs Python (recall): a notebook cell that starts with
`%%time`, `%%timeit` or `%%capture` was blanked whole, so a split, a fit or a score inside it was
never read. IPython runs such a cell's body as Python (timed, or with its output captured), after
the same input transformations as any cell, so the body is read as a cell and only the magic line
is blank. A cell magic whose body is not Python (`%%bash`, `%%sql`, `%%writefile`, `%%html`) is
still blanked whole.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import notebook_findings

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
