"""What shows the reviewed code run as a service of its own: the deployment a load test times.

A benchmark or load test is asked of a service someone deploys. The repository shows one by a
container recipe (a Dockerfile or compose file), a WSGI or ASGI module a server loads, a Django
project's settings (`INSTALLED_APPS`, `ROOT_URLCONF`) or `manage.py`, an app object the code builds (`app =
FastAPI(...)`, `Flask(__name__)`), or a console script an operator starts. What only a test
suite runs (`tests/settings.py`, `test_project/manage.py`, a `manage.py` on `tests.settings`), what
a site copies to start from (Cartridge's `project_template/`, a cookiecutter) and the example
project shipped beside a library (django-getpaid's `example/example/wsgi.py`) deploy nothing: a
reusable app that ships no more than these is installed into a project, and that project is what
a load test times. A library says so by its audience (`Intended Audience :: Developers`); an
application that declares none (Postorius, Mailman's web UI) ships in `example_project/` the
setup its operators deploy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import cast

from team.audit.library_apps import project_top, read_text
from team.audit.repo import Repo

__all__ = ["deployment"]

# skipped: tooling, docs, and code vendored from other projects (Kolibri's `kolibri/dist/`)
_SKIPPED = frozenset(
    {"node_modules", ".git", ".tox", ".venv", "venv", "__pycache__", "static", "docs", "doc"}
    | {"dist", "vendor", "_vendor", "site-packages"}
)
# where nothing is deployed: a test suite's project, or a template a site copies and edits
_NOT_DEPLOYED = re.compile(
    r"(?i)(?:^|/)(?:tests?|testing|test_?project|test_?app|\w*templates?\w*|\{\{[^/]*\}\})/"
    r"|(?:^|/)(?:test_?settings|settings_?tests?)\w*\.py$"
)
# an example, demo or sample project shipped beside the reviewed package (`example/`, `demo_site/`,
# `sandbox/`): it shows how a site installs the library, and deploys nothing of its own
_EXAMPLE = re.compile(r"(?i)^(?:\w+[_-])?(?:examples?|demos?|samples?|sandbox(?:es)?)(?:[_-]\w+)?$")
# the settings module a `manage.py` runs: `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`
_MANAGED_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
# a package for developers to build with, not an application its operators deploy
_FOR_DEVELOPERS = "Intended Audience :: Developers"
_CONTAINER = re.compile(
    r"^(?:Dockerfile|Containerfile)(?:[.-][\w.-]+)?$|^(?:docker-)?compose[\w.-]*\.ya?ml$"
)
_SERVER_MODULES = {"wsgi.py": "a WSGI", "asgi.py": "an ASGI"}
# a Django settings module: what only a project's settings assign
_SETTINGS = re.compile(r"(?m)^(?:INSTALLED_APPS|ROOT_URLCONF)\s*(?::[^=\n]*)?[+]?=")
# an app object built by the code: `app = FastAPI(...)`, `application = web.Application()`
# (a web framework's `Application`, not a model of that name: django-oauth-toolkit's)
_APP_OBJECT = re.compile(
    r"(?m)^[ \t]*(\w+)\s*(?::[^=\n]*)?=\s*(?:\w+\.)*"
    r"(Flask|FastAPI|Starlette|Quart|Sanic|Litestar|web\.Application)\("
)
# a console script declared in pyproject.toml, setup.cfg or setup.py
_SCRIPTS = re.compile(r"\[project\.scripts\]|\[tool\.poetry\.scripts\]|console_scripts")
# its name: `octoprint = octoprint:main` (in a list or on a line of its own), `"gerapy" = ...`
_SCRIPT_NAME = re.compile(r"""([\w.-]+)["']?\s*=\s*["']?[\w.]+:\w+""")


def deployment(root: Path) -> str | None:
    """What in the project of `root` (the nearest of it and its four parents with a
    `pyproject.toml`, `setup.py` or `setup.cfg`) shows it deployed as a service, outside its
    tests, project templates and (for a package whose audience is developers) example
    projects: a Dockerfile or compose file (not one for
    the tests), a `wsgi.py` or `asgi.py`, a Django project's settings module or a `manage.py`
    not on a test suite's settings, an app object built in `root`, or a console script; None
    when nothing does. An app's own settings (django-pyas2's, read from the site's `PYAS2`
    dict) assign no `INSTALLED_APPS` or `ROOT_URLCONF` and deploy nothing.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> _ = (top / "setup.py").write_text("setup(name='shop')")
        >>> (top / "shop" / "project_template").mkdir(parents=True)
        >>> _ = (top / "shop" / "project_template" / "wsgi.py").write_text("application = None")
        >>> deployment(top / "shop") is None
        True
        >>> _ = (top / "Dockerfile").write_text("FROM python:3.12")
        >>> deployment(top / "shop")
        'a Dockerfile at Dockerfile'
    """
    top = project_top(root, up=4)
    examples = _for_developers(top)
    found: dict[str, str] = {}
    # the shallowest of each kind first, a plain `Dockerfile` before `compose.dev.yml`
    for rel in sorted(
        _deployed_files(top, root, examples=examples), key=lambda r: (r.count("/"), len(r), r)
    ):
        name = rel.rsplit("/", 1)[-1]
        if _CONTAINER.match(name) and "test" not in name.lower():
            found.setdefault("container", f"a {_container_kind(name)} at {rel}")
        elif name in _SERVER_MODULES:
            found.setdefault("server", f"{_SERVER_MODULES[name]} module at {rel}")
        elif name == "manage.py" and not _runs_test_settings(read_text(top / rel)):
            found.setdefault("manage", rel)
        elif "settings" in name and name.endswith(".py") and _SETTINGS.search(read_text(top / rel)):
            found.setdefault("settings", rel)
    if "container" in found or "server" in found:
        return found.get("container") or found["server"]
    if "settings" in found:
        run = f" run by {found['manage']}" if "manage" in found else ""
        return f"Django settings at {found['settings']}{run}"
    shown = _app_object(root, examples=examples)
    if shown is None and "manage" in found:
        shown = f"the project's {found['manage']}"
    return shown or _console_script(top)


def repo_deployment(repo: Repo) -> str | None:
    """`deployment(repo.root)`, walked once per review and shared by the rules that ask.

    Example:
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> repo_deployment(repo)
        'the app object `app = FastAPI(...)` at serve/app.py:10'
        >>> repo.memo["deployment"] is repo_deployment(repo)
        True
    """
    if "deployment" not in repo.memo:
        repo.memo["deployment"] = deployment(repo.root)
    return cast("str | None", repo.memo["deployment"])


def _deployed_files(top: Path, root: Path, *, examples: bool) -> list[str]:
    """Paths under `top` outside skipped folders, tests, project templates and, with
    `examples`, the example projects beside `root` (an example folder holding `root` is kept)."""
    keep = {root.resolve(), *root.resolve().parents}
    out = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = [
            d
            for d in dirs
            if d not in _SKIPPED
            and not d.endswith(".egg-info")
            and not (examples and _EXAMPLE.match(d) and (Path(folder) / d).resolve() not in keep)
        ]
        for name in files:
            rel = (Path(folder) / name).relative_to(top).as_posix()
            if not _NOT_DEPLOYED.search(rel):
                out.append(rel)
    return out


def _runs_test_settings(manage: str) -> bool:
    """Whether a `manage.py` runs the settings of a test suite (`tests.settings`) or of an
    example project (`example.settings`), not a project's."""
    module = _MANAGED_SETTINGS.search(manage)
    if module is None:
        return False
    parts = module[1].split(".")
    return bool(_NOT_DEPLOYED.search("/".join(parts) + ".py")) or any(map(_EXAMPLE.match, parts))


def _for_developers(top: Path) -> bool:
    """Whether the project at `top` declares developers its audience (a library's classifier)."""
    markers = ("PKG-INFO", "pyproject.toml", "setup.cfg", "setup.py")
    return any(_FOR_DEVELOPERS in read_text(top / m) for m in markers)


def _container_kind(name: str) -> str:
    return "compose file" if name.endswith((".yml", ".yaml")) else "Dockerfile"


def _app_object(root: Path, *, examples: bool) -> str | None:
    """`app = FastAPI(...)` at file:line in a module of `root` outside its tests."""
    for rel in sorted(
        r for r in _deployed_files(root, root, examples=examples) if r.endswith(".py")
    ):
        text = read_text(root / rel)
        match = _APP_OBJECT.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            return f"the app object `{match[1]} = {match[2]}(...)` at {rel}:{line}"
    return None


def _console_script(top: Path) -> str | None:
    """The first console script the project declares, by name."""
    for marker in ("pyproject.toml", "setup.cfg", "setup.py"):
        text = read_text(top / marker)
        start = _SCRIPTS.search(text)
        if start:
            name = _SCRIPT_NAME.search(text, start.end())
            return f"the console script `{name[1]}`" if name else "a console script"
    return None
