"""ML review round 51: real code that nobody here wrote, by family.

Family 1, a line magic run without its `%` (precision): nlptk's lab11.ipynb opens with a code
cell of one line, `pip install keras_preprocessing`, which IPython runs as `%pip` (automagic:
`InteractiveShell.transform_cell` prefilters a cell that is one line, and a line whose first word
names a line magic runs it). The cell was blanked as a parse error. A one-line cell whose line
does not parse and whose first word is a line magic (IPython's, the kernel's, or one the notebook
calls with `%`) is now read as a magic; the same line beside another line, after a name that
shadows the magic, followed by `=`, or with automagic turned off is a SyntaxError in IPython too
and stays reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from team.review.sources import SourceFile, load_source
from tests.helpers import notebook_findings


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
