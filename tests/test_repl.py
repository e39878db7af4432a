"""`team chat` driven as a user would: in a real terminal, through tmux."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
TEAM = str(Path(sys.executable).parent / "team")


class Terminal:
    """A tmux session running one command, read with capture-pane."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.name = f"teamgraph-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        shell = f"env {exports} {' '.join(command)}; echo '[exited]'; sleep 30"
        subprocess.run(
            [
                "tmux",
                "-L",
                self.name,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "160",
                "-y",
                "400",
                shell,
            ],
            check=True,
        )

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.name, "capture-pane", "-p", "-J", "-S", "-400", "-t", self.name],
            capture_output=True,
            text=True,
        )
        return out.stdout

    def type(self, text: str) -> None:
        """Type a line once the prompt is back (keys typed earlier may be flushed by readline)."""
        self.wait_until(lambda screen: screen.rstrip().splitlines()[-1:] == ["you>"], "the prompt")
        subprocess.run(
            ["tmux", "-L", self.name, "send-keys", "-t", self.name, "-l", text], check=True
        )
        subprocess.run(["tmux", "-L", self.name, "send-keys", "-t", self.name, "Enter"], check=True)

    def wait_until(self, ready, what: str, timeout: float = 60.0) -> str:
        """Poll the screen until ``ready(screen)`` (bounded; the program runs in another process)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{what} never appeared; screen:\n{self.screen()}")

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda screen: text in screen, repr(text))

    def wait_for_line(self, line: str) -> str:
        return self.wait_until(lambda screen: line in screen.splitlines(), f"the line {line!r}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_(*args: str) -> Terminal:
        env = {"TEAM_HOME": str(tmp_path / "home"), "COLUMNS": "160", "TERM": "xterm"}
        opened.append(Terminal([TEAM, "chat", *args], env))
        return opened[-1]

    yield open_
    for t in opened:
        t.close()


def test_chat_streams_roles_and_handoffs_and_commands_work(terminal):
    term = terminal("--thread", "t-1")
    term.wait_for("you>")
    term.type("Train a churn model and expose it behind a REST API")
    screen = term.wait_for("handoff ML Engineer -> Backend Architect")
    assert "triage -> ML Engineer" in screen
    assert "ML Engineer: ## ML Engineer: deliverable" in screen
    term.wait_for("Backend Architect: ## Backend Architect: deliverable")
    term.type("/thread")
    term.wait_for_line("thread t-1")
    term.type("/agents")
    term.wait_for("pm  PM  -> ")
    term.type("/quit")
    term.wait_for("[exited]")


def test_thread_persists_across_sessions_and_reset_starts_a_new_one(terminal):
    first = terminal("--thread", "t-2")
    first.wait_for("you>")
    first.type("Our nightly Airflow DAG keeps failing on the customer table")
    first.wait_for("Data Engineer: ## Data Engineer: deliverable")
    first.type("/quit")
    first.wait_for("[exited]")
    second = terminal("--thread", "t-2")
    second.wait_for("you>")
    second.type("ok, and what next?")
    second.wait_for("triage -> Data Engineer")
    second.type("/reset")
    second.wait_for("new thread chat-")


def test_approve_and_reject_in_the_terminal(terminal, tmp_path):
    from team.topology import packaged_path

    topology = tmp_path / "team.yaml"
    text = (packaged_path("graphs") / "default.yaml").read_text()
    topology.write_text(text + "approval: [backend_architect]\n")
    term = terminal("--thread", "t-3", "--graph", str(topology))
    term.wait_for("you>")
    term.type("Train a churn model and expose it behind a REST API")
    screen = term.wait_for("approval needed")
    assert "ML Engineer -> Backend Architect" in screen
    term.type("/approve go ahead")
    term.wait_for("Backend Architect: ## Backend Architect: deliverable")
    term.type("/reject nothing to reject")
    term.wait_for("has no handoff waiting for approval")
