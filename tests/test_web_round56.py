"""Web round 56 (issue 13): fresh46's tabpy miss. tabpy's client wraps a requests session in
`RequestsNetworkWrapper.GET(self, url, data, timeout=None)` (and POST, PUT, DELETE), which calls
`self.session.get(url, ..., timeout=timeout)`; `ServiceClient.GET` forwards its own
`timeout=None`, and every management call but `query()` leaves it so: a timeout of None is none
(`none_timeouts.py`). One finding for the root cause, never one per caller."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_REST = """
import requests


class NetworkWrapper:
    def __init__(self, session):
        self.session = session

    def GET(self, url, data, timeout={default}):
        return self.session.get(url, params=data, timeout=timeout).json()

    def POST(self, url, data, timeout={default}):
        return self.session.post(url, json=data, timeout=timeout).json()


class ServiceClient:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.network_wrapper = NetworkWrapper(requests.session())

    def GET(self, url, data=None, timeout={default}):
        return self.network_wrapper.GET(self.endpoint + url, data, timeout)

    def POST(self, url, data=None, timeout={default}):
        return self.network_wrapper.POST(self.endpoint + url, data, timeout)
"""

_CLIENT = """
from .rest import ServiceClient


class Client:
    def __init__(self, endpoint):
        self.service_client = ServiceClient(endpoint)
        self.query_timeout = 30

    def query(self, name, data):
        return self.service_client.POST("query/" + name, data, timeout=self.query_timeout)

    def endpoints(self):
        return self.service_client.GET({endpoints})

    def deploy(self, name, body):
        return self.service_client.POST("endpoints/" + name, body{deploy})
"""


def _app(
    default: str = "None", endpoints: str = '"endpoints"', deploy: str = "", **extra: str
) -> dict[str, str]:
    return {
        "tools/__init__.py": "",
        "tools/rest.py": _REST.replace("{default}", default),
        "tools/client.py": _CLIENT.replace("{endpoints}", endpoints).replace("{deploy}", deploy),
        **extra,
    }


def _found(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "http-no-timeout")


def test_a_none_default_the_callers_leave_is_reported_once(tmp_path: Path) -> None:
    # GET and POST of the wrapper, reached through ServiceClient by two callers: one finding
    assert _found(tmp_path / "chain", _app()) == {("tools/rest.py", 9)}


def test_a_none_written_at_the_call_is_left_alone(tmp_path: Path) -> None:
    # chosen where it is written (lnbits' event streams wait on purpose), not left by a caller
    files = _app(default="10")
    files["tools/rest.py"] = files["tools/rest.py"].replace(
        "json=data, timeout=timeout", "json=data, timeout=None"
    )
    assert _found(tmp_path / "written", files) == set()


def test_a_default_in_seconds_is_left_alone(tmp_path: Path) -> None:
    assert _found(tmp_path / "clean", _app(default="10")) == set()


def test_callers_that_pass_a_timeout_or_a_spread_are_left_alone(tmp_path: Path) -> None:
    given = _app(endpoints='"endpoints", timeout=5', deploy=", 5")
    assert _found(tmp_path / "given", given) == set()
    spread = _app(endpoints='"endpoints", **self.options', deploy=", **self.options")
    assert _found(tmp_path / "spread", spread) == set()


def test_a_none_the_function_replaces_is_left_alone(tmp_path: Path) -> None:
    files = _app()
    files["tools/rest.py"] = (
        files["tools/rest.py"]
        .replace(
            "def GET(self, url, data, timeout=None):\n",
            "def GET(self, url, data, timeout=None):\n        timeout = timeout or 10\n",
        )
        .replace("json=data, timeout=timeout", "json=data, timeout=timeout or 10")
    )
    assert _found(tmp_path / "replaced", files) == set()


def test_a_shared_method_name_is_not_matched_on_other_objects(tmp_path: Path) -> None:
    wrapper = """
import requests

SESSION = requests.Session()


class Api:
    def get(self, url, timeout=None):
        return SESSION.get(url, timeout=timeout)


def settings(values):
    return values.get("api")
"""
    files = {"tools/__init__.py": "", "tools/api.py": wrapper}
    assert _found(tmp_path / "shared", files) == set()


def test_callers_in_the_tests_do_not_count(tmp_path: Path) -> None:
    files = _app(
        endpoints='"endpoints", timeout=5',
        deploy=", 5",
        **{
            "tests/test_client.py": "from tools.rest import ServiceClient\n\n\n"
            "def test_get():\n    assert ServiceClient('http://x/').GET('info')\n"
        },
    )
    assert _found(tmp_path / "tests", files) == set()
