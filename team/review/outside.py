"""A seed that the project around the reviewed folder sets before it runs the folder's code.

A user reviews a folder of a checkout (`team review cogdl/wrappers`), and what runs that folder
may sit outside it: CogDL's `cogdl/experiments.py` calls `set_random_seed(args.seed)` in
`train()` and only then builds the data and model wrappers of `cogdl/wrappers`, so a draw in a
wrapper is seeded on every run although nothing in the folder seeds. The enclosing project is
the nearest folder above the reviewed one (at most `_LEVELS` up) that holds a `pyproject.toml`,
`setup.py` or `setup.cfg`, or else the folder above the top of the reviewed folder's package
`__init__.py` chain; nothing above it is read. Its modules outside the folder that name the
folder are parsed (nothing else; tests, which seed their own cases, are left out), and each function of theirs that calls into the folder (a
name imported from the folder's package, or what such a call returned, as in `dw_class =
fetch_data_wrapper(name)` then `dw_class(dataset)`) calls the folder. The folder counts as
seeded from outside when some function seeds before its first call into the folder and no script
(a module that runs on import or under a `__main__` guard) calls into it unseeded; a library
module outside that calls the folder unseeded (CogDL's trainer, its argument parser) is itself
called by something, as `_seeded_by_importers` in engine.py treats importers. A function
that only reads an attribute of what it gets from the folder (`fetch_data_wrapper(name).
add_args(parser)`, an argument parser) runs nothing there and is no runner. Findings stay inside
the folder; the seed is said in `--explain` where it silenced one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from team.review.randomness import is_script
from team.review.seedfacts import seed_kind
from team.review.serving import is_test_file
from team.review.sources import MAX_BYTES, RepoIndex, SourceFile, discover, load_source

__all__ = ["OutsideSeed", "ProjectModules", "enclosing_project", "outside_seed", "project_modules"]

_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
_LEVELS = 4
"""Folders above the reviewed one searched for the project's root: a project is laid out a few
levels deep (src/package/sub), and a review never reads the whole disk above it."""


@dataclass(frozen=True)
class OutsideSeed:
    """What a runner outside the folder seeds before it calls into it, and where."""

    kinds: frozenset[str]
    where: str

    def note(self) -> str:
        return f"seeded outside the reviewed folder: {self.where} seeds before it calls this code"


def enclosing_project(base: Path) -> Path | None:
    """The root of the project `base` sits in, or None when it sits in none (or is the root).

    Example:
        >>> enclosing_project(Path("/")) is None
        True
    """
    folder, top = base, None
    chain = (base / "__init__.py").is_file()
    for _ in range(_LEVELS):
        if folder.parent == folder:
            break
        chain = chain and (folder / "__init__.py").is_file()
        if chain:
            top = folder.parent
        folder = folder.parent
        if any((folder / marker).is_file() for marker in _MARKERS):
            return folder
    return top


@dataclass(frozen=True)
class ProjectModules:
    """The parsed modules of the enclosing project outside the reviewed folder that name it.

    Attributes:
        repo: an index of those modules alone (their imports qualify their calls).
        names: the dotted names the folder is imported by (`cogdl.wrappers`).
        root: the project's root; base: the reviewed folder.
    """

    repo: RepoIndex
    names: tuple[str, ...]
    root: Path
    base: Path

    def naming(self, word: str) -> RepoIndex:
        """An index of the project's modules outside the folder whose text holds `word` (a
        name the folder's package re-exports: `from icu import train_common` names no folder)."""
        return RepoIndex(_naming_sources(self.root, self.base, word))


def project_modules(base: Path) -> ProjectModules | None:
    """The modules outside `base` of the project around it that name it; None when the folder
    sits in no project or cannot be imported by name."""
    root = enclosing_project(base)
    names = _dotted_names(base, root) if root is not None else ()
    if root is None or not names:
        return None
    return ProjectModules(RepoIndex(_naming_sources(root, base)), names, root, base)


