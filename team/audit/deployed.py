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

__all__ = ["deployment", "repo_deployment", "service_phrase"]

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
# its name and module: `octoprint = octoprint:main` (in a list or on a line of its own)
_SCRIPT_NAME = re.compile(r"""([\w.-]+)["']?\s*=\s*["']?([\w.]+):\w+""")
# a distribution's name: PKG-INFO's `Name:`, pyproject's `name = "..."`, setup.py's `name="..."`
_DIST_NAME = re.compile(r"""(?m)^\s*(?:Name:\s*|name\s*=\s*["'])([\w.-]+)""")
# a module that starts a web server: an ASGI/WSGI server's name, or a framework's run call
_SERVES = re.compile(
    r"\b(?:uvicorn|hypercorn|waitress|gunicorn|daphne|granian|cheroot|WSGIServer|serve_forever"
    r"|run_simple|make_server|run_app)\b|\b\w*app\.run\(|\breactor\.run\("
)
# what `_console_script` says when no script is the service's (read by `service_phrase`)
_TOOLS_ONLY = "console scripts not seen to start the service: "


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
    """The console script that runs the service, by name: the one named for the project's
    distribution (devpi-server's `devpi-server`, not its first, `devpi-export`), else the first
    whose module starts a server. When none is either (papaye's `papaye_init`, which creates
    the database, and bodhi's `initialize_bodhi_db`: pserve serves their apps), the scripts
    are tools beside the service, and `service_phrase` says no deployment of it was seen."""
    for marker in ("pyproject.toml", "setup.cfg", "setup.py"):
        text = read_text(top / marker)
        start = _SCRIPTS.search(text)
        if start:
            scripts = [(m[1], m[2]) for m in _SCRIPT_NAME.finditer(text, start.end())]
            if not scripts:
                return "a console script"
            names = _own_names(_distribution(top, text))
            serving = [s for s, module in scripts if s.lower() in names] + [
                s for s, module in scripts if _SERVES.search(_module_text(top, module))
            ]
            if serving:
                return f"the console script `{serving[0]}`"
            shown = ", ".join(f"`{s}`" for s, _ in scripts[:3])
            return f"{_TOOLS_ONLY}{shown}{', ...' if len(scripts) > 3 else ''}"
    return None


def service_phrase(shown: str | None) -> str:
    """How a finding names the service by what `deployment` saw.

    Example:
        >>> service_phrase("a Dockerfile at Dockerfile")
        'the service (deployed by a Dockerfile at Dockerfile)'
        >>> service_phrase(None)
        'the service'
        >>> service_phrase(f"{_TOOLS_ONLY}`shop-init`")
        'the service (no deployment of it seen: none of its console scripts, `shop-init`, starts it)'
    """
    if shown is None:
        return "the service"
    if shown.startswith(_TOOLS_ONLY):
        scripts = shown[len(_TOOLS_ONLY) :]
        return f"the service (no deployment of it seen: none of its console scripts, {scripts}, starts it)"
    return f"the service (deployed by {shown})"


def _distribution(top: Path, metadata: str) -> str:
    """The project's distribution name: PKG-INFO's, else the metadata file's `name`."""
    found = _DIST_NAME.search(read_text(top / "PKG-INFO")) or _DIST_NAME.search(metadata)
    return found[1] if found else ""


def _own_names(dist: str) -> set[str]:
    """The script names that name the distribution: itself, and without a framework's prefix
    (`django-spirit`: `spirit`) or a kind's suffix (`pyload-ng`: `pyload`)."""
    name = dist.lower().replace("_", "-")
    bare = re.sub(r"^(?:django|flask|python)-|-(?:server|web|ng|app)$", "", name)
    return {name, bare, name.replace("-", "_"), bare.replace("-", "_")} - {""}


def _module_text(top: Path, module: str) -> str:
    """The text of a dotted module of the project (`devpi_server.main`), beside or under src/."""
    parts = module.split(".")
    for base in (top, top / "src"):
        for path in (
            base.joinpath(*parts).with_suffix(".py"),
            base.joinpath(*parts, "__init__.py"),
        ):
            if path.is_file():
                return read_text(path)
    return ""
