"""Tests for the Backend Architect's endpoint-no-auth: authentication enforced project-wide
(settings, middleware, hooks, router dependencies) is respected, endpoints public by design are
left alone, and an open endpoint is reported with the reason a reviewer would give."""

from __future__ import annotations

import re
from pathlib import Path

from team.audit import audit_path, role_facts

DJANGO_SETTINGS = 'ROOT_URLCONF = "shop.urls"\nMIDDLEWARE = [\n    {middleware}\n]\n'
DJANGO_URLS = (
    "from django.urls import path\n"
    "from shop.views import cancel_order\n\n"
    'urlpatterns = [path("orders/<int:pk>/cancel/", cancel_order)]\n'
)
DJANGO_VIEW = (
    "from django.shortcuts import get_object_or_404, redirect\n"
    "from shop.models import Order\n\n\n"
    "{decorator}def cancel_order(request, pk):\n"
    '    if request.method == "POST":\n'
    "        get_object_or_404(Order, pk=pk).cancel()\n"
    '    return redirect("orders")\n'
)
GUARD = (
    "class StaffOnlyMiddleware:\n"
    "    def __init__(self, get_response):\n"
    "        self.get_response = get_response\n\n"
    "    def __call__(self, request):\n"
    "        if not request.user.is_authenticated:\n"
    "            return redirect_to_login(request.get_full_path())\n"
    "        return self.get_response(request)\n"
)
LOCALE = (
    "class LocaleMiddleware:\n"
    "    def __init__(self, get_response):\n"
    "        self.get_response = get_response\n\n"
    "    def __call__(self, request):\n"
    "        if request.user.is_authenticated:\n"
    "            activate(request.user.locale)\n"
    "        return self.get_response(request)\n"
)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _no_auth(root: Path) -> list[tuple[str, int]]:
    """The open endpoints reported: the first of each cause, and the others listed in it."""
    found = audit_path(root, roles=["backend_architect"])
    out = []
    for f in (f for f in found if f.rule == "endpoint-no-auth"):
        out.append((f.path, f.line))
        listed = re.search(r"The same cause is at \d+ other places?: (.*)\.$", f.message)
        for where in listed.group(1).split(", ") if listed else []:
            path, line = where.rsplit(":", 1)
            out.append((path, int(line)))
    return sorted(out)


def _django(root: Path, middleware: str, middleware_code: str, decorator: str = "") -> Path:
    return _write(
        root,
        {
            "shop/settings.py": DJANGO_SETTINGS.format(middleware=middleware),
            "shop/middleware.py": middleware_code,
            "shop/urls.py": DJANGO_URLS,
            "shop/views.py": DJANGO_VIEW.format(decorator=decorator),
        },
    )


def test_a_project_middleware_that_sends_anonymous_users_to_login_guards_every_view(
    tmp_path: Path,
) -> None:
    guarded = _django(tmp_path / "guarded", '"shop.middleware.StaffOnlyMiddleware",', GUARD)
    assert _no_auth(guarded) == []


def test_a_project_middleware_that_only_reads_the_user_guards_nothing(tmp_path: Path) -> None:
    open_ = _django(tmp_path / "open", '"shop.middleware.LocaleMiddleware",', LOCALE)
    assert _no_auth(open_) == [("shop/views.py", 5)]


def test_login_required_middleware_guards_views_but_not_those_marked_login_not_required(
    tmp_path: Path,
) -> None:
    middleware = '"django.contrib.auth.middleware.LoginRequiredMiddleware",'
    guarded = _django(tmp_path / "guarded", middleware, "")
    assert _no_auth(guarded) == []
    views = guarded / "shop" / "views.py"
    views.write_text(DJANGO_VIEW.format(decorator="@login_not_required\n"))
    found = audit_path(guarded, roles=["backend_architect"])
    assert "endpoint-no-auth" not in {f.rule for f in found}  # public on purpose
    endpoints = [f for f in role_facts(guarded, "backend_architect") if "cancel_order" in f]
    assert endpoints and all("auth=public" in f for f in endpoints)


FASTAPI_APP = (
    "from fastapi import Depends, FastAPI\n"
    "from notes.db import db\n\n"
    "app = FastAPI()\n\n\n"
    "def current_user(token: str = Header()):\n"
    "    return token\n\n\n"
    '@app.get("/v1/notes")\n'
    "def list_notes(limit: int = 10, user=Depends(current_user)):\n"
    "    return []\n\n\n"
    "{handler}"
)
DECODE = (
    '@app.post("/v1/decode")\n'
    "def decode_invoice(data: str):\n"
    "    return {'amount': parse_invoice(data).amount}\n"
)
WRITE = (
    '@app.post("/v1/notes/{note_id}/archive")\n'
    "def archive_note(note_id: int):\n"
    "    db.notes.update_one({'id': note_id}, {'archived': True})\n"
    "    return {}\n"
)
SIGNUP = (
    '@app.post("/v1/account")\n'
    "def api_create_account(name: str):\n"
    "    return create_user_account(name)\n"
)


def _fastapi(root: Path, handler: str, guarded: bool = True) -> Path:
    app = FASTAPI_APP.format(handler=handler)
    if not guarded:
        app = app.replace(", user=Depends(current_user)", "")
    return _write(root, {"notes/app.py": app})


