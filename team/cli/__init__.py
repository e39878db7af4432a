"""The ``team`` command. It only parses arguments and calls the library.

Every command imports what it needs inside its body, so ``team --help`` loads neither LangGraph
nor any model client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="team",
    help="A software team of role agents on LangGraph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

AgentsOption = Annotated[
    Path | None,
    typer.Option(
        "--agents", help="Folder of persona cards (*.md) to use instead of the packaged ones."
    ),
]
GraphOption = Annotated[
    Path | None, typer.Option("--graph", help="Topology YAML file (default: graphs/default.yaml).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", envvar="TEAM_MODEL", help="offline (default) or provider:model."),
]
RecordOption = Annotated[
    Path | None,
    typer.Option(
        "--record", help="Write every model call (request and response) to this cassette folder."
    ),
]
ReplayOption = Annotated[
    Path | None,
    typer.Option(
        "--replay",
        help="Answer model calls from this cassette folder, offline; a call not recorded fails.",
    ),
]
RepoOption = Annotated[
    Path | None, typer.Option("--repo", help="Repository the roles may inspect (read-only).")
]
ThreadOption = Annotated[
    str | None, typer.Option("--thread", help="Continue this conversation thread.")
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a user error into one line on stderr and exit code 2, never a traceback.

    ``TeamError`` carries its own file and line; an ``OSError`` (an output path that cannot be
    written, a port that cannot be bound) names the path it failed on.
    """
    from team.errors import TeamError

    try:
        yield
    except TeamError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None


def _usage(message: str) -> Exception:
    from team.errors import TeamError

    return TeamError(message)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="team")


# The commands register themselves on ``app`` when their modules load.
from team.cli import conversations, evaluation, inspection, models, threads  # noqa: E402

__all__ = [
    "app",
    "conversations",
    "evaluation",
    "inspection",
    "main",
    "models",
    "threads",
    "user_errors",
]

if __name__ == "__main__":  # pragma: no cover
    main()
