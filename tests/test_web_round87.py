"""Web round 85 (issue 13): a sql-string-built false alarm on a spent corpus, removed.
omero-web's webgateway pastes `objtype`, split on dots, into an HQL query; the view is routed
(through a decorated alias) by `annotations/(?P<objtype>[\\w.]+)/(?P<objid>\\d+)/`, and a second
view passes on its own `objtype` from the same kind of route: only word characters and dots reach
the text (judged false). `identifier_routes.py` now reads the routes that reach a view. The same
view on a `[^/]+` group or a `str` converter, a second route with a wide group, and a value of
the query string pasted beside it stay reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_VIEWS = """
    from django.contrib.auth.decorators import login_required
    from django.http import JsonResponse


    def _bulk_annotations(request, objtype, objid, conn=None):
        objtype = objtype.split(".")
        query = {query}
        return conn.query(query, {"id": objid})


    def object_table(request, objtype, objid, conn=None):
        found = _bulk_annotations(request, objtype, objid, conn)
        return JsonResponse(found)


    def _deprecated(request, objtype, objid, conn=None):
        return _bulk_annotations(request, objtype, objid, conn)


    annotations = login_required(_bulk_annotations)
    """
_LINE = 7  # query = ...
_QUERY = '"select obj0 from %s obj0 where obj0.id = :id" % objtype[0]'
_URLS = """
    from django.urls import path, re_path

    from gateway import views

    urlpatterns = [
        {route},
        re_path(r"^table/(?P<objtype>[\\w.]+)/(?P<objid>\\d+)/query/$", views.object_table),{more}
    ]
    """
_NARROW = r're_path(r"^annotations/(?P<objtype>[\w.]+)/(?P<objid>\d+)/$", views.annotations)'


def _found(tmp_path: Path, route: str = _NARROW, query: str = _QUERY, more: str = "") -> bool:
    """Whether the query line of the view is reported when `annotations` is routed by `route`
    (with `more` routes after the table's) and the view builds its query as `query`."""
    files = {
        "gateway/__init__.py": "",
        "gateway/views.py": _VIEWS.replace("{query}", query),
        "gateway/urls.py": _URLS.replace("{route}", route).replace("{more}", more),
    }
    found = web_findings(tmp_path, files, "sql-string-built")
    assert found <= {("gateway/views.py", _LINE)}
    return bool(found)


def test_a_view_parameter_every_route_captures_as_an_identifier_is_silent(tmp_path: Path) -> None:
    assert not _found(tmp_path)


def test_a_slug_converter_is_reported(tmp_path: Path) -> None:
    # a slug holds `-`, and `--` comments out the rest of the query (the owner filter)
    route = 'path("annotations/<slug:objtype>/<int:objid>/", views.annotations)'
    assert _found(tmp_path, route=route)


def test_a_group_with_a_hyphen_or_a_range_across_letter_cases_is_reported(tmp_path: Path) -> None:
    # `[A-z]` holds the backtick, a quote of identifiers
    for group in (r"[\w.-]+", r"[A-z.]+"):
        assert _found(tmp_path / group[1:4], route=_NARROW.replace(r"[\w.]+", group))


def test_a_word_pasted_where_a_value_goes_is_reported(tmp_path: Path) -> None:
    # `objtype=id` makes `where obj0.id = id`: every row; a group of digits stays silent
    query = '"select obj0 from Image obj0 where obj0.id = %s" % objtype[0]'
    assert _found(tmp_path / "word", query=query)
    digits = _NARROW.replace(r"[\w.]+", r"\d+")
    digits_table = _URLS.replace("[\\w.]+", "\\d+")
    files = {
        "gateway/__init__.py": "",
        "gateway/views.py": _VIEWS.replace("{query}", query),
        "gateway/urls.py": digits_table.replace("{route}", digits).replace("{more}", ""),
    }
    assert web_findings(tmp_path / "digits", files, "sql-string-built") == set()


_WRAPPER = """
    def type_from_query(view):
        def inner(request, objtype, *args, **kwargs):
            return view(request, request.GET.get("type", objtype), *args, **kwargs)
        return inner
    """


def test_a_wrapper_of_the_project_that_replaces_the_value_is_reported(tmp_path: Path) -> None:
    route = _NARROW.replace("views.annotations", "views.type_from_query(views.annotations)")
    files = {
        "gateway/__init__.py": "",
        "gateway/views.py": _VIEWS.replace("{query}", _QUERY) + _WRAPPER,
        "gateway/urls.py": _URLS.replace("{route}", route).replace("{more}", ""),
    }
    assert web_findings(tmp_path, files, "sql-string-built") == {("gateway/views.py", _LINE)}


def test_a_routed_parameter_changed_in_place_by_its_caller_is_reported(tmp_path: Path) -> None:
    files = {
        "gateway/__init__.py": "",
        "gateway/views.py": _VIEWS.replace("{query}", _QUERY).replace(
            "found = _bulk", 'objtype += request.GET.get("sub", "")\n        found = _bulk'
        ),
        "gateway/urls.py": _URLS.replace("{route}", _NARROW).replace("{more}", ""),
    }
    assert web_findings(tmp_path, files, "sql-string-built") == {("gateway/views.py", _LINE)}


def test_the_same_view_on_a_group_of_anything_but_a_slash_is_reported(tmp_path: Path) -> None:
    assert _found(tmp_path, route=_NARROW.replace(r"[\w.]+", "[^/]+"))


def test_the_same_view_on_a_str_converter_is_reported(tmp_path: Path) -> None:
    route = 'path("annotations/<str:objtype>/<int:objid>/", views.annotations)'
    assert _found(tmp_path, route=route)


def test_a_second_route_with_a_wide_group_is_reported(tmp_path: Path) -> None:
    more = '\n        re_path(r"^old/(?P<objtype>.+)/(?P<objid>\\d+)/$", views.object_table),'
    assert _found(tmp_path, more=more)


def test_a_query_string_value_beside_it_is_reported(tmp_path: Path) -> None:
    query = '"select obj0 from %s obj0 order by %s" % (objtype[0], request.GET["order"])'
    assert _found(tmp_path, query=query)


def test_an_unrouted_view_and_a_route_not_capturing_it_are_reported(tmp_path: Path) -> None:
    assert _found(tmp_path, route='path("", views.object_table)')


def test_a_wide_route_of_a_module_importing_every_view_is_reported(tmp_path: Path) -> None:
    files = {
        "gateway/__init__.py": "",
        "gateway/views.py": _VIEWS.replace("{query}", _QUERY),
        "gateway/urls.py": _URLS.replace("{route}", _NARROW).replace("{more}", ""),
        "gateway/legacy_urls.py": (
            "from django.urls import re_path\n\nfrom gateway.views import *\n\n"
            'urlpatterns = [re_path(r"^a/(?P<objtype>.+)/(?P<objid>\\d+)/$", annotations)]\n'
        ),
    }
    assert web_findings(tmp_path, files, "sql-string-built") == {("gateway/views.py", _LINE)}