def test_an_open_endpoint_that_changes_nothing_is_public_among_authenticated_ones(
    tmp_path: Path,
) -> None:
    assert _no_auth(_fastapi(tmp_path / "decode", DECODE)) == []
    found = audit_path(_fastapi(tmp_path / "write", WRITE), roles=["backend_architect"])
    [alarm] = [f for f in found if f.rule == "endpoint-no-auth"]
    assert (alarm.path, alarm.line, alarm.severity) == ("notes/app.py", 17, "error")
    assert alarm.message.startswith(
        "POST /v1/notes/{note_id}/archive (archive_note) changes state "
        "(db.notes.update_one()) with no authentication, while other endpoints of this app "
        "require `current_user` (GET /v1/notes, notes/app.py:12)"
    )


def test_in_an_app_with_no_authentication_at_all_every_open_write_is_reported(
    tmp_path: Path,
) -> None:
    found = audit_path(_fastapi(tmp_path, DECODE, guarded=False), roles=["backend_architect"])
    [alarm] = [f for f in found if f.rule == "endpoint-no-auth"]
    assert alarm.line == 17
    assert "no endpoint of this app does: anyone who reaches the service" in alarm.message


def test_creating_an_account_is_sign_up_and_public_by_design(tmp_path: Path) -> None:
    assert _no_auth(_fastapi(tmp_path / "signup", SIGNUP)) == []
    order = SIGNUP.replace("api_create_account", "api_create_order")
    assert _no_auth(_fastapi(tmp_path / "order", order)) == [("notes/app.py", 17)]


def test_a_preference_kept_in_the_callers_session_is_public_among_login_required_views(
    tmp_path: Path,
) -> None:
    app = (
        "from flask import Flask, redirect, session\n"
        "from flask_login import login_required\n\n"
        "app = Flask(__name__)\n\n\n"
        '@app.post("/watches/<uuid>/delete")\n'
        "@login_required\n"
        "def delete_watch(uuid):\n"
        "    store.delete(uuid)\n"
        '    return redirect("/")\n\n\n'
        '@app.post("/language/auto-detect")\n'
        "def forget_language():\n"
        '    session.pop("locale", None)\n'
        '    return redirect("/")\n'
    )
    assert _no_auth(_write(tmp_path / "session", {"app.py": app})) == []
    moved = app.replace('session.pop("locale", None)', "store.remove_all()")
    assert _no_auth(_write(tmp_path / "store", {"app.py": moved})) == [("app.py", 15)]


FLASK_APP = (
    "from flask import Flask, abort, g, session\n"
    "from shop.orders import bp\n\n"
    "app = Flask(__name__)\n"
    "app.register_blueprint(bp)\n\n\n"
    "@app.before_request\n"
    "def load_user():\n"
    '    g.user = session.get("user_id")\n'
    "{guard}"
)
FLASK_ORDERS = (
    "from flask import Blueprint\n\n"
    'bp = Blueprint("orders", __name__, url_prefix="/v1/orders")\n\n\n'
    '@bp.post("/<int:pk>/cancel")\n'
    "def cancel(pk):\n"
    "    Order.query.get(pk).cancel()\n"
    "    return {}\n"
)


def test_an_application_before_request_hook_that_refuses_anonymous_users_guards_blueprints(
    tmp_path: Path,
) -> None:
    guard = "    if g.user is None:\n        abort(401)\n"
    files = {"shop/app.py": FLASK_APP.format(guard=guard), "shop/orders.py": FLASK_ORDERS}
    assert _no_auth(_write(tmp_path / "guarded", files)) == []
    files["shop/app.py"] = FLASK_APP.format(guard="")  # loads the user, refuses nobody
    assert _no_auth(_write(tmp_path / "open", files)) == [("shop/orders.py", 7)]


def test_a_blueprint_hook_registered_by_call_guards_that_blueprint(tmp_path: Path) -> None:
    guard = (
        "\n\ndef check_visitor():\n"
        "    if not current_user.is_authenticated:\n"
        '        return redirect(url_for("auth.login"))\n\n\n'
        "bp.before_request(check_visitor)\n"
    )
    files = {"shop/orders.py": FLASK_ORDERS + guard}
    assert _no_auth(_write(tmp_path / "guarded", files)) == []
    away = guard.replace("not current_user", "current_user")  # signed-in users leave a page
    files = {"shop/orders.py": FLASK_ORDERS + away}
    assert _no_auth(_write(tmp_path / "open", files)) == [("shop/orders.py", 7)]


ARCHIVY_INIT = "from flask import Flask\n\napp = Flask(__name__)\n\nfrom notes import api, routes\n"
ARCHIVY_ROUTES = (
    "from flask import redirect, request, url_for\n"
    "from flask_login import current_user\n\n"
    "from notes import app\n\n\n"
    "@app.before_request\n"
    "def check_perms():\n"
    '    allowed = request.path.startswith("/login")\n'
    "    if {test} and not allowed:\n"
    '        return redirect(url_for("login", next=request.path))\n'
)
ARCHIVY_API = (
    "from flask import Blueprint\n\n"
    'api_bp = Blueprint("api", __name__)\n\n\n'
    '@api_bp.delete("/api/notes/<int:note_id>")\n'
    "def delete_note(note_id):\n"
    "    Note.query.get(note_id).delete()\n"
    "    return {}\n"
)


def test_a_refusing_hook_on_an_application_imported_from_the_package_guards_every_route(
    tmp_path: Path,
) -> None:
    files = {
        "notes/__init__.py": ARCHIVY_INIT,
        "notes/routes.py": ARCHIVY_ROUTES.format(test="not current_user.is_authenticated"),
        "notes/api.py": ARCHIVY_API,
    }
    assert _no_auth(_write(tmp_path / "guarded", files)) == []
    files["notes/routes.py"] = ARCHIVY_ROUTES.format(test="current_user.is_authenticated")
    assert _no_auth(_write(tmp_path / "open", files)) == [("notes/api.py", 7)]


