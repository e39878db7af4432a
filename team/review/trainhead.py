"""A slice up to the training part's last position holds the training rows: `rows[:end]`.

areafluforecast's `normalization(frame, split)` computes the mean and std of
`frame.to_numpy()[:end]` with `end = split.train[-1] + split.window.max_horizon + 1`: the split
was made first (`make_split`, chronological origins), and the slice stops at the last training
origin (and the weeks its targets reveal). The statistic is fitted on the training rows, not on
all of them. Only a bound read from a training part's last element counts (`split.train[-1]`,
`train_idx[-1]`): a bound from a size (`n`, `len(X)`) or a test part, or a slice from a bound,
says nothing of which part the rows are.
"""

from __future__ import annotations

import ast

from team.review.catalog import role_hint

__all__ = ["train_head"]


def train_head(body: ast.AST, node: ast.Subscript, module: ast.AST | None = None) -> bool:
    """`node` is `X[:b]`, `b` (or the one value `body` binds the name `b` to) is the last element
    of a part named as training or a `+` chain of it and constants or names reading no other part
    and no size, and no function building that part (in `body` or `module`) shuffles the rows.

    >>> tree = ast.parse("end = split.train[-1] + 3\\na = X[:end]\\nb = X[:n]\\nc = X[:idx_test[-1]]")
    >>> subscripts = [n for n in ast.walk(tree) if isinstance(n, ast.Subscript)]
    >>> [(ast.unparse(n), train_head(tree, n)) for n in subscripts if isinstance(n.slice, ast.Slice)]
    [('X[:end]', True), ('X[:n]', False), ('X[:idx_test[-1]]', False)]
    """
    first = (
        node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
    )
    if not isinstance(first, ast.Slice) or first.lower is not None or first.upper is None:
        return False
    bound: ast.expr | None = first.upper
    if isinstance(bound, ast.Name):
        bound = _only_value(body, bound.id)
    terms = _sum_terms(bound) if bound is not None else []
    lasts = [t for t in terms if _last_of_train(t)]
    if len(lasts) != 1 or not all(_plain(t) for t in terms if t is not lasts[0]):
        return False
    return not any(_shuffles(f) for f in _builders(body, module, lasts[0]))


def _only_value(body: ast.AST, name: str) -> ast.expr | None:
    """The value of `name = value` when that is the only binding of `name` in `body` (a tuple,
    for, with or walrus target, an import alias or a parameter of that name is another)."""
    stores = [
        n
        for n in ast.walk(body)
        if (isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store))
        or (isinstance(n, ast.arg) and n.arg == name)
        or (isinstance(n, ast.alias) and (n.asname or n.name.split(".")[0]) == name)
    ]
    plain = [
        n.value
        for n in ast.walk(body)
        if (isinstance(n, ast.Assign) and len(n.targets) == 1 and n.targets[0] in stores)
        or (isinstance(n, ast.AnnAssign) and n.target in stores)
    ]
    if len(stores) != 1 or len(plain) != 1:
        return None
    return plain[0]


def _sum_terms(node: ast.expr) -> list[ast.expr]:
    """The terms of `a + b + c`; `[node]` if it is not a sum."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sum_terms(node.left) + _sum_terms(node.right)
    return [node]


_SIZES = frozenset({"len", "shape", "size", "length", "n", "nrows", "n_rows", "total", "count"})


def _plain(term: ast.expr) -> bool:
    """A number, or a name or attribute chain naming no split part and no size
    (`horizon`, `split.window.max_horizon`; not `len(X)`, `X.shape`, `n_test`)."""
    if isinstance(term, ast.Constant):
        return isinstance(term.value, int | float) and not isinstance(term.value, bool)
    chain = list(ast.walk(term))
    if not all(isinstance(n, ast.Name | ast.Attribute | ast.Load) for n in chain):
        return False
    parts = [
        n.id if isinstance(n, ast.Name) else n.attr
        for n in chain
        if isinstance(n, ast.Attribute | ast.Name)
    ]
    return not any(p.lower() in _SIZES or role_hint(p) is not None for p in parts)


def _builders(body: ast.AST, module: ast.AST | None, last: ast.expr) -> list[ast.AST]:
    """What builds the part `last` reads: `body` when it binds the part's name, and each
    function of `module` that returns a value naming a training part (`Split(train=...)`)."""
    root = last
    while isinstance(root, ast.Attribute | ast.Subscript):
        root = root.value
    found: list[ast.AST] = []
    if isinstance(root, ast.Name) and any(
        isinstance(n, ast.Name) and n.id == root.id and isinstance(n.ctx, ast.Store)
        for n in ast.walk(body)
    ):
        found.append(body)
    for fn in ast.walk(module) if module is not None else ():
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            isinstance(r, ast.Return) and r.value is not None and _names_train(r.value)
            for r in ast.walk(fn)
        ):
            found.append(fn)
    return found


def _names_train(value: ast.expr) -> bool:
    for n in ast.walk(value):
        name = (
            n.arg
            if isinstance(n, ast.keyword)
            else n.id
            if isinstance(n, ast.Name)
            else n.attr
            if isinstance(n, ast.Attribute)
            else n.value
            if isinstance(n, ast.Constant)
            else None
        )
        if isinstance(name, str) and role_hint(name) == "train":
            return True
    return False


def _shuffles(fn: ast.AST) -> bool:
    """`fn` draws a row order: a permutation, a shuffle, `.sample(`, `train_test_split` without
    `shuffle=False`, a KFold with `shuffle=True`."""
    return any(_draws_order(c) for c in ast.walk(fn) if isinstance(c, ast.Call))


def _draws_order(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    flags = {kw.arg: kw.value.value for kw in call.keywords if isinstance(kw.value, ast.Constant)}
    return (
        name in ("permutation", "permuted", "shuffle", "sample")
        or (name == "train_test_split" and flags.get("shuffle") is not False)
        or (name.endswith("KFold") and flags.get("shuffle") is True)
    )


def _last_of_train(node: ast.AST) -> bool:
    """`split.train[-1]`, `train_idx[-1]`: the last element of a part named as training."""
    if not isinstance(node, ast.Subscript):
        return False
    key = node.slice
    last = (
        isinstance(key, ast.UnaryOp)
        and isinstance(key.op, ast.USub)
        and isinstance(key.operand, ast.Constant)
        and key.operand.value == 1
    )
    part = node.value
    name = part.attr if isinstance(part, ast.Attribute) else getattr(part, "id", None)
    return last and isinstance(name, str) and role_hint(name) == "train"
