"""Cornice services whose writing views ask for no permission, in an app with no default one.

Pyramid consults the context's ACL only for a view registered with a `permission`; a view with
none is served to anyone, whatever the root factory's ACL grants, unless the application sets a
default permission (`config.set_default_permission(...)`, `Configurator(default_permission=)`).
Cornice passes a service's and a decorator's keyword arguments on to the view, so papaye's

    package = Service(name="package", path="/api/package/{package_name}/json",
                      factory=repository_root_factory)

    @package.delete()
    def remove_package(request): ...

lets anyone who reaches the server delete a package. This module reports each such view that
takes a POST, PUT, PATCH or DELETE once, at its decorator: a view or service that sets any
`permission=` (NO_PERMISSION_REQUIRED included: public on purpose), a validator named for a
sign-in or ACL check, and a handler that reads the caller itself (`request.identity`,
`request.authenticated_userid`, `request.has_permission(...)`) are left alone. Reads are often
public on purpose and are not reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["open_cornice_views"]

_WRITES = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
_DEFAULT = re.compile(r"set_default_permission\s*\(|default_permission\s*=")
_CALLER = re.compile(
    r"request\.(?:identity|user\b|authenticated_userid|unauthenticated_userid|effective_principals"
    r"|has_permission|is_authenticated)|\b(?:authenticated_userid|has_permission)\s*\("
)
_GUARD_NAMES = re.compile(r"(?i)auth|acl|permission|login|user|token|signature|admin")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _guarded(call: ast.Call) -> bool:
    """The service or decorator sets a permission or validates the caller."""
    if _keyword(call, "permission") is not None:
        return True
    validators = _keyword(call, "validators")
    names = [_name(n) for n in ast.walk(validators)] if validators is not None else []
    return any(_GUARD_NAMES.search(n) for n in names if n)


def _services(tree: ast.Module) -> dict[str, ast.Call]:
    """The module-level `name = Service(...)` of a module."""
    return {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and _name(node.value.func) == "Service"
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def open_cornice_views(repo: Repo) -> list[RoleFinding]:
    """An endpoint-no-auth finding per cornice view that writes with no permission.

    Example:
        >>> code = "svc = Service(name='s', path='/s', permission='edit')"
        >>> list(_services(ast.parse(code))), _guarded(_services(ast.parse(code))["svc"])
        (['svc'], True)
    """
    texts = {rel: repo.text(rel) for rel in repo.python}
    if not any("cornice" in t for t in texts.values()) or any(
        _DEFAULT.search(t) for rel, t in texts.items() if not is_test(rel)
    ):
        return []
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        if is_test(rel) or "Service(" not in texts.get(rel, ""):
            continue
        services = _services(tree)
        for fn in tree.body:
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in fn.decorator_list:
                if not (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr in _WRITES
                    and (service := services.get(_name(deco.func.value))) is not None
                ):
                    continue
                if _guarded(service) or _guarded(deco) or _CALLER.search(ast.unparse(fn)):
                    continue
                path = _keyword(service, "path")
                where = path.value if isinstance(path, ast.Constant) else None
                where = where if isinstance(where, str) else "?"
                out.append(
                    finding(
                        "endpoint-no-auth",
                        rel,
                        deco.lineno,
                        f"{_WRITES[deco.func.attr]} {where} ({fn.name}): the cornice view and "
                        "its service set no permission= and the application sets no default "
                        "permission, so Pyramid consults no ACL and anyone who reaches the "
                        "server can call it; pass permission= to the view or the Service",
                        evidence=repo.line_text(rel, deco.lineno),
                        severity="error",
                    )
                )
    return out