PROJECTS = (
    "from flask import Blueprint, g, session, url_for\n\n"
    'bp = Blueprint("main", __name__)\n\n\n'
    "@bp.url_value_preprocessor\n"
    "def pull_project(endpoint, values):\n"
    '    project_id = (values or {{}}).pop("project_id", None)\n'
    '    if project_id and project_id not in session.get("projects", {{}}):\n'
    '        raise Redirect303(url_for(".{refuse_to}", project_id=project_id))\n'
    "    g.project_id = project_id\n\n\n"
    '@bp.post("/<project_id>/delete")\n'
    "def delete_project():\n"
    "    Project.query.get(g.project_id).delete()\n"
    "    return {{}}\n\n\n"
    '@bp.post("/create")\n'
    "def create_project():\n"
    "    Project.create()\n"
    "    return {{}}\n"
)


def test_a_url_value_preprocessor_that_sends_strangers_to_log_in_guards_routes_with_that_value(
    tmp_path: Path,
) -> None:
    guarded = {"app/web.py": PROJECTS.format(refuse_to="authenticate")}
    # the project's routes are guarded by the hook; /create takes no project and stays open
    assert _no_auth(_write(tmp_path / "guarded", guarded)) == [("app/web.py", 21)]
    elsewhere = {"app/web.py": PROJECTS.format(refuse_to="home")}  # sends nobody to log in
    assert _no_auth(_write(tmp_path / "open", elsewhere)) == [
        ("app/web.py", 15),
        ("app/web.py", 21),
    ]


TORNADO_URLS = (
    "from tornado.web import url\n\n"
    "from monitor.views import PurgeView, StatsView\n\n"
    'handlers = [url(r"/stats", StatsView), url(r"/purge", PurgeView)]\n'
)
TORNADO_VIEWS = (
    "from tornado import web\n\n\n"
    "class StatsView(web.RequestHandler):\n"
    "    @web.authenticated\n"
    "    def post(self):\n"
    "        self.application.stats.reset()\n\n\n"
    "class PurgeView(web.RequestHandler):\n"
    "{decorator}"
    "    def post(self):\n"
    "        self.application.queue.purge()\n"
)


def test_a_tornado_handler_method_marked_authenticated_is_guarded(tmp_path: Path) -> None:
    files = {
        "monitor/urls.py": TORNADO_URLS,
        "monitor/views.py": TORNADO_VIEWS.format(decorator="    @web.authenticated\n"),
    }
    assert _no_auth(_write(tmp_path / "guarded", files)) == []
    files["monitor/views.py"] = TORNADO_VIEWS.format(decorator="")
    assert _no_auth(_write(tmp_path / "open", files)) == [("monitor/views.py", 10)]


STARLETTE = (
    "from fastapi import APIRouter, Request\n"
    "from starlette.authentication import requires\n\n"
    "api = APIRouter()\n\n\n"
    '@api.delete("/api/chats/{{chat_id}}")\n'
    "{decorator}"
    "async def delete_chat(request: Request, chat_id: int):\n"
    "    await Chat.objects.filter(id=chat_id, user=request.user.object).adelete()\n"
    "    return {{}}\n"
)


def test_starlettes_requires_decorator_guards_a_route(tmp_path: Path) -> None:
    guarded = {"app/api.py": STARLETTE.format(decorator='@requires(["authenticated"])\n')}
    assert _no_auth(_write(tmp_path / "guarded", guarded)) == []
    assert _no_auth(_write(tmp_path / "open", {"app/api.py": STARLETTE.format(decorator="")})) == [
        ("app/api.py", 8)
    ]


WEBHOOK = (
    '@app.post("/v1/hooks/stripe")\n'
    "async def stripe_webhook(request: Request):\n"
    "    body = await request.body()\n"
    "{check}"
    "    db.payments.insert_one(json.loads(body))\n"
    "    return {{}}\n"
)


def test_a_webhook_is_public_only_when_it_checks_the_senders_signature(tmp_path: Path) -> None:
    check = (
        '    sent = request.headers["Stripe-Signature"]\n'
        "    if not hmac.compare_digest(sent, sign(body, SECRET)):\n"
        "        raise HTTPException(400)\n"
    )
    assert _no_auth(_fastapi(tmp_path / "signed", WEBHOOK.format(check=check))) == []
    forged = _fastapi(tmp_path / "forged", WEBHOOK.format(check=""))
    found = audit_path(forged, roles=["backend_architect"])
    [alarm] = [f for f in found if f.rule == "endpoint-no-auth"]
    assert alarm.message.startswith(
        "POST /v1/hooks/stripe (stripe_webhook) receives another service's events but checks "
        "no signature or shared secret: anyone can forge them; verify the sender's signature"
    )


ROUTER = (
    "from fastapi import APIRouter, Depends\n\n"
    "router = APIRouter(prefix='/v1/orders'{router_deps})\n\n\n"
    '@router.delete("/{{pk}}")\n'
    "def delete_order(pk: int):\n"
    "    db.orders.delete_one({{'id': pk}})\n"
)
MAIN = (
    "from fastapi import Depends, FastAPI\n"
    "from shop import orders\n\n"
    "app = FastAPI({app_deps})\n"
    "app.include_router(orders.router{include_deps})\n\n\n"
    '@app.get("/v1/me")\n'
    "def me(user=Depends(current_user)):\n"
    "    return user\n"
)


