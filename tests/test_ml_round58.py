"""ML review round 58: an unseeded draw that only picks what a figure shows.

machine-learning-datasets' `interpret.py` (the helpers of *Interpretable Machine Learning with
Python*) shuffles the indices of the misclassified images in `compare_image_predictions()` with
`np.random.shuffle` only to choose which few of them it draws with `plt.imshow` and titles with
their labels (979-1012); no number depends on the draw and nothing is returned (fresh53, judged
false). A draw whose values, followed through names, loops, indexing and f-strings, reach only
matplotlib or seaborn drawing calls is no longer reported. A draw whose picks are also fitted,
scored, printed, saved, returned or tested in a condition keeps the finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

HEAD = """
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

X = np.arange(400.0).reshape(100, 4)
y = np.arange(100) % 2
model = LogisticRegression(random_state=0).fit(X[:80], y[:80])
pred = model.predict(X[80:])
print(accuracy_score(y[80:], pred))
"""

COMPARE = """

def compare(images, labels, predicted, num_samples=3):
    wrong = np.unique(np.where(labels != predicted)[0])
    if wrong.shape[0] > num_samples:
        np.random.shuffle(wrong)
        picked = wrong[0:num_samples]
    else:
        picked = wrong
    plt.subplots(figsize=(9, 3))
    for i, s in enumerate(picked, start=1):
        plt.subplot(1, num_samples, i)
        plt.imshow(images[s].reshape(2, 2))
        plt.title(f"true {labels[s]} ({predicted[s]:.0f})")
{extra}
    plt.show()


compare(X[80:], y[80:], pred)
"""


def _line(body: str, text: str) -> int:
    return (HEAD + body).lstrip().splitlines().index(text) + 1


SHUFFLE_LINE = _line(COMPARE, "        np.random.shuffle(wrong)")


def _compare(extra: str = "") -> str:
    return COMPARE.replace("{extra}", extra)


def _unseeded(tmp_path: Path, body: str, *, head: str = HEAD) -> list[int]:
    write_app(tmp_path, {"explain.py": head + body})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_a_shuffle_that_only_picks_the_images_a_figure_shows(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, _compare()) == []


def test_the_module_is_then_clean(tmp_path: Path) -> None:
    write_app(tmp_path, {"explain.py": HEAD + _compare()})
    assert review_path(tmp_path) == []


def test_rows_drawn_for_a_grid_of_axes(tmp_path: Path) -> None:
    body = (
        "\n\ndef grid_of(images, labels):\n"
        "    fig, axes = plt.subplots(3, 3)\n"
        "    chosen = np.random.choice(len(images), 9, replace=False)\n"
        "    for ax, k in zip(axes.flat, chosen):\n"
        "        ax.imshow(images[k].reshape(2, 2))\n"
        "        ax.set_title('label {}'.format(labels[k]))\n"
        "    fig.savefig('grid.png')\n"
        "\n\ngrid_of(X[80:], y[80:])\n"
    )
    assert _unseeded(tmp_path, body) == []


@pytest.mark.parametrize(
    "extra",
    [
        "    LogisticRegression(random_state=0).fit(images[picked], labels[picked])",
        "    plt.suptitle(f'{accuracy_score(labels[picked], predicted[picked]):.2f}')",
        "    print(labels[picked])",
        "    np.save('picked.npy', images[picked])",
        "    if labels[picked[0]] == 1:\n        plt.legend()",
        "    compare.last = picked",
        "    def later():\n        return picked\n    plt.legend()",
    ],
    ids=["fitted", "scored-in-the-title", "printed", "saved", "in-a-condition", "kept", "nested"],
)
def test_picks_that_reach_a_result_keep_the_finding(tmp_path: Path, extra: str) -> None:
    assert _unseeded(tmp_path, _compare(extra)) == [SHUFFLE_LINE]


def test_the_picks_returned_keep_the_finding(tmp_path: Path) -> None:
    body = _compare().replace("    plt.show()\n", "    plt.show()\n    return picked\n")
    assert _unseeded(tmp_path, body) == [SHUFFLE_LINE]


SHUFFLED_PARAMETER = (
    "\n\ndef first_of(images, order):\n"
    "    np.random.shuffle(order)\n"
    "    plt.imshow(images[order[0]].reshape(2, 2))\n"
    "\n\nfirst_of(X[80:], np.arange(20))\n"
)
SHUFFLED_THEN_FITTED = (
    "\nrows = np.arange(100)\n"
    "np.random.shuffle(rows)\n"
    "plt.plot(X[rows, 0])\n"
    "LogisticRegression(random_state=0).fit(X[rows[:80]], y[rows[:80]])\n"
)


@pytest.mark.parametrize(
    ("body", "draw"),
    [
        (SHUFFLED_PARAMETER, "    np.random.shuffle(order)"),
        (SHUFFLED_THEN_FITTED, "np.random.shuffle(rows)"),
    ],
    ids=["the-caller-s-array", "rows-then-fitted"],
)
def test_shuffles_that_reach_a_result_keep_the_finding(
    tmp_path: Path, body: str, draw: str
) -> None:
    assert _unseeded(tmp_path, body) == [_line(body, draw)]
