"""Hostile files and requests given to the ``team`` command: each ends in one line and exit 2.

Every run has a subprocess timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from services import ROOT, child_env, team_command

DEEP = "name: deep\nrequest: " + "[" * 20_000 + "]" * 20_000 + "\n"


def team(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [team_command(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=child_env(TEAM_HOME=str(home)),
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    return done.stderr.strip()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_as_scenario_topology_or_card_is_refused(tmp_path: Path, fifo: Path) -> None:
    assert one_line_error(team("run", str(fifo), home=tmp_path)) == (
        f"error: {fifo}: scenario is a FIFO (named pipe), not a regular file"
    )
    assert one_line_error(team("graph", "--graph", str(fifo), home=tmp_path)) == (
        f"error: {fifo}: topology is a FIFO (named pipe), not a regular file"
    )
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "agents", cards)
    (cards / "pm.md").unlink()
    os.mkfifo(cards / "pm.md")
    assert one_line_error(team("agents", "--agents", str(cards), home=tmp_path)) == (
        f"error: {cards / 'pm.md'}: card is a FIFO (named pipe), not a regular file"
    )


def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert one_line_error(team("run", str(link), home=tmp_path)) == (
        f"error: {link}: scenario is a device, not a regular file"
    )


def test_deep_yaml_is_one_line(tmp_path: Path) -> None:
    for what, args in (("scenario", ["run"]), ("topology", ["graph", "--graph"])):
        path = tmp_path / f"{what}.yaml"
        path.write_text(DEEP)
        assert one_line_error(team(*args, str(path), home=tmp_path)) == (
            f"error: {path}: invalid YAML: {what} nests too deeply"
        )


def test_duplicate_yaml_keys_name_the_file_and_line(tmp_path: Path) -> None:
    graph = tmp_path / "team.yaml"
    graph.write_text("name: dup\nlimits:\n  max_handoffs: 3\n  ping_pong: 2\n  max_handoffs: 9\n")
    assert one_line_error(team("graph", "--graph", str(graph), home=tmp_path)) == (
        f"error: {graph}:5: duplicate key 'max_handoffs' (first at line 3)"
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nrequest: train a churn model\nrequest: plan the launch\n")
    assert one_line_error(team("run", str(scenario), home=tmp_path)) == (
        f"error: {scenario}:3: duplicate key 'request' (first at line 2)"
    )


def test_oversized_files_and_requests_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: big\nrequest: " + "x" * (2 * 1024 * 1024) + "\n")
    assert one_line_error(team("run", str(big), home=tmp_path)) == (
        f"error: {big}: scenario file is over 1048576 bytes"
    )
    long_request = "train a churn model " * 6000  # 120,000 characters
    assert one_line_error(team("run", "-r", long_request, home=tmp_path)) == (
        "error: the request has 120000 characters; the limit is 100000 "
        "(put long material in a file in the repository)"
    )
    scenario = tmp_path / "long.yaml"
    scenario.write_text(f"name: long\nrequest: {long_request}\n")
    assert "the request has 119999 characters" in one_line_error(
        team("run", str(scenario), home=tmp_path)
    )
