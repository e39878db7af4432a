"""Loops over the elements of one XML document the code parses from a string it was handed
(django-cas-server's single-logout request: `for slo in self.client.get_saml_slos(logout_request)`,
whose helper returns `etree.fromstring(logout_request).xpath("//samlp:SessionIndex")`): the
passes are the elements of one message, not the rows of a result set, so a query per pass is
not an N+1 over the database (`performance.py`).

Only a document parsed from a parameter counts: a feed the code downloads itself
(`fromstring(requests.get(url).content)`) or a tree it is given already parsed (a Markdown tree
processor's `doc.iter()`, every link of an article) may hold any number of elements.
"""

from __future__ import annotations

import ast
from typing import cast

from team.audit.queries import function_nodes
from team.audit.repo import Repo, assignments, walked

__all__ = ["over_document_elements"]

# ElementTree / lxml / minidom parsers of a string held in memory
_PARSES = frozenset(["fromstring", "XML", "parseString", "document_fromstring"])
# the calls that hand back elements of a parsed tree
_ELEMENTS = frozenset(
    ["iter", "findall", "iterfind", "xpath", "getElementsByTagName", "getElementsByTagNameNS"]
)


def over_document_elements(loop: ast.AST, unit: ast.AST, repo: Repo) -> bool:
    """Whether `loop` (in the function `unit`) walks the elements of an XML document parsed from
    a string passed in, directly, through a name bound only to them, or through a function or
    method of the repository whose every return hands them back.

    Example:
        >>> unit = ast.parse(
        ...     "def clean(body):\\n"
        ...     "    for index in etree.fromstring(body).findall('SessionIndex'):\\n"
        ...     "        pass"
        ... ).body[0]
        >>> from pathlib import Path
        >>> over_document_elements(unit.body[0], unit, Repo(Path(".")))
        True
    """
    source = walked(loop)
    return source is not None and _elements(source, unit, repo, depth=2, seen=frozenset())


def _elements(
    expr: ast.expr, unit: ast.AST, repo: Repo, *, depth: int, seen: frozenset[str]
) -> bool:
    """`expr` is the elements of a document `unit` parses from one of its parameters (`seen`:
    the names already followed, so that `slos = slos or []` ends)."""
    if isinstance(expr, ast.BoolOp):  # `client.get_saml_slos(request) or []`
        return all(
            _empty(v) or _elements(v, unit, repo, depth=depth, seen=seen) for v in expr.values
        )
    if isinstance(expr, ast.Name):  # `slos = []` on a parse error, else the elements
        values = [] if expr.id in seen else assignments(unit).get(expr.id, [])
        inner = seen | {expr.id}
        return any(not _empty(v) for v in values) and all(
            _empty(v) or _elements(v, unit, repo, depth=depth, seen=inner) for v in values
        )
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute | ast.Name)):
        return False
    func = expr.func
    if isinstance(func, ast.Attribute) and func.attr in _ELEMENTS:
        return _parsed_from_parameter(func.value, unit, seen=frozenset())
    name = func.attr if isinstance(func, ast.Attribute) else func.id
    return depth > 0 and _returns_elements(name, repo, depth=depth - 1)


def _empty(expr: ast.expr) -> bool:
    """`[]` or `()`: nothing to walk."""
    return isinstance(expr, ast.List | ast.Tuple) and not expr.elts


def _parsed_from_parameter(expr: ast.expr, unit: ast.AST, *, seen: frozenset[str]) -> bool:
    """`etree.fromstring(body)`, or a name bound only to it, where `body` is a parameter."""
    if isinstance(expr, ast.Name):
        values = [] if expr.id in seen else assignments(unit).get(expr.id, [])
        inner = seen | {expr.id}
        return bool(values) and all(_parsed_from_parameter(v, unit, seen=inner) for v in values)
    if not isinstance(expr, ast.Call) or not expr.args:
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = expr.args[0]
    return name in _PARSES and isinstance(first, ast.Name) and first.id in _parameters(unit)


def _returns_elements(name: str, repo: Repo, *, depth: int) -> bool:
    """Every function or method of the repository called `name` returns (or falls through with
    None, as on a parse error) only elements of a document parsed from its parameter."""
    if "functions_by_name" not in repo.memo:
        by_name: dict[str, list[ast.AST]] = {}
        for (_, qualified), node in function_nodes(repo).items():
            by_name.setdefault(qualified.rsplit(".", 1)[-1], []).append(node)
        repo.memo["functions_by_name"] = by_name
    found = cast("dict[str, list[ast.AST]]", repo.memo["functions_by_name"]).get(name, [])
    returns = [
        (r.value, fn) for fn in found for r in ast.walk(fn) if isinstance(r, ast.Return) and r.value
    ]
    return bool(returns) and all(
        _elements(v, fn, repo, depth=depth, seen=frozenset()) for v, fn in returns
    )


def _parameters(unit: ast.AST) -> set[str]:
    """The parameter names of the function `unit`."""
    if not isinstance(unit, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    args = unit.args
    return {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
