"""Which router a route decorator names, read from where the decorated function is defined.

A router variable is looked up in the scope the route is written in, not by its name alone:
invenio-github builds its settings blueprint (`url_prefix="/account/settings/github"`) as
`blueprint` in one function and its API blueprint (no prefix) as `blueprint_api` in another,
then registers the API routes in `register_api_routes(blueprint)`, whose parameter is also named
`blueprint`. A parameter stands for the routers the module passes to the function
(`register_api_routes(blueprint_api)`), so those routes carry the API blueprint's prefix (none),
not the settings one's.
"""

from __future__ import annotations

import ast

from team.audit.endpoints import _call_name, _Module, _scope

__all__ = ["enclosing_functions", "route_owners"]

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_Router = tuple[str, str, str]  # framework, prefix, auth


def enclosing_functions(tree: ast.Module) -> dict[ast.AST, _Function]:
    """Each function nested in another -> the innermost function around it.

    Example:
        >>> tree = ast.parse("def outer():\\n    def inner():\\n        pass")
        >>> [(inner.name, outer.name) for inner, outer in enclosing_functions(tree).items()]
        [('inner', 'outer')]
    """
    out: dict[ast.AST, _Function] = {}

    def visit(node: ast.AST, around: _Function | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _Function) and around is not None:
                out[child] = around
            visit(child, child if isinstance(child, _Function) else around)

    visit(tree, None)
    return out


def route_owners(
    mod: _Module, enclosing: dict[ast.AST, _Function], fn: _Function, owner: str
) -> list[tuple[str, _Router]]:
    """(variable, router) for the router that `owner` names in a route decorator on `fn`: the
    router bound to that name in the function around `fn` (or at module level), the routers the
    module passes for it when it is a parameter of that function, else the router of that name
    anywhere in the module."""
    around = enclosing.get(fn)
    line = around.lineno if around is not None else 0
    if (owner, line) in mod.scoped:
        return [(owner, mod.scoped[(owner, line)])]
    if around is not None and owner in _parameters(around):
        passed = _passed(mod, around, owner, depth=3)
        if passed:
            return passed
    return [(owner, mod.routers[owner])] if owner in mod.routers else []


def _parameters(fn: _Function) -> list[str]:
    return [a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]]


def _passed(mod: _Module, fn: _Function, param: str, depth: int) -> list[tuple[str, _Router]]:
    """The routers the module's calls of `fn` pass as `param`, each under its variable's name,
    once per distinct router (`register_routes(bp)` called for two blueprints serves both)."""
    positional = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    index = positional.index(param) if param in positional else -1
    out: list[tuple[str, _Router]] = []
    for call in ast.walk(mod.tree):
        if not (isinstance(call, ast.Call) and _call_name(call) == fn.name):
            continue
        given = next((k.value for k in call.keywords if k.arg == param), None)
        if given is None and 0 <= index < len(call.args):
            given = call.args[index]
        if not isinstance(given, ast.Name):
            continue
        caller = _scope(mod.tree, call)
        line = getattr(caller, "lineno", 0)
        found: list[tuple[str, _Router]] = []
        if (given.id, line) in mod.scoped:
            found = [(given.id, mod.scoped[(given.id, line)])]
        elif isinstance(caller, _Function) and given.id in _parameters(caller) and depth:
            found = _passed(mod, caller, given.id, depth - 1)
        elif (given.id, 0) in mod.scoped:
            found = [(given.id, mod.scoped[(given.id, 0)])]
        out += [f for f in found if f[1] not in {router for _, router in out}]
    return out
