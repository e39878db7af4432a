"""Web round 68 (issue 13): fresh50's last false alarms on Newsroom. An app of pages for
browsers beside a module that receives another service's signed pushes (Superdesk's push
publisher posting to /push and /push_binary, each request's body signed with a shared key) has
no API to version: the sender holds the URLs and fixes the format (`signed_pushes.py`). The
same app is still reported when the receiver checks no signature, when the receiver sits
behind the app's sign-in, or when the rest of the app answers data rather than pages. A
request with no timeout to a development server on a loopback URL (a setting defaulting to
`http://localhost:8080/`) whose connection error falls back to a file on disk waits on nothing
where the app is deployed (`dev_servers.py`); a remote default, an error raised again or no
fallback is still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_PAGES = """
import flask

from portal.auth import login_required

blueprint = flask.Blueprint("pages", __name__)


@blueprint.route("/")
@login_required
def home():
    return flask.render_template("home.html")


@blueprint.route("/design/")
@login_required
def design():
    return flask.render_template("design.html")


@blueprint.route("/design/<page>")
@login_required
def design_page(page):
    return flask.render_template("design_%s.html" % page)
"""

_PUSH = """
import hmac

import flask
from flask import current_app as app

from portal.store import publish, save_media, has_media

blueprint = flask.Blueprint("push", __name__)


def test_signature(request):
    mac = hmac.new(app.config["PUSH_KEY"], request.get_data(), "sha1")
    return hmac.compare_digest(
        request.headers.get("x-superdesk-signature", ""), "sha1=%s" % mac.hexdigest()
    )


def assert_test_signature(request):
    if not test_signature(request):
        flask.abort(403)


@blueprint.route("/push", methods=["POST"])
def push():
    assert_test_signature(flask.request)
    publish(flask.json.loads(flask.request.get_data()))
    return flask.jsonify({})


@blueprint.route("/push_binary", methods=["POST"])
def push_binary():
    assert_test_signature(flask.request)
    save_media(flask.request.files["media"], flask.request.form["media_id"])
    return flask.jsonify({"status": "OK"}), 201


@blueprint.route("/push_binary/<media_id>")
def push_binary_get(media_id):
    if has_media(media_id):
        return flask.jsonify({})
    flask.abort(404)
"""

_AUTH = """
import functools

import flask


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not flask.session.get("user"):
            return flask.redirect("/login")
        return view(*args, **kwargs)

    return wrapped
"""

_DATA = """
import flask

from portal.auth import login_required
from portal.store import find_items

blueprint = flask.Blueprint("items", __name__)


@blueprint.route("/items/search")
@login_required
def search():
    return flask.jsonify(find_items(flask.request.args.get("q")))


@blueprint.route("/items/recent")
@login_required
def recent():
    return flask.jsonify(find_items(None))
"""


def _app(push: str = _PUSH, **more: str) -> dict[str, str]:
    files = {
        "portal/__init__.py": "",
        "portal/auth.py": _AUTH,
        "portal/pages.py": _PAGES,
        "portal/push.py": push,
    }
    return files | {f"portal/{name}.py": code for name, code in more.items()}


def _unversioned(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "api-unversioned")


def test_pages_beside_a_signed_push_receiver_are_no_api(tmp_path: Path) -> None:
    """Newsroom: design pages and Superdesk's push endpoints, signed with the PUSH_KEY."""
    assert _unversioned(tmp_path, _app()) == set()


def test_the_receiver_twin_has_no_finding(tmp_path: Path) -> None:
    """The same app, each push handler comparing the signature itself, gives no finding of any
    web rule (the benchmarks it lacks aside)."""
    inline = _PUSH.replace(
        "    assert_test_signature(flask.request)\n",
        "    if not hmac.compare_digest(flask.request.headers.get('x-superdesk-signature', ''),\n"
        "            hmac.new(KEY, flask.request.get_data(), 'sha1').hexdigest()):\n"
        "        flask.abort(403)\n",
    )
    assert inline != _PUSH
    found = audit_path(
        write_app(tmp_path, _app(inline)), roles=["performance_engineer", "backend_architect"]
    )
    assert [(f.rule, f.path, f.line) for f in found if f.rule != "no-benchmarks"] == []


