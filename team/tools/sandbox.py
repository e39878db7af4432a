"""The sandbox every repository tool goes through.

A `Sandbox` owns one root directory. It turns untrusted paths and glob patterns (they come from a
model) into paths inside that root or refuses them with a `SandboxError` whose message names the
value and the problem, and it caps what a tool returns. Nothing here writes anywhere.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["SECRET_PATTERNS", "Access", "Limits", "Sandbox", "SandboxError", "cap_output"]

SECRET_PATTERNS = (
    ".git",
    ".env*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    ".pgpass",
    ".pypirc",
    ".npmrc",
    ".git-credentials",
)
"""File and folder names the tools never show by default: git's own folder, environment files,
private keys and credential files. A name matching one anywhere in a path hides the path."""

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = _OPEN_FLAGS | getattr(os, "O_DIRECTORY", 0)

MAX_PATH_CHARS = 4096
MAX_COMPONENT_CHARS = 255
MAX_PATTERN_CHARS = 1000

_CONTROL = re.compile(r"[\x01-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_DOTDOT_IN_GLOB = re.compile(r"(?:^|[/{,])\.\.(?:$|[/},])")


class SandboxError(ValueError):
    """A path, pattern or root refused by the sandbox; the message is one line for the model."""


@dataclass(frozen=True)
class Limits:
    """Caps on what one tool call may cost and return.

    Attributes:
        max_entries: Paths listed by `glob` before "... N more".
        max_matches: Lines listed by `grep` before "... N more matches".
        max_lines: Lines returned by one `read_file` call.
        max_bytes: Bytes of any reply; longer replies are cut with a note.
        read_line_chars: Characters kept of one line in `read_file`.
        grep_line_chars: Bytes kept of one matching line in `grep`.
        max_file_bytes: Larger files are skipped by `analyze`.
        timeout: Seconds one tool call may run (ripgrep process or AST walk).

    Example:
        >>> Limits(max_matches=20).max_matches
        20
    """

    max_entries: int = 200
    max_matches: int = 200
    max_lines: int = 400
    max_bytes: int = 64 * 1024
    read_line_chars: int = 2000
    grep_line_chars: int = 300
    max_file_bytes: int = 2 * 1024 * 1024
    timeout: float = 10.0


@dataclass(frozen=True)
class Access:
    """Which files of the repository the tools may show at all.

    Attributes:
        hidden: Name globs (any path component) or path globs (with `/`) that are never listed,
            searched or read; default `SECRET_PATTERNS`.
        read_ignored: Whether `read_file` may read a file that `.gitignore` hides from `glob`
            and `grep` (off: the three tools see the same files).

    Example:
        >>> Access().hides(".env.local"), Access(hidden=()).hides(".env")
        (True, False)
    """

    hidden: tuple[str, ...] = SECRET_PATTERNS
    read_ignored: bool = False

    def hides(self, rel: str) -> bool:
        """Whether a root-relative path is hidden by `hidden`."""
        parts = rel.split("/")
        for pattern in self.hidden:
            if "/" in pattern:
                if fnmatch.fnmatchcase(rel, pattern.strip("/")):
                    return True
            elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                return True
        return False


def _show(value: object) -> str:
    """Quote a refused value for an error message, shortened so the message stays one line."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}...{text[-10:]} ({len(str(value))} chars)"


def _check_text(value: object, what: str, *, max_chars: int) -> str:
    if not isinstance(value, str):
        raise SandboxError(f"{what} must be a string, got {type(value).__name__} {_show(value)}")
    if not value:
        raise SandboxError(f"{what} is empty")
    if "\x00" in value:
        raise SandboxError(f"{what} {_show(value)} contains a NUL byte")
    if len(value) > max_chars:
        raise SandboxError(f"{what} {_show(value)} is too long (over {max_chars} characters)")
    return value


