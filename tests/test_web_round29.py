"""Web review round 29: kinds of false alarm that recurred on real apps, and a query the review
missed, each with a small app that must be reported and one that must stay silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_SWAP = """
from flask import Flask, request

app = Flask(__name__)


@app.post("/swap")
def swap():
    first, second = request.json["events"]
    found = []
    for {target} in {walked}:
        found.append(db.execute("SELECT * FROM event WHERE id = %s", (ev["id"],)).fetchall())
    return {{"events": found}}
"""


def test_a_loop_over_an_enumerated_list_display_is_bounded(tmp_path: Path) -> None:
    found = {
        walked: web_findings(
            tmp_path / str(i),
            {"app.py": _SWAP.format(target=target, walked=walked)},
            "n-plus-one-query",
        )
        for i, (target, walked) in enumerate(
            [
                ("i, ev", "enumerate([first, second])"),
                ("ev", "reversed((first, second))"),
                ("ev", "[first, second]"),
                ("i, ev", "enumerate(request.json['events'])"),
                ("ev", "sorted(request.json['events'])"),
            ]
        )
    }
    assert found == {
        "enumerate([first, second])": set(),
        "reversed((first, second))": set(),
        "[first, second]": set(),
        "enumerate(request.json['events'])": {("app.py", 11)},
        "sorted(request.json['events'])": {("app.py", 11)},
    }


_TOKENS = """
import time

_token_cache: dict[str, dict] = dict()


def _collect_garbage():
    global _token_cache
    now = time.time()
    _token_cache = {kept}


def identity(token):
    found = _token_cache.get(token)
    if found is None:
        found = {{"token": token, "expires_at": time.time() + 60}}
    _collect_garbage()
    _token_cache[token] = found
    return found
"""


def test_a_cache_rebuilt_from_its_unexpired_entries_is_bounded(tmp_path: Path) -> None:
    found = {
        kept: web_findings(
            tmp_path / str(i), {"auth.py": _TOKENS.format(kept=kept)}, "unbounded-cache"
        )
        for i, kept in enumerate(
            [
                "{k: v for k, v in _token_cache.items() if v['expires_at'] > now}",
                "{k: v for k, v in _token_cache.items()}",
                "{k: v for k, v in other.items() if v['expires_at'] > now}",
            ]
        )
    }
    assert found == {
        "{k: v for k, v in _token_cache.items() if v['expires_at'] > now}": set(),
        "{k: v for k, v in _token_cache.items()}": {("auth.py", 3)},
        "{k: v for k, v in other.items() if v['expires_at'] > now}": {("auth.py", 3)},
    }


_PAGE = """
from django.contrib.auth import get_user_model
from django.http import JsonResponse


def onboarding(request):
    results = Attempt.objects.filter(course=request.GET["course"])
    users = [{manager}.get(username=row.username) for row in results]
    return JsonResponse({{"users": [u.email for u in users]}})
"""


def test_a_lookup_of_the_configured_user_model_per_row_is_an_n_plus_one(tmp_path: Path) -> None:
    urls = """
from django.urls import path
from views import onboarding

urlpatterns = [path("o/", onboarding)]
"""
    found = {
        manager: web_findings(
            tmp_path / str(i),
            {"views.py": _PAGE.format(manager=manager), "urls.py": urls},
            "n-plus-one-query",
        )
        for i, manager in enumerate(
            ["get_user_model().objects", "User.objects", "get_user_model().cache"]
        )
    }
    assert found == {
        "get_user_model().objects": {("views.py", 7)},
        "User.objects": {("views.py", 7)},
        "get_user_model().cache": set(),
    }
