"""Web round 44: fresh40's false findings and misses, and quetz's dummy login. An OAuth session of
requests-oauthlib is a requests session whose token calls take a timeout (django-esi's code
exchange and refresh); a helper's loop over a list every caller writes out is bounded (Golden
Config's `add_message`), and so is a command that makes test data; routers that the packages
enclosing the reviewed one mount only under versioned prefixes are versioned (Skyvern's
`api_app.py`); a function that returns a plain requests session makes sessions with no timeout
(Specter's `requests_session()`); JSON endpoints behind the sign-in that the app's own templates
name with `url_for` are its pages' helpers, no API to version (Specter's wallet UI); a swallowed
pass whose lists the next statement counts is shown to the user (Specter's new-wallet form); a
login route that takes no secret signs anyone in as anyone (quetz's `dummylogin`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

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


def _reviewed(folder: Path, files: dict[str, str], package: str, rule: str) -> set[tuple[str, int]]:
    """(path, line) of each `rule` finding on the package `package` of a small project."""
    write_app(folder, files)
    found = audit_path(folder / package, roles=["backend_architect", "performance_engineer"])
    return {(f.path, f.line) for f in found if f.rule == rule}


_ROUTES = {
    "svc/__init__.py": "",
    "svc/routes/__init__.py": "",
    "svc/routes/items.py": """
        from fastapi import APIRouter, Depends

        from svc.auth import current_org

        router = APIRouter(prefix="/items")


        @router.post("")
        def add_item(name: str, org=Depends(current_org)):
            return {"name": name}
        """,
}


def _served_at(*prefixes: str) -> str:
    mounts = "".join(f"app.include_router(items.router, prefix={p!r})\n" for p in prefixes)
    return (
        "from fastapi import FastAPI\n\nfrom svc.routes import items\n\napp = FastAPI()\n" + mounts
    )


def test_routers_the_enclosing_package_mounts_under_a_version_are_versioned(
    tmp_path: Path,
) -> None:
    """Skyvern's `api_app.py`, two packages up, mounts the reviewed router at /v1 and /api/v2:
    the bare paths of the reviewed files are versioned there."""
    files = {**_ROUTES, "svc/app.py": _served_at("/v1", "/api/v2")}
    assert _reviewed(tmp_path, files, "svc/routes", "api-unversioned") == set()


def test_one_unversioned_mount_keeps_the_api_unversioned(tmp_path: Path) -> None:
    """A mount at the root beside the versioned one serves the same routes with no version."""
    files = {**_ROUTES, "svc/app.py": _served_at("/v1", "/legacy")}
    assert _reviewed(tmp_path, files, "svc/routes", "api-unversioned") == {("items.py", 9)}


_NODE = """
import requests


class Node:
    def __init__(self, proxy):
        self.proxy = proxy

    def http_session(self):
        session = requests.Session()
        session.proxies["https"] = self.proxy
        return session
"""
_BROADCAST = """
from flask import Blueprint, current_app, request

bp = Blueprint("wallets", __name__)


@bp.route("/broadcast", methods=["POST"])
def broadcast():
    session = current_app.node.http_session()
    session.post("https://explorer.example.org/api/tx", data=request.form["tx"])
    return "sent"
"""


def test_a_session_from_a_factory_of_the_enclosing_package_has_no_timeout(
    tmp_path: Path,
) -> None:
    """Specter's `Specter.requests_session()`, beside the reviewed endpoints, returns a plain
    session with proxies: the POST through it waits as long as the explorer does."""
    files = {
        "wallet/__init__.py": "",
        "wallet/node.py": _NODE,
        "wallet/endpoints/__init__.py": "",
        "wallet/endpoints/tx.py": _BROADCAST,
    }
    found = _reviewed(tmp_path, files, "wallet/endpoints", "http-no-timeout")
    assert found == {("tx.py", 9)}


def test_a_factory_that_mounts_an_adapter_is_left_alone(tmp_path: Path) -> None:
    """A factory that mounts an adapter may set a timeout there: its sessions are not read."""
    node = _NODE.replace(
        '        session.proxies["https"] = self.proxy\n',
        '        session.mount("https://", TimedAdapter())\n',
    )
    files = {
        "wallet/__init__.py": "",
        "wallet/node.py": node,
        "wallet/endpoints/__init__.py": "",
        "wallet/endpoints/tx.py": _BROADCAST,
    }
    assert _reviewed(tmp_path, files, "wallet/endpoints", "http-no-timeout") == set()


def _wallet_ui(template: str) -> dict[str, str]:
    """A Flask UI of four pages and two JSON helpers, with one template of the package."""
    pages = "".join(
        f"""

@bp.route("/{name}")
@login_required
def {name}():
    return render_template("{name}.html")
