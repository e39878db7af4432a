"""A damaged or unwritable conversation store: one line naming the file and the fix, exit 2.

Every command that opens ``TEAM_HOME/threads.sqlite`` (``team run``, ``team run --resume``,
``team chat``, ``team serve``, ``team mcp``) meets the same five stores: junk bytes, a truncated
file, a read-only file, a read-only folder, and a SQLite file of another schema. The store is
left as it was found.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from services import BIN, child_env, free_port
from typer.testing import CliRunner

from team.cli import app
from team.engine import Engine
from team.errors import TeamError
from team.home import sqlite_checkpointer
from team.topology import Team

FIX = "set TEAM_HOME to another folder"


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` unwritable for this process: ``chmod``, or for root (who ignores modes) the
    immutable attribute."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture(scope="module")
def healthy_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a store holding one finished run (thread ``m1``)."""
    path = tmp_path_factory.mktemp("healthy") / "threads.sqlite"
    with sqlite_checkpointer(path) as saver:
        Engine(Team.load(), checkpointer=saver).run("Plan the launch", thread_id="m1")
    return path.read_bytes()


def junk(store: Path, healthy: bytes) -> str:
    store.write_bytes(bytes(range(256)) * 64)
    return f"{store}: the conversation store is damaged (file is not a database): move it aside (its threads are lost) or {FIX}"


def truncated(store: Path, healthy: bytes) -> str:
    store.write_bytes(healthy[: len(healthy) // 2])
    return f"{store}: the conversation store is damaged (truncated): move it aside (its threads are lost) or {FIX}"


def other_schema(store: Path, healthy: bytes) -> str:
    with sqlite3.connect(store) as conn:
        conn.execute("CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, body TEXT)")
    return f"{store}: the conversation store is not teamgraph's (table 'checkpoints' has no 'checkpoint' column): move it aside or {FIX}"


def read_only_file(store: Path, healthy: bytes) -> str:
    store.write_bytes(healthy)
    return f"{store}: the conversation store is read-only: make it writable or {FIX}"


def read_only_folder(store: Path, healthy: bytes) -> str:
    store.write_bytes(healthy)
    return f"{store.parent}: the conversation store's folder is not writable: make it writable or {FIX}"


DAMAGES = {
    "junk": (junk, None),
    "truncated": (truncated, None),
    "other-schema": (other_schema, None),
    "read-only-file": (read_only_file, "file"),
    "read-only-folder": (read_only_folder, "folder"),
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(
    request: pytest.FixtureRequest,
    healthy_store: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Path, str]]:
    """A damaged ``TEAM_HOME/threads.sqlite`` and the one line every command must print."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TEAM_HOME", str(home))
    store = home / "threads.sqlite"
    damage, locked = DAMAGES[request.param]
    line = damage(store, healthy_store)
    before = store.read_bytes()
    if locked is None:
        yield store, line
    else:
        with read_only(store if locked == "file" else home):
            yield store, line
    assert store.read_bytes() == before, "the store was changed"
    assert sorted(p.name for p in home.iterdir()) == ["threads.sqlite"]


COMMANDS: dict[str, Callable[[], tuple[int, str]]] = {}


def command(name: str) -> Callable[[Callable[[], tuple[int, str]]], Callable[[], tuple[int, str]]]:
    def register(run: Callable[[], tuple[int, str]]) -> Callable[[], tuple[int, str]]:
        COMMANDS[name] = run
        return run

    return register


def cli(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stderr


@command("run")
def _run() -> tuple[int, str]:
    return cli("run", "-r", "Plan the launch", "--thread", "m2")


@command("resume")
def _resume() -> tuple[int, str]:
    return cli("run", "--resume", "m1")


@command("chat")
def _chat() -> tuple[int, str]:
    return cli("chat", input="Plan the launch\n/quit\n")


@command("mcp")
def _mcp() -> tuple[int, str]:
    return cli("mcp")


@command("serve")
def _serve() -> tuple[int, str]:
    from team.serve import serve

    try:
        serve(port=free_port())
    except TeamError as exc:
        return 2, f"error: {exc}\n"
    return 0, ""


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_damaged_store_is_one_line_and_exit_2(name: str, damaged: tuple[Path, str]) -> None:
    _, line = damaged
    assert COMMANDS[name]() == (2, f"error: {line}\n")


def test_team_serve_on_a_read_only_folder_prints_one_line(
    healthy_store: bytes, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "threads.sqlite").write_bytes(healthy_store)
    serve = [str(BIN / "team"), "serve", "--port", str(free_port())]
    with read_only(home):
        done = subprocess.run(
            serve, env=child_env(TEAM_HOME=str(home)), capture_output=True, text=True, timeout=120
        )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: {home}: the conversation store's folder is not writable: "
        f"make it writable or {FIX}\n"
    )


def test_damage_found_while_running_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "threads.sqlite"
    with pytest.raises(TeamError) as caught, sqlite_checkpointer(store) as saver:
        saver.setup()
        saver.conn.execute("DROP TABLE checkpoints")  # another process breaks it mid-run
        Engine(Team.load(), checkpointer=saver).run("Plan the launch", thread_id="m1")
    assert str(caught.value) == (
        f"{store}: the conversation store is damaged (no such table: checkpoints): "
        "move it aside (its threads are lost) or use another store file"
    )


def test_a_store_locked_by_another_process_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import team.home

    store = tmp_path / "threads.sqlite"
    monkeypatch.setattr(team.home, "BUSY_SECONDS", 0.05)
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(TeamError) as caught:
            team.home.check_store(store)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(caught.value) == (
        f"{store}: the conversation store is locked by another process: "
        "stop it or use another store file"
    )
    team.home.check_store(store)  # free again


def test_a_store_path_that_is_a_folder_or_under_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAM_HOME", str(tmp_path))
    (tmp_path / "threads.sqlite").mkdir()
    assert cli("run", "-r", "Plan the launch") == (
        2,
        f"error: {tmp_path / 'threads.sqlite'}: the conversation store is not a file: {FIX}\n",
    )
    home = tmp_path / "a-file"
    home.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TEAM_HOME", str(home))
    assert cli("run", "-r", "Plan the launch") == (
        2,
        f"error: {home}: cannot create the conversation store's folder (File exists): {FIX}\n",
    )
