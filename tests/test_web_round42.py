"""Web round 42: precision on fresh38's false findings and recall from its misses. Django's
admin reached through a name bound to its URL tuple rebuilt around views of the site's own
(tethys's admin_urls) is the admin, guarded by staff login."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_ADMIN_URLS = """
from django.contrib import admin
from django.urls import re_path

from portal import views

admin_url_list = admin.site.urls[0]
admin_url_list.insert(0, re_path(r"^clear/$", views.clear, name="clear"))
{bind}

urlpatterns = [
    re_path(r"^admin/", admin_urls),
    re_path(r"^notes/$", views.notes, name="notes"),
]
"""
_ADMIN_VIEWS = """
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@staff_member_required
def clear(request):
    return render(request, "clear.html")


@login_required
def notes(request):
    return render(request, "notes.html")
"""


def _admin_site(bind: str) -> dict[str, str]:
    return {
        "portal/__init__.py": "",
        "portal/views.py": _ADMIN_VIEWS,
        "portal/urls.py": _ADMIN_URLS.replace("{bind}", bind),
    }


def test_the_admin_sites_url_tuple_rebuilt_under_a_name_is_guarded(tmp_path: Path) -> None:
    """`admin_urls = (admin_url_list, admin.site.urls[1], admin.site.urls[2])` is the admin
    site's own tuple: every view of it asks for a staff login."""
    bind = "admin_urls = (admin_url_list, admin.site.urls[1], admin.site.urls[2])"
    assert web_findings(tmp_path, _admin_site(bind), "endpoint-no-auth") == set()


def test_a_name_bound_to_other_urls_under_admin_stays_reported(tmp_path: Path) -> None:
    """A name bound to patterns of the site's own under /admin/ is no admin site: it is read
    as it was."""
    bind = "admin_urls = build_admin_urls()"
    assert web_findings(tmp_path, _admin_site(bind), "endpoint-no-auth") == {("portal/urls.py", 11)}