"""
        for name in ("wallets", "settings", "devices", "nodes")
    )
    helpers = "".join(
        f"""

@bp.route("/{name}", methods=["POST"])
@login_required
def {name}():
    return jsonify([])
"""
        for name in ("txlist", "utxo_list")
    )
    views = (
        "from flask import Blueprint, jsonify, render_template\n"
        "from flask_login import login_required\n\n"
        'bp = Blueprint("wallets_api", __name__)\n' + pages + helpers
    )
    return {
        "wallet/__init__.py": "",
        "wallet/templates/wallet.jinja": template,
        "wallet/endpoints/__init__.py": "",
        "wallet/endpoints/views.py": views,
    }


def test_json_helpers_the_own_templates_call_belong_to_the_pages(tmp_path: Path) -> None:
    """Specter's templates name its JSON endpoints with `url_for(...)` for the bundled
    JavaScript: their only client ships with the server, no API to version."""
    template = (
        "<script>fetch(\"{{ url_for('wallets_api.txlist') }}\");\n"
        "fetch(\"{{ url_for('wallets_api.utxo_list') }}\");</script>\n"
    )
    files = _wallet_ui(template)
    assert _reviewed(tmp_path, files, "wallet/endpoints", "api-unversioned") == set()


def test_json_helpers_no_template_calls_are_an_api(tmp_path: Path) -> None:
    """Two JSON endpoints beside four pages, none named by a template: clients outside may
    call them, and the app is held to a version."""
    files = _wallet_ui("<p>{{ url_for('wallets_api.wallets') }}</p>\n")
    assert _reviewed(tmp_path, files, "wallet/endpoints", "api-unversioned") == {("views.py", 9)}


_NEW_WALLET = """
from flask import Blueprint, render_template, request
from flask_login import login_required

bp = Blueprint("wallets", __name__)


@bp.route("/new", methods=["POST"])
@login_required
def new_wallet():
    total = int(request.form["sigs_total"])
    keys = []
    for i in range(total):
        try:
            cosigner = request.app.devices.get_by_alias(request.form["cosigner%d" % i])
            keys.append(cosigner.key)
        except:
            pass
    {after}
    request.app.wallets.create(keys)
    return render_template("wallet.html")
"""


def test_a_swallowed_pass_counted_right_after_the_loop_is_shown(tmp_path: Path) -> None:
    """Specter's new-wallet form: a slot whose lookup failed is missing from `keys`, and the
    next statement re-renders the form with an error: nothing is hidden."""
    after = 'if len(keys) != total:\n        return render_template("new.html", error="keys")'
    files = {"wallets.py": _NEW_WALLET.replace("{after}", after)}
    assert web_findings(tmp_path, files, "swallowed-exception") == set()


def test_a_swallowed_pass_nothing_counts_is_reported(tmp_path: Path) -> None:
    """Without the count the wallet is created with the keys that happened to load."""
    files = {"wallets.py": _NEW_WALLET.replace("{after}", "total = len(request.form)")}
    assert web_findings(tmp_path, files, "swallowed-exception") == {("wallets.py", 16)}


_DEV_LOGIN = """
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.responses import RedirectResponse

from store import get_dao, get_session

app = FastAPI()
router = APIRouter()


@router.get("/dummylogin/{username}")
def dummy_login(username: str, dao=Depends(get_dao), session=Depends(get_session)):
    user = dao.get_user_by_username(username)
    if user is None:
        raise HTTPException(status_code=404)
    session["user_id"] = str(user.id)
    return RedirectResponse("/")


app.include_router(router, prefix="/api")
"""


def test_a_login_route_that_takes_no_secret_is_reported(tmp_path: Path) -> None:
    """quetz's `/api/dummylogin/{username}`: the user named in the URL goes into the session,
    nothing proves the caller is that user."""
    found = web_findings(tmp_path, {"main.py": _DEV_LOGIN}, "endpoint-no-auth")
    assert found == {("main.py", 11)}


def test_a_login_route_that_checks_a_password_is_not(tmp_path: Path) -> None:
    """The same route reading a password and checking it signs in only who knows it."""
    code = _DEV_LOGIN.replace(
        "    if user is None:\n",
        "    if user is None or not user.check_password(password):\n",
    ).replace("username: str,", "username: str, password: str,")
    assert web_findings(tmp_path, {"main.py": code}, "endpoint-no-auth") == set()


def test_an_administrators_sign_in_as_is_not(tmp_path: Path) -> None:
    """A "sign in as" behind the route's own administrator check is an operator's tool."""
    code = _DEV_LOGIN.replace(
        "dao=Depends(get_dao)", "admin=Depends(require_admin), dao=Depends(get_dao)"
    )
    assert web_findings(tmp_path, {"main.py": code}, "endpoint-no-auth") == set()