def _routers(root: Path, router: str = "", app: str = "", include: str = "") -> Path:
    return _write(
        root,
        {
            "shop/orders.py": ROUTER.format(router_deps=router),
            "shop/main.py": MAIN.format(app_deps=app, include_deps=include),
        },
    )


def test_fastapi_dependencies_on_the_app_the_router_or_include_router_guard_its_routes(
    tmp_path: Path,
) -> None:
    deps = "dependencies=[Depends(require_api_key)]"
    assert _no_auth(_routers(tmp_path / "router", router=", " + deps)) == []
    assert _no_auth(_routers(tmp_path / "app", app=deps)) == []
    assert _no_auth(_routers(tmp_path / "include", include=", " + deps)) == []
    session = ", dependencies=[Depends(get_db)]"  # a database session is not authentication
    assert _no_auth(_routers(tmp_path / "db", router=session)) == [("shop/orders.py", 7)]


def test_include_router_dependencies_guard_a_router_imported_under_another_name(
    tmp_path: Path,
) -> None:
    """`from shop.orders import router as orders_router` inside a function, then
    `app.include_router(orders_router, dependencies=[...])` (freqtrade's configure_app)."""
    main = (
        "from fastapi import Depends, FastAPI\n\n\n"
        "def configure_app(app: FastAPI) -> None:\n"
        "    from shop.orders import router as orders_router\n\n"
        "    app.include_router(orders_router{deps})\n\n\n"
        "app = FastAPI()\n"
        "configure_app(app)\n\n\n"
        '@app.get("/v1/me")\n'
        "def me(user=Depends(current_user)):\n"
        "    return user\n"
    )
    guarded = _routers(tmp_path / "guarded")
    (guarded / "shop" / "main.py").write_text(
        main.format(deps=", dependencies=[Depends(require_api_key)]")
    )
    assert _no_auth(guarded) == []
    open_ = _routers(tmp_path / "open")
    (open_ / "shop" / "main.py").write_text(main.format(deps=""))
    assert _no_auth(open_) == [("shop/orders.py", 7)]


CLASS_URLS = (
    "from django.urls import path\n"
    "from shop.views import Cancel\n\n"
    'urlpatterns = [path("orders/<int:pk>/cancel/", Cancel.as_view())]\n'
)
CLASS_VIEW = (
    "from django.views import View\n\n\n"
    "{head}"
    "class Cancel({bases}):\n"
    "    def post(self, request, pk):\n"
    "        Order.objects.get(pk=pk).cancel()\n"
    '        return redirect("orders")\n'
)
GUARDED_CLASS_VIEWS = {
    "login mixin": ("", "LoginRequiredMixin, View"),
    "permission mixin": ("", "PermissionRequiredMixin, View"),
    "project mixin named for staff": ("", "StaffRequiredMixin, View"),
    "project mixin named for auth": ("", "OrgaAuthMixin, View"),
    "project mixin on UserPassesTestMixin": (
        "class DeskMixin(UserPassesTestMixin):\n"
        "    def test_func(self):\n"
        "        return self.request.user.is_staff\n\n\n",
        "DeskMixin, View",
    ),
    "project mixin whose dispatch refuses anonymous users": (
        "class EventMixin:\n"
        "    def dispatch(self, request, *args, **kwargs):\n"
        "        if not request.user.is_authenticated:\n"
        "            raise PermissionDenied\n"
        "        return super().dispatch(request, *args, **kwargs)\n\n\n",
        "EventMixin, View",
    ),
    "method_decorator on the class": (
        '@method_decorator(login_required, name="dispatch")\n',
        "View",
    ),
}


def _class_view(root: Path, head: str, bases: str) -> Path:
    view = CLASS_VIEW.format(head=head, bases=bases)
    return _write(root, {"shop/urls.py": CLASS_URLS, "shop/views.py": view})


def test_class_views_guarded_by_mixins_or_decorators_are_not_reported(tmp_path: Path) -> None:
    for i, (head, bases) in enumerate(GUARDED_CLASS_VIEWS.values()):
        assert _no_auth(_class_view(tmp_path / str(i), head, bases)) == [], bases
    open_ = _class_view(tmp_path / "open", "class EventMixin:\n    pass\n\n\n", "EventMixin, View")
    assert _no_auth(open_) == [("shop/views.py", 8)]


def test_function_views_guarded_by_permission_staff_or_user_test_decorators(
    tmp_path: Path,
) -> None:
    for i, decorator in enumerate(
        [
            '@permission_required("shop.change_order")\n',
            "@staff_member_required\n",
            "@user_passes_test(lambda user: user.is_staff)\n",
        ]
    ):
        repo = _django(tmp_path / str(i), "", "", decorator=decorator)
        assert _no_auth(repo) == [], decorator


def test_the_steps_of_signing_in_are_public_by_their_path(tmp_path: Path) -> None:
    step = (
        '@app.post("/v1/email/{segment}")\n'
        "def finish(code: str):\n"
        "    db.users.update_one({'code': code}, {'$set': {'done': True}})\n"
    )
    for segment in ["confirm", "verify", "activate", "csrf", "oauth"]:
        repo = _fastapi(tmp_path / segment, step.replace("{segment}", segment))
        assert _no_auth(repo) == [], segment
    assert _no_auth(_fastapi(tmp_path / "change", step.replace("{segment}", "change"))) == [
        ("notes/app.py", 17)
    ]


