"""Targets minus predictions: an error series, whose own statistics fit nothing.

`fit-on-test` reports a statistic of the test set written back into the test rows, because
the rows then shape their own preprocessing. Residuals (`y_test - y_pred`) are not the test
rows: centring them by their own mean inside an autocorrelation or a normality diagnostic
(`x - np.mean(x)`, the definition of the ACF) describes a model's errors and feeds no model.
Likewise an error metric divided by a statistic of the test targets (auto-ts's
`norm_rmse = rmse / y_test.std()`, a normalised RMSE) is a score being reported.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from team.review.values import Data

__all__ = ["as_residual", "scales_error"]

# Names that announce predictions when the value's own origin is unknown (a forecast handed
# in as a parameter, read back from a dict of predictions); `predictors` names feature columns.
_PREDICTION_NAME = re.compile(r"pred(?!ictor)|forecast|yhat|y_hat|fcst")
# Names of an error measure (`rmse`, `val_mae`, `errors`), for a value whose origin is unknown:
# auto-ts's `rmse = print_rmse(y_test, model.predict(X_test))` calls a name it never imports.
_ERROR_NAME = re.compile(r"(?:^|_)(?:r?mse|mae|mape|smape|rmsle|errors?|residuals?)(?:$|_)")


def _names_prediction(node: ast.expr) -> bool:
    """`y_pred`, `self.forecast`, `np.asarray(y_hat)`: the expression names a prediction."""
    return any(
        (isinstance(n, ast.Name) and _PREDICTION_NAME.search(n.id.lower()))
        or (isinstance(n, ast.Attribute) and _PREDICTION_NAME.search(n.attr.lower()))
        for n in ast.walk(node)
    )


def _names_error(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and bool(_ERROR_NAME.search(node.id.lower()))


def _prediction(value: object, node: ast.expr) -> bool:
    return (
        isinstance(value, Data)
        and not value.reduced
        and (bool(value.preds) or _names_prediction(node))
    )


def as_residual(node: ast.BinOp, left: object, right: object, out: Data) -> Data:
    """`out` marked as a residual when `node` subtracts a prediction from row data (or row
    data from a prediction): both sides hold rows, so no statistic is being removed."""
    if not isinstance(node.op, ast.Sub):
        return out
    if not all(isinstance(v, Data) and not v.reduced for v in (left, right)):
        return out
    if _prediction(left, node.left) == _prediction(right, node.right):
        return out  # two predictions, or no prediction: not targets minus forecasts
    return replace(out, residual=True)


def scales_error(node: ast.BinOp, left: object, right: object) -> bool:
    """`node` divides an error made from predictions (`rmse_of(y_test, pred)`, `y_test - pred`)
    by a statistic: it normalises a score, and writes nothing into the test rows. A product is
    left alone: `pred * y_test.std()` puts the test targets' scale back into the predictions."""
    return (
        isinstance(node.op, ast.Div)
        and isinstance(left, Data)
        and not left.reduced
        and (left.residual or _prediction(left, node.left) or _names_error(node.left))
        and isinstance(right, Data)
        and right.reduced
        and bool(right.stats)
    )
