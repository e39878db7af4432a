"""Web review round 37: no-benchmarks stays quiet on an XBlock (a course component the Open edX
LMS serves, lti-consumer-xblock) and on a library whose only routes are callbacks other services
post to (django-payments' two `@csrf_exempt` views)."""

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
    }
    return web_findings(tmp_path, files, "no-benchmarks")


def test_a_library_whose_routes_are_all_callbacks_asks_no_load_test(tmp_path: Path) -> None:
    assert _payment_rules(tmp_path, "@csrf_exempt") == set()


def test_one_route_a_user_calls_keeps_the_finding(tmp_path: Path) -> None:
    assert _payment_rules(tmp_path, "") == {("payments/urls.py", 1)}
