"""One walk of a repository shared by every role's review: files, parsed modules, YAML with lines."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from team.review.newer_python import declared_too_old, why_unread
from team.review.newer_syntax import parse_newer
from team.review.sources import MAX_BYTES, SKIP_DIRS

__all__ = [
    "SECRET_NAME",
    "Repo",
    "YamlMap",
    "assignments",
    "calls_in_module",
    "innermost_function",
    "is_test",
    "load_yaml_documents",
    "parameter_names",
]

#: Names of settings that hold a credential.
SECRET_NAME = re.compile(
    r"(?i)(?:^|_)(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|"
    r"secret_?key|credentials?)(?:$|_)(?!.*(?:file|path|dir|name|env|id)$)"
)
_SKIP = SKIP_DIRS | {"dist", "build", ".eggs", ".idea", ".vscode"}


def is_test(rel: str) -> bool:
    """A test module (tests/, test_*.py, *_test.py, conftest.py, a pytest plugin)."""
    return bool(
        re.search(
            r"(?:^|/)(?:tests?|testing)/|(?:^|/)test_[^/]*\.py$|_test\.py$|conftest\.py$"
            r"|(?:^|/)pytest_plugin\.py$",
            rel,
        )
    )


def is_management_command(rel: str) -> bool:
    """A Django management command (management/commands/): its operator runs it by hand, one
    process per run."""
    return bool(re.search(r"(?:^|/)management/commands/", rel))


def is_migration(rel: str) -> bool:
    """A schema or data migration (migrations/, alembic/, migrate*.py): it runs once per deployment."""
    return bool(re.search(r"(?:^|/)(?:migrations?|alembic)(?:/|\.py$)|(?:^|/)migrate\w*\.py$", rel))


def assignments(node: ast.AST) -> dict[str, list[ast.expr]]:
    """Name -> every value assigned to it (`x = ...`) anywhere inside `node`, in order."""
    out: dict[str, list[ast.expr]] = {}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, []).append(sub.value)
    return out


Function = ast.FunctionDef | ast.AsyncFunctionDef


def calls_in_module(unit: Function, module: ast.AST) -> Iterator[tuple[Function, ast.Call]]:
    """Every call of `unit` by its name (`f(...)`, `self.f(...)`) from another function of
    `module`, with that caller: what a helper's callers hand it, read where they call it."""
    for caller in (n for n in ast.walk(module) if isinstance(n, Function)):
        for call in (c for c in ast.walk(caller) if isinstance(c, ast.Call)):
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == unit.name and caller is not unit:
                yield caller, call


def parameter_names(fn: Function) -> set[str]:
    """The names of `fn`'s parameters that a caller can pass by name or position (`self` too)."""
    return {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}


def walked(loop: ast.AST) -> ast.expr | None:
    """What `loop` walks: a `for`'s iterable or a comprehension's first one (None for anything else),
    so every N+1 guard reads a loop's source the same way."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        return loop.iter
    if isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        return loop.generators[0].iter
    return None


def innermost_function(tree: ast.AST, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function (sync or async) whose body spans `line`, if any."""
    spans = [
        fn
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        and fn.lineno <= line <= (fn.end_lineno or fn.lineno)
    ]
    return max(spans, key=lambda fn: fn.lineno) if spans else None


class YamlMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    out = YamlMap()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            out[key] = loader.construct_object(value_node, deep=True)
        except TypeError:  # an unhashable key: YAML allows it, manifests never use it
            continue
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of a YAML stream, mappings as `YamlMap` (raises `yaml.YAMLError`)."""
    return list(yaml.load_all(text, Loader=_Loader))


@dataclass(eq=False)
class Repo:
    """The files of a repository under `root` (vendored, cache and build folders skipped)."""

    root: Path
    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, int, str]] = field(default_factory=list)
    unread: list[tuple[str, int, str]] = field(default_factory=list)
    """Modules not read because they are written for another Python (not flaws), with why."""
    _texts: dict[str, str] = field(default_factory=dict)
    _trees: dict[str, ast.Module | None] = field(default_factory=dict)
    _yaml: dict[str, list[Any] | None] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # results one review shares with another

    @classmethod
    def scan(cls, root: Path) -> Repo:
        repo = cls(root)
        repo.files = sorted(repo._walk(root))
        return repo

    def _walk(self, folder: Path) -> Iterator[str]:
        for current, dirs, names in os.walk(folder):  # os.walk never follows symlinked folders
            dirs[:] = [d for d in dirs if d not in _SKIP and not d.endswith(".egg-info")]
            base = Path(current)
            for name in names:
                path = base / name
                if not path.is_symlink():
                    yield path.relative_to(self.root).as_posix()

    def text(self, rel: str) -> str:
        """The file's text ('' for a binary, unreadable or over-1-MiB file)."""
        if rel not in self._texts:
            path = self.root / rel
            try:
                raw = b"" if path.stat().st_size > MAX_BYTES else path.read_bytes()
                self._texts[rel] = "" if b"\0" in raw[:4096] else raw.decode("utf-8-sig", "replace")
            except OSError:
                self._texts[rel] = ""
        return self._texts[rel]

    def lines(self, rel: str) -> list[str]:
        return self.text(rel).splitlines()

    def line_text(self, rel: str, line: int) -> str:
        lines = self.lines(rel)
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    @cached_property
    def python(self) -> list[str]:
        return [f for f in self.files if f.endswith(".py")]

    def tree(self, rel: str) -> ast.Module | None:
        """The module's syntax tree, or None when it does not parse: recorded as a parse error,
        or as unread when it is written for another Python."""
        if rel not in self._trees:
            try:
                self._trees[rel] = parse_newer(self.text(rel), rel)
            except (SyntaxError, ValueError) as exc:
                self._trees[rel] = None
                line = getattr(exc, "lineno", 1) or 1
                clash = declared_too_old(self.text(rel), self.root / rel)
                if clash is not None:
                    self.errors.append((rel, line, f"skipped: {clash}"))
                    return None
                why = why_unread(self.text(rel), self.root / rel)
                if why is not None:
                    self.unread.append((rel, line, f"not reviewed: {why}"))
                    return None
                self.errors.append((rel, line, f"skipped: {exc.__class__.__name__}: {exc}"))
            except (RecursionError, MemoryError):
                self._trees[rel] = None
                self.errors.append((rel, 1, "skipped: nests too deeply or too large to analyse"))
        return self._trees[rel]

    def modules(self) -> Iterator[tuple[str, ast.Module]]:
        for rel in self.python:
            tree = self.tree(rel)
            if tree is not None:
                yield rel, tree

    def yaml(self, rel: str) -> list[Any]:
        """The file's YAML documents ([] and a parse error when it is not YAML)."""
        if rel not in self._yaml:
            try:
                self._yaml[rel] = load_yaml_documents(self.text(rel))
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                self.errors.append((rel, mark.line + 1 if mark else 1, f"skipped: not YAML: {exc}"))
                self._yaml[rel] = None
            except RecursionError:
                self.errors.append((rel, 1, "skipped: YAML nests too deeply"))
                self._yaml[rel] = None
        return self._yaml[rel] or []

    def yaml_files(self) -> list[str]:
        return [f for f in self.files if f.endswith((".yml", ".yaml"))]

    def named(self, *patterns: str) -> list[str]:
        """Files whose path matches one of the regular expressions (searched, not anchored)."""
        compiled = [re.compile(p) for p in patterns]
        return [f for f in self.files if any(c.search(f) for c in compiled)]
