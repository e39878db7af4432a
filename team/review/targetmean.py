"""A target encoding computed over every row and written into the features before the split.

`df["region_rate"] = df.groupby("region")["default"].transform("mean")`, or the per-group means
of `df.groupby("region")["default"].mean()` mapped back onto `df["region"]`, puts a statistic of
the labels into the features; done on the whole frame before `train_test_split`, each test row's
feature holds its own label (a group of one is its label), and the test labels shape the
training features, so the test score is optimistic (fresh54: weight-of-evidence features built
from the target before the split). Read from the syntax of one scope, so only when certain: the
statistic is of the column that is then taken as the labels of a `train_test_split` (`y =
df[target]` or `df.pop(target)`, by the same literal or name), it is grouped on and written into
the same frame, and the split is given the frame's features after it.

RiskX 0.1.1's weight-of-evidence features (`feature_engineering.py` 363-369) are not of this
form, and are no leak in effect: the lookup `str(pd.qcut([x], q=5, ...)[0])` bins each value
alone, always gives `'nan'`, which is no key of the weight-of-evidence map, so every value of
the `_woe` columns is 0 and no label reaches the features.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.reuse import scopes, walk_scope
from team.review.sources import SourceFile

__all__ = ["target_encoded_before_split"]

_STATS = words("mean median sum max min std var")
_AGGREGATES = words("transform agg aggregate")
_MAPS = words("map replace")
_SPLITS = words("train_test_split")

# (frame name, grouping key, label column), each as source text
_GroupStat = tuple[str, str, str]


def target_encoded_before_split(src: SourceFile) -> list[Finding]:
    """One `leakage-preprocess-before-split` finding per write of a target encoding into a frame
    that is then split into features and labels."""
    out: list[Finding] = []
    for body in scopes(src.tree):
        nodes = list(walk_scope(body))
        for store, (frame, key, target), split in _encodings(nodes):
            out.append(
                make_finding(
                    src,
                    "leakage-preprocess-before-split",
                    store.lineno,
                    f"a statistic of the labels ({target}) per {key} is computed over every "
                    f"row of {frame} and written into it as a feature, and the data is split "
                    "afterwards "
                    f"({leaf_name(split.func)}, line {split.lineno}): each test row's feature "
                    "holds its own label, and the test labels shape the training features, so "
                    "the test score is optimistic. Compute the encoding on the training split "
                    "(out of fold for the training rows) and map it onto the test split.",
                    trace=(
                        f"fit: a statistic of {target} per {key} on all rows "
                        f"({src.rel}:{store.lineno})",
                        f"split: {leaf_name(split.func)} ({src.rel}:{split.lineno})",
                    ),
                )
            )
    return out


def _encodings(nodes: list[ast.AST]) -> list[tuple[ast.Assign, _GroupStat, ast.Call]]:
    bound: dict[str, _GroupStat] = {}
    for node in nodes:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and (stat := _group_stat(node.value)) is not None
        ):
            bound[node.targets[0].id] = stat
    found = []
    for node in nodes:
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.targets[0].value, ast.Name)
        ):
            continue
        frame = node.targets[0].value.id
        stat = _written(node.value, bound)
        if stat is None or stat[0] != frame:
            continue
        split = _split_after(nodes, node.lineno, frame, stat[2])
        if split is not None:
            found.append((node, stat, split))
    return found


def _group_stat(expr: ast.AST) -> _GroupStat | None:
    """`df.groupby(k)[t].transform("mean")`, `.agg(np.mean)`, `.mean()`: (df, k, t)."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return None
    name = expr.func.attr
    if name in _AGGREGATES:
        how = expr.args[0] if len(expr.args) == 1 and not expr.keywords else None
        if isinstance(how, ast.Attribute):  # np.mean
            how = ast.Constant(how.attr)
        if not (isinstance(how, ast.Constant) and how.value in _STATS):
            return None
    elif name not in _STATS or expr.args or expr.keywords:
        return None
    column = expr.func.value
    if not isinstance(column, ast.Subscript):
        return None
    grouped = column.value
    if not (
        isinstance(grouped, ast.Call)
        and isinstance(grouped.func, ast.Attribute)
        and grouped.func.attr == "groupby"
        and isinstance(grouped.func.value, ast.Name)
        and grouped.args
    ):
        return None
    return grouped.func.value.id, ast.unparse(grouped.args[0]), ast.unparse(column.slice)


def _written(value: ast.AST, bound: dict[str, _GroupStat]) -> _GroupStat | None:
    """The group statistic a stored value is: itself, or mapped onto the grouping column
    (`df[k].map(means)`)."""
    stat = _group_stat(value)
    if stat is not None:
        return stat
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _MAPS
        and len(value.args) == 1
        and isinstance(value.func.value, ast.Subscript)
        and isinstance(value.func.value.value, ast.Name)
    ):
        return None
    given = value.args[0]
    stat = bound.get(given.id) if isinstance(given, ast.Name) else _group_stat(given)
    on = value.func.value
    if stat is None or ast.unparse(on.slice) != stat[1] or on.value.id != stat[0]:  # type: ignore[attr-defined]
        return None
    return stat


def _split_after(nodes: list[ast.AST], line: int, frame: str, target: str) -> ast.Call | None:
    """A `train_test_split` after `line` given the frame's labels (`frame[target]`, or a name
    bound to it or to `frame.pop(target)`) and features (the frame, or a name bound to an
    expression of it), or given the frame alone."""
    labels: set[str] = set()
    features: set[str] = {frame}
    for node in nodes:
        if not (
            isinstance(node, ast.Assign)
            and node.lineno > line
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            continue
        name = node.targets[0].id
        if _label_of(node.value, frame, target):
            labels.add(name)
        elif any(isinstance(n, ast.Name) and n.id == frame for n in ast.walk(node.value)):
            features.add(name)
    splits = sorted(
        (
            n
            for n in nodes
            if isinstance(n, ast.Call) and n.lineno > line and leaf_name(n.func) in _SPLITS
        ),
        key=lambda n: n.lineno,
    )
    for call in splits:
        given = call.args[:2]
        if len(given) == 1 and isinstance(given[0], ast.Name) and given[0].id == frame:
            return call  # the frame itself, labels and encoding together
        if (
            len(given) == 2
            and isinstance(given[0], ast.Name)
            and given[0].id in features
            and (
                (isinstance(given[1], ast.Name) and given[1].id in labels)
                or _label_of(given[1], frame, target)
            )
        ):
            return call
    return None


def _label_of(expr: ast.AST, frame: str, target: str) -> bool:
    """`frame[target]` or `frame.pop(target)`."""
    if isinstance(expr, ast.Subscript):
        return (
            isinstance(expr.value, ast.Name)
            and expr.value.id == frame
            and ast.unparse(expr.slice) == target
        )
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return False
    popped = expr.func.value
    return (
        expr.func.attr == "pop"
        and [ast.unparse(a) for a in expr.args] == [target]
        and isinstance(popped, ast.Name)
        and popped.id == frame
    )