def test_an_unsigned_receiver_is_reported(tmp_path: Path) -> None:
    """No signature check: anyone may call the JSON endpoints, whose shape can then break."""
    unsigned = _PUSH.replace("hmac.compare_digest(", "safe_equal(")
    assert _unversioned(tmp_path, _app(unsigned)) != set()


def test_a_receiver_behind_the_sign_in_is_reported(tmp_path: Path) -> None:
    """A route behind the app's sign-in is a signed-in user's, not the sender's."""
    guarded = _PUSH.replace(
        '@blueprint.route("/push_binary/<media_id>")\n',
        '@blueprint.route("/push_binary/<media_id>")\n@login_required\n',
    ).replace("import hmac\n", "import hmac\n\nfrom portal.auth import login_required\n")
    assert _unversioned(tmp_path, _app(guarded)) != set()


def test_a_receiver_beside_data_endpoints_is_reported(tmp_path: Path) -> None:
    """The rest of the app answers JSON to whoever signs in: an API, versioned or not."""
    assert _unversioned(tmp_path, _app(items=_DATA)) != set()


_SETTINGS = """
import os

ASSETS_SERVER_URL = os.environ.get("ASSETS_SERVER_URL", "http://localhost:8080/")
"""

_ASSETS = """
import json

import requests
from flask import Flask

from portal.settings import ASSETS_SERVER_URL

app = Flask(__name__)
app.config["ASSETS_SERVER_URL"] = ASSETS_SERVER_URL


def load_manifest():
    try:
        return requests.get(app.config["ASSETS_SERVER_URL"] + "manifest.json").json()
    except requests.exceptions.ConnectionError:
        pass
    with open("static/dist/manifest.json") as stats:
        return json.load(stats)


ASSETS = load_manifest()
"""


def _timeouts(tmp_path: Path, assets: str = _ASSETS, settings: str = _SETTINGS) -> set[int]:
    files = {"portal/__init__.py": "", "portal/settings.py": settings, "portal/assets.py": assets}
    return {line for _, line in web_findings(tmp_path, files, "http-no-timeout")}


def _called(code: str) -> int:
    """The line of the fixture's `requests.get`."""
    return 1 + next(i for i, t in enumerate(code.strip().splitlines()) if "requests.get(" in t)


def test_a_probe_of_a_local_dev_server_with_a_fallback_is_left_alone(tmp_path: Path) -> None:
    """Newsroom's webpack manifest: a loopback default, and the built file on ConnectionError."""
    assert _timeouts(tmp_path) == set()


def test_the_dev_server_twin_has_no_finding(tmp_path: Path) -> None:
    """The same module gives no finding of any web rule (the benchmarks it lacks aside)."""
    files = {"portal/__init__.py": "", "portal/settings.py": _SETTINGS, "portal/assets.py": _ASSETS}
    found = audit_path(
        write_app(tmp_path, files), roles=["performance_engineer", "backend_architect"]
    )
    assert [(f.rule, f.path, f.line) for f in found if f.rule != "no-benchmarks"] == []


def test_a_setting_with_a_remote_default_is_reported(tmp_path: Path) -> None:
    remote = _SETTINGS.replace("http://localhost:8080/", "https://assets.example.com/")
    assert _timeouts(tmp_path, settings=remote) == {_called(_ASSETS)}


def test_a_connection_error_raised_again_is_reported(tmp_path: Path) -> None:
    """The app needs the server: its error propagates, a hang would stall the caller."""
    needed = _ASSETS.replace("        pass\n", "        raise\n")
    assert _timeouts(tmp_path, needed) == {_called(needed)}


def test_a_local_call_with_no_fallback_is_reported(tmp_path: Path) -> None:
    """No handler for the connection error: a local service the app relies on."""
    bare = _ASSETS.replace("requests.exceptions.ConnectionError", "KeyError")
    assert _timeouts(tmp_path, bare) == {_called(bare)}
