"""`target-in-features`: the target column is also one of the feature columns.

mlprac's startup notebook takes `x = ds.iloc[:, :-1].values` and `y = ds.iloc[:, 1].values`
(a simple-regression template whose data had two columns, run on a five-column frame): column 1
is the target and a feature, the model copies it, and the printed R2 is about 1. Read narrowly,
from literals only: the features and the target are taken from the same frame (not rebound
between) by `iloc` with literal positions, or by `df[[...]]` and `df[...]` with literal names,
their names are the first two data arguments of one `train_test_split`, `fit` or `cross_val_*`,
and the target's column is certainly among the features'. A features slice that ends counting
from the right (`:-1`) holds a given column only if the frame is known to be wide enough; the
one width read is a `ColumnTransformer(..., remainder="passthrough")` refit on the features that
names a literal column index of them (the columns up to it exist).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from team.review.catalog import words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.reuse import scopes, walk_scope
from team.review.sources import SourceFile

__all__ = ["target_among_features"]

_RULE = "target-in-features"
_XY_FIRST = words("train_test_split fit")
_XY_SECOND = words("cross_val_score cross_validate cross_val_predict")
_TO_ARRAY = words("values to_numpy")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class _Columns:
    """Columns taken from `frame`: literal names, literal positions, or a literal slice."""

    frame: str
    names: tuple[str, ...] = ()
    positions: tuple[int, ...] = ()
    span: tuple[int | None, int | None] | None = None
    width: int = 0  # the features are known to have at least this many columns
    line: int = 0


def target_among_features(src: SourceFile) -> list[Finding]:
    """One finding per target binding whose column is among the features it is fitted with."""
    out: list[Finding] = []
    reported: set[int] = set()
    for body in scopes(src.tree):
        pairs = _xy_pairs(body)
        if not pairs:
            continue
        scope = _Bindings(body)
        for features, target, at in pairs:
            x = _features(scope, features, at)
            y = _taken(scope, target, at)
            if x is None or y is None or y.line in reported or not _holds(x, y):
                continue
            if x.frame != y.frame or scope.rebound(x.frame, x.line, y.line):
                continue
            reported.add(y.line)
            out.append(make_finding(src, _RULE, y.line, _message(features, target, x, y)))
    return out


def _message(features: str, target: str, x: _Columns, y: _Columns) -> str:
    column = repr(y.names[0]) if y.names else f"position {y.positions[0]}"
    return (
        f"the target {target} is column {column} of {y.frame}, and the features {features} "
        f"(line {x.line}) include that column: the model reads the answer from its input and "
        "its score means nothing. Drop the target's column from the features."
    )


def _xy_pairs(body: list[ast.stmt]) -> list[tuple[str, str, int]]:
    """(features name, target name, line) of each split, fit or cross-validation in `body`."""
    out = []
    for node in _own_nodes(body):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        skip = 0 if name in _XY_FIRST else 1 if name in _XY_SECOND else None
        if skip is None or len(node.args) < skip + 2:
            continue
        x, y = node.args[skip], node.args[skip + 1]
        if isinstance(x, ast.Name) and isinstance(y, ast.Name):
            out.append((x.id, y.id, node.lineno))
    return out


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of one scope: its functions and classes, top-level ones too, left out."""
    return walk_scope([s for s in body if not isinstance(s, _DEFS)])


class _Bindings:
    """Where each name is bound in one scope (its functions and classes left out), built once."""

    def __init__(self, body: list[ast.stmt]) -> None:
        self.stores: dict[str, list[ast.Name]] = {}
        self.assigns: dict[int, ast.Assign] = {}
        for node in _own_nodes(body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                self.stores.setdefault(node.id, []).append(node)
            elif isinstance(node, ast.Assign):
                self.assigns.update((id(t), node) for t in node.targets)

    def last(self, name: str, before: int) -> ast.Assign | None:
        """The last statement before line `before` that binds `name`, if it is a plain
        assignment; None when it is anything else (a loop, an augmented or unpacking
        assignment), so nothing is read from a value that may have changed."""
        earlier = [n for n in self.stores.get(name, []) if n.lineno < before]
        if not earlier:
            return None
        return self.assigns.get(id(max(earlier, key=lambda n: n.lineno)))

    def rebound(self, name: str, first: int, second: int) -> bool:
        low, high = sorted((first, second))
        return any(low < n.lineno < high for n in self.stores.get(name, []))


def _unwrapped(value: ast.expr) -> ast.expr:
    """`ds.iloc[:, 1].values`, `.to_numpy()`, `np.array(...)` -> `ds.iloc[:, 1]`."""
    while True:
        if isinstance(value, ast.Attribute) and value.attr in _TO_ARRAY:
            value = value.value
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute | ast.Name):
            called = ast.unparse(value.func).rsplit(".", 1)[-1]
            if called == "to_numpy" and isinstance(value.func, ast.Attribute):
                value = value.func.value
            elif called == "array" and len(value.args) == 1:
                value = value.args[0]
            else:
                return value
        else:
            return value


