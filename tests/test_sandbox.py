"""Hostile inputs to the repository tools: each is refused with a clear `error: ...` reply.

Every test also checks that nothing in the tree (or next to it) changed.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import socket
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.tools import BaseTool

from team.tools import Limits, Sandbox, SandboxError, repo_tools, run_tool


def _snapshot(top: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `top` (symlinks not followed): type, size, mtime and content hash."""
    entries: dict[str, tuple[object, ...]] = {}
    for directory, dirs, files in os.walk(top, followlinks=False):
        for name in dirs + files:
            path = Path(directory, name)
            info = path.lstat()
            extra: object = None
            if stat.S_ISLNK(info.st_mode):
                extra = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                extra = hashlib.sha256(path.read_bytes()).hexdigest()
            key = str(path.relative_to(top))
            entries[key] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, extra)
    return entries


@dataclass
class Hostile:
    base: Path
    repo: Path
    tools: dict[str, BaseTool]
    has_device: bool
    before: dict[str, tuple[object, ...]]

    def unchanged(self) -> bool:
        return _snapshot(self.base) == self.before


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """A repository full of traps, next to an `outside` directory holding a secret."""
    base = tmp_path_factory.mktemp("h")
    outside = base / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text("TOP SECRET\n")
    (outside / "dir" / "s.txt").write_text("TOP SECRET too\n")
    (outside / "code.py").write_text("import sklearn\n")
    repo = base / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "sub").mkdir()
    (repo / "README.md").write_text("hello\n")
    (repo / "src" / "app.py").write_text("def main():\n    return 1\n")
    (repo / "bin.dat").write_bytes(b"\x7fELF\x00\x01\x02")
    (repo / "sub" / "deep_link").symlink_to("../../outside/secret.txt")
    (repo / "link_out.txt").symlink_to(outside / "secret.txt")
    (repo / "link_dir").symlink_to("../outside")
    (repo / "link_chain").symlink_to("link_out.txt")
    (repo / "link_py.py").symlink_to(outside / "code.py")
    (repo / "abs_link").symlink_to("/etc/passwd")
    (repo / "loop_a").symlink_to("loop_b")
    (repo / "loop_b").symlink_to("loop_a")
    os.mkfifo(repo / "fifo")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(repo / "sock"))
    try:
        os.mknod(repo / "dev", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        has_device = True
    except (PermissionError, OSError):
        has_device = False
    tools = {tool.name: tool for tool in repo_tools(repo)}
    return Hostile(base, repo, tools, has_device, _snapshot(base))


LONG = "x" * 5000
HOSTILE: list[tuple[str, dict[str, object], str]] = [
    # read_file: escapes
    ("read_file", {"path": "../outside/secret.txt"}, "contains '..'"),
    ("read_file", {"path": "../../../../etc/passwd"}, "contains '..'"),
    ("read_file", {"path": "src/../../outside/secret.txt"}, "contains '..'"),
    ("read_file", {"path": "./../outside/secret.txt"}, "contains '..'"),
    ("read_file", {"path": ".."}, "contains '..'"),
    ("read_file", {"path": "/etc/passwd"}, "is absolute"),
    ("read_file", {"path": "/proc/self/environ"}, "is absolute"),
    ("read_file", {"path": "//etc/passwd"}, "is absolute"),
    ("read_file", {"path": "C:/Windows/win.ini"}, "is absolute"),
    ("read_file", {"path": "~/.ssh/id_rsa"}, "starts with '~'"),
    ("read_file", {"path": "~root/.bashrc"}, "starts with '~'"),
    ("read_file", {"path": "..\\outside\\secret.txt"}, "backslash"),
    # read_file: symlinks out of the tree
    ("read_file", {"path": "link_out.txt"}, "outside the root through a symlink"),
    ("read_file", {"path": "link_dir/secret.txt"}, "outside the root through a symlink"),
    ("read_file", {"path": "link_dir/dir/s.txt"}, "outside the root through a symlink"),
    ("read_file", {"path": "sub/deep_link"}, "outside the root through a symlink"),
    ("read_file", {"path": "link_chain"}, "outside the root through a symlink"),
    ("read_file", {"path": "abs_link"}, "outside the root through a symlink"),
    ("read_file", {"path": "link_dir/missing"}, "outside the root through a symlink"),
    ("read_file", {"path": "loop_a"}, "too many levels of symbolic links"),
    # read_file: special and unreadable files
    ("read_file", {"path": "fifo"}, "is a FIFO"),
    ("read_file", {"path": "sock"}, "is a socket"),
    ("read_file", {"path": "dev"}, "is a character device"),
    ("read_file", {"path": "bin.dat"}, "binary file"),
    ("read_file", {"path": "src"}, "is a directory"),
    ("read_file", {"path": "missing.txt"}, "no such file or directory: 'missing.txt'"),
    # read_file: malformed values
    ("read_file", {"path": "README.md\x00.txt"}, "NUL byte"),
    ("read_file", {"path": "README.md\n"}, "control character"),
    ("read_file", {"path": LONG}, "too long (over 4096 characters)"),
    ("read_file", {"path": "src/" + "y" * 300}, "component over 255 characters"),
    ("read_file", {"path": ""}, "path is empty"),
    ("read_file", {"path": 5}, "invalid argument path=5"),
    ("read_file", {"path": None}, "invalid argument path=None"),
    ("read_file", {"path": ["README.md"]}, "invalid argument path=['README.md']"),
    ("read_file", {}, "missing argument 'path'"),
    ("read_file", {"path": "README.md", "mode": "w"}, "unknown argument 'mode'"),
    ("read_file", {"path": "README.md", "start_line": 0}, "start_line=0 must be 1 or more"),
    ("read_file", {"path": "README.md", "start_line": -3}, "start_line=-3 must be 1 or more"),
    ("read_file", {"path": "README.md", "start_line": 5, "end_line": 2}, "before start_line=5"),
    ("read_file", {"path": "README.md", "start_line": "one"}, "invalid argument start_line="),
    ("read_file", {"path": "README.md", "start_line": 99}, "past the end of 'README.md'"),
    # glob
    ("glob", {"pattern": "../*"}, "contains '..'"),
    ("glob", {"pattern": "**/../../*"}, "contains '..'"),
    ("glob", {"pattern": "{..,src}/*"}, "contains '..'"),
    ("glob", {"pattern": "\\.\\./outside/*"}, "contains '..'"),
    ("glob", {"pattern": "!../x"}, "contains '..'"),
    ("glob", {"pattern": "/etc/*"}, "is absolute"),
    ("glob", {"pattern": "~/*"}, "starts with '~'"),
    ("glob", {"pattern": ""}, "glob pattern is empty"),
    ("glob", {"pattern": "*\x00"}, "NUL byte"),
    ("glob", {"pattern": LONG}, "too long"),
    ("glob", {"pattern": 42}, "invalid argument pattern=42"),
    ("glob", {"pattern": "["}, "invalid glob '[': unclosed character class"),
    ("glob", {"pattern": "src/{a,"}, "invalid glob 'src/{a,': unclosed alternate group"),
    # grep
    ("grep", {"pattern": "("}, "invalid regex '(': unclosed group"),
    ("grep", {"pattern": "[z-a]"}, "invalid regex"),
    ("grep", {"pattern": "\\p{NotAClass}"}, "invalid regex"),
    ("grep", {"pattern": "a\\nb"}, "invalid regex"),
    ("grep", {"pattern": "(?<=x)y"}, "invalid regex"),
    ("grep", {"pattern": ""}, "pattern is empty"),
    ("grep", {"pattern": "a\x00"}, "NUL byte"),
    ("grep", {"pattern": LONG}, "too long"),
    ("grep", {"pattern": 7}, "invalid argument pattern=7"),
    ("grep", {"pattern": "x", "glob": "../outside/*"}, "glob filter '../outside/*' contains '..'"),
    ("grep", {"pattern": "x", "glob": "/etc/*"}, "glob filter '/etc/*' is absolute"),
    ("grep", {"pattern": "x", "glob": ""}, "glob filter is empty"),
    ("grep", {"pattern": "x", "glob": "*.[py"}, "invalid glob '*.[py'"),
    ("grep", {"pattern": "x", "ignore_case": "maybe"}, "invalid argument ignore_case='maybe'"),
    # analyze
    ("analyze", {"path": "../outside"}, "contains '..'"),
    ("analyze", {"path": "/etc"}, "is absolute"),
    ("analyze", {"path": "link_dir"}, "outside the root through a symlink"),
    ("analyze", {"path": "link_py.py"}, "outside the root through a symlink"),
    ("analyze", {"path": "fifo"}, "is a FIFO"),
    ("analyze", {"path": "README.md"}, "needs a .py or .ipynb file or a directory"),
    ("analyze", {"path": 3}, "invalid argument path=3"),
]


@pytest.mark.parametrize(
    ("tool", "args", "problem"),
    HOSTILE,
    ids=[f"{i:02d}-{tool}" for i, (tool, _, _) in enumerate(HOSTILE)],
)
def test_hostile_input_is_refused(
    hostile: Hostile, tool: str, args: dict[str, object], problem: str
) -> None:
    if args.get("path") == "dev" and not hostile.has_device:
        pytest.skip("creating a device file needs CAP_MKNOD")
    reply = hostile.tools[tool].invoke(args)
    assert reply.startswith("error: "), reply
    assert problem in reply
    assert "\n" not in reply
    assert "TOP SECRET" not in reply
    assert hostile.unchanged()


def test_at_least_forty_hostile_inputs() -> None:
    assert len(HOSTILE) >= 40


def test_refusals_name_the_value(hostile: Hostile) -> None:
    read = hostile.tools["read_file"]
    assert read.invoke({"path": "link_out.txt"}) == (
        "error: path 'link_out.txt' leads outside the root through a symlink"
    )
    assert read.invoke({"path": "/etc/passwd"}) == (
        "error: path '/etc/passwd' is absolute; use a path relative to the root"
    )
    assert read.invoke({"path": LONG}) == (
        f"error: path '{'x' * 59}...{'x' * 9}' (5000 chars) is too long (over 4096 characters)"
    )


def test_symlinked_and_special_files_are_invisible_to_listing_and_search(
    hostile: Hostile,
) -> None:
    tools = hostile.tools
    listing = tools["glob"].invoke({"pattern": "**"})
    assert listing.splitlines() == ["README.md", "bin.dat", "src/app.py"]
    assert tools["grep"].invoke({"pattern": "SECRET"}) == "no matches for 'SECRET'"
    summary = tools["analyze"].invoke({})
    assert "sklearn" not in summary
    assert "analyzed 1 Python file and 0 notebooks in '.'" in summary
    assert hostile.unchanged()


def test_pattern_starting_with_dash_is_not_an_option(tmp_path: Path) -> None:
    (tmp_path / "run.sh").write_text("rm -rf build\n--files\n")
    grep = repo_tools(tmp_path, allowed=["grep"])[0]
    assert grep.invoke({"pattern": "-rf"}) == "run.sh:1: rm -rf build"
    assert grep.invoke({"pattern": "--files"}) == "run.sh:2: --files"
    assert grep.invoke({"pattern": "--version"}) == "no matches for '--version'"


def test_catastrophic_regex_returns(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a" * 50_000 + "\n" + "a" * 30 + "!\n")
    grep = repo_tools(tmp_path, allowed=["grep"])[0]
    reply = grep.invoke({"pattern": "(a+)+$"})
    assert reply.startswith("a.txt:1: aaaa")
    assert reply.endswith("[... omitted end of long line]")
    assert len(reply.splitlines()) == 1
    reply = grep.invoke({"pattern": "(a|aa)+(a|aa)+b"})
    assert reply == "no matches for '(a|aa)+(a|aa)+b'"


def test_root_must_be_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(SandboxError, match="does not exist"):
        Sandbox(tmp_path / "missing")
    with pytest.raises(SandboxError, match="is not a directory"):
        repo_tools(tmp_path / "file.txt")
    with pytest.raises(SandboxError, match="root must be a path, got int 5"):
        Sandbox(5)  # type: ignore[arg-type]
    with pytest.raises(SandboxError, match="is not a directory"):
        run_tool(tmp_path / "file.txt", "glob", ["*"])


def test_resolve_raises_and_keeps_paths_inside(hostile: Hostile) -> None:
    box = Sandbox(hostile.repo)
    assert box.resolve("src/app.py") == box.root / "src" / "app.py"
    assert box.resolve(".") == box.root
    with pytest.raises(SandboxError, match=r"path '\.\./outside' contains '\.\.'"):
        box.resolve("../outside")
    with pytest.raises(SandboxError, match="path must be a string, got bytes"):
        box.resolve(b"README.md")


def test_symlink_inside_the_root_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("inside\n")
    (tmp_path / "alias.txt").symlink_to("real.txt")
    read = repo_tools(tmp_path, allowed=["read_file"])[0]
    assert read.invoke({"path": "alias.txt"}) == "   1 | inside"


def test_device_file_refused_when_root_is_dev() -> None:
    read = repo_tools("/dev", allowed=["read_file"])[0]
    reply = read.invoke({"path": "null"})
    assert reply == "error: path 'null' is a character device, not a regular file"


def test_missing_ripgrep_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    grep = repo_tools(tmp_path, allowed=["grep"])[0]
    reply = grep.invoke({"pattern": "x"})
    assert reply.startswith("error: ripgrep ('rg') not found next to the Python interpreter")


def test_ripgrep_that_hangs_is_killed_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fake rg that blocks opening a FIFO nobody writes to: only the time limit ends it.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.mkfifo(tmp_path / "never")
    fake = bin_dir / "rg"
    fake.write_text(f"#!/bin/sh\nexec cat {tmp_path / 'never'}\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    repo = tmp_path / "repo"
    repo.mkdir()
    grep = repo_tools(repo, allowed=["grep"], limits=Limits(timeout=0.2))[0]
    assert grep.invoke({"pattern": "x"}) == (
        "error: grep for 'x' took over 0.2 s; narrow it or add a glob filter"
    )


def test_analyze_stops_at_its_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analyze_module = importlib.import_module("team.tools.analyze")

    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text("x = 1\n")
    ticks = iter(range(0, 1000, 4))

    class Clock:
        @staticmethod
        def monotonic() -> float:
            return float(next(ticks))

    monkeypatch.setattr(analyze_module, "time", Clock)
    analyze = repo_tools(tmp_path, allowed=["analyze"], limits=Limits(timeout=5))[0]
    reply = analyze.invoke({})
    assert "analyzed 1 Python file and 0 notebooks in '.'" in reply
    assert "stopped at the 5 s limit; 2 files not analyzed (analyze a subdirectory)" in reply
