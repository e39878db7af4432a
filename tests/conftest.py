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
