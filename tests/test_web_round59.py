"""Web round 59 (issue 13): fresh45's miss of robotoff's open write endpoints. Its Falcon API
routes resources with `api.add_route("/api/v1/products/dataset", UpdateDatasetResource())`,
each HTTP method answered by a responder (`on_post`), and the inventory read no Falcon app at
all (`falcon_resources.py`). Falcon authenticates in middleware, in hooks or in the responder;
where the review cannot tell which, nothing is reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_API = """
import falcon

from app.jobs import enqueue_job
{imports}


def parse_auth(req):
    header = req.get_header("Authorization")
    if header is not None and not header.startswith("Basic "):
        raise falcon.HTTPUnauthorized(title="Basic auth expected")
    return header


class LogoResource:
    def on_put(self, req, resp, logo_id):
        auth = parse_auth(req)
        if auth is None:
            raise falcon.HTTPForbidden(description="authentication is required")
        resp.media = {"logo": logo_id}


class AnnotateResource:
    def on_post(self, req, resp):
        auth = parse_auth(req)
        resp.media = {"trusted": auth is not None}

{hook}
class DatasetResource:
    def on_post(self, req, resp):
        enqueue_job("download_dataset", timeout="1h")
        resp.media = {"status": "scheduled"}


api = falcon.App(middleware=[{middleware}])
api.add_route("/api/v1/logos/{logo_id:int}", LogoResource())
api.add_route("/api/v1/annotate", AnnotateResource())
api.add_route("/api/v1/products/dataset", DatasetResource())
"""

_AUTH_MIDDLEWARE = """
import falcon


class TokenMiddleware:
    def process_request(self, req, resp):
        if req.get_header("X-Token") != "secret":
            raise falcon.HTTPUnauthorized()
"""


def _app(
    *, imports: str = "", hook: str = "", middleware: str = "falcon.CORSMiddleware()", **extra: str
) -> dict[str, str]:
    api = _API.replace("{imports}", imports).replace("{hook}", hook)
    return {
        "app/__init__.py": "",
        "app/jobs.py": "def enqueue_job(name, **kwargs):\n    return name\n",
        "app/api.py": api.replace("{middleware}", middleware),
        **extra,
    }


def test_an_open_falcon_write_is_reported(tmp_path: Path) -> None:
    """The dataset's POST schedules a job with no check, while the logos' PUT refuses an
    anonymous caller: reported once, at the responder (fails on main: no Falcon endpoint was
    read). The annotation, which reads the caller only to trust a signed one more, is open on
    purpose and not reported."""
    assert web_findings(tmp_path / "open", _app(), "endpoint-no-auth") == {("app/api.py", 29)}


def test_a_guard_the_review_reads_or_cannot_read_leaves_it_alone(tmp_path: Path) -> None:
    """No finding with a middleware of the repository that refuses the caller, a hook on the
    resource, a middleware from elsewhere the review does not know, or a paste pipeline that
    wraps the app outside Python."""
    twins = {
        "middleware": _app(
            imports="from app.auth import TokenMiddleware",
            middleware="TokenMiddleware()",
            **{"app/auth.py": _AUTH_MIDDLEWARE},
        ),
        "hook": _app(hook="\n@falcon.before(parse_auth)"),
        "unknown": _app(imports="from beaker import Gate", middleware="Gate()"),
        "paste": _app(**{"etc/api-paste.ini": "[pipeline:main]\npipeline = authtoken api\n"}),
    }
    for name, files in twins.items():
        assert web_findings(tmp_path / name, files, "endpoint-no-auth") == set(), name
