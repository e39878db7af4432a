"""Web review round 27: kinds of false alarm that recurred on real apps, each with a small app
that must still be reported and one that must stay silent."""

from __future__ import annotations

import doctest
from pathlib import Path

from helpers import web_findings, write_app

from team.audit import audit_path, passed_in, pattern_lookups, skipped_items

_MODELS = """
class Update(Base):
    @classmethod
    def new(cls, request, data):
        bugs = []
        for num in data["bugs"]:
            bugs.append(db.query(Bug).filter_by(bug_id=num).first())
        return bugs
"""

_SERVICE = """
import copy

from .models import Update


def new_update(request):
    data = {source}
    return Update.new(request, copy.copy(data))
"""


def _n_plus_one(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    return web_findings(tmp_path, files, "n-plus-one-query")


def test_a_helper_walking_what_another_module_passes_from_the_request_is_not_an_n_plus_one(
    tmp_path: Path,
) -> None:
    validated = _n_plus_one(
        tmp_path / "validated",
        {"models.py": _MODELS, "services.py": _SERVICE.format(source="request.validated")},
    )
    queried = _n_plus_one(
        tmp_path / "queried",
        {"models.py": _MODELS, "services.py": _SERVICE.format(source="load_all_bugs(db)")},
    )
    assert (validated, queried) == (set(), {("models.py", 6)})


def test_one_caller_passing_something_else_keeps_the_helper_reported(tmp_path: Path) -> None:
    nightly = """
    from .models import Update


    def nightly(db):
        return Update.new(None, {"bugs": [b.bug_id for b in db.query(Bug).all()]})
    """
    found = _n_plus_one(
        tmp_path,
        {
            "models.py": _MODELS,
            "services.py": _SERVICE.format(source="request.validated"),
            "tasks.py": nightly,
        },
    )
    assert found == {("models.py", 6)}


def test_the_same_method_name_on_another_class_is_not_a_caller(tmp_path: Path) -> None:
    other = """
    from .models import Override


    def new_override(request):
        return Override.new(request, load_all_bugs(db))
    """
    found = _n_plus_one(
        tmp_path,
        {
            "models.py": _MODELS,
            "services.py": _SERVICE.format(source="request.validated"),
            "overrides.py": other,
        },
    )
    assert found == set()


def test_passed_in_examples_run() -> None:
    assert doctest.testmod(passed_in).failed == 0


_ROUTES = """
from flask import Flask

app = Flask(__name__)


@app.get("/v1/storages")
def list_storages():
    return []
"""


def test_a_locust_file_deep_in_the_projects_tests_is_a_load_test(tmp_path: Path) -> None:
    """Reviewing `app/storages`, a package with a README of its own, of a project that ships
    `app/tests/loadtests/locustfile.py`."""
    for project, extra in (("with", "loadtests/locustfile.py"), ("without", "test_sync.py")):
        write_app(
            tmp_path / project,
            {
                "pyproject.toml": "[project]\nname = 'app'\n",
                "app/storages/__init__.py": "",
                "app/storages/README.md": "Cloud storages of the app.\n",
                "app/storages/api.py": _ROUTES,
                f"app/tests/{extra}": "from locust import HttpUser\n",
            },
        )
    rules = {
        project: {
            f.rule
            for f in audit_path(
                tmp_path / project / "app" / "storages", roles=["performance_engineer"]
            )
        }
        for project in ("with", "without")
    }
    assert ("no-benchmarks" in rules["with"], "no-benchmarks" in rules["without"]) == (False, True)


_MARK_TAGS = """
import json

from .models import Tag


def mark_tags(request):
    counts = {{}}
    for name in json.loads(request.body)["wildcards"]:
        counts[name] = Tag.objects.filter(name{lookup}=name[:-1]).count()
    return counts
"""


def test_a_prefix_count_per_wildcard_is_not_an_n_plus_one_but_an_equal_match_is(
    tmp_path: Path,
) -> None:
    prefix = _n_plus_one(
        tmp_path / "prefix", {"views.py": _MARK_TAGS.format(lookup="__startswith")}
    )
    equal = _n_plus_one(tmp_path / "equal", {"views.py": _MARK_TAGS.format(lookup="")})
    assert (prefix, equal) == (set(), {("views.py", 9)})


def test_pattern_lookups_examples_run() -> None:
    assert doctest.testmod(pattern_lookups).failed == 0


_RECENT = """
from flask import Flask

app = Flask(__name__)


@app.get("/courses")
def my_courses():
    shown = []
    for sub in submissions.find_last(5):
        try:
            sub["task"] = courses[sub["courseid"]].get_task(sub["taskid"])
            {last}
        except:
            pass
    return shown
"""


def test_a_pass_that_skips_an_item_whose_lookup_fails_is_not_a_swallowed_error(
    tmp_path: Path,
) -> None:
    found = {
        last: {
            (f.path, f.line)
            for f in audit_path(
                write_app(tmp_path / str(i), {"app.py": _RECENT.format(last=last)}),
                roles=["backend_architect"],
            )
            if f.rule == "swallowed-exception"
        }
        for i, last in enumerate(("shown.append(sub)", "submissions.update_one(sub)"))
    }
    assert found == {"shown.append(sub)": set(), "submissions.update_one(sub)": {("app.py", 13)}}


def test_skipped_items_examples_run() -> None:
    assert doctest.testmod(skipped_items).failed == 0


def test_a_row_built_from_reads_inside_the_append_is_still_a_swallowed_error(
    tmp_path: Path,
) -> None:
    built = _RECENT.replace(
        'sub["task"] = courses[sub["courseid"]].get_task(sub["taskid"])\n            {last}',
        'shown.append({{"task": courses[sub["courseid"]].get_task(sub["taskid"])}})',
    )
    found = {
        (f.path, f.line)
        for f in audit_path(write_app(tmp_path, {"app.py": built}), roles=["backend_architect"])
        if f.rule == "swallowed-exception"
    }
    assert found == {("app.py", 12)}
