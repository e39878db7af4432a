"""ML review round 32: false alarms of real code, by family.

Family 1, a t-SNE layout drawn inside a plotting helper: `def plot_tsne(x, y)` fits `TSNE()` on what its
caller hands it, scatters the layout and returns nothing. The picture is the caller's to seed; no
number depends on it (robustness's `tools/vis_tools.py`). The same embedding fitted in a script,
in a helper that returns it, or in a helper whose layout also feeds a number stays reported.

Family 2, the `backward()` of an adversarial attack step: robustness's PGD makes its images a
leaf that wants gradients, back-propagates the attack loss and reads `x.grad`, with no optimizer
(`attacker.py`). That backward trains nothing and draws nothing. A function that also clears or
steps the weights, or a `x.grad` of a tensor that never asked for gradients, still trains.
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


ATTACK = """\
    import torch
    from torch import nn

    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))


    def pgd(images, labels, steps=10, eps=0.03):
        x = images
        for _ in range(steps):
            x = x.clone().detach().requires_grad_(True)
            loss = nn.functional.cross_entropy(model(x), labels)
            loss.backward()
            x = x + eps * x.grad.sign()
        return x
"""


def _attack_findings(tmp_path: Path, text: str) -> list[int]:
    return _unseeded(tmp_path, text, name="attack.py")


def test_the_backward_of_an_attack_step_is_no_training_loop(tmp_path: Path) -> None:
    """robustness's PGD: the gradient of the images, read from x.grad, and no optimizer."""
    assert _attack_findings(tmp_path, ATTACK) == []


def test_explain_says_the_backward_takes_the_input_gradient(tmp_path: Path) -> None:
    assert (
        "attack.py:12: not reported unseeded-randomness: backward() in pgd() takes the gradient "
        "of its input x (x.grad, no optimizer step): it trains nothing and draws nothing"
    ) in _explained(tmp_path, ATTACK, name="attack.py")


def test_a_training_step_beside_the_attack_is_still_reported(tmp_path: Path) -> None:
    training = ATTACK + (
        "\n\n    def train(loader, opt):\n"
        "        for images, labels in loader:\n"
        "            opt.zero_grad()\n"
        "            loss = nn.functional.cross_entropy(model(pgd(images, labels)), labels)\n"
        "            loss.backward()\n"
        "            opt.step()\n"
    )
    assert _attack_findings(tmp_path, training) == [21]


def test_a_backward_that_steps_an_optimizer_is_reported(tmp_path: Path) -> None:
    """Adversarial training in one function: the input gradient and a weight step."""
    stepped = ATTACK.replace(
        "            x = x + eps * x.grad.sign()\n",
        "            x = x + eps * x.grad.sign()\n            opt.step()\n",
    ).replace("def pgd(images, labels,", "def pgd(images, labels, opt,")
    assert _attack_findings(tmp_path, stepped) == [12]


def test_a_backward_on_weights_only_is_reported(tmp_path: Path) -> None:
    """No leaf input: `x.grad` of a tensor that never asked for gradients is no attack."""
    plain = ATTACK.replace(".requires_grad_(True)", "")
    assert _attack_findings(tmp_path, plain) == [12]
