"""A predict helper that only a researcher's own local UI calls serves no traffic.

dta-gnn's `models/predict.py` loads the model of a run the user trained and scores the SMILES
they paste (`predict_with_svr`, `predict_with_random_forest`); nothing in the reviewed folder
calls them, and their one caller outside it, `app/ui.py`, is a Gradio app whose `launch` binds
`server_name=host` with `host="127.0.0.1"` and `share=False`. That is on-demand scoring on one
machine for the person at it, not a deployed service with a stream of requests whose drift a
monitor could watch. A `serving-without-monitoring` finding in a top-level function is dropped
when the project's modules outside the folder (`ProjectModules`) call it, every call of its name
there is read through its imports as a call of this very function, and every calling module is
a loopback UI: it imports Gradio, no web framework, and each of its `.launch(...)` calls binds
a loopback host (none given, a literal, or a parameter whose default is one and that every call
of its function in the module leaves so) and shares no public link (`share` likewise false).
An app launched on `0.0.0.0`, from an environment variable or with `share=True`, a module that
also serves routes, or a caller inside the folder leaves the finding reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.core import Finding, Note
from team.review.outside import ProjectModules
from team.review.runnerseed import calls_of
from team.review.sources import RepoIndex, SourceFile

__all__ = ["served_locally"]

_RULE = "serving-without-monitoring"
_UIS = frozenset({"gradio"})
_WEB = words(
    "fastapi flask starlette django aiohttp tornado sanic bottle litestar bentoml ray litserve "
    "uvicorn"
)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEPTH = 3
"""Parameters followed from a launch to the callers of its function, at most."""


def served_locally(
    found: list[Finding], repo: RepoIndex, project: ProjectModules | None
) -> tuple[list[Finding], list[Note]]:
    """`found` less the serving-without-monitoring findings of functions whose every caller is
    a loopback UI outside the folder, and a note, for `--explain`, at each of them."""
    if project is None:
        return found, []
    by_rel = {src.rel: src for src in repo.sources}
    kept: list[Finding] = []
    notes: list[Note] = []
    for finding in found:
        src = by_rel.get(finding.path)
        name = _function_at(src.tree, finding.line) if src and finding.rule == _RULE else None
        uis = _local_callers(src, repo, project, name) if src and name else []
        if uis:
            text = f"only a local UI calls it: {', '.join(uis)} launches Gradio on loopback"
            notes.append(Note(finding.path, finding.line, finding.rule, text))
        else:
            kept.append(finding)
    return kept, notes


def _function_at(tree: ast.Module, line: int) -> str | None:
    """The undecorated top-level function whose body holds `line` (a route is decorated)."""
    for node in tree.body:
        if isinstance(node, _FUNCS) and node.lineno <= line <= (node.end_lineno or node.lineno):
            return None if node.decorator_list else node.name
    return None


def _local_callers(
    src: SourceFile, repo: RepoIndex, project: ProjectModules, name: str
) -> list[str]:
    """The modules outside the folder that call `name`, when there are some and each is a
    loopback UI and calls nothing else by that name; [] otherwise."""
    if any(calls_of(other.tree, name) for other in repo.sources):
        return []  # run inside the folder too
    path = src.rel.removesuffix(".py").split("/")
    quals = {".".join([package, *path, name]) for package in project.names}
    quals |= {q.rpartition(".")[0].rpartition(".")[0] + "." + name for q in quals}  # re-export
    outside = project.repo
    users = [user for user in outside.sources if calls_of(user.tree, name)]
    for user in users:
        calls = calls_of(user.tree, name)
        if any(outside.qualify(user, c.func) not in quals for c in calls):
            return []
        if not _loopback_ui(user, outside):
            return []
    return [user.rel for user in users]


def _loopback_ui(user: SourceFile, repo: RepoIndex) -> bool:
    """Imports Gradio and no web framework, and launches, each time on loopback, unshared."""
    roots = {qual.split(".")[0] for qual in repo.imports(user).values()}
    if not roots & _UIS or roots & _WEB:
        return False
    scopes = {
        id(call): fn
        for fn in ast.walk(user.tree)
        if isinstance(fn, _FUNCS)
        for call in ast.walk(fn)
        if isinstance(call, ast.Call)
    }
    launches = [
        n
        for n in ast.walk(user.tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "launch"
    ]
    return bool(launches) and all(
        not call.args  # `share` is the third positional argument of Gradio's `launch`
        and all(k.arg for k in call.keywords)  # nothing unread behind `**options`
        and _holds(user.tree, _keyword(call, "server_name"), scopes.get(id(call)), _is_loopback, 0)
        and _holds(user.tree, _keyword(call, "share"), scopes.get(id(call)), _is_false, 0)
        for call in launches
    )


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _holds(
    tree: ast.Module,
    value: ast.expr | None,
    scope: ast.AST | None,
    ok: Callable[[ast.expr], bool],
    depth: int,
) -> bool:
    """`value` (None: not given, the library's own default) is `ok`, or is a parameter of
    `scope` whose default is `ok` and that every call of `scope` in the module passes so."""
    if value is None or ok(value):
        return True
    if not isinstance(value, ast.Name) or not isinstance(scope, _FUNCS) or depth >= _DEPTH:
        return False
    args = scope.args
    params = [*args.posonlyargs, *args.args]
    names = [p.arg for p in params]
    defaults = dict(zip(names[len(names) - len(args.defaults) :], args.defaults, strict=True))
    defaults |= {
        a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
    }
    default = defaults.get(value.id)
    if default is None or not _option_ok(default, ok):
        return False
    position = names.index(value.id) if value.id in names else None
    for call in calls_of(tree, scope.name):
        if not isinstance(call.func, ast.Name):
            continue  # `demo.launch(...)` in `launch`: another object's method
        passed = _keyword(call, value.id)
        if passed is None and position is not None and position < len(call.args):
            passed = call.args[position]
        caller = _enclosing(tree, call)
        if not _holds(tree, passed, caller, ok, depth + 1):
            return False
    return True


def _option_ok(default: ast.expr, ok: Callable[[ast.expr], bool]) -> bool:
    """A default that is `ok`, or a CLI option (`typer.Option("127.0.0.1", ...)`) whose own
    default is."""
    if isinstance(default, ast.Call):
        return (
            leaf_name(default.func) in ("Option", "Argument")
            and bool(default.args)
            and ok(default.args[0])
        )
    return ok(default)


def _enclosing(tree: ast.Module, call: ast.Call) -> ast.AST | None:
    for fn in ast.walk(tree):
        if isinstance(fn, _FUNCS) and any(n is call for n in ast.walk(fn)):
            return fn
    return None


def _is_loopback(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value in _LOOPBACK


def _is_false(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value in (False, None)
