"""When a module's random draws are the design of a simulation, not a missing seed.

A solver benchmark over random problem instances, a Monte Carlo check of a test's p-values, a demo
that marks dummy trials failed at random: each pass of a loop draws a new instance and nothing is
learned from or scored on them. A seed would fix which instances are drawn, and no reported
number is a model's result. Data drawn in a loop and then fitted on are still reported.
Two more designs: the simulated observation noise of a benchmark objective, drawn only under
`if with_noise:` (a parameter: the caller turns the noise off or seeds it), and a shuffle that
only spreads work over threads, processes or hosts (no result depends on the order), or a
random wait (`time.sleep(random.uniform(0, 5))`) that staggers connections.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.catalog import CV_FUNCTIONS, RICH_METRIC_NAMES, words
from team.review.randomness import Usage, enclosing_function

__all__ = ["simulation_reason"]

# What learning or scoring looks like from the calling side (a gradient or optimizer step too):
# any of these makes a module's draws feed a fitted model or a reported metric.
_LEARNING = re.compile(
    r"^(fit\w*|partial_fit|train\w*|backward|grad|gradients?|step|evaluate|score|predict\w*"
    r"|compile|\w+_(score|error|loss))$"
)
_SCORERS = RICH_METRIC_NAMES | CV_FUNCTIONS | words("accuracy_score classification_report")


def _in_range_loop(use: Usage, node: ast.AST) -> bool:
    parent = use.up(node)
    while parent is not None:
        if (
            isinstance(parent, ast.For)
            and isinstance(parent.iter, ast.Call)
            and leaf_name(parent.iter.func) == "range"
        ):
            return True
        parent = use.up(parent)
    return False


def _replicated(use: Usage, call: ast.Call) -> bool:
    """The draw runs once per pass of a `for ... in range(n)` loop, in the loop's body or in the
    function it sits in, called there: each pass gets a new random instance."""
    if _in_range_loop(use, call):
        return True
    func = enclosing_function(use, call)
    return func is not None and any(
        _in_range_loop(use, load)
        for load in use.loads.get(func.name, [])
        if isinstance(use.up(load), ast.Call)
    )


def _learns_nothing(tree: ast.Module) -> bool:
    """No call in the module fits, trains, predicts with, compiles or scores a model, and none
    computes a metric."""
    return not any(
        isinstance(node, ast.Call)
        and (_LEARNING.match(leaf_name(node.func)) or leaf_name(node.func) in _SCORERS)
        for node in ast.walk(tree)
    )


_NOISE_FLAG = re.compile(r"nois", re.I)
_DISPATCH = words("Thread Process Pool ThreadPoolExecutor ProcessPoolExecutor Popen")


def _noise_switch(use: Usage, call: ast.Call) -> str | None:
    """The draw sits under `if with_noise:`, a parameter of its function: the flag it returns."""
    func = enclosing_function(use, call)
    if func is None:
        return None
    args = func.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    parent = use.up(call)
    while parent is not None and parent is not func:
        if (
            isinstance(parent, ast.If)
            and isinstance(parent.test, ast.Name)
            and parent.test.id in params
            and _NOISE_FLAG.search(parent.test.id)
        ):
            return parent.test.id
        parent = use.up(parent)
    return None


def _dispatches_work(use: Usage, call: ast.Call) -> bool:
    """A shuffle in a function that starts threads, processes or subprocesses: it spreads the
    work, whose results do not depend on the order."""
    func = enclosing_function(use, call)
    if func is None or leaf_name(call.func) != "shuffle":
        return False
    return any(
        isinstance(node, ast.Call)
        and (
            leaf_name(node.func) in _DISPATCH
            or (
                isinstance(node.func, ast.Attribute)
                and ast.unparse(node.func.value) == "subprocess"
            )
        )
        for node in ast.walk(func)
    )


def simulation_reason(use: Usage, call: ast.Call, tree: ast.Module) -> str | None:
    """Why a bare draw is the design of a simulation (no seed wanted); else None."""
    if _replicated(use, call) and _learns_nothing(tree):
        return (
            "a simulation: each pass of a loop draws a new random instance, and the module "
            "fits and scores no model, so the draws are its design"
        )
    if (flag := _noise_switch(use, call)) is not None:
        return f"simulated noise, drawn only when the caller asks for it ({flag})"
    if isinstance(parent := use.up(call), ast.Call) and leaf_name(parent.func) == "sleep":
        return "a random wait (it staggers the work), no result depends on it"
    if _dispatches_work(use, call):
        return "it only shuffles the order work is handed to threads, processes or hosts"
    return None
