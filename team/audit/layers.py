"""Layering on the module graph: the contracts a repository declares for import-linter, or, when
it declares none, the conventional layers its package names make unambiguous.

Declared contracts are read from `pyproject.toml` (`[tool.importlinter]`), `.importlinter` or
`setup.cfg` (`[importlinter]`, `[importlinter:contract:...]`): `layers` (with `containers`,
independent `a | b` and non-independent `a : b` siblings, optional `(layers)`), `forbidden`
(internal or external modules) and `independence`, each with its `ignore_imports`. Every import
counts, in functions and under `TYPE_CHECKING` too (unless `exclude_type_checking_imports`), as
import-linter counts them. A direct import is reported at its line; a chain through other
modules at its first import, with the chain (one per pair of modules, the shortest; a chain
between two layers through a third layer is that layer's own violation; `allow_indirect_imports`
is honoured). Other contract types (`acyclic_siblings`, `protected`, custom ones) are not read.

Without a contract, one convention is checked: a module of a `models`/`domain`/`entities`
package (or file) imports a module of an `api`/`views`/`routes`/`routers`/`cli`/`web`/`endpoints`
/`controllers` one, in the same top-level package, neither path naming both kinds.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from team.audit.core import RoleFinding, finding
from team.audit.modules import import_statements, imported_names, module_graph, module_names
from team.audit.repo import Repo, is_migration, is_test

__all__ = ["Contract", "contracts", "layer_findings"]

_LOW = frozenset({"models", "domain", "entities"})
_HIGH = frozenset({"api", "views", "routes", "routers", "cli", "web", "endpoints", "controllers"})


@dataclass(frozen=True)
class Contract:
    """One import-linter contract as the repository declares it.

    Attributes:
        name: The contract's name.
        kind: `layers`, `forbidden` or `independence` (other kinds are not read).
        where: `path:line` of the contract in its configuration file.
        layers: For `layers`, top first: each layer's modules and whether they are independent.
        sources: For `forbidden`, the modules that may not import `forbidden`.
        forbidden: For `forbidden`, the modules they may not import.
        modules: For `independence`, the modules that may not import each other.
        ignore: `ignore_imports` as (importer, imported) patterns with `*` and `**`.
        indirect: Whether chains through other modules break it too (all but a `forbidden`
            contract with `allow_indirect_imports`).
    """

    name: str
    kind: str
    where: str
    layers: tuple[tuple[tuple[str, ...], bool], ...] = ()
    sources: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    ignore: tuple[tuple[str, str], ...] = field(default=())
    indirect: bool = True  # chains through other modules count too (not allow_indirect_imports)


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.strip().splitlines() if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _layer(text: str) -> tuple[tuple[str, ...], bool]:
    independent = ":" not in text
    parts = re.split(r"\s*[:|]\s*", text.strip())
    return tuple(p.strip().strip("()").strip() for p in parts if p.strip("() ")), independent


def _line_of(text: str, name: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if name in line:
            return number
    return 1


def _contract(raw: dict[str, object], name: str, rel: str, line: int) -> Contract | None:
    kind = str(raw.get("type", ""))
    ignore = tuple(
        (a.strip(), b.strip())
        for a, _, b in (i.partition("->") for i in _list(raw.get("ignore_imports")))
        if b
    )
    where = f"{rel}:{line}"
    if kind == "layers":
        containers = _list(raw.get("containers")) or [""]
        layers = [_layer(t) for t in _list(raw.get("layers"))]
        full = tuple(
            (tuple(f"{c}.{m}" if c else m for c in containers for m in mods), independent)
            for mods, independent in layers
        )
        return Contract(name, kind, where, layers=full, ignore=ignore)
    if kind == "forbidden":
        return Contract(
            name,
            kind,
            where,
            sources=tuple(_list(raw.get("source_modules"))),
            forbidden=tuple(_list(raw.get("forbidden_modules"))),
            ignore=ignore,
            indirect=str(raw.get("allow_indirect_imports", "")).strip().lower() != "true",
        )
    if kind == "independence":
        return Contract(name, kind, where, modules=tuple(_list(raw.get("modules"))), ignore=ignore)
    return None


def contracts(repo: Repo) -> tuple[list[Contract], bool]:
    """The import-linter contracts the repository declares, and whether `TYPE_CHECKING` imports
    are excluded. A configuration that does not parse is a parse error, not a contract."""
    out: list[Contract] = []
    exclude_type_checking = False
    text = repo.text("pyproject.toml") if "pyproject.toml" in repo.files else ""
    if "importlinter" in text:
        try:
            table = tomllib.loads(text).get("tool", {}).get("importlinter", {})
        except tomllib.TOMLDecodeError as exc:
            repo.errors.append(("pyproject.toml", 1, f"skipped: not TOML: {exc}"))
            table = {}
        exclude_type_checking = bool(table.get("exclude_type_checking_imports", False))
        for raw in table.get("contracts", []):
            name = str(raw.get("name", raw.get("id", "?")))
            line = _line_of(text, name)
            if (contract := _contract(raw, name, "pyproject.toml", line)) is not None:
                out.append(contract)
    for rel in (".importlinter", "setup.cfg"):
        text = repo.text(rel) if rel in repo.files else ""
        if "importlinter" not in text:
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=rel)
        except configparser.Error as exc:
            repo.errors.append((rel, 1, f"skipped: not an INI file: {str(exc).splitlines()[0]}"))
            continue
        if parser.has_section("importlinter"):
            value = parser.get("importlinter", "exclude_type_checking_imports", fallback="")
            exclude_type_checking = value.strip().lower() in ("true", "1", "yes")
        for section in parser.sections():
            if section.startswith("importlinter:contract:"):
                raw = dict(parser.items(section))
                name = raw.get("name", section.split(":", 2)[2])
                line = _line_of(text, f"[{section}]")
                if (contract := _contract(dict(raw), name, rel, line)) is not None:
                    out.append(contract)
    return out, exclude_type_checking


def _pattern(text: str) -> re.Pattern[str]:
    parts = [
        r"[^.]+(?:\.[^.]+)*" if p == "**" else r"[^.]+" if p == "*" else re.escape(p)
        for p in text.split(".")
    ]
    return re.compile(r"\.".join(parts) + "$")


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


@dataclass(frozen=True)
class _Import:
    importer: str  # dotted name of the importing module
    imported: str  # dotted name of what it imports
    path: str
    line: int


def _dotted(repo: Repo) -> dict[str, str]:
    """file -> its dotted module name (without a leading folder that is not a package: src/)."""
    out: dict[str, str] = {}
    for name, rel in module_names(repo).items():
        if rel not in out or len(name) < len(out[rel]):
            out[rel] = name
    return out


def _all_imports(repo: Repo, *, type_checking: bool) -> Iterator[_Import]:
    """Every import statement, as (importer, imported) dotted names: a module of the repository
    by its full name, anything else by its top-level package."""
    names = module_names(repo)
    dotted = _dotted(repo)
    for rel, tree in repo.modules():
        importer = dotted.get(rel, "")
        skip: set[int] = set()
        if not type_checking:
            for node in ast.walk(tree):
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    skip |= {id(n) for s in node.body for n in ast.walk(s)}
        for node in import_statements(tree, every=True):
            if id(node) in skip:
                continue
            for candidates in imported_names(rel, node):
                hit = next((c for c in candidates if c in names), None)
                # an external import is named by its top-level package, as import-linter does
                imported = dotted[names[hit]] if hit else candidates[0].split(".")[0]
                yield _Import(importer, imported, rel, node.lineno)


def _ignored(contract: Contract, item: _Import) -> bool:
    return any(
        _pattern(a).match(item.importer) and _pattern(b).match(item.imported)
        for a, b in contract.ignore
    )


def _check(contract: Contract, item: _Import) -> tuple[str, str] | None:
    """(rule, why) when the import breaks the contract, else None."""
    if _ignored(contract, item):
        return None
    if contract.kind == "forbidden":
        source = next((s for s in contract.sources if _within(item.importer, s)), None)
        banned = next((f for f in contract.forbidden if _within(item.imported, f)), None)
        if source and banned:
            return "forbidden-import", f"{source} may not import {banned}"
        return None
    if contract.kind == "independence":
        mine = next((m for m in contract.modules if _within(item.importer, m)), None)
        theirs = next((m for m in contract.modules if _within(item.imported, m)), None)
        if mine and theirs and mine != theirs:
            return "independence-violation", f"{mine} and {theirs} are declared independent"
        return None
    low = high = None
    for index, (modules, independent) in enumerate(contract.layers):
        for module in modules:
            if _within(item.importer, module):
                low = (index, module, independent)
            if _within(item.imported, module):
                high = (index, module, independent)
    if low is None or high is None or _within(item.importer, high[1]):
        return None
    if high[0] < low[0]:
        return "layer-violation", f"layer {low[1]} is below {high[1]} and may not import it"
    if high[0] == low[0] and high[1] != low[1] and low[2]:
        return "layer-violation", f"{low[1]} and {high[1]} are independent siblings of one layer"
    return None


def _pairs(contract: Contract) -> Iterator[tuple[str, str, str, str]]:
    """(importer module, imported module, rule, why) for every dependency the contract forbids."""
    if contract.kind == "forbidden" and contract.indirect:
        for source in contract.sources:
            for banned in contract.forbidden:
                yield source, banned, "forbidden-import", f"{source} may not import {banned}"
    elif contract.kind == "independence":
        for a in contract.modules:
            for b in contract.modules:
                if a != b:
                    why = f"{a} and {b} are declared independent"
                    yield a, b, "independence-violation", why
    elif contract.kind == "layers":
        for index, (modules, independent) in enumerate(contract.layers):
            for low in modules:
                for higher, _ in contract.layers[:index]:
                    for high in higher:
                        why = f"layer {low} is below {high} and may not import it"
                        yield low, high, "layer-violation", why
                for sibling in modules if independent else ():
                    if sibling != low:
                        why = f"{low} and {sibling} are independent siblings of one layer"
                        yield low, sibling, "layer-violation", why


def _chain(
    graph: dict[str, set[str]], source: str, target: str, avoid: tuple[str, ...]
) -> list[str] | None:
    """The shortest import chain from a module within `source` to one within `target` through
    modules outside both and outside `avoid` (breadth first), or None."""
    starts = [m for m in graph if _within(m, source)]
    parent: dict[str, str | None] = dict.fromkeys(starts)
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, ())):
            if nxt in parent:
                continue
            parent[nxt] = node
            if _within(nxt, target):
                chain = [nxt]
                while (back := parent[chain[-1]]) is not None:
                    chain.append(back)
                return chain[::-1]
            if not _within(nxt, source) and not any(_within(nxt, a) for a in avoid):
                queue.append(nxt)
    return None


def _indirect(
    contract: Contract, items: list[_Import], internal: set[str], direct: set[tuple[str, str]]
) -> Iterator[tuple[_Import, str, str]]:
    """(first import of the chain, rule, message) for each forbidden dependency that only a chain
    through other modules makes (direct imports are reported as such). As import-linter does, a
    chain between two layers through a third layer is left to that layer's own violation."""
    layered = tuple(m for modules, _ in contract.layers for m in modules)
    graph: dict[str, set[str]] = {}
    first: dict[tuple[str, str], _Import] = {}
    for item in items:
        if item.imported in internal and not _ignored(contract, item):
            graph.setdefault(item.importer, set()).add(item.imported)
            first.setdefault((item.importer, item.imported), item)
    for source, target, rule, why in _pairs(contract):
        if _within(source, target) or _within(target, source) or (source, target) in direct:
            continue
        chain = _chain(graph, source, target, layered)
        if chain and len(chain) > 2:
            message = (
                f"{chain[0]} reaches {chain[-1]} through {' -> '.join(chain)}: {why} "
                f"(contract '{contract.name}', {contract.where}; an indirect import)"
            )
            yield first[chain[0], chain[1]], rule, message