def test_building_or_serving_a_response_is_not_a_write(tmp_path: Path) -> None:
    preview = (
        '@app.post("/v1/notes/preview")\n'
        "def preview(text: str):\n"
        "    context = {'title': 'Preview'}\n"
        "    context.update(body=mark_safe(render_markdown(text)))\n"
        "    return send_file(render_pdf(context))\n"
    )
    assert _no_auth(_fastapi(tmp_path / "preview", preview)) == []
    kept = preview.replace("context.update(", "notes.update(")
    assert _no_auth(_fastapi(tmp_path / "kept", kept)) == [("notes/app.py", 17)]


DISPATCH_VIEW = (
    "from django.views import View\n\n\n"
    "class Cancel(View):\n"
    "{decorator}"
    "    def dispatch(self, request, *args, **kwargs):\n"
    "{prologue}"
    "        return super().dispatch(request, *args, **kwargs)\n\n"
    "    def post(self, request, pk):\n"
    "        Order.objects.get(pk=pk).cancel()\n"
    '        return redirect("orders")\n'
)


def _dispatch_view(root: Path, decorator: str = "", prologue: str = "", extra: str = "") -> Path:
    view = DISPATCH_VIEW.format(decorator=decorator, prologue=prologue)
    return _write(root, {"shop/urls.py": CLASS_URLS, "shop/views.py": extra + view})


def test_a_decorator_told_to_check_a_right_on_dispatch_guards_the_view(tmp_path: Path) -> None:
    checked = "    @method_decorator(get_article(can_write=True, not_locked=True))\n"
    assert _no_auth(_dispatch_view(tmp_path / "can_write", checked)) == []
    unchecked = "    @method_decorator(get_article(can_write=False))\n"
    assert _no_auth(_dispatch_view(tmp_path / "no_check", unchecked)) == [("shop/views.py", 4)]


def test_a_repository_decorator_that_checks_the_user_guards_dispatch_through_method_decorator(
    tmp_path: Path,
) -> None:
    decorator = (
        "def load_order(func):\n"
        "    def wrapper(request, *args, **kwargs):\n"
        "        if not request.user.is_authenticated:\n"
        "            return redirect_to_login(request.path)\n"
        "        return func(request, *args, **kwargs)\n"
        "    return wrapper\n\n\n"
    )
    applied = "    @method_decorator(load_order)\n"
    assert _no_auth(_dispatch_view(tmp_path / "checks", applied, extra=decorator)) == []
    lax = decorator.replace(
        "if not request.user.is_authenticated:\n            return redirect_to_login(request.path)",
        "request.started = now()",
    )  # a decorator that only records the request
    assert _no_auth(_dispatch_view(tmp_path / "lax", applied, extra=lax)) == [("shop/views.py", 11)]


def test_a_dispatch_that_sends_away_callers_without_a_right_guards_the_view(
    tmp_path: Path,
) -> None:
    for i, test in enumerate(
        ["not request.user.is_superuser", "not request.user.has_perm('shop.cancel')"]
    ):
        prologue = f"        if {test}:\n            return redirect('home')\n"
        assert _no_auth(_dispatch_view(tmp_path / str(i), prologue=prologue)) == [], test
    marks = "        if request.user.is_superuser:\n            self.banner = True\n"
    assert _no_auth(_dispatch_view(tmp_path / "marks", prologue=marks)) == [("shop/views.py", 4)]


def test_a_write_authenticated_by_a_token_the_caller_sends_is_public_by_design(
    tmp_path: Path,
) -> None:
    reset = (
        '@app.post("/v1/password/update")\n'
        "def update_password(data: dict):\n"
        "    user = db.users.find_one({'reset': data.get('token')})\n"
        "    db.users.update_one({'id': user.id}, {'$set': {'pw': data['password']}})\n"
    )
    assert _no_auth(_fastapi(tmp_path / "token", reset)) == []
    for key in ["email", "device_token", "page_token"]:
        untokened = reset.replace("data.get('token')", f"data.get('{key}')")
        assert _no_auth(_fastapi(tmp_path / key, untokened)) == [("notes/app.py", 17)], key


def test_an_oauth2_server_endpoint_authenticates_the_client_itself(tmp_path: Path) -> None:
    revoke = (
        '@app.post("/v1/oauth2/revoke")\n'
        "def revoke_token():\n"
        "    return authorization_server.create_endpoint_response('revocation')\n"
    )
    assert _no_auth(_fastapi(tmp_path / "authlib", revoke)) == []
    own = revoke.replace("authorization_server.create_endpoint_response", "tokens.delete")
    assert _no_auth(_fastapi(tmp_path / "own", own)) == [("notes/app.py", 17)]


def test_a_post_that_only_fetches_is_no_write(tmp_path: Path) -> None:
    search = (
        '@app.post("/v1/notes/search")\n'
        "def search_notes(query: str):\n"
        "    return _get_note_store().search(query)\n"
    )
    assert _no_auth(_fastapi(tmp_path / "search", search)) == []
    store = search.replace("_get_note_store().search(query)", "store_note(query)")
    assert _no_auth(_fastapi(tmp_path / "store", store)) == [("notes/app.py", 17)]


def test_a_django_view_that_refuses_anonymous_callers_first_is_authenticated(
    tmp_path: Path,
) -> None:
    check = (
        "    if not request.user.is_authenticated:\n"
        "        return HttpResponse('You must be logged in', status=403)\n"
    )
    view = DJANGO_VIEW.replace("    if request.method", check + "    if request.method")
    files = {"shop/settings.py": 'ROOT_URLCONF = "shop.urls"\n', "shop/urls.py": DJANGO_URLS}
    guarded = _write(tmp_path / "guarded", {**files, "shop/views.py": view.format(decorator="")})
    assert _no_auth(guarded) == []
    opened = _write(tmp_path / "open", {**files, "shop/views.py": DJANGO_VIEW.format(decorator="")})
    assert _no_auth(opened) == [("shop/views.py", 5)]


