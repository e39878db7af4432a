"""Web review round 37: no-benchmarks stays quiet on an XBlock (a course component the Open edX
LMS serves, lti-consumer-xblock) and on a library whose only routes are callbacks other services
post to (django-payments' two `@csrf_exempt` views); a GET-only route whose handler deletes or
clears stored state on every call is reported (docling-serve's `GET /v1/clear/results`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_PLUGIN_VIEWS = """
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def public_keyset_endpoint(request, passport_id):
    return JsonResponse({"keys": []})


@csrf_exempt
def access_token_endpoint(request, passport_id):
    return JsonResponse({"access_token": "t"})


def launch_gate_endpoint(request, suffix=""):
    return JsonResponse({"launch": suffix})
"""

_PLUGIN_URLS = """
from django.urls import path

from lti_consumer.plugin.views import (
    access_token_endpoint,
    launch_gate_endpoint,
    public_keyset_endpoint,
)

urlpatterns = [
    path("lti_consumer/v1/public_keysets/<uuid:passport_id>", public_keyset_endpoint),
    path("lti_consumer/v1/token/<uuid:passport_id>", access_token_endpoint),
    path("lti_consumer/v1/launch/", launch_gate_endpoint),
]
"""

_SETUP = """
from setuptools import setup

setup(
    name="lti-consumer-xblock",
    entry_points={
        {points}
        "lms.djangoapp": ["lti_consumer = lti_consumer.apps:LTIConsumerApp"],
    },
)
"""


def _plugin_rules(tmp_path: Path, points: str) -> set[str]:
    """The Performance Engineer's rules on `lti_consumer/` of a project whose setup.py declares
    `points` beside its Django app plugin."""
    write_app(
        tmp_path,
        {
            "setup.py": _SETUP.replace("{points}", points),
            "lti_consumer/__init__.py": "",
            "lti_consumer/plugin/__init__.py": "",
            "lti_consumer/plugin/views.py": _PLUGIN_VIEWS,
            "lti_consumer/plugin/urls.py": _PLUGIN_URLS,
            # edx-proctoring and edx-enterprise serve their API through Django REST framework
            "lti_consumer/plugin/api.py": "from rest_framework.views import APIView\n",
        },
    )
    found = audit_path(tmp_path / "lti_consumer", roles=["performance_engineer"])
    return {f.rule for f in found}


def test_an_xblock_asks_no_load_test_of_its_own(tmp_path: Path) -> None:
    xblock = '"xblock.v1": ["lti_consumer = lti_consumer.lti_xblock:LtiConsumerXBlock"],'
    assert "no-benchmarks" not in _plugin_rules(tmp_path, xblock)


def test_a_django_app_plugin_without_an_xblock_keeps_the_finding(tmp_path: Path) -> None:
    """edx-proctoring and edx-enterprise plug into the LMS too (lms.djangoapp) and were judged
    true: their learner-facing endpoints are theirs to measure."""
    assert "no-benchmarks" in _plugin_rules(tmp_path, "")


_PAYMENT_URLS = """
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def process_data(request, token):
    payment = get_object_or_404(Payment, token=token)
    return provider_factory(payment.variant).process_data(payment, request)


{decorator}
def static_callback(request, variant):
    return JsonResponse({"variant": variant})


urlpatterns = [
    path("process/<str:token>/", process_data),
    path("process/<str:variant>/", static_callback),
]
"""


def _payment_rules(tmp_path: Path, decorator: str) -> set[tuple[str, int]]:
    files = {
        "payments/__init__.py": "",
        "payments/urls.py": _PAYMENT_URLS.replace("{decorator}", decorator),
        "Dockerfile": "FROM python:3.12\n",  # a shop deployed with it (round 58)
    }
    return web_findings(tmp_path, files, "no-benchmarks")


def test_a_library_whose_routes_are_all_callbacks_asks_no_load_test(tmp_path: Path) -> None:
    assert _payment_rules(tmp_path, "@csrf_exempt") == set()


def test_one_route_a_user_calls_keeps_the_finding(tmp_path: Path) -> None:
    assert _payment_rules(tmp_path, "") == {("payments/urls.py", 1)}


_CLEAR = """
from fastapi import Depends, FastAPI

app = FastAPI()


@app.{method}("/v1/clear/results")
async def clear_results(auth=Depends(require_auth), orchestrator=Depends(get_orchestrator)):
    await orchestrator.clear_results(older_than=3600)
    return {"status": "ok"}


@app.get("/v1/results/{task_id}")
async def task_result(task_id: str, auth=Depends(require_auth)):
    results = {}
    results.clear()
    return await orchestrator.task_result(task_id)
