"""Web round 44: fresh40's false findings and misses. an OAuth session of requests-oauthlib is a requests session whose token calls take a
timeout (django-esi's code exchange and refresh); a helper's loop over a list every caller writes out is bounded (Golden Config's
`add_message`), and so is a command that makes test data."""

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


_HELPER = """
from jobs.models import Job


def warn_disabled(checks, request):
    for name, enabled in checks:
        job = Job.objects.filter(class_name=name).first()
        if job and not job.enabled and enabled:
            request.messages.append(job.name)
"""


def _views(argument_lines: str) -> str:
    return (
        "from helper import warn_disabled\n\n\n"
        "def overview(request):\n"
        f"{argument_lines}"
        "    return request\n"
    )


def test_a_loop_over_a_list_every_caller_writes_out_is_bounded(tmp_path: Path) -> None:
    """Every caller hands the helper a display or a list grown by a few append lines: as
    many lookups as names written there."""
    views = _views(
        "    checks = []\n"
        "    checks.append(['BackupJob', True])\n"
        "    checks.append(['ComplianceJob', False])\n"
        "    warn_disabled(checks, request)\n"
        "    warn_disabled([['IntendedJob', True]], request)\n"
    )
    files = {"helper.py": _HELPER, "views.py": views}
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()


def test_a_list_grown_in_a_loop_keeps_the_helper_reported(tmp_path: Path) -> None:
    """One caller appends once per stored row: the helper's loop grows with the table."""
    views = _views(
        "    checks = []\n"
        "    for job in Job.objects.all():\n"
        "        checks.append([job.class_name, True])\n"
        "    warn_disabled(checks, request)\n"
        "    warn_disabled([['IntendedJob', True]], request)\n"
    )
    files = {"helper.py": _HELPER, "views.py": views}
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("helper.py", 6)}


def test_a_command_that_makes_test_data_is_no_request_path(tmp_path: Path) -> None:
    """A management command named for the test data it seeds runs once by hand; the same loop
    in a command that syncs devices is still reported."""
    loop = """
    from django.core.management.base import BaseCommand

    from app.models import Device, Rule


    class Command(BaseCommand):
        def handle(self, *args, **options):
            for device in Device.objects.all():
                for rule in Rule.objects.filter(platform=device.platform):
                    rule.save()
    """
    files = {
        "app/management/commands/generate_app_test_data.py": loop,
        "app/management/commands/sync_devices.py": loop,
    }
    found = web_findings(tmp_path, files, "n-plus-one-query")
    assert found == {("app/management/commands/sync_devices.py", 9)}
