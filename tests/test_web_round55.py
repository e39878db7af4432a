"""Web round 55 (issue 13): fresh46's http-no-timeout miss. greenwave asks Koji for a build's
source through `xmlrpc.client.ServerProxy(url).getBuild(nvr)` on its POST /decision path; the
proxy takes no timeout and its default transport uses the socket default, none, so a Koji that
accepts and stalls holds the request for good (`xmlrpc_proxies.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_ROUTES = """
from flask import Flask, jsonify, request

from .resources import retrieve_scm

app = Flask(__name__)


@app.route("/api/v1.0/decision", methods=["POST"])
def make_decision():
    return jsonify(retrieve_scm(request.get_json()["nvr"]))
"""

_RESOURCES = """
{imports}

KOJI_URL = "https://koji.example.org/kojihub"


def retrieve_scm(nvr):
    proxy = {build}
    build = proxy.getBuild(nvr)
    return build["source"]
"""


def _app(build: str, imports: str = "import xmlrpc.client", **extra: str) -> dict[str, str]:
    resources = _RESOURCES.replace("{imports}", imports).replace("{build}", build)
    return {"app/__init__.py": "", "app/routes.py": _ROUTES, "app/resources.py": resources, **extra}


def _found(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "http-no-timeout")


def test_a_proxy_built_with_no_transport_is_reported(tmp_path: Path) -> None:
    plain = _app("xmlrpc.client.ServerProxy(KOJI_URL)")
    assert _found(tmp_path / "plain", plain) == {("app/resources.py", 7)}
    aliased = _app("RPC(KOJI_URL, allow_none=True)", "from xmlrpc.client import ServerProxy as RPC")
    assert _found(tmp_path / "aliased", aliased) == {("app/resources.py", 7)}
    module = _app("client.ServerProxy(KOJI_URL)", "from xmlrpc import client")
    assert _found(tmp_path / "module", module) == {("app/resources.py", 7)}


def test_a_proxy_given_a_transport_or_a_spread_is_left_alone(tmp_path: Path) -> None:
    keyword = _app("xmlrpc.client.ServerProxy(KOJI_URL, transport=TimeoutTransport(10))")
    assert _found(tmp_path / "keyword", keyword) == set()
    positional = _app("xmlrpc.client.ServerProxy(KOJI_URL, TimeoutTransport(10))")
    assert _found(tmp_path / "positional", positional) == set()
    spread = _app("xmlrpc.client.ServerProxy(KOJI_URL, **OPTIONS)")
    assert _found(tmp_path / "spread", spread) == set()


def test_a_socket_default_or_a_proxy_of_its_own_is_left_alone(tmp_path: Path) -> None:
    default = _app(
        "xmlrpc.client.ServerProxy(KOJI_URL)",
        **{"app/boot.py": "import socket\n\nsocket.setdefaulttimeout(30)\n"},
    )
    assert _found(tmp_path / "default", default) == set()
    own = _app(
        "ServerProxy(KOJI_URL)",
        "from .koji import ServerProxy",
        **{"app/koji.py": "import xmlrpc.client\n\n\nclass ServerProxy:\n    pass\n"},
    )
    assert _found(tmp_path / "own", own) == set()


def test_a_proxy_in_the_tests_is_not_reported(tmp_path: Path) -> None:
    files = _app(
        "xmlrpc.client.ServerProxy(KOJI_URL, transport=TimeoutTransport(10))",
        **{
            "tests/test_koji.py": "import xmlrpc.client\n\n\ndef test_koji():\n"
            "    assert xmlrpc.client.ServerProxy('http://localhost:1').system.listMethods()\n"
        },
    )
    assert _found(tmp_path / "tests", files) == set()