BLUEPRINT = (
    "from flask import Blueprint\n\n"
    'resolver_blueprint = Blueprint("resolver", __name__)\n\n\n'
    '@resolver_blueprint.route("/resolver/<name>", methods=["POST"])\n'
    "def set_resolver(name):\n"
    "    save_resolver(name)\n"
    '    return {"ok": True}\n'
)
HOOKS = (
    "from flask import g\n\n"
    "from api.auth import admin_required\n"
    "from api.resolver import resolver_blueprint\n"
    "from api.user import user_blueprint\n\n\n"
    "@user_blueprint.before_request\n"
    "@admin_required\n"
    "def before_user_request():\n"
    "    g.user = None\n\n\n"
    "@resolver_blueprint.before_request\n"
    "{hook}"
)
USER_BLUEPRINT = (
    "from flask import Blueprint\n\n"
    'user_blueprint = Blueprint("user", __name__)\n\n\n'
    '@user_blueprint.route("/", methods=["GET"])\n'
    "def list_users():\n"
    "    return []\n"
)


def test_a_hook_module_guards_blueprints_defined_in_other_modules(tmp_path: Path) -> None:
    """privacyidea's api/before_after.py: hooks registered on imported blueprints, guarded by
    an auth decorator on the hook or a call that verifies the caller's token."""
    hooks = {
        "decorated": "@admin_required\ndef before_resolver_request():\n    g.user = None\n",
        "verifies": "def before_resolver_request():\n    verify_auth_token(get_token(), ['admin'])\n",
        "loads only": "def before_resolver_request():\n    g.user = load_user()\n",
    }
    found = {}
    for case, hook in hooks.items():
        root = _write(
            tmp_path / case.replace(" ", "_"),
            {
                "api/resolver.py": BLUEPRINT,
                "api/user.py": USER_BLUEPRINT,
                "api/hooks.py": HOOKS.format(hook=hook),
            },
        )
        found[case] = _no_auth(root)
    assert found == {"decorated": [], "verifies": [], "loads only": [("api/resolver.py", 7)]}


def test_a_write_that_raises_an_auth_error_for_an_unknown_client_is_authenticated(
    tmp_path: Path,
) -> None:
    remember = (
        '@app.post("/v1/remember_device")\n'
        "def remember_device(request: Request):\n"
        "    if request.state.client_id is None:\n"
        '        raise AuthError("a valid API key is required")\n'
        "    db.devices.update_one({'id': request.state.client_id}, {'$set': {'seen': 1}})\n"
    )
    assert _no_auth(_fastapi(tmp_path / "refuses", remember)) == []
    logs = remember.replace("raise AuthError(", "log.warning(")
    assert _no_auth(_fastapi(tmp_path / "logs", logs)) == [("notes/app.py", 17)]


TRACES = (
    "from fastapi import APIRouter, FastAPI, Header\n"
    "from traces.otlp import OTLP_TRACES_PATH, _USER_AGENT\n\n"
    "app = FastAPI()\n"
    "router = APIRouter(prefix=OTLP_TRACES_PATH)\n\n\n"
    '@router.post("")\n'
    "def export_traces(body: bytes, user_agent: str = Header(None, alias=_USER_AGENT)):\n"
    "    store.log_spans(decode(body))\n\n\n"
    '@app.post("/jobs/search")\n'
    "def search_jobs(payload: dict):\n"
    "    return [job for job in _get_job_store().list_jobs(**payload)]\n"
)


def test_a_user_agent_header_authenticates_nobody_and_a_constant_prefix_is_no_parameter(
    tmp_path: Path,
) -> None:
    assert _no_auth(_write(tmp_path / "open", {"traces/api.py": TRACES})) == [("traces/api.py", 9)]
    keyed = TRACES.replace("alias=_USER_AGENT", "alias=_API_KEY")
    assert _no_auth(_write(tmp_path / "keyed", {"traces/api.py": keyed})) == []
    root = TRACES.replace("prefix=OTLP_TRACES_PATH", "prefix=settings.root")  # "{settings.root}"
    assert _no_auth(_write(tmp_path / "root", {"traces/api.py": root})) == []


ADMIN_PAGE = '@app.get("/admin")\ndef get_admin():\n    {body}\n'


def test_an_admin_path_that_only_redirects_reads_nothing(tmp_path: Path) -> None:
    """fief's `GET /admin` only sends the browser on to the dashboard, which guards itself."""
    moved = ADMIN_PAGE.format(body='return RedirectResponse("/admin/", status_code=308)')
    assert _no_auth(_fastapi(tmp_path / "redirects", moved)) == []
    reads = ADMIN_PAGE.format(body="return db.settings.find_one()")
    assert _no_auth(_fastapi(tmp_path / "reads", reads)) == [("notes/app.py", 17)]


CLICK_N_LOAD = (
    "import flask\n\n"
    'bp = flask.Blueprint("flash", __name__)\n\n\n'
    "def local_check(func):\n"
    "    def wrapper(*args, **kwargs):\n"
    '        if flask.request.remote_addr == "127.0.0.1":\n'
    "            return func(*args, **kwargs)\n"
    "        return {refusal}\n"
    "    return wrapper\n\n\n"
    '@bp.route("/flash/add", methods=["POST"])\n'
    "@local_check\n"
    "def add():\n"
    '    api.add_package(flask.request.form["urls"])\n'
    '    return "success"\n\n\n'
    '@bp.route("/api/packages", methods=["POST"])\n'
    "@login_required\n"
    "def packages():\n"
    '    return api.add_package(flask.request.form["urls"])\n'
)


