"""Read-only repository tools: `glob`, `read_file` and `grep`, as plain functions of a `Sandbox`.

Each function returns the text a model sees and raises `SandboxError` for a refused input;
`team.tools.repo_tools` turns them into LangChain tools that reply `error: ...` instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from team.tools.ripgrep import (
    Selection,
    list_files,
    refuse_unlisted,
    rg_command,
    run_rg,
    select,
)
from team.tools.sandbox import Sandbox, SandboxError, cap_output

__all__ = ["glob_files", "grep", "grep_command", "read_file"]

_BINARY_PROBE = 8 * 1024


def glob_files(sandbox: Sandbox, pattern: str) -> str:
    """List files matching a glob, sorted, capped with a "... N more" note.

    A pattern without `/` matches file names at any depth (`*.py`, `Dockerfile`); one with `/`
    matches paths from the root (`src/*.py`, `src/**/*.py`, `tests/`); `!pattern` lists the
    files not matching. Ignored files (`.gitignore`, `SKIPPED_DIRS`) and symlinks never show.

    Example:
        >>> print(glob_files(Sandbox("."), "pyproject.toml"))
        pyproject.toml
    """
    pattern = sandbox.check_glob(pattern)
    with select(pattern) as selection:
        paths = list_files(sandbox, *selection.flags)
    if selection.keep is not None:
        paths = [path for path in paths if selection.keep(path)]
    paths = [path for path in paths if _one_link(sandbox, path)]
    if not paths:
        hint = "a pattern without '/' matches file names, e.g. '*.py'; paths look like 'src/**'"
        if "/" not in pattern and (sandbox.root / pattern).is_dir():
            hint = f"{pattern!r} is a directory: list it with '{pattern}/'"
        return f"no files match {pattern!r} ({hint})"
    paths.sort()
    cap = sandbox.limits.max_entries
    body = cap_output("\n".join(paths[:cap]), sandbox.limits)
    if len(paths) > cap:
        body += f"\n... {len(paths) - cap} more files (narrow the pattern)"
    return body


def read_file(sandbox: Sandbox, path: str, start_line: int = 1, end_line: int | None = None) -> str:
    """Numbered lines of a text file, `start_line` to `end_line` (inclusive, 1-based).

    Binary files (a NUL byte in the first 8 KiB) are refused. One call returns at most
    `limits.max_lines` lines and `limits.max_bytes` bytes and then says how to read on.

    Example:
        >>> print(read_file(Sandbox("."), "pyproject.toml", end_line=1))
           1 | [build-system]
    """
    limits = sandbox.limits
    _check_line(start_line, "start_line")
    if end_line is not None:
        _check_line(end_line, "end_line")
        if end_line < start_line:
            raise SandboxError(f"end_line={end_line} is before start_line={start_line}")
    if isinstance(path, str) and path.strip("/") and sandbox.resolve(path).is_dir():
        raise SandboxError(f"{path!r} is a directory; list it with glob('{path.rstrip('/')}/*')")
    deadline = time.monotonic() + limits.timeout
    line_bytes = 4 * limits.read_line_chars
    shown: list[tuple[int, str]] = []
    size = 0
    lineno = 0
    more_from: int | None = None
    with sandbox.open_file(path) as handle:
        refuse_unlisted(sandbox, path)
        if b"\0" in handle.read(_BINARY_PROBE):
            raise SandboxError(f"{path!r} is a binary file (it has NUL bytes); not shown")
        handle.seek(0)
        while True:
            raw = handle.readline(line_bytes)
            if not raw:
                break
            shortened = not raw.endswith(b"\n") and len(raw) == line_bytes
            while shortened and (rest := handle.readline(line_bytes)) and not rest.endswith(b"\n"):
                if time.monotonic() > deadline:  # skip the rest of an over-long line
                    raise SandboxError(f"reading {path!r} took over {limits.timeout:g} s")
            lineno += 1
            if lineno % 4096 == 0 and time.monotonic() > deadline:
                raise SandboxError(f"reading {path!r} took over {limits.timeout:g} s")
            if lineno < start_line:
                continue
            if end_line is not None and lineno > end_line:
                break
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            if shortened or len(text) > limits.read_line_chars:
                text = f"{text[: limits.read_line_chars]} [... line shortened]"
            size += len(text.encode("utf-8")) + 8
            if len(shown) >= limits.max_lines or (shown and size > limits.max_bytes):
                more_from = lineno
                break
            shown.append((lineno, text))
    if not shown:
        if lineno == 0:
            return f"{path!r} is empty"
        raise SandboxError(f"start_line={start_line} is past the end of {path!r} ({lineno} lines)")
    width = max(4, len(str(shown[-1][0])))
    body = "\n".join(f"{number:>{width}} | {text}" for number, text in shown)
    if more_from is not None:
        body += (
            f"\n[stopped after {len(shown)} lines; call read_file({path!r}, "
            f"start_line={more_from}) to read more]"
        )
    return body


def _check_line(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SandboxError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise SandboxError(f"{name}={value} must be 1 or more (lines are numbered from 1)")


def grep(sandbox: Sandbox, pattern: str, glob: str | None = None, ignore_case: bool = False) -> str:
    """Search file contents with ripgrep; lines `path:line: text`, sorted by path then line.

    The pattern is a Rust regex (linear time, no backreferences). At most `limits.max_matches`
    lines are shown, then "... N more matches". Gitignored, binary and skipped files are not
    searched; `glob` narrows the files (.gitignore syntax, e.g. `*.py` or `src/**`).

    Example:
        >>> print(grep(Sandbox("."), "build-system", glob="pyproject.toml"))
        pyproject.toml:1: [build-system]
    """
    limits = sandbox.limits
    cap = max(1, limits.max_matches)
    kept, total = [], 0
    bound = b"\xff"
    with grep_command(sandbox, pattern, glob, ignore_case) as (command, selection):
        keep = selection.keep_raw() if selection else None
        with run_rg(sandbox, command, pattern=pattern) as run:
            # Keep only the `cap` smallest (path, line) lines, but count them all. A line whose
            # path sorts after the current cap-th path is dropped with one bytes comparison.
            for line in run.stdout:
                if keep is not None and not keep(line.partition(b"\0")[0]):
                    continue
                total += 1
                if line < bound:
                    kept.append(line)
                    if len(kept) >= 4 * cap:
                        kept.sort(key=_match_key)
                        del kept[cap:]
                        bound = kept[-1].partition(b"\0")[0] + b"\0\xff"
    if run.failure:
        raise SandboxError(run.failure)
    if run.timed_out and not total:
        raise SandboxError(
            f"grep for {pattern!r} took over {limits.timeout:g} s; narrow it or add a glob filter"
        )
    if not total:
        where = f" in files matching {glob!r}" if glob is not None else ""
        return f"no matches for {pattern!r}{where}"
    kept.sort(key=_match_key)
    shown = _openable(sandbox, kept, cap)
    total -= len(kept) - len(shown) if len(shown) < cap else 0
    if not shown:
        return f"no matches for {pattern!r}"
    body = cap_output("\n".join(_format_match(line) for line in shown), limits)
    if total > cap:
        body += f"\n... {total - cap} more matches (narrow the pattern or add a glob filter)"
    if run.timed_out:
        body += f"\n[search stopped at the {limits.timeout:g} s limit; results are partial]"
    return body


@contextmanager
def grep_command(
    sandbox: Sandbox, pattern: str, glob: str | None = None, ignore_case: bool = False
) -> Iterator[tuple[list[str], Selection | None]]:
    """The ripgrep command `grep` runs in the root, and the file selection for `glob`.

    A context manager, because a path glob lives in a temporary ignore file until the end.

    Example:
        >>> with grep_command(Sandbox("."), "-x") as (command, selection):
        ...     command[command.index("--regexp") + 1], selection
        ('-x', None)
    """
    pattern = sandbox.check_regex(pattern)
    if not isinstance(ignore_case, bool):
        raise SandboxError(f"ignore_case must be true or false, got {ignore_case!r}")
    flags = ["--no-heading", "--line-number", "--with-filename", "--null", "--no-messages"]
    flags += ["--max-columns", str(sandbox.limits.grep_line_chars), "--max-columns-preview"]
    if ignore_case:
        flags.append("--ignore-case")
    if glob is None:
        yield rg_command(*flags, "--regexp", pattern, hidden=sandbox.access.hidden), None
        return
    with select(sandbox.check_glob(glob, "glob filter")) as selection:
        hidden = sandbox.access.hidden
        yield rg_command(*flags, *selection.flags, "--regexp", pattern, hidden=hidden), selection


def _one_link(sandbox: Sandbox, path: str) -> bool:
    """Whether a listed file has no other name (`read_file` refuses hard links)."""
    try:
        return os.lstat(sandbox.root / path).st_nlink == 1
    except OSError:
        return False


def _openable(sandbox: Sandbox, lines: list[bytes], cap: int) -> list[bytes]:
    """The first `cap` lines that `read_file` would show too.

    ripgrep reads by path, so a folder swapped for a symlink during the search can make it read
    a file outside the root. Each matched file is opened again the race-free way (`open_file`)
    and a line is kept only if the file inside the root has that text at that line number:
    whatever ripgrep read through a swapped folder, only what is inside is shown. Hard links
    are refused by `open_file` too.
    """
    wanted: dict[bytes, set[int]] = {}
    for line in lines[: 4 * cap]:
        path, _, rest = line.partition(b"\0")
        number = rest.partition(b":")[0]
        if number.isdigit():
            wanted.setdefault(path, set()).add(int(number))
    inside = {path: _lines_at(sandbox, path, numbers) for path, numbers in wanted.items()}
    out: list[bytes] = []
    for line in lines:
        path, _, rest = line.partition(b"\0")
        number, _, text = rest.partition(b":")
        real = inside.get(path, {}).get(int(number)) if number.isdigit() else None
        if real is not None and _same_line(text, real):
            out.append(line)
            if len(out) >= cap:
                break
    return out


_PREVIEW = b" [... omitted end of long line]"


def _lines_at(sandbox: Sandbox, path: bytes, numbers: set[int]) -> dict[int, bytes]:
    """The lines `numbers` of a file, read through `open_file` (empty if it is refused)."""
    found: dict[int, bytes] = {}
    last = max(numbers)
    try:
        with sandbox.open_file(path.decode("utf-8", "surrogateescape").removeprefix("./")) as f:
            for index, line in enumerate(f, start=1):
                if index in numbers:
                    found[index] = line
                if index >= last:
                    break
    except (SandboxError, OSError):
        return {}
    return found


def _same_line(shown: bytes, real: bytes) -> bool:
    """ripgrep's text for a line is the file's line (or, for a long line, its preview)."""
    shown, real = shown.rstrip(b"\r\n"), real.rstrip(b"\r\n")
    if shown.endswith(_PREVIEW):
        return real.startswith(shown.removesuffix(_PREVIEW))
    return shown == real


def _match_key(line: bytes) -> tuple[bytes, int]:
    path, _, rest = line.partition(b"\0")
    number = rest.partition(b":")[0]
    return path, int(number) if number.isdigit() else 0


def _format_match(line: bytes) -> str:
    path, _, rest = line.partition(b"\0")
    number, _, text = rest.partition(b":")
    shown_path = path[2:] if path.startswith(b"./") else path
    body = text.decode("utf-8", "replace").rstrip("\r\n")
    return f"{shown_path.decode('utf-8', 'replace')}:{number.decode()}: {body}"
