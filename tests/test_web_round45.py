"""Web round 45: fresh41's false findings and misses. A list handler that cuts its rows with
`.offset()`/`.limit()` on values of a parameter pages them, whatever the parameter and its model
are named (warren's `Pagination` dependency). A blueprint mounted under a versioned `url_prefix`
versions the API its routes leave unversioned (waiverdb's `/api/v1.0`). A handler that calls the
repository's authenticating function in its body and keeps the user it returns is authenticated
(waiverdb's `user, headers = auth.get_user(request)`). `urlopen()` with no timeout waits on the
server for good (django-push-notifications' WNS sender). An async method that queries the
synchronous session a property of its class returns blocks the loop (warren's indicator cache)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_PAGING_MODEL = """
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlmodel import Session, select

from shop.db import Item, get_session

router = APIRouter(prefix="/v1")


class Window(BaseModel):
    start: int = Query(default=0, ge=0)
    size: int = Query(default=50, le=50)


@router.get("/items", response_model=list[Item])
def items(window: Annotated[Window, Depends()], session: Session = Depends(get_session)):
    return session.exec(select(Item).offset(window.start).limit(window.size)).all()


@router.get("/all-items", response_model=list[Item])
def all_items(session: Session = Depends(get_session)):
    return session.exec(select(Item).limit(1000)).all()
"""


def test_a_list_cut_by_a_parameter_model_is_paginated(tmp_path: Path) -> None:
    """`items` pages by the window its caller sends; `all_items` cuts at a constant it picks
    itself and stays reported."""
    found = web_findings(tmp_path, {"shop/items.py": _PAGING_MODEL}, "list-not-paginated")
    assert found == {("shop/items.py", 23)}


_NOTES_API = """
from flask import Blueprint, jsonify, request
from flask_restful import Api, Resource

from notes.store import save_note

api_v1 = Blueprint("api_v1", __name__)
api = Api(api_v1)


class Notes(Resource):
    def post(self):
        return jsonify(save_note(request.get_json()))


api.add_resource(Notes, "/notes")
"""

_NOTES_APP = """
from flask import Flask

from notes.api import api_v1


def create_app():
    app = Flask(__name__)
    app.register_blueprint(api_v1, url_prefix={prefix!r})
    return app
"""


def test_a_blueprint_mounted_under_a_version_is_versioned(tmp_path: Path) -> None:
    """The resource's blueprint is mounted at /api/v1.0 in another module: versioned. Mounted
    at /api it is not."""
    for folder, prefix, expected in [
        ("a", "/api/v1.0", set()),
        ("b", "/api", {("notes/app.py", 7)}),
    ]:
        files = {"notes/api.py": _NOTES_API, "notes/app.py": _NOTES_APP.format(prefix=prefix)}
        assert web_findings(tmp_path / folder, files, "api-unversioned") == expected


_AUTH = """
from flask import request
from werkzeug.exceptions import Unauthorized


def signed_in_user(req):
    token = req.headers.get("Authorization", "")
    if not token.startswith("Bearer "):
        raise Unauthorized("a bearer token is required")
    return check_token(token[7:])
"""

_VIEWS = """
from flask import Blueprint, jsonify, request

from notes import auth
from notes.store import delete_note, save_note

api = Blueprint("api", __name__, url_prefix="/api/v1")


@api.route("/notes", methods=["POST"])
def add_note():
    user = auth.signed_in_user(request)
    return jsonify(save_note(user, request.get_json())), 201


@api.route("/notes/<int:note_id>", methods=["DELETE"])
def remove_note(note_id):
    auth.signed_in_user(request)
    delete_note(note_id)
    return "", 204
"""


def test_a_handler_calling_the_auth_function_is_authenticated(tmp_path: Path) -> None:
    """`add_note` signs its caller in through `auth.signed_in_user(request)`, which refuses
    with Unauthorized, and keeps the user it returns; `remove_note` drops the answer of the same
    call, as a check of something else than the caller would, and stays reported."""
    files = {"notes/auth.py": _AUTH, "notes/views.py": _VIEWS}
    assert web_findings(tmp_path, files, "endpoint-no-auth") == {("notes/views.py", 16)}


_PUSH = """
from urllib.request import Request, urlopen


def token(url, body):
    return urlopen(Request(url, data=body)).read()


def send(url, body):
    return urlopen(Request(url, data=body), timeout=10).read()


def send_positional(url, body):
    return urlopen(url, body, 10).read()
"""


def test_urlopen_without_a_timeout_is_reported(tmp_path: Path) -> None:
    """`token` waits on the server for good; the two calls that pass a timeout, by keyword or
    as the third argument, are left alone."""
    found = web_findings(tmp_path, {"push/wns.py": _PUSH}, "http-no-timeout")
    assert found == {("push/wns.py", 5)}


def test_a_default_socket_timeout_bounds_every_urlopen(tmp_path: Path) -> None:
    """A repository that sets `socket.setdefaulttimeout()` gives urllib a bound."""
    files = {
        "push/wns.py": _PUSH,
        "push/__init__.py": "import socket\nsocket.setdefaulttimeout(20)\n",
    }
    assert web_findings(tmp_path, files, "http-no-timeout") == set()


_CACHE_MIXIN = """
from sqlmodel import Session, select

from stats.db import CacheRow, get_session


class Cached:
    @property
    def db(self) -> Session:
        return get_session()

    async def cached(self, key):
        return self.db.exec(select(CacheRow).where(CacheRow.key == key)).first()

    def cached_sync(self, key):
        return self.db.exec(select(CacheRow).where(CacheRow.key == key)).first()
"""


def test_a_session_property_queried_in_an_async_method_blocks(tmp_path: Path) -> None:
    """`self.db` is a synchronous sqlmodel Session; `cached` runs its `exec()` on the event
    loop, the plain `cached_sync` in whatever thread calls it."""
    found = web_findings(tmp_path, {"stats/cache.py": _CACHE_MIXIN}, "blocking-io-in-async")
    assert found == {("stats/cache.py", 12)}
