"""A data file that is both the validation set a fit watches and the test set it is scored on.

xLearn's demos pass `setValidate("./small_test.txt")` (or `fit(..., eval_set="small_test.txt")`)
and then `setTest` / `predict` on the same file: the validation set stops training early and picks
the epoch, so the "test" score is measured on the rows that chose the model. Only literal paths
are compared (a string, or a name bound once to one), so two names for one array are not guessed.
"""

from __future__ import annotations

import ast
import posixpath
import re

from team.review.calltools import leaf_name
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["validation_file_tuning"]

_VALIDATES = re.compile(r"valid", re.I)
_VALIDATION_KEYWORDS = frozenset(
    {"eval_set", "valid_set", "valid_sets", "validation_data", "validation", "val_set"}
)
_TESTS = re.compile(r"test|predict|evaluate|score", re.I)
_DATA_FILE = re.compile(r"\.(txt|csv|tsv|libsvm|svm|ffm|data|parquet|json|npy|npz)$", re.I)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Names bound exactly once, to a string."""
    seen: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    seen.setdefault(target.id, []).append(node.value)
    return {
        name: values[0].value
        for name, values in seen.items()
        if len(values) == 1
        and isinstance(values[0], ast.Constant)
        and isinstance(values[0].value, str)
    }


def _path(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    """The data file a node names, normalised; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.Name) and node.id in constants:
        text = constants[node.id]
    else:
        return None
    return posixpath.normpath(text) if _DATA_FILE.search(text) else None


def validation_file_tuning(src: SourceFile) -> list[Finding]:
    """One finding per validation file that the module later tests or predicts on."""
    constants = _constants(src.tree)
    validated: dict[str, int] = {}
    tested: dict[str, int] = {}
    calls = sorted(
        (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno
    )
    for call in calls:
        name = leaf_name(call.func)
        given = [*call.args] if _VALIDATES.search(name) else []
        given += [k.value for k in call.keywords if k.arg in _VALIDATION_KEYWORDS]
        for node in given:
            path = _path(node, constants)
            if path is not None:
                validated.setdefault(path, node.lineno)
        if _TESTS.search(name) and not _VALIDATES.search(name):
            for arg in call.args:
                path = _path(arg, constants)
                if path is not None and path in validated and validated[path] < call.lineno:
                    tested.setdefault(path, call.lineno)
    return [
        make_finding(
            src,
            "test-set-tuning",
            validated[path],
            f"{path} is the validation set of this fit (it stops training early and picks the "
            f"epoch) and the test set scored at line {line}: the test rows choose the model "
            "they then measure. Hold out a separate validation file.",
        )
        for path, line in tested.items()
    ]
