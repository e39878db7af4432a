"""Web round 83 (issue 13): http-no-timeout false alarms on spent corpora, removed.
A module-level helper whose only caller is a line commented out runs nothing: pyramid-oereb's
`core/url.py` `url_to_base64()` (an `urlopen` with no timeout), named elsewhere only in the
JSON renderer's `#     base64_text_at_web = url_to_base64(...)` under a TODO to delete it
(judged dead code). `uncalled.py` now counts a name's mentions in code, not in `#` comments.
The same call made for real, a lookup of the name as a string, and a real call beside a
comment naming it still count, so those helpers stay reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_URL = """
    from urllib.request import urlopen


    def uri_validator(url):
        return url.startswith("http")


    def url_to_base64(url):
        response = urlopen(url)
        return response.read()
    """
_CALL = 9  # urlopen(url) in url_to_base64
_RENDERER = """
    from flask import Flask, jsonify, request

    from core.url import uri_validator

    app = Flask(__name__)


    @app.get("/extract")
    def extract():
        link = request.args["link"]
        # TODO: should be deleted, there are no flavours anymore
        #     data = url_to_base64(link)
        return jsonify({"valid": uri_validator(link)})
    """
_COMMENTED = "#     data = url_to_base64(link)"
_IMPORT = "from core.url import uri_validator"


def _found(tmp_path: Path, call: str = _COMMENTED, imports: str = "") -> set[tuple[str, int]]:
    """http-no-timeout findings on the app whose renderer has `call` where the comment is."""
    renderer = _RENDERER.replace(_COMMENTED, call).replace(_IMPORT, imports + _IMPORT)
    files = {"core/__init__.py": "", "core/url.py": _URL, "renderer.py": renderer}
    return web_findings(tmp_path, files, "http-no-timeout")


def test_a_helper_called_only_in_a_comment_is_not_reported(tmp_path: Path) -> None:
    assert ("core/url.py", _CALL) not in _found(tmp_path)


def test_a_helper_the_same_line_calls_for_real_is_reported(tmp_path: Path) -> None:
    assert ("core/url.py", _CALL) in _found(tmp_path, "data = url_to_base64(link)")


def test_a_helper_looked_up_by_a_string_is_reported(tmp_path: Path) -> None:
    call = 'data = getattr(url, "url_to_base64")(link)'
    assert ("core/url.py", _CALL) in _found(tmp_path, call, "from core import url\n    ")


def test_a_helper_a_comment_names_beside_a_call_is_reported(tmp_path: Path) -> None:
    # the comment explains a call that runs: the call, not the comment, keeps it live
    call = "# url_to_base64 fetches the document\n        data = url_to_base64(link)"
    assert ("core/url.py", _CALL) in _found(tmp_path, call)


def test_a_call_under_a_page_break_keeps_its_line(tmp_path: Path) -> None:
    # the review's mend: comments are blanked on the rows tokenize reads, which a form feed or
    # a U+2028 in a string does not end; split otherwise, a comment blanked the call above it
    call = "data = url_to_base64(link)\n        # keep the document for the JSON below"
    page_break = "\x0c\n    app = Flask"
    renderer = _RENDERER.replace(_COMMENTED, call).replace("app = Flask", page_break)
    files = {"core/__init__.py": "", "core/url.py": _URL, "renderer.py": renderer}
    assert ("core/url.py", _CALL) in web_findings(tmp_path, files, "http-no-timeout")
