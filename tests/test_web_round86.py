"""Web round 84 (issue 13): an unbounded-cache false alarm on a spent corpus, removed.
terracotta's `_DRIVER_CACHE` is the registry behind `get_driver(url_or_path, provider)`, stored
under `cache_key = (normalized_path, provider, os.getpid())` that the function computes from its
parameters; the Flask handlers all pass `settings.DRIVER_PATH` and `settings.DRIVER_PROVIDER`,
and the other callers are click commands given one database on the command line (judged false:
one entry per configured database and process). `fixed_callers.py` now follows a key through
the function's assignments to its parameters, and counts a call in a command's body outside
any loop as one entry per run. A handler passing the request's value, a helper passing on its
own parameter that a handler fills from the request, and a loop over query rows, in a handler
or in a command, stay reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_DRIVERS = """
    import os

    _DRIVER_CACHE = {}


    def load_driver(provider):
        return {"sqlite": SQLiteStore, "mysql": MySQLStore}[provider]


    def get_driver(url_or_path, provider=None):
        url_or_path = str(url_or_path)
        if provider is None:
            provider = "mysql" if url_or_path.startswith("mysql://") else "sqlite"
        driver_class = load_driver(provider)
        normalized_path = driver_class.normalize(url_or_path)
        cache_key = (normalized_path, provider, os.getpid())
        if cache_key not in _DRIVER_CACHE:
            _DRIVER_CACHE[cache_key] = driver_class(url_or_path)
        return _DRIVER_CACHE[cache_key]


    class SQLiteStore:
        def __init__(self, path):
            self.path = path

        @staticmethod
        def normalize(path):
            return os.path.abspath(path)


    class MySQLStore(SQLiteStore):
        pass
    """
_LINE = 3  # _DRIVER_CACHE = {}
_HANDLERS = """
    from flask import Flask, jsonify, request

    from tiles import db, settings
    from tiles.drivers import get_driver
    from tiles.models import Dataset

    app = Flask(__name__)


    @app.get("/datasets")
    def datasets():
        {call}
        return jsonify(driver.path)
    """
_CONFIGURED = "driver = get_driver(settings.DRIVER_PATH, provider=settings.DRIVER_PROVIDER)"
_CLI = """
    import tempfile

    import click

    from tiles.drivers import get_driver


    @click.argument("database")
    @click.command("migrate")
    def migrate(database):
        driver = get_driver(database)
        click.echo(driver.path)


    @click.command("serve")
    @click.option("--database", default=None)
    def serve(database):
        if database is None:
            dbfile = tempfile.NamedTemporaryFile(suffix=".sqlite", delete=False)
            database = dbfile.name
        get_driver(database, provider="sqlite")
    """
_SETTINGS = """
    import os

    DRIVER_PATH = os.environ.get("TILES_DRIVER_PATH", "tiles.sqlite")
    DRIVER_PROVIDER = None
    """


def _found(tmp_path: Path, call: str, cli: str = _CLI, helper: str = "") -> set[tuple[str, int]]:
    """unbounded-cache findings on the app whose handler fetches its driver by `call`, with
    `helper` as tiles/db.py when one is given."""
    files = {
        **({"tiles/db.py": helper} if helper else {}),
        "tiles/__init__.py": "",
        "tiles/settings.py": _SETTINGS,
        "tiles/drivers.py": _DRIVERS,
        "tiles/handlers.py": _HANDLERS.replace("{call}", call),
        "tiles/cli.py": cli,
    }
    return web_findings(tmp_path, files, "unbounded-cache")


def test_a_registry_keyed_by_settings_and_the_command_line_is_silent(tmp_path: Path) -> None:
    assert _found(tmp_path, _CONFIGURED) == set()


def test_a_registry_a_handler_keys_by_the_request_is_reported(tmp_path: Path) -> None:
    call = 'driver = get_driver(request.args["db"], provider=settings.DRIVER_PROVIDER)'
    assert _found(tmp_path, call) == {("tiles/drivers.py", _LINE)}


def test_a_registry_a_helper_keys_by_its_callers_request_is_reported(tmp_path: Path) -> None:
    # one hop: the helper passes on its own parameter, which the handler fills from the request
    helper = "from tiles.drivers import get_driver\n\n\ndef open_db(path):\n    return get_driver(path)\n"
    call = 'driver = db.open_db(request.args["db"])'
    assert _found(tmp_path, call, helper=helper) == {("tiles/drivers.py", _LINE)}


def test_a_registry_keyed_by_query_rows_is_reported(tmp_path: Path) -> None:
    call = "for dataset in Dataset.query.all():\n            driver = get_driver(dataset.path)"
    assert _found(tmp_path, call) == {("tiles/drivers.py", _LINE)}


def test_a_registry_a_command_fills_from_rows_in_a_loop_is_reported(tmp_path: Path) -> None:
    # a command runs once, but its loop adds an entry per row it walks
    cli = _CLI.replace(
        "        driver = get_driver(database)\n",
        "        for row in get_driver(database).datasets():\n"
        "            driver = get_driver(row.path)\n",
    )
    assert _found(tmp_path, _CONFIGURED, cli) == {("tiles/drivers.py", _LINE)}
