"""ML review round 62: one root cause in a helper, reported once (issue 14).

mule-hunt 0.8.1's `train.py` fits an isotonic calibrator on the validation rows and Brier-scores
it on the same rows (164-166); `cli.py` calls `train_gnn` from four commands, and the review
reported the one cause four times, once per call (all judged true, "one root cause"). A score
inside a called helper is now reported once, at the first call, naming the helper's lines and
the other calls. The same holds for leakage-preprocess-before-split (the same run reported
train.py:26's all-row standardisation at the four calls too): findings placed at the calls of a
helper that holds both the statistic and the split become one (`once_per_cause`).
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from team.review.core import Finding
from team.review.preprocessleak import once_per_cause
from tests.helpers import write_app

TRAIN = """
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss


def train_model(X, y, calibrate=True):
    n = len(y) // 2
    model = LogisticRegression(random_state=0).fit(X[:n], y[:n])
    val_probs = model.predict_proba(X[n:])[:, 1]
    val_y = y[n:]
    brier_after = brier_score_loss(val_y, val_probs)
    if calibrate:
        iso = IsotonicRegression(out_of_bounds="clip")
        iso.fit(val_probs, val_y)
        calibrated = iso.predict(val_probs)
        brier_after = brier_score_loss(val_y, calibrated)
    return brier_after
"""
# the clean twin: the calibrator is fitted on one half of the validation rows, scored on the other
HELD_OUT = (
    TRAIN.replace("iso.fit(val_probs, val_y)", "iso.fit(val_probs[: n // 2], val_y[: n // 2])")
    .replace("iso.predict(val_probs)", "iso.predict(val_probs[n // 2 :])")
    .replace("brier_score_loss(val_y, calibrated)", "brier_score_loss(val_y[n // 2 :], calibrated)")
)
CLI = """
import sys

import numpy as np

from train import train_model

X = np.arange(400.0).reshape(100, 4)
y = np.arange(100) % 2


def cmd_train():
    print(train_model(X, y))


def cmd_benchmark():
    for _ in range(3):
        print(train_model(X, y, calibrate=True))


def cmd_demo():
    print(train_model(X, y))


if __name__ == "__main__":
    {"train": cmd_train, "benchmark": cmd_benchmark, "demo": cmd_demo}[sys.argv[1]]()
"""


def _line(text: str, part: str, nth: int = 0) -> int:
    lines = text.lstrip().splitlines()
    return [n for n, line in enumerate(lines, start=1) if part in line][nth]


def _eval_on_train(folder: Path, train: str) -> list[tuple[str, int, str]]:
    write_app(folder, {"train.py": train, "cli.py": CLI})
    return [(f.path, f.line, f.message) for f in review_path(folder) if f.rule == "eval-on-train"]


def test_a_helper_called_from_three_commands_is_one_finding_at_the_first_call(
    tmp_path: Path,
) -> None:
    found = _eval_on_train(tmp_path, TRAIN)
    calls = [_line(CLI, "train_model(X, y", nth) for nth in range(3)]
    assert [(path, line) for path, line, _ in found] == [("cli.py", calls[0])]
    message = found[0][2]
    assert f"train.py:{_line(TRAIN, 'brier_score_loss(val_y, calibrated)')}" in message
    assert f"train.py:{_line(TRAIN, 'iso.fit(')}" in message  # where the helper fits it
    assert f"also called at lines {calls[1]}, {calls[2]}" in message


def test_the_calibrator_scored_on_rows_it_did_not_see_is_clean(tmp_path: Path) -> None:
    assert HELD_OUT != TRAIN
    assert _eval_on_train(tmp_path, HELD_OUT) == []


def test_two_helpers_with_a_cause_each_stay_two_findings(tmp_path: Path) -> None:
    second = TRAIN.split("\n\n\n", 1)[1].replace("def train_model(", "def train_again(")
    cli = CLI.replace("import train_model", "import train_model, train_again").replace(
        "train_model(X, y, calibrate=True)", "train_again(X, y, calibrate=True)"
    )
    write_app(tmp_path, {"train.py": TRAIN + "\n\n" + second, "cli.py": cli})
    found = [(f.line, f.message) for f in review_path(tmp_path) if f.rule == "eval-on-train"]
    first, again, demo = (
        _line(cli, call, nth)
        for call, nth in (("train_model(X", 0), ("train_again(X", 0), ("train_model(X", 1))
    )
    assert [line for line, _ in found] == [first, again]
    assert f"also called at line {demo}." in found[0][1]
    assert "also called" not in found[1][1]


def _finding(line: int, rule: str = "leakage-preprocess-before-split") -> Finding:
    return Finding("cli.py", line, rule, "error", "a statistic of the full dataset leaks.", "")


def test_findings_of_one_helper_cause_become_one_at_the_first_call() -> None:
    cause = ("stat", "train.py", 26, "train.py", 145)
    kept = once_per_cause([_finding(141), _finding(327), _finding(403)], [cause] * 3)
    assert [f.line for f in kept] == [141]
    assert kept[0].message.endswith("The same helper is also called at lines 327, 403.")


def test_findings_of_other_causes_or_of_the_file_itself_are_all_kept() -> None:
    found = [_finding(141), _finding(175), _finding(200), _finding(210)]
    causes: list[object] = [
        ("stat", "train.py", 26, "train.py", 145),
        ("stat", "train.py", 26, "baseline.py", 58),  # another split of the same statistic
        None,
        None,
    ]
    assert once_per_cause(found, causes) == found
