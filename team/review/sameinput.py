"""An estimator evaluated on an input function built from the same files as its training input.

BERT's `run_pretraining.py` builds `train_input_fn = input_fn_builder(input_files=input_files,
..., is_training=True)` for `estimator.train(input_fn=train_input_fn)`, and under `--do_eval`
`eval_input_fn = input_fn_builder(input_files=input_files, ..., is_training=False)` for
`estimator.evaluate(input_fn=eval_input_fn)`, whose accuracies it writes to `eval_results.txt`.
Both input functions read the same files: the evaluation is on the training data.

Narrow on purpose: in one function, one receiver's `train(input_fn=A)` and `evaluate(input_fn=B)`
(TensorFlow's Estimator API, `input_fn` given by keyword or first), where `A` and `B` are names
bound once each, to calls of the same builder whose arguments other than constants (the
`is_training` flag, batch sizes written out) are written identically, and at least one such
argument names the data. `run_classifier.py` builds its two from `train_file` and `eval_file`,
and is not reported.
"""

from __future__ import annotations

import ast

from team.review.callbacks import bindings
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["evaluated_on_training_input"]

_Func = ast.FunctionDef | ast.AsyncFunctionDef


def evaluated_on_training_input(src: SourceFile) -> list[Finding]:
    """One `eval-on-train` finding per `evaluate` call whose input function is built like the
    training call's of the same estimator in the same function."""
    out: list[Finding] = []
    for func in (n for n in ast.walk(src.tree) if isinstance(n, _Func)):
        built = _built_once(func)
        trained = {
            receiver: name for receiver, name, _ in _estimator_calls(func, "train") if name in built
        }
        for receiver, name, call in _estimator_calls(func, "evaluate"):
            train_name = trained.get(receiver)
            if train_name is None or name not in built or name == train_name:
                continue
            shared = _same_data(built[train_name], built[name])
            if shared is None:
                continue
            out.append(
                make_finding(
                    src,
                    "eval-on-train",
                    call.lineno,
                    f"{receiver}.evaluate(input_fn={name}) reads the training data: {name} and "
                    f"{train_name} are both built by {ast.unparse(built[name].func)}() from "
                    f"{shared}, and {receiver}.train() is fed {train_name}. The scores measure "
                    "fit to the training data, not generalisation. Evaluate on held-out files.",
                    trace=(
                        f"train: {train_name} from {shared} ({src.rel}:{built[train_name].lineno})",
                        f"eval: {name} from {shared} ({src.rel}:{call.lineno})",
                    ),
                )
            )
    return out


def _built_once(func: _Func) -> dict[str, ast.Call]:
    """Names the function binds exactly once, to a call."""
    return {
        name: values[0]
        for name, values in bindings(func).items()
        if len(values) == 1 and isinstance(values[0], ast.Call)
    }


def _estimator_calls(func: _Func, method: str) -> list[tuple[str, str, ast.Call]]:
    """(receiver, input function name, call) of each `receiver.method(input_fn=name)`."""
    out: list[tuple[str, str, ast.Call]] = []
    for call in (n for n in ast.walk(func) if isinstance(n, ast.Call)):
        target = call.func
        if not (
            isinstance(target, ast.Attribute)
            and target.attr == method
            and isinstance(target.value, ast.Name)
        ):
            continue
        given = next((k.value for k in call.keywords if k.arg == "input_fn"), None)
        if given is None and call.args:
            given = call.args[0]
        if isinstance(given, ast.Name):
            out.append((target.value.id, given.id, call))
    return out


def _same_data(train: ast.Call, evaluated: ast.Call) -> str | None:
    """The data argument both builder calls share, when they are the same builder and every
    argument but constants is written the same."""
    if ast.unparse(train.func) != ast.unparse(evaluated.func):
        return None
    a, b = _arguments(train), _arguments(evaluated)
    if a != b or not a:
        return None
    return next((f"{key}={value}" for key, value in a.items() if _names_data(key, value)), None)


def _arguments(call: ast.Call) -> dict[str, str]:
    """Every argument that is no constant, by position or keyword, as written."""
    given = {str(i): a for i, a in enumerate(call.args)}
    given.update({k.arg: k.value for k in call.keywords if k.arg is not None})
    return {key: ast.unparse(v) for key, v in given.items() if not isinstance(v, ast.Constant)}


def _names_data(key: str, value: str) -> bool:
    """`input_files=input_files`, `data_dir=...`: an argument that names files or data."""
    text = f"{key} {value}".lower()
    return any(word in text for word in ("file", "data", "path", "dir"))
