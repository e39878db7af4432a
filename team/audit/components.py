"""A plugin of a host platform (Nautobot's `NautobotAppConfig`, NetBox's `PluginConfig`) with no
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
# what only a project has: a settings module that names its URL conf or its WSGI application
_PROJECT_SETTING = re.compile(r"\b(?:ROOT_URLCONF|WSGI_APPLICATION)\b['\"]?\s*[=:]")
# the files that start a project's own server or its commands
_PROJECT_FILES = ("manage.py", "wsgi.py", "asgi.py")
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def host_plugin(root: Path) -> bool:
    """The enclosing project (the nearest of `root` and its three parents with a `setup.py`,
    `setup.cfg` or `pyproject.toml`) ships a host platform's plugin config and outside its
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
    own = False
    for path in top.rglob("*.py"):
        rel = path.relative_to(top).as_posix()
        if is_test(rel):
            continue
        if path.name in _PROJECT_FILES:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")
        if _PROJECT_SETTING.search(text):
            return False
        own = own or bool(_PLUGIN_CONFIG.search(text))
    return own


def _project_top(root: Path) -> Path:
    for top in [root, *list(root.resolve().parents)[:3]]:
        if any((top / m).exists() for m in _PROJECT_MARKERS):
            return top
    return root
