"""A draw in a function that only a seeding runner of another module calls, after its seed.

SpikingJelly's `ilc_san/replay_buffer_norm.py` samples its replay buffer with `np.random.randint`
in `ReplayBuffer.sample_batch`, and nothing in that module seeds. The one module that calls
`sample_batch`, `hybrid_td3_cuda_norm.py`, calls `setup_seed(seed)` at the top of the training
function whose loop samples the buffer (a helper that seeds torch, numpy and `random`); the
test script imports the buffer too, but only rebuilds it and never samples it. Every run of the
draw is seeded, so the missing seed is no one's.

Narrow on purpose: the draw sits in a top-level function or a method of a top-level class (not
`__init__`, which any construction runs); some module importing this one calls it by name; and
every such call follows, in the same top-level function of the caller (or at the caller's top
level), a call that seeds every generator (`setup_seed`, `seed_everything`, `set_seed`: `seed_kind`
"all"). A call of it from its own module, a caller that seeds after the call, or one that seeds
only torch leaves the draw reported, except where the draw is a PyTorch training loop's.

DeepRobust's `netmodels/CNN.py` and `resnet.py` each define `train(model, device, loader,
optimizer, epoch)`, a training step whose layers' initial weights are torch's draws. Their one
runner, `train_model.train`, calls `torch.manual_seed(seed)` first, then imports the chosen
module inside a branch (`import deeprobust.image.netmodels.CNN as MODEL`) and calls
`MODEL.train(...)`. For a top-level function the calls are read through the imports that name
its module or itself, wherever they sit; `model.train()`, torch's switch to training mode, is
no call of it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from team.review.core import Finding, Note
from team.review.outside import ProjectModules
from team.review.projectmaker import given_none
from team.review.seedfacts import seed_kind
from team.review.sources import RepoIndex, SourceFile
from team.review.trainloops import TORCH_LOOP

__all__ = ["RunnerSeed", "outside_runner_seeded", "runner_seeded"]

_RULE = "unseeded-randomness"
_Func = ast.FunctionDef | ast.AsyncFunctionDef
_SEEDS_ALL = frozenset({"all"})
# a PyTorch training loop's draws (initial weights, shuffling) are torch's: its seed fixes them
_SEEDS_FOR_TORCH = frozenset({"all", "torch"})


@dataclass(frozen=True)
class RunnerSeed:
    """Every call of `name` in the modules that import its module follows a seed: the first."""

    name: str
    path: str
    line: int
    seeded: str = "every generator"

    def note(self) -> str:
        return (
            f"{self.name}() is called only after a seed of {self.seeded}, in {self.path} "
            f"(seeded at line {self.line})"
        )


@dataclass(frozen=True)
class _Runner:
    """A module importing the one under review: its aliases for that module, and (alias,
    function name) for the functions it imports from it."""

    user: SourceFile
    modules: frozenset[str]
    functions: frozenset[tuple[str, str]]


def runner_seeded(
    src: SourceFile, repo: RepoIndex, found: list[Finding], importers: Iterable[str]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings in a function that the modules importing
    `src` (`importers`, relative paths) call only after seeding every generator (torch's seed
    is enough for a PyTorch training loop), and a note, for `--explain`, at each of them."""
    users = [s for s in repo.sources if s.rel in set(importers)]
    runners: list[_Runner] | None = None
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        name = _function_at(src.tree, finding.line) if finding.rule == _RULE else None
        kinds = _SEEDS_FOR_TORCH if finding.message.startswith(TORCH_LOOP) else _SEEDS_ALL
        if name is None:
            seed = None
        elif _is_function(src.tree, name):
            runners = _module_runners(src, repo) if runners is None else runners
            seed = _seeded_module_callers(src, repo, runners, name, kinds)
        else:
            seed = _seeded_callers(src, repo, users, name)
        if seed is None:
            kept.append(finding)
        else:
            notes.append(Note(finding.path, finding.line, finding.rule, seed.note()))
    return kept, notes


def _function_at(tree: ast.Module, line: int) -> str | None:
    """The name of the top-level function, or of the top-level class's method other than
    `__init__`, whose body holds `line`."""
    for node in tree.body:
        funcs = node.body if isinstance(node, ast.ClassDef) else [node]
        for func in funcs:
            if isinstance(func, _Func) and func.lineno <= line <= (func.end_lineno or func.lineno):
                return None if func.name == "__init__" else func.name
    return None


def _is_function(tree: ast.Module, name: str) -> bool:
    return any(isinstance(node, _Func) and node.name == name for node in tree.body)


