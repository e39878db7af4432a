"""`review_path`: read a repository, run every rule, return sorted findings.

`review_report` does the same within `ReviewLimits` (files, bytes, AST depth, seconds) and says
whether it stopped early. One file that cannot be analysed (it does not parse, nests too deeply,
exhausts memory) is skipped and listed as an `info` `parse-error` finding; the rest is reviewed.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from team.review.accuracy import accuracy_facts, accuracy_only
from team.review.bestsofar import best_epoch_on_test
from team.review.callbacks import checkpoint_tuning, objective_tuning
from team.review.core import Finding, Note
from team.review.deadscript import script_reach
from team.review.droppedseed import dropped_seed_draws
from team.review.evalsets import search_evaluated_on_test
from team.review.fitsite import place_at_fits
from team.review.flow import Interpreter
from team.review.hygiene import unseeded
from team.review.importseed import import_seeds, seeding_packages
from team.review.inherited import inherited_unseeded
from team.review.libmethods import run_by_a_script, seeds_anything
from team.review.nested import best_estimator_rescored
from team.review.outside import OutsideSeed, ProjectModules, outside_seed, project_modules
from team.review.preprocessleak import leak_hidden
from team.review.projecthelper import HelperSeed, project_helper_seeds
from team.review.projectmaker import project_maker_seeded
from team.review.randomness import is_script, main_guard
from team.review.retried import fold_retries
from team.review.reuse import loader_reused
from team.review.rllibseed import rllib_seeded, unseeded_rllib_runs
from team.review.rules import flow_findings
from team.review.runnerseed import outside_runner_seeded, runner_seeded
from team.review.samefile import validation_file_tuning
from team.review.sameinput import evaluated_on_training_input
from team.review.sameload import test_loaded_as_training
from team.review.samplerrepeat import fold_sampler_repeats
from team.review.seedfacts import module_facts
from team.review.seedhelper import package_seed_helper, runs_itself, seeded_by_helper
from team.review.seedparam import seeded_by_parameter
from team.review.serving import (
    is_serving_module,
    is_test_file,
    is_unit_test_module,
    serving_findings,
)
from team.review.sources import (
    MAX_BYTES,
    MAX_NOTEBOOK_BYTES,
    RepoIndex,
    SourceFile,
    discover,
    load_source,
)
from team.review.sparktrain import spark_scored_on_training_rdd
from team.review.stacking import in_sample_stacking
from team.review.targetcols import target_among_features
from team.review.targetmean import target_encoded_before_split
from team.review.testenv import tuned_on_test_environment
from team.review.trainerseed import trainer_seeded
from team.review.trials import unseeded_samplers, unseeded_trials
from team.review.unittests import lines_in_unit_tests
from team.review.unreached import mentioned_names
from team.review.unsplitfit import transformer_fit_before_split
from team.review.unusedblock import in_unused_block
from team.review.values import Record
from team.review.zeroseed import zero_seed_replaced

__all__ = ["Review", "ReviewLimits", "Workspace", "review_path", "review_report"]

PathLike = str | os.PathLike[str]
_ML_TEXT = re.compile(
    r"sklearn|pandas|numpy|torch|keras|tensorflow|xgboost|lightgbm|catboost|imblearn|polars"
    r"|\.fit\(|read_csv"
)


@dataclass(frozen=True)
class ReviewLimits:
    """How much one review may read and for how long.

    Attributes:
        max_files: Files read at most (`.py` and `.ipynb`); the rest is not reviewed.
        max_total_bytes: Source bytes read at most, over all files.
        max_depth: A file whose syntax tree nests deeper than this is skipped.
        seconds: Stop after this much of the reviewing thread's CPU time and return what was
            found (None: no time limit). CPU time, not wall time: the same repository gives
            the same findings on an idle machine and on a loaded one.

    Example:
        >>> ReviewLimits(seconds=10).max_files
        2000
    """

    max_files: int = 2000
    max_total_bytes: int = 16 * 1024 * 1024
    max_depth: int = 100
    seconds: float | None = None


class _OutOfTime(Exception):
    pass


class _Clock:
    """A time budget: reading, interpreting and the rules each stop at their share of it, so a
    review that runs out of time still reports what the files read so far show.

    It counts the CPU time of the thread that reviews (`time.thread_time`), not the wall clock:
    on a machine busy with other work a review waits longer for the CPU but does the same work,
    so what it reports does not depend on the load (a flagship run at a load of 20 on 2 cores
    lost a finding to a wall-clock budget). Reading is bounded by `ReviewLimits.max_files` and
    `max_total_bytes`, so a slow disk cannot hold a review for long either."""

    def __init__(self, seconds: float | None, *, start: float | None = None) -> None:
        self.seconds = seconds
        self.start = time.thread_time() if start is None else start

    def over(self, share: float = 1.0) -> bool:
        return self.seconds is not None and time.thread_time() > self.start + share * self.seconds

    def check(self) -> None:
        if self.over():
            raise _OutOfTime

    def until(self, share: float) -> _Clock:
        """The clock that runs out at `share` of this one's budget."""
        return _Clock(None if self.seconds is None else share * self.seconds, start=self.start)


