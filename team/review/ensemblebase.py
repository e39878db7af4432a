"""A base estimator that a bagging or boosting ensemble reseeds, whether or not it is seeded.

scikit-learn's `BaggingClassifier` and `AdaBoostClassifier` (and imbalanced-learn's ensembles
built on them) clone their base estimator for each member and overwrite the clone's
`random_state` with a seed drawn from the ensemble's own (`_set_random_states`). The base
estimator's seed never reaches a fitted model: with the ensemble seeded the run repeats, without
it the ensemble is the unseeded call (and reported there). mlaut's
`base_estimator = {'classifier': [DecisionTreeClassifier()]}`, searched as the `base_estimator`
of a `GridSearchCV(BaggingClassifier(), param_grid=...)`, is such a base. Read narrowly: the
estimator (directly, or through names, lists, dicts and subscripts of them) is the first
argument or the `estimator`/`base_estimator` keyword of one of these ensembles, or the value of
the `estimator`/`base_estimator` key of a search grid whose estimator is one of them.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.randomness import Usage

__all__ = ["ensemble_base_reason"]

_RESEEDING = words(
    "BaggingClassifier BaggingRegressor AdaBoostClassifier AdaBoostRegressor "
    "BalancedBaggingClassifier EasyEnsembleClassifier RUSBoostClassifier"
)
_BASE_PARAMS = words("estimator base_estimator")
_GRID_PARAMS = words("param_grid param_distributions")
_DEPTH = 3


def ensemble_base_reason(use: Usage, call: ast.Call) -> str | None:
    """Why the estimator built by `call` needs no seed of its own: the ensemble it is the base
    of reseeds it; else None."""
    ensemble = _reseeding_ensemble(use, call, 0)
    if ensemble is None:
        return None
    return f"the base estimator of {ensemble}: the ensemble sets each copy's random_state"


def _reseeding_ensemble(use: Usage, node: ast.AST, depth: int) -> str | None:
    """Climb from `node` through containers to the call that receives it; follow a name it is
    assigned to (a few levels) when no call does."""
    key: str | None = None
    parent = use.up(node)
    while isinstance(parent, ast.List | ast.Tuple | ast.Set | ast.Dict | ast.Subscript):
        if isinstance(parent, ast.Subscript) and parent.value is not node:
            return None  # an index, not the container
        if isinstance(parent, ast.Dict):
            if node not in parent.values:
                return None
            k = parent.keys[parent.values.index(node)]
            key = k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None
        node, parent = parent, use.up(parent)
    if isinstance(parent, ast.keyword):
        receiver = use.up(parent)
        if isinstance(receiver, ast.Call):
            return _received(use, receiver, parent.arg, key)
        return None
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
        return _received(use, parent, None, key)
    if isinstance(parent, ast.Assign) and depth < _DEPTH and parent.value is node:
        names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
        loads = [load for n in names for load in use.loads.get(n, [])]
        found = [_reseeding_ensemble(use, load, depth + 1) for load in loads]
        ensembles = sorted({e for e in found if e is not None})
        if loads and len(ensembles) == len(set(found)):
            return " and ".join(ensembles)
    return None


def _received(use: Usage, call: ast.Call, param: str | None, key: str | None) -> str | None:
    """`call` gets the estimator as its first argument (`param` None) or keyword `param`."""
    name = leaf_name(call.func)
    if name in _RESEEDING and (param is None or param in _BASE_PARAMS):
        return name
    if param in _GRID_PARAMS and key in _BASE_PARAMS:
        searched = call.args[0] if call.args else _keyword(call, "estimator")
        ensemble = _constructed(use, searched)
        if ensemble in _RESEEDING:
            return ensemble
    return None


def _constructed(use: Usage, node: ast.expr | None) -> str:
    """The class a search's estimator is built from, read through one name binding."""
    if isinstance(node, ast.Name) and len(values := use.assigned.get(node.id, [])) == 1:
        node = values[0]
    return leaf_name(node.func) if isinstance(node, ast.Call) else ""


def _keyword(call: ast.Call, arg: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == arg), None)
