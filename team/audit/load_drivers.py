"""A load test shipped under a name of its own: a stress-test or benchmark script or command.

A project that measures its service under load does not always call the harness `bench/`, a
locustfile or a k6 script. Argus ships it as a Django management command,
`src/argus/dev/management/commands/stresstest.py`, which drives the incident API from N workers
over httpx and reports requests per second; the reviewed folder (`src/argus/incident`) sits
three levels below it. Such a file is named for a stress test, a load test, a soak test or a
benchmark, and it imports an HTTP client: it talks to the running service. A benchmark that
imports none times something in-process (Weblate's `benchmark` command profiles a component
import with cProfile and never calls the API), and is no load test.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from team.pyimports import absolute_imports

__all__ = ["ships_load_driver"]

# named for what it does to the service, anywhere in the name (`stresstest.py`,
# `run_load_test.py`, `api_benchmark.py`)
_DRIVER_NAME = re.compile(r"(?i)(?:stress|load|soak)[_-]?tests?|benchmark")
# modules that send requests to a running service
_HTTP_CLIENTS = frozenset(
    {"httpx", "requests", "aiohttp", "urllib3", "locust", "websockets", "websocket", "grequests"}
)
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
_SKIPPED = frozenset({"node_modules", ".git", ".tox", ".venv", "venv", "__pycache__", "static"})


def ships_load_driver(root: Path) -> bool:
    """A Python file in the reviewed folder's project (the nearest enclosing folder with a
    project file, at most three up, else the folder itself), named for a stress, load or soak
    test or a benchmark, that imports an HTTP client.

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp())
        >>> (top / "pyproject.toml").write_text("[project]\\nname = 'app'\\n")
        23
        >>> (top / "app" / "dev").mkdir(parents=True)
        >>> (top / "app" / "dev" / "stresstest.py").write_text("import httpx\\n")
        13
        >>> ships_load_driver(top / "app" / "api")
        True
    """
    top = _project(root)
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in _SKIPPED]
        for name in files:
            named = name.endswith(".py") and _DRIVER_NAME.search(name[:-3])
            if named and _imports_http_client(Path(folder) / name):
                return True
    return False


def _project(root: Path) -> Path:
    for top in [root, *list(root.resolve().parents)[:3]]:
        if any((top / m).exists() for m in _PROJECT_MARKERS):
            return top
    return root


def _imports_http_client(path: Path) -> bool:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return False
    return any(n.split(".", 1)[0] in _HTTP_CLIENTS for n in absolute_imports(tree))
