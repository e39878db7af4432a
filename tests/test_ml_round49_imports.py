"""A call whose keywords the repository's own method takes is no library call seeded elsewhere.

pytorch_tabular's datamodule copies its validation DataFrame (`self.validation =
self.validation.copy()`), and its model copies the datamodule with a seed
(`self.datamodule.copy(train=train, ..., seed=seed)`, the package's own
`TabularDatamodule.copy`). Both calls were keyed by their receiver's root and method name,
`self.copy`, as if one library call were seeded in one place and not in the other; once the
package's `__init__.py` was read as importing the datamodule (its `from .x import y` resolved),
the model's global seed no longer covered the datamodule and the DataFrame's copy was reported
"without a seed, while tabular_model.py gives it one". A call on a receiver of unknown class whose
keywords a method of that name in the repository takes is the repository's code; a library's
call seeded in one module and left unseeded in another stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

DATAMODULE = """\
    import pandas as pd
    from sklearn.model_selection import train_test_split


    class Datamodule:
        def __init__(self, train, validation=None, seed=None):
            self.train = train
            self.validation = validation
            self.seed = seed

        def setup(self):
            if self.validation is None:
                self.train, self.validation = train_test_split(self.train, random_state=0)
            else:
                self.validation = self.validation.copy()
            return pd.concat([self.train, self.validation])

        def copy(self, train, seed=None):
            return Datamodule(train, self.validation, seed=seed)


    def prepared(frame):
        return frame.copy()
"""

MODEL = """\
    import torch

    from .datamodule import Datamodule


    class Model:
        def __init__(self, datamodule: Datamodule):
            self.datamodule = datamodule
            self.net = torch.nn.Linear(2, 1)

        def finetune(self, train, seed=42):
            datamodule = self.datamodule.copy(train=train, seed=seed)
            datamodule.setup()
            return self.net


    def reseeded(frame, seed):
        return frame.copy(seed=seed)
"""

INIT = "from .datamodule import Datamodule\nfrom .model import Model\n"


def _library_findings(root: Path) -> list[tuple[str, int, str]]:
    return [
        (f.path, f.line, f.message.split(",")[0])
        for f in review_path(root)
        if f.rule == "unseeded-randomness" and "gives it one" in f.message
    ]


def test_a_copy_of_an_attribute_is_not_the_packages_seeded_copy(tmp_path: Path) -> None:
    root = write_app(
        tmp_path / "pkg",
        {"__init__.py": INIT, "datamodule.py": DATAMODULE, "model.py": MODEL},
    )
    assert _library_findings(root) == []


FEDOT_SEEDED = """\
    from fedot import Fedot

    model = Fedot(problem="classification", timeout=1, seed=42)
    model.fit(features="train.csv", target="target")
    print(model.get_metrics())
"""


def test_a_library_call_seeded_in_one_module_and_not_another_stays_reported(
    tmp_path: Path,
) -> None:
    root = write_app(
        tmp_path / "examples",
        {
            "seeded.py": FEDOT_SEEDED,
            "unseeded.py": FEDOT_SEEDED.replace(", seed=42", ""),
        },
    )
    assert _library_findings(root) == [("unseeded.py", 3, "Fedot without a seed")]


def test_a_method_on_a_value_a_library_built_is_still_the_librarys(tmp_path: Path) -> None:
    """`model = Fedot(...)` then `model.fit(..., seed=1)` in one module and `model.fit(...)` in
    another: the receiver was built by the library, so its method is the library's."""
    seeded = FEDOT_SEEDED.replace(", seed=42", "").replace(
        'target="target")', 'target="target", seed=1)'
    )
    root = write_app(
        tmp_path / "examples",
        {"seeded.py": seeded, "unseeded.py": FEDOT_SEEDED.replace(", seed=42", "")},
    )
    assert _library_findings(root) == [("unseeded.py", 4, "fit without a seed")]
