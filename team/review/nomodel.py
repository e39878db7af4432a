"""A leak that only a demo joins, in a file that fits, scores and writes nothing.

pythonlabtools' `preprocessing.py` is a module of one-line cleaning helpers with a demo under
`__main__` that applies each in turn to a seven-row toy table: it fills Age with the column's
mean (`fill_missing_mean`, line 43), later splits the table with `train_test_scale` (line 121)
and prints the two shapes. The fill precedes the split, but no model is trained on the parts
and no score is computed from them anywhere in the file, so no evaluation is made optimistic
(fresh50, judged false).

Read here, for a leak on which the interpreter saw no evaluation: the full-data fit and the
split sit in two different functions of the file, neither names the other, no function of the
file names both (so no helper of the file chains them for its callers), the module's own
top-level code (a demo or `__main__` block) names both, and the file calls no fit, training
step, prediction, scoring, metric or write at all (a transformer's `fit_transform` is
preprocessing, not a model). A helper that normalises and then splits (gpflow's
`_create_dataset` calling `_normalise`), a script that scales and splits in one body, and a
file that saves its parts for training elsewhere (`to_csv`) keep their findings.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name

__all__ = ["joined_only_by_demo"]

_MODEL_OR_WRITE = re.compile(
    r"^(fit|partial_fit|fit_predict|fit_generator|fit_resample|train|train_on_batch|train_step"
    r"|train_epoch|train_model|predict\w*|decision_function|score\w*|evaluate\w*|backward"
    r"|compile|step|cross_val\w*|cross_validate|validate|test|run_experiment|learn"
    r"|to_(?!numpy$|list$|dict$|frame$|datetime$|numeric$)\w+|save\w*|dump\w*|write\w*"
    r"|savefig|imwrite|open)$"
    r"|(_score|_error|_loss|_metric|_metrics|accuracy|auc|_curve|_report|_matrix)$"
)
_Def = ast.FunctionDef | ast.AsyncFunctionDef


def _fits_scores_or_writes(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and _MODEL_OR_WRITE.search(leaf_name(node.func).lower())
        for node in ast.walk(tree)
    )


def _names(nodes: list[ast.stmt]) -> set[str]:
    """Every name and attribute these statements read."""
    out: set[str] = set()
    for stmt in nodes:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                out.add(node.id)
            elif isinstance(node, ast.Attribute):
                out.add(node.attr)
    return out


def _top_def(tree: ast.Module, line: int) -> _Def | None:
    return next(
        (
            stmt
            for stmt in tree.body
            if isinstance(stmt, _Def) and stmt.lineno <= line <= (stmt.end_lineno or 0)
        ),
        None,
    )


def joined_only_by_demo(tree: ast.Module, fit_line: int, split_line: int) -> bool:
    """The fit on `fit_line` and the split on `split_line` meet only in top-level demo code
    of a module that fits, scores and writes nothing.

    Example:
        >>> import ast
        >>> code = (
        ...     "def fill(df):\\n    return df.fillna(df.mean())\\n"
        ...     "def split(df):\\n    return df[:5], df[5:]\\n"
        ...     "if __name__ == '__main__':\\n    a, b = split(fill(df))\\n    print(a.shape)\\n"
        ... )
        >>> joined_only_by_demo(ast.parse(code), 2, 4)
        True
        >>> joined_only_by_demo(ast.parse(code + "model.fit(a)\\n"), 2, 4)
        False
    """
    fill, split = _top_def(tree, fit_line), _top_def(tree, split_line)
    if fill is None or split is None or fill is split:
        return False
    both = {fill.name, split.name}
    if fill.name in _names(split.body) or split.name in _names(fill.body):
        return False
    for node in ast.walk(tree):
        if isinstance(node, _Def) and node not in (fill, split) and both <= _names(node.body):
            return False
    top = [stmt for stmt in tree.body if not isinstance(stmt, _Def | ast.ClassDef)]
    return both <= _names(top) and not _fits_scores_or_writes(tree)
