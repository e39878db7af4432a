"""The repository tools against a hostile repository: a folder swapped for a symlink while reading,
a hard link to a file outside, secrets and what git ignores."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from team.tools import Access, repo_tools
from team.topology import Topology

SECRET = "OUTSIDE-SECRET-7f3a"


def tools(root: Path, access: Access | None = None) -> dict[str, object]:
    return {tool.name: tool for tool in repo_tools(root, access=access)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "d").mkdir(parents=True)
    (outside / "d" / "f.txt").write_text(f"{SECRET}\n")
    (outside / "token.txt").write_text(f"{SECRET}\n")
    root = tmp_path / "repo"
    (root / "d").mkdir(parents=True)
    (root / "d" / "f.txt").write_text("inside\n")
    (root / ".env").write_text(f"API_KEY={SECRET}\n")
    (root / ".env.production").write_text(f"API_KEY={SECRET}\n")
    (root / "deploy.pem").write_text(f"-----BEGIN PRIVATE KEY-----\n{SECRET}\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"url = https://x:{SECRET}@example.com/r.git\n")
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build" / "out.txt").write_text(f"{SECRET}\n")
    (root / "app.py").write_text("print('hello')\n")
    return root


def test_a_folder_swapped_for_a_symlink_never_leaks(repo: Path) -> None:
    """One thread swaps d/ for a symlink to a folder outside and back; reads never leave."""
    outside = repo.parent / "outside" / "d"
    done = threading.Event()
    swaps = 0

    def swap() -> None:
        nonlocal swaps
        while not done.is_set() and swaps < 20_000:
            os.rename(repo / "d", repo / "d.real")
            os.symlink(outside, repo / "d")
            os.unlink(repo / "d")
            os.rename(repo / "d.real", repo / "d")
            swaps += 1

    box = tools(repo)
    swapper = threading.Thread(target=swap)
    swapper.start()
    replies: list[str] = []
    try:
        for _ in range(500):
            replies.append(box["read_file"].invoke({"path": "d/f.txt"}))
            replies.append(box["grep"].invoke({"pattern": "OUTSIDE|inside"}))
    finally:
        done.set()
        swapper.join()
    assert swaps > 0
    assert not [reply for reply in replies if SECRET in reply]
    assert box["read_file"].invoke({"path": "d/f.txt"}) == "   1 | inside"
    assert all("\n" not in reply for reply in replies if reply.startswith("error:"))


def test_a_grep_match_read_through_a_swapped_folder_is_not_shown(repo: Path) -> None:
    """What ripgrep printed is checked against the file inside the root, opened the race-free
    way: a line it read through a folder that was a symlink for a moment is dropped, whatever
    the folder is by the time it is checked; a true match, and a long line's preview, stay."""
    from team.tools.repo import _openable
    from team.tools.sandbox import Sandbox

    (repo / "long.txt").write_text("x" * 50 + "inside\n")
    lines = [
        f"d/f.txt\x001:{SECRET}".encode(),  # read from outside/d while d was a symlink
        b"d/f.txt\x001:inside",
        b"long.txt\x001:" + b"x" * 20 + b" [... omitted end of long line]",
        b"d/f.txt\x009:inside",  # no such line inside
    ]
    assert _openable(Sandbox(repo), lines, 10) == lines[1:3]


def test_a_hard_link_to_an_outside_file_is_refused(repo: Path) -> None:
    os.link(repo.parent / "outside" / "token.txt", repo / "notes.txt")
    box = tools(repo)
    assert box["read_file"].invoke({"path": "notes.txt"}) == (
        "error: 'notes.txt' has 2 hard links (its other names may be outside the root); not shown"
    )
    assert box["grep"].invoke({"pattern": SECRET}) == f"no matches for {SECRET!r}"
    assert "notes.txt" not in box["glob"].invoke({"pattern": "*.txt"})
    assert box["analyze"].invoke({"path": "app.py"}).startswith("analyzed 1 Python file")


@pytest.mark.parametrize("path", [".env", ".env.production", "deploy.pem", ".git/config"])
def test_secrets_and_git_are_refused(repo: Path, path: str) -> None:
    box = tools(repo)
    reply = box["read_file"].invoke({"path": path})
    assert reply == (
        f"error: {path!r} is hidden from the tools (secrets, keys and .git are not shown)"
    )
    # A symlink with an innocent name leads to the same refusal.
    (repo / "innocent.txt").symlink_to(path)
    assert "is hidden from the tools" in box["read_file"].invoke({"path": "innocent.txt"})


def test_listing_and_search_hide_the_same_files(repo: Path) -> None:
    box = tools(repo)
    assert box["grep"].invoke({"pattern": SECRET}) == f"no matches for {SECRET!r}"
    assert box["glob"].invoke({"pattern": "*"}).splitlines() == [".gitignore", "app.py", "d/f.txt"]
    assert box["read_file"].invoke({"path": "build/out.txt"}) == (
        "error: 'build/out.txt' is ignored (.gitignore, or a folder like node_modules); "
        "glob and grep do not show it either"
    )


def test_what_is_hidden_is_set_per_topology(repo: Path, tmp_path: Path) -> None:
    lenient = tools(repo, Access(hidden=("*.pem",), read_ignored=True))
    assert lenient["read_file"].invoke({"path": ".env"}) == f"   1 | API_KEY={SECRET}"
    assert lenient["read_file"].invoke({"path": "build/out.txt"}) == f"   1 | {SECRET}"
    assert "is hidden" in lenient["read_file"].invoke({"path": "deploy.pem"})
    assert ".env" in lenient["glob"].invoke({"pattern": ".env"})

    graph = tmp_path / "team.yaml"
    graph.write_text("name: lenient\nrepo_access:\n  hidden: ['*.pem']\n  read_ignored: true\n")
    access = Topology.from_file(graph).repo_access
    assert (access.hidden, access.read_ignored) == (("*.pem",), True)
