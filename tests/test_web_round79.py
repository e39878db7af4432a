"""Web round 77 (issue 13): false sql-string-built findings of spent corpora. A Flask route's
`<int:termtagid>` converter (Starlette's `{termtagid:int}`) lets only digits reach the view, so
the parameter it fills, pasted into SQL, cannot carry SQL text (lute3's termtag delete view,
`route_numbers.py`); the same route with a plain `<termtagid>` still is reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_TERMTAG_ROUTES = """
    from flask import Blueprint, redirect
    from sqlalchemy import text

    from lute.db import db

    bp = Blueprint("termtag", __name__, url_prefix="/termtag")


    @bp.route("/delete/{converter}", methods=["POST"])
    def delete(termtagid):
        sql = f"delete from wordtags where WtTgID = {{termtagid}}"
        db.session.execute(text(sql))
        db.session.commit()
        return redirect("/termtag/index", 302)
    """


def _sql_lines(tmp_path: Path, converter: str) -> set[tuple[str, int]]:
    files = {
        "lute/termtag/routes.py": _TERMTAG_ROUTES.format(converter=converter),
        "lute/db.py": "db = None\n",
    }
    return web_findings(tmp_path, files, "sql-string-built")


def test_a_route_parameter_the_int_converter_fills_is_not_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "<int:termtagid>") == set()


def test_a_starlette_int_path_parameter_is_not_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "{{termtagid:int}}") == set()


def test_a_route_parameter_of_any_text_stays_reported(tmp_path: Path) -> None:
    assert _sql_lines(tmp_path, "<termtagid>") == {("lute/termtag/routes.py", 11)}
