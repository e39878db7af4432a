"""A DeepChem-style transformer built on the whole data set after that data set was split.

DeepChem's transformers are fitted when they are built: `NormalizationTransformer(
transform_y=True, dataset=train)` computes the mean and standard deviation of `train`. The
MoleculeNet loader template splits first (`train, valid, test =
splitter.train_valid_test_split(dataset)`) and then builds every transformer with
`dataset=dataset`, the unsplit rows, before transforming the three parts: the validation and
test statistics go into the transform the model is trained with. Reported when, in one
function, a data set is split into named parts by a `*_split` call, a transformer (a callee
whose name says transformer) is then built with `dataset=` that same unsplit name, and the
parts are passed to a `.transform(...)` call.
"""

from __future__ import annotations

import ast
import re

from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["transformer_fit_before_split"]

_SPLITS = frozenset({"train_test_split", "train_valid_test_split", "train_valid_split"})
_TRANSFORMER = re.compile(r"transformer", re.I)


def transformer_fit_before_split(src: SourceFile) -> list[Finding]:
    """One `leakage-preprocess-before-split` finding per function that builds a transformer
    on a data set it has already split, and transforms the parts."""
    out: list[Finding] = []
    for func in ast.walk(src.tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            continue
        found = _fit_on_whole(func)
        if found is None:
            continue
        call, whole, parts = found
        out.append(
            make_finding(
                src,
                "leakage-preprocess-before-split",
                call.lineno,
                f"{ast.unparse(call.func)}(dataset={whole}) is fitted on {whole}, the rows "
                f"already split into {', '.join(parts)}, and then transforms those parts: "
                "statistics of the validation and test rows shape the training data. Build "
                "the transformer on the training part only.",
                trace=(f"fit: {whole} before the split is used ({src.rel}:{call.lineno})",),
            )
        )
    return out


def _body_nodes(func: ast.AST) -> list[ast.AST]:
    """The nodes of `func` outside any function nested in it."""
    out: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _fit_on_whole(func: ast.AST) -> tuple[ast.Call, str, list[str]] | None:
    """The first transformer built with `dataset=<whole>` after `<whole>` was split into parts
    that are transformed later: (the call, the whole's name, the parts' names)."""
    nodes = _body_nodes(func)
    splits = [s for n in nodes if (s := _split(n)) is not None]
    transformed = _transformed(nodes)
    for line, whole, parts in splits:
        if not set(parts) & transformed:
            continue
        fits = [
            n
            for n in nodes
            if isinstance(n, ast.Call)
            and n.lineno > line
            and _TRANSFORMER.search(ast.unparse(n.func))
            and any(
                k.arg == "dataset" and isinstance(k.value, ast.Name) and k.value.id == whole
                for k in n.keywords
            )
        ]
        if fits:
            return min(fits, key=lambda c: c.lineno), whole, parts
    return None


def _split(node: ast.AST) -> tuple[int, str, list[str]] | None:
    """`a, b, c = splitter.train_valid_test_split(dataset)`: (line, 'dataset', ['a', 'b', 'c'])."""
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Tuple)
        and isinstance(node.value, ast.Call)
        and node.value.args
        and isinstance(node.value.args[0], ast.Name)
    ):
        return None
    f = node.value.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    parts = [e.id for e in node.targets[0].elts if isinstance(e, ast.Name)]
    if name not in _SPLITS or len(parts) < 2:
        return None
    return node.lineno, node.value.args[0].id, parts


def _transformed(nodes: list[ast.AST]) -> set[str]:
    """Names passed to a `.transform(...)` call."""
    return {
        a.id
        for n in nodes
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "transform"
        for a in n.args
        if isinstance(a, ast.Name)
    }
