"""Web round 84 (issue 13): an unbounded-cache false alarm on a spent corpus, removed.
terracotta's `_DRIVER_CACHE` is the registry behind `get_driver(url_or_path, provider)`, stored
under `cache_key = (normalized_path, provider, os.getpid())` that the function computes from its
parameters; the Flask handlers all pass `settings.DRIVER_PATH` and `settings.DRIVER_PROVIDER`,
and the other callers are click commands given one database on the command line (judged false:
one entry per configured database and process). `fixed_callers.py` now follows a key through
the function's assignments to its parameters, and counts a call in a command's body outside
any loop as one entry per run. A handler passing the request's value, a helper passing on its
own parameter that a handler fills from the request, and a loop over query rows, in a handler
or in a command, stay reported. So do, after the review of the round, a WSGI app's request
`environ`, a key reading `flask.request` or the clock through its module or through a module
function one hop away, and a chat bot's `@bot.command()` (run per message)."""

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


def _found(
    tmp_path: Path,
    call: str,
    cli: str = _CLI,
    helper: str = "",
    *,
    drivers: str = _DRIVERS,
    more: dict[str, str] | None = None,
) -> set[tuple[str, int]]:
    """unbounded-cache findings on the app whose handler fetches its driver by `call`, with
    `helper` as tiles/db.py when one is given, and the files `more` over the others."""
    files = {
        **({"tiles/db.py": helper} if helper else {}),
        "tiles/__init__.py": "",
        "tiles/settings.py": _SETTINGS,
        "tiles/drivers.py": drivers,
        "tiles/handlers.py": _HANDLERS.replace("{call}", call),
        "tiles/cli.py": cli,
        **(more or {}),
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


# The review of round 84: what reads per request or per call is no setting and no command run.
_WSGI = """
    from tiles.drivers import get_driver


    def application(environ, start_response):
        driver = get_driver(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [driver.path.encode()]
    """
_KEY = "cache_key = (normalized_path, provider, os.getpid())"


def _found_with(tmp_path: Path, drivers: str = _DRIVERS, **more: str) -> set[tuple[str, int]]:
    """unbounded-cache findings on the configured app with `drivers` and the files `more`."""
    return _found(tmp_path, _CONFIGURED, drivers=drivers, more=more)


def test_a_wsgi_apps_request_environ_is_no_environment_variable(tmp_path: Path) -> None:
    assert _found_with(tmp_path, **{"tiles/wsgi.py": _WSGI}) == {("tiles/drivers.py", _LINE)}


def test_a_key_reading_the_request_through_its_module_is_reported(tmp_path: Path) -> None:
    drivers = _DRIVERS.replace("import os", "import os\n\n    import flask").replace(
        _KEY, 'cache_key = (normalized_path, provider, flask.request.headers.get("X-Tenant"))'
    )
    assert _found_with(tmp_path, drivers) == {("tiles/drivers.py", _LINE + 2)}


def test_a_key_holding_the_hour_is_reported(tmp_path: Path) -> None:
    drivers = _DRIVERS.replace("import os", "import os\n    import time").replace(
        _KEY, "cache_key = (normalized_path, provider, int(time.time() // 3600))"
    )
    assert _found_with(tmp_path, drivers) == {("tiles/drivers.py", _LINE + 1)}


def test_a_key_from_a_function_reading_the_request_is_reported(tmp_path: Path) -> None:
    tenant = 'def current_tenant():\n        return flask.request.headers.get("X-Tenant")\n\n\n    '
    drivers = (
        _DRIVERS.replace("import os", "import os\n\n    import flask")
        .replace("def load_driver", tenant + "def load_driver")
        .replace(_KEY, "cache_key = (normalized_path, provider, current_tenant())")
    )
    assert _found_with(tmp_path, drivers) == {("tiles/drivers.py", _LINE + 2)}


def test_a_key_from_a_class_its_loader_imports_itself_is_silent(tmp_path: Path) -> None:
    # terracotta's load_driver imports the store class it returns inside its body
    loader = (
        'def load_driver(provider):\n        if provider == "mysql":\n'
        "            from tiles.mysql import MySQLStore\n\n            return MySQLStore\n"
        "        return SQLiteStore\n"
    )
    drivers = _DRIVERS.replace(
        'def load_driver(provider):\n        return {"sqlite": SQLiteStore, "mysql": MySQLStore}'
        "[provider]\n",
        loader,
    )
    assert loader in drivers
    assert _found_with(tmp_path, drivers) == set()


def test_a_chat_bots_command_is_no_command_line_run(tmp_path: Path) -> None:
    bot = """
    import click
    from discord.ext import commands

    from tiles.drivers import get_driver

    bot = commands.Bot(command_prefix="!")


    @bot.command()
    async def tiles(ctx, path):
        driver = get_driver(path)
        await ctx.send(driver.path)


    @click.command()
    def main():
        bot.run("token")
    """
    assert _found_with(tmp_path, **{"tiles/bot.py": bot}) == {("tiles/drivers.py", _LINE)}


def test_a_typer_apps_command_runs_once(tmp_path: Path) -> None:
    cli = """
    import typer

    from tiles.drivers import get_driver

    app = typer.Typer()


    @app.command()
    def migrate(database: str):
        get_driver(database)
    """
    assert _found_with(tmp_path, **{"tiles/cli.py": cli}) == set()


def test_a_key_from_a_function_importing_the_request_is_reported(tmp_path: Path) -> None:
    # only a class of the project's own package imported in the body is one value per process
    for name, imported, used in (
        ("request", "from flask import request", 'current().headers.get("X-Tenant")'),
        ("clock", "from time import time", "int(current()() // 3600)"),
    ):
        hop = (
            f"def current():\n        {imported}\n\n        return {imported.split()[-1]}\n\n\n    "
        )
        drivers = _DRIVERS.replace("def load_driver", hop + "def load_driver").replace(
            _KEY, f"cache_key = (normalized_path, provider, {used})"
        )
        assert _found_with(tmp_path / name, drivers) == {("tiles/drivers.py", _LINE)}