def _convention(importer: list[str], imported: list[str]) -> tuple[str, str] | None:
    """(low, high) when two sibling parts of one package break the convention, e.g.
    `blog.models.post` importing `blog.views`; None when the names leave any doubt."""
    shared = 0
    while shared < min(len(importer), len(imported)) - 1 and importer[shared] == imported[shared]:
        shared += 1
    if not shared:  # different top-level packages
        return None
    low, high = importer[shared], imported[shared]
    if low in _LOW and high in _HIGH and not _HIGH & {*importer[1:]} | _LOW & {*imported[1:]}:
        return low, high
    return None


def _convention_findings(repo: Repo) -> list[RoleFinding]:
    graph = module_graph(repo, every_import=True)
    dotted = _dotted(repo)
    out: list[RoleFinding] = []
    for source, target in graph.edges:
        line = int(graph.edges[source, target]["line"])
        if is_test(source) or is_migration(source):
            continue
        importer, imported = dotted.get(source, ""), dotted.get(target, "")
        broken = _convention(importer.split("."), imported.split("."))
        if broken is None:
            continue
        out.append(
            finding(
                "layer-convention",
                source,
                line,
                f"{importer} imports {imported}: the {broken[0]} layer depends on the "
                f"{broken[1]} layer above it; move what it needs down, or declare the layers "
                "(import-linter) if this is intended",
                evidence=repo.line_text(source, line),
            )
        )
    return out


