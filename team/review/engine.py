"""`review_path`: read a repository, run every rule, return sorted findings."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from team.review.accuracy import accuracy_facts, accuracy_only
from team.review.core import Finding, Note
from team.review.flow import Interpreter
from team.review.hygiene import module_facts, unseeded
from team.review.rules import flow_findings
from team.review.serving import is_serving_module, is_test_file, serving_findings
from team.review.sources import MAX_BYTES, RepoIndex, SourceFile, discover, load_source
from team.review.values import Record

__all__ = ["Review", "Workspace", "review_path", "review_report"]

PathLike = str | os.PathLike[str]
_ML_TEXT = re.compile(
    r"sklearn|pandas|numpy|torch|keras|tensorflow|xgboost|lightgbm|catboost|imblearn|polars"
    r"|\.fit\(|read_csv"
)


class Workspace:
    """Runs the interpreter over a repository and keeps one `Record` per analysed file."""

    def __init__(self, repo: RepoIndex) -> None:
        self.repo = repo
        self.records: dict[str, Record] = {}
        self.visited: set[int] = set()
        self._envs: dict[str, dict[str, object]] = {}

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
            it = Interpreter(self, src, record)
            env: dict[str, object] = {}
            it.run_module(env)
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
                if id(node) not in self.visited:
                    Interpreter(self, src, record).run_function(node, owner, env)
        return self.records


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
            parts = qual.split(".")
            for n in (len(parts), len(parts) - 1):
                target = repo.by_module.get(".".join(parts[:n]))
                if target is not None and target is not src:
                    importers[target.rel].add(src.rel)
                    break
    return importers


@dataclass(frozen=True)
class Review:
    """What a review found, and (for explaining) what its rules looked at and let pass."""

    findings: list[Finding]
    notes: list[Note] = field(default_factory=list)


def review_path(root: PathLike, *, paths: Iterable[PathLike] | None = None) -> list[Finding]:
    """Statically review the ML code of a repository against the ML Engineer card.

    Reads `.py` files and `.ipynb` notebooks under `root` (never writes, never imports or runs
    them), skipping `.venv`, `.git`, `node_modules`, `site-packages`, `__pycache__` and files
    over 1 MiB. A file that does not parse becomes an `info` finding `parse-error`.

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


def review_report(root: PathLike, *, paths: Iterable[PathLike] | None = None) -> Review:
    """`review_path`, plus the notes of what the rules looked at and chose not to report.

    Args:
        root: Repository directory (or one file, reviewed within its folder).
        paths: Optional files or folders to report on, as for `review_path`.

    Returns:
        A `Review`: sorted findings (each with its `trace`) and sorted notes.

    Example:
        >>> from team.review import review_report
        >>> review_report("scenarios/fixtures/clean_pipeline").findings
        []
    """
    base = Path(root)
    if not base.exists():
        raise ValueError(f"repository to review does not exist: {root}")
    if base.is_file():
        paths = [base.resolve()] if paths is None else paths
        base = base.parent
    base = base.resolve()
    selected = _selector(base, paths)
    findings: list[Finding] = []
    sources: list[SourceFile] = []
    for file in discover(base):
        try:
            if file.stat().st_size > MAX_BYTES:
                continue
        except OSError:
            continue
        rel = file.relative_to(base).as_posix()
        src = load_source(file, rel)
        for line, message, cell in src.errors:
            findings.append(
                Finding(rel, line, "parse-error", "info", f"skipped: {message}", "", "", cell)
            )
        if src.tree.body:
            sources.append(src)
    found, notes = _review(RepoIndex(sources), base)
    findings.extend(found)
    return Review(
        sorted({f for f in findings if selected(f.path)}),
        sorted({n for n in notes if selected(n.path)}),
    )


def _upstream(importers: dict[str, set[str]], rel: str) -> set[str]:
    """Every module that imports `rel`, directly or through others (a re-exporting
    `__init__`, an entry point that imports the package): a seed set there covers `rel`."""
    seen: set[str] = set()
    todo = list(importers.get(rel, ()))
    while todo:
        user = todo.pop()
        if user not in seen:
            seen.add(user)
            todo.extend(importers.get(user, ()))
    return seen


def _review(repo: RepoIndex, base: Path) -> tuple[list[Finding], list[Note]]:
    records = Workspace(repo).run()
    facts = {src.rel: module_facts(src, repo) for src in repo.sources}
    accuracy = {src.rel: accuracy_facts(src, repo, base) for src in repo.sources}
    importers = _import_graph(repo)
    imported: dict[str, set[str]] = {rel: set() for rel in importers}
    for rel, users in importers.items():
        for user in users:
            imported[user].add(rel)
    out: list[Finding] = []
    notes: list[Note] = []
    for src in repo.sources:
        own = facts[src.rel]
        out.extend(flow_findings(src, records[src.rel]))
        if is_test_file(src.rel):
            continue
        seeds = set(own.seeds).union(*(facts[r].seeds for r in _upstream(importers, src.rel)))
        found, noted = unseeded(src, repo, own, seeds, serving=is_serving_module(src, repo))
        out.extend(found)
        notes.extend(noted)
        neighbours = sorted(importers[src.rel] | imported[src.rel])
        found, noted = accuracy_only(src, accuracy[src.rel], [accuracy[r] for r in neighbours])
        out.extend(found)
        notes.extend(noted)
    out.extend(serving_findings(repo))
    return out, notes