def _taken(scope: _Bindings, name: str, before: int) -> _Columns | None:
    """The columns `name` was last bound to before line `before`, if read from literals."""
    binding = scope.last(name, before)
    if binding is None:
        return None
    value = _unwrapped(binding.value)
    if not isinstance(value, ast.Subscript):
        return None
    index = value.slice
    if isinstance(value.value, ast.Attribute) and value.value.attr == "iloc":
        frame = value.value.value
        if not (
            isinstance(frame, ast.Name)
            and isinstance(index, ast.Tuple)
            and len(index.elts) == 2
            and _whole(index.elts[0])
        ):
            return None
        return _positions(frame.id, index.elts[1], binding.lineno)
    if isinstance(value.value, ast.Name):
        return _labels(value.value.id, index, binding.lineno)
    return None


def _whole(node: ast.expr) -> bool:
    return isinstance(node, ast.Slice) and node.lower is node.upper is node.step is None


def _int(node: ast.expr | None) -> int | None:
    try:
        value = ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _positions(frame: str, spec: ast.expr, line: int) -> _Columns | None:
    if isinstance(spec, ast.Slice):
        if spec.step is not None:
            return None
        low, high = _int(spec.lower), _int(spec.upper)
        if (low is None and spec.lower is not None) or (high is None and spec.upper is not None):
            return None  # a bound that is not a literal
        bounds = (low, high)
        return _Columns(frame, span=bounds, line=line)
    items = spec.elts if isinstance(spec, ast.List) else [spec]
    positions = [_int(e) for e in items]
    if not positions or None in positions:
        return None
    return _Columns(frame, positions=tuple(p for p in positions if p is not None), line=line)


def _labels(frame: str, spec: ast.expr, line: int) -> _Columns | None:
    items = spec.elts if isinstance(spec, ast.List) else [spec]
    names = [e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if not names or len(names) < len(items):
        return None
    return _Columns(frame, names=tuple(names), line=line)


def _features(scope: _Bindings, name: str, before: int) -> _Columns | None:
    """The features' columns, read through a passthrough `ColumnTransformer` refit on them
    (`x = np.array(ct.fit_transform(x))`), which keeps every column and shows a width."""
    width = 0
    while (binding := scope.last(name, before)) is not None:
        value = _unwrapped(binding.value)
        refit = _passthrough_width(scope, value, name, binding.lineno)
        if refit is None:
            taken = _taken(scope, name, before)
            if taken is None:
                return None
            return _Columns(
                taken.frame, taken.names, taken.positions, taken.span, width, taken.line
            )
        width, before = max(width, refit), binding.lineno
    return None


def _passthrough_width(scope: _Bindings, value: ast.expr, name: str, line: int) -> int | None:
    """`ct.fit_transform(name)` with `ct = ColumnTransformer(..., remainder="passthrough")`:
    one more than the highest literal column index its transformers name; else None."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return None
    transformer = value.func.value
    if value.func.attr != "fit_transform" or not isinstance(transformer, ast.Name):
        return None
    if [ast.unparse(a) for a in value.args] != [name] or value.keywords:
        return None
    binding = scope.last(transformer.id, line)
    maker = binding.value if binding is not None else None
    if not (
        isinstance(maker, ast.Call)
        and isinstance(maker.func, ast.Name | ast.Attribute)
        and ast.unparse(maker.func).endswith("ColumnTransformer")
        and any(
            k.arg == "remainder"
            and isinstance(k.value, ast.Constant)
            and k.value.value == "passthrough"
            for k in maker.keywords
        )
    ):
        return None
    indices = [
        item.value
        for node in ast.walk(maker)
        if isinstance(node, ast.List)
        for item in node.elts
        if isinstance(item, ast.Constant) and type(item.value) is int and item.value >= 0
    ]
    return max(indices) + 1 if indices else 0


def _holds(x: _Columns, y: _Columns) -> bool:
    """The target's one column is certainly among the features' columns."""
    if y.names:
        return len(y.names) == 1 and y.names[0] in x.names
    if len(y.positions) != 1:
        return False
    t = y.positions[0]
    if x.positions:
        return t in x.positions
    if x.span is None:
        return False
    low, high = x.span
    if t >= 0:
        start = low or 0
        if start < 0 or t < start:
            return False
        if high is None or high >= 0:
            return high is None or t < high
        return t < start + x.width  # counted from the right: only as far as known columns
    return (low is None or (low < 0 and low <= t)) and (high is None or (high < 0 and t < high))
