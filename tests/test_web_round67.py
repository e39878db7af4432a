"""Web round 65 (issue 13): two of fresh49's false alarms. django-two-factor-auth's DisableView
applies `otp_required` to the parent's dispatch inside its own `dispatch` (so that a subclass can
change the redirect), which is a guard as much as the decorator form (`web_django.py`); and
llama-deploy's proxy to its deployments' UI builds `httpx.AsyncClient(timeout=None)` on purpose,
streaming both ways to a server it started on localhost (`local_streams.py`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_URLS = """
from django.urls import path

from .views import DisableView

urlpatterns = [path("account/two_factor/disable/", DisableView.as_view())]
"""

_VIEWS = """
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import devices_for_user
from django_otp.decorators import otp_required


class DisableView(FormView):
    template_name = "disable.html"
    success_url = "/"

    def dispatch(self, *args, **kwargs):
        fn = {wrapper}(super().dispatch, {options})
        return fn(*args, **kwargs)

    def form_valid(self, form):
        for device in devices_for_user(self.request.user):
            device.delete()
        return redirect(self.success_url)
"""


def _view(folder: Path, wrapper: str, options: str = "") -> set[tuple[str, int]]:
    views = _VIEWS.format(wrapper=wrapper, options=options)
    files = {"__init__.py": "", "urls.py": _URLS, "views.py": views}
    return web_findings(folder, files, "endpoint-no-auth")


def test_a_dispatch_that_wraps_the_parents_in_a_guard_is_guarded(tmp_path: Path) -> None:
    otp = _view(tmp_path / "otp", "otp_required", "login_url=self.success_url")
    assert otp == set()
    assert _view(tmp_path / "login", "login_required") == set()


def test_a_dispatch_that_wraps_the_parents_in_no_guard_is_reported(tmp_path: Path) -> None:
    assert _view(tmp_path / "cache", "never_cache") == {("views.py", 8)}


_PROXY = """
import httpx
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/ui/{{path:path}}")
async def proxy(request: Request, path: str):
    upstream_url = f"{base}/ui/{{path}}"
    client = httpx.AsyncClient(timeout=None)
    req = client.build_request(request.method, upstream_url, content=request.stream())
    {send}
"""

_STREAMED = """upstream = await client.send(req, stream=True)
    return StreamingResponse(upstream.aiter_raw(), status_code=upstream.status_code)"""

_WHOLE = """upstream = await client.send(req)
    return upstream.json()"""


def _proxy(folder: Path, base: str, send: str) -> set[tuple[str, int]]:
    files = {"main.py": _PROXY.format(base=base, send=send)}
    return web_findings(folder, files, "http-no-timeout")


def test_a_streaming_proxy_to_a_local_service_may_wait_without_limit(tmp_path: Path) -> None:
    assert _proxy(tmp_path / "local", "http://localhost:{port}", _STREAMED) == set()
    assert _proxy(tmp_path / "loopback", "http://127.0.0.1:3000", _STREAMED) == set()


def test_no_timeout_to_a_remote_server_or_without_streaming_is_reported(tmp_path: Path) -> None:
    remote = _proxy(tmp_path / "remote", "https://ui.example.com", _STREAMED)
    assert remote == {("main.py", 11)}
    whole = _proxy(tmp_path / "whole", "http://localhost:3000", _WHOLE)
    assert whole == {("main.py", 11)}
