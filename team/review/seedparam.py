"""A draw inside a class whose constructor takes the seed and hands it to a seeding call.

sb3-contrib's algorithms (CrossQ, QR-DQN, TQC, TRPO) take `seed` in `__init__` and pass it on
with `super().__init__(..., seed=seed)` to their stable-baselines3 base class, whose
`_setup_model` calls `self.set_random_seed(self.seed)` and so seeds Python, NumPy, torch, the
environment and its action space. The replay buffer's samples and the training loop's draws in
`train` are then fixed by the seed the caller chooses: a library class with a seed parameter,
not an unseeded run.

Read per class holding the finding: its `__init__` takes `seed` or `random_seed`, and that very
parameter
- reaches a call of the class or its module that seeds every generator (`set_random_seed(seed)`,
  or `self.set_random_seed(self.seed)` in any method once `__init__` stores `self.seed = seed`),
  not the seed of one library: bsuite's TF agents call `tf.random.set_seed(seed)` and still
  sample their replay with numpy's unseeded global generator; or
- is handed on as `super().__init__(..., seed=seed)` to a base class that is either read the
  same way (defined in the repository, followed through its own bases), or not in the reviewed
  code at all (a library's base class, whose code is not here to read).
A class that takes a seed and seeds nothing with it (a base of the repository that only stores
it) silences nothing; nor does `random_state`, which sklearn-style classes hand to their
estimators (a class that keeps it and draws without it is reported by `droppedseed`).
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.core import Finding, Note
from team.review.seedfacts import seed_kind
from team.review.sources import RepoIndex, SourceFile

__all__ = ["seeded_by_parameter"]

_RULE = "unseeded-randomness"
_SEED_NAMES = frozenset({"seed", "random_seed"})


def seeded_by_parameter(
    src: SourceFile, repo: RepoIndex, found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings inside a class whose constructor's seed
    parameter reaches a seeding call, and a note, for `--explain`, at each of them."""
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        cls = _class_at(src.tree, finding.line) if finding.rule == _RULE else None
        why = _seeds_its_parameter(src, repo, cls, depth=3) if cls is not None else None
        if cls is None or why is None:
            kept.append(finding)
            continue
        text = f"{cls.name}.__init__ takes the seed and {why}: the caller chooses it"
        notes.append(Note(finding.path, finding.line, finding.rule, text))
    return kept, notes


def _class_at(tree: ast.Module, line: int) -> ast.ClassDef | None:
    """The innermost class whose body holds `line`."""
    inner: ast.ClassDef | None = None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ClassDef)
            and node.lineno <= line <= (node.end_lineno or 0)
            and (inner is None or node.lineno > inner.lineno)
        ):
            inner = node
    return inner


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    for func in cls.body:
        if isinstance(func, ast.FunctionDef) and func.name == "__init__":
            return func
    return None


def _seeds_its_parameter(
    src: SourceFile, repo: RepoIndex, cls: ast.ClassDef, *, depth: int
) -> str | None:
    """How the seed `cls.__init__` takes reaches a seeding call; None when it does not."""
    init = _init(cls)
    if init is None:
        return None
    params = {a.arg for a in [*init.args.args, *init.args.kwonlyargs]} & _SEED_NAMES
    if not params:
        return None
    kept = _stored_as(init, params)
    for node in ast.walk(cls):
        if not isinstance(node, ast.Call):
            continue
        if _hands_on(node, params) and _is_super_init(node):
            return _base_seeds(src, repo, cls, depth=depth)
        if _seeding_call(src, repo, node) and _passes(node, params, kept):
            return f"seeds with it at line {node.lineno}"
    return None


def _stored_as(init: ast.FunctionDef, params: set[str]) -> set[str]:
    """The attributes `__init__` stores a seed parameter in (`self.seed = seed`)."""
    out: set[str] = set()
    for stmt in ast.walk(init):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id in params
        ):
            out |= {
                t.attr
                for t in stmt.targets
                if isinstance(t, ast.Attribute)
                and isinstance(t.value, ast.Name)
                and t.value.id == "self"
            }
    return out


def _passes(call: ast.Call, params: set[str], kept: set[str]) -> bool:
    """The call is given the seed parameter itself or the attribute it is stored in."""
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, ast.Name) and arg.id in params:
            return True
        if (
            isinstance(arg, ast.Attribute)
            and arg.attr in kept
            and isinstance(arg.value, ast.Name)
            and arg.value.id == "self"
        ):
            return True
    return False


def _hands_on(call: ast.Call, params: set[str]) -> bool:
    """`seed=seed`: the parameter is passed on under a seed's name."""
    return any(
        k.arg in _SEED_NAMES and isinstance(k.value, ast.Name) and k.value.id in params
        for k in call.keywords
    )


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _seeding_call(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """A helper of the class or module named for seeding every generator (`set_random_seed`,
    `self.set_random_seed`); not a seed of one library (`tf.random.set_seed` leaves numpy's
    draws unseeded) nor of one generator object (`self._rng.seed`)."""
    func = call.func
    own = isinstance(func, ast.Name) or (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    )
    return own and seed_kind(repo.qualify(src, func) or leaf_name(func)) == "all"


def _base_seeds(src: SourceFile, repo: RepoIndex, cls: ast.ClassDef, *, depth: int) -> str | None:
    """Why the base class `cls` hands its seed to seeds: its code is not in the reviewed
    folder, or it seeds with it (read the same way, `depth` bases up)."""
    if not cls.bases:
        return None
    base = cls.bases[0]
    local = repo.defs(src).get(leaf_name(base)) if isinstance(base, ast.Name) else None
    found = repo.resolve(repo.qualify(src, base) or "")
    home, node = (src, local) if local is not None else found or (None, None)
    name = ast.unparse(base)
    if node is None:
        return f"hands it to its base class {name}, whose code is not in the reviewed folder"
    if not isinstance(node, ast.ClassDef) or home is None or depth == 0:
        return None
    how = _seeds_its_parameter(home, repo, node, depth=depth - 1)
    return f"hands it to {name}, which {how}" if how else None