def outside_seed(base: Path, project: ProjectModules | None = None) -> OutsideSeed | None:
    """What the runners of `base` outside it seed first (the kinds they all set; where the first
    of them does it), if some runner seeds and no script runs the folder unseeded. `project`:
    `project_modules(base)`, when it has been read already."""
    project = project or project_modules(base)
    if project is None:
        return None
    repo, names = project.repo, project.names
    runners = [
        (kinds, where)
        for src in repo.sources
        for kinds, where in _runners(src, repo, names)
        if kinds or is_script(src.tree)
    ]
    if not runners or any(not kinds for kinds, _ in runners):
        return None
    kinds = frozenset.intersection(*(kinds for kinds, _ in runners))
    return OutsideSeed(kinds, runners[0][1]) if kinds else None


def _dotted_names(base: Path, root: Path) -> tuple[str, ...]:
    """`cogdl.wrappers` for cogdl/wrappers, also `pkg.train` for src/pkg/train; () when the
    folder cannot be imported by name."""
    parts = base.relative_to(root).parts
    if not parts or not all(p.isidentifier() for p in parts):
        return ()
    names = [".".join(parts)]
    if len(parts) > 1 and parts[0] in ("src", "lib", "app"):
        names.append(".".join(parts[1:]))
    return tuple(names)


def _naming_sources(root: Path, base: Path, word: str = "") -> Iterator[SourceFile]:
    """The parsed `.py` modules of the project outside `base` whose text names its folder (or
    holds `word`)."""
    for file in discover(root):
        rel = file.relative_to(root).as_posix()
        if file.suffix != ".py" or base in file.parents or is_test_file(rel):
            continue  # a test seeds its own case, not the runs of the folder
        try:
            if file.stat().st_size > MAX_BYTES or (word or base.name) not in file.read_text(
                errors="ignore"
            ):
                continue
        except OSError:
            continue
        src = load_source(file, rel)
        if src.tree.body and not src.errors:
            yield src


def _units(tree: ast.Module) -> Iterator[tuple[str, list[ast.stmt]]]:
    """Each function's body, and the module's own statements, with a name for each."""
    yield "module level", [s for s in tree.body if not isinstance(s, (*_DEFS, ast.ClassDef))]
    for node in ast.walk(tree):
        if isinstance(node, _DEFS):
            yield f"{node.name}()", node.body


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _runners(
    src: SourceFile, repo: RepoIndex, names: tuple[str, ...]
) -> Iterator[tuple[frozenset[str], str]]:
    """(what it seeds before its first call into the folder, where) for each function of `src`
    that runs the folder's code."""
    for unit, body in _units(src.tree):
        parents = {id(c): n for s in body for n in ast.walk(s) for c in ast.iter_child_nodes(n)}
        calls = sorted(
            (n for s in body for n in ast.walk(s) if isinstance(n, ast.Call)),
            key=lambda c: (c.lineno, c.col_offset),
        )
        seeds: set[str] = set()
        seeded_at = 0
        got: set[str] = set()  # names bound to what a call into the folder returned
        runs = False
        for call in calls:
            qual = repo.qualify(src, call.func) or ""
            into = any(qual == n or qual.startswith(n + ".") for n in names) or (
                isinstance(call.func, ast.Name) and call.func.id in got
            )
            if not into:
                if not runs and (kind := seed_kind(qual)) is not None:
                    seeds.add(kind)
                    seeded_at = seeded_at or call.lineno
                continue
            got |= _bound_to(parents.get(id(call)))
            if not runs and not _attribute_read(call, parents):
                runs = True
                where = f"{src.rel}:{seeded_at or call.lineno} ({unit})"
                yield frozenset(seeds), where


def _bound_to(parent: ast.AST | None) -> set[str]:
    if isinstance(parent, ast.Assign):
        return {t.id for t in parent.targets if isinstance(t, ast.Name)}
    return set()


def _attribute_read(call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """`fetch_data_wrapper(name).add_args(parser)`: what the folder returns is only asked for
    an attribute, so nothing of the folder runs."""
    parent = parents.get(id(call))
    return isinstance(parent, ast.Attribute) and parent.value is call
