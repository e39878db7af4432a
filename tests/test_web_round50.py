"""Web round 50 (issue 13): fresh44's endpoint-no-auth miss. OPAL client's open `POST
/data-updater/trigger` hands its action to `data_updater.get_base_policy_data(...)`, a name that
reads as a read, so the rule took it for an endpoint that changes nothing; the route's last word
says it runs an action on the server (`action_routes.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SECURED = """
from fastapi import APIRouter, Depends

from .auth import authenticator


def init_callbacks_router(register):
    router = APIRouter(prefix="/callbacks", dependencies=[Depends(authenticator)])

    @router.post("")
    async def add_callback(entry: dict):
        register.put(entry)
        return {"status": "ok"}

    return router
"""

_DATA = """
from fastapi import APIRouter, HTTPException


def init_data_router(data_updater):
    router = APIRouter()

    @router.post("/data-updater/{action}")
    async def trigger_data_update(action: str):
        logger.info("triggered data update from api")
        if data_updater:
            await data_updater.get_base_policy_data(reason="request from sdk")
            return {"status": "ok"}
        raise HTTPException(status_code=503, detail="disabled")

    return router
"""


def _app(last: str, body: str = _DATA) -> dict[str, str]:
    return {
        "app/auth.py": "def authenticator():\n    return None\n",
        "app/callbacks.py": _SECURED,
        "app/data.py": body.replace("{action}", last),
    }


def test_an_open_trigger_route_is_reported_whatever_its_call_is_named(tmp_path: Path) -> None:
    assert web_findings(tmp_path / "trigger", _app("trigger"), "endpoint-no-auth") == {
        ("app/data.py", 8)
    }
    assert web_findings(tmp_path / "flush", _app("flush"), "endpoint-no-auth") == {
        ("app/data.py", 8)
    }


def test_a_route_that_names_no_action_or_a_handler_that_only_logs_is_not(tmp_path: Path) -> None:
    # a POST that reads (a preview computed from the body) among authenticated endpoints
    assert web_findings(tmp_path / "preview", _app("preview"), "endpoint-no-auth") == set()
    logs_only = _DATA.replace(
        'await data_updater.get_base_policy_data(reason="request from sdk")', "pass"
    ).replace('raise HTTPException(status_code=503, detail="disabled")', "return None")
    assert web_findings(tmp_path / "log", _app("trigger", logs_only), "endpoint-no-auth") == set()
