"""ML review round 59: a file only a newer Python can parse is not reviewed, and says so.

credmodex 0.2.8 (`credlab.py`, `pricing/pricing.py`) writes f-strings that reuse their own
quotes inside the braces, valid from Python 3.12 (PEP 701). The review runs on 3.11, could not
parse them and reported two `parse-error` findings (fresh54, judged false: the code is not at
fault, the review could not read it). Such a file is now listed in `Review.unread` with why, and
`team review` says so in one line; a real syntax error is still a finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.cli import app
from team.review import review_report
from team.review.newer_python import needs_pep701, why_unread
from tests.helpers import write_app

SCORE = """
import numpy as np


def report(scores):
    print(f'{'':=^100}\\n{' SCORE ':=^100}')
    return np.mean(scores)
"""

PRICING = """
FORBIDDEN = {"loan_amount": "amount"}


def columns(frame):
    return frame[f'mean_{FORBIDDEN['loan_amount']}']
"""


def _rules(review) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.rule) for f in review.findings}


def test_an_f_string_of_python_3_12_is_not_reviewed_and_says_why(tmp_path: Path) -> None:
    write_app(tmp_path, {"credlab.py": SCORE, "pricing/pricing.py": PRICING})
    review = review_report(tmp_path)
    assert review.findings == []
    assert [(n.path, n.line) for n in review.unread] == [
        ("credlab.py", 5),
        ("pricing/pricing.py", 5),
    ]
    assert all("Python 3.12" in n.text and "PEP 701" in n.text for n in review.unread)
    assert sorted(review.skipped) == ["credlab.py", "pricing/pricing.py"]


def test_the_cli_says_in_one_line_which_files_it_could_not_read(tmp_path: Path) -> None:
    write_app(tmp_path, {"credlab.py": SCORE, "clean.py": "VALUE = 1\n"})
    result = CliRunner().invoke(app, ["review", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == "0 finding(s)\n"
    note = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(note) == 1
    assert note[0].startswith("note: 1 file not reviewed (credlab.py:5): needs Python 3.12")
    as_json = CliRunner().invoke(app, ["review", str(tmp_path), "--json"])
    assert json.loads(as_json.stdout) == []


@pytest.mark.parametrize(
    "source",
    [
        'print "hello"\n',  # Python 2
        "x = f'{d['k'] d}'\n",  # new grammar, but not an expression on any Python
        "x = f'{d['k']}'\nprint 'a'\n",  # one real error beside the newer syntax
        "x = f'{a'\ny = 1\n",  # unterminated
    ],
)
def test_a_real_syntax_error_stays_a_finding(tmp_path: Path, source: str) -> None:
    (tmp_path / "broken.py").write_text(source)
    review = review_report(tmp_path)
    assert [f.rule for f in review.findings] == ["parse-error"]
    assert review.unread == []
    assert not needs_pep701(source)


@pytest.mark.parametrize(
    "source",
    [
        "x = f'{a!r:>{w}} {'\\n'.join(rows)}'\n",  # a backslash in a field
        "x = f'{total # the sum\n}'\n",  # a comment in a field
        "x = f'{f'{1}'}'\n",  # a nested f-string with the same quotes
        "x = f'{', '.join(f'{k}={v['a']}' for k, v in d.items())}'\n",
    ],
)
def test_each_kind_of_pep_701_field_is_told_apart(source: str) -> None:
    assert needs_pep701(source)


def test_valid_code_needs_no_newer_python() -> None:
    assert not needs_pep701("x = f'{d[\"k\"]}' + \"'\"  # it's\n")


def test_a_package_that_requires_a_newer_python_is_not_reviewed_when_it_does_not_parse(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.99"\n')
    write_app(tmp_path, {"pkg/mod.py": "match = lambda: (yield from)\n", "pkg/ok.py": "A = 1\n"})
    review = review_report(tmp_path / "pkg")
    assert review.findings == []
    assert [(n.path, n.line) for n in review.unread] == [("mod.py", 1)]
    assert "requires Python >= 3.99" in review.unread[0].text
    assert review.reviewed == 1


def test_a_package_for_this_python_keeps_its_syntax_errors(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.8"\n')
    (tmp_path / "mod.py").write_text('print "x"\n')
    assert why_unread('print "x"\n', tmp_path / "mod.py") is None
    assert _rules(review_report(tmp_path)) == {("mod.py", 1, "parse-error")}


def test_a_notebook_cell_of_python_3_12_is_not_reviewed_and_the_rest_is(tmp_path: Path) -> None:
    cells = [
        "from sklearn.preprocessing import StandardScaler\n"
        "from sklearn.model_selection import train_test_split\n"
        "import numpy as np\n"
        "X, y = np.ones((10, 2)), np.arange(10) % 2",
        "print(f'{'':=^40}')",
        "X = StandardScaler().fit_transform(X)\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)",
    ]
    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    review = review_report(tmp_path)
    assert [(n.path, n.line) for n in review.unread] == [("nb.ipynb", 5)]
    assert "cell not reviewed" in review.unread[0].text
    assert {f.rule for f in review.findings} == {"leakage-preprocess-before-split"}

