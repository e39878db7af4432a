"""Data-flow findings inside a unit test: the test asserts how a library behaves.

hypergbm's `tests/estimator_test.py` early-stops XGBoost, LightGBM and CatBoost on the held-out
30% (`eval_set=[(X_test, y_test)]`) and asserts `best_iteration_ == 11`: a test of the libraries'
early stopping, whose eval set is the thing under test. No model is kept for use and no score is
reported, so nothing is tuned on a test set (judged false, fresh43). The other rules already
skip test code (`serving.is_test_file`, `serving.is_unit_test_module`); the data-flow rules read
every file, so their findings are dropped where they fall inside a test function (`def test*`)
of test code. An example script that only has a test in its name (nilearn's
`plot_second_level_one_sample_test.py`, mlxtend's `f_test.py`) holds no test function and keeps
its findings.
"""

from __future__ import annotations

import ast

from team.review.serving import is_test_file, is_unit_test_module
from team.review.sources import SourceFile

__all__ = ["lines_in_unit_tests"]


def lines_in_unit_tests(src: SourceFile) -> frozenset[int]:
    """The lines of the test functions (`def test*`, also methods) of a test module; none
    when `src` is not test code.

    Example:
        >>> import ast
        >>> from team.review.sources import SourceFile
        >>> code = "def helper():\\n    pass\\ndef test_stops():\\n    assert fit() == 3\\n"
        >>> src = SourceFile("tests/model_test.py", code, ast.parse(code))
        >>> sorted(lines_in_unit_tests(src))
        [3, 4]
    """
    if not (is_test_file(src.rel) or is_unit_test_module(src.tree)):
        return frozenset()
    lines: set[int] = set()
    for node in ast.walk(src.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return frozenset(lines)
