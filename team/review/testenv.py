"""A search method scored on the class's test environment, whose best trial is reported on it.

FinRL's `TuneSB3Optuna` is built with `env_train` and `env_trade`, which its docstring lists as
"env_trade: testing environment". `study.optimize(self.objective)` scores every trial by the
Sharpe ratio of a backtest on `self.env_trade`, and `backtest` loads `study.best_trial` and
reports its backtest on the same `self.env_trade`. The reported Sharpe is the best of all the
trials on the period it reports: the hyperparameters are tuned on the test data.

Narrow on purpose: the objective is a method handed to a search as `self.<name>`
(`study.optimize(self.objective)`); its returned value comes, a few assignments back, from a
call given an attribute of the instance that is the test data (named for the test split, or
documented as a test or held-out set in the class's or its `__init__`'s docstring); and another
method reads the search's best result (`best_trial`, `best_params`, `best_value`) and uses the
same attribute, so the chosen trial is reported on the data it was chosen on.
"""

from __future__ import annotations

import ast
import re

from team.review.callbacks import SEARCHES, bindings
from team.review.calltools import leaf_name
from team.review.catalog import role_hint, words
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.sources import SourceFile

__all__ = ["tuned_on_test_environment"]

_BEST = words("best_trial best_params best_value best_trials")
# `env_trade: testing environment`, `test_data (DataFrame): held-out rows`.
_DOCUMENTED = re.compile(r"^\s*(\w+)\s*(?:\([^)]*\))?\s*:\s*(.+)$")
_TEST_WORDS = re.compile(r"\b(test|testing|held[- ]?out|holdout)\b", re.IGNORECASE)
_Func = ast.FunctionDef | ast.AsyncFunctionDef


def tuned_on_test_environment(src: SourceFile) -> list[Finding]:
    """One `test-set-tuning` finding per search method scored on the instance's test data,
    in a class that reports the search's best trial on that data."""
    searched = _searched_methods(src.tree)
    out: list[Finding] = []
    for cls in (n for n in ast.walk(src.tree) if isinstance(n, ast.ClassDef)):
        methods = [f for f in cls.body if isinstance(f, _Func)]
        test_data = _test_attributes(cls, methods)
        for fn in (f for f in methods if f.name in searched):
            found = _scored_on(fn, bindings(fn), test_data)
            if found is None:
                continue
            ret, call, attr = found
            report = next((m for m in methods if m is not fn and _reports_best_on(m, attr)), None)
            if report is None:
                continue
            out.append(
                make_finding(
                    src,
                    "test-set-tuning",
                    ret.lineno,
                    f"{fn.name}() is the search's objective and its score comes from "
                    f"{ast.unparse(call.func)}() on self.{attr}, {test_data[attr]}; "
                    f"{report.name}() then reports the best trial on the same self.{attr} "
                    f"(line {report.lineno}): the hyperparameters are chosen on the test data, "
                    "so the reported result is the best of all trials on it. Score the trials on "
                    "a validation period or split and test the chosen one once.",
                    trace=(
                        f"select: {fn.name}() on self.{attr} ({src.rel}:{ret.lineno})",
                        f"report: {report.name}() on self.{attr} ({src.rel}:{report.lineno})",
                    ),
                )
            )
    return out


def _searched_methods(tree: ast.Module) -> set[str]:
    """Methods handed to a search call as `self.<name>` (`study.optimize(self.objective)`)."""
    handed = {
        _self_attribute(a)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and leaf_name(node.func) in SEARCHES
        for a in [*node.args, *(k.value for k in node.keywords)]
    }
    return {name for name in handed if name is not None}


def _self_attribute(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        return node.attr
    return None


def _test_attributes(cls: ast.ClassDef, methods: list[_Func]) -> dict[str, str]:
    """Instance attributes that are the test data, with why: named for the test split, or
    documented as test data in the class's or its `__init__`'s docstring."""
    out: dict[str, str] = {}
    init = next((m for m in methods if m.name == "__init__"), None)
    for owner in (cls, init):
        doc = ast.get_docstring(owner) if owner is not None else None
        for line in (doc or "").splitlines():
            match = _DOCUMENTED.match(line)
            if match and _TEST_WORDS.search(match.group(2)):
                out.setdefault(match.group(1), f'documented as "{match.group(2).strip()}"')
    for method in methods:
        for node in ast.walk(method):
            attr = _self_attribute(node) if isinstance(node, ast.expr) else None
            if attr is not None and role_hint(attr) == "test":
                out.setdefault(attr, "named for the test split")
    return out


def _scored_on(
    fn: _Func, bound: dict[str, list[ast.expr]], test_data: dict[str, str]
) -> tuple[ast.Return, ast.Call, str] | None:
    """The return of `fn` whose value comes from a call given one of the test attributes."""
    for ret in (n for n in ast.walk(fn) if isinstance(n, ast.Return)):
        found = _call_on(ret.value, bound, test_data) if ret.value is not None else None
        if found is not None:
            return ret, *found
    return None


def _call_on(
    expr: ast.expr, bound: dict[str, list[ast.expr]], test_data: dict[str, str], depth: int = 3
) -> tuple[ast.Call, str] | None:
    """The call, in `expr` or a few assignments back, that is given a test attribute."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            for given in [*node.args, *(k.value for k in node.keywords)]:
                attr = _self_attribute(given)
                if attr in test_data:
                    return node, attr
        if isinstance(node, ast.Name) and depth > 0:
            for value in bound.get(node.id, []):
                found = _call_on(value, bound, test_data, depth - 1)
                if found is not None:
                    return found
    return None


def _reports_best_on(method: _Func, attr: str) -> bool:
    """The method reads the search's best result and uses the same instance attribute."""
    reads_best = any(isinstance(n, ast.Attribute) and n.attr in _BEST for n in ast.walk(method))
    return reads_best and any(
        isinstance(n, ast.expr) and _self_attribute(n) == attr for n in ast.walk(method)
    )