"""


def _clearing(tmp_path: Path, method: str) -> set[tuple[str, int]]:
    return web_findings(
        tmp_path, {"app.py": _CLEAR.replace("{method}", method)}, "state-changing-get"
    )


def test_a_get_route_that_clears_stored_results_is_reported(tmp_path: Path) -> None:
    """docling-serve's GET /v1/clear/results; the read beside it, which clears only a dict of
    its own, is not."""
    assert _clearing(tmp_path, "get") == {("app.py", 8)}


def test_the_same_clearing_behind_delete_is_not_reported(tmp_path: Path) -> None:
    assert _clearing(tmp_path, "delete") == set()


_DJANGO_VIEWS = """
import os

from django.contrib.auth import logout
from django.http import JsonResponse
from django.views import View


class ExportView(View):
    def get(self, request, pk):
        export = Export.objects.get(pk=pk)
        os.remove(export.path)
        return JsonResponse({"removed": pk})

    def post(self, request, pk):
        Export.objects.filter(pk=pk).delete()
        return JsonResponse({})


class CartView(View):
    def get(self, request):
        request.session.clear()
        return JsonResponse({})

    def post(self, request):
        Cart.objects.filter(user=request.user).delete()
        return JsonResponse({})


class LogoutView(View):
    def get(self, request):
        Token.objects.filter(user=request.user).delete()
        logout(request)
        return JsonResponse({})
"""

_DJANGO_URLS = """
from django.urls import path

from shop import views

urlpatterns = [
    path("exports/<int:pk>/", views.ExportView.as_view()),
    path("cart/", views.CartView.as_view()),
    path("logout/", views.LogoutView.as_view()),
]
"""


def test_a_class_views_get_is_read_alone(tmp_path: Path) -> None:
    """The export view's GET removes the file (reported); the cart's GET clears only the
    caller's session and its delete is the POST's; a logout link is a GET by necessity."""
    files = {
        "shop/__init__.py": "",
        "shop/views.py": _DJANGO_VIEWS,
        "shop/urls.py": _DJANGO_URLS,
    }
    assert web_findings(tmp_path, files, "state-changing-get") == {("shop/views.py", 11)}


_FLASK = """
from flask import Flask, request

app = Flask(__name__)


@app.route("/items/<int:item_id>", methods=["GET", "POST"])
def item(item_id):
    if request.method == "POST":
        db.session.delete(Item.query.get(item_id))
        db.session.commit()
    return {"id": item_id}


@app.route("/cache/purge")
def purge():
    db.session.execute("DELETE FROM cache_entries")
    return {"purged": True}


@app.route("/items/<int:item_id>/seen")
def seen(item_id):
    item = Item.query.get(item_id)
    item.views += 1
    db.session.commit()
    return {"views": item.views}
"""


def test_a_route_that_also_answers_post_or_only_counts_a_visit_is_not_reported(
    tmp_path: Path,
) -> None:
    """Only the GET-only purge, which empties a table, is reported: the item view branches on
    the method, and a visit counter is a write by design whose repeat costs one more row."""
    assert web_findings(tmp_path, {"app.py": _FLASK}, "state-changing-get") == {("app.py", 16)}


_OWN_THINGS = """
import os
import tempfile

from fastapi import FastAPI, WebSocket

app = FastAPI()


@app.get("/nav/typeahead/")
def typeahead(q: str):
    results = [o for o in Organiser.search(q)]
    results.remove(current_organiser())
    return results


@app.get("/export.mbox")
def export_mbox():
    fd, path = tempfile.mkstemp(suffix=".mbox")
    os.close(fd)
    data = write_mbox(path)
    os.remove(path)
    return data


@app.websocket("/v1/ws")
async def events(websocket: WebSocket):
    await serve(websocket)
    ledger.events.remove_client(websocket)


@app.get("/opds/hot")
def feed_hot():
    entries = []
    for row in Downloads.most_read():
        book = Books.get(row.book_id)
        if book:
            entries.append(book)
        else:
            Downloads.delete(row.book_id)
    return entries


@app.get("/gpu-metrics")
def gpu_metrics():
    annotations.clear_request_level_cache()
    return collect()


@app.get("/connections/{pk}/drop/")
def drop(pk: int):
    conn = Connection.get(pk)
    conn.delete()
    return {"dropped": pk}
"""


def test_what_a_handler_made_for_itself_is_its_own_to_remove(tmp_path: Path) -> None:
    """A list the handler built, a temporary file it made and a websocket's own client are
    not the service's state, a feed that drops the rows of a book that is gone repairs them on
    the way, a per-request cache is recomputed; a stored connection, deleted on every GET, is
    reported (a local copy the code downloads again is not: tests/test_web_round41.py)."""
    assert web_findings(tmp_path, {"app.py": _OWN_THINGS}, "state-changing-get") == {("app.py", 52)}
