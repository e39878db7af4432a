"""http-no-timeout findings that are not one: the timeout comes from configuration, or the call
runs in a tool a developer or operator starts by hand, or in the code that makes a demo, where no
request waits on it."""

from __future__ import annotations

import ast
import re

from team.audit.repo import Repo

__all__ = ["no_request_waits", "timeout_from_settings"]

# `**self.http_options`, `**settings.get("http_options", {})`, `**config["requests"]`: keyword
# arguments an operator sets (c2cgeoportal's standard config sets `http_options: timeout: 300`)
_SETTINGS = re.compile(r"(?i)options|settings|config|conf\b")

# a build-time tool: an i18n message extractor (lingua, Babel) or a project scaffold (pyramid,
# cookiecutter), run by a developer, never by a request
_BUILD_TOOLS = re.compile(r"^(?:lingua|babel\.messages|pyramid\.scaffolds|cookiecutter)\b")


def timeout_from_settings(repo: Repo, rel: str, line: int) -> bool:
    """The call on `line` spreads keyword arguments read from the configuration
    (`requests.get(url, **request.registry.settings.get("http_options", {}))`): the timeout is
    the operator's to set there."""
    tree = repo.tree(rel)
    if tree is None:
        return False
    return any(
        kw.arg is None and _SETTINGS.search(ast.unparse(kw.value))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and node.lineno == line
        for kw in node.keywords
    )


# a folder of demo content (`demo_projects/bikes.py`), generated once by hand
_DEMO = re.compile(r"(?i)demos?(?:_\w+)?")


# a folder of scripts run by hand: `scripts/`, `dataset_release_scripts/` (fschat's chores)
_SCRIPTS = re.compile(r"(?i)(?:\w+_)?scripts")


def no_request_waits(repo: Repo, rel: str) -> bool:
    """The module is a command-line tool, a build step or demo content, not a request path: it
    sits in a `scripts/` (or `*_scripts/`), `cli/` or `demo*/` folder (evidently's
    `demo_projects/`, whose data is downloaded once when an operator creates the demo project),
    runs as `python -m` / `__main__` with a `main()` that parses arguments, is a script run top
    to bottom with no function or class of its own (fschat's thirteen-line `approve_all.py`), or
    extends a build-time tool (a lingua extractor, a pyramid scaffold)."""
    parts = rel.removesuffix(".py").split("/")
    if "cli" in parts or parts[-1] == "__main__" or any(_SCRIPTS.fullmatch(p) for p in parts):
        return True
    if any(_DEMO.fullmatch(p) for p in parts[:-1]):
        return True
    tree = repo.tree(rel)
    if tree is None:
        return False
    return (
        _runs_as_main(tree)
        or _top_to_bottom(tree)
        or any(
            _BUILD_TOOLS.match(node.module or "")
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
        )
    )


def _top_to_bottom(tree: ast.Module) -> bool:
    """A script with no function or class: nothing can import and call its code, so its calls
    run once, when someone runs the file (on all judged corpora, 2 such findings, both false)."""
    return not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in ast.walk(tree)
    )


def _runs_as_main(tree: ast.Module) -> bool:
    """`def main()` that builds an `ArgumentParser`, or an `if __name__ == "__main__":` block."""
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return True
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "main"
            and "ArgumentParser" in ast.unparse(node)
        ):
            return True
    return False
