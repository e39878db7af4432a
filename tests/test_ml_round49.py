"""ML review round 49: real code that nobody here wrote, by family.

Family 1, a random probe input fed to a model that nothing trains (precision): thqml's
phase-space notebooks build a Keras model from constant layers, draw
`xtrain = np.random.rand(1, N) - 0.5` and call the model on it to print a covariance matrix or
photon numbers; nothing is fitted and nothing draws weights, so no printed number depends on the
draw. Such a draw is silent in a notebook when its every read is the only argument of a model or
layer the notebook built (or of a `*_like` maker); a model that is fitted, built with a random
layer, or a draw handed to a function of the notebook or used in arithmetic stays reported.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import notebook_findings

IMPORTS = "import numpy as np\nimport tensorflow as tf\n"
MODEL = (
    "xin = tf.keras.layers.Input(2)\n"
    "{layer}\n"
    "model = tf.keras.Model(inputs=xin, outputs=layer(xin))\n"
)
CONSTANT = "layer = Squeezer(2, r=0.5)"


def _unseeded(tmp_path: Path, probe: str, *, layer: str = CONSTANT, more: str = "") -> list[int]:
    found = notebook_findings(tmp_path, IMPORTS, MODEL.format(layer=layer), probe, more)
    return sorted(line for line, rule in found if rule == "unseeded-randomness")


PROBE = (
    "xtrain = np.random.rand(1, 2) - 0.5\nytrain = np.zeros_like(xtrain)\nprint(model(xtrain))\n"
)


def test_a_probe_input_of_an_untrained_constant_model_is_silent(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, PROBE) == []


def test_the_probe_of_a_fitted_model_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, PROBE, more="model.fit(xtrain, ytrain, epochs=3)\n") == [6]


def test_the_probe_of_a_model_with_a_random_layer_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, PROBE, layer="layer = RandomLayer(2)") == [6]


def test_a_draw_handed_to_a_function_of_the_notebook_stays_reported(tmp_path: Path) -> None:
    probe = "def estimate(x):\n    return (x ** 2).mean()\nxs = np.random.rand(1000)\nprint(estimate(xs))\n"
    assert _unseeded(tmp_path, probe) == [8]


def test_a_draw_used_in_arithmetic_stays_reported(tmp_path: Path) -> None:
    probe = "xtrain = np.random.rand(1, 2)\nprint(model(xtrain), xtrain.sum())\n"
    assert _unseeded(tmp_path, probe) == [6]
