"""Web round 43: precision on fresh39's false findings. A performance folder of the test suite
however deep is a load test (pulp-ansible's `tests/performance/`); a session handed in by
callers is timed when the repository builds its sessions with a timeout-setting adapter
(quetz's `get_remote_session()`); an async method only the tests call blocks no request
(quetz's `RQManager.wait()`)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_PLUGIN = {
    "setup.py": "from setuptools import setup\n\nsetup(name='plugin')\n",
    "plugin/__init__.py": "",
    "plugin/app/__init__.py": "",
    "plugin/app/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.http import JsonResponse

        from plugin.app.models import Collection


        @login_required
        def collections(request):
            return JsonResponse({"names": [c.name for c in Collection.objects.all()]})
        """,
    "plugin/app/urls.py": """
        from django.urls import path

        from plugin.app import views

        urlpatterns = [path("collections/", views.collections)]
        """,
    "plugin/tests/__init__.py": "",
    "plugin/tests/performance/__init__.py": "",
}
_PROMOTE = '''
"""Promote one collection across N repositories and time it."""
import time


def main(count=1000):
    started = time.monotonic()
    for n in range(count):
        print(n)
    print(time.monotonic() - started)
'''


def _benchmarks(folder: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    """(path, line) of the no-benchmarks findings on the package `plugin/app` of a project."""
    write_app(folder, files)
    found = audit_path(folder / "plugin" / "app", roles=["performance_engineer"])
    return {(f.path, f.line) for f in found if f.rule == "no-benchmarks"}


def test_a_performance_folder_of_the_test_suite_is_a_load_test(tmp_path: Path) -> None:
    """pulp-ansible's `pulp_ansible/tests/performance/` (create 50,000 repositories, promote a
    collection across N of them) sits three levels under the project: it measures the app."""
    files = {**_PLUGIN, "plugin/tests/performance/promote.py": _PROMOTE}
    assert _benchmarks(tmp_path, files) == set()


def test_an_empty_performance_folder_still_asks_for_one(tmp_path: Path) -> None:
    """galaxy-ng's `tests/performance/` holds only `__init__.py` (judged true): nothing in it
    measures anything. (galaxy-ng serves its API through Django REST framework.)"""
    api = {"plugin/app/api.py": "from rest_framework.views import APIView\n"}
    assert _benchmarks(tmp_path, {**_PLUGIN, **api}) == {("urls.py", 1)}


_DEPS = """
import requests
from requests.adapters import HTTPAdapter


class TimeoutHTTPAdapter(HTTPAdapter):
    def __init__(self, *args, timeout=5, **kwargs):
        self.timeout = timeout
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def get_remote_session():
    session = requests.Session()
    session.mount("https://", {adapter}(max_retries=3))
    return session
"""
_MIRROR = """
import requests

from mirror_app.deps import get_remote_session


class RemoteFile:
    def __init__(self, url, session=None):
        if session is None:
            session = requests.Session()
        self.response = session.get(url, stream=True)


def fetch(url):
    return RemoteFile(url, get_remote_session()).response
"""


def _mirror(adapter: str) -> dict[str, str]:
    return {
        "mirror_app/__init__.py": "",
        "mirror_app/deps.py": _DEPS.replace("{adapter}", adapter),
        "mirror_app/mirror.py": _MIRROR,
    }


def test_a_session_handed_in_where_sessions_mount_a_timeout_adapter_is_timed(
    tmp_path: Path,
) -> None:
    """quetz's RemoteFile(session=None): every caller hands it `get_remote_session()`, whose
    TimeoutHTTPAdapter sets 5 s whenever a call passes none."""
    found = web_findings(tmp_path, _mirror("TimeoutHTTPAdapter"), "http-no-timeout")
    assert found == set()


def test_a_session_handed_in_where_only_retry_adapters_are_mounted_stays_reported(
    tmp_path: Path,
) -> None:
    """A retry adapter bounds no answer: the sessions the repository builds have no timeout,
    so the one handed in has none either."""
    found = web_findings(tmp_path, _mirror("HTTPAdapter"), "http-no-timeout")
    assert found == {("mirror_app/mirror.py", 10)}


_WORKERS = """
import time


class RQManager:
    def __init__(self, queue):
        self.queue = queue

    def execute(self, func):
        self.job = self.queue.enqueue(func)

    # declared async only so that the test suite can await it
    async def wait(self):
        while not self.job.is_finished:
            time.sleep(1)
        return self.job.result
"""
_TEST_WORKERS = """
from jobs_app.workers import RQManager


async def test_wait(queue):
    manager = RQManager(queue)
    manager.execute(print)
    assert await manager.wait() is None
"""


def _workers(app_code: str) -> dict[str, str]:
    return {
        "jobs_app/__init__.py": "",
        "jobs_app/workers.py": _WORKERS,
        "jobs_app/api.py": app_code,
        "jobs_app/tests/__init__.py": "",
        "jobs_app/tests/test_workers.py": _TEST_WORKERS,
    }


def test_an_async_method_only_the_tests_call_blocks_no_request(tmp_path: Path) -> None:
    """quetz's RQManager.wait() sleeps in an async method that only `tests/` awaits."""
    api = "from jobs_app.workers import RQManager\n\nmanager = RQManager(None)\n"
    assert web_findings(tmp_path, _workers(api), "blocking-io-in-async") == set()


def test_an_async_method_the_app_awaits_too_stays_reported(tmp_path: Path) -> None:
    """Once a module of the app awaits it, the sleep stalls the loop that serves requests."""
    api = """
        from jobs_app.workers import RQManager


        async def run(queue):
            manager = RQManager(queue)
            manager.execute(print)
            return await manager.wait()
        """
    found = web_findings(tmp_path, _workers(api), "blocking-io-in-async")
    assert found == {("jobs_app/workers.py", 14)}


_TAGS = """
from django.db import IntegrityError

from tags_app.models import Tag


def save_tags(photo, tags):
    for tag in tags:
        try:
            tag_obj = Tag.objects.create(slug=tag["slug"], name=tag["name"])
        except IntegrityError:
            {fallback}
        photo.tags.add(tag_obj)
"""


def _tags(fallback: str) -> dict[str, str]:
    return {
        "tags_app/__init__.py": "",
        "tags_app/models.py": "from django.db import models\n\n\nclass Tag(models.Model):\n    pass\n",
        "tags_app/savers.py": _TAGS.replace("{fallback}", fallback),
    }


def test_a_query_in_the_except_block_of_a_pass_is_no_n_plus_one(tmp_path: Path) -> None:
    """django-ditto's tag saver reads the clashing tag only when the insert failed (`except
    IntegrityError`): the query runs for the passes whose try failed, not on every pass."""
    found = web_findings(
        tmp_path, _tags('tag_obj = Tag.objects.get(name=tag["name"])'), "n-plus-one-query"
    )
    assert found == set()


def test_a_query_the_pass_runs_after_its_try_stays_reported(tmp_path: Path) -> None:
    """The same read outside the except block runs on every pass."""
    files = _tags("raise")
    files["tags_app/savers.py"] = files["tags_app/savers.py"].replace(
        "        photo.tags.add(tag_obj)",
        '        tag_obj = Tag.objects.get(name=tag["name"])\n        photo.tags.add(tag_obj)',
    )
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("tags_app/savers.py", 12)}


_PROFILE = """
from users_app.models import Email


def {name}(db, user, {param}):
    for e in {param}["emails"]:
        found = db.query(Email).filter(Email.email == e["email"]).one_or_none()
        if found is None:
            db.add(Email(user_id=user.id, email=e["email"]))
"""


def _profile(name: str, param: str) -> dict[str, str]:
    code = _PROFILE.replace("{name}", name).replace("{param}", param)
    return {
        "users_app/__init__.py": "",
        "users_app/models.py": "class Email:\n    pass\n",
        "users_app/auth_dao.py": code,
    }


def test_a_user_updated_from_the_identity_providers_profile_is_one_account(
    tmp_path: Path,
) -> None:
    """quetz's update_user_from_profile() looks up each verified e-mail of the profile GitHub
    or GitLab sent at login: one user's few addresses."""
    files = _profile("update_user_from_profile", "profile")
    assert web_findings(tmp_path, files, "n-plus-one-query") == set()


def test_users_updated_from_an_import_stay_reported(tmp_path: Path) -> None:
    """A batch of users read from an export is rows, not one login's profile."""
    files = _profile("update_users_from_export", "export")
    assert web_findings(tmp_path, files, "n-plus-one-query") == {("users_app/auth_dao.py", 6)}
