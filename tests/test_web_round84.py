"""Web round 82 (issue 13): endpoint-no-auth false alarms on spent corpora, removed.
A handler that checks the caller's credential in its own body before it works: an `if` that
calls a function of its module which reads the `Authorization` header and compares the bearer
token with the configured key by `hmac.compare_digest`, and returns 401 when it fails
(xinference's token router, `POST /v1/chat/completions`, judged false; `header_checks.py`).
A header read only to log it, a check made after the work, and a comparison with another value
of the request itself stay reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_APP = """
    import hmac
    import logging

    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse

    app = FastAPI()
    log = logging.getLogger(__name__)


    def _authorized(request: Request) -> bool:
        value = request.headers.get("authorization", "")
        return hmac.compare_digest(value.removeprefix("Bearer "), config.api_key)


    @app.post("/v1/jobs")
    async def create_job(request: Request) -> JSONResponse:
        if not _authorized(request):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        payload = await request.json()
        job = store.create(payload)
        return JSONResponse({"id": job.id})
    """
_HANDLER = 17  # `async def create_job`


def _found(tmp_path: Path, app: str) -> set[tuple[str, int]]:
    return web_findings(tmp_path, {"app.py": app}, "endpoint-no-auth")


def test_a_handler_that_checks_the_bearer_token_first_is_not_reported(tmp_path: Path) -> None:
    assert _found(tmp_path, _APP) == set()


def test_a_header_read_only_to_log_it_is_reported(tmp_path: Path) -> None:
    app = _APP.replace(
        'return hmac.compare_digest(value.removeprefix("Bearer "), config.api_key)',
        'log.info("caller %s", value)\n        return True',
    )
    assert ("app.py", _HANDLER + 1) in _found(tmp_path, app)


def test_a_check_after_the_work_is_reported(tmp_path: Path) -> None:
    app = _APP.replace(
        "        if not _authorized(request):\n"
        '            return JSONResponse({"error": "unauthorized"}, status_code=401)\n'
        "        payload = await request.json()\n"
        "        job = store.create(payload)\n",
        "        payload = await request.json()\n"
        "        job = store.create(payload)\n"
        "        if not _authorized(request):\n"
        '            return JSONResponse({"error": "unauthorized"}, status_code=401)\n',
    )
    assert ("app.py", _HANDLER) in _found(tmp_path, app)


def test_a_comparison_with_a_value_of_the_request_is_reported(tmp_path: Path) -> None:
    app = _APP.replace("config.api_key", 'request.query_params.get("key", "")')
    assert ("app.py", _HANDLER) in _found(tmp_path, app)
