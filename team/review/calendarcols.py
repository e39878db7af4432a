"""Calendar features of independent events: a date's year or hour is a number of the row.

heroalgorithm's Uber sheet parses each ride's pickup time only to take its year, month, day,
hour and weekday as features (`df["hour"] = dt.dt.hour`) of rides that are independent of one
another. Such a number says when one event happened; it does not make the rows a series, and a
random split of them is the right estimate on unseen events. Where a file also reads the history
of its rows (a lag, `shift`, `rolling`, `diff`, `resample`, a cumulative sum), the calendar
columns may sit beside features of the past, so they keep the date's order there.
"""

from __future__ import annotations

import ast
import re

from team.review.catalog import words

__all__ = ["is_calendar_feature"]

_CALENDAR = words(
    "year month day hour minute second dayofweek day_of_week weekday dayofyear day_of_year "
    "quarter week weekofyear days_in_month daysinmonth is_month_start is_month_end "
    "is_quarter_start is_quarter_end is_year_start is_year_end is_leap_year"
)
_HISTORY = words(
    "shift rolling diff expanding ewm resample pct_change cumsum cumcount cumprod cummax cummin"
)
_ARRAY_MODULES = words("np numpy torch math")
_LAG = re.compile(r"(^|_)lags?(\d|_|$)", re.I)


def is_calendar_feature(node: ast.Attribute, tree: ast.Module) -> bool:
    """`x.dt.hour`: a calendar number of a date, in a module that reads no history of its rows."""
    return (
        node.attr in _CALENDAR
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "dt"
        and not _reads_history(tree)
    )


def _reads_history(tree: ast.Module) -> bool:
    """The module computes something from earlier rows: a `.shift(...)`, `.rolling(...)`,
    `.diff(...)`... on data (not NumPy's `np.cumsum` of a vector), or names a lag."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _HISTORY
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id in _ARRAY_MODULES)
        ):
            return True
        name = (
            node.id
            if isinstance(node, ast.Name)
            else node.value
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            else getattr(node, "attr", None) or getattr(node, "arg", None)
        )
        if isinstance(name, str) and _LAG.search(name):
            return True
    return False