def _seeded_callers(
    src: SourceFile, repo: RepoIndex, users: list[SourceFile], name: str
) -> RunnerSeed | None:
    if _calls_of(src.tree, name):
        return None  # run from its own module too: its callers there are not read
    return _first_seed(repo, name, _SEEDS_ALL, ((u, _scoped_calls(u.tree, name)) for u in users))


def _seeded_module_callers(
    src: SourceFile, repo: RepoIndex, runners: list[_Runner], name: str, kinds: frozenset[str]
) -> RunnerSeed | None:
    """A top-level function is called as `name(...)` in its module, and elsewhere through an
    import of its module (`MODEL.train(...)` after `import pkg.netmodels.CNN as MODEL`, even
    inside a function) or of itself: `model.train()` on a torch module calls something else."""
    if any(isinstance(c.func, ast.Name) for c in _calls_of(src.tree, name)):
        return None  # run from its own module too: its callers there are not read
    found = (
        (r.user, [(scope, c) for scope, c in _scoped_calls(r.user.tree, name) if _names(c, names)])
        for r in runners
        if (names := r.modules | {alias for alias, f in r.functions if f == name})
    )
    return _first_seed(repo, name, kinds, found)


def _names(call: ast.Call, aliases: frozenset[str]) -> bool:
    """`call` names the function through one of `aliases` (a module alias, or its own name)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return isinstance(func.value, ast.Name) and func.value.id in aliases
    return isinstance(func, ast.Name) and func.id in aliases


def _first_seed(
    repo: RepoIndex,
    name: str,
    kinds: frozenset[str],
    calls: Iterable[tuple[SourceFile, list[tuple[ast.AST, ast.Call]]]],
    *,
    own_body: bool = False,
) -> RunnerSeed | None:
    """The first seed, when every call follows a seed of one of `kinds` (with `own_body`, one
    `_own_seed` reads); None when any does not, or when nothing calls `name`."""
    first: RunnerSeed | None = None
    for user, scoped in calls:
        for scope, call in scoped:
            if isinstance(scope, ast.ClassDef):
                return None  # a class's run of it: `trainerseed.py` reads those
            seed = _own_seed if own_body else _seed_before
            line = seed(user, repo, scope, call.lineno, kinds)
            if line is None:
                return None
            seeded = "every generator" if kinds == _SEEDS_ALL else "torch"
            first = first or RunnerSeed(name, user.rel, line, seeded)
    return first


def _module_runners(src: SourceFile, repo: RepoIndex) -> list[_Runner]:
    """Each other module that imports `src` at any depth, with the aliases it binds to the
    module (`import pkg.netmodels.CNN as MODEL`, `from . import CNN`) and to its functions
    (`from pkg.netmodels.CNN import train as fit`: `fit` -> `train`). The import statements are
    read one by one: an alias bound in several branches to several modules counts for each."""
    out = []
    for user in repo.sources:
        if user is src:
            continue
        quals = [*repo.imports(user).items(), *_absolute_imports(user.tree)]
        modules = {alias for alias, qual in quals if repo.by_module.get(qual) is src}
        functions = {
            (alias, qual.rpartition(".")[2])
            for alias, qual in quals
            if repo.by_module.get(qual.rpartition(".")[0]) is src
        }
        if modules or functions:
            out.append(_Runner(user, frozenset(modules), frozenset(functions)))
    return out


def _absolute_imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(alias, qualified name) of every absolute import, one per statement."""
    out: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.asname, a.name) for a in node.names if a.asname)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.extend((a.asname or a.name, f"{node.module}.{a.name}") for a in node.names)
    return out


