"""Routers of the reviewed package that a package enclosing it mounts under a versioned prefix:
what the Backend Architect's api-unversioned rule asks before it wants a /v1/ prefix.

The reviewed folder is often one package of a larger project (Skyvern's `skyvern/forge/sdk/routes`),
and the application that serves its routers lives a few folders up (`skyvern/forge/api_app.py`:
`app.include_router(base_router, prefix="/v1")`, `include_router(internal_auth.router,
prefix="/api/v2")`). When every such mount of a router imported from the reviewed package carries a
version, the API is versioned, however bare the paths in the reviewed files are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from team.audit.route_strings import prefix_value
from team.pyimports import imported_module

__all__ = ["versioned_outside"]

_VERSION = re.compile(r"(?i)(?:^|/)v\d+(?:\.\d+)?(?:alpha|beta)?\d*(?:/|$)|/\d+\.\d+(?:/|$)")
_MOUNTS = ("include_router", "register_blueprint")
_PREFIXES = ("prefix", "url_prefix")
_LEVELS = 4  # how many enclosing packages are read, nearest first


def versioned_outside(root: Path) -> bool:
    """Whether the packages enclosing `root` mount routers imported from it, and mount them
    only under a versioned prefix (`/v1`, `/api/v2`).

    Example:
        >>> import tempfile
        >>> top = Path(tempfile.mkdtemp()) / "svc"
        >>> (top / "routes").mkdir(parents=True)
        >>> for init in (top / "__init__.py", top / "routes" / "__init__.py"):
        ...     _ = init.write_text("")
        >>> _ = (top / "app.py").write_text(
        ...     "from svc.routes.items import router\\n"
        ...     "app.include_router(router, prefix='/v1')\\n")
        >>> versioned_outside(top / "routes")
        True
        >>> _ = (top / "app.py").write_text(
        ...     "from svc.routes.items import router\\n"
        ...     "app.include_router(router, prefix='/v1')\\n"
        ...     "app.include_router(router, prefix='/items')\\n")
        >>> versioned_outside(top / "routes")
        False
    """
    dotted = _dotted_name(root)
    if not dotted:
        return False
    prefixes: list[str] = []
    top = root.parents[dotted.count(".")]  # the folder that holds the top package
    folder = root.parent
    for _ in range(_LEVELS):
        if not (folder / "__init__.py").exists():
            break
        package = _dotted_name(folder)
        for path in sorted(folder.glob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if any(m in text for m in _MOUNTS):
                prefixes += _mount_prefixes(text, package, dotted, top)
        folder = folder.parent
    return bool(prefixes) and all(_VERSION.search(p) for p in prefixes)


def _dotted_name(folder: Path) -> str:
    """`skyvern.forge.sdk.routes` for the folder of that package ('' when it is no package)."""
    parts: list[str] = []
    while (folder / "__init__.py").exists() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def _mount_prefixes(text: str, package: str, reviewed: str, top: Path) -> list[str]:
    """The prefix (or '' for none) of every mount in a module of `package` of a router that
    the module imports from the reviewed package `reviewed`; a prefix held in a constant is
    read where it is bound (`route_strings.py`)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    origins: dict[str, str] = {}  # local name -> the dotted name it was imported as
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            init = "/".join([*package.split("."), "__init__.py"]) if package else "__init__.py"
            module = imported_module(init, node)
            if module is None:
                continue
            for alias in node.names:
                origins[alias.asname or alias.name] = f"{module}.{alias.name}"
    out: list[str] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MOUNTS
            and node.args
        ):
            continue
        root = node.args[0]
        while isinstance(root, ast.Attribute):
            root = root.value
        origin = origins.get(root.id, "") if isinstance(root, ast.Name) else ""
        if origin.startswith(reviewed + "."):
            prefix = next((k.value for k in node.keywords if k.arg in _PREFIXES), None)
            written = None if prefix is None else prefix_value(prefix, tree, origins, top)
            out.append(written or "")
    return out
