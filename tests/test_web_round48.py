"""Web round 48 (issue 13): fresh43's last false alarms and misses. An unbounded `@cache` on a
method of a class hashed by value, built only from values written in the code, holds a fixed
handful of entries (ragna's `PackageRequirement(...).is_available()`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_REQUIREMENTS = """
import functools
import importlib.util
import os


class Requirement:
    def __hash__(self):
        return hash(repr(self))

    def __eq__(self, other):
        return repr(self) == repr(other)


class PackageRequirement(Requirement):
    def __init__(self, name):
        self._name = name

    @functools.cache
    def is_available(self):
        return importlib.util.find_spec(self._name) is not None

    def __repr__(self):
        return self._name


class EnvVarRequirement(Requirement):
    def __init__(self, name):
        self._name = name

    @functools.cache
    def is_available(self):
        return self._name in os.environ

    def __repr__(self):
        return self._name
"""

_COMPONENTS = """
from app.requirements import EnvVarRequirement, PackageRequirement


class Assistant:
    _API_KEY_ENV_VAR = "OPENAI_API_KEY"

    @classmethod
    def requirements(cls):
        return [EnvVarRequirement(cls._API_KEY_ENV_VAR), PackageRequirement("httpx")]
"""

_PER_REQUEST = """
from fastapi import FastAPI

from app.requirements import PackageRequirement

app = FastAPI()


@app.get("/available/{name}")
def available(name: str):
    return {"available": PackageRequirement(name).is_available()}
"""


def _app(*extra: tuple[str, str]) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/requirements.py": _REQUIREMENTS,
        "app/components.py": _COMPONENTS,
        **dict(extra),
    }


def test_a_cache_on_a_value_class_built_from_constants_holds_a_fixed_handful(
    tmp_path: Path,
) -> None:
    """Both classes are equal by repr and only ever built from a literal or a capitalised class
    constant: one entry per requirement written in the code, not reported."""
    assert web_findings(tmp_path, _app(), "unbounded-cache") == set()


def test_the_same_cache_is_reported_when_a_request_builds_the_value(tmp_path: Path) -> None:
    """A route builds PackageRequirement from its path parameter: every name a client sends adds
    an entry, so that cache is reported; EnvVarRequirement's is still built from constants."""
    found = web_findings(tmp_path, _app(("app/api.py", _PER_REQUEST)), "unbounded-cache")
    assert found == {("app/requirements.py", 18)}


def test_a_cache_on_a_class_hashed_by_identity_keeps_its_instances(tmp_path: Path) -> None:
    """Without `__hash__`/`__eq__` each construction is a new key, even from constants."""
    plain = _REQUIREMENTS.replace("__hash__", "_hash").replace("__eq__", "_eq")
    found = web_findings(tmp_path, {**_app(), "app/requirements.py": plain}, "unbounded-cache")
    assert found == {("app/requirements.py", 18), ("app/requirements.py", 30)}


_DATABASE = """
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker as _sessionmaker

from app import orm


def get_sessionmaker(database_url):
    engine = create_engine(database_url)
    return _sessionmaker(autocommit=False, autoflush=False, bind=engine)


def get_chats(session: Session, *, user):
    return session.execute(select(orm.Chat).where(orm.Chat.user == user)).scalars().all()


def add_chat(session: Session, *, user, name):
    session.add(orm.Chat(user=user, name=name))
    session.commit()
"""

_API = """
import contextlib

from fastapi import FastAPI

from . import database


def make_app(database_url):
    app = FastAPI()
    make_session = database.get_sessionmaker(database_url)

    @contextlib.contextmanager
    def get_session():
        with make_session() as session:
            yield session

    @app.get("/chats")
    {kind} get_chats(user: str):
        with get_session() as session:
            return database.get_chats(session, user=user)

    @app.post("/chats")
    {kind} create_chat(user: str, name: str):
        with get_session() as session:
            database.add_chat(session, user=user, name=name)
        return {{"name": name}}

    return app
"""


def _chats_app(kind: str, database: str = _DATABASE) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/orm.py": "class Chat:\n    pass\n",
        "app/database.py": database,
        "app/api.py": _API.format(kind=kind),
    }


def test_async_handlers_querying_through_a_sessionmakers_context_are_reported(
    tmp_path: Path,
) -> None:
    """ragna's API: a sessionmaker returned by the database module, a context manager yielding
    its session, and `async def` handlers handing it to the module's query functions. One
    finding for the folder, at the first handler's call."""
    found = web_findings(tmp_path, _chats_app("async def"), "blocking-io-in-async")
    assert found == {("app/api.py", 20)}


def test_plain_def_handlers_or_an_async_session_maker_are_not_reported(tmp_path: Path) -> None:
    """FastAPI runs plain `def` handlers in its threadpool; a maker of AsyncSession gives
    sessions that are awaited."""
    assert web_findings(tmp_path / "sync", _chats_app("def"), "blocking-io-in-async") == set()
    async_maker = _DATABASE.replace("bind=engine)", "bind=engine, class_=AsyncSession)")
    found = web_findings(
        tmp_path / "async", _chats_app("async def", async_maker), "blocking-io-in-async"
    )
    assert found == set()


_SESSION_LOCAL = {
    "svc/__init__.py": "",
    "svc/db.py": (
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import sessionmaker\n\n"
        'SessionLocal = sessionmaker(bind=create_engine("sqlite://"))\n'
    ),
    "svc/main.py": (
        "from fastapi import FastAPI\n\n"
        "from svc.db import SessionLocal\n\n"
        "app = FastAPI()\n\n\n"
        '@app.get("/items")\n'
        "async def items():\n"
        "    db = SessionLocal()\n"
        '    return db.execute("select * from item").all()\n'
    ),
}


def test_a_module_level_sessionmaker_imported_by_name_gives_a_sync_session(
    tmp_path: Path,
) -> None:
    """`SessionLocal = sessionmaker(...)` in db.py, called in an `async def` route of another
    module: the session's execute() runs on the event loop."""
    found = web_findings(tmp_path, _SESSION_LOCAL, "blocking-io-in-async")
    assert found == {("svc/main.py", 11)}
