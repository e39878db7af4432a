"""Running ripgrep for the tools: one shared command line, a time limit, file selection by glob.

Ripgrep walks the tree (honouring `.gitignore`) and does all filtering; Python only reads its
output. A user's glob is turned into ripgrep flags that can never bring back an ignored file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from team.tools.sandbox import Sandbox, SandboxError

__all__ = [
    "SKIPPED_DIRS",
    "RgRun",
    "Selection",
    "find_rg",
    "glob_regex",
    "list_files",
    "list_raw",
    "rg_command",
    "run_rg",
    "select",
]

SKIPPED_DIRS = (".git", ".venv", "node_modules", "__pycache__")
"""Directories that `glob`, `grep` and `analyze` never enter, whatever `.gitignore` says."""


def find_rg() -> str:
    """Locate the ripgrep binary: next to the Python interpreter (the `ripgrep` wheel), or on PATH.

    Raises:
        SandboxError: Neither place has an `rg` binary.

    Example:
        >>> Path(find_rg()).name
        'rg'
    """
    beside = Path(sys.executable).parent / "rg"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("rg")
    if found:
        return found
    raise SandboxError(
        "ripgrep ('rg') not found next to the Python interpreter or on PATH; "
        "install the 'ripgrep' package"
    )


def rg_command(
    *flags: str, paths: tuple[str, ...] = (".",), hidden: tuple[str, ...] = ()
) -> list[str]:
    """The ripgrep command line: shared flags, then `flags`, then `paths` (run in the root).

    Ripgrep reads no config file, honours `.gitignore`/`.ignore` even outside a git
    repository, includes hidden files, never follows symlinks and always skips
    `SKIPPED_DIRS` and the `hidden` globs (`Access.hidden`). The exclusions come after `flags`
    so they win over a user's glob.
    Paths must be root-relative and start with `./` so none can be read as an option.

    Example:
        >>> rg_command("--files")[1:3]
        ['--no-config', '--no-require-git']
    """
    skips = [arg for name in (*SKIPPED_DIRS, *hidden) for arg in ("--glob", f"!{name}")]
    common = ["--no-config", "--no-require-git", "--no-ignore-global", "--hidden"]
    return [find_rg(), *common, "--no-follow", "--color", "never", *flags, *skips, *paths]


class RgRun:
    """A running ripgrep: its stdout, and once finished its exit code, stderr and timeout flag."""

    def __init__(self, process: subprocess.Popen[bytes], pattern: str | None) -> None:
        self.process = process
        self.pattern = pattern
        self.stdout: BinaryIO = process.stdout  # type: ignore[assignment]
        self.timed_out = False
        self.returncode: int | None = None
        self.stderr_text = ""

    def kill(self) -> None:
        self.timed_out = True
        self.process.kill()

    @property
    def failure(self) -> str:
        """Why ripgrep failed (exit code 2 with a message), in one line; "" if it did not.

        Run with `--no-messages`, ripgrep only complains about the pattern or a glob.
        """
        lines = [line.strip() for line in self.stderr_text.splitlines() if line.strip()]
        if self.returncode != 2 or self.timed_out or not lines:
            return ""
        text = " ".join(lines)
        details = [line.removeprefix("error: ") for line in lines if line.startswith("error:")]
        if "regex parse error" in text:
            return f"invalid regex {self.pattern!r}: {details[-1] if details else text}"
        first = lines[0].removeprefix("rg: ")
        if first.startswith("error parsing glob "):
            return f"invalid glob {first.removeprefix('error parsing glob ')}"
        if "regex" in text:
            return f"invalid regex {self.pattern!r}: {first}"
        return f"ripgrep failed: {first}"


@contextmanager
def run_rg(sandbox: Sandbox, command: list[str], *, pattern: str | None = None) -> Iterator[RgRun]:
    """Run ripgrep in the root and stream its stdout; kill it at the time limit.

    Args:
        sandbox: Gives the working directory and the time limit.
        command: From `rg_command`.
        pattern: The regex searched for, to name it in `RgRun.failure`.

    Example:
        >>> with run_rg(Sandbox("."), rg_command("--files", "--null")) as run:
        ...     isinstance(run.stdout.read(1), bytes)
        True
    """
    process = subprocess.Popen(
        command,
        cwd=sandbox.root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    run = RgRun(process, pattern)
    timer = threading.Timer(sandbox.limits.timeout, run.kill)
    timer.start()
    try:
        yield run
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
        stderr = process.stderr.read() if process.stderr else b""
        run.stderr_text = stderr.decode("utf-8", "replace")
        run.returncode = process.wait()
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]


def list_raw(sandbox: Sandbox, *flags: str, under: str = ".") -> list[bytes]:
    """The files ripgrep would search, as it prints them (bytes, `./` prefix, unsorted).

    Honours `.gitignore`, skips `SKIPPED_DIRS` and symlinks. `flags` are extra ripgrep flags;
    `under` is a root-relative directory already checked by `Sandbox.resolve`.

    Raises:
        SandboxError: Listing failed or took longer than the time limit.

    Example:
        >>> b"./pyproject.toml" in list_raw(Sandbox("."))
        True
    """
    start = "./" if under == "." else f"./{under}"
    command = rg_command(
        "--files", "--null", "--no-messages", *flags, paths=(start,), hidden=sandbox.access.hidden
    )
    with run_rg(sandbox, command) as run:
        data = run.stdout.read()
    if run.timed_out:
        limit = sandbox.limits.timeout
        raise SandboxError(f"listing files took over {limit:g} s; use a subdirectory")
    if run.failure:
        raise SandboxError(run.failure)
    return [raw for raw in data.split(b"\0") if raw]


def list_files(sandbox: Sandbox, *flags: str, under: str = ".") -> list[str]:
    """Root-relative paths of the files ripgrep would search (see `list_raw`), unsorted.

    Example:
        >>> "pyproject.toml" in list_files(Sandbox("."))
        True
    """
    return [_relative(raw) for raw in list_raw(sandbox, *flags, under=under)]


def refuse_unlisted(sandbox: Sandbox, path: str) -> None:
    """Refuse a file `glob` would not list (`.gitignore`, skipped or hidden), unless the
    sandbox's `Access.read_ignored` allows reading it anyway.

    Raises:
        SandboxError: The file is not among the files ripgrep would search.

    Example:
        >>> refuse_unlisted(Sandbox("."), "pyproject.toml")
    """
    if sandbox.access.read_ignored:
        return
    rel = sandbox.relative(sandbox.resolve(path))
    # Ignore everything but the folders leading to the file and the file: ripgrep walks only
    # that chain, and the repository's own ignore files still win over these rules.
    parts = [re.sub(r"([\\*?\[\]{}!#])", r"\\\1", part) for part in rel.split("/")]
    chain = [f"!/{'/'.join(parts[:n])}/" for n in range(1, len(parts))]
    rules = "\n".join(["*", *chain, f"!/{'/'.join(parts)}", ""])
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix="teamgraph-", suffix=".ignore"
    ) as handle:
        handle.write(rules)
        handle.flush()
        listed = list_raw(sandbox, "--ignore-file", handle.name)
    if f"./{rel}".encode() not in listed:
        raise SandboxError(
            f"{path!r} is ignored (.gitignore, or a folder like node_modules); "
            "glob and grep do not show it either"
        )


def _relative(raw: bytes) -> str:
    return (raw[2:] if raw.startswith(b"./") else raw).decode("utf-8", "replace")


@dataclass(frozen=True)
class Selection:
    """Ripgrep flags selecting the files a glob names, and a re-check for the paths found.

    Attributes:
        flags: Ripgrep flags to add.
        keep: None, or a test a root-relative path must pass (drops files that a `!rule` in
            a `.gitignore` re-included although the glob does not match them).
    """

    flags: list[str]
    keep: Callable[[str], bool] | None = None

    def keep_raw(self) -> Callable[[bytes], bool] | None:
        """`keep` for paths as ripgrep prints them, memoised per path."""
        if self.keep is None:
            return None
        keep, seen = self.keep, {}

        def check(raw: bytes) -> bool:
            if raw not in seen:
                seen[raw] = keep(_relative(raw))
            return seen[raw]

        return check


@contextmanager
def select(pattern: str) -> Iterator[Selection]:
    """Ripgrep flags for a checked glob, in `.gitignore` syntax, that never override ignores.

    A file-name pattern (no `/`) becomes a ripgrep file type and an exclusion (`!glob`) a
    negated `--glob`. A path pattern (`src/**/*.py`, `tests/`) cannot be a `--glob`, which would
    re-include gitignored files: it becomes a temporary ignore file (outside the repository)
    that ignores everything but the pattern, with lower precedence than the repository's own.

    Example:
        >>> with select("*.py") as selection:
        ...     selection.flags
        ['--type-add', 'teamselect:*.py', '--type', 'teamselect']
    """
    negated = pattern.startswith("!")
    body = pattern[negated:]
    while body.startswith("./"):
        body = body[2:]
    body = body or "**"
    if negated:
        yield Selection(["--glob", f"!{body}"])
        return
    if "/" not in body and ":" not in body:
        yield Selection(["--type-add", f"teamselect:{body}", "--type", "teamselect"])
        return
    regex = glob_regex(body)
    directory = body.rstrip("/")
    anywhere = "" if "/" in directory else "**/"  # as in .gitignore, 'pkg/' matches at any depth
    rules = f"*\n!*/\n!{body}\n!{anywhere}{directory}/**\n"
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix="teamgraph-", suffix=".ignore"
    ) as handle:
        handle.write(rules)
        handle.flush()
        yield Selection(["--ignore-file", handle.name], keep=lambda path: bool(regex.match(path)))


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex over root-relative paths for a `.gitignore`-style path glob.

    Anchored at the root when a `/` comes before the end, else at any depth; a match on a
    directory selects everything in it; a trailing `/` matches directories only. Supports
    `*`, `**`, `?`, `[...]`, `[!...]`, `{a,b}` and backslash escapes, like ripgrep.

    Raises:
        SandboxError: An unclosed `[` or `{`, or nested `{`.

    Example:
        >>> bool(glob_regex("src/**/*.py").match("src/a/b.py"))
        True
    """
    core = pattern.rstrip("/")
    parts: list[str] = []
    index, in_braces = 0, False
    while index < len(core):
        char = core[index]
        if core.startswith("**", index) and (index == 0 or core[index - 1] == "/"):
            after = core[index + 2 : index + 3]
            if after in ("", "/"):  # a whole '**' component: any number of directories
                parts.append("(?:.*/)?" if after else ".*")
                index += 3
                continue
        if char == "[":
            regex, index = _char_class(pattern, core, index)
            parts.append(regex)
            continue
        if char == "\\" and index + 1 < len(core):
            index += 1
            parts.append(re.escape(core[index]))
        elif char == "{":
            if in_braces:
                raise SandboxError(f"invalid glob {pattern!r}: nested alternate groups")
            in_braces = True
            parts.append("(?:")
        elif char == "}" and in_braces:
            in_braces = False
            parts.append(")")
        elif char == "," and in_braces:
            parts.append("|")
        else:
            parts.append({"*": "[^/]*", "?": "[^/]"}.get(char) or re.escape(char))
        index += 1
    if in_braces:
        raise SandboxError(f"invalid glob {pattern!r}: unclosed alternate group")
    prefix = "" if "/" in core else "(?:.*/)?"
    suffix = "/.*" if pattern.endswith("/") else "(?:/.*)?"
    return re.compile(f"{prefix}{''.join(parts)}{suffix}\\Z", re.DOTALL)


def _char_class(pattern: str, core: str, index: int) -> tuple[str, int]:
    """The regex for the `[...]` class starting at `index`, and the index after it."""
    negate = core[index + 1 : index + 2] in ("!", "^")
    start = index + 1 + negate
    end = core.find("]", start + 1)  # a ']' right after '[' or '[!' is part of the class
    if end < 0:
        raise SandboxError(f"invalid glob {pattern!r}: unclosed character class")
    body = core[start:end].replace("\\", "\\\\").replace("[", "\\[")
    if not negate and body.startswith("^"):
        body = "\\" + body
    return f"[{'^' if negate else ''}{body}]", end + 1