def _check_relative(value: str, what: str) -> None:
    if _CONTROL.search(value):
        raise SandboxError(f"{what} {_show(value)} contains a control character")
    if value.startswith("/") or _DRIVE.match(value):
        raise SandboxError(f"{what} {_show(value)} is absolute; use a path relative to the root")
    if value.startswith("~"):
        raise SandboxError(
            f"{what} {_show(value)} starts with '~'; use a path relative to the root"
        )


class Sandbox:
    """A root directory that untrusted paths are resolved inside.

    Args:
        root: An existing directory. Symlinks in it are resolved once, here.
        limits: Caps for tool calls; the defaults suit a chat model.
        access: Which files may be shown at all; default: no secrets, nothing git ignores.

    Raises:
        SandboxError: The root does not exist or is not a directory.

    Example:
        >>> box = Sandbox(".")
        >>> box.resolve("pyproject.toml").name
        'pyproject.toml'
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        limits: Limits | None = None,
        access: Access | None = None,
    ) -> None:
        if not isinstance(root, str | os.PathLike):
            raise SandboxError(f"root must be a path, got {type(root).__name__} {_show(root)}")
        raw = os.fspath(root)
        if not raw or "\x00" in raw:
            raise SandboxError(f"root {_show(raw)} is not a valid path")
        real = Path(os.path.realpath(Path(raw).expanduser()))
        if not real.exists():
            raise SandboxError(f"root {raw!r} does not exist")
        if not real.is_dir():
            raise SandboxError(f"root {raw!r} is not a directory")
        self.root: Path = real
        self.limits: Limits = limits or Limits()
        self.access: Access = access or Access()

    def __repr__(self) -> str:
        return f"Sandbox({str(self.root)!r})"

    def resolve(self, path: object) -> Path:
        """Resolve an untrusted relative path to an existing file or directory inside the root.

        Refuses `..`, absolute paths, `~`, backslashes, NUL and control characters, over-long
        paths, symlinks that lead outside the root (anywhere along the path), missing paths and
        special files (FIFOs, sockets, devices).

        Args:
            path: The path as the model wrote it, relative to the root.

        Returns:
            The real path (symlinks inside the root resolved).

        Raises:
            SandboxError: The path is refused; the message names it and why.

        Example:
            >>> try:
            ...     Sandbox(".").resolve("../etc/passwd")
            ... except SandboxError as exc:
            ...     print(exc)
            path '../etc/passwd' contains '..'; paths must stay inside the root
        """
        text = _check_text(path, "path", max_chars=MAX_PATH_CHARS)
        _check_relative(text, "path")
        if "\\" in text:
            raise SandboxError(f"path {_show(text)} contains a backslash; separate parts with '/'")
        parts = text.split("/")
        if ".." in parts:
            raise SandboxError(f"path {_show(text)} contains '..'; paths must stay inside the root")
        if any(len(part) > MAX_COMPONENT_CHARS for part in parts):
            raise SandboxError(
                f"path {_show(text)} has a component over {MAX_COMPONENT_CHARS} characters"
            )
        real = Path(os.path.realpath(self.root / text))
        if not real.is_relative_to(self.root):
            raise SandboxError(f"path {_show(text)} leads outside the root through a symlink")
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            raise SandboxError(f"no such file or directory: {_show(text)}") from None
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise SandboxError(f"cannot access {_show(text)}: {reason}") from None
        kind = _special_kind(mode)
        if kind:
            raise SandboxError(f"path {_show(text)} is a {kind}, not a regular file")
        return real

    def relative(self, real: Path) -> str:
        """The root-relative, '/'-separated spelling of a resolved path ('.' for the root).

        Example:
            >>> box = Sandbox(".")
            >>> box.relative(box.root / "team")
            'team'
        """
        rel = real.relative_to(self.root).as_posix()
        return rel if rel else "."

    def check_glob(self, pattern: object, what: str = "glob pattern") -> str:
        """Validate a .gitignore-style glob that filters paths under the root.

        A leading `!` (exclude) is allowed; absolute patterns, `~` and `..` anywhere (also
        inside `{a,..}` or escaped with backslashes) are not.

        Example:
            >>> Sandbox(".").check_glob("src/**/*.py")
            'src/**/*.py'
        """
        text = _check_text(pattern, what, max_chars=MAX_PATTERN_CHARS)
        body = text[1:] if text.startswith("!") else text
        _check_relative(body, what)
        if _DOTDOT_IN_GLOB.search(body.replace("\\", "")):
            raise SandboxError(
                f"{what} {_show(text)} contains '..'; patterns must stay in the root"
            )
        return text

    def check_regex(self, pattern: object) -> str:
        """Validate the type and size of a grep pattern (ripgrep checks the syntax).

        Example:
            >>> Sandbox(".").check_regex("def main")
            'def main'
        """
        return _check_text(pattern, "pattern", max_chars=MAX_PATTERN_CHARS)

    def check_shown(self, text: str, real: Path) -> None:
        """Refuse a path that `access` hides, as written or as resolved.

        Raises:
            SandboxError: The path names a secret (`Access.hidden`).
        """
        for rel in (text.strip("/"), self.relative(real)):
            if self.access.hides(rel):
                raise SandboxError(
                    f"{_show(text)} is hidden from the tools (secrets, keys and .git are not shown)"
                )

    @contextmanager
    def open_file(self, path: object) -> Iterator[BinaryIO]:
        """Open an untrusted relative path for reading, race-free; only regular files.

        The path is resolved (`resolve`) and checked against `access`; then the resolved path
        is opened one component at a time from a descriptor of the root, never following a
        symlink, so a directory swapped for a symlink meanwhile fails instead of leading out.
        The open file must be a regular file with one link: a hard link's other name may be
        anywhere, so it is refused.

        Raises:
            SandboxError: The path is refused, hidden, changed while being opened, not a regular
                file, or a hard link.

        Example:
            >>> with Sandbox(".").open_file("pyproject.toml") as f:
            ...     f.read(1)
            b'['
        """
        real = self.resolve(path)
        text = str(path)
        self.check_shown(text, real)
        if real.is_dir():
            raise SandboxError(f"{_show(text)} is a directory; list it with glob")
        parts = real.relative_to(self.root).parts
        fd = self._open_at(None, str(self.root), _DIR_FLAGS, text)
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                fd = self._open_at(fd, part, _OPEN_FLAGS if last else _DIR_FLAGS, text)
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                kind = _special_kind(info.st_mode) or "directory"
                raise SandboxError(f"{_show(text)} is a {kind}, not a regular file")
            if info.st_nlink > 1:
                raise SandboxError(
                    f"{_show(text)} has {info.st_nlink} hard links (its other names may be "
                    "outside the root); not shown"
                )
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            yield handle

    @staticmethod
    def _open_at(directory: int | None, name: str, flags: int, shown: str) -> int:
        """Open `name` relative to the descriptor `directory` (closed here), no symlinks."""
        try:
            return os.open(name, flags, dir_fd=directory)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                reason = "it changed to a symlink while being opened"
            else:
                reason = (exc.strerror or str(exc)).lower()
            raise SandboxError(f"cannot open {_show(shown)}: {reason}") from None
        finally:
            if directory is not None:
                os.close(directory)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    return ""


def cap_output(text: str, limits: Limits) -> str:
    """Cut a reply longer than `limits.max_bytes` at a line boundary and say so.

    Example:
        >>> cap_output("a\\n" * 10, Limits(max_bytes=6)).splitlines()[-1]
        '[output cut at 6 bytes; ask for less]'
    """
    data = text.encode("utf-8")
    if len(data) <= limits.max_bytes:
        return text
    head = data[: limits.max_bytes].decode("utf-8", "ignore")
    head = head.rsplit("\n", 1)[0] if "\n" in head else head
    return f"{head}\n[output cut at {limits.max_bytes} bytes; ask for less]"