def test_a_decorator_of_the_app_that_answers_403_guards_the_routes_it_wraps(
    tmp_path: Path,
) -> None:
    """pyload's Click'N'Load routes: `@local_check` answers `"Forbidden", 403` to any caller
    but the local machine."""
    refuses = CLICK_N_LOAD.format(refusal='"Forbidden", 403')
    assert _no_auth(_write(tmp_path / "refuses", {"web/flash.py": refuses})) == []
    logs = CLICK_N_LOAD.format(refusal='"JDownloader", 200')
    assert _no_auth(_write(tmp_path / "logs", {"web/flash.py": logs})) == [("web/flash.py", 16)]


ADMIN_SIGN_IN = (
    '@app.get("/v1/admin")\n'
    '@app.post("/v1/admin")\n'
    "def admin(form: dict):\n"
    '    if {check}(ADMIN_PASSWORD_HASH, form["password"]):\n'
    '        session.update({{"is_admin": True}})\n'
    "    return {{}}\n"
)


def test_a_handler_that_checks_the_password_it_is_sent_is_the_sign_in_form(tmp_path: Path) -> None:
    """ihatemoney's `/admin`: the form that checks the admin password cannot require it first."""
    checks = ADMIN_SIGN_IN.format(check="check_password_hash")
    assert _no_auth(_fastapi(tmp_path / "checks", checks)) == []
    compares = ADMIN_SIGN_IN.format(check="same_length")
    assert _no_auth(_fastapi(tmp_path / "compares", compares)) == [("notes/app.py", 18)]


def test_a_path_named_for_anonymous_callers_is_public_by_design(tmp_path: Path) -> None:
    """postorius' `anonymous_subscribe`: the form for people with no account, who confirm by
    e-mail."""
    anonymous = WRITE.replace("{note_id}/archive", "{note_id}/anonymous_subscribe")
    assert _no_auth(_fastapi(tmp_path / "anonymous", anonymous)) == []
    member = WRITE.replace("{note_id}/archive", "{note_id}/subscribe")
    assert _no_auth(_fastapi(tmp_path / "member", member)) == [("notes/app.py", 17)]


NESTED = (
    "from fastapi import APIRouter, Depends\n"
    "from shop.orders import router as orders_router\n\n\n"
    "def create_api_router(auth_enabled: bool) -> APIRouter:\n"
    "    dependencies = [Depends(get_db)]\n"
    "    if auth_enabled:\n"
    "        dependencies.append(Depends({check}))\n"
    "    api = APIRouter(prefix='/api', dependencies=dependencies)\n"
    "    inner = APIRouter()\n"
    "    inner.include_router(orders_router)\n"
    "    api.include_router(inner)\n"
    "    return api\n"
)


def test_a_router_included_into_a_router_built_with_an_auth_dependency_is_guarded(
    tmp_path: Path,
) -> None:
    """Phoenix: `dependencies.append(Depends(is_authenticated))`, then
    `APIRouter(dependencies=dependencies)`, which includes a router including each resource's."""
    main = (
        "from fastapi import Depends, FastAPI\n"
        "from shop.api import create_api_router\n\n"
        "app = FastAPI()\n"
        "app.include_router(create_api_router(True))\n\n\n"
        '@app.get("/v1/me")\n'
        "def me(user=Depends(current_user)):\n"
        "    return user\n"
    )
    for case, check, found in (
        ("guarded", "is_authenticated", []),
        ("open", "get_settings", [("shop/orders.py", 7)]),
    ):
        root = _routers(tmp_path / case)
        (root / "shop" / "main.py").write_text(main)
        (root / "shop" / "api.py").write_text(NESTED.format(check=check))
        assert _no_auth(root) == found, case


ADMIN_URLS = (
    "from django.contrib import admin\n"
    "from django.urls import path\n"
    "from shop import reports\n\n"
    'urlpatterns = [path("admin/", {view})]\n'
)


def test_the_django_admin_site_requires_its_staff_login(tmp_path: Path) -> None:
    admin_site = _write(
        tmp_path / "admin", {"shop/urls.py": ADMIN_URLS.format(view="admin.site.urls")}
    )
    assert _no_auth(admin_site) == []
    own = _write(tmp_path / "own", {"shop/urls.py": ADMIN_URLS.format(view="reports.dump")})
    assert _no_auth(own) == [("shop/urls.py", 5)]


HTTP_MIDDLEWARE = (
    "from fastapi import Depends, FastAPI, Request\n"
    "from fastapi.responses import JSONResponse\n"
    "from shop import orders\n\n"
    "app = FastAPI()\n"
    "app.include_router(orders.router)\n\n\n"
    '@app.middleware("http")\n'
    "async def check_every_request(request: Request, call_next):\n"
    '    if not known_key(request.headers.get("x-key")):\n'
    "        {refusal}\n"
    "    return await call_next(request)\n"
)


def test_an_http_middleware_that_answers_401_guards_every_route_of_the_app(
    tmp_path: Path,
) -> None:
    for case, refusal, found in (
        ("refuses", "return JSONResponse({}, status_code=401)", []),
        ("logs", 'log.info("no key")', [("shop/orders.py", 7)]),
    ):
        root = _routers(tmp_path / case)
        (root / "shop" / "main.py").write_text(HTTP_MIDDLEWARE.format(refusal=refusal))
        assert _no_auth(root) == found, case


