"""A draw of batch indices that, with the function's default arguments, takes every row.

pykan's `MLP.fit(..., batch=-1)` sets `batch_size = dataset['train_input'].shape[0]` when
`batch == -1` and then draws `train_id = np.random.choice(dataset['train_input'].shape[0],
batch_size, replace=False)` each step. With the default the draw is a permutation of all rows,
and `train_id` only indexes the data (`dataset['train_input'][train_id]`): every step sees the
whole data set as one batch, whose mean loss does not depend on the order. The draw matters only
when a caller passes a smaller batch, and the caller then owns the seed.

Read here: `np.random.choice(N, k, replace=False)` where `k` is a name that its function binds
to the very expression `N` in the branch its parameter's default takes (`if batch == -1`, with
`batch=-1`), and whose drawn indices are read only to index data (`x[ids]`).
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.randomness import Usage, enclosing_function

__all__ = ["whole_batch_reason"]


def whole_batch_reason(use: Usage, call: ast.Call) -> str | None:
    """Why an index draw changes no result: with the default it is a permutation of all
    rows that only indexes data.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "def fit(x, batch=-1):\\n    if batch == -1:\\n        size = x.shape[0]\\n"
        ...     "    else:\\n        size = batch\\n"
        ...     "    ids = np.random.choice(x.shape[0], size, replace=False)\\n"
        ...     "    return x[ids].mean()"
        ... )
        >>> tree = ast.parse(code)
        >>> draw = tree.body[0].body[1].value
        >>> whole_batch_reason(Usage(tree), draw).startswith("with batch=-1")
        True
    """
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    replace = kw.get("replace")
    if not (
        leaf_name(call.func) == "choice"
        and len(call.args) >= 2
        and isinstance(replace, ast.Constant)
        and replace.value is False
        and isinstance(call.args[1], ast.Name)
    ):
        return None
    func = enclosing_function(use, call)
    drawn = use.up(call)
    if func is None or not (
        isinstance(drawn, ast.Assign)
        and len(drawn.targets) == 1
        and isinstance(drawn.targets[0], ast.Name)
    ):
        return None
    population = ast.unparse(call.args[0])
    param = _default_branch_binds(func, call.args[1].id, population, use)
    if param is None or not _only_indexes(func, drawn.targets[0].id, use):
        return None
    return (
        f"with {param} the draw takes all {population} rows in some order, and the indices "
        "only select them: each step's batch is the whole data set"
    )


def _default_branch_binds(
    func: ast.FunctionDef | ast.AsyncFunctionDef, size: str, population: str, use: Usage
) -> str | None:
    """`param=default` when `size` is bound to `population` in an `if` whose test compares a
    parameter with its own default (`if batch == -1 or ...:`)."""
    defaults = _defaults(func)
    for stmt in ast.walk(func):
        if not (
            isinstance(stmt, ast.Assign)
            and [ast.unparse(t) for t in stmt.targets] == [size]
            and ast.unparse(stmt.value) == population
        ):
            continue
        branch = use.up(stmt)
        if not (isinstance(branch, ast.If) and stmt in branch.body):
            continue
        for test in ast.walk(branch.test):
            if not (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq)
                and isinstance(test.left, ast.Name)
            ):
                continue
            value = _literal(test.comparators[0])
            name = test.left.id
            if name in defaults and defaults[name] == value and type(defaults[name]) is type(value):
                return f"{name}={value!r}"
    return None


def _defaults(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, object]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    out: dict[str, object] = {}
    pairs = [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d),
    ]
    for arg, default in pairs:
        value = _literal(default)
        if value is not _NONE:
            out[arg.arg] = value
    return out


_NONE = object()


def _literal(node: ast.expr) -> object:
    """The value of a constant or a negated number (`-1`); `_NONE` for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, int | float)
    ):
        return -node.operand.value
    return _NONE


def _only_indexes(func: ast.AST, name: str, use: Usage) -> bool:
    """Every read of `name` in `func` is the index of a subscript (`x[name]`)."""
    reads = [
        n
        for n in ast.walk(func)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]
    for read in reads:
        parent = use.up(read)
        if not (isinstance(parent, ast.Subscript) and parent.slice is read):
            return False
    return bool(reads)
