"""A route's prefix comes from the blueprint its decorator names where the route is written: two
blueprints built in one module (one under a prefix, one not) keep their own prefixes, also when
the routes are registered in a function whose parameter shares a name with the other one."""

from __future__ import annotations

from pathlib import Path

from helpers import write_app

from team.audit.repo import Repo
from team.audit.web import web_inventory

# invenio-github's shape: the settings blueprint is `blueprint`, the API one `blueprint_api`,
# and both register functions name their parameter `blueprint`
_VIEWS = """
from flask import Blueprint, jsonify, render_template


def create_ui_blueprint(app):
    blueprint = Blueprint("ui", __name__, url_prefix="/account/settings/github")
    register_ui_routes(blueprint)
    return blueprint


def create_api_blueprint(app):
    blueprint_api = Blueprint("api", __name__)
    register_api_routes(blueprint_api)
    return blueprint_api


def register_ui_routes(blueprint):
    @blueprint.route("/")
    def repositories():
        return render_template("repositories.html")


def register_api_routes(blueprint):
    @blueprint.route("/user/github/sync", methods=["POST"])
    def sync():
        return jsonify({})
"""

# the same local name in two factories, each with its own prefix and its routes inside
_FACTORIES = """
from flask import Blueprint, jsonify


def admin_blueprint():
    bp = Blueprint("admin", __name__, url_prefix="/admin")

    @bp.route("/users")
    def users():
        return jsonify([])

    return bp


def public_blueprint():
    bp = Blueprint("public", __name__)

    @bp.route("/about")
    def about():
        return jsonify({})

    return bp
"""

# one register function handed two blueprints serves its routes under both
_SHARED = """
from flask import Blueprint, jsonify

v1 = Blueprint("v1", __name__, url_prefix="/v1")
v2 = Blueprint("v2", __name__, url_prefix="/v2")


def register(blueprint):
    @blueprint.route("/items")
    def items():
        return jsonify([])


register(v1)
register(v2)
"""


def _paths(tmp_path: Path, source: str) -> list[tuple[str, str, str]]:
    endpoints, _ = web_inventory(Repo.scan(write_app(tmp_path, {"views.py": source})))
    return sorted((e.method, e.path, e.handler) for e in endpoints)


def test_a_parameter_takes_the_prefix_of_the_blueprint_passed_for_it(tmp_path: Path) -> None:
    assert _paths(tmp_path, _VIEWS) == [
        ("GET", "/account/settings/github/", "repositories"),
        ("POST", "/user/github/sync", "sync"),
    ]


def test_a_blueprint_built_in_a_function_keeps_its_own_prefix(tmp_path: Path) -> None:
    assert _paths(tmp_path, _FACTORIES) == [
        ("GET", "/about", "about"),
        ("GET", "/admin/users", "users"),
    ]


def test_routes_registered_on_two_blueprints_are_served_under_both(tmp_path: Path) -> None:
    assert _paths(tmp_path, _SHARED) == [
        ("GET", "/v1/items", "items"),
        ("GET", "/v2/items", "items"),
    ]
