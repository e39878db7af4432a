"""ML review round 76: an unseeded draw a notebook hands only to its own plotting function
(issue 14).

tsfresh 0.21.2's `inspect_dft_features.ipynb` draws Gaussian noise (`np.random.normal`) only to
add it to a signal and hand the noisy signal, and its discrete Fourier transform (`rfft`), to the
notebook's own `plot_x_and_rfft(x, fft_coeffs)`, a function that returns nothing and only plots
its arguments (judged false: no metric or result is computed). A notebook is imported by nothing,
so the name is that function, and its parameters are followed into it. A helper that also prints
a number made from its argument, one that fits a model on it, one that returns a value the
notebook keeps and prints, and a second function of the same name stay reported.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import notebook_findings

RULE = "unseeded-randomness"

HELPER = """
import numpy as np
import matplotlib.pylab as plt
from numpy.fft import rfft


def plot_x_and_rfft(x, fft_coeffs):
    fft = fft_coeffs
    plt.figure(figsize=(12, 4))
    plt.subplot(211)
    plt.title("Time Series")
    plt.plot(x)
    plt.subplot(212)
    plt.plot(fft.real, label="real", marker="o")
    plt.plot(np.abs(fft), label="abs", marker="o")
    plt.legend()
    plt.show()
"""

DRAW = """
x = np.cos(np.linspace(0, 8 * np.pi, 200, endpoint=False))
noise = np.random.normal(loc=0.0, scale=1, size=200)
x_with_noise = x + noise
plt.plot(x_with_noise)
plt.show()
plot_x_and_rfft(x_with_noise, rfft(x_with_noise, norm="ortho"))
"""


def _lines(folder: Path, helper: str = HELPER, draw: str = DRAW) -> list[int]:
    return sorted(line for line, rule in notebook_findings(folder, helper, draw) if rule == RULE)


def test_noise_handed_only_to_the_notebooks_plotter_is_not_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path) == []


def test_a_helper_that_prints_a_number_from_its_argument_stays_reported(tmp_path: Path) -> None:
    helper = HELPER + "    print(np.abs(fft).max())\n"
    assert _lines(tmp_path, helper=helper)


def test_a_helper_that_fits_on_its_argument_stays_reported(tmp_path: Path) -> None:
    helper = (
        HELPER
        + "    from sklearn.linear_model import LinearRegression\n"
        + "    LinearRegression().fit(np.arange(len(x)).reshape(-1, 1), x)\n"
    )
    assert _lines(tmp_path, helper=helper)


def test_a_helper_whose_value_is_kept_stays_reported(tmp_path: Path) -> None:
    helper = HELPER + "    return np.abs(fft).argmax()\n"
    draw = DRAW.replace("plot_x_and_rfft(", "peak = plot_x_and_rfft(") + "print(peak)\n"
    assert _lines(tmp_path, helper=helper, draw=draw)


def test_a_helper_defined_twice_stays_reported(tmp_path: Path) -> None:
    other = "def plot_x_and_rfft(x, fft_coeffs):\n    print(x.mean(), fft_coeffs.max())\n"
    assert sorted(
        line for line, rule in notebook_findings(tmp_path, HELPER, other, DRAW) if rule == RULE
    )


# The review's mends: a name a parameter, a lambda argument or a star import may bind runs
# something else; only numpy's or scipy's transform passes values; a maximum written as text is a
# result like a mean.

SHOW = HELPER.replace("plot_x_and_rfft", "show_x_and_rfft")

THROUGH_PARAMETER = """
def experiment(show_x_and_rfft):
    x = np.cos(np.linspace(0, 8 * np.pi, 200, endpoint=False))
    noise = np.random.normal(loc=0.0, scale=1, size=200)
    show_x_and_rfft(x + noise, rfft(x + noise))


experiment(lambda x, c: print("peak", np.abs(c).max()))
"""


def test_a_call_through_a_parameter_of_the_functions_name_stays_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, helper=SHOW, draw=THROUGH_PARAMETER)


def test_a_star_import_after_the_function_keeps_the_draw_reported(tmp_path: Path) -> None:
    lines = notebook_findings(tmp_path, HELPER, "from tsfresh_helpers import *\n", DRAW)
    assert [line for line, rule in lines if rule == RULE]


def test_the_notebooks_own_rfft_that_prints_does_not_pass_values(tmp_path: Path) -> None:
    own = HELPER.replace("from numpy.fft import rfft\n", "") + (
        "\n\ndef rfft(x):\n"
        "    coeffs = np.fft.rfft(x)\n"
        '    print("peak", np.abs(coeffs).max())\n'
        "    return coeffs\n"
    )
    draw = DRAW.replace('rfft(x_with_noise, norm="ortho")', "rfft(x_with_noise)")
    assert _lines(tmp_path, helper=own, draw=draw)


def test_numpys_rfft_by_its_module_passes_values(tmp_path: Path) -> None:
    draw = DRAW.replace(", rfft(", ", np.fft.rfft(")
    assert _lines(tmp_path, draw=draw) == []


SPECTRUM = """
x = np.cos(np.linspace(0, 8 * np.pi, 200, endpoint=False))
noise = np.random.normal(loc=0.0, scale=1, size=200)
spec = rfft(x + noise, norm="ortho")
plt.plot(np.abs(spec))
plt.title("spectrum")
"""


def test_a_spectrums_peak_written_as_the_title_stays_reported(tmp_path: Path) -> None:
    titled = SPECTRUM.replace('"spectrum"', 'f"peak |X| = {np.abs(spec).max():.2f}"')
    assert _lines(tmp_path, draw=SPECTRUM) == []
    assert _lines(tmp_path, draw=titled)


def test_the_helpers_title_with_the_peak_of_its_argument_stays_reported(tmp_path: Path) -> None:
    peak = 'plt.title(f"peak |X| = {np.abs(fft_coeffs).max():.2f}")'
    assert _lines(tmp_path, helper=HELPER.replace('plt.title("Time Series")', peak))


def test_a_band_drawn_between_the_minimum_and_maximum_is_not_reported(tmp_path: Path) -> None:
    band = SPECTRUM.replace(
        "plt.plot(np.abs(spec))",
        "runs = np.abs(spec)\nplt.fill_between(range(len(runs)), np.min(runs), np.max(runs))",
    )
    assert _lines(tmp_path, draw=band) == []
