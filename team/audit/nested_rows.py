"""N+1 through a Django REST framework serializer's related fields: a nested serializer on a
foreign key, or a model property that queries, read for every row a list view serializes.

argus' `EventSerializer` nests `actor = UsernameSerializer()` (`Event.actor` is a ForeignKey)
and `AllEventsViewSet` lists `Event.objects.all()`: one user query per event. Its
`IncidentSerializer.to_representation` reads `instance.acked`, an `Incident` property that runs
`self.events.filter(...).exists()`: one query per incident, and the view's
`prefetch_related("events__ack")` does not help, since `.filter()` builds a new query. A view
whose queryset names the relation in `select_related`, `prefetch_related`, `Prefetch` or
`annotate` loads it with the page, except that a property's `.filter()`, `.exclude()`,
`.aggregate()` or `.values()` still queries.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_migration, is_test

__all__ = ["nested_row_queries"]

# the generic views, viewsets and mixins whose GET serializes every row of a page
_LIST_BASES = frozenset(
    ["ListAPIView", "ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet", "ListModelMixin"]
)
_RELATIONS = frozenset(["ForeignKey", "OneToOneField", "ManyToManyField"])
_RUNS = frozenset(["all", "filter", "exclude", "count", "exists", "aggregate", "values"])
# what a prefetched relation answers from its cache; the other verbs query again
_CACHED = frozenset(["all", "count", "exists"])
_LOADERS = ("select_related(", "prefetch_related(", "Prefetch(", "annotate(")


def nested_row_queries(repo: Repo) -> list[RoleFinding]:
    """An n-plus-one-query finding per nested related serializer or querying model property a
    list view's serializer reads per row, unless the view's queryset loads it."""
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    for rel, tree in repo.modules():
        if is_test(rel) or is_migration(rel):
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, (rel, node))
    relations = _model_relations(classes)
    properties = _model_properties(classes)
    loaders = _queryset_methods(classes)
    unlisted = _mapped_without_list(repo)
    out: list[RoleFinding] = []
    seen: set[tuple[str, int]] = set()
    for view_rel, view in classes.values():
        chain = _chain(view, classes)
        if not any(_base_names(c) & _LIST_BASES for c in chain) or view.name in unlisted:
            continue
        view_text = "\n".join(ast.unparse(c) for c in chain)
        if "cache_page" in view_text:  # the page is served from the cache, not the rows
            continue
        view_text += "".join(
            text for name, texts in loaders.items() if f".{name}(" in view_text for text in texts
        )
        for name in _serializers(chain):
            if name not in classes:
                continue
            rel, serializer = classes[name]
            model = _meta_model(serializer)
            reads = [
                read
                for read in sorted(
                    [
                        *_nested(serializer, relations.get(model, set())),
                        *_property_reads(serializer, properties.get(model, {})),
                    ]
                )
                if not _loaded(view_text, read[1], read[2])
            ]
            if not reads or (rel, reads[0][0]) in seen:
                continue
            line, relation, _, what = reads[0]
            seen.add((rel, line))
            more = len({r[1] for r in reads} - {relation})
            also = f" (and {more} more relation(s))" if more else ""
            out.append(
                finding(
                    "n-plus-one-query",
                    rel,
                    line,
                    f"{name} {what} once per row that {view.name} ({view_rel}:"
                    f"{view.lineno}) lists{also}: N+1 round trips per page; load {relation!r} "
                    "with the view's queryset (select_related, prefetch_related, annotate)",
                    evidence=repo.line_text(rel, line),
                )
            )
    return out


def _mapped_without_list(repo: Repo) -> set[str]:
    """The view classes the repository uses only through `X.as_view({...})` with method maps
    that name no list action (longclaw's `OrderViewSet.as_view({'get': 'retrieve'})`, and its
    POST actions): a viewset routed so serves one object per request, never a page of rows. A
    class registered with a router, subclassed, mapped to `list`, or named anywhere else keeps
    its list route.
    """
    mapped: dict[str, int] = {}
    named: dict[str, int] = {}
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                named[name] = named.get(name, 0) + 1
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "as_view"
                and isinstance(node.func.value, ast.Name | ast.Attribute)
            ):
                continue
            actions = node.args[0] if node.args else None
            if isinstance(actions, ast.Dict) and not any(
                isinstance(v, ast.Constant) and v.value == "list" for v in actions.values
            ):
                view = node.func.value
                name = view.id if isinstance(view, ast.Name) else view.attr
                mapped[name] = mapped.get(name, 0) + 1
    return {name for name, n in mapped.items() if named.get(name, 0) == n}


def _queryset_methods(classes: dict[str, tuple[str, ast.ClassDef]]) -> dict[str, list[str]]:
    """Method name -> source, for the methods of the repository's querysets and managers
    (argus' `Incident.objects.prefetch_default_related()`, which prefetches `source__type`):
    a view that calls one loads what it loads."""
    out: dict[str, list[str]] = {}
    for _, node in classes.values():
        if any(b.endswith(("QuerySet", "Manager")) for b in _base_names(node)):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    out.setdefault(item.name, []).append(ast.unparse(item))
    return out


def _base_names(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}


def _chain(view: ast.ClassDef, classes: dict[str, tuple[str, ast.ClassDef]]) -> list[ast.ClassDef]:
    """The view and its bases defined in the repository, three levels up."""
    chain, level = [view], [view]
    for _ in range(3):
        level = [
            classes[b][1]
            for c in level
            for b in _base_names(c)
            if b in classes and classes[b][1] not in chain
        ]
        chain += level
    return chain


def _serializers(chain: list[ast.ClassDef]) -> list[str]:
    """The serializer classes a view uses: `serializer_class = X`, or the names its
    `get_serializer_class` returns."""
    names: list[str] = []
    for c in chain:
        for node in c.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "serializer_class" for t in node.targets
            ):
                names.append(ast.unparse(node.value).rsplit(".", 1)[-1])
            elif isinstance(node, ast.FunctionDef) and node.name == "get_serializer_class":
                names += _list_returns(node)
    return names


def _list_returns(method: ast.FunctionDef) -> list[str]:
    """The serializers `get_serializer_class` returns for the list action: those returned
    under a test naming "list" (ARA's `if self.action == "list"`), else its last return (the
    fallback after argus' `if self.request.method in {"PUT", "PATCH"}`)."""
    listed: list[str] = []
    for branch in ast.walk(method):
        if isinstance(branch, ast.If) and "'list'" in ast.unparse(branch.test):
            listed += [_named(r) for s in branch.body for r in ast.walk(s) if _returns_class(r)]
    ordered = sorted(
        (r for r in ast.walk(method) if isinstance(r, ast.Return) and _returns_class(r)),
        key=lambda r: r.lineno,
    )
    returns = [_named(r) for r in ordered]
    return [n for n in listed if n] or returns[-1:]


def _returns_class(node: ast.AST) -> bool:
    return isinstance(node, ast.Return) and isinstance(node.value, ast.Name | ast.Attribute)


def _named(node: ast.AST) -> str:
    value = node.value if isinstance(node, ast.Return) else None
    return ast.unparse(value).rsplit(".", 1)[-1] if value is not None else ""


def _meta_model(serializer: ast.ClassDef) -> str:
    for node in serializer.body:
        if isinstance(node, ast.ClassDef) and node.name == "Meta":
            for item in node.body:
                if isinstance(item, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "model" for t in item.targets
                ):
                    return ast.unparse(item.value).rsplit(".", 1)[-1]
    return ""


def _target(call: ast.Call) -> str:
    """The model a relation field points to (`User`, `"auth.User"` -> `User`)."""
    to = (
        call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "to"), None)
    )
    if isinstance(to, ast.Constant) and isinstance(to.value, str):
        return to.value.rsplit(".", 1)[-1]
    return ast.unparse(to).rsplit(".", 1)[-1] if to is not None else ""


