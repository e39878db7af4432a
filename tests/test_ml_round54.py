"""ML review round 54: a module name that the scope binds to something else.

datascope-experiments' `datasets/base.py` names its NumPy generators `random`: a parameter,
`def random_label_flip(y, random=None)`, and locals, `random = np.random.RandomState(seed=...)`.
The review read `random.choice(...)` there as Python's `random` module with no seed and listed
some twenty draws of those seeded generators as "the same missing seed" (fresh51, judged
false). A call's receiver is now resolved by the names bound in its scope (a parameter, an
assignment, a loop target, an enclosing function's parameter) before it is read as a module;
a name imported in that scope, or loaded lazily (`numpy = _numpy()`), stays the module, and a
class attribute does not shadow the module in the class's methods.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

HEAD = """
import random

import numpy as np
from sklearn.linear_model import LogisticRegression

X = np.arange(40.0).reshape(20, 2)
y = np.arange(20) % 2
"""

FIT = """
idx = list(range(20))
{draw}
model = LogisticRegression().fit(X[idx], y[idx])
print(model.score(X, y))
"""


def _unseeded(tmp_path: Path, body: str) -> list[int]:
    write_app(tmp_path, {"train.py": HEAD + body})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_a_generator_parameter_named_random_is_no_module(tmp_path: Path) -> None:
    body = "\n\ndef pick(idx, random):\n    random.shuffle(idx)\n    return idx\n" + FIT.format(
        draw="idx = pick(idx, np.random.RandomState(seed=0))"
    )
    assert _unseeded(tmp_path, body) == []


def test_a_local_seeded_generator_named_random_is_no_module(tmp_path: Path) -> None:
    body = (
        "\n\ndef pick(idx, seed):\n"
        "    random = np.random.RandomState(seed=seed)\n"
        "    random.shuffle(idx)\n"
        "    return random.choice(idx, size=10)\n" + FIT.format(draw="idx = pick(idx, 1)")
    )
    assert _unseeded(tmp_path, body) == []


def test_a_nested_function_reads_the_enclosing_parameter(tmp_path: Path) -> None:
    body = (
        "\n\ndef pick(idx, random):\n"
        "    def inner():\n"
        "        return random.choice(idx, size=10)\n"
        "    return inner()\n" + FIT.format(draw="idx = pick(idx, np.random.default_rng(0))")
    )
    assert _unseeded(tmp_path, body) == []


def test_the_random_module_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, FIT.format(draw="random.shuffle(idx)")) == [10]


def test_the_module_in_a_function_with_other_names_stays_reported(tmp_path: Path) -> None:
    body = "\n\ndef pick(idx, rng):\n    random.shuffle(idx)\n    return idx\n" + FIT.format(
        draw="idx = pick(idx, None)"
    )
    assert _unseeded(tmp_path, body) == [11]


def test_a_class_attribute_does_not_shadow_the_module_in_a_method(tmp_path: Path) -> None:
    body = (
        "\n\nclass Picker:\n"
        "    random = None\n\n"
        "    def pick(self, idx):\n"
        "        random.shuffle(idx)\n"
        "        return idx\n" + FIT.format(draw="idx = Picker().pick(idx)")
    )
    assert _unseeded(tmp_path, body) == [14]


def test_a_module_loaded_lazily_stays_the_module(tmp_path: Path) -> None:
    body = (
        "\n\ndef _numpy():\n"
        "    import numpy\n"
        "    return numpy\n\n\n"
        "def pick(idx):\n"
        "    numpy = _numpy()\n"
        "    return numpy.random.choice(idx, size=10)\n" + FIT.format(draw="idx = pick(idx)")
    )
    assert _unseeded(tmp_path, body) == [17]
