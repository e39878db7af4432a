"""The query methods of a repository's own Django managers and querysets: what
`Model.objects.my_method(...)` does, which `queries.is_query` cannot tell from the call alone.

A method of a class built on `Manager` or `QuerySet` runs a query when its body reads one
(`self.get(...)`, `self.filter(...).first()`, `Other.objects.count()`); it returns a lazy queryset
when it returns a chain on itself (`return self.filter(user_id=user_id).order_by('-created')`),
which runs when the caller iterates it.
"""

from __future__ import annotations

import ast
import re
from typing import cast

from team.audit.repo import Repo

__all__ = ["manager_methods"]

_MANAGER_BASE = re.compile(r"(?:Manager|QuerySet)(?:\W|$)")
# a queryset method that returns another queryset: returned from a manager method, it is lazy
_CHAINED = frozenset(
    [
        "filter",
        "all",
        "exclude",
        "values",
        "values_list",
        "select_related",
        "prefetch_related",
        "order_by",
        "annotate",
        "distinct",
        "only",
        "defer",
        "get_queryset",
        "using",
    ]
)
# a read that runs on the spot
_RUNS = frozenset(
    ["get", "first", "last", "count", "exists", "aggregate", "latest", "earliest", "in_bulk"]
)
# Django's own methods, overridden: `is_query` already knows what they do
_OWN = _CHAINED | _RUNS | {"create", "update", "delete", "get_or_create", "update_or_create"}


def manager_methods(repo: Repo) -> dict[str, dict[str, bool]]:
    """Model class -> the methods of the repository's own manager or queryset it is given
    (`objects = AttemptManager()`, `AttemptQuerySet.as_manager()`, also through a base model):
    True for one that runs a query, False for one that returns a lazy queryset. Django's own
    methods and dunders are left out, as is a model the repository does not define (Django's
    `ContentType.objects.get_for_model` is not a repository manager's method of that name).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "models.py").write_text(
        ...     "class AttemptManager(models.Manager):\\n"
        ...     "    def current(self, user_id):\\n"
        ...     "        return self.filter(user_id=user_id).first()\\n"
        ...     "    def by_exam(self, exam_id):\\n"
        ...     "        return self.filter(exam_id=exam_id).order_by('-created')\\n"
        ...     "    def make(self, **kw):\\n"
        ...     "        return self.model(**kw)\\n"
        ...     "class Attempt(models.Model):\\n"
        ...     "    objects = AttemptManager()\\n"
        ... )
        >>> manager_methods(Repo.scan(folder))
        {'Attempt': {'current': True, 'by_exam': False}}
    """
    if "manager_methods" not in repo.memo:
        classes = [
            c for _, tree in repo.modules() for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
        ]
        managers = {c.name: _methods(c) for c in classes if _is_manager(c)}
        found: dict[str, dict[str, bool]] = {}
        for _ in range(2):  # a model that inherits its manager from a base model
            for cls in classes:
                given = _given(cls, managers, found)
                if given and cls.name not in managers:
                    found[cls.name] = given
        repo.memo["manager_methods"] = found
    return cast("dict[str, dict[str, bool]]", repo.memo["manager_methods"])


def _is_manager(cls: ast.ClassDef) -> bool:
    return any(_MANAGER_BASE.search(ast.unparse(b)) for b in cls.bases)


def _methods(cls: ast.ClassDef) -> dict[str, bool]:
    """The query methods a manager or queryset class defines (`_kind`)."""
    out: dict[str, bool] = {}
    for fn in cls.body:
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.name not in _OWN:
            kind = _kind(fn)
            if kind is not None:
                out[fn.name] = kind
    return out


def _given(
    cls: ast.ClassDef, managers: dict[str, dict[str, bool]], models: dict[str, dict[str, bool]]
) -> dict[str, bool]:
    """The query methods of the managers a class assigns to `objects` (with the querysets they
    name: `Manager.from_queryset(AttemptQuerySet)()`), and of the base models it extends."""
    out: dict[str, bool] = {}
    for base in cls.bases:
        out |= models.get(ast.unparse(base).rsplit(".", 1)[-1], {})
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "objects" for t in stmt.targets
        ):
            for name in (n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)):
                out |= managers.get(name, {})
    return out


def _kind(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool | None:
    """True when the method reads rows on the spot, False when it returns a queryset built on
    itself, None for anything else (a dunder, a write, a constructor)."""
    if fn.name.startswith("__"):
        return None
    calls = [
        c for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
    ]
    if any(_on_rows(c) and cast("ast.Attribute", c.func).attr in _RUNS for c in calls):
        return True
    returned = [r.value for r in ast.walk(fn) if isinstance(r, ast.Return) and r.value is not None]
    if any(
        isinstance(v, ast.Call)
        and isinstance(v.func, ast.Attribute)
        and v.func.attr in _CHAINED
        and _on_rows(v)
        for v in returned
    ):
        return False
    return None


def _on_rows(call: ast.Call) -> bool:
    """A call on the manager itself or a chain of it (`self.filter(...)`, `super().get_queryset()`),
    or on a model's manager (`Exam.objects.filter(...)`)."""
    receiver = ast.unparse(cast("ast.Attribute", call.func).value)
    return _ROWS.match(receiver) is not None


# `self`, a call on it (`self.get_queryset()`, `super().filter(...)`), a model's manager; not an
# attribute of the manager (`self._cache.get(key)`)
_ROWS = re.compile(r"(?:self|super\(\))(?:$|\.\w+\()|(?:self\.model|[A-Z]\w*)\.objects(?:\.|$)")
