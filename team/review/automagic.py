"""IPython's automagic: a notebook cell of one line that runs a line magic without its `%`.

IPython (`InteractiveShell.transform_cell`) applies its dynamic transformations, automagic among
them, to a cell that is a single line once its leading blank lines and indent are gone: `pip
install keras_preprocessing` alone in a cell runs as `%pip install keras_preprocessing` (nlptk's
lab11.ipynb), while the same line beside any other line is a SyntaxError in IPython too. The line
is a magic when its first word names a line magic (`prefilter.AutoMagicChecker`), what follows
does not start with `=` or `,` (`AssignmentChecker`: `time = 3` is Python), automagic is on
(`%automagic off` turns it off, a bare `%automagic` toggles it) and no name the notebook bound in
an earlier cell shadows the magic (`prefilter.is_shadowed`: after `import time`, `time f()` is
a SyntaxError).
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass, field

__all__ = ["LINE_MAGICS", "Shell", "magic_name"]

# IPython's line magics (8.x: `sorted(get_ipython().magics_manager.magics["line"])`), the kernel's
# own (ipykernel's KernelMagics) and the package managers' that newer IPython adds.
LINE_MAGICS = frozenset(
    [
        "alias",
        "alias_magic",
        "autoawait",
        "autocall",
        "automagic",
        "autosave",
        "bookmark",
        "cat",
        "cd",
        "clear",
        "colors",
        "conda",
        "config",
        "connect_info",
        "cp",
        "debug",
        "dhist",
        "dirs",
        "doctest_mode",
        "ed",
        "edit",
        "env",
        "gui",
        "hist",
        "history",
        "killbgscripts",
        "ldir",
        "less",
        "lf",
        "lk",
        "ll",
        "load",
        "load_ext",
        "loadpy",
        "logoff",
        "logon",
        "logstart",
        "logstate",
        "logstop",
        "ls",
        "lsmagic",
        "lx",
        "macro",
        "magic",
        "mamba",
        "man",
        "matplotlib",
        "micromamba",
        "mkdir",
        "more",
        "mv",
        "notebook",
        "page",
        "pastebin",
        "pdb",
        "pdef",
        "pdoc",
        "pfile",
        "pinfo",
        "pinfo2",
        "pip",
        "popd",
        "pprint",
        "precision",
        "prun",
        "psearch",
        "psource",
        "pushd",
        "pwd",
        "pycat",
        "pylab",
        "qtconsole",
        "quickref",
        "recall",
        "rehashx",
        "reload_ext",
        "rep",
        "rerun",
        "reset",
        "reset_selective",
        "rm",
        "rmdir",
        "run",
        "save",
        "sc",
        "set_env",
        "store",
        "sx",
        "system",
        "tb",
        "time",
        "timeit",
        "unalias",
        "unload_ext",
        "uv",
        "who",
        "who_ls",
        "whos",
        "xdel",
        "xmode",
    ]
)
# IPython's `splitinput.line_split`, without the escapes (an escaped line is a magic already).
_FIRST_WORD = re.compile(r"^\s*([\w.*]*)(.*)$")
_AUTOMAGIC = re.compile(r"^\s*%automagic\b(.*)$")


@dataclass
class Shell:
    """What automagic depends on, read from a notebook's earlier code cells, in order.

    `used`: the line magics the notebook calls with `%` (an extension's, like autoreload's, once
    loaded, runs without `%` too).
    """

    used: frozenset[str] = frozenset()
    automagic: bool = True
    bound: set[str] = field(default_factory=set)
    automagics: set[str] = field(default_factory=set)

    def python(self, cell: list[str]) -> list[str] | None:
        """A one-line cell that runs a magic by automagic as Python (`pass` on its line, its
        blank lines kept), or None when IPython does not read it so."""
        name = magic_name(cell, self)
        if name is None:
            return None
        self.automagics.add(name)
        return ["pass" if line.strip() else "" for line in cell]

    def ran(self, cell: list[str], python: list[str]) -> None:
        """Record a cell run: its raw lines (for `%automagic`) and its Python (the names it
        binds at the top level)."""
        for line in cell:
            switch = _AUTOMAGIC.match(line)
            if switch:
                arg = switch.group(1).strip().lower()
                on = arg in ("on", "1", "true")
                self.automagic = on or (arg not in ("off", "0", "false") and not self.automagic)
        try:
            tree = ast.parse("\n".join(python) + "\n")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        self.bound |= _top_level_names(tree)


def magic_name(cell: list[str], shell: Shell) -> str | None:
    """The line magic a cell runs by automagic, or None when IPython reads it as Python.

    Only a line that does not parse as Python is a candidate: a line that parses means the same
    to this review either way (`ls` alone, `pwd()`).
    """
    lines = cell[next((i for i, line in enumerate(cell) if line.strip()), len(cell)) :]
    if len(lines) != 1 or not shell.automagic:
        return None
    match = _FIRST_WORD.match(lines[0])
    if match is None:
        return None
    name, rest = match.group(1), match.group(2).lstrip()
    if name not in LINE_MAGICS | shell.used or (rest and rest[0] in "=,"):
        return None
    if name in shell.bound or keyword.iskeyword(name):
        return None
    try:
        ast.parse(lines[0].strip() + "\n")
    except (SyntaxError, ValueError):
        return name
    return None


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names a module binds in its own namespace (not inside a function, class or lambda)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        if isinstance(
            node, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
        ):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name.split(".")[0])
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return names