def _model_relations(classes: dict[str, tuple[str, ast.ClassDef]]) -> dict[str, set[str]]:
    """Model name -> its relation names: its ForeignKey, OneToOne and ManyToMany fields, and
    the `related_name` other models' relation fields give it."""
    out: dict[str, set[str]] = {}
    for name, (_, node) in classes.items():
        for item in node.body:
            if not (isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)):
                continue
            if ast.unparse(item.value.func).rsplit(".", 1)[-1] not in _RELATIONS:
                continue
            out.setdefault(name, set()).update(
                t.id for t in item.targets if isinstance(t, ast.Name)
            )
            for kw in item.value.keywords:
                if kw.arg == "related_name" and isinstance(kw.value, ast.Constant):
                    out.setdefault(_target(item.value), set()).add(str(kw.value.value))
    return out


def _model_properties(
    classes: dict[str, tuple[str, ast.ClassDef]],
) -> dict[str, dict[str, tuple[str, str]]]:
    """Model name -> {property: (relation, verb)} for each `@property` (or `@cached_property`)
    that runs a query on one of the row's relations (`self.events.filter(...).exists()`)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for name, (_, node) in classes.items():
        for item in node.body:
            if not isinstance(item, ast.FunctionDef) or not any(
                ast.unparse(d).rsplit(".", 1)[-1] in ("property", "cached_property")
                for d in item.decorator_list
            ):
                continue
            for call in ast.walk(item):
                func = call.func if isinstance(call, ast.Call) else None
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in _RUNS
                    and isinstance(func.value, ast.Attribute)
                    and isinstance(func.value.value, ast.Name)
                    and func.value.value.id == "self"
                    and func.value.attr != "objects"
                ):
                    out.setdefault(name, {})[item.name] = (func.value.attr, func.attr)
                    break
    return out


def _nested(serializer: ast.ClassDef, relations: set[str]) -> list[tuple[int, str, str, str]]:
    """(line, relation, "", what) for each field nesting a serializer on a relation."""
    out = []
    for node in serializer.body:
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        ):
            continue
        kind = ast.unparse(node.value.func).rsplit(".", 1)[-1]
        keywords = {k.arg: k.value for k in node.value.keywords}
        if not kind.endswith("Serializer") or _true(keywords.get("write_only")):
            continue
        source = keywords.get("source")
        relation = node.targets[0].id
        if isinstance(source, ast.Constant) and isinstance(source.value, str):
            relation = source.value
        if relation in relations:
            what = f"nests {kind} on {relation!r}, a query"
            out.append((node.lineno, relation, "", what))
    return out


def _true(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def _property_reads(
    serializer: ast.ClassDef, properties: dict[str, tuple[str, str]]
) -> list[tuple[int, str, str, str]]:
    """(line, relation, verb, what) for each read of a querying model property on the row in
    `to_representation` or a `get_*` method."""
    out = []
    for node in serializer.body:
        if not (
            isinstance(node, ast.FunctionDef)
            and (node.name == "to_representation" or node.name.startswith("get_"))
            and len(node.args.args) == 2
        ):
            continue
        row = node.args.args[1].arg
        for attr in ast.walk(node):
            if (
                isinstance(attr, ast.Attribute)
                and isinstance(attr.value, ast.Name)
                and attr.value.id == row
                and attr.attr in properties
            ):
                relation, verb = properties[attr.attr]
                what = f"reads {row}.{attr.attr}, which runs self.{relation}.{verb}(),"
                out.append((attr.lineno, relation, verb, what))
    return out


def _loaded(view_text: str, relation: str, verb: str) -> bool:
    """The view's queryset names the relation in a loader's call, and the read uses the cache
    (a nested field, or a property's `all`, `count` or `exists`)."""
    named = any(
        relation in part.split(")", 1)[0]
        for loader in _LOADERS
        for part in view_text.split(loader)[1:]
    )
    return named and (not verb or verb in _CACHED)
