"""Web round 63 (issue 13): a database connection opened for each request. LibreTranslate
1.9.6's `/suggest` builds `SuggestionsDatabase()` on every call; its `__init__` opens
`sqlite3.connect(...)` and runs `CREATE TABLE IF NOT EXISTS`, and nothing closes it, while the
app builds its API-key database once at start-up (misses_fresh48.md). resource-loaded-per-request
knew models, data files and worker pools; it now also reads a handler that builds one of the
repository's classes whose `__init__` binds a connection (`connections.py`). A handler that
enters it with `with`, closes it or keeps it on the request context, a class built once at
start-up and one that connects only when a method asks are left alone."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_STORE = """
import sqlite3

import psycopg2


class Database:
    def __init__(self, db_path="db/suggestions.db"):
        self.c = sqlite3.connect(db_path, check_same_thread=False)
        self.c.execute("CREATE TABLE IF NOT EXISTS suggestions (q TEXT, s TEXT)")

    def add(self, q, s):
        self.c.execute("INSERT INTO suggestions (q, s) VALUES (?, ?)", (q, s))
        self.c.commit()

    def close(self):
        self.c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Reports:
    def __init__(self, dsn):
        self.dsn = dsn
        self.conn = psycopg2.connect(dsn)

    def save(self, text):
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO reports (text) VALUES (%s)", (text,))
        self.conn.commit()


class Lazy:
    def __init__(self, path):
        self.path = path

    def add(self, q, s):
        with sqlite3.connect(self.path) as c:
            c.execute("INSERT INTO suggestions (q, s) VALUES (?, ?)", (q, s))
"""

_APP = """
from flask import Blueprint, Flask, g, jsonify, request

from .store import Database as SuggestionsDatabase, Lazy, Reports


def create_app(args):
    bp = Blueprint("main", __name__)
    suggestions = SuggestionsDatabase(args.db)

    @bp.post("/suggest")
    def suggest():
{suggest}
        return jsonify({{"success": True}})

    @bp.post("/report")
    def report():
{report}
        return jsonify({{"success": True}})

    app = Flask(__name__)
    app.register_blueprint(bp, url_prefix="/v1")
    return app
"""

_OPENED = (
    '        SuggestionsDatabase().add(request.values["q"], request.values["s"])',
    '        db = Reports(args.dsn)\n        db.save(request.values["text"])',
)


def _performance(root: Path, suggest: str, report: str) -> list:
    write_app(
        root,
        {
            "translator/__init__.py": "",
            "translator/store.py": _STORE,
            "translator/app.py": _APP.format(suggest=suggest, report=report),
            "translator/locustfile.py": "from locust import HttpUser\n",
        },
    )
    return audit_path(root / "translator", roles=["performance_engineer"])


def test_a_handler_that_opens_a_connection_through_a_class_is_reported(tmp_path: Path) -> None:
    """`/suggest` opens SQLite and creates the table on every call; `/report` opens Postgres:
    one finding each (two classes, two fixes), naming the connect call and where it is."""
    found = [(f.rule, f.path, f.message) for f in _performance(tmp_path, *_OPENED)]
    lines = (tmp_path / "translator" / "store.py").read_text().splitlines()
    sqlite, postgres = (
        next(i for i, line in enumerate(lines, 1) if f"= {call}(" in line)
        for call in ("sqlite3.connect", "psycopg2.connect")
    )
    rules = [(rule, path) for rule, path, _ in found]
    assert rules == [("resource-loaded-per-request", "app.py")] * 2
    assert [m.split("; ")[0] for _, _, m in found] == [
        "POST /v1/suggest builds SuggestionsDatabase() on every request, which opens a new "
        f"database connection (sqlite3.connect in store.py:{sqlite}), creates its table again "
        "and never closes it",
        "POST /v1/report builds Reports() on every request, which opens a new database "
        f"connection (psycopg2.connect in store.py:{postgres}) and never closes it",
    ]


def test_a_connection_closed_entered_or_kept_on_the_request_is_not_reported(
    tmp_path: Path,
) -> None:
    """`with` closes it, `.close()` closes it, `g.db` is closed by the app's teardown, and
    `Lazy` connects only when `add` runs, inside a `with`: nothing to report."""
    found = _performance(
        tmp_path,
        '        with SuggestionsDatabase() as db:\n            db.add(request.values["q"], "")',
        '        db = Reports(args.dsn)\n        db.save(request.values["text"])\n'
        "        db.conn.close()",
    )
    kept = _performance(
        tmp_path / "kept",
        '        g.db = SuggestionsDatabase()\n        g.db.add(request.values["q"], "")',
        '        Lazy(args.path).add(request.values["text"], "")',
    )
    assert (found, kept) == ([], [])


def test_the_twin_that_builds_its_database_once_is_clean(tmp_path: Path) -> None:
    """The instance `create_app` builds once, used by the handler: no finding."""
    twin = _performance(
        tmp_path,
        '        suggestions.add(request.values["q"], request.values["s"])',
        '        suggestions.add(request.values["text"], "")',
    )
    assert twin == []
