"""Web review round 25: kinds of false alarm that recurred on real apps, each with a small app
that must still be reported and one that must stay silent."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path
from textwrap import dedent, indent

import pytest
from helpers import web_findings

_CARDS = """
from django.http import JsonResponse
from django.views import View

from .models import Card, Edit


class CardsView(View):
    def post(self, request):
        for item in request_items(request):
            card = Card.objects.get(pk=item["id"])
            card.sortorder = item["sortorder"]
            {after}
        return JsonResponse({{}})
"""


def test_a_row_read_then_saved_in_each_pass_is_a_write_per_item_not_an_n_plus_one(
    tmp_path: Path,
) -> None:
    saved = web_findings(
        tmp_path / "saved", {"views.py": _CARDS.format(after="card.save()")}, "n-plus-one-query"
    )
    read = web_findings(
        tmp_path / "read",
        {"views.py": _CARDS.format(after="names.append(card.name)")},
        "n-plus-one-query",
    )
    assert (saved, read) == (set(), {("views.py", 10)})


def test_a_row_deleted_by_the_pass_that_reads_it_is_a_write_per_item(tmp_path: Path) -> None:
    found = web_findings(
        tmp_path,
        {
            "views.py": """
            import json


            def remove(request):
                data = json.loads(request.body)
                for item in data["removed"]:
                    Relation.objects.get(pk=item["id"]).delete()
                for item in data["shown"]:
                    names.append(Relation.objects.get(pk=item["id"]).name)
            """
        },
        "n-plus-one-query",
    )
    assert found == {("views.py", 9)}


def test_a_row_handed_to_a_write_in_the_same_pass_is_a_write_per_item(tmp_path: Path) -> None:
    found = web_findings(
        tmp_path,
        {
            "views.py": """
            def update_types(request):
                types = json.loads(request.POST.get("types"))
                for item in types:
                    kind = NotificationType.objects.get(typeid=item["typeid"])
                    UserNotification.objects.update_or_create(user=request.user, kind=kind)
                for item in types:
                    kind = NotificationType.objects.get(typeid=item["typeid"])
                    UserNotification.objects.filter(user=request.user, kind=kind.pk)
            """
        },
        "n-plus-one-query",
    )
    assert found == {("views.py", 7)}


_PERMISSIONS = """
import json


class PermissionsView(View):
    def post(self, request):
        {caller}

    def apply(self, data):
        for identity in data["selected"]:
            group = Group.objects.get(pk=identity["id"])
            assign_perm("view", group, self.obj)
"""


def test_a_helper_handed_the_request_data_by_its_only_caller_walks_what_the_user_picked(
    tmp_path: Path,
) -> None:
    posted = _PERMISSIONS.format(caller="self.apply(json.loads(request.body))")
    stored = _PERMISSIONS.format(caller="self.apply(load_all_identities())")
    found = (
        web_findings(tmp_path / "posted", {"views.py": posted}, "n-plus-one-query"),
        web_findings(tmp_path / "stored", {"views.py": stored}, "n-plus-one-query"),
    )
    assert found == (set(), {("views.py", 10)})


def test_rows_the_code_queried_and_saves_one_by_one_are_still_an_n_plus_one(
    tmp_path: Path,
) -> None:
    found = web_findings(
        tmp_path,
        {
            "answers.py": """
            def save_answers(poll, answers):
                for answer in answers:
                    row = PollAnswer.objects.get(poll=poll, id=answer["id"])
                    row.save()
            """
        },
        "n-plus-one-query",
    )
    assert found == {("answers.py", 3)}


_NAMES = """
from django.views import View


class PermissionsView(View):
    cache = {{}}

    def get_name(self, codename):
        {lookup}

    def get(self, request):
        return [self.get_name(c) for c in codes(request)]
"""
_CACHED = """if codename not in self.cache:
            self.cache[codename] = Permission.objects.get(codename=codename)
        return self.cache[codename]"""
_UNCACHED = """found = {}
        if codename not in found:
            found[codename] = Permission.objects.get(codename=codename)
        return found[codename]"""


def test_a_helper_that_caches_each_key_for_the_process_runs_no_query_per_pass(
    tmp_path: Path,
) -> None:
    cached = web_findings(
        tmp_path / "cached", {"views.py": _NAMES.format(lookup=_CACHED)}, "n-plus-one-query"
    )
    per_call = web_findings(
        tmp_path / "per_call", {"views.py": _NAMES.format(lookup=_UNCACHED)}, "n-plus-one-query"
    )
    assert (cached, per_call) == (set(), {("views.py", 14)})


_URLS = """
from django.urls import path

from shop import views

urlpatterns = [path("orders/", views.orders), path("profile/", views.update_profile)]
"""
_VIEWS = """
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse


@login_required
def orders(request):
    return JsonResponse({{}})


def update_profile(request):
    if request.method == "POST":
{body}
    return JsonResponse({{}})
"""


def _open_writes(tmp_path: Path, body: str) -> set[tuple[str, int]]:
    files = {
        "shop/urls.py": _URLS,
        "shop/views.py": _VIEWS.format(body=indent(dedent(body), " " * 8)),
    }
    return web_findings(tmp_path, files, "endpoint-no-auth")


def test_a_write_that_checks_the_caller_through_a_helper_is_not_an_open_endpoint(
    tmp_path: Path,
) -> None:
    checked = """\
        profile = get_profile(request, allow_default=False)
        if profile:
            profile.advanced = request.POST["advanced"]
            profile.save()
    """
    unchecked = """\
        profile = Profile.objects.get(pk=request.POST["id"])
        profile.advanced = request.POST["advanced"]
        profile.save()
    """
    found = (
        _open_writes(tmp_path / "checked", checked),
        _open_writes(tmp_path / "open", unchecked),
    )
    assert found == (set(), {("shop/views.py", 10)})


def test_merging_the_form_into_a_copy_of_the_query_string_changes_no_state(
    tmp_path: Path,
) -> None:
    merged = """\
        query = request.GET.copy()
        query.update(request.POST)
        return JsonResponse(find_metrics(query))
    """
    stored = """\
        SETTINGS.update(request.POST)
    """
    found = (_open_writes(tmp_path / "copy", merged), _open_writes(tmp_path / "store", stored))
    assert found == (set(), {("shop/views.py", 10)})


@pytest.mark.parametrize("module", ["team.audit.written_each", "team.audit.inline_checks"])
def test_docstring_examples_run(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert failures == 0 and tried > 0
