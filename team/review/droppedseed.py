"""A class that takes a seed and draws without it.

MLBox's `DriftThreshold.__init__` takes `random_state`, documented as the "Seed for cv and
subsampling", and keeps it as `self.random_state`; its `fit` then subsamples both datasets with
`df.sample(frac=self.subsample)` and no `random_state`, so the rows of each fold, and which
features it drops, change from run to run. `DriftEstimator` takes the same seed for its folds
and builds its default `RandomForestClassifier` without it. The caller passed a seed and the
draws ignore it: nothing but that seed was meant to fix them.

The module-wide check does not see them: a class that stores `self.random_state = ...` sets the
attribute other estimators are seeded through, which that check reads as "seeded later". Read
here, per class:
- the class's `__init__` takes `random_state`, `seed` or `random_seed` and stores it on `self`;
- a `DataFrame.sample` (given `frac=` or `n=`) in the class, or a random estimator of a library
  built there (also as a default argument), gets no seed keyword and no `**` spread;
- estimators are left alone when they draw nothing (`KMeans(init=centres)`, autoviml's
  second k-means pass) or the class seeds one later (`est.set_params(random_state=...)`,
  `est.random_state = ...`), and everything when the module seeds numpy's global generator.
One finding per class, at its first subsample (else its first estimator), the others listed.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import RANDOM_ESTIMATORS
from team.review.core import Finding
from team.review.findingtext import make_finding
from team.review.randomness import starts_from_given_centres
from team.review.sources import RepoIndex, SourceFile

__all__ = ["dropped_seed_draws"]

_RULE = "unseeded-randomness"
_SEED_PARAMS = frozenset({"random_state", "seed", "random_seed"})
_SAMPLE_SIZES = frozenset({"frac", "n"})


def dropped_seed_draws(src: SourceFile, repo: RepoIndex, seeds: set[str]) -> list[Finding]:
    """One finding per class whose draws ignore the seed its `__init__` takes and keeps.
    `seeds`: what the module seeds (`numpy`, `all`, ...); numpy's global seed fixes them all."""
    if seeds & {"numpy", "all"}:
        return []
    out: list[Finding] = []
    for cls in (n for n in ast.walk(src.tree) if isinstance(n, ast.ClassDef)):
        kept = _kept_seed(cls)
        if kept is None:
            continue
        draws = _draws(cls, src, repo)
        if not draws:
            continue
        (line, what), rest = draws[0], draws[1:]
        also = "; ".join(f"line {n}: {w}" for n, w in rest)
        out.append(
            make_finding(
                src,
                _RULE,
                line,
                f"{what} draws without the seed: {cls.name}.__init__ takes {kept} and keeps it "
                f"as self.{kept}, but this draw is not given it, so the seed the caller passes "
                f"does not fix it and every run differs. Pass random_state=self.{kept}."
                + (f" The same seed is also dropped at {also}." if also else ""),
                trace=tuple(f"random: {w} ({src.rel}:{n})" for n, w in draws),
            )
        )
    return out


def _kept_seed(cls: ast.ClassDef) -> str | None:
    """The seed parameter of the class's `__init__` that it stores as `self.<same name>`."""
    init = next(
        (f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None
    )
    if init is None:
        return None
    params = {a.arg for a in [*init.args.args, *init.args.kwonlyargs]} & _SEED_PARAMS
    for stmt in ast.walk(init):
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name)):
            continue
        for target in stmt.targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and target.attr == stmt.value.id
                and stmt.value.id in params
            ):
                return stmt.value.id
    return None


def _draws(cls: ast.ClassDef, src: SourceFile, repo: RepoIndex) -> list[tuple[int, str]]:
    """(line, what) of the class's unseeded draws: subsamples first, then estimators."""
    calls = sorted(
        (n for n in ast.walk(cls) if isinstance(n, ast.Call)),
        key=lambda c: (c.lineno, c.col_offset),
    )
    unseeded = [c for c in calls if not _given_a_seed(c)]
    samples = [
        (c.lineno, f"{ast.unparse(c.func)}()")
        for c in unseeded
        if leaf_name(c.func) == "sample" and _SAMPLE_SIZES & {k.arg for k in c.keywords}
    ]
    if _seeds_later(calls, cls):
        return samples
    estimators = [
        (c.lineno, f"{leaf_name(c.func)}()")
        for c in unseeded
        if leaf_name(c.func) in RANDOM_ESTIMATORS
        and _from_a_library(c, src, repo)
        and not starts_from_given_centres(leaf_name(c.func), c)
    ]
    return [*samples, *estimators]


def _given_a_seed(call: ast.Call) -> bool:
    return any(k.arg is None or k.arg in _SEED_PARAMS for k in call.keywords)


def _from_a_library(call: ast.Call, src: SourceFile, repo: RepoIndex) -> bool:
    """The constructor is imported from a library, not defined in the repository."""
    qual = repo.qualify(src, call.func) or ""
    return "." in qual and repo.resolve(qual) is None


def _seeds_later(calls: list[ast.Call], cls: ast.ClassDef) -> bool:
    """The class seeds an estimator after building it: `set_params(random_state=...)` (or with
    a spread), or an assignment to another object's `.random_state`."""
    if any(leaf_name(c.func) == "set_params" and _given_a_seed(c) for c in calls):
        return True
    return any(
        isinstance(node, ast.Assign)
        and any(
            isinstance(t, ast.Attribute)
            and t.attr in _SEED_PARAMS
            and not (isinstance(t.value, ast.Name) and t.value.id == "self")
            for t in node.targets
        )
        for node in ast.walk(cls)
    )
