"""Web review round 30: queries the review missed on real apps (a helper imported by the name of
the package reviewed), each with a small app that must be reported and one that must stay
silent."""

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
