"""Web round 86 (issue 13): fresh60's false alarms, removed.
netbox-secrets' `secrets_panel` loops over `self.models` but returns at the end of the loop
body on every pass: the query in it runs once (judged false). `few_passes.one_pass` now reads a
loop whose body ends every pass in a return, raise or break. The same loop with the return under
an `if`, or behind a `continue`, stays reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import web_findings

_PANEL = """
    from django.contrib.contenttypes.models import ContentType
    from django.shortcuts import render

    from secrets_app.models import Secret


    def secrets_panel(request, obj_id):
        for model in request.user.models:
            app_label, name = model.split(".")
            kind = ContentType.objects.get(app_label=app_label, model=name).id
    {tail}
        return None
    """
_LINE = 10  # kind = ContentType.objects.get(...)
_MODELS = """
    from django.db import models


    class Secret(models.Model):
        name = models.CharField(max_length=50)
        assigned_object_type = models.IntegerField()
        assigned_object_id = models.IntegerField()
    """
_RENDER = (
    "render(request, 'panel.html', {'secrets': Secret.objects.filter(assigned_object_type=kind)})"
)


def _found(tmp_path: Path, tail: str) -> bool:
    """Whether the ContentType lookup in the loop is reported when the loop body ends with `tail`."""
    body = "\n".join("            " + line for line in tail.splitlines())
    files = {
        "secrets_app/__init__.py": "",
        "secrets_app/models.py": _MODELS,
        "secrets_app/views.py": _PANEL.replace("    {tail}\n", body + "\n"),
    }
    return ("secrets_app/views.py", _LINE) in web_findings(tmp_path, files, "n-plus-one-query")


def test_a_loop_that_returns_on_its_first_pass_runs_its_query_once(tmp_path: Path) -> None:
    assert not _found(tmp_path, f"return {_RENDER}")


def test_a_pass_that_raises_or_returns_on_both_branches_runs_once(tmp_path: Path) -> None:
    tail = f"if kind:\n    return {_RENDER}\nelse:\n    raise ValueError(model)"
    assert not _found(tmp_path, tail)


@pytest.mark.parametrize(
    "tail",
    [
        f"if kind > 3:\n    return {_RENDER}",  # the loop goes on when the test fails
        f"if not kind:\n    continue\nreturn {_RENDER}",  # a pass that skips the return
        f"try:\n    return {_RENDER}\nexcept KeyError:\n    pass",  # a failed pass loops on
        "print(kind)",  # no return at all
    ],
)
def test_a_loop_that_can_reach_a_second_pass_stays_reported(tmp_path: Path, tail: str) -> None:
    assert _found(tmp_path, tail)
