"""A bare draw whose value is turned into text that only names a file: it changes no result.

auto_ml saves a Keras model under `file_name[:-5] + random_name + '_keras_deep_learning_model.h5'`
with `random_name = str(random.random())` (`predictor.py:1862`), keeps the wrapper in
`model_name_map[random_name]` and leaves `random_name` in the pipeline as a placeholder; its
deep-learning fit checkpoints to `'tmp_dl_model_checkpoint_' + time_string +
str(random.random()) + '.h5'` (`utils_model_training.py:141`), a file it removes afterwards.
The draws keep parallel runs from overwriting each other's files; no data, model or score
depends on them.

Narrow on purpose: the draw is turned into text (`str(draw)`, a string concatenation or an
f-string around it), and either that text holds a literal that ends in a file extension or
holds a path separator, or it is bound to a name whose every read in the same function is
such a file name, a key (`model_name_map[name]`), or the whole value put on an attribute (a
placeholder). A draw used as a number, or text read anywhere else (printed, returned, passed
to a call), stays reported.
"""

from __future__ import annotations

import ast
import re

from team.review.randomness import Usage, reads_in_scope

__all__ = ["only_names_a_file_reason"]

# a literal ending in a file extension ('.h5', '_model.pkl') or holding a path separator
_FILE_LITERAL = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$|/")


def only_names_a_file_reason(use: Usage, call: ast.Call) -> str | None:
    """Why the bare draw `call` changes no result: its text only names a file; else None."""
    text = _as_text(use, call)
    if text is None:
        return None
    if _file_name(text):
        return "it only names a file (a file name built from it as text), no result depends on it"
    stmt = use.up(text)
    if not (isinstance(stmt, ast.Assign) and stmt.value is text):
        return None
    names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    loads = reads_in_scope(use, call, names)
    if loads and all(_names_only(use, load) for load in loads):
        return "its text only names a file and keys the object saved there, no result depends on it"
    return None


def _as_text(use: Usage, node: ast.AST) -> ast.expr | None:
    """The outermost string expression `node` is formatted into (`str(node)`, `"a_" +
    str(node)`, `f"{node}"`), or None when `node` is not turned into text."""
    text: ast.expr | None = None
    parent = use.up(node)
    while parent is not None:
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Name)
            and parent.func.id == "str"
            and parent.args == [node]
        ) or isinstance(parent, ast.JoinedStr):
            text = parent
        elif text is not None and isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
            text = parent  # "name_" + str(draw) + ".h5": a concatenation of text
        elif not isinstance(parent, ast.FormattedValue):
            break
        node, parent = parent, use.up(parent)
    return text


def _file_name(text: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _FILE_LITERAL.search(n.value)
        for n in ast.walk(text)
    )


def _names_only(use: Usage, load: ast.Name) -> bool:
    """A read of the draw's text that only names: in a file name, as a key, or as the whole
    value put on an attribute."""
    parent = use.up(load)
    if isinstance(parent, ast.Subscript) and parent.slice is load:
        return True
    if isinstance(parent, ast.Assign) and parent.value is load:
        return all(isinstance(t, ast.Attribute) for t in parent.targets)
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
        text = parent
        while isinstance(up := use.up(text), ast.BinOp) and isinstance(up.op, ast.Add):
            text = up
        return _file_name(text)
    if isinstance(parent, ast.FormattedValue):
        outer = use.up(parent)
        return isinstance(outer, ast.JoinedStr) and _file_name(outer)
    return False
