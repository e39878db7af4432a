"""The ML review survives any file, and the ``review`` tool keeps to its time and output limits."""

from __future__ import annotations

import importlib
import itertools
import json
import subprocess
import time
from pathlib import Path

import pytest
from services import team_command

from team.review import ReviewLimits, review_report
from team.tools import Limits, repo_tools

LEAKY = (
    "import pandas as pd\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "df = pd.read_csv('data.csv')\n"
    "X = StandardScaler().fit_transform(df.drop(columns=['y']))\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, df['y'], random_state=0)\n"
)


def team_review(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [team_command(), "review", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "sum.py").write_text("x = " + "+".join(["a"] * 50_000) + "\n")  # 100 KB
    cells = '{"cells": [{"cell_type": "code", "source": ' + "[" * 100_000 + "]" * 100_000 + "}]}"
    (root / "deep.ipynb").write_text(cells)
    (root / "nested.py").write_text("import numpy\nx = " + "[" * 150 + "]" * 150 + "\n")
    (root / "broken.py").write_text("def f(:\n")
    (root / "train.py").write_text(LEAKY)
    return root


def test_files_that_cannot_be_analysed_are_skipped_and_listed(hostile: Path) -> None:
    review = review_report(hostile)
    assert review.partial == ""
    assert sorted(review.skipped) == ["broken.py", "deep.ipynb", "nested.py", "sum.py"]
    assert review.reviewed == 1
    assert "leakage-preprocess-before-split" in {f.rule for f in review.findings}

    done = team_review(str(hostile))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert "sum.py:1: info parse-error: skipped: nests too deeply to analyse" in lines
    assert "deep.ipynb:1: info parse-error: skipped: nests too deeply to analyse" in lines
    assert "nested.py:1: info parse-error: skipped: nests deeper than 100 levels" in lines
    assert any(
        line.startswith("train.py:5: error leakage-preprocess-before-split") for line in lines
    )
    (hostile / "deploy.yaml").write_text("a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    every_role = team_review(str(hostile), "--role", "all")
    assert every_role.returncode == 1, every_role.stderr
    assert "Traceback" not in every_role.stderr


def test_exit_2_when_the_review_could_not_run(hostile: Path) -> None:
    only_bad = team_review(str(hostile / "sum.py"))
    assert only_bad.returncode == 2
    assert only_bad.stderr == "error: no file could be reviewed (1 skipped)\n"
    as_json = team_review(str(hostile / "deep.ipynb"), "--json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout)[0]["rule"] == "parse-error"
    missing = team_review(str(hostile / "nope"))
    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1)
    clean = hostile / "clean"
    clean.mkdir()
    (clean / "ok.py").write_text("print('hi')\n")
    assert team_review(str(clean)).returncode == 0


def test_a_review_stops_at_its_file_budget(tmp_path: Path) -> None:
    for index in range(10):
        (tmp_path / f"m{index}.py").write_text(LEAKY)
    review = review_report(tmp_path, limits=ReviewLimits(max_files=3))
    assert review.partial == "read the first 3 files (3 files or 16777216 bytes at most)"
    assert {f.path for f in review.findings} == {"m0.py", "m1.py", "m2.py"}
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "train.py").write_text(LEAKY)
    folder = review_report(tmp_path, paths=["zz"], limits=ReviewLimits(max_files=3))
    assert {f.path for f in folder.findings} == {"zz/train.py"}


def test_a_loaded_machine_does_not_cut_a_review_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget counts the reviewing thread's CPU time: a wall clock that leaps 1000 s between
    two readings (a machine so busy the review waits for the CPU) leaves the findings whole."""
    for index in range(5):
        (tmp_path / f"m{index}.py").write_text(LEAKY)
    wall = itertools.count(0, 1000)

    class LoadedClock:
        @staticmethod
        def monotonic() -> float:
            return float(next(wall))

        thread_time = staticmethod(time.thread_time)

    monkeypatch.setattr(importlib.import_module("team.review.engine"), "time", LoadedClock)
    review = review_report(tmp_path, limits=ReviewLimits(seconds=60))
    assert review.partial == ""
    assert sorted(f.path for f in review.findings) == [f"m{index}.py" for index in range(5)]


def test_the_review_tool_keeps_to_its_time_limit_and_output_cap(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"m{index:02d}.py").write_text(LEAKY)
    review = repo_tools(tmp_path, allowed=["review"], limits=Limits(timeout=0))[0]
    reply = review.invoke({})
    assert (
        reply
        == "no findings in the repository\n[review stopped at the 0 s limit; results are partial]"
    )

    capped = repo_tools(tmp_path, allowed=["review"], limits=Limits(max_matches=5))[0]
    lines = capped.invoke({}).splitlines()
    assert lines[0] == "40 finding(s)"
    assert len(lines) == 7 and lines[-1] == "... 35 more findings (review a subfolder)"

    tiny = repo_tools(tmp_path, allowed=["review"], limits=Limits(max_bytes=1000))[0]
    reply = tiny.invoke({})
    assert len(reply.encode()) < 1400
    assert "[output cut at 1000 bytes; ask for less]" in reply