def layer_findings(repo: Repo) -> list[RoleFinding]:
    """Broken import-linter contracts, or conventional layering broken when none is declared.

    Example:
        >>> from pathlib import Path
        >>> layer_findings(Repo.scan(Path("scenarios/fixtures/churn")))
        []
    """
    declared, exclude_type_checking = contracts(repo)
    if not declared:
        return _convention_findings(repo)
    items = list(_all_imports(repo, type_checking=not exclude_type_checking))
    internal = set(_dotted(repo).values())
    broken: list[tuple[_Import, str, str]] = []
    for contract in declared:
        direct: set[tuple[str, str]] = set()
        for item in items:
            if (hit := _check(contract, item)) is not None:
                rule, why = hit
                direct |= {(s, t) for s, t, _, w in _pairs(contract) if w == why}
                message = (
                    f"{item.importer} imports {item.imported}: {why} (contract "
                    f"'{contract.name}', {contract.where})"
                )
                broken.append((item, rule, message))
        if contract.indirect:
            broken += _indirect(contract, items, internal, direct)
    out: dict[tuple[str, int, str], RoleFinding] = {}
    for item, rule, message in broken:
        evidence = repo.line_text(item.path, item.line)
        key = (item.path, item.line, message)
        out.setdefault(key, finding(rule, item.path, item.line, message, evidence=evidence))
    return list(out.values())
