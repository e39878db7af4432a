"""Reading a repository: which files, notebooks flattened to code, and import resolution."""

from __future__ import annotations

import ast
import json
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from team.pyimports import imported_module
from team.review.automagic import Shell
from team.review.newer_python import why_unread
from team.review.newer_syntax import parse_newer

__all__ = [
    "MAX_BYTES",
    "MAX_NOTEBOOK_BYTES",
    "SKIP_DIRS",
    "RepoIndex",
    "SourceFile",
    "discover",
    "load_source",
]

MAX_BYTES = 1024 * 1024
# A notebook's file keeps its saved outputs (plots as base64 images, long tables) beside its code:
# Bambi's and NeuralProphet's tutorials pass 1 MiB on their outputs alone. Its code cells are held
# to MAX_BYTES; the file may be this large.
MAX_NOTEBOOK_BYTES = 64 * MAX_BYTES
SKIP_DIRS = frozenset(
    {
        ".venv",
        "venv",
        ".git",
        "node_modules",
        "site-packages",
        "__pycache__",
        ".ipynb_checkpoints",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)
# IPython's escapes at the start of a line (`%magic`, `!shell`, `?obj` / `??obj` help, as its
# EscapedCommand transformer reads them), a captured one (`x = %pwd`) and help after a name (`obj?`).
_MAGIC = re.compile(r"^\s*(?:[%!?]|\w[\w.]*\s*=\s*[%!])|^\s*[\w.]+\?{1,2}\s*$")


@dataclass(eq=False)
class SourceFile:
    """A parsed `.py` file or the concatenated code cells of a notebook."""

    rel: str
    text: str
    tree: ast.Module
    cells: list[int] | None = None  # notebook: cell number (1-based) of each source line
    errors: list[tuple[int, str, int | None]] = field(default_factory=list)
    newer: list[tuple[int, str, int | None]] = field(default_factory=list)
    """Like `errors`, for code that is not read because it needs a newer Python (not a flaw)."""
    module: str | None = None
    magics: frozenset[str] = frozenset()  # notebook: the IPython magics its cells use

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def cell_of(self, line: int) -> int | None:
        if self.cells is None or not 0 < line <= len(self.cells):
            return None
        return self.cells[line - 1]


def discover(root: Path) -> Iterator[Path]:
    """Yield `.py` and `.ipynb` files under root, skipping vendored and cache folders."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if entry.name not in SKIP_DIRS:
                    stack.append(entry)
            elif entry.suffix in (".py", ".ipynb") and entry.is_file():
                yield entry


def _notebook_code(raw: str) -> tuple[list[str], list[int], frozenset[str]]:
    """Code-cell lines of a notebook (magics blanked), the cell number of each line and the
    magics its cells run, with `%` or by automagic (a one-line cell's `pip install x`)."""
    data = json.loads(raw)
    cells = data.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in data.get("worksheets", []) for c in ws.get("cells", [])]
    lines: list[str] = []
    owners: list[int] = []
    shell = Shell(used=_magics(cells))
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        text = "".join(source) if isinstance(source, list) else str(source)
        cell_lines = _leading_indent(text.splitlines()) or [""]
        python = shell.python(cell_lines) or _cell_python(cell_lines)
        shell.ran(cell_lines, python)
        lines.extend(python)
        owners.extend([number] * len(python))
    return lines, owners, shell.used | shell.automagics


# Cell magics that run their cell's body as Python (timed, or with its output captured); IPython
# transforms the body as any cell, so its escapes are read as in one.
_PYTHON_CELL_MAGIC = re.compile(r"%%(?:time|timeit|capture)(?:\s|$)")


def _cell_python(cell: list[str]) -> list[str]:
    """A cell's lines as Python: a `%%time`, `%%timeit` or `%%capture` cell keeps its body (its
    findings are the script's as much as any cell's), any other cell magic (`%%bash`, `%%sql`,
    `%%writefile`, `%%html`) holds no Python and is blanked whole."""
    first = cell[0].lstrip()
    if not first.startswith("%%"):
        return _python_lines(cell)
    if not _PYTHON_CELL_MAGIC.match(first):
        return [""] * len(cell)
    return ["", *_python_lines(_leading_indent(cell[1:]))]


def _leading_indent(cell: list[str]) -> list[str]:
    """A cell's lines with the indent of its first non-blank line taken off every line that
    starts with it, as IPython does before compiling a cell (`leading_indent` in
    `IPython.core.inputtransformer2`): an indented cell runs, so it must parse here too. The
    lines stay where they are, so line numbers do not move."""
    first = next((line for line in cell if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return cell
    return [line[len(indent) :] if line.startswith(indent) else line for line in cell]


_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")


def _python_lines(cell: list[str]) -> list[str]:
    r"""A cell's lines with IPython syntax made Python, as IPython's input transformers decide.

    A `%magic`, `!shell`, `x = %magic` or `obj?` counts only at the start of a logical line
    (not inside brackets or after a `\` continuation, where `% tuple(...)` is the modulo
    operator). It becomes `pass` at its indentation, so an indented magic keeps its block,
    and the continued lines of a `!cmd \` go with it.
    """
    out: list[str] = []
    depth, continued, in_magic = 0, False, False
    for line in cell:
        if in_magic:
            out.append("")
            in_magic = line.rstrip().endswith("\\")
            continue
        if depth == 0 and not continued and _MAGIC.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass")
            in_magic = line.rstrip().endswith("\\")
            continue
        out.append(line)
        code = _STRINGS.sub("", line).split("#", 1)[0]
        opened = sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        depth = max(0, depth + opened)
        continued = code.rstrip().endswith("\\")
    return out


def _read(path: Path) -> str:
    """A file's text as Python reads it: a module by its byte-order mark or coding cookie
    (PEP 263; NeuroLab's examples start with a UTF-8 BOM), a notebook as UTF-8 with or
    without a BOM."""
    if path.suffix == ".ipynb":
        return path.read_text(encoding="utf-8-sig")
    with tokenize.open(path) as f:
        return f.read()


def load_source(path: Path, rel: str) -> SourceFile:
    """Read and parse one file; syntax problems are kept in `errors`, never raised.

    A notebook cell that does not parse is blanked and the rest of the notebook is kept.
    """
    empty = ast.Module(body=[], type_ignores=[])
    try:
        raw = _read(path)
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        return SourceFile(rel, "", empty, errors=[(1, f"cannot read file: {exc}", None)])
    if path.suffix != ".ipynb":
        try:
            return SourceFile(rel, raw, parse_newer(raw, rel))
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None) or 1
            why = why_unread(raw, path)
            if why is not None:
                return SourceFile(rel, raw, empty, newer=[(line, f"not reviewed: {why}", None)])
            msg = getattr(exc, "msg", str(exc))
            return SourceFile(rel, raw, empty, errors=[(line, f"does not parse: {msg}", None)])
        except (RecursionError, MemoryError) as exc:
            return SourceFile(rel, "", empty, errors=[(1, _too_big(exc), None)])
    try:
        lines, owners, magics = _notebook_code(raw)
    except (ValueError, AttributeError, TypeError) as exc:
        return SourceFile(rel, "", empty, errors=[(1, f"not a readable notebook: {exc}", None)])
    except (RecursionError, MemoryError) as exc:
        return SourceFile(rel, "", empty, errors=[(1, _too_big(exc), None)])
    errors: list[tuple[int, str, int | None]] = []
    newer: list[tuple[int, str, int | None]] = []
    # Jupyter compiles each cell on its own, so a cell that does not parse alone is the bad
    # one (never the next cell, where a concatenated parse would point) and is blanked.
    start = 0
    for number in dict.fromkeys(owners):
        end = start
        while end < len(owners) and owners[end] == number:
            end += 1
        cell = "\n".join(lines[start:end]) + "\n"
        try:
            ast.parse(cell)
        except (SyntaxError, ValueError) as exc:
            offset = min(max(getattr(exc, "lineno", None) or 1, 1), end - start)
            why = why_unread(cell, path)
            if why is not None:
                newer.append((start + offset, f"cell not reviewed: {why}", number))
            else:
                errors.append(
                    (start + offset, f"cell does not parse: {getattr(exc, 'msg', exc)}", number)
                )
            lines[start:end] = [""] * (end - start)
        start = end
    for _ in range(len(set(owners)) + 1):
        text = "\n".join(lines) + "\n"
        try:
            tree = ast.parse(text, filename=rel)
        except (RecursionError, MemoryError) as exc:
            return SourceFile(rel, "", empty, cells=owners, errors=[(1, _too_big(exc), None)])
        except (SyntaxError, ValueError) as exc:
            line = min(max(getattr(exc, "lineno", None) or 1, 1), max(len(owners), 1))
            bad = owners[line - 1] if owners else None
            errors.append((line, f"cell does not parse: {getattr(exc, 'msg', exc)}", bad))
            if bad is None:
                break
            lines = [
                "" if owner == bad else text for text, owner in zip(lines, owners, strict=True)
            ]
            continue
        return SourceFile(rel, text, tree, cells=owners, errors=errors, newer=newer, magics=magics)
    return SourceFile(rel, "", empty, cells=owners, errors=errors, newer=newer)


_MAGIC_NAME = re.compile(r"(?m)^\s*(?:\w[\w.]*\s*=\s*)?%{1,2}(\w+)")


def _magics(cells: list[dict[str, object]]) -> frozenset[str]:
    """The names of the IPython magics in a notebook's code cells (`%%timeit` -> timeit)."""
    found: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", cell.get("input", ""))
            found.update(
                _MAGIC_NAME.findall("".join(source) if isinstance(source, list) else str(source))
            )
    return frozenset(found)


def _too_big(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "too large to analyse (out of memory)"
    return "nests too deeply to analyse"


def _module_names(rel: str) -> list[str]:
    if not rel.endswith(".py"):
        return []
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts)] if parts else []
    if len(parts) > 1 and parts[0] in ("src", "lib", "app"):
        names.append(".".join(parts[1:]))
    return names


class RepoIndex:
    """All parsed sources of a repository with module names, imports and top-level defs."""

    def __init__(self, sources: Iterable[SourceFile], *, packages: Iterable[str] = ()) -> None:
        """`packages`: the reviewed folder is itself a package (it has an `__init__.py`) by these
        dotted names, so its modules import each other as `package.module` (OpenCLIP's
        `open_clip_train.train`, Stanza's `stanza.models.classifiers.data`)."""
        self.sources = list(sources)
        packages = tuple(packages)
        self._package = packages[0] if packages else ""
        self.by_module: dict[str, SourceFile] = {}
        for src in self.sources:
            for name in _module_names(src.rel):
                self.by_module.setdefault(name, src)
                src.module = src.module or name
            if src.rel.endswith(".py"):
                inner = src.rel[:-3].split("/")
                inner = inner[:-1] if inner[-1] == "__init__" else inner
                for package in packages:
                    self.by_module.setdefault(".".join([package, *inner]), src)
        self._packages = {
            ".".join(name.split(".")[:n])
            for name in self.by_module
            for n in range(1, name.count(".") + 2)
        }
        self._imports: dict[str, dict[str, str]] = {}
        self._defs: dict[str, dict[str, ast.AST]] = {}
        self._methods: dict[str, set[tuple[str, ...]]] | None = None
        self._functions: (
            dict[str, list[tuple[SourceFile, ast.FunctionDef | ast.AsyncFunctionDef]]] | None
        ) = None

    def imports(self, src: SourceFile) -> dict[str, str]:
        """Alias -> qualified name for every import in the file (any nesting level)."""
        if src.rel not in self._imports:
            table: dict[str, str] = {}
            for node in ast.walk(src.tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        if a.asname:
                            table[a.asname] = self._canonical(src, a.name)
                        else:
                            head = a.name.split(".")[0]
                            table[head] = self._canonical(src, head)
                elif isinstance(node, ast.ImportFrom):
                    base = self._from(src, node)
                    if base is None:  # names a module outside the folder and its package
                        continue
                    for a in node.names:
                        if a.name != "*":
                            table[a.asname or a.name] = f"{base}.{a.name}" if base else a.name
            self._imports[src.rel] = table
        return self._imports[src.rel]

    def _from(self, src: SourceFile, node: ast.ImportFrom) -> str | None:
        """The module a `from` import names. A relative import that climbs above the reviewed
        folder is read from the folder's package name when it is a package (`from ..base import
        X` in d3rlpy/algos/__init__.py names `d3rlpy.base`), else it names nothing here."""
        if not node.level:
            return self._canonical(src, node.module or "")
        base = imported_module(src.rel, node)
        if base is None and self._package:
            base = imported_module(f"{self._package.replace('.', '/')}/{src.rel}", node)
        return base

    def _canonical(self, src: SourceFile, module: str) -> str:
        """`churn.features` imported from `fixtures/churn/churn/train.py` is the repository's
        `fixtures.churn.churn.features`: look in the importer's folders, nearest first, the way
        running the code from that project folder would."""
        if not module:
            return module
        folders = src.rel.split("/")[:-1]
        for depth in range(len(folders), -1, -1):
            candidate = ".".join([*folders[:depth], module])
            if candidate in self._packages:
                return candidate
        return module

    def defs(self, src: SourceFile) -> dict[str, ast.AST]:
        """Top-level functions and classes of a file by name."""
        if src.rel not in self._defs:
            self._defs[src.rel] = {
                n.name: n
                for n in src.tree.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            }
        return self._defs[src.rel]

    def method_signatures(self, name: str) -> set[tuple[str, ...]]:
        """The parameter names of every method called `name` in a class of the repository, one
        tuple per distinct signature (built once, on first use)."""
        if self._methods is None:
            self._methods = {}
            for src in self.sources:
                for cls in ast.walk(src.tree):
                    if not isinstance(cls, ast.ClassDef):
                        continue
                    for fn in cls.body:
                        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                            params = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
                            sig = tuple(a.arg for a in params)
                            self._methods.setdefault(fn.name, set()).add(sig)
        return self._methods.get(name, set())

    def functions_named(
        self, name: str
    ) -> list[tuple[SourceFile, ast.FunctionDef | ast.AsyncFunctionDef]]:
        """(module, definition) of every function called `name` in the repository, nested ones
        included, in the order of the sources (built once, on first use)."""
        if self._functions is None:
            self._functions = {}
            for src in self.sources:
                for node in ast.walk(src.tree):
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                        self._functions.setdefault(node.name, []).append((src, node))
        return self._functions.get(name, [])

    def resolve(self, qual: str) -> tuple[SourceFile, ast.AST | None] | None:
        """Find a repo module, or a top-level def inside one, for a qualified name."""
        if qual in self.by_module:
            return self.by_module[qual], None
        head, _, name = qual.rpartition(".")
        src = self.by_module.get(head)
        if src is not None:
            node = self.defs(src).get(name)
            if node is not None:
                return src, node
        return None

    def qualify(self, src: SourceFile, node: ast.AST) -> str | None:
        """The dotted, import-resolved name of a Name/Attribute chain, if it is one."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.imports(src).get(node.id, node.id)
        return ".".join([head, *reversed(parts)])
