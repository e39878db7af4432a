"""Web round 44: fresh40's false findings and misses. an OAuth session of requests-oauthlib is a requests session whose token calls take a
timeout (django-esi's code exchange and refresh)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SSO = """
from requests_oauthlib import OAuth2Session

TOKEN_URL = "https://sso.example.org/oauth/token"


def exchange(code, client_id, secret):
    oauth = OAuth2Session(client_id)
    return oauth.fetch_token(TOKEN_URL, client_secret=secret, code=code)


def renew(token, client_id, secret):
    session = OAuth2Session(client_id, token=token)
    return session.refresh_token(TOKEN_URL, client_id=client_id, client_secret=secret)


def renew_timed(token, client_id, secret):
    session = OAuth2Session(client_id, token=token)
    return session.refresh_token(TOKEN_URL, client_secret=secret, timeout=10)
"""


def test_an_oauth_session_token_call_without_a_timeout_is_reported(tmp_path: Path) -> None:
    """The code exchange and the refresh POST to the provider with no timeout; the call that
    passes one is left alone."""
    found = web_findings(tmp_path, {"sso.py": _SSO}, "http-no-timeout")
    assert found == {("sso.py", 8), ("sso.py", 13)}


def test_an_oauth_session_imported_inside_a_function_is_one(tmp_path: Path) -> None:
    """django-esi imports `OAuth2Session` where it builds the session, not at the top."""
    code = """
    def exchange(code, client_id):
        from requests_oauthlib import OAuth2Session

        oauth = OAuth2Session(client_id)
        return oauth.fetch_token("https://sso.example.org/token", code=code)
    """
    assert web_findings(tmp_path, {"sso.py": code}, "http-no-timeout") == {("sso.py", 5)}


def test_a_session_of_another_library_is_no_requests_session(tmp_path: Path) -> None:
    """A `Session` of SQLAlchemy, or an `OAuth2Session` of another library, is not read as
    requests-oauthlib's."""
    code = """
    from sqlalchemy.orm import Session
    from other_oauth import OAuth2Session


    def load(engine, key):
        session = Session(engine)
        oauth = OAuth2Session("client")
        oauth.fetch_token("https://sso.example.org/token")
        return session.get(Item, key)
    """
    assert web_findings(tmp_path, {"store.py": code}, "http-no-timeout") == set()
