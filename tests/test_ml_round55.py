"""ML review round 55: an unseeded fallback generator that no caller leaves to run.

datascope-experiments' `datasets/base.py` has `random_label_flip(y, random=None)`, which builds
`np.random.RandomState()` when it is given no generator (497); every one of its five calls
passes the `RandomState(seed=self._seed)` its caller made, so the fallback never draws there
(fresh51, judged false). A generator built under `if NAME is None:` at the top of a top-level
function, NAME one of its parameters, is no longer reported when every call of the function in
the reviewed code passes NAME (not as a literal None). A call that leaves it out, passes None
or spreads `**kwargs`, the function handed on as a value, and a method keep the finding.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

IMPORTS = """
import random

import numpy as np
from sklearn.linear_model import LogisticRegression

X = np.arange(40.0).reshape(20, 2)
y = np.arange(20) % 2
"""

HEAD = (
    IMPORTS
    + """

def flip(labels, rng=None):
    if rng is None:
        rng = np.random.RandomState()
    return rng.permutation(labels)
"""
)

FIT = """
{call}
model = LogisticRegression(random_state=0).fit(X, y_noisy)
print(model.score(X, y))
"""

FALLBACK_LINE = 12


def _unseeded(
    tmp_path: Path, body: str, files: dict[str, str] | None = None, *, head: str = HEAD
) -> list[int]:
    write_app(tmp_path, {"train.py": head + body, **(files or {})})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_every_call_passes_the_generator_by_keyword(tmp_path: Path) -> None:
    body = FIT.format(call="y_noisy = flip(y, rng=np.random.RandomState(seed=3))")
    assert _unseeded(tmp_path, body) == []


def test_every_call_passes_the_generator_at_its_position(tmp_path: Path) -> None:
    body = "\nrandom_state = np.random.RandomState(7)\n" + FIT.format(
        call="y_noisy = flip(y, random_state)\ny_noisy = flip(y_noisy, rng=random_state)"
    )
    assert _unseeded(tmp_path, body) == []


def test_a_python_random_fallback_that_every_caller_fills(tmp_path: Path) -> None:
    body = (
        "\n\ndef pick(rows, gen=None):\n"
        "    if gen is None:\n"
        "        gen = random.Random()\n"
        "    return gen.sample(rows, 10)\n"
        + FIT.format(call="rows = pick(list(range(20)), gen=random.Random(5))\ny_noisy = y")
    )
    assert _unseeded(tmp_path, body, head=IMPORTS) == []


def test_a_call_in_another_module_counts(tmp_path: Path) -> None:
    body = FIT.format(call="y_noisy = flip(y, rng=np.random.RandomState(seed=3))")
    other = "from train import flip\n\nprint(flip([1, 2, 3]))\n"
    assert _unseeded(tmp_path, body, {"other.py": other}) == [FALLBACK_LINE]


def test_a_call_without_the_generator_keeps_the_finding(tmp_path: Path) -> None:
    body = FIT.format(call="y_noisy = flip(y, rng=np.random.RandomState(seed=3))\nflip(y)")
    assert _unseeded(tmp_path, body) == [FALLBACK_LINE]


def test_a_call_passing_none_keeps_the_finding(tmp_path: Path) -> None:
    body = FIT.format(call="y_noisy = flip(y, None)")
    assert _unseeded(tmp_path, body) == [FALLBACK_LINE]


def test_spread_keywords_keep_the_finding(tmp_path: Path) -> None:
    body = "\noptions = {}\n" + FIT.format(call="y_noisy = flip(y, **options)")
    assert _unseeded(tmp_path, body) == [FALLBACK_LINE]


def test_the_function_handed_on_as_a_value_keeps_the_finding(tmp_path: Path) -> None:
    body = FIT.format(
        call="y_noisy = flip(y, rng=np.random.RandomState(3))\nparts = list(map(flip, [y, y]))"
    )
    assert _unseeded(tmp_path, body) == [FALLBACK_LINE]


def test_a_method_fallback_keeps_the_finding(tmp_path: Path) -> None:
    body = (
        "\n\nclass Noise:\n"
        "    def flip(self, labels, gen=None):\n"
        "        if gen is None:\n"
        "            gen = np.random.default_rng()\n"
        "        return gen.permutation(labels)\n"
        + FIT.format(call="y_noisy = Noise().flip(y, gen=np.random.default_rng(3))")
    )
    assert _unseeded(tmp_path, body, head=IMPORTS) == [13]
