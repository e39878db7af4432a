"""One loader object handed to a trainer as two different splits.

PyKale's GripNet example runs `trainer.fit(model, dataloader_train, dataloader_train)` and then
`trainer.test(model, dataloader_train)`: the training loader is also the validation and the test
loader, so the test metrics measure fit on the training data (`eval-on-train`). Its CIFAR
transformer example runs `trainer.fit(model, train_loader, valid_loader)` and then
`trainer.test(model, valid_loader)`: the set watched during training is the one reported, which
is `test-set-tuning` where something is chosen on it (an early stop, a checkpoint that monitors
a metric, `ckpt_path="best"`). The shape is PyTorch Lightning's: `fit(model, train, val)` (or the
`train_dataloaders=` / `val_dataloaders=` keywords) and `test(model, loader)` /
`validate(model, loader)` (or `dataloaders=`). Only plain names of data loaders are compared,
within one function: a LightningDataModule handed to both brings its own splits.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["loader_reused", "scopes", "walk_scope"]

_TRAIN_KEYWORDS = ("train_dataloaders", "train_dataloader")
_VAL_KEYWORDS = ("val_dataloaders", "val_dataloader")
_TEST_KEYWORDS = ("dataloaders", "test_dataloaders", "test_dataloader")
_REPORTS = ("test", "validate")


def loader_reused(src: SourceFile) -> list[Finding]:
    """One finding per fit whose training loader is also its validation or test loader, or whose
    validation loader is the loader it is then tested on."""
    out: list[Finding] = []
    for body in scopes(src.tree):
        calls = sorted(
            (n for n in walk_scope(body) if isinstance(n, ast.Call)), key=lambda n: n.lineno
        )
        for fit in (c for c in calls if _method(c) == "fit"):
            train = _loader(fit, 1, _TRAIN_KEYWORDS)
            if train is None or not _is_loader(train, body):
                continue
            val = _loader(fit, 2, _VAL_KEYWORDS)
            later = [
                c
                for c in calls
                if _method(c) in _REPORTS and c.lineno > fit.lineno and _same_run(fit, c)
            ]
            out.extend(_judge(src, fit, train, val, later))
    return out


def _judge(
    src: SourceFile, fit: ast.Call, train: str, val: str | None, later: list[ast.Call]
) -> list[Finding]:
    """The finding for one fit: a report on the training loader, else a report on the
    validation loader, else validation on the training loader."""
    for call in later:
        if _loader(call, 1, _TEST_KEYWORDS) == train:
            also = " (and as its validation loader)" if val == train else ""
            return [
                make_finding(
                    src,
                    "eval-on-train",
                    call.lineno,
                    f"{train} is the loader the model was trained on at line {fit.lineno}{also} "
                    f"and the one {_method(call)}() scores it on: the reported metrics measure "
                    "fit on the training data. Score a held-out split.",
                )
            ]
    for call in later:
        if (
            val is not None
            and val != train
            and _loader(call, 1, _TEST_KEYWORDS) == val
            and _selects(src.tree, call)
        ):
            return [
                make_finding(
                    src,
                    "test-set-tuning",
                    call.lineno,
                    f"{val} is the validation loader the fit watched at line {fit.lineno} and "
                    f"the one {_method(call)}() reports: the set watched while training (for "
                    "checkpoints, early stopping or choices made by eye) is the one measured, so "
                    "the score is optimistic. Hold out a test split the fit never sees.",
                )
            ]
    if val == train:
        return [
            make_finding(
                src,
                "eval-on-train",
                fit.lineno,
                f"{train} is both the training and the validation loader of this fit: the "
                "validation metrics measure fit on the training data. Validate on a held-out "
                "split.",
            )
        ]
    return []


def _selects(tree: ast.Module, test: ast.Call) -> bool:
    """Something is chosen on the validation loader: the test scores the best checkpoint
    (`ckpt_path="best"`), or the module builds an `EarlyStopping` or a `ModelCheckpoint` that
    monitors a metric. Without them Lightning tests the last epoch's weights, and a test split
    watched as `valid` only draws curves (PyKale's CNN-transformer example, judged false)."""
    if any(
        kw.arg == "ckpt_path" and isinstance(kw.value, ast.Constant) and kw.value.value == "best"
        for kw in test.keywords
    ):
        return True
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func).rsplit(".", 1)[-1]
        if name == "EarlyStopping" or (
            name == "ModelCheckpoint" and any(kw.arg == "monitor" for kw in node.keywords)
        ):
            return True
    return False


def _is_loader(name: str, body: list[ast.stmt]) -> bool:
    """A data loader, not a LightningDataModule (whose `test()` uses its own test split): named
    for one (`dataloader_train`, `valid_loader`) or built by a `*Loader(...)` call."""
    if "loader" in name.lower():
        return True
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).endswith("Loader")
        for node in walk_scope(body)
    )


def scopes(tree: ast.Module) -> Iterator[list[ast.stmt]]:
    """The module's body and each function's body, each a scope of its own names."""
    yield tree.body
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.body


def walk_scope(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a body, not entering nested functions or classes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.append(child)


def _same_run(fit: ast.Call, call: ast.Call) -> bool:
    """The same trainer tests the same model: `trainer.fit(model, ...)`, `trainer.test(model,
    ...)` (scikit-learn's `model.fit(X, y)` has no model argument to match)."""
    return (
        _receiver(fit) is not None
        and _receiver(fit) == _receiver(call)
        and _model(fit) is not None
        and _model(fit) == _model(call)
    )


def _receiver(call: ast.Call) -> str | None:
    func = call.func
    return (
        func.value.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        else None
    )


def _model(call: ast.Call) -> str | None:
    for kw in call.keywords:
        if kw.arg == "model":
            return kw.value.id if isinstance(kw.value, ast.Name) else None
    first = call.args[0] if call.args else None
    return first.id if isinstance(first, ast.Name) else None


def _method(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _loader(call: ast.Call, index: int, keywords: tuple[str, ...]) -> str | None:
    """The plain name passed as a Lightning loader, by position after the model or keyword."""
    for kw in call.keywords:
        if kw.arg in keywords:
            return kw.value.id if isinstance(kw.value, ast.Name) else None
    if len(call.args) > index and _model(call) is not None:
        arg = call.args[index]
        return arg.id if isinstance(arg, ast.Name) else None
    return None
