"""``team chat``: a terminal conversation with the team, streamed as it happens.

Commands: ``/agents`` (the roles), ``/graph`` (the team graph), ``/thread`` (this thread's id),
``/reset`` (start a new thread), ``/approve [note]`` and ``/reject [note]`` (answer a handoff
waiting for approval), ``/help``, ``/quit``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

from team.engine import Engine
from team.errors import TeamError
from team.events import Event

__all__ = ["ChatLoop"]

HELP = "commands: /agents /graph /thread /reset /approve [note] /reject [note] /help /quit"


class ChatLoop:
    """The REPL's state: the team, the thread, and how events are shown.

    Args:
        engine: The engine running the team.
        console: Where to print.
        thread_id: Continue this thread (default: a new one).
    """

    def __init__(self, engine: Engine, console: Console, *, thread_id: str | None = None):
        self.engine, self.team, self.console = engine, engine.team, console
        self.thread_id = thread_id or _new_thread()
        self.names = {role: card.name for role, card in self.team.cards.items()}
        self.speaking: str | None = None

    def _name(self, role: str) -> str:
        return self.names.get(role, role)

    def show(self, event: Event) -> None:
        """Print one event: tokens inline under the speaking role, the rest on their own lines."""
        out = self.console
        if event.kind == "token":
            if self.speaking != event.role:
                self.speaking = event.role
                out.print(f"\n[bold cyan]{self._name(event.role)}[/]: ", end="")
            out.print(event.text, end="", markup=False, highlight=False)
            return
        if event.kind in ("tool_call", "handoff", "triage", "done") and self.speaking:
            out.print()
            self.speaking = None
        if event.kind == "triage":
            out.print(f"[dim]triage -> {self._name(event.role)}[/]")
        elif event.kind == "tool_call":
            args = escape(", ".join(f"{k}={v!r}" for k, v in event.data["args"].items()))
            out.print(
                f"[yellow]  {self._name(event.role)} calls {event.data['tool']}({args})[/]",
                markup=True,
                highlight=False,
            )
        elif event.kind == "handoff":
            target = self._name(event.data["target"])
            out.print(
                f"[magenta]handoff {self._name(event.role)} -> {target}[/]: {event.data['criterion']}",
                highlight=False,
            )
        elif event.kind == "done":
            outcome = event.data.get("outcome")
            if outcome == "pending":
                pending = event.data["pending"]
                out.print(
                    f"[bold yellow]approval needed[/]: {self._name(pending['source'])} -> "
                    f"{self._name(pending['target'])} ({escape(pending['reason'])}). /approve or /reject \\[note]",
                    highlight=False,
                )
            elif outcome != "done":
                out.print(f"[red]outcome {outcome}[/]: {escape(event.text)}", highlight=False)

    def command(self, line: str) -> bool:
        """Handle a ``/command``; False means quit."""
        name, _, rest = line.partition(" ")
        if name in ("/quit", "/exit"):
            return False
        if name == "/help":
            self.console.print(HELP, markup=False)
        elif name == "/agents":
            for card in self.team.cards.values():
                self.console.print(
                    f"{card.id}  {card.name}  -> {', '.join(self.team.targets(card.id))}"
                )
        elif name == "/graph":
            self.console.print(self.team.to_mermaid(), markup=False, highlight=False)
        elif name == "/thread":
            self.console.print(f"thread {self.thread_id}")
        elif name == "/reset":
            self.thread_id = _new_thread()
            self.console.print(f"new thread {self.thread_id}")
        elif name in ("/approve", "/reject"):
            approve = name == "/approve"
            try:
                self.engine.decide(
                    self.thread_id, approve=approve, note=rest.strip(), on_event=self.show
                )
            except TeamError as exc:
                self.console.print(f"[red]{escape(str(exc))}[/]")
        else:
            self.console.print(f"unknown command {name}; {HELP}", markup=False)
        return True

    def say(self, message: str) -> None:
        """Send one user message and stream the team's answer."""
        for event in self.engine.stream(message, thread_id=self.thread_id):
            self.show(event)

    def run(self, read: Callable[[str], str]) -> None:
        """Read lines until ``/quit`` or end of input."""
        self.console.print(f"teamgraph chat, thread {self.thread_id}. {HELP}", markup=False)
        while True:
            try:
                line = read("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                self.console.print()
                return
            if not line:
                continue
            if line.startswith("/"):
                if not self.command(line):
                    return
                continue
            try:
                self.say(line)
            except TeamError as exc:
                self.console.print(f"[red]error: {escape(str(exc))}[/]")


def _new_thread() -> str:
    return f"chat-{uuid.uuid4().hex[:12]}"
