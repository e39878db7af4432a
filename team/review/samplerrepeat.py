"""A call of a repository sampler whose own draw is reported is no second finding.

The Autonomous Learning Library's DQN, DDQN, DDPG and SAC agents call
`self.replay_buffer.sample(self.minibatch_size)`; `ExperienceReplayBuffer.sample` in
`memory/replay_buffer.py` draws its keys with `np.random.choice` from NumPy's global generator,
and that draw is reported there. Read as `DataFrame.sample` without `random_state`, each agent's
call was reported again: one missing seed, five findings.

So an `unseeded-randomness` finding that stands for one `self.<attr>.sample(...)` call alone (no
other draw listed with it), in a module that calls no seeder of any library, is dropped when a
class of another module of the repository has a `sample` method whose draw from NumPy's or
Python's global generator is itself reported. A module that seeds something of its own
(bsuite's TF agents seed TensorFlow and keep a `RandomState`, yet sample their replay from
NumPy's global stream), a sampler whose draw is not reported, and a receiver that is not an
attribute of `self` keep the finding.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from team.review.core import Finding
    from team.review.sources import SourceFile

__all__ = ["fold_sampler_repeats"]

_RULE = "unseeded-randomness"
_GLOBAL_DRAWS = ("np.random.", "numpy.random.", "random.")


def fold_sampler_repeats(findings: list[Finding], sources: list[SourceFile]) -> list[Finding]:
    """`findings` without the ones that only repeat a reported draw of a repository sampler."""
    reported = {(f.path, f.line) for f in findings if f.rule == _RULE}
    samplers = _reported_samplers(sources, reported)
    if not samplers:
        return findings
    by_rel = {src.rel: src for src in sources}
    return [
        f
        for f in findings
        if not (
            f.rule == _RULE
            and "also affects" not in f.message
            and (src := by_rel.get(f.path)) is not None
            and any(rel != f.path for rel in samplers)
            and _lone_self_sample(src, f.line)
        )
    ]


def _reported_samplers(sources: list[SourceFile], reported: set[tuple[str, int]]) -> set[str]:
    """Modules holding a class method `sample` whose global-generator draw is reported."""
    out: set[str] = set()
    for src in sources:
        for cls in ast.walk(src.tree):
            if not isinstance(cls, ast.ClassDef):
                continue
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name == "sample":
                    draws = [
                        n.lineno
                        for n in ast.walk(fn)
                        if isinstance(n, ast.Call) and ast.unparse(n.func).startswith(_GLOBAL_DRAWS)
                    ]
                    if any((src.rel, line) in reported for line in draws):
                        out.add(src.rel)
    return out


def _lone_self_sample(src: SourceFile, line: int) -> bool:
    """Line `line` of `src` calls `self.<attr>.sample(...)`, and the module calls no seeder."""
    calls = [n for n in ast.walk(src.tree) if isinstance(n, ast.Call)]
    if any("seed" in ast.unparse(c.func).lower() for c in calls):
        return False
    return any(
        c.lineno == line
        and isinstance(c.func, ast.Attribute)
        and c.func.attr == "sample"
        and isinstance(c.func.value, ast.Attribute)
        and isinstance(c.func.value.value, ast.Name)
        and c.func.value.value.id == "self"
        for c in calls
    )