def test_an_authentication_middleware_given_to_the_application_guards_its_routes(
    tmp_path: Path,
) -> None:
    main = (
        "from fastapi import FastAPI\n"
        "from starlette.middleware import Middleware\n"
        "from shop import orders\n\n"
        "app = FastAPI(middleware=[Middleware({cls})])\n"
        "app.include_router(orders.router)\n"
    )
    for case, cls, found in (
        ("auth", "AuthenticationMiddleware, backend=KeyBackend()", []),
        ("gzip", "GZipMiddleware", [("shop/orders.py", 7)]),
    ):
        root = _routers(tmp_path / case)
        (root / "shop" / "main.py").write_text(main.format(cls=cls))
        assert _no_auth(root) == found, case


def test_views_of_a_urls_module_included_with_a_login_decorator_are_guarded(
    tmp_path: Path,
) -> None:
    """django-decorator-include: `decorator_include(login_required, "shop.orders_urls")`."""
    orders_urls = (
        "from django.urls import path\n"
        "from shop.views import cancel_order\n\n"
        'urlpatterns = [path("orders/<int:pk>/cancel/", cancel_order)]\n'
    )
    root_urls = (
        "from decorator_include import decorator_include\n"
        "from django.urls import path\n\n"
        'urlpatterns = [path("shop/", decorator_include({deco}, "shop.orders_urls"))]\n'
    )
    for case, deco, found in (
        ("login", "login_required", []),
        ("cache", "never_cache", [("shop/views.py", 5)]),
    ):
        root = _write(
            tmp_path / case,
            {
                "shop/urls.py": root_urls.format(deco=deco),
                "shop/orders_urls.py": orders_urls,
                "shop/views.py": DJANGO_VIEW.format(decorator=""),
            },
        )
        assert _no_auth(root) == found, case


def test_a_password_middleware_added_to_the_app_guards_the_routers_it_includes(
    tmp_path: Path,
) -> None:
    """letta's server: `app.add_middleware(CheckPasswordMiddleware, password=...)` in secure
    mode guards every route of every router the app includes."""
    router = (
        "from fastapi import APIRouter\n\n"
        "router = APIRouter()\n\n\n"
        '@router.delete("/agents/{agent_id}")\n'
        "def delete_agent(agent_id: str):\n"
        "    db.delete(agent_id)\n"
        "    db.commit()\n"
    )
    app = (
        "from fastapi import FastAPI\n"
        "from server.agents import router\n"
        "from server.middleware import {middleware}\n\n\n"
        "def create_application(secure):\n"
        "    app = FastAPI()\n"
        "    if secure:\n"
        '        app.add_middleware({middleware}, password="s3cret")\n'
        "    app.include_router(router)\n"
        "    return app\n"
    )
    files = {"server/agents.py": router, "server/app.py": app}
    guarded = {**files, "server/app.py": app.format(middleware="CheckPasswordMiddleware")}
    logged = {**files, "server/app.py": app.format(middleware="LoggingMiddleware")}
    assert _no_auth(_write(tmp_path / "guarded", guarded)) == []
    assert _no_auth(_write(tmp_path / "logged", logged)) == [("server/agents.py", 7)]


def test_open_endpoints_of_one_app_are_one_finding_listing_the_others(tmp_path: Path) -> None:
    app = """
from fastapi import FastAPI

app = FastAPI()


@app.post("/items")
def create_item(item: dict):
    db.add(item)


@app.delete("/items/{item_id}")
def delete_item(item_id: int):
    db.delete(item_id)


@app.put("/items/{item_id}")
def update_item(item_id: int, item: dict):
    db.update(item_id, item)
"""
    found = audit_path(
        _write(tmp_path, {"shop/app.py": app, "admin/app.py": app}), roles=["backend_architect"]
    )
    open_ = [f for f in found if f.rule == "endpoint-no-auth"]
    assert [(f.path, f.line) for f in open_] == [("admin/app.py", 8), ("shop/app.py", 8)]
    assert open_[1].message.endswith(
        "The same cause is at 2 other places: shop/app.py:13, shop/app.py:18."
    )


def test_a_request_body_model_named_auth_is_no_guard(tmp_path: Path) -> None:
    """letta's `POST /auth` takes an `AuthRequest` body: the data sent, not a check of who
    sends it, so the app's open writes are not outliers among guarded endpoints. A guard in
    `Annotated[..., Depends(...)]` still guards."""
    app = (
        "from typing import Annotated\n"
        "from fastapi import Depends, FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        '@app.post("/v1/auth")\n'
        "def authenticate(request: AuthRequest):\n"
        "    return db.add(Session(request.password))\n\n\n"
        '@app.post("/v1/agents")\n'
        "def create_agent(agent: AgentCreate):\n"
        "    db.add(agent)\n\n\n"
        '@app.delete("/v1/agents/{agent_id}")\n'
        "def delete_agent(agent_id: str, user: Annotated[User, Depends(current_user)]):\n"
        "    db.delete(agent_id)\n"
    )
    found = audit_path(_write(tmp_path, {"server/app.py": app}), roles=["backend_architect"])
    (open_,) = [f for f in found if f.rule == "endpoint-no-auth"]
    assert (open_.line, "AuthRequest" in open_.message) == (13, False)
    assert "(DELETE /v1/agents/{agent_id}, server/app.py:18)" in open_.message
