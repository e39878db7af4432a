"""Web round 41: state-changing-get. A blueprint that exists for tests or development (lute's dev
API, registered only for a test database and refusing every call otherwise) serves no production
route; a production blueprint's destructive GET stays reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_DEV_ROUTES = """
from flask import Blueprint, current_app

from .db import db

bp = Blueprint("dev_api", __name__, url_prefix="/dev_api")
{hook}

@bp.route("/wipe_db", methods=["GET"])
def wipe_db():
    db.session.execute("DELETE FROM words")
    return "wiped"
"""
_GUARD = """
@bp.before_request
def _ensure_is_test_db():
    if not current_app.config["IS_TEST_DB"]:
        raise RuntimeError("only on a test database")
"""
_FACTORY = """
from flask import Flask

from shop.dev_api.routes import bp as dev_api_bp
from shop.books.routes import bp as books_bp


def create_app(config):
    app = Flask(__name__)
    app.register_blueprint(books_bp)
    {register}
    return app
"""
_BOOKS = """
from flask import Blueprint

from ..db import db

bp = Blueprint("books", __name__, url_prefix="/books")


@bp.route("/purge", methods=["GET"])
def purge():
    db.session.execute("DELETE FROM books")
    return "purged"
"""


def _app(hook: str, register: str) -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/db.py": "db = None\n",
        "shop/dev_api/__init__.py": "",
        "shop/dev_api/routes.py": _DEV_ROUTES.replace("{hook}", hook),
        "shop/books/__init__.py": "",
        "shop/books/routes.py": _BOOKS,
        "shop/app_factory.py": _FACTORY.replace("{register}", register),
    }


def test_a_blueprint_registered_only_for_a_test_database_is_not_reported(tmp_path: Path) -> None:
    """Registered under `if config.is_test_db:`, the dev API's wipe is what acceptance tests
    drive by URL; the books blueprint, registered always, keeps its purge reported."""
    register = "if config.is_test_db:\n        app.register_blueprint(dev_api_bp)"
    assert web_findings(tmp_path, _app("", register), "state-changing-get") == {
        ("shop/books/routes.py", 10)
    }


def test_a_blueprint_whose_before_request_refuses_outside_tests_is_not_reported(
    tmp_path: Path,
) -> None:
    """Registered always but refusing every call unless the database is a test one: no
    production route either."""
    register = "app.register_blueprint(dev_api_bp)"
    assert web_findings(tmp_path, _app(_GUARD, register), "state-changing-get") == {
        ("shop/books/routes.py", 10)
    }


def test_a_blueprint_registered_outside_debug_or_unguarded_stays_reported(
    tmp_path: Path,
) -> None:
    """`if not app.debug:` registers it in production, and a hook that refuses only in debug
    guards nothing in production: both wipes stay reported."""
    register = "if not app.debug:\n        app.register_blueprint(dev_api_bp)"
    inverted = _GUARD.replace("if not current_app", "if current_app")
    assert web_findings(tmp_path, _app(inverted, register), "state-changing-get") == {
        ("shop/books/routes.py", 10),
        ("shop/dev_api/routes.py", 15),
    }


_HOUSEKEEPING = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/terms")
def terms(repo: TermRepository):
    repo.delete_empty_images()
    return repo.all()


@app.get("/connections/{pk}/refresh")
def refresh(pk: int, conn: Connection):
    conn.delete_local_sqlite()
    return {"refreshed": pk}


@app.get("/v1/clear/converters")
async def clear_converters(orchestrator: Orchestrator):
    await orchestrator.clear_converters()
    return {"status": "ok"}


@app.get("/tags")
def tags(db: Session):
    db.execute("DELETE FROM tags WHERE trim(name) = ''")
    return db.query(Tag).all()


@app.get("/v1/clear/results")
async def clear_results(orchestrator: Orchestrator):
    await orchestrator.clear_results(older_than=3600)
    return {"status": "ok"}


@app.get("/images/purge")
def purge_images(repo: TermRepository):
    repo.delete_images()
    return {"status": "ok"}


@app.get("/tags/purge")
def purge_tags(db: Session):
    db.execute("DELETE FROM tags WHERE owner_id = :me")
    return {"status": "ok"}
"""


def test_housekeeping_and_rebuilt_copies_are_not_reported_stored_results_are(
    tmp_path: Path,
) -> None:
    """Deleting garbage rows (empty images, blank tag names), a local copy or loaded converters
    loses nothing a user stored; clearing stored results, every image or a user's tags does."""
    found = web_findings(tmp_path, {"app.py": _HOUSEKEEPING}, "state-changing-get")
    assert found == {("app.py", 32), ("app.py", 38), ("app.py", 44)}


_DJANGO_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("outbox/purge", views.OutboxPurge.as_view()),
    path("outbox/<int:pk>/discard", views.Discard.as_view()),
    path("outbox/<int:pk>/delete", views.PostOnly.as_view()),
]
"""
_DJANGO_VIEWS = """
from django.shortcuts import redirect
from django.views import View

from .models import EMail


class OutboxPurge(View):
    def dispatch(self, request, *args, **kwargs):
        EMail.objects.filter(sent__isnull=True).delete()
        return redirect("/outbox")


class Discard(View):
    def dispatch(self, request, *args, **kwargs):
        self.mail = EMail.objects.get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        self.mail.delete()
        return redirect("/outbox")


class PostOnly(View):
    def post(self, request, pk):
        EMail.objects.filter(pk=pk).delete()
        return redirect("/outbox")
"""

_OFFICE = {
    "office/__init__.py": "",
    "office/urls.py": _DJANGO_URLS,
    "office/views.py": _DJANGO_VIEWS,
}


def test_a_class_view_whose_dispatch_deletes_answers_a_get_with_the_delete(
    tmp_path: Path,
) -> None:
    """byro's outbox purge does its work in `dispatch`, so a GET empties the outbox; a view
    whose dispatch hands on to `super().dispatch` and deletes in `post`, or that answers only
    POST, is not reported."""
    assert web_findings(tmp_path, _OFFICE, "state-changing-get") == {("office/views.py", 9)}


_DELETE_LINKS = """
from flask import Flask, flash, redirect

app = Flask(__name__)


@app.route("/read/delete_page/<int:bookid>/<int:pagenum>", methods=["GET"])
def delete_page(bookid, pagenum):
    book = Book.query.get(bookid)
    if len(book.texts) == 1:
        flash("Cannot delete the only page of a book.")
    else:
        book.remove_page(pagenum)
        db.session.commit()
    return redirect(f"/read/{bookid}")


@app.route("/books/<int:bookid>", methods=["GET"])
def book(bookid):
    found = Book.query.get(bookid)
    if found.language is None:
        found.delete()
    return render(found)


@app.route("/remove_demo_flag", methods=["GET"])
def remove_demo():
    if demo.contains_demo_data():
        demo.remove_flag()
    return redirect("/")
"""


def test_a_get_named_for_deleting_the_item_its_path_names_is_reported_under_an_if(
    tmp_path: Path,
) -> None:
    """lute's delete_page refuses the last page and deletes any other: a link that deletes what
    its path names. A book page that drops a row left without its language, and an action
    without a parameter done once when a state holds, keep their conditional calls unread."""
    found = web_findings(tmp_path, {"app.py": _DELETE_LINKS}, "state-changing-get")
    assert found == {("app.py", 12)}
