"""Web round 62 (issue 13): one route left out of the access check its siblings share.
LibreTranslate 1.9.6 wraps `/translate`, `/translate_file` and `/detect` in its own
`@access_check` (API keys, bans), but not `/suggest`, which writes every suggestion it gets into
SQLite (misses_fresh48.md). endpoint-no-auth already reports an outlier among authenticated
endpoints; it missed this one because `/suggest` starts with `if not args.suggestions:
abort(403)`, which the inventory took for a check in the body. A refusal under a test that
reads only a setting refuses every caller alike (`switched_off.py`): the route is as open as
one without it. A refusal that reads the request, or a setting that names authentication,
still counts; the twin whose `/suggest` wears the decorator is clean."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit import audit_path

_APP = """
from functools import wraps

from flask import Blueprint, Flask, abort, jsonify, request

from .suggestions import SuggestionsDatabase
from .translate import detect_language, translate_text


def create_app(args):
    bp = Blueprint("main", __name__)

    def access_check(f):
        @wraps(f)
        def func(*a, **kw):
            if args.api_keys and request.values.get("api_key") not in args.keys:
                abort(403, description="Invalid API key")
            return f(*a, **kw)

        return func

    @bp.post("/translate")
    @access_check
    def translate():
        return jsonify(translate_text(request.values["q"], request.values["target"]))

    @bp.post("/detect")
    @access_check
    def detect():
        return jsonify(detect_language(request.values["q"]))

    @bp.post("/suggest"){decorator}
    def suggest():
        if {test}:
            abort(403, description="Suggestions are disabled on this server.")
        SuggestionsDatabase().add(request.values["q"], request.values["s"])
        return jsonify({{"success": True}})

    app = Flask(__name__)
    app.register_blueprint(bp, url_prefix="/v1")
    return app
"""


def _backend(root: Path, *, decorator: str = "", test: str = "not args.suggestions") -> list:
    write_app(
        root,
        {
            "translator/__init__.py": "",
            "translator/app.py": _APP.format(decorator=decorator, test=test),
        },
    )
    return audit_path(root / "translator", roles=["backend_architect"])


def test_a_route_that_a_setting_switches_on_is_not_authenticated_by_its_403(
    tmp_path: Path,
) -> None:
    """`/suggest` refuses with 403 only when the server turns suggestions off; on, it writes
    what anyone sends while its siblings need `@access_check`: reported, citing the sibling's
    decorator (not a refusal in a body)."""
    found = [
        (f.rule, f.path, f.line, f.message)
        for f in _backend(tmp_path)
        if f.rule == "endpoint-no-auth"
    ]
    lines = (tmp_path / "translator" / "app.py").read_text().splitlines()
    suggest, translate = (
        lines.index(f"    def {name}():") + 1 for name in ("suggest", "translate")
    )
    assert [(rule, path, line) for rule, path, line, _ in found] == [
        ("endpoint-no-auth", "app.py", suggest)
    ]
    assert found[0][3].startswith(
        "POST /v1/suggest (suggest) changes state (SuggestionsDatabase().add()) with no "
        "authentication, while other endpoints of this app require `access_check` "
        f"(POST /v1/translate, app.py:{translate})"
    )


def test_the_switch_in_every_spelling_of_a_setting_is_reported(tmp_path: Path) -> None:
    """Flask's config, a settings module and the environment are settings as `args` is."""
    tests = (
        'not app.config["SUGGESTIONS"]',
        "not settings.ENABLE_SUGGESTIONS",
        'os.environ.get("SUGGESTIONS") != "1"',
    )
    found = [
        [f.rule for f in _backend(tmp_path / str(i), test=t) if f.rule == "endpoint-no-auth"]
        for i, t in enumerate(tests)
    ]
    assert found == [["endpoint-no-auth"]] * 3


def test_a_refusal_that_checks_the_caller_or_names_auth_still_authenticates(
    tmp_path: Path,
) -> None:
    """A 403 on the request's own key, or on a setting that names authentication (a server
    that takes suggestions only with API keys on), is a check in the body: not reported."""
    tests = ('request.values.get("api_key") not in args.keys', "not args.api_keys")
    found = [
        [f.rule for f in _backend(tmp_path / str(i), test=t) if f.rule == "endpoint-no-auth"]
        for i, t in enumerate(tests)
    ]
    assert found == [[], []]


def test_the_twin_whose_route_wears_the_access_check_is_clean(tmp_path: Path) -> None:
    """The same app with `@access_check` on `/suggest` has no Backend Architect finding."""
    assert _backend(tmp_path, decorator="\n    @access_check") == []
