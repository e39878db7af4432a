"""A split written as two slices of one array at one bound: `X[:n]` and `X[n:]`.

`create_train_val_split` in crypto-trader-analysis keeps the first 90% of the windows for
training and the rest for validation with `historical_prices[:train_size]` and
`historical_prices[train_size:]`, each inside the tuple it hands `from_tensor_slices`. Neither
part is named, so no train/validation name marks the rows; the two slices of the same array at
the same bound, one up to it and one from it, in the same function, are the split. A slice with
no partner (`seq[:n]` alone, `X[-1:]` for the last window, `X[:n]` and `X[m:]`) cuts nothing in
two.
"""

from __future__ import annotations

import ast
from functools import lru_cache

__all__ = ["complement_in", "split_bound"]


def split_bound(node: ast.Subscript) -> tuple[str, str, bool] | None:
    """(the sliced array, the bound, whether the slice is the head) of `X[:n]` or `X[n:, 0]`;
    None for any other subscript."""
    first = (
        node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
    )
    if not isinstance(first, ast.Slice) or first.step is not None:
        return None
    if (first.lower is None) == (first.upper is None):
        return None
    bound = first.upper if first.lower is None else first.lower
    return ast.dump(node.value), ast.dump(bound), first.lower is None  # type: ignore[arg-type]


@lru_cache(maxsize=64)  # asked at every slice of one function
def _slices(body: ast.AST) -> frozenset[tuple[str, str, bool]]:
    """Every head or tail slice written in `body` (a function or a module)."""
    found = (split_bound(n) for n in ast.walk(body) if isinstance(n, ast.Subscript))
    return frozenset(s for s in found if s is not None)


def complement_in(body: ast.AST, node: ast.Subscript) -> bool:
    """`node` slices an array up to (or from) a bound and `body` also slices it from (up to) it.

    >>> tree = ast.parse("a, b = X[:n], X[n:]\\nc = X[:m]\\nd = Y[-1:]")
    >>> subscripts = sorted(
    ...     (n for n in ast.walk(tree) if isinstance(n, ast.Subscript)),
    ...     key=lambda n: (n.lineno, n.col_offset),
    ... )
    >>> [(ast.unparse(n), complement_in(tree, n)) for n in subscripts]
    [('X[:n]', True), ('X[n:]', True), ('X[:m]', False), ('Y[-1:]', False)]
    """
    own = split_bound(node)
    if own is None:
        return False
    array, bound, head = own
    return (array, bound, not head) in _slices(body)
