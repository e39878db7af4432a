"""Shared fixtures. No test may reach the network: only loopback connections are allowed."""

from __future__ import annotations

import ipaddress
import socket

import pytest

pytest_plugins = ["pytester"]

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise OSError(f"tests may not reach the network: {host}")
        except ValueError:
            raise OSError(f"tests may not resolve hostnames: {host}") from None
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _team_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Conversations that tests save go to a temporary TEAM_HOME, never the user's."""
    import os

    os.environ["TEAM_HOME"] = str(tmp_path_factory.mktemp("team_home"))


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> None:
    socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def default_team():
    from team.topology import Team

    return Team.load()


STUB_KEY = "sk-ant-test-SECRET-0123456789"


@pytest.fixture
def claude_stub(monkeypatch):
    """Start the loopback Anthropic stub (a script, or a ``responder=``); ``ANTHROPIC_API_KEY``
    and ``ANTHROPIC_BASE_URL`` point the team's Claude model at it. Stopped after the test."""
    from stubs.anthropic_stub import AnthropicStub

    started: list[AnthropicStub] = []

    def start(steps=(), *, responder=None):
        stub = AnthropicStub(steps, api_key=STUB_KEY, responder=responder).start()
        monkeypatch.setenv("ANTHROPIC_API_KEY", STUB_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", stub.base_url)
        monkeypatch.setenv("TEAM_MODEL_TIMEOUT", "10")
        started.append(stub)
        return stub

    yield start
    for stub in started:
        stub.stop()


@pytest.fixture(params=["words", "words and meaning"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Both readings of the router: the words alone must name the owner, and the meaning must
    not undo it (the meaning reader is built afresh for each)."""
    from team.routing.semantic import semantic_reader

    monkeypatch.setenv("TEAM_ROUTING", "words" if request.param == "words" else "")
    semantic_reader.cache_clear()
    yield request.param
    semantic_reader.cache_clear()
