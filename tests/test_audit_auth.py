"""Tests for the Backend Architect's endpoint-no-auth: authentication enforced project-wide
(settings, middleware, hooks, router dependencies) is respected, endpoints public by design are
left alone, and an open endpoint is reported with the reason a reviewer would give."""

from __future__ import annotations

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
    found = audit_path(root, roles=["backend_architect"])
    return [(f.path, f.line) for f in found if f.rule == "endpoint-no-auth"]


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
