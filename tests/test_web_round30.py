"""Web review round 30: queries the review missed on real apps (a method of the repository's own
Django manager, a helper imported by the name of the package reviewed), each with a small app
that must be reported and one that must stay silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_MODELS = """
from django.db import models


class AttemptManager(models.Manager):
    def current(self, user_id):
        return self.filter(user_id=user_id).first()

    def for_exam(self, exam_id):
        return self.filter(exam_id=exam_id).order_by("-created")

    def make(self, **fields):
        return self.model(**fields)


class Attempt(models.Model):
    objects = AttemptManager()


class Exam(models.Model):
    pass
"""

_VIEWS = """
from django.http import JsonResponse
from models import Attempt


def page(request):
    found = []
    for row in Attempt.objects.filter(course=request.GET["course"]):
        found.append({call})
    return JsonResponse({{"found": [str(f) for f in found]}})
"""

_URLS = """
from django.urls import path
from views import page

urlpatterns = [path("p/", page)]
"""


def _per_view(tmp_path: Path, views: str, calls: list[str]) -> dict[str, set[tuple[str, int]]]:
    """The N+1 findings on the app of `_MODELS` whose view makes each of `calls` per row."""
    return {
        call: web_findings(
            tmp_path / str(i),
            {"models.py": _MODELS, "views.py": views.format(call=call), "urls.py": _URLS},
            "n-plus-one-query",
        )
        for i, call in enumerate(calls)
    }


def test_a_query_method_of_the_repositorys_own_manager_per_row_is_an_n_plus_one(
    tmp_path: Path,
) -> None:
    found = _per_view(
        tmp_path,
        _VIEWS,
        [
            "Attempt.objects.current(row.user_id)",
            "list(Attempt.objects.for_exam(row.exam_id))",
            "Attempt.objects.for_exam(row.exam_id)",
            "Attempt.objects.make(user_id=row.user_id)",
            "Attempt.objects.unknown(row.user_id)",
            "Exam.objects.current(row.user_id)",
        ],
    )
    assert found == {
        "Attempt.objects.current(row.user_id)": {("views.py", 8)},
        "list(Attempt.objects.for_exam(row.exam_id))": {("views.py", 8)},
        "Attempt.objects.for_exam(row.exam_id)": set(),  # a queryset nobody evaluates
        "Attempt.objects.make(user_id=row.user_id)": set(),  # builds an object, reads nothing
        "Attempt.objects.unknown(row.user_id)": set(),  # not the repository's
        "Exam.objects.current(row.user_id)": set(),  # another model's manager has no `current`
    }


_BOUND = """
from django.http import JsonResponse
from models import Attempt


def page(request):
    found = []
    for row in Attempt.objects.filter(course=request.GET["course"]):
        attempts = {call}
        found += [a.pk for a in attempts]
    return JsonResponse({{"found": found}})
"""


def test_a_queryset_of_the_repositorys_own_manager_bound_then_iterated_is_a_query(
    tmp_path: Path,
) -> None:
    found = _per_view(
        tmp_path,
        _BOUND,
        [
            "Attempt.objects.for_exam(row.exam_id)",
            "Attempt.objects.make(exam_id=row.exam_id)",
            "Attempt.objects.filter(exam_id=row.exam_id)",  # as before this round
        ],
    )
    assert found == {
        "Attempt.objects.for_exam(row.exam_id)": {("views.py", 8)},
        "Attempt.objects.make(exam_id=row.exam_id)": set(),
        "Attempt.objects.filter(exam_id=row.exam_id)": set(),
    }


_API = """
from exams.models import Attempt


def get_attempts(user_id, exam_id):
    return Attempt.objects.get(user_id=user_id, exam_id=exam_id).pk
"""

_PACKAGE_VIEWS = """
from django.http import JsonResponse
from exams.api import get_attempts
from exams.models import Attempt


def page(request):
    found = []
    for row in Attempt.objects.filter(course=request.GET["course"]):
        found.append(get_attempts(row.user_id, row.exam_id))
    return JsonResponse({"found": found})
"""

_PACKAGE_URLS = """
from django.urls import path
from exams.views import page

urlpatterns = [path("p/", page)]
"""


def test_a_helper_imported_by_the_name_of_the_package_reviewed_is_followed(
    tmp_path: Path,
) -> None:
    files = {
        "__init__.py": "",
        "models.py": _MODELS,
        "api.py": _API,
        "views.py": _PACKAGE_VIEWS,
        "urls.py": _PACKAGE_URLS,
    }
    found = {
        folder: web_findings(tmp_path / folder, files, "n-plus-one-query")
        for folder in ["exams", "elsewhere"]
    }
    assert found == {
        "exams": {("views.py", 9)},  # the folder reviewed is the package `exams`
        "elsewhere": set(),  # `exams` is another project's package: nothing to follow
    }
