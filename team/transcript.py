"""A readable live transcript of a run: who speaks, tool calls, and each handoff with its reason."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel

from team.engine import RunResult
from team.errors import TeamError
from team.events import Event

__all__ = [
    "Output",
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


def check_new_file(path: Path, *, force: bool, how: str = "") -> None:
    """Refuse to overwrite a user's file unless told to (``how``: how to tell us), and a file
    that cannot be created."""
    if not path.parent.is_dir():
        raise TeamError("folder does not exist", path=path.parent)
    if path.exists() and not force:
        hint = f" ({how})" if how else ""
        raise TeamError(f"file exists; refusing to overwrite it{hint}", path=path)
    if path.exists() and not path.is_file():
        raise TeamError("not a regular file", path=path)


def check_out_folder(folder: Path) -> None:
    """``folder`` must be new, empty, or one teamgraph wrote before (it keeps a marker file)."""
    if not folder.exists():
        parent = next((p for p in folder.absolute().parents if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
            raise TeamError("cannot create the output folder here", path=folder)
    if folder.exists():
        if not folder.is_dir():
            raise TeamError("the output path must be a folder", path=folder)
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


class Output:
    """Where a run's events and result go: the live transcript (or JSON), a JSONL trace, and
    one markdown file per role, HTML reports. Paths are checked when it is made, before
    anything runs.

    Use as a context manager around the run (it closes the trace), then ``finish(result)``.
    """

    def __init__(
        self,
        team: Any,
        *,
        as_json: bool = False,
        full: bool = False,
        trace: Path | None = None,
        force: bool = False,
        out: Path | None = None,
        html: Path | None = None,
        overwrite_hint: str = "",
    ):
        self.team = team
        self.names = {role: card.name for role, card in team.cards.items()}
        self.as_json, self.out, self.trace, self.html = as_json, out, trace, html
        for target in (trace, html):
            if target is not None:
                check_new_file(target, force=force, how=overwrite_hint)
        if out is not None:
            check_out_folder(out)
            out.mkdir(parents=True, exist_ok=True)  # fail before the run, not after it
        self.console = Console(stderr=as_json, highlight=False, emoji=False)
        self.listeners: list[Any] = (
            [] if as_json else [Transcript(self.console, self.names, full=full)]
        )
        self._stream: IO[str] | None = None

    def __enter__(self) -> Output:
        if self.trace is not None:
            self._stream = self.trace.open("w", encoding="utf-8")
            self.listeners.append(TraceWriter(self._stream))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()

    def on_event(self, event: Event) -> None:
        for listen in self.listeners:
            listen(event)

    def finish(
        self, result: RunResult, *, title: str | None = None, repo: Path | None = None
    ) -> None:
        """Write the deliverables and HTML reports, then print the JSON result or the summary."""
        if self.out is not None:
            write_deliverables(result, self.out, self.names)
        pages = [p for p in (self.out / "report.html" if self.out else None, self.html) if p]
        if pages:
            from team.report import write_run_report

            for page in pages:
                write_run_report(result, self.team, page, repo=repo, title=title)
        if self.as_json:
            print(result.to_json())
        else:
            self.console.print(summary_line(result, self.names))
