"""``team threads``: list, show, delete and prune the conversations in TEAM_HOME's store."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from team.cli import JsonFlag, app, user_errors

threads_app = typer.Typer(
    name="threads",
    help="List, show, delete and prune saved conversations (TEAM_HOME/threads.sqlite).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(threads_app)


def _line(info: Any) -> str:
    path = " -> ".join(info.visited) or "-"
    turns = f"{len(info.turns)} turn{'s' if len(info.turns) != 1 else ''}"
    updated = info.updated.strftime("%Y-%m-%d %H:%M:%S")
    return f"{info.thread_id}  {updated}  {turns}  {info.outcome or 'unfinished'}  {path}  {info.bytes:,} bytes"


@threads_app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """Every saved thread, the most recently updated first."""
    from team.threads import list_threads

    with user_errors():
        found = list_threads()
    if as_json:
        typer.echo(json.dumps([t.to_dict() for t in found], indent=2, ensure_ascii=False))
    for info in [] if as_json else found:
        typer.echo(_line(info))


@threads_app.command()
def show(
    thread_id: Annotated[str, typer.Argument(help="The thread id.")], as_json: JsonFlag = False
) -> None:
    """One thread: its turns, the path, each handoff, the deliverables."""
    from team.threads import show_thread

    with user_errors():
        info = show_thread(thread_id)
    if as_json:
        typer.echo(json.dumps(info.to_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(_line(info))
    for number, turn in enumerate(info.turns, start=1):
        typer.echo(f"  turn {number}: {turn}")
    for handoff in info.handoffs:
        typer.echo(
            f"  handoff {handoff['source']} -> {handoff['target']} "
            f"({handoff['criterion']}): {handoff['reason']}"
        )
    for role, text in info.deliverables.items():
        first = next((line for line in text.splitlines() if line.strip()), "")
        typer.echo(f"  deliverable {role}: {first}")


@threads_app.command()
def delete(thread_id: Annotated[str, typer.Argument(help="The thread id.")]) -> None:
    """Delete one thread."""
    from team.threads import delete_thread

    with user_errors():
        delete_thread(thread_id)
    typer.echo(f"deleted thread {thread_id}")


@threads_app.command()
def prune(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age, e.g. 30d, 12h, 2w (units s m h d w).")
    ],
) -> None:
    """Delete every thread not updated for --older-than."""
    from team.threads import parse_duration, prune_threads

    with user_errors():
        deleted = prune_threads(parse_duration(older_than))
    typer.echo(
        f"deleted {len(deleted)} thread{'s' if len(deleted) != 1 else ''} older than {older_than}"
    )
    for thread_id in deleted:
        typer.echo(f"  {thread_id}")
