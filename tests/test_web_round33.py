"""Web review round 33: blocking database calls in async handlers through peewee, the app's own
query functions (in the package's repositories or models, often beside the reviewed folder)
called on the event loop, each with a small app that must be reported and ones that must stay
silent."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path

_PROJECT = {
    "shop/__init__.py": "",
    "shop/models.py": """
        import peewee

        db = peewee.SqliteDatabase("shop.db")


        class Tab(peewee.Model):
            module = peewee.CharField()

            class Meta:
                database = db


        def tab_by_id(id):
            return Tab.get_or_none(Tab.id == id)
        """,
    "shop/repositories/__init__.py": "",
    "shop/repositories/tabs.py": """
        from shop.models import Tab


        def tab_ids(module):
            return [t.id for t in Tab.select().where(Tab.module == module)]


        def label(module):
            return module.title()
        """,
    "shop/api/__init__.py": "",
}

_HEAD = """
from fastapi import APIRouter
from shop.repositories import tabs
from shop.models import tab_by_id

router = APIRouter()
"""


def _found(tmp_path: Path, handlers: str) -> set[tuple[str, int]]:
    """blocking-io-in-async findings on the `shop/api` folder of a small peewee project."""
    write_app(tmp_path, _PROJECT)
    api = {"routes.py": _HEAD + handlers}
    return web_findings(tmp_path / "shop" / "api", api, "blocking-io-in-async")


def test_a_repository_function_running_a_peewee_query_in_an_async_handler_is_reported(
    tmp_path: Path,
) -> None:
    handlers = """

@router.get("/tabs/{module}")
async def list_tabs(module: str):
    return {"ids": tabs.tab_ids(module)}
"""
    assert _found(tmp_path, handlers) == {("routes.py", 10)}


def test_a_model_module_function_imported_by_name_is_reported(tmp_path: Path) -> None:
    handlers = """

@router.get("/tab/{id}")
async def get_tab(id: int):
    tab = tab_by_id(id)
    return {"module": tab.module}
"""
    assert _found(tmp_path, handlers) == {("routes.py", 10)}


def test_plain_handlers_and_queries_handed_to_a_thread_are_left_alone(tmp_path: Path) -> None:
    handlers = """
import asyncio
from starlette.concurrency import run_in_threadpool


@router.get("/tabs/{module}")
def list_tabs(module: str):
    return {"ids": tabs.tab_ids(module)}


@router.get("/tab/{id}")
async def get_tab(id: int):
    tab = await run_in_threadpool(tab_by_id, id)
    ids = await asyncio.to_thread(lambda: tabs.tab_ids(tab.module))
    return {"module": tab.module, "ids": ids}
"""
    assert _found(tmp_path, handlers) == set()


def test_a_helper_that_runs_no_query_is_left_alone(tmp_path: Path) -> None:
    handlers = """

@router.get("/label/{module}")
async def get_label(module: str):
    return {"label": tabs.label(module)}
"""
    assert _found(tmp_path, handlers) == set()


def test_async_handlers_of_one_folder_are_reported_once(tmp_path: Path) -> None:
    handlers = """

@router.get("/tabs/{module}")
async def list_tabs(module: str):
    return {"ids": tabs.tab_ids(module)}


@router.get("/tab/{id}")
async def get_tab(id: int):
    return {"module": tab_by_id(id).module}
"""
    assert _found(tmp_path, handlers) == {("routes.py", 10)}


_ROUTES = """
from flask import Flask

app = Flask(__name__)


@app.get("/v1/playbooks")
def list_playbooks():
    return []
"""


def test_a_benchmark_playbook_deep_in_the_projects_tests_is_a_load_test(tmp_path: Path) -> None:
    """Reviewing `ara/api` of a project that ships `tests/integration/benchmark.yaml` (an
    Ansible playbook recording thousands of tasks against the API); a plain integration
    playbook there is no load test."""
    for project, name in (("with", "benchmark.yaml"), ("without", "smoke.yaml")):
        write_app(
            tmp_path / project,
            {
                "setup.cfg": "[metadata]\nname = ara\n",
                "ara/__init__.py": "",
                "ara/api/__init__.py": "",
                "ara/api/views.py": _ROUTES,
                f"tests/integration/{name}": "- hosts: localhost\n  tasks: []\n",
            },
        )
    rules = {
        project: {
            f.rule
            for f in audit_path(tmp_path / project / "ara" / "api", roles=["performance_engineer"])
        }
        for project in ("with", "without")
    }
    assert ("no-benchmarks" in rules["with"], "no-benchmarks" in rules["without"]) == (False, True)


_SIGN_IN = """
from flask import Blueprint, redirect, render_template
from flask_login import login_required

blueprint = Blueprint("oauthclient", __name__, url_prefix="/oauth")


@blueprint.route("/login/<remote_app>/")
def login(remote_app):
    return redirect(f"https://provider.example/authorize?app={remote_app}")


@blueprint.route("/authorized/<remote_app>/")
@login_required
def authorized(remote_app):
    return redirect("/")


@blueprint.route("/disconnect/<remote_app>/")
@login_required
def disconnect(remote_app):
    return redirect("/account/settings/linkedaccounts/")


@blueprint.route("/settings/", methods=["GET", "POST"])
@login_required
def settings():
    return render_template("linkedaccounts.html")
"""

_ACCOUNTS_API = """

@blueprint.route("/accounts/")
@login_required
def accounts():
    return jsonify([])
"""


def test_an_oauth_sign_in_flow_has_no_api_to_version(tmp_path: Path) -> None:
    """The redirect URIs registered at each provider (`/oauth/authorized/<app>/`) and a
    settings page: a version segment would only break the callbacks."""
    found = web_findings(tmp_path, {"views.py": _SIGN_IN}, "api-unversioned")
    assert found == set()


def test_a_sign_in_app_that_also_answers_data_is_still_an_api(tmp_path: Path) -> None:
    views = _SIGN_IN.replace("render_template\n", "render_template, jsonify\n") + _ACCOUNTS_API
    found = web_findings(tmp_path, {"views.py": views}, "api-unversioned")
    assert {path for path, _ in found} == {"views.py"}