def _calls_of(tree: ast.AST, name: str) -> list[ast.Call]:
    """Calls of `name(...)` or `<anything>.name(...)` under `tree`."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def _scoped_calls(tree: ast.Module, name: str) -> list[tuple[ast.AST, ast.Call]]:
    """Each call of `name` with the top-level statement that holds it (a function, a class or
    the module itself for a bare statement)."""
    out: list[tuple[ast.AST, ast.Call]] = []
    for stmt in tree.body:
        scope = stmt if isinstance(stmt, _Func | ast.ClassDef) else tree
        out.extend((scope, call) for call in _calls_of(stmt, name))
    return out


def _seed_before(
    user: SourceFile, repo: RepoIndex, scope: ast.AST, line: int, kinds: frozenset[str]
) -> int | None:
    """The line of a call seeding one of `kinds` of generator in `scope` before `line`, else
    None. At the module's top level only the top-level statements count (a function defined
    there may never run)."""
    body = scope.body if isinstance(scope, ast.Module) else [scope]
    for stmt in body:
        if isinstance(stmt, _Func | ast.ClassDef) and scope is not stmt:
            continue
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and node.lineno < line
                and seed_kind(repo.qualify(user, node.func) or "") in kinds
            ):
                return node.lineno
    return None


def _own_seed(
    user: SourceFile, repo: RepoIndex, scope: ast.AST, line: int, kinds: frozenset[str]
) -> int | None:
    """The line of a seed of one of `kinds` before `line` that is a statement of `scope`'s own
    body (the caller's function, or the module's top level) and is handed a seed that is not
    None, else None. A caller outside the folder is read with no finding of its own to weigh
    it: `if seed is not None: seed_everything(seed)` with `seed=None` seeds nothing, and neither
    does `seed_everything(seed)` whose parameter defaults to None."""
    for stmt in scope.body if isinstance(scope, ast.Module | _Func) else ():
        seed = stmt.value if isinstance(stmt, ast.Expr) else None
        if not isinstance(seed, ast.Call) or stmt.lineno >= line:
            continue
        given = seed.args[0] if seed.args else next((k.value for k in seed.keywords), None)
        if given is None or seed_kind(repo.qualify(user, seed.func) or "") not in kinds:
            continue
        defaults = ast.Call(seed.func, [], [])  # the caller's own callers are not read
        if isinstance(scope, _Func) and given_none(given, scope, defaults):
            continue
        if not (isinstance(given, ast.Constant) and given.value is None):
            return stmt.lineno
    return None


def outside_runner_seeded(
    src: SourceFile, repo: RepoIndex, project: ProjectModules | None, found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """`found` less the unseeded-randomness findings in a top-level function that nothing in
    the reviewed folder calls and that the project's modules outside it (`project`) call only
    after seeding every generator (torch's seed for a PyTorch training loop), each call read
    by its import and each seed a statement of the caller's own body handed a seed that is not
    None (`_own_seed`); and a note, for `--explain`, at each of them."""
    if project is None or not src.rel.endswith(".py"):
        return found, []
    path = src.rel[:-3].split("/")
    path = path[:-1] if path[-1] == "__init__" else path
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        name = _function_at(src.tree, finding.line) if finding.rule == _RULE else None
        seed = None
        if name is not None and _is_function(src.tree, name) and not _called_in(repo, name):
            kinds = _SEEDS_FOR_TORCH if finding.message.startswith(TORCH_LOOP) else _SEEDS_ALL
            quals = {".".join([package, *path, name]) for package in project.names}
            outside, quals = _through_reexports(project, name, quals)
            seed = _seeded_outside(outside, name, quals, kinds)
        if seed is None:
            kept.append(finding)
        else:
            notes.append(Note(finding.path, finding.line, finding.rule, seed.note()))
    return kept, notes


def _through_reexports(
    project: ProjectModules, name: str, quals: set[str]
) -> tuple[RepoIndex, set[str]]:
    """The outside modules to read and the names of the function, one re-export hop on: a
    module of the project that imports it by name re-exports it (`icu/__init__.py`: `from
    icu.models.train import train_common`), and a caller of `icu.train_common` need not name the
    folder. Then every module that holds its bare name is read, a call through the re-export
    is a call of it (unseeded, the finding stays), and so is a call of that name that no import
    qualifies as the function (`_seeded_outside` keeps the finding for it)."""
    outside = project.repo
    hops = {
        f"{module}.{name}"
        for src in outside.sources
        if any(
            isinstance(s, ast.ImportFrom) and any((a.asname or a.name) == name for a in s.names)
            for s in src.tree.body
        )
        and outside.imports(src).get(name) in quals
        for module, held in outside.by_module.items()
        if held is src
    }
    return (project.naming(name), quals | hops) if hops else (outside, quals)


def _called_in(repo: RepoIndex, name: str) -> bool:
    return any(_calls_of(src.tree, name) for src in repo.sources)


def _seeded_outside(
    outside: RepoIndex, name: str, quals: set[str], kinds: frozenset[str]
) -> RunnerSeed | None:
    """The first seed, when every call of `name` outside the folder is a call of the function
    (`quals`, as its imports qualify it) that follows a seed of one of `kinds`; None when a
    call of that name is not read as the function's, or follows no such seed."""
    calls = [(user, _scoped_calls(user.tree, name)) for user in outside.sources]
    if any(outside.qualify(u, c.func) not in quals for u, scoped in calls for _, c in scoped):
        return None
    return _first_seed(outside, name, kinds, calls, own_body=True)
