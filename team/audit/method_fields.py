"""N+1 through a Django REST framework serializer: a `SerializerMethodField` whose `get_*` method
runs a query on the row it is given, under a list view that serializes every row of a page.

doccano's `ExampleSerializer.get_is_confirmed(self, instance)` reads `instance.states.all()` for
each example `ExampleList` (a `ListCreateAPIView`) returns: one query per row. Few and sure: the
serializer is a list view's `serializer_class`, the query is a call on a related manager of the
row (`instance.states.filter(...)`, `obj.comments.count()`) or on a model's `objects` filtered
by the row or a value read from it (`Comment.objects.filter(example=obj)`, edx-enterprise-data's
`Budget.objects.filter(subsidy_uuid=UUID(instance.offer_id))`), in the `get_*` itself or in a
method of the serializer it hands the row to, and the view's queryset neither prefetches nor
annotates that relation.
"""

from __future__ import annotations

import ast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test

__all__ = ["method_field_queries"]

# the generic views and viewsets whose GET serializes every row of a page
_LIST_VIEWS = frozenset(
    ["ListAPIView", "ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet"]
)
# a related manager's calls that run a query
_RUNS = frozenset(
    ["all", "filter", "exclude", "count", "exists", "first", "last", "aggregate", "values"]
)


def method_field_queries(repo: Repo) -> list[RoleFinding]:
    """An n-plus-one-query finding per querying `get_*` method of a list view's serializer."""
    serializers = _classes(repo)
    out: list[RoleFinding] = []
    seen: set[tuple[str, int]] = set()
    for view_rel, view in _list_views(repo):
        name = _serializer_class(view)
        if name not in serializers:
            continue
        rel, serializer = serializers[name]
        view_text = ast.unparse(view)
        for method, call, relation in _row_queries(serializer):
            if _loaded_with_rows(view_text, relation) or (rel, call.lineno) in seen:
                continue
            seen.add((rel, call.lineno))
            out.append(
                finding(
                    "n-plus-one-query",
                    rel,
                    call.lineno,
                    f"{name}.{method}() runs {ast.unparse(call.func)}() once per row that "
                    f"{view.name} ({view_rel}:{view.lineno}) lists: N+1 round trips per page; "
                    "prefetch_related or annotate it in the view's queryset",
                    evidence=repo.line_text(rel, call.lineno),
                )
            )
            break  # one finding per list view: its first query per row is the fix to make
    return out


def _classes(repo: Repo) -> dict[str, tuple[str, ast.ClassDef]]:
    """Serializer class name -> (file, class) for the classes with a SerializerMethodField."""
    out: dict[str, tuple[str, ast.ClassDef]] = {}
    for rel, tree in repo.modules():
        if is_test(rel):
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and "SerializerMethodField" in ast.unparse(node):
                out.setdefault(node.name, (rel, node))
    return out


def _list_views(repo: Repo) -> list[tuple[str, ast.ClassDef]]:
    """(file, class) of every DRF list view or model viewset of the repository."""
    return [
        (rel, node)
        for rel, tree in repo.modules()
        if not is_test(rel)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(b).rsplit(".", 1)[-1] in _LIST_VIEWS for b in node.bases)
    ]


def _serializer_class(view: ast.ClassDef) -> str:
    """The name a view binds to `serializer_class` in its body ("" if none)."""
    for node in view.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "serializer_class" for t in node.targets)
            and isinstance(node.value, ast.Name | ast.Attribute)
        ):  # `ExampleSerializer`, or `serializers.EnterpriseOfferSerializer` of a module
            return ast.unparse(node.value).rsplit(".", 1)[-1]
    return ""


def _row_queries(serializer: ast.ClassDef) -> list[tuple[str, ast.Call, str]]:
    """(method, call, relation) for each query a method field's `get_*` runs on its row."""
    fields = {
        t.id
        for node in serializer.body
        if isinstance(node, ast.Assign) and "SerializerMethodField" in ast.unparse(node.value)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    methods = {
        node.name: node
        for node in serializer.body
        if isinstance(node, ast.FunctionDef) and len(node.args.args) == 2
    }
    out: list[tuple[str, ast.Call, str]] = []
    for name, node in methods.items():
        if name.removeprefix("get_") not in fields:
            continue
        for method in [node, *_helpers_given_row(node, methods)]:
            row = method.args.args[1].arg
            derived = _from_row(method, row)
            for call in (c for c in ast.walk(method) if isinstance(c, ast.Call)):
                relation = _on_row(call, row, derived)
                if relation:
                    out.append((name, call, relation))
    return sorted(out, key=lambda item: item[1].lineno)


def _helpers_given_row(
    getter: ast.FunctionDef, methods: dict[str, ast.FunctionDef]
) -> list[ast.FunctionDef]:
    """The serializer's own methods a `get_*` hands its row to (`self._get_flex_groups(obj)`,
    edx-enterprise-data's helper behind two method fields): their queries run per row too."""
    row = getter.args.args[1].arg
    return [
        methods[call.func.attr]
        for call in ast.walk(getter)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "self"
        and call.func.attr in methods
        and call.func.attr != getter.name
        and any(isinstance(a, ast.Name) and a.id == row for a in call.args)
    ]


def _from_row(method: ast.FunctionDef, row: str) -> set[str]:
    """The local names the method binds to a value read from its row (`offer_uuid =
    UUID(instance.offer_id)`, `user_id = obj.enterprise_user_id`)."""
    return {
        t.id
        for node in ast.walk(method)
        if isinstance(node, ast.Assign)
        and any(isinstance(n, ast.Name) and n.id == row for n in ast.walk(node.value))
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _on_row(call: ast.Call, row: str, derived: set[str]) -> str:
    """The relation a call queries for `row`: `states` for `row.states.filter(...)`, `comments`
    for `Comment.objects.filter(example=row)`, or filtered by a value read from the row
    (`Budget.objects.filter(subsidy_uuid=offer_uuid)`, one of the `derived` names, or
    `row.offer_id`); "" for any other call."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in _RUNS):
        return ""
    owner = func.value
    if (
        isinstance(owner, ast.Attribute)
        and isinstance(owner.value, ast.Name)
        and owner.value.id == row
        and owner.attr != "objects"
    ):
        return owner.attr
    if (
        isinstance(owner, ast.Attribute)
        and owner.attr == "objects"
        and isinstance(owner.value, ast.Name)
        and any(_names_row(kw.value, row, derived) for kw in call.keywords)
    ):
        return owner.value.id.lower()
    return ""


def _names_row(expr: ast.expr, row: str, derived: set[str]) -> bool:
    """`row`, one of its attributes (`row.id`, `row.offer_id`), or a name `derived` from it."""
    if isinstance(expr, ast.Attribute):
        expr = expr.value
    return isinstance(expr, ast.Name) and (expr.id == row or expr.id in derived)


def _loaded_with_rows(view_text: str, relation: str) -> bool:
    """The view's queryset prefetches or annotates the relation (named in the call's text)."""
    return any(
        relation in part.split(")", 1)[0]
        for verb in ("prefetch_related(", "annotate(", "Prefetch(")
        for part in view_text.split(verb)[1:]
    )
