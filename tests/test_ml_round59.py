"""ML review round 59: a file only a newer Python can parse is not reviewed, and says so; centring
inside an estimator's own `fit` is no leak.

credmodex 0.2.8 (`credlab.py`, `pricing/pricing.py`) writes f-strings that reuse their own
quotes inside the braces, valid from Python 3.12 (PEP 701). The review runs on 3.11, could not
parse them and reported two `parse-error` findings (fresh54, judged false: the code is not at
fault, the review could not read it). Such a file is now listed in `Review.unread` with why, and
`team review` says so in one line; a real syntax error is still a finding.

nirs4all-aom 0.10.4's PLS estimators centre the X their `fit` is given, store the mean and reuse
it in `predict`; the component selection inside `fit` then splits the centred rows (KFold). Both
were reported as a full-data statistic before a split (fresh54, judged false twice).
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


def test_the_cli_note_gives_each_file_its_own_reason(tmp_path: Path) -> None:
    write_app(tmp_path, {"credlab.py": SCORE, "broken.py": "def f(:\n", "clean.py": "VALUE = 1\n"})
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.13"\n')
    result = CliRunner().invoke(app, ["review", str(tmp_path)])
    note = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(note) == 1
    assert note[0].startswith(
        "note: 2 files not reviewed (broken.py:1): the package requires Python >= 3.13"
    )
    assert "; (credlab.py:5): needs Python 3.12" in note[0]


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


SELECTION = """
import numpy as np
from sklearn.model_selection import KFold


def cv_error(X, y):
    errors = []
    for train, test in KFold(n_splits=5).split(X):
        x_mean = X[train].mean(axis=0)
        coef = np.linalg.lstsq(X[train] - x_mean, y[train], rcond=None)[0]
        errors.append(np.mean(((X[test] - x_mean) @ coef - y[test]) ** 2))
    return float(np.mean(errors))
"""

ESTIMATOR = """
import numpy as np

from selection import cv_error


class CentredRegression:
    def __init__(self, center=True):
        self.center = center

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if self.center:
            self.x_mean_ = X.mean(axis=0)
        else:
            self.x_mean_ = np.zeros(X.shape[1])
        Xc = X - self.x_mean_
        self.cv_error_ = cv_error(Xc, y)
        self.coef_ = np.linalg.lstsq(Xc, y, rcond=None)[0]
        return self

    def predict(self, X):
        return (np.asarray(X, dtype=float) - self.x_mean_) @ self.coef_
"""

CENTRED_LINE = ESTIMATOR.lstrip().splitlines().index("        Xc = X - self.x_mean_") + 1

HOLDOUT = """
import numpy as np
from sklearn.model_selection import train_test_split


class HoldoutRegression:
    def fit(self, X, y):
        self.mean_ = X.mean(axis=0)
        X = X - self.mean_
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
        self.coef_ = np.linalg.lstsq(X_tr, y_tr, rcond=None)[0]
        print("held-out error", np.mean((X_te @ self.coef_ - y_te) ** 2))
        return self

    def predict(self, X):
        return (X - self.mean_) @ self.coef_
"""

SCALED_BEFORE_SPLIT = """
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

frame = pd.read_csv("prices.csv")
y = frame.pop("price")
X = StandardScaler().fit_transform(frame)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
print(Ridge().fit(X_tr, y_tr).score(X_te, y_te))
"""


def _leaks(folder: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    write_app(folder, files)
    return {
        (f.path, f.line)
        for f in review_report(folder).findings
        if f.rule == "leakage-preprocess-before-split"
    }


def test_centring_in_an_estimators_own_fit_before_its_inner_selection_is_no_leak(
    tmp_path: Path,
) -> None:
    write_app(tmp_path, {"selection.py": SELECTION, "estimators.py": ESTIMATOR})
    assert review_report(tmp_path).findings == []


def test_the_same_centring_in_a_method_that_is_not_a_fit_is_still_reported(
    tmp_path: Path,
) -> None:
    files = {"selection.py": SELECTION, "estimators.py": ESTIMATOR.replace("def fit", "def run")}
    assert _leaks(tmp_path, files) == {("estimators.py", CENTRED_LINE)}


def test_centring_without_fitted_state_reused_elsewhere_is_still_reported(
    tmp_path: Path,
) -> None:
    files = {
        "selection.py": SELECTION,
        "estimators.py": ESTIMATOR.replace("(np.asarray(X, dtype=float) - self.x_mean_)", "X"),
    }
    assert _leaks(tmp_path, files) == {("estimators.py", CENTRED_LINE)}


def test_a_fit_that_holds_out_rows_itself_and_reports_their_error_is_still_reported(
    tmp_path: Path,
) -> None:
    assert _leaks(tmp_path, {"model.py": HOLDOUT}) == {("model.py", 8)}


def test_a_scaler_fitted_on_all_rows_before_the_split_is_still_reported(tmp_path: Path) -> None:
    assert _leaks(tmp_path, {"train.py": SCALED_BEFORE_SPLIT}) == {("train.py", 8)}
