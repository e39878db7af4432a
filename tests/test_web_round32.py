"""Web review round 32: fewer false alarms on real apps (SQL pasted from an optional query that
no caller fills, resolved by the class of each call's receiver), each with a small app that
must stay silent and one that must be reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_BACKEND = """
from flask import current_app


class Query:
    where = "1=1"


class Backend:
    def get_count(self, query=None):
        query = query or Query()
        return current_app.db.execute(f"SELECT COUNT(1) FROM alerts WHERE {query.where}")

    def get_alerts(self, query=None):
        query = query or Query()
        return current_app.db.execute(f"SELECT * FROM alerts WHERE {query.where}")

    def get_heartbeats(self, query=None):
        query = query or Query()
        return current_app.db.execute(f"SELECT * FROM heartbeats WHERE {query.where}")

    def get_blackouts(self, query=None):
        query = query or Query()
        return current_app.db.execute(f"SELECT * FROM blackouts WHERE {query.where}")

    def get_counts(self, query=None, group=None):
        query = query or Query()
        return current_app.db.execute(f"SELECT COUNT(*) FROM alerts WHERE {query.where}")
"""

_OTHER_BACKEND = """
class Backend:
    def get_counts(self, query=None, group=None):
        return {}

    def get_counts_by_severity(self, query=None):
        return self.get_counts(query, group="severity")
"""

_MODELS = """
from backend import Backend

db = Backend()


class Alert:
    @staticmethod
    def get_count(query=None):
        return db.get_count(query)

    @staticmethod
    def find_all(query=None):
        return db.get_alerts(query)


class Heartbeat:
    @staticmethod
    def find_all(query=None):
        return db.get_heartbeats(query)


class Blackout:
    @staticmethod
    def find_all(query=None):
        return db.get_blackouts(query)
"""

_VIEWS = """
from flask import Flask, request

from models import Alert, Blackout, Heartbeat

app = Flask(__name__)


@app.route("/metrics")
def metrics():
    return str(Alert.get_count({count}))


@app.route("/alerts")
def alerts():
    query = parse(request.args)
    return str(Alert.find_all(query))


@app.route("/heartbeats")
def heartbeats():
    query = parse(request.args)
    return str(Heartbeat.find_all({heartbeats}))


@app.route("/blackouts")
def blackouts():
    query = parse(request.args)
    return str(Blackout.find_all(query))
"""

# the lines of backend.py's SQL
_COUNT, _ALERTS, _HEARTBEATS, _BLACKOUTS, _COUNTS = 11, 15, 19, 23, 27


def _sql(tmp_path: Path, *, count: str = "", heartbeats: str = "", **extra: str) -> set[int]:
    """The lines of backend.py reported as sql-string-built on the alerta-like app."""
    files = {
        "backend.py": _BACKEND,
        "models.py": _MODELS,
        "views.py": _VIEWS.format(count=count, heartbeats=heartbeats),
        **extra,
    }
    found = web_findings(tmp_path, files, "sql-string-built")
    return {line for path, line in found if path == "backend.py"}


def test_sql_pasted_from_an_optional_query_no_caller_fills_is_not_reported(
    tmp_path: Path,
) -> None:
    found = _sql(tmp_path / "a", **{"other.py": _OTHER_BACKEND})
    # Alert.get_count() and Heartbeat.find_all() pass no query; get_counts is run only by the
    # other backend's own self.get_counts
    assert found == {_ALERTS, _BLACKOUTS}


def test_sql_pasted_from_an_optional_query_a_caller_fills_is_reported(tmp_path: Path) -> None:
    # a caller that hands the request's query through the model's own optional parameter
    assert _COUNT in _sql(tmp_path / "a", count="parse(request.args)")
    assert _COUNT in _sql(tmp_path / "b", count="query=parse(request.args)")
    assert _COUNT in _sql(tmp_path / "c", count="*request.args")
    # Heartbeat.find_all(query) reaches get_heartbeats; Blackout.find_all(query) alone does not
    assert _HEARTBEATS in _sql(tmp_path / "d", heartbeats="query")
    assert _HEARTBEATS not in _sql(tmp_path / "e", heartbeats="None")


def test_a_call_whose_receiver_class_is_not_shown_may_fill_the_query(tmp_path: Path) -> None:
    unknown = "from models import db\n\n\ndef search(q):\n    return db.get_counts(q)\n"
    assert _COUNTS in _sql(tmp_path / "a", **{"search.py": unknown})
    own = _OTHER_BACKEND.replace("class Backend:", "class Backend(Base):")
    assert _COUNTS not in _sql(tmp_path / "b", **{"other.py": own})
    # the backend's own self.get_counts(query) from a method the views call with their query
    inherited = _BACKEND + (
        "\n    def by_severity(self, query):\n        return self.get_counts(query, 'severity')\n"
    )
    assert _COUNTS in _sql(tmp_path / "c", **{"backend.py": inherited})


def test_an_uncalled_method_a_framework_may_run_stays_reported(tmp_path: Path) -> None:
    routed = _BACKEND.replace(
        "    def get_counts(", "    @some_route('/counts')\n    def get_counts("
    )
    assert _COUNTS + 1 in _sql(tmp_path / "a", **{"backend.py": routed})
    asked = _BACKEND.replace("def get_counts(self,", "def get_counts(self, request,")
    assert _COUNTS in _sql(tmp_path / "b", **{"backend.py": asked})
    # a class-based view's handler, which the router runs with the URL's parameters
    handler = _BACKEND.replace("def get_counts(self,", "def get(self,")
    assert _COUNTS in _sql(tmp_path / "c", **{"backend.py": handler})
    assert _COUNTS not in _sql(tmp_path / "d")


_MEMO = """
import requests
from django.core.management.base import BaseCommand

cache = {}


def fetch(url):
    if url not in cache:
        cache[url] = requests.get(url, timeout=5).json()
    return cache[url]


class Command(BaseCommand):
    def handle(self, *args, **options):
        for url in options["urls"]:
            print(fetch(url))
"""


def test_a_memo_of_a_management_command_module_is_not_reported(tmp_path: Path) -> None:
    def found(path: str) -> set[tuple[str, int]]:
        return web_findings(tmp_path / path.replace("/", "_"), {path: _MEMO}, "unbounded-cache")

    assert found("ci/management/commands/backfill.py") == set()
    assert found("management/commands/backfill.py") == set()
    # the same memo in a module a long-lived process imports grows with it
    assert found("ci/backfill.py") == {("ci/backfill.py", 4)}
    assert found("ci/management/backfill.py") == {("ci/management/backfill.py", 4)}
