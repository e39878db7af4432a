"""ML review round 51: real code that nobody here wrote, by family.

Family 1, a line magic run without its `%` (precision): nlptk's lab11.ipynb opens with a code
cell of one line, `pip install keras_preprocessing`, which IPython runs as `%pip` (automagic:
`InteractiveShell.transform_cell` prefilters a cell that is one line, and a line whose first word
names a line magic runs it). The cell was blanked as a parse error. A one-line cell whose line
does not parse and whose first word is a line magic (IPython's, the kernel's, or one the notebook
calls with `%`) is now read as a magic; the same line beside another line, after a name that
shadows the magic, followed by `=`, or with automagic turned off is a SyntaxError in IPython too
and stays reported.

Family 2, a metric's own arithmetic (precision): pythonlabtools' fallback `r2_score` computes
`ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)` on the test targets, the definition of R²,
and was read as the test set scaled with its own mean. A deviation from a statistic that the
same expression reduces at once (a sum of squares, a variance, a covariance; no axis, or along
the rows) writes nothing into the rows and is no fit. A deviation kept as rows, one summed per
row (`axis=1`), or a sum used to scale the test rows stays reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from team.review import review_path
from team.review.sources import SourceFile, load_source
from tests.helpers import notebook_findings, write_app


def _load(tmp_path: Path, *cells: str) -> SourceFile:
    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    return load_source(path, "nb.ipynb")


def _bad_cells(tmp_path: Path, *cells: str) -> list[int | None]:
    return [cell for _, _, cell in _load(tmp_path, *cells).errors]


FIT = (
    "import numpy as np\n"
    "from sklearn.linear_model import SGDClassifier\n"
    "X = np.random.rand(20, 2)\n"
    "y = X[:, 0] > 0.5\n"
    "print(SGDClassifier().fit(X, y).score(X, y))\n"
)


def test_a_one_line_pip_install_cell_is_a_magic_not_a_parse_error(tmp_path: Path) -> None:
    found = notebook_findings(tmp_path, "pip install keras_preprocessing", FIT)
    assert not [rule for _, rule in found if rule == "parse-error"]
    # the rest of the notebook is read: its unseeded draw (cell 2, line 4) is reported
    assert (4, "unseeded-randomness") in found


def test_pip_install_beside_another_line_stays_a_parse_error(tmp_path: Path) -> None:
    found = notebook_findings(tmp_path, "# setup\npip install keras_preprocessing", FIT)
    assert (2, "parse-error") in found


def test_a_real_syntax_error_in_a_one_line_cell_stays_reported(tmp_path: Path) -> None:
    assert _bad_cells(tmp_path, 'print "hello"', "x = 1") == [1]


def test_other_automagics_and_leading_blank_lines_are_read_as_ipython_does(
    tmp_path: Path,
) -> None:
    cells = ["cd ../data", "\n\nls ../data", "  pwd ..", "timeit sum(range(9))", "ls -la"]
    src = _load(tmp_path, *cells)
    assert src.errors == []
    # `ls -la` parses (a subtraction) and means nothing either way: it is kept as it is
    assert src.text.splitlines() == ["pass", "", "", "pass", "pass", "pass", "ls -la"]
    assert "timeit" in src.magics  # a timing by automagic is a timing


def test_a_trailing_blank_line_makes_two_lines_and_no_automagic(tmp_path: Path) -> None:
    assert _bad_cells(tmp_path, "pip install x\n\n") == [1]


def test_a_name_bound_earlier_shadows_the_magic(tmp_path: Path) -> None:
    assert _bad_cells(tmp_path, "import time", "time sum(range(9))") == [2]
    assert _bad_cells(tmp_path, "def run(x):\n    return x", "run script.py") == [2]
    assert _bad_cells(tmp_path, "time sum(range(9))", "import time") == []


def test_an_assignment_to_a_magic_name_is_python(tmp_path: Path) -> None:
    assert _bad_cells(tmp_path, "time = ") == [1]
    assert _bad_cells(tmp_path, "ls, x = ") == [1]


def test_automagic_turned_off_then_on(tmp_path: Path) -> None:
    assert _bad_cells(tmp_path, "%automagic off", "cd ..") == [2]
    assert _bad_cells(tmp_path, "%automagic 0", "%automagic on", "cd ..") == []
    assert _bad_cells(tmp_path, "%automagic", "cd ..") == [2]  # a bare one toggles


def test_an_extension_magic_the_notebook_calls_with_percent_runs_without_it(
    tmp_path: Path,
) -> None:
    assert _bad_cells(tmp_path, "%load_ext autoreload\n%autoreload 2", "autoreload 2") == []
    assert _bad_cells(tmp_path, "notamagic 2") == [1]


def test_a_module_is_not_a_notebook(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("pip install x\n")
    assert load_source(tmp_path / "m.py", "m.py").errors != []


SCRIPT = """
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
mu, sd = X_train.mean(axis=0), X_train.std(axis=0)
model = LinearRegression().fit((X_train - mu) / sd, y_train)


def score(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    {line}
    return total


{test_rows}
print(score(y_test, model.predict(X_scaled)))
"""
SCALED = "X_scaled = (X_test - mu) / sd"


def _fit_on_test(tmp_path: Path, line: str, test_rows: str = SCALED) -> list[int]:
    write_app(tmp_path, {"run.py": SCRIPT.format(line=line, test_rows=test_rows)})
    return [f.line for f in review_path(tmp_path) if f.rule == "fit-on-test"]


def test_a_metrics_own_sum_of_squares_is_not_a_fit_on_test(tmp_path: Path) -> None:
    assert _fit_on_test(tmp_path, "total = np.sum((y_true - np.mean(y_true)) ** 2)") == []


def test_a_covariance_and_a_method_mean_are_not_fits_either(tmp_path: Path) -> None:
    cov = "total = ((y_true - y_true.mean()) * (y_pred - y_pred.mean())).mean()"
    assert _fit_on_test(tmp_path / "a", cov) == []
    dot = "total = np.dot(y_true - y_true.mean(), y_pred - np.mean(y_pred))"
    assert _fit_on_test(tmp_path / "b", dot) == []


def test_the_test_rows_centred_by_their_own_mean_stay_reported(tmp_path: Path) -> None:
    rows = "X_scaled = (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)"
    assert _fit_on_test(tmp_path, "total = 0.0", rows) == [18]


def test_a_sum_per_row_or_a_sum_that_scales_the_rows_stays_reported(tmp_path: Path) -> None:
    per_row = "X_scaled = np.sum((X_test - X_test.mean(axis=0)) ** 2, axis=1)[:, None]"
    assert _fit_on_test(tmp_path / "a", "total = 0.0", per_row) == [18]
    norm = "X_scaled = X_test / np.sqrt(np.sum((X_test - X_test.mean()) ** 2))"
    assert _fit_on_test(tmp_path / "b", "total = 0.0", norm) == [18]
