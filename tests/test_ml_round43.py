"""ML review round 43: false alarms on real teaching code, by family.

Family 1, an indented notebook cell (precision): ml4climate's cell `' from ipywidgets import
interact'` and mlprac's `' sns.catplot(...)'` start with one space. IPython takes the indent of a
cell's first line off every line before compiling it (`leading_indent` in
`IPython.core.inputtransformer2`), so both cells run in Jupyter, and both were reported as cells
that do not parse. The indent is now taken off the same way: the cells parse, are reviewed, and
keep their line numbers. A cell that still does not parse (a deeper line after a shallower first
one, Python 2 print) stays reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

SPLIT = "from sklearn.model_selection import train_test_split\n"


def _notebook(tmp_path: Path, *cells: str) -> Path:
    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    return tmp_path


def _found(tmp_path: Path, *cells: str) -> set[tuple[int, str]]:
    return {(f.line, f.rule) for f in review_path(_notebook(tmp_path, *cells))}


def test_a_cell_indented_as_a_whole_parses_and_is_reviewed(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        SPLIT,
        " import numpy as np\n X = np.random.rand(20, 2)\n y = X[:, 0] > 0.5\n",
        "  parts = train_test_split(X, y)\n  for part in parts:\n      print(part.shape)\n",
    )
    assert found == {(3, "unseeded-randomness")}


def test_an_indented_cell_after_blank_lines_keeps_its_line_numbers(tmp_path: Path) -> None:
    found = _found(tmp_path, SPLIT, "\n   \n    parts = train_test_split([1, 2], [0, 1])\n")
    assert found == {(4, "unseeded-randomness")}


def test_a_cell_that_still_does_not_parse_is_reported(tmp_path: Path) -> None:
    deeper = _found(tmp_path, SPLIT, " x = 1\n   y = 2\n")
    assert deeper == {(3, "parse-error")}
    python2 = _found(tmp_path, SPLIT, '  print "hello"\n')
    assert python2 == {(2, "parse-error")}


STUDY = """\
    import optuna

    def tune(objective, tune_mode):
        if tune_mode == "max":
            study = optuna.create_study(direction="maximize")
        else:
            study = OTHER
        study.optimize(objective, n_trials=20)
        return study.best_params
    """


def _unseeded(tmp_path: Path, other: str) -> list[tuple[int, str]]:
    root = write_app(tmp_path, {"tune.py": STUDY.replace("OTHER", other)})
    return [(f.line, f.message) for f in review_path(root) if f.rule == "unseeded-randomness"]


def test_one_call_in_both_arms_of_an_if_is_reported_once_naming_the_other(
    tmp_path: Path,
) -> None:
    found = _unseeded(tmp_path, 'optuna.create_study(direction="minimize")')
    assert [line for line, _ in found] == [5]
    assert found[0][1].endswith("The same statement is made at line 7 (the other arm of the if).")


def test_a_different_call_or_name_in_the_other_arm_keeps_its_finding(tmp_path: Path) -> None:
    other_name = STUDY.replace("OTHER", "optuna.create_study()").replace(
        "study = optuna.create_study()", "study2 = optuna.create_study()"
    )
    root = write_app(tmp_path / "a", {"tune.py": other_name})
    assert [f.line for f in review_path(root) if f.rule == "unseeded-randomness"] == [5, 7]
    found = _unseeded(tmp_path / "b", "optuna.load_study(study_name='s', storage='sqlite:///s')")
    assert [line for line, _ in found] == [5]
    assert "other arm" not in found[0][1]
