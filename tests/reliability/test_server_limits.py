"""``team serve`` under hostile requests: size limits, slow and vanishing clients, malformed JSON,
the token on every route. Real HTTP on 127.0.0.1 against ``team serve`` in a child process (and,
for a short body timeout, the app in this process)."""

from __future__ import annotations

import json
import socket
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from services import Service, child_env, running, team_command, team_serve, wait_until

from team.serve.app import create_app
from team.serve.guard import BodyLimits
from team.topology import Team

TOKEN = f"clé-{uuid.uuid4().hex}"  # not ASCII: compared as UTF-8 bytes
AUTH = {"Authorization": b"Bearer " + TOKEN.encode()}
LIMIT = 1024 * 1024
URL = "/v1/chat/completions"


def chat(content: Any) -> dict[str, Any]:
    return {"model": "teamgraph", "messages": [{"role": "user", "content": content}]}


@pytest.fixture(scope="module")
def server() -> Iterator[Service]:
    env = child_env(TEAM_API_TOKEN=TOKEN)
    with team_serve("--max-body-bytes", str(LIMIT), env=env) as service:
        yield service


def post(server: Service, body: bytes | Iterator[bytes], **headers: Any) -> httpx.Response:
    headers = {**AUTH, "Content-Type": "application/json", **headers}
    return httpx.post(server.url + URL, content=body, headers=headers, timeout=60)


def error(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_every_route_but_the_health_check_wants_the_token(server: Service) -> None:
    for path in ("/openapi.json", "/docs", "/v1/models", "/threads/t1", "/nothing", URL):
        response = httpx.get(server.url + path)
        assert error(response) == (401, "invalid_api_key"), path
        assert response.headers["www-authenticate"] == "Bearer"
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    schema = httpx.get(server.url + "/openapi.json", headers=AUTH)
    assert schema.status_code == 200 and URL in schema.json()["paths"]
    assert httpx.get(server.url + "/docs", headers=AUTH).status_code == 404


def test_token_is_compared_as_utf8_bytes(server: Service) -> None:
    latin1 = {"Authorization": b"Bearer " + TOKEN.encode("latin-1")}
    assert httpx.get(server.url + "/v1/models", headers=latin1).status_code == 401
    ascii_only = {"Authorization": "Bearer " + TOKEN.replace("é", "e")}
    assert httpx.get(server.url + "/v1/models", headers=ascii_only).status_code == 401
    models = httpx.get(server.url + "/v1/models", headers=AUTH)
    assert models.status_code == 200 and models.json()["data"][0]["id"] == "teamgraph"


def test_malformed_bodies_are_400_not_500(server: Service) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    cases = {
        "lone surrogate": b'{"model": "teamgraph", "messages": [{"role": "user", "content": "a\\ud800b"}]}',
        "huge int": json.dumps(chat("hi")).encode()[:-1] + b', "seed": ' + b"9" * 5000 + b"}",
        "100k deep": deep,
        "deep inside": json.dumps(chat("hi")).encode()[:-1] + b', "metadata": ' + deep + b"}",
        "not utf-8": b'{"model": "teamgraph", "messages": [{"role": "user", "content": "\xff"}]}',
    }
    for name, body in cases.items():
        response = post(server, body)
        assert response.status_code == 400, (name, response.text)
        assert response.json()["error"]["type"] == "invalid_request_error", name
    assert "Traceback" not in server.log()
    # A valid surrogate pair is an ordinary character.
    pair = b'{"model": "teamgraph", "messages": [{"role": "user", "content": "churn model \\ud83d\\ude00"}]}'
    assert post(server, pair).status_code == 200


def test_bodies_and_messages_over_the_limits_are_413(server: Service) -> None:
    big = json.dumps(chat("x" * (2 * LIMIT))).encode()
    assert error(post(server, big)) == (413, "request_too_large")

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted while it arrives
        yield big[: LIMIT // 2]
        yield big[LIMIT // 2 :]

    assert error(post(server, chunked())) == (413, "request_too_large")
    long_message = json.dumps(chat("y" * 300_000)).encode()
    response = post(server, long_message)
    assert error(response) == (413, "message_too_large")
    assert response.json()["error"]["param"] == "messages.[0].content"
    history = {
        "model": "teamgraph",
        "messages": [
            {"role": "assistant", "content": "z" * 300_000},
            {"role": "user", "content": "train a churn model"},
        ],
    }
    assert error(post(server, json.dumps(history).encode())) == (413, "message_too_large")
    assert "Traceback" not in server.log()


def half_sent(url: str, *, declared: int = 1000) -> socket.socket:
    """A connection that sent the headers and 10 bytes of a ``declared``-byte body."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    head = (
        f"POST {URL} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Length: {declared}\r\n\r\n"
    )
    sock.sendall(head.encode() + b'{"model": ')
    return sock


def test_a_client_gone_mid_body_is_one_log_line(server: Service) -> None:
    for _ in range(3):
        half_sent(server.url).close()

    def logged() -> list[str]:
        return [line for line in server.log().splitlines() if "client went away" in line]

    wait_until(lambda: len(logged()) == 3, seconds=30, what="three disconnect lines")
    assert all(f"bytes of POST {URL}" in line for line in logged())
    assert "Traceback" not in server.log()
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_a_stalled_body_gets_408() -> None:
    limits = BodyLimits(body_seconds=0.2)
    app = create_app(Team.load(), checkpoint="memory", token=TOKEN, limits=limits)
    with running(app) as url:
        sock = half_sent(url)
        with sock:
            reply = b""
            while chunk := sock.recv(65536):  # the server answers, then closes
                reply += chunk
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 ")
        assert json.loads(body)["error"]["code"] == "request_timeout"


@pytest.mark.parametrize("token", ["   ", " padded"])
def test_a_blank_token_is_refused_at_start(token: str) -> None:
    done = subprocess.run(
        [team_command(), "serve", "--port", "1", "--checkpoint", "memory"],
        env=child_env(TEAM_API_TOKEN=token),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: TEAM_API_TOKEN ")
