"""A readable live transcript of a run: who speaks, tool calls, and each handoff with its reason."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel

from team.engine import RunResult
from team.errors import TeamError
from team.events import Event

__all__ = [
    "TraceWriter",
    "Transcript",
    "check_new_file",
    "check_out_folder",
    "summary_line",
    "write_deliverables",
]

_OUT_MARKER = ".teamgraph-out"


class Transcript:
    """Prints events as they happen.

    Args:
        console: Where to print.
        names: Role id to display name.
        full: Print whole deliverables (default: the first lines).
    """

    def __init__(self, console: Console, names: dict[str, str], *, full: bool = False):
        self.console = console
        self.names = names
        self.full = full

    def _name(self, role: str) -> str:
        return self.names.get(role, role)

    def __call__(self, event: Event) -> None:
        c, name = self.console, self._name(event.role)
        if event.kind == "triage":
            c.print(
                f"[bold cyan]triage[/] -> [bold]{name}[/]  [dim]{escape(event.text.split('because: ', 1)[-1])}[/]"
            )
        elif event.kind == "role":
            c.rule(f"[bold]{name}[/]", style="cyan")
        elif event.kind == "tool_call":
            args = escape(", ".join(f"{k}={v!r}" for k, v in event.data["args"].items()))
            c.print(f"  [yellow]tool[/] {event.data['tool']}({args})", highlight=False)
        elif event.kind == "tool_result":
            lines = event.text.splitlines()
            more = f" [dim](+{len(lines) - 1} lines)[/]" if len(lines) > 1 else ""
            c.print(
                f"    [dim]-> {escape((lines[0] if lines else '')[:110])}[/]{more}", highlight=False
            )
        elif event.kind == "deliverable":
            text = event.text if self.full else "\n".join(event.text.splitlines()[:14])
            c.print(Panel(Markdown(text), title=f"{name} deliverable", border_style="green"))
        elif event.kind == "handoff":
            target = self._name(event.data["target"])
            c.print(f"[bold magenta]handoff[/] {name} -> [bold]{target}[/]", highlight=False)
            c.print(f"  [magenta]criterion:[/] {escape(event.data['criterion'])}", highlight=False)
            c.print(f"  [magenta]reason:[/] {escape(event.text)}", highlight=False)
        elif event.kind == "done":
            outcome = event.data["outcome"]
            style = "green" if outcome == "done" else "red"
            note = f": {escape(event.text)}" if event.text else ""
            c.print(f"[bold {style}]outcome {outcome}[/]{note}", highlight=False)


class TraceWriter:
    """Writes each event as one JSON line."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def __call__(self, event: Event) -> None:
        self.stream.write(json.dumps(event.to_dict(), ensure_ascii=False, default=str) + "\n")
        self.stream.flush()


def check_new_file(path: Path, *, force: bool) -> None:
    """Refuse to overwrite a user's file unless told to, and a file that cannot be created."""
    if not path.parent.is_dir():
        raise TeamError("folder does not exist", path=path.parent)
    if path.exists() and not force:
        raise TeamError("file exists; refusing to overwrite it (use --force)", path=path)
    if path.exists() and not path.is_file():
        raise TeamError("not a regular file", path=path)


def check_out_folder(folder: Path) -> None:
    """``folder`` must be new, empty, or one teamgraph wrote before (it keeps a marker file)."""
    if not folder.exists():
        parent = next((p for p in folder.absolute().parents if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
            raise TeamError("cannot create the --out folder here", path=folder)
    if folder.exists():
        if not folder.is_dir():
            raise TeamError("--out must be a folder", path=folder)
        if any(folder.iterdir()) and not (folder / _OUT_MARKER).exists():
            raise TeamError(
                "folder is not empty and was not written by teamgraph; refusing to write",
                path=folder,
            )


def write_deliverables(result: RunResult, folder: Path, names: dict[str, str]) -> list[Path]:
    """Write one markdown file per role into ``folder`` (checked by ``check_out_folder``).

    A user's files are never overwritten: only a folder teamgraph created or marked is written.
    """
    check_out_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _OUT_MARKER).write_text("written by teamgraph\n", encoding="utf-8")
    written = []
    for role, text in result.deliverables.items():
        target = folder / f"{role}.md"
        target.write_text(f"<!-- {names.get(role, role)} -->\n{text}\n", encoding="utf-8")
        written.append(target)
    return written


def summary_line(result: RunResult, names: dict[str, str]) -> str:
    path = " -> ".join(names.get(r, r) for r in result.visited)
    return f"path: {path}  ({len(result.handoffs)} handoffs, outcome {result.outcome})"
