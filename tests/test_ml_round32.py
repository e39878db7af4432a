"""ML review round 32: false alarms of real code, by family.

Family 1, a t-SNE layout drawn inside a plotting helper: `def plot_tsne(x, y)` fits `TSNE()` on what its
caller hands it, scatters the layout and returns nothing. The picture is the caller's to seed; no
number depends on it (robustness's `tools/vis_tools.py`). The same embedding fitted in a script,
in a helper that returns it, or in a helper whose layout also feeds a number stays reported.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from team.cli import app
from team.review import review_path
from tests.helpers import write_app

RULE = "unseeded-randomness"

PLOT_HELPER = """\
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE


    def plot_tsne(x, y):
        points = TSNE(n_components=2).fit_transform(x)
        plt.scatter(points[:, 0], points[:, 1], c=y)
        plt.show()
"""


def _unseeded(tmp_path: Path, text: str, *, name: str = "vis.py") -> list[int]:
    write_app(tmp_path, {name: text})
    return [f.line for f in review_path(tmp_path) if f.rule == RULE]


def _explained(tmp_path: Path, text: str, *, name: str) -> list[str]:
    """The lines `team review --explain` prints for a folder holding the one file."""
    write_app(tmp_path, {name: text})
    result = CliRunner().invoke(app, ["review", str(tmp_path), "--explain"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_layout_only_plotted_by_a_helper_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, PLOT_HELPER) == []


def test_explain_says_the_layout_is_only_plotted(tmp_path: Path) -> None:
    assert (
        "vis.py:6: not reported unseeded-randomness: TSNE: its output is only plotted by "
        "plot_tsne(), a helper that returns nothing"
    ) in _explained(tmp_path, PLOT_HELPER, name="vis.py")


def test_the_same_layout_in_a_script_is_reported(tmp_path: Path) -> None:
    script = """\
        import matplotlib.pyplot as plt
        from sklearn.datasets import load_digits
        from sklearn.manifold import TSNE

        X, y = load_digits(return_X_y=True)
        points = TSNE(n_components=2).fit_transform(X)
        plt.scatter(points[:, 0], points[:, 1], c=y)
        plt.show()
    """
    assert _unseeded(tmp_path, script) == [6]


def test_a_helper_that_returns_the_layout_is_reported(tmp_path: Path) -> None:
    returning = PLOT_HELPER.replace("        plt.show()\n", "        return points\n")
    assert _unseeded(tmp_path, returning) == [6]


def test_a_layout_that_also_feeds_a_number_is_reported(tmp_path: Path) -> None:
    scored = PLOT_HELPER.replace(
        "        plt.show()\n", "        plt.title(str(points.std()))\n        plt.show()\n"
    )
    assert _unseeded(tmp_path, scored) == [6]


def test_a_helper_not_named_for_showing_is_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, PLOT_HELPER.replace("plot_tsne", "embed")) == [6]
