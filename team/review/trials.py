"""Search trials left unseeded on purpose, whose best value is then reported.

RL Baselines3 Zoo's hyperparameter search builds each trial's agent with `seed=None` ("We do not
seed the trial"), scores it by one noisy evaluation, and prints `study.best_trial.value` as the
result. Each trial's score is one draw of a random training run; the best of many such draws is
the largest noise as much as the best configuration, and a rerun picks and reports another.

Narrow on purpose: a seed keyword given `None` is the author's choice, which the rest of
`unseeded-randomness` respects (a library call given `seed=None` is not reported). It is reported
here only when
- the call sits in a function a search runs (`study.optimize(objective)`,
  `fmin(objective, ...)`, also as a method, `study.optimize(self.objective)`);
- the call is given `seed=None` / `random_state=None` / `random_seed=None` in so many words;
- the module reads the search's best result (`study.best_value`, `study.best_trial`,
  `trials.best_trial`): the best of those unseeded trials is what it reports.
"""

from __future__ import annotations

import ast

from team.review.catalog import words
from team.review.core import Finding
from team.review.rules import make_finding
from team.review.sources import SourceFile

__all__ = ["unseeded_trials"]

_RULE = "unseeded-randomness"
_SEED_KEYWORDS = words("seed random_state random_seed")
_SEARCHES = words("optimize fmin")
_BEST = words("best_value best_trial")


def unseeded_trials(src: SourceFile) -> list[Finding]:
    """One finding per search objective that builds its model with an explicit `seed=None`,
    in a module that reports the search's best trial."""
    reads = [n for n in ast.walk(src.tree) if isinstance(n, ast.Attribute) and n.attr in _BEST]
    best = min(reads, key=lambda n: n.lineno, default=None)
    if best is None:
        return []
    out: list[Finding] = []
    for func in _objectives(src.tree):
        call = next((c for c in ast.walk(func) if isinstance(c, ast.Call) and _seed_none(c)), None)
        if call is None:
            continue
        out.append(
            make_finding(
                src,
                _RULE,
                call.lineno,
                f"each trial of the search run by {func.name}() trains with a seed of None, and "
                f"the best trial is reported (line {best.lineno}): the best of unseeded, noisy "
                "runs is picked and reported, and a rerun picks and reports another. Seed each "
                "trial, or re-evaluate the chosen configuration over several seeds.",
                trace=(
                    f"random: {ast.unparse(call.func)}(seed=None) ({src.rel}:{call.lineno})",
                    f"select: the best trial ({src.rel}:{best.lineno})",
                ),
            )
        )
    return out


def _seed_none(node: ast.Call) -> bool:
    return any(
        k.arg in _SEED_KEYWORDS and isinstance(k.value, ast.Constant) and k.value.value is None
        for k in node.keywords
    )


def _objectives(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions (or methods, by name) handed first to a search call."""
    handed: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        given = (
            node.args[0]
            if node.args
            else next((k.value for k in node.keywords if k.arg in ("func", "fn")), None)
        )
        if name in _SEARCHES and isinstance(given, ast.Name | ast.Attribute):
            handed.add(given.id if isinstance(given, ast.Name) else given.attr)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in handed
    ]
