"""One `unseeded-randomness` finding per statement, whatever generators its draws use.

The draws of a module are grouped by the seed that would fix them (numpy's, python's `random`,
...), one finding per group at its first draw. When two groups start in the same statement,
say pytorch-tabular's GFLU feature mask, `torch.distributions.Beta(
torch.tensor([random.uniform(0.5, 10.0)]), ...).sample(...)` laid over lines 36 and 37, that
one statement would be reported twice, once per line. A reader sees one problem there: the
later group joins the earlier one's finding, which lists its draws as other places the
missing seeds affect.
"""

from __future__ import annotations

import ast

from team.review.randomness import Usage

__all__ = ["one_per_statement", "statement_span"]

Place = tuple[int, str]
"""A draw's line and what the finding says of it."""
Span = tuple[int, int]


def statement_span(use: Usage, call: ast.Call) -> Span:
    """First and last line of the statement the call sits in."""
    stmt, _ = use.holder(call)
    first = getattr(stmt, "lineno", call.lineno)
    return first, getattr(stmt, "end_lineno", None) or first


def one_per_statement(
    places: dict[str, list[Place]], spans: dict[int, Span]
) -> dict[tuple[str, ...], list[Place]]:
    """`places` (generator kind -> its draws, first draw first) with every group whose first
    draw lies in the statement of an earlier group's first draw folded into that group, keyed
    by the kinds each group now holds.

    Args:
        places: The draws of each kind, in source order.
        spans: A draw's line -> the lines of its statement.

    Example:
        >>> one_per_statement(
        ...     {"numpy": [(36, "a")], "random": [(37, "b"), (38, "c")]},
        ...     {36: (34, 45), 37: (34, 45), 38: (34, 45)},
        ... )
        {('numpy', 'random'): [(36, 'a'), (37, 'b'), (38, 'c')]}
    """
    groups: dict[str, list[Place]] = {}
    kinds: dict[str, list[str]] = {}
    owner: dict[Span, str] = {}
    for kind, found in sorted(places.items(), key=lambda item: item[1][0][0]):
        span = spans.get(found[0][0])
        if span is not None and span in owner:
            groups[owner[span]].extend(found)
            kinds[owner[span]].append(kind)
            continue
        groups[kind], kinds[kind] = list(found), [kind]
        if span is not None:
            owner[span] = kind
    return {tuple(kinds[kind]): found for kind, found in groups.items()}
