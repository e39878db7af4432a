"""Web round 67 (issue 13): the roles' review reported a parse-error for a file written for
another Python. fresh50's cabot 0.11.12 `cabot/cabotapp/graphite.py` is valid Python 2
(`print 'Getting metrics matching %s' % pattern`, `except RequestException, e:`); credmodex's 3.12
f-strings were a "not reviewed" note in the ML review only. Both reviews now list such a file as
not reviewed, with why: a 3.12 f-string (for the roles who ship the code, only when the package does
not declare an older Python: tendenci 16.30 declares >=3.10, and its 3.12 f-string is a finding,
judged true), Python 2 only when the package declares Python 2 and not 3 and the file parses once
its Python 2 statements are rewritten. Python 2 code in a
package that does not declare Python 2 only (a `print x` cell in a Python 3 project) and a real
syntax error stay parse-error findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.audit import ROLES, audit_path, audit_report
from team.cli import app
from team.review import review_report
from team.review.python2 import declares_python2, reads_as_python2
from tests.helpers import notebook_findings, write_app

_GRAPHITE = """
import requests


def get_matching_metrics(pattern):
    print 'Getting metrics matching %s' % pattern
    try:
        resp = requests.get('http://graphite/metrics', timeout=5)
    except requests.exceptions.RequestException, e:
        raise RuntimeError(`e`)
    return resp.json()
