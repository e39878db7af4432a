"""Web round 43: precision on fresh39's false findings. A performance folder of the test suite
however deep is a load test (pulp-ansible's `tests/performance/`); a session handed in by
callers is timed when the repository builds its sessions with a timeout-setting adapter
(quetz's `get_remote_session()`); an async method only the tests call blocks no request
(quetz's `RQManager.wait()`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_DEPS = """
import requests
from requests.adapters import HTTPAdapter


class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=5, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def get_remote_session():
    session = requests.Session()
    session.mount("https://", {adapter}(max_retries=3))
    return session
"""
_MIRROR = """
import requests

from mirror_app.deps import get_remote_session


class RemoteFile:
    def __init__(self, url, session=None):
        if session is None:
            session = requests.Session()
        self.response = session.get(url, stream=True)


def fetch(url):
    return RemoteFile(url, get_remote_session()).response
"""


def _mirror(adapter: str) -> dict[str, str]:
    return {
        "mirror_app/__init__.py": "",
        "mirror_app/deps.py": _DEPS.replace("{adapter}", adapter),
        "mirror_app/mirror.py": _MIRROR,
    }


def test_a_session_handed_in_where_sessions_mount_a_timeout_adapter_is_timed(
    tmp_path: Path,
) -> None:
    """quetz's RemoteFile(session=None): every caller hands it `get_remote_session()`, whose
    TimeoutHTTPAdapter sets 5 s whenever a call passes none."""
    found = web_findings(tmp_path, _mirror("TimeoutHTTPAdapter"), "http-no-timeout")
    assert found == set()


def test_a_session_handed_in_where_only_retry_adapters_are_mounted_stays_reported(
    tmp_path: Path,
) -> None:
    """A retry adapter bounds no answer: the sessions the repository builds have no timeout,
    so the one handed in has none either."""
    found = web_findings(tmp_path, _mirror("HTTPAdapter"), "http-no-timeout")
    assert found == {("mirror_app/mirror.py", 10)}
