"""Web round 61 (issue 13): false alarms judged on fresh47 and fresh48 whose reason generalises.

- django-pyas2's `ReceiveAs2Message` is an AS2 server's receiving endpoint (RFC 4130): partners
  post signed and encrypted messages with no login of the site, and pyas2lib's `parse` finds the
  partner and verifies the message's signature; endpoint-no-auth on it was false
  (`protocol_paths.py`).
- django-getpaid's dummy callback resolves `swapper.load_model("getpaid", "Payment")`, a lookup
  in Django's app registry, not a model loaded from disk; resource-loaded-per-request was false.
- sovereign's `tracing.Tracer` posts spans with no timeout, but nothing imports the module or
  names the class; http-no-timeout on it was false (`uncalled.unused_class`).

Each has a twin that is still reported: a receiving view that parses nothing, a model loaded
from a file, the tracer's class made by the app.
"""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_AS2_VIEWS = """
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
{imports}
from exchange.models import Message, Partner


def find_partner(partner_id):
    partner = Partner.objects.filter(as2_name=partner_id).first()
    return partner.as2partner if partner else None


@method_decorator(csrf_exempt, name="dispatch")
class ReceiveMessage(View):
    def post(self, request, *args, **kwargs):
        {receive}
        Message.objects.create(payload=request.body)
        return HttpResponse("ok")


@login_required
def send(request):
    Message.objects.create(payload=request.POST["payload"])
    return HttpResponse("sent")
"""

_AS2_URLS = """
from django.urls import path

from exchange import views

urlpatterns = [
    path("as2receive", views.ReceiveMessage.as_view()),
    path("as2send", views.send),
]
"""

_PARSED = (
    "message = As2Message()\n        status, exc, mdn = message.parse(request.body, find_partner)"
)


def _exchange(imports: str, receive: str) -> dict[str, str]:
    views = _AS2_VIEWS.replace("{imports}", imports).replace("{receive}", receive)
    return {
        "exchange/__init__.py": "",
        "exchange/models.py": "from django.db import models\n\n\nclass Message(models.Model):\n"
        "    payload = models.TextField()\n\n\nclass Partner(models.Model):\n"
        "    as2_name = models.CharField(max_length=100)\n",
        "exchange/urls.py": _AS2_URLS,
        "exchange/views.py": views,
    }


def test_an_as2_receiver_that_parses_the_message_with_pyas2lib_is_not_asked_for_auth(
    tmp_path: Path,
) -> None:
    files = _exchange("from pyas2lib import Message as As2Message", _PARSED)
    assert web_findings(tmp_path / "as2", files, "endpoint-no-auth") == set()


def test_a_receiver_that_authenticates_no_message_is_reported(tmp_path: Path) -> None:
    plain = _exchange("", "status = 'received'")
    assert web_findings(tmp_path / "plain", plain, "endpoint-no-auth") == {
        ("exchange/views.py", 16)
    }
    imported_only = _exchange("from pyas2lib import Message as As2Message", "status = 'received'")
    assert web_findings(tmp_path / "imported", imported_only, "endpoint-no-auth") == {
        ("exchange/views.py", 16)
    }


_CALLBACK = """
from fastapi import FastAPI
{imports}

app = FastAPI()


@app.post("/callback/{pk}")
def callback(pk: int, status: str):
    Model = {load}
    return {"model": str(Model), "pk": pk, "status": status}
"""


def _callback(imports: str, load: str) -> dict[str, str]:
    return {
        "pay/__init__.py": "",
        "pay/app.py": _CALLBACK.replace("{imports}", imports).replace("{load}", load),
    }


def test_a_swappable_model_looked_up_per_request_is_not_a_loaded_resource(tmp_path: Path) -> None:
    rule = "resource-loaded-per-request"
    swapper = _callback("import swapper", "swapper.load_model('pay', 'Payment')")
    assert web_findings(tmp_path / "swapper", swapper, rule) == set()
    by_name = _callback("from swapper import load_model", "load_model('pay', 'Payment')")
    assert web_findings(tmp_path / "by_name", by_name, rule) == set()


def test_a_model_loaded_from_a_file_per_request_is_still_reported(tmp_path: Path) -> None:
    rule = "resource-loaded-per-request"
    keras = _callback("from keras.models import load_model", "load_model('model.h5')")
    assert web_findings(tmp_path / "keras", keras, rule) == {("pay/app.py", 9)}


_TRACING = """
import requests

from svc import settings

if settings.TRACING:

    class Tracer:
        def __init__(self, name):
            self.name = name

        def submit(self, span):
            requests.post(settings.COLLECTOR, json=span)
"""

_APP = """
from fastapi import FastAPI

from svc import settings
{imports}

application = FastAPI()


@application.get("/config")
def config(user: str):
    {body}
    return {"collector": settings.COLLECTOR, "user": user}
"""


def _service(imports: str = "", body: str = "pass") -> dict[str, str]:
    return {
        "svc/__init__.py": "",
        "svc/settings.py": "TRACING = True\nCOLLECTOR = 'http://collector/api/spans'\n",
        "svc/tracing.py": _TRACING,
        "svc/app.py": _APP.replace("{imports}", imports).replace("{body}", body),
    }


def test_an_http_call_in_a_class_nothing_makes_cannot_hang_a_caller(tmp_path: Path) -> None:
    assert web_findings(tmp_path / "dead", _service(), "http-no-timeout") == set()


def test_the_same_class_made_by_the_app_is_reported(tmp_path: Path) -> None:
    used = _service("from svc.tracing import Tracer", "Tracer('config').submit({'user': user})")
    assert web_findings(tmp_path / "used", used, "http-no-timeout") == {("svc/tracing.py", 12)}