"""


_PYTHON2_ONLY = "setup(classifiers=['Programming Language :: Python :: 2.7'])\n"
_PYTHON2_AND_3 = (
    "setup(classifiers=['Programming Language :: Python :: 2', "
    "'Programming Language :: Python :: 3'])\n"
)


def _parse_errors(root: Path) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in audit_path(root, roles=ROLES) if f.rule == "parse-error"]


def test_a_python_2_module_is_not_reviewed_by_any_role_and_says_why(tmp_path: Path) -> None:
    write_app(
        tmp_path,
        {"setup.py": _PYTHON2_ONLY, "cabotapp/graphite.py": _GRAPHITE, "cabotapp/ok.py": "A = 1\n"},
    )
    for roles in (ROLES, ["backend_architect", "performance_engineer"], ["ml_engineer"]):
        report = audit_report(tmp_path, roles=roles)
        assert [f for f in report.findings if f.rule == "parse-error"] == []
        assert [(n.path, n.line) for n in report.unread] == [("cabotapp/graphite.py", 5)]
        assert "written for Python 2" in report.unread[0].text


@pytest.mark.parametrize(
    "metadata",
    [
        {},  # no package metadata: nothing says the project runs Python 2
        {"setup.py": "setup(name='cabot')\n"},  # metadata that names no Python
        {"setup.py": _PYTHON2_AND_3},
        {"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n'},
    ],
)
def test_python_2_code_in_a_package_not_declaring_python_2_only_stays_a_finding(
    tmp_path: Path, metadata: dict[str, str]
) -> None:
    write_app(tmp_path, {**metadata, "cabotapp/graphite.py": _GRAPHITE})
    for roles in (ROLES, ["backend_architect"], ["ml_engineer"]):
        report = audit_report(tmp_path, roles=roles)
        assert [(f.path, f.line) for f in report.findings if f.rule == "parse-error"] == [
            ("cabotapp/graphite.py", 5)
        ]
        assert report.unread == []


def test_a_python_2_notebook_cell_is_a_finding_unless_the_package_declares_python_2_only(
    tmp_path: Path,
) -> None:
    assert notebook_findings(tmp_path / "project", "x = 1", "print x") == {(2, "parse-error")}
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "setup.py").write_text(_PYTHON2_ONLY)
    assert notebook_findings(tmp_path / "legacy", "x = 1", "print x") == set()
    unread = review_report(tmp_path / "legacy").unread
    assert [(n.path, n.line) for n in unread] == [("nb.ipynb", 2)]
    assert "written for Python 2" in unread[0].text


def test_the_cli_says_in_one_line_which_files_no_role_read(tmp_path: Path) -> None:
    write_app(tmp_path, {"setup.py": _PYTHON2_ONLY, "graphite.py": _GRAPHITE})
    result = CliRunner().invoke(app, ["review", str(tmp_path), "--role", "backend_architect"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 finding(s)"
    assert result.stderr.startswith(
        "note: 1 file not reviewed (graphite.py:5): written for Python 2"
    )


@pytest.mark.parametrize(
    "source",
    [
        "print 'x' y\n",  # an error on Python 2 as well
        "print 'x'\ndef f(:\n    pass\n",  # a real error beside a Python 2 print
        "try:\n    f()\nexcept E, e\n    pass\n",  # the colon is missing
        "x = (1,\n",  # no Python 2 in it at all
        "exec 'x = 1' in ns\n",  # an exec statement: not one of the forms rewritten
    ],
)
def test_a_real_syntax_error_stays_a_finding_for_every_role(tmp_path: Path, source: str) -> None:
    (tmp_path / "setup.py").write_text(_PYTHON2_ONLY)
    (tmp_path / "broken.py").write_text(source)
    assert [path for path, _ in _parse_errors(tmp_path)] == ["broken.py"]
    assert audit_report(tmp_path, roles=ROLES).unread == []
    assert review_report(tmp_path).unread == []


@pytest.mark.parametrize(
    "source",
    [
        "print 'x' % y\n",
        "if a: print >>sys.stderr, 'x'\nprint 'b'\n",
        "print\nprint 'a',\n",
        "try:\n    f()\nexcept (A, B), e:\n    pass\n",
        "x = `y` + `z`\n",
    ],
)
def test_each_python_2_form_reads_as_python_2(source: str) -> None:
    assert reads_as_python2(source)


def test_python_3_code_is_not_read_as_python_2() -> None:
    assert not reads_as_python2("print('x')\nprint >> f\n")


@pytest.mark.parametrize(
    ("metadata", "text", "declared"),
    [
        (
            "setup.py",
            "'Programming Language :: Python :: 2.7', 'Programming Language :: Python :: 2'",
            True,
        ),
        ("setup.py", "python_requires='>=2.7, <3'", True),
        (
            "setup.py",
            "'Programming Language :: Python :: 2', 'Programming Language :: Python :: 3'",
            False,
        ),
        ("setup.cfg", "[options]\npython_requires = >=3.8\n", False),
        ("setup.py", "name='cabot'", False),
    ],
)
def test_a_package_declaring_python_2_only_is_told_apart(
    tmp_path: Path, metadata: str, text: str, declared: bool
) -> None:
    (tmp_path / metadata).write_text(text)
    (tmp_path / "pkg").mkdir()
    assert declares_python2(tmp_path / "pkg") is declared


_PEP701 = "def label(d):\n    return f'{d['key']}'\n"


def test_a_3_12_f_string_in_a_package_declaring_an_older_python_is_a_finding_for_the_roles(
    tmp_path: Path,
) -> None:
    write_app(
        tmp_path,
        {"pyproject.toml": '[project]\nrequires-python = ">=3.10"\n', "events/forms.py": _PEP701},
    )
    for roles in (ROLES, ["backend_architect", "devops_engineer"]):
        report = audit_report(tmp_path, roles=roles)
        found = [f for f in report.findings if f.rule == "parse-error"]
        assert [(f.path, f.line) for f in found] == [("events/forms.py", 2)]
        assert "declares Python >= 3.10, where this file does not import" in found[0].message
        assert report.unread == []
    ml = audit_report(tmp_path, roles=["ml_engineer"])
    assert [f for f in ml.findings if f.rule == "parse-error"] == []
    assert [(n.path, "needs Python 3.12" in n.text) for n in ml.unread] == [
        ("events/forms.py", True)
    ]


@pytest.mark.parametrize(
    "metadata", [{}, {"pyproject.toml": '[project]\nrequires-python = ">=3.12"\n'}]
)
def test_a_3_12_f_string_where_no_older_python_is_declared_is_not_reviewed(
    tmp_path: Path, metadata: dict[str, str]
) -> None:
    write_app(tmp_path, {**metadata, "events/forms.py": _PEP701})
    report = audit_report(tmp_path, roles=["backend_architect"])
    assert [f for f in report.findings if f.rule == "parse-error"] == []
    assert [(n.path, n.line) for n in report.unread] == [("events/forms.py", 2)]