class Workspace:
    """Runs the interpreter over a repository and keeps one `Record` per analysed file.

    A module whose analysis fails (too deep for the interpreter, out of memory, a bug of the
    interpreter on a construct it does not know) is dropped and named in `failed`; the others keep
    their records, so one file never ends the review of a repository.
    """

    def __init__(self, repo: RepoIndex, clock: _Clock | None = None) -> None:
        self.repo = repo
        self.records: dict[str, Record] = {}
        self.visited: set[int] = set()
        self.failed: dict[str, str] = {}
        self._envs: dict[str, dict[str, object]] = {}
        self._clock = clock or _Clock(None)

    def module_env(self, src: SourceFile) -> dict[str, object]:
        """Globals of another module, computed once without recording anything."""
        if src.rel not in self._envs:
            self._envs[src.rel] = {}
            it = Interpreter(self, src, Record(), quiet=True)
            it.run_module(self._envs[src.rel])
        return self._envs[src.rel]

    def run(self) -> dict[str, Record]:
        entries = []
        for src in self.repo.sources:
            record = self.records.setdefault(src.rel, Record())
            if not _ML_TEXT.search(src.text):
                continue  # nothing to find; its helpers are still followed from ML modules
            self._clock.check()
            env: dict[str, object] = {}
            if self._isolated(src, Interpreter(self, src, record).run_module, env):
                entries.append((src, env, record))
        for src, env, record in entries:
            called = {
                n.func.id if isinstance(n.func, ast.Name) else n.func.attr
                for n in ast.walk(src.tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
            }
            functions = _functions(src.tree)
            # Entry points first, so helpers are seen with the data their callers pass.
            functions.sort(key=lambda f: getattr(f[0], "name", "") in called)
            for node, owner in functions:
                if id(node) not in self.visited and src.rel not in self.failed:
                    self._clock.check()
                    run = Interpreter(self, src, record).run_function
                    self._isolated(src, run, node, owner, env)
        return self.records

    def _isolated(self, src: SourceFile, step: Callable[..., object], *args: object) -> bool:
        """Run one analysis step of `src`; on failure forget the file's record and say why."""
        try:
            step(*args)
        except _OutOfTime:
            raise
        except (RecursionError, MemoryError) as exc:
            self.records[src.rel] = Record()
            self.failed[src.rel] = (
                "too large to analyse" if isinstance(exc, MemoryError) else "nests too deeply"
            )
            return False
        except Exception as exc:  # one file's analysis bug must not end the review
            self.records[src.rel] = Record()
            self.failed[src.rel] = failure_reason(exc)
            return False
        return True


def failure_reason(exc: Exception) -> str:
    """The `parse-error` note of a file whose analysis failed on a bug of the review's own: the
    other files are reviewed.

    Example:
        >>> failure_reason(RecursionError("maximum recursion depth exceeded"))[:61]
        'the review failed on this file (RecursionError: maximum recur'
    """
    return (
        f"the review failed on this file ({type(exc).__name__}: {exc}); "
        "the other files are reviewed; please report it to teamgraph"
    )


def _functions(tree: ast.Module) -> list[tuple[ast.AST, ast.ClassDef | None]]:
    out: list[tuple[ast.AST, ast.ClassDef | None]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append((node, None))
        elif isinstance(node, ast.ClassDef):
            out.extend(
                (n, node)
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return out


def review_scope(
    root: PathLike, paths: Iterable[PathLike] | None
) -> tuple[Path, Iterable[PathLike] | None, Callable[[str], bool]]:
    """The repository root, the paths to review in it, and a test for a root-relative path.

    A file as ``root`` reviews that file in its folder.

    Raises:
        ValueError: When `root` or one of `paths` does not exist or lies outside `root`.
    """
    base = Path(root)
    if not base.exists():
        raise ValueError(f"repository to review does not exist: {root}")
    if base.is_file():
        paths = [base.resolve()] if paths is None else paths
        base = base.parent
    base = base.resolve()
    return base, paths, _selector(base, paths)


def _selector(base: Path, paths: Iterable[PathLike] | None) -> Callable[[str], bool]:
    if paths is None:
        return lambda rel: True
    wanted: list[tuple[str, bool]] = []
    for p in paths:
        full = Path(p) if Path(p).is_absolute() else base / p
        full = full.resolve()
        if not full.exists():
            raise ValueError(f"path to review does not exist: {p}")
        try:
            rel = full.relative_to(base).as_posix()
        except ValueError as exc:
            raise ValueError(f"path to review is outside {base}: {p}") from exc
        wanted.append(("" if rel == "." else rel, full.is_dir()))

    def selected(rel: str) -> bool:
        return any(
            rel == w or (is_dir and (not w or rel.startswith(w + "/"))) for w, is_dir in wanted
        )

    return selected


def _import_graph(repo: RepoIndex) -> dict[str, set[str]]:
    """rel -> rels of the repository modules that import it."""
    importers: dict[str, set[str]] = {src.rel: set() for src in repo.sources}
    for src in repo.sources:
        for qual in repo.imports(src).values():
            target = _imported_module(repo, qual)
            if target is not None and target is not src:
                importers[target.rel].add(src.rel)
    return importers


def _imported_module(repo: RepoIndex, qual: str, depth: int = 3) -> SourceFile | None:
    """The repository module an import names: the module itself, or the one that defines the
    imported name. A name a package's `__init__.py` re-exports is imported from the module it
    comes from: Lightning Bolts' `cpc_finetuner.py` takes `SSLFineTuner` from
    `pl_bolts.models.self_supervised`, and runs no other model that package re-exports."""
    parts = qual.split(".")
    for n in (len(parts), len(parts) - 1):
        target = repo.by_module.get(".".join(parts[:n]))
        if target is None:
            continue
        origin = repo.imports(target).get(parts[-1]) if n < len(parts) else None
        if origin is not None and depth > 0 and target.rel.endswith("__init__.py"):
            inner = _imported_module(repo, origin, depth - 1)
            if inner is not None and inner is not target:
                return inner
        return target
    return None


@dataclass(frozen=True)
class Review:
    """What a review found, and (for explaining) what its rules looked at and let pass."""

    findings: list[Finding]
    notes: list[Note] = field(default_factory=list)
    reviewed: int = 0
    """Files analysed (not skipped) among those reported on."""
    skipped: list[str] = field(default_factory=list)
    """Root-relative paths of the files that could not be analysed."""
    partial: str = ""
    """Why the review stopped before reading everything ("" when it did not)."""
    unread: list[Note] = field(default_factory=list)
    """Files (or notebook cells) not reviewed because they need a newer Python than the one
    running the review, each at the line that does not parse here and with why: not findings,
    the code is not at fault. Their files are also in `skipped`."""


def review_path(root: PathLike, *, paths: Iterable[PathLike] | None = None) -> list[Finding]:
    """Statically review the ML code of a repository against the ML Engineer card.

    Reads `.py` files and `.ipynb` notebooks under `root` (never writes, never imports or runs
    them), skipping `.venv`, `.git`, `node_modules`, `site-packages`, `__pycache__` and files
    over 1 MiB. A file that does not parse, or nests too deeply to analyse, becomes an `info`
    finding `parse-error` and the rest is reviewed. See `review_report` for limits.

    Args:
        root: Repository directory (or one file, reviewed within its folder).
        paths: Optional files or folders, relative to `root` or absolute, to report on. The
            whole repository is still read so imports between modules resolve.

    Returns:
        Findings sorted by path, line and rule.

    Raises:
        ValueError: When `root` or one of `paths` does not exist or lies outside `root`.

    Example:
        >>> from team.review import review_path
        >>> for f in review_path("scenarios/fixtures/churn")[:2]:
        ...     print(f.rule, f.path, f.line)
        accuracy-only churn/evaluate.py 8
        leakage-preprocess-before-split churn/train.py 24
    """
    return review_report(root, paths=paths).findings


def review_report(
    root: PathLike, *, paths: Iterable[PathLike] | None = None, limits: ReviewLimits | None = None
) -> Review:
    """`review_path`, plus the notes of what the rules looked at and chose not to report, within
    `limits`.

    Past `limits.max_files` files or `limits.max_total_bytes` bytes the remaining files are not
    read (files under `paths` are read first); past `limits.seconds` the rules stop and the
    findings so far are returned. Either way `Review.partial` says what happened.

    Args:
        root: Repository directory (or one file, reviewed within its folder).
        paths: Optional files or folders to report on, as for `review_path`.
        limits: What the review may read and for how long (default `ReviewLimits()`).

    Returns:
        A `Review`: sorted findings (each with its `trace`), sorted notes, the files skipped.

    Example:
        >>> from team.review import review_report
        >>> review_report("scenarios/fixtures/clean_pipeline").findings
        []
    """
    base, paths, selected = review_scope(root, paths)
    limits = limits or ReviewLimits()
    clock = _Clock(limits.seconds)
    findings: list[Finding] = []
    sources: list[SourceFile] = []
    notes: list[Note] = []
    unread: list[Note] = []
    skipped: list[str] = []
    partial, total, count = "", 0, 0

    def skip(rel: str, line: int, message: str, cell: int | None = None) -> None:
        findings.append(
            Finding(rel, line, "parse-error", "info", f"skipped: {message}", "", "", cell)
        )
        if rel not in skipped:
            skipped.append(rel)

    try:
        for file in _files(base, paths):
            try:
                size = file.stat().st_size
            except OSError:
                continue
            notebook = file.suffix == ".ipynb"
            if size > (MAX_NOTEBOOK_BYTES if notebook else MAX_BYTES):
                continue
            rel = file.relative_to(base).as_posix()
            src = load_source(file, rel) if notebook else None
            if src is not None:
                size = len(src.text.encode("utf-8"))  # its code, not its saved outputs
                if size > MAX_BYTES:
                    continue
            count, total = count + 1, total + size
            if count > limits.max_files or total > limits.max_total_bytes:
                partial = (
                    f"read the first {count - 1} files ({limits.max_files} files or "
                    f"{limits.max_total_bytes} bytes at most)"
                )
                break
            if clock.over(_READ_SHARE):
                partial = f"stopped at the {limits.seconds:g} s limit"
                break
            src = src or load_source(file, rel)
            for line, message, cell in src.errors:
                skip(rel, line, message, cell)
            for line, message, _ in src.newer:
                unread.append(Note(rel, line, "parse-error", message))
                if rel not in skipped:
                    skipped.append(rel)
            if src.tree.body and _deeper_than(src.tree, limits.max_depth):
                skip(rel, 1, f"nests deeper than {limits.max_depth} levels")
            elif src.tree.body:
                sources.append(src)
        project = project_modules(base)
        found, notes, stopped = _review(
            RepoIndex(sources, packages=_package_names(base)),
            base,
            clock,
            skip,
            outside=outside_seed(base, project),
            project=project,
        )
        findings.extend(found)
    except _OutOfTime:
        stopped = True
    if stopped:
        partial = f"stopped at the {limits.seconds:g} s limit"
    analysed = sum(1 for src in sources if selected(src.rel) and src.rel not in skipped)
    return Review(
        _one_per_line(
            fold_sampler_repeats(
                fold_retries(sorted({f for f in findings if selected(f.path)}), sources), sources
            )
        ),
        sorted({n for n in notes if selected(n.path)}),
        reviewed=analysed,
        skipped=[rel for rel in skipped if selected(rel)],
        partial=partial,
        unread=[n for n in unread if selected(n.path)],
    )


def _one_per_line(findings: list[Finding]) -> list[Finding]:
    """A rule speaks once per line: the first of two findings of one rule on one line (two
    statistics of one expression, two causes of one loop) stands for both."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for f in findings:
        if (f.path, f.line, f.rule) not in seen:
            seen.add((f.path, f.line, f.rule))
            out.append(f)
    return out


def _package_names(base: Path) -> tuple[str, ...]:
    """The dotted names the reviewed folder is imported by, when it is a package (it holds an
    `__init__.py`): `open_clip_train` for src/open_clip_train, `deepobs.pytorch` for
    deepobs/pytorch. Up to three folders above the package that hold no `__init__.py` (namespace
    packages, PEP 420) give longer names: Stanza's stanza/models/classifiers imports its own
    modules as `stanza.models.classifiers.cnn_classifier`, and is also `classifiers`."""
    parts: list[str] = []
    folder = base
    while folder.is_dir() and (folder / "__init__.py").is_file() and folder.name:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts:
        return ()
    names = [".".join(parts)]
    while len(names) <= _NAMESPACE_LEVELS and folder.name.isidentifier():
        parts.insert(0, folder.name)
        names.append(".".join(parts))
        folder = folder.parent
    return tuple(names)


_NAMESPACE_LEVELS = 3


def _package_reviewed_whole(base: Path, src: SourceFile) -> bool:
    """`src` is a module of a package (its folder holds an `__init__.py`) whose top package
    folder lies inside the reviewed folder, and it is no script (no `__main__` guard): every
    module of that package that could import it was read. pytorch-tabular reviewed as
    src/pytorch_tabular is whole; mljar's supervised/algorithms, part of `supervised`, is not."""
    folder = (base / src.rel).parent
    if not (folder / "__init__.py").is_file() or main_guard(src.tree):
        return False
    while (folder.parent / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder == base or base in folder.parents


def _reached_only_by_name(base: Path, src: SourceFile, importers: dict[str, set[str]]) -> bool:
    """Code outside `src` runs one of its top-level functions only by naming it: nothing in a
    package reviewed whole imports it, or other modules import it and it is no script (it runs
    nothing of its own; auto-sklearn's metalearner.py, imported by mismbo.py, defines a dummy
    `test_function` that no module names)."""
    if importers[src.rel]:
        return not is_script(src.tree)
    return _package_reviewed_whole(base, src)


def _left_out(rel: str, importers: dict[str, set[str]]) -> bool:
    """Nothing imports `rel`, while another module of its folder is imported: ADBench's Deep
    SAD `datasets/main.py` is, and `cifar10.py`, whose import it comments out, is not."""
    if importers[rel]:
        return False
    folder = PurePosixPath(rel).parent
    return any(
        users
        and other != rel
        and PurePosixPath(other).parent == folder
        and PurePosixPath(other).name != "__init__.py"
        for other, users in importers.items()
    )


def _seeded_by_importers(
    importers: dict[str, set[str]],
    rel: str,
    seeds_of: Callable[[str], Iterable[str]],
    runs: Callable[[str], bool],
) -> set[str]:
    """The seeds every module that runs `rel` sets first, itself or through its own importers
    (an entry point that imports the package through a re-exporting `__init__`). A seed set by
    only some runners does not cover the others: TorchCP's classification scripts seed, its
    regression scripts that draw the synthetic data of `utils.py` do not. A library module that
    nothing here imports and that runs nothing (`runs` is False), such as a package's top
    `__init__`, has its caller outside the repository and is left out."""
    memo: dict[str, set[str] | None] = {}

    def share(user: str, active: frozenset[str]) -> set[str] | None:
        above = covered(user, active)
        own = set(seeds_of(user))
        if above is None:
            return own if own or runs(user) else None
        return own | above

    def covered(module: str, active: frozenset[str]) -> set[str] | None:
        if module not in memo:
            inner = active | {module}
            shares = [share(u, inner) for u in importers.get(module, ()) if u not in active]
            known = [found for found in shares if found is not None]
            memo[module] = set.intersection(*known) if known else None
        return memo[module]

    return covered(rel, frozenset()) or set()


def _silenced(
    before: list[Finding], after: list[Finding], outside: OutsideSeed | HelperSeed
) -> list[Note]:
    """A note, for `--explain`, at each finding that only the seed outside the folder fixes."""
    kept = set(after)
    return [Note(f.path, f.line, f.rule, outside.note()) for f in before if f not in kept]


def _files(base: Path, paths: Iterable[PathLike] | None) -> Iterator[Path]:
    """The files to read: those under `paths` first (so a file budget reaches them), then the
    rest of the repository, for the imports."""
    seen: set[Path] = set()
    for p in paths or ():
        full = (Path(p) if Path(p).is_absolute() else base / p).resolve()
        found = discover(full) if full.is_dir() else [full] if full.suffix in _SUFFIXES else []
        for file in found:
            seen.add(file)
            yield file
    for file in discover(base):
        if file not in seen:
            yield file


_SUFFIXES = (".py", ".ipynb")


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


_READ_SHARE, _INTERPRET_SHARE = 0.4, 0.7
"""Shares of the time budget at which reading files, then interpreting them, stop."""


def _review(
    repo: RepoIndex,
    base: Path,
    clock: _Clock,
    skip: Callable[[str, int, str], None],
    *,
    outside: OutsideSeed | None = None,
    project: ProjectModules | None = None,
) -> tuple[list[Finding], list[Note], bool]:
    """Findings and notes, and whether the time budget ran out before every file was seen.
    `outside`: what the project around `base` seeds before it runs the folder's code; it seeds
    every module of the folder that is no script of its own. `project`: the project's modules
    outside `base` that name it (where the folder's functions are called from)."""
    workspace = Workspace(repo, clock.until(_INTERPRET_SHARE))
    on_import = seeding_packages(base)
    stopped = False
    try:
        records = workspace.run()
    except _OutOfTime:  # the modules interpreted so far keep their records
        records, stopped = workspace.records, True
    for rel, reason in workspace.failed.items():
        skip(rel, 1, reason)
    repo_by_rel = {src.rel: src for src in repo.sources}
    records = place_at_fits(records, repo_by_rel, leak_hidden)
    facts: dict[str, Any] = {}
    accuracy: dict[str, Any] = {}

    def fact(rel: str) -> Any:
        if rel not in facts:
            facts[rel] = module_facts(repo_by_rel[rel], repo)
        return facts[rel]

    def accuracy_of(rel: str) -> Any:
        if rel not in accuracy:
            accuracy[rel] = accuracy_facts(repo_by_rel[rel], repo, base)
        return accuracy[rel]

    importers = _import_graph(repo)
    imported: dict[str, set[str]] = {rel: set() for rel in importers}
    for rel, users in importers.items():
        for user in users:
            imported[user].add(rel)
    out: list[Finding] = []
    notes: list[Note] = []
    seeded: dict[str, Any] = {}
    helper = package_seed_helper(base)
    mentioned = mentioned_names(src.tree for src in repo.sources)
    reaches = script_reach(base, repo.sources)
    repo_seeds = any(seeds_anything(src.tree) for src in repo.sources)
    for src in repo.sources:
        for key, where in fact(src.rel).seeded.items():
            seeded.setdefault(key, where)
    for src in repo.sources:
        if clock.over():
            return out, notes, True
        marks = len(out), len(notes)
        try:
            own = fact(src.rel)
            in_tests = lines_in_unit_tests(src)
            out.extend(
                f
                for f in [
                    *flow_findings(src, records.get(src.rel) or Record()),
                    *in_sample_stacking(src, records),
                ]
                if f.line not in in_tests
            )
            if is_test_file(src.rel) or is_unit_test_module(src.tree):
                continue
            seeds = set(own.seeds) | import_seeds(src, on_import)
            from_outside: set[str] = set()
            if not main_guard(src.tree):  # run on its own, it is seeded by no importer
                seeds |= _seeded_by_importers(
                    importers,
                    src.rel,
                    lambda r: fact(r).seeds,
                    lambda r: is_script(repo_by_rel[r].tree),
                )
                from_outside = set(outside.kinds) - seeds if outside else set()
            out.extend(checkpoint_tuning(src, repo))
            out.extend(objective_tuning(src, repo))
            out.extend(tuned_on_test_environment(src))
            out.extend(validation_file_tuning(src))
            out.extend(search_evaluated_on_test(src))
            selected = {f.line for f in out if f.path == src.rel and f.rule == "test-set-tuning"}
            out.extend(best_epoch_on_test(src, reported=selected))
            out.extend(loader_reused(src))
            out.extend(spark_scored_on_training_rdd(src, repo))
            out.extend(test_loaded_as_training(src))
            out.extend(target_among_features(src))
            out.extend(evaluated_on_training_input(src))
            out.extend(transformer_fit_before_split(src))
            out.extend(target_encoded_before_split(src))
            out.extend(best_estimator_rescored(src))
            in_package = ((base / src.rel).parent / "__init__.py").is_file()
            library_module = in_package and not (
                run_by_a_script(importers, src.rel, lambda r: is_script(repo_by_rel[r].tree))
            )
            unseeded_with = partial(
                unseeded,
                src,
                repo,
                own,
                serving=is_serving_module(src, repo),
                imported=bool(importers[src.rel]),
                orphaned_in=mentioned if _reached_only_by_name(base, src, importers) else None,
                left_out=_left_out(src.rel, importers),
                seeded_elsewhere=seeded,
                caller_seeds=not repo_seeds and library_module,
                library_module=library_module,
                in_package=in_package,
                script_reach=reaches[src.rel],
            )
            project_seed = project_helper_seeds(src, repo, base)
            helped = set(project_seed.kinds) - seeds - from_outside
            found, noted = unseeded_with(seeds | from_outside | helped)
            if outside and from_outside:
                noted += _silenced(unseeded_with(seeds | helped)[0], found, outside)
            if helped:
                noted += _silenced(unseeded_with(seeds | from_outside)[0], found, project_seed)
            found, by_trainer = trainer_seeded(src, repo, found)
            noted += by_trainer
            found, by_parameter = seeded_by_parameter(src, repo, found)
            noted += by_parameter
            found, by_rllib = rllib_seeded(src, repo, base, found)
            noted += by_rllib
            found, by_runner = runner_seeded(src, repo, found, importers[src.rel])
            noted += by_runner
            found, by_project = outside_runner_seeded(src, repo, project, found)
            noted += by_project
            found, unused = in_unused_block(src, mentioned, found)
            noted += unused
            found, by_helper = seeded_by_helper(
                src,
                found,
                helper,
                library_module=in_package
                and not run_by_a_script(
                    importers, src.rel, lambda r: runs_itself(repo_by_rel[r].tree)
                ),
            )
            noted += by_helper
            found, by_maker = project_maker_seeded(src, repo, base, found)
            noted += by_maker
            out.extend(found)
            notes.extend(noted)
            out.extend(unseeded_trials(src, seeds | from_outside | helped))
            out.extend(unseeded_samplers(src, repo))
            out.extend(unseeded_rllib_runs(src))
            reported = {
                f.line for f in out if f.path == src.rel and f.rule == "unseeded-randomness"
            }
            out.extend(f for f in dropped_seed_draws(src, repo, seeds) if f.line not in reported)
            out.extend(zero_seed_replaced(src, repo))
            neighbours = sorted(importers[src.rel] | imported[src.rel])
            found, noted = accuracy_only(
                src, accuracy_of(src.rel), [accuracy_of(r) for r in neighbours]
            )
            out.extend(found)
            notes.extend(noted)
        except Exception as exc:  # one file's rule bug must not end the review
            del out[marks[0] :], notes[marks[1] :]
            skip(src.rel, 1, failure_reason(exc))
    if stopped or clock.over():
        return out, notes, True
    out, inherited = inherited_unseeded(repo, out)
    notes.extend(inherited)
    out.extend(serving_findings(repo))
    return out, notes, False
