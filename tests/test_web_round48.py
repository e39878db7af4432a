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
