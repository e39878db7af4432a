"""A plugin of a host platform (Nautobot's `NautobotAppConfig`, NetBox's `PluginConfig`, or an
entry point in the platform's group of blueprints or apps, as Invenio modules declare) with no
project of its own. Its views run in the platform's process, under the platform's settings,
auth and pagination, registered on the platform's router: its latency is measured where the
platform is deployed, not in the plugin's sdist.

A plain reusable Django app (an `AppConfig` subclass) is not read so: the judges hold the lack of
a load test against eleven of them (openwisp-radius's authorize views that sit on every Wi-Fi
login, the device-polled views of openwisp-controller), whose hot paths are the app's own.
"""

from __future__ import annotations

import re
from pathlib import Path

from team.audit.repo import is_test

# a class that registers the package with a host platform built on Django
_PLUGIN_CONFIG = re.compile(
    r"^class\s+\w+\(\s*(?:[\w.]+\.)?(?:NautobotAppConfig|PluginConfig)\s*\)", re.M
)
# an entry point in a host's group of blueprints or apps, in pyproject.toml
# (`[project.entry-points."invenio_base.api_blueprints"]`), setup.py (`"invenio_base.apps": [`)
# or setup.cfg (`invenio_base.blueprints =`): the host loads and mounts them
_HOST_GROUP = re.compile(
    r"""(?m)(?:(?:entry-points|plugins)\.["']?|["']|^\s*)(\w+)\.(?:api_)?(?:blueprints|apps)\b"""
    r"""(?:["']?\]|["']\s*:|\s*=)"""
)
# what only a project has: a settings module that names its URL conf or its WSGI application
_PROJECT_SETTING = re.compile(r"\b(?:ROOT_URLCONF|WSGI_APPLICATION)\b['\"]?\s*[=:]")
# the files that start a project's own server or its commands
_PROJECT_FILES = ("manage.py", "wsgi.py", "asgi.py")
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
# a README naming the project the package is installed into, a link's target allowed between
_HOST_NAMED = re.compile(
    r"(?i)\binstalled (?:into|in|as an? (?:app|plugin) in(?:to)?) (?:the |an? )?(?!your\b)"
    r"(?:\[[^\]]+\]|[\w.-]+)(?:\([^)]*\))? (?:project|platform|service)\b"
)
# a settings module that only runs the test suite
_TEST_SETTINGS = re.compile(r"(?:^|/)settings/test\w*\.py$")


def host_plugin(root: Path) -> bool:
    """The enclosing project (the nearest of `root` and its three parents with a `setup.py`,
    `setup.cfg` or `pyproject.toml`) ships a host platform's plugin config, or declares an
    entry point in another package's group of blueprints or apps, and outside its
    tests has no `manage.py`, `wsgi.py`, `asgi.py` nor a settings module naming `ROOT_URLCONF`
    or `WSGI_APPLICATION`: a plugin (nautobot-device-lifecycle-mgmt, whose viewsets register on
    Nautobot's router), not the platform itself (NetBox, which defines `PluginConfig` and has
    its own settings).

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "setup.py").write_text("setup()")
        >>> _ = (top / "apps.py").write_text("class Lcm(NautobotAppConfig):\\n    name = 'lcm'")
        >>> host_plugin(top)
        True
        >>> _ = (top / "settings.py").write_text("ROOT_URLCONF = 'site.urls'")
        >>> host_plugin(top)
        False
    """
    top = _project_top(root)
    sources = _sources(top)
    return not _serves_itself(sources) and (
        any(_PLUGIN_CONFIG.search(t) for t in sources.values()) or _host_groups(top)
    )


def _host_groups(top: Path) -> bool:
    """The project's metadata declares an entry point in another package's group of blueprints
    or apps (invenio-github's `invenio_base.blueprints`: Invenio mounts them in its own app)."""
    own = {p.name for p in top.iterdir() if p.is_dir()}
    for marker in _PROJECT_MARKERS:
        path = top / marker
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if any(m.group(1) not in own for m in _HOST_GROUP.finditer(text)):
                return True
    return False


def hosted_library(root: Path) -> bool:
    """The enclosing project's README says it is installed into another, named project
    (edx-enterprise-data: "published to pypi as a library and installed into the
    [edx-analytics-data-api](...) project") and it has no project of its own outside its tests
    (its only settings module runs the test suite, `settings/test.py`): its views are served,
    and timed, by that host. "Installed into your project" names no host and is not read so:
    the judges split over reusable Django apps (seven held free of a load test, ten not).

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "setup.py").write_text("setup()")
        >>> _ = (top / "README.md").write_text("Installed into the [host-api](https://x) project.")
        >>> hosted_library(top)
        True
        >>> _ = (top / "wsgi.py").write_text("application = None")
        >>> hosted_library(top)
        False
    """
    top = _project_top(root)
    readmes = [p for p in top.glob("*") if p.is_file() and p.name.lower().startswith("readme")]
    if not any(
        _HOST_NAMED.search(p.read_text(encoding="utf-8", errors="replace")) for p in readmes
    ):
        return False
    return not _serves_itself(_sources(top))


def _sources(top: Path) -> dict[str, str]:
    """The text of every Python module of the project outside its tests and test settings."""
    return {
        rel: path.read_text(encoding="utf-8", errors="replace")
        for path in top.rglob("*.py")
        if not (is_test(rel := path.relative_to(top).as_posix()) or _TEST_SETTINGS.search(rel))
    }


def _serves_itself(sources: dict[str, str]) -> bool:
    """A project of its own: a `manage.py`, `wsgi.py` or `asgi.py`, or a settings module naming
    `ROOT_URLCONF` or `WSGI_APPLICATION`."""
    return any(
        rel.rsplit("/", 1)[-1] in _PROJECT_FILES or _PROJECT_SETTING.search(text)
        for rel, text in sources.items()
    )


def _project_top(root: Path) -> Path:
    for top in [root, *list(root.resolve().parents)[:3]]:
        if any((top / m).exists() for m in _PROJECT_MARKERS):
            return top
    return root
