"""ML review round 43: false alarms on real teaching code, by family.

Family 1, an indented notebook cell (precision): ml4climate's cell `' from ipywidgets import
interact'` and mlprac's `' sns.catplot(...)'` start with one space. IPython takes the indent of a
cell's first line off every line before compiling it (`leading_indent` in
`IPython.core.inputtransformer2`), so both cells run in Jupyter, and both were reported as cells
that do not parse. The indent is now taken off the same way: the cells parse, are reviewed, and
keep their line numbers. A cell that still does not parse (a deeper line after a shallower first
one, Python 2 print) stays reported.

Family 2, draws that only show something (precision): ml4climate's and mlprac's notebooks print
`np.random.rand(5)` to show what it returns, draw a new sample inside a function that
`ipywidgets.interact` redraws on every slider move, and add `np.random.normal(...) * NOISE_LEVEL`
with `NOISE_LEVEL = 0.`; all were reported as unseeded. They are silent now. A draw that is
printed and also fitted on, a function called directly, and a knob that is not zero stay
reported.

Family 3, a normalised error metric (precision): auto-ts prints `norm_rmse = rmse / y_test.std()`
for each fold; it was reported as the test set scaled with its own statistic. An error made from
predictions (a metric of targets and predictions, a residual) divided by a statistic of the test
targets is a score being reported, and is silent now (an error is a metric of targets and
predictions, a residual, or, where the value's origin is unknown, a name like `rmse`). Test rows scaled or centred by their own
statistics, and predictions multiplied by the test targets' spread, stay reported.

Family 4, bookkeeping read as features (precision): deep-autoviml's serving code sets
`model_options["DS_LEN"]` (a row count that sizes batches, `train_small.shape[0]` in training) and
`feats_max_min[key]["dtype"]` (the dtype of each column of a batch), and both were reported as
features computed unlike in training. A key that one of its definitions fills with the size of
some data (`len(df)`, `df.shape[0]`) or its type (`.dtype`) is bookkeeping, and is silent now. A
real feature computed differently, and keys whose values read no size or type, stay reported.

Family 6, a package that seeds on import (precision): pytorch-accelerated's `__init__.py` runs
accelerate's `set_seed(42)` when it is imported, and its example scripts import it before they
draw; `np.random.permutation` in `pets_finetune.py` was reported unseeded. A module that imports
a package of the project around the reviewed folder whose `__init__.py` seeds at module level
with literal arguments is seeded now. A seeder inside a function, a seed that is not a literal,
and a script that does not import the package stay reported.

Family 5, one cause in both arms of an `if` (precision): deep-autoviml builds its Optuna study
with `optuna.create_study(...)` and no seeded sampler in the `if` arm (maximise) and again in the
`else` arm (minimise); both lines were reported. The `else` arm's finding is folded into the `if`
arm's, which names the other line. A call of another function, or a result bound to another
name, keeps its own finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

SPLIT = "from sklearn.model_selection import train_test_split\n"


def _notebook(tmp_path: Path, *cells: str) -> Path:
    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    return tmp_path


def _found(tmp_path: Path, *cells: str) -> set[tuple[int, str]]:
    return {(f.line, f.rule) for f in review_path(_notebook(tmp_path, *cells))}


def test_a_cell_indented_as_a_whole_parses_and_is_reviewed(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        SPLIT,
        " import numpy as np\n X = np.random.rand(20, 2)\n y = X[:, 0] > 0.5\n",
        "  parts = train_test_split(X, y)\n  for part in parts:\n      print(part.shape)\n",
    )
    assert found == {(3, "unseeded-randomness")}


def test_an_indented_cell_after_blank_lines_keeps_its_line_numbers(tmp_path: Path) -> None:
    found = _found(tmp_path, SPLIT, "\n   \n    parts = train_test_split([1, 2], [0, 1])\n")
    assert found == {(4, "unseeded-randomness")}


def test_a_cell_that_still_does_not_parse_is_reported(tmp_path: Path) -> None:
    deeper = _found(tmp_path, SPLIT, " x = 1\n   y = 2\n")
    assert deeper == {(3, "parse-error")}
    python2 = _found(tmp_path, SPLIT, '  print "hello"\n')
    assert python2 == {(2, "parse-error")}


STUDY = """\
    import optuna

    def tune(objective, tune_mode):
        if tune_mode == "max":
            study = optuna.create_study(direction="maximize")
        else:
            study = OTHER
        study.optimize(objective, n_trials=20)
        return study.best_params
    """


def _unseeded(tmp_path: Path, other: str) -> list[tuple[int, str]]:
    root = write_app(tmp_path, {"tune.py": STUDY.replace("OTHER", other)})
    return [(f.line, f.message) for f in review_path(root) if f.rule == "unseeded-randomness"]


def test_one_call_in_both_arms_of_an_if_is_reported_once_naming_the_other(
    tmp_path: Path,
) -> None:
    found = _unseeded(tmp_path, 'optuna.create_study(direction="minimize")')
    assert [line for line, _ in found] == [5]
    assert found[0][1].endswith("The same statement is made at line 7 (the other arm of the if).")


def test_a_different_call_or_name_in_the_other_arm_keeps_its_finding(tmp_path: Path) -> None:
    other_name = STUDY.replace("OTHER", "optuna.create_study()").replace(
        "study = optuna.create_study()", "study2 = optuna.create_study()"
    )
    root = write_app(tmp_path / "a", {"tune.py": other_name})
    assert [f.line for f in review_path(root) if f.rule == "unseeded-randomness"] == [5, 7]
    found = _unseeded(tmp_path / "b", "optuna.load_study(study_name='s', storage='sqlite:///s')")
    assert [line for line, _ in found] == [5]
    assert "other arm" not in found[0][1]


NORMALISED = """\
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import TimeSeriesSplit

    df = pd.read_csv("series.csv")
    X = df[["a", "b"]].values
    y = df["y"].values
    model = LinearRegression()
    for train_index, test_index in TimeSeriesSplit(n_splits=5).split(X):
        X_train, X_test = X[train_index], X[test_index]
        y_train, y_test = y[train_index], y[test_index]
        model.fit(X_train, y_train)
        LINE
        print(score)
    """


def _fit_on_test(tmp_path: Path, line: str) -> list[int]:
    root = write_app(tmp_path, {"val.py": NORMALISED.replace("LINE", line)})
    return [f.line for f in review_path(root) if f.rule == "fit-on-test"]


@pytest.mark.parametrize(
    "line",
    [
        "score = rmse_of(y_test, model.predict(X_test)) / y_test.std()",
        "score = (y_test - model.predict(X_test)) / y_test.std()",
        "score = abs_errors(model.predict(X_test), y_test) / np.std(y_test)",
        "rmse = undefined_rmse(y_test, fitted.predict(X_test)); score = rmse / y_test.std()",
    ],
)
def test_an_error_metric_scaled_by_a_statistic_of_the_test_targets_is_no_fit(
    tmp_path: Path, line: str
) -> None:
    assert _fit_on_test(tmp_path, line) == []


@pytest.mark.parametrize(
    "line",
    [
        "score = model.predict(X_test / X_test.std(axis=0))",
        "score = model.predict(X_test - X_test.mean(axis=0))",
        "score = (y_test - y_test.mean()) / y_test.std()",
        "score = model.predict(X_test) * y_test.std()",
        "rmse = undefined_rmse(y_test, fitted.predict(X_test)); score = rmse * y_test.std()",
        "scores = X_test[:, 0]; score = model.predict(X_test / scores.std())",
    ],
)
def test_test_rows_scaled_by_their_own_statistic_stay_reported(tmp_path: Path, line: str) -> None:
    assert _fit_on_test(tmp_path, line) == [14]


TRAIN = """\
    import joblib
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    def train(path):
        df = pd.read_csv(path)
        options = {}
        options["n_rows"] = df.shape[0]
        kinds = {"amount": {}}
        kinds["amount"]["dtype"] = np.float32
        df["log_amount"] = np.log1p(df["amount"])
        model = LogisticRegression(random_state=0).fit(df[["log_amount"]], df["y"])
        joblib.dump(model, "model.joblib")
    """

SERVE = """\
    import joblib
    import numpy as np
    import pandas as pd

    MODEL = joblib.load("model.joblib")

    def predict(rows, spec):
        df = pd.DataFrame(rows)
        options = {}
        options["n_rows"] = ROWS
        kinds = {"amount": {}}
        kinds["amount"]["dtype"] = DTYPE
        df["log_amount"] = np.log(df["amount"])
        return MODEL.predict(df[["log_amount"]])
    """


def _skew(tmp_path: Path, rows: str, dtype: str) -> list[int]:
    serve = SERVE.replace("ROWS", rows).replace("DTYPE", dtype)
    root = write_app(tmp_path, {"train.py": TRAIN, "serve.py": serve})
    return [f.line for f in review_path(root) if f.rule == "training-serving-skew"]


def test_a_row_count_or_a_dtype_record_is_no_feature_skew(tmp_path: Path) -> None:
    assert _skew(tmp_path / "a", "10000", "spec['amount'].dtype") == [13]
    assert _skew(tmp_path / "b", "len(df)", "df['amount'].dtype") == [13]


def test_values_that_read_no_size_or_type_stay_reported(tmp_path: Path) -> None:
    assert _skew(tmp_path, "10000", "np.float64") == [12, 13]


def _unseeded_lines(tmp_path: Path, *cells: str) -> list[int]:
    return [
        f.line for f in review_path(_notebook(tmp_path, *cells)) if f.rule == "unseeded-randomness"
    ]


FIT = (
    "from sklearn.linear_model import LinearRegression\n"
    "model = LinearRegression().fit(X, y)\nprint(model.score(X, y))\n"
)


def test_a_draw_printed_itself_in_a_notebook_is_silent(tmp_path: Path) -> None:
    cells = ("import numpy as np\nprint(np.random.rand(5))\nprint(np.random.randint(5))\n",)
    assert _unseeded_lines(tmp_path / "a", *cells) == []
    drawn_then_fitted = "X = np.random.rand(20, 2)\ny = X[:, 0] > 0.5\nprint(X)\n" + FIT
    assert _unseeded_lines(tmp_path / "b", *cells, drawn_then_fitted) == [4]


def test_a_draw_in_a_function_redrawn_by_interact_is_silent(tmp_path: Path) -> None:
    demo = (
        "import numpy as np\nimport matplotlib.pyplot as plt\n"
        "from ipywidgets import interact\nfrom sklearn.linear_model import LinearRegression\n"
        "def plot(Resample=False, N=100):\n"
        "    x = np.sort(np.random.randn(N))[:, None]\n"
        "    y = x[:, 0] + np.random.randn(N)\n"
        "    reg = LinearRegression().fit(x, y)\n"
        "    plt.plot(x, reg.predict(x))\n"
    )
    assert _unseeded_lines(tmp_path / "a", demo + "interact(plot, N=(10, 310, 10))\n") == []
    called = demo + "plot(N=50)\n"
    assert _unseeded_lines(tmp_path / "b", called) == [6]


def test_a_draw_multiplied_by_a_zero_knob_is_silent(tmp_path: Path) -> None:
    noise = (
        "import numpy as np\nimport pandas as pd\nX = pd.read_csv('d.csv')\ny = X.pop('y')\n"
        "NOISE = KNOB\nX += np.random.normal(0., 1., X.shape) * NOISE\n"
    )
    assert _unseeded_lines(tmp_path / "a", noise.replace("KNOB", "0.") + FIT) == []
    assert _unseeded_lines(tmp_path / "b", noise.replace("KNOB", "0.1") + FIT) == [6]


SCRIPT = """\
    import numpy as np
    IMPORT
    from sklearn.linear_model import LogisticRegression

    X = np.load("x.npy")
    y = np.load("y.npy")
    order = np.random.permutation(len(X))
    train, test = order[:80], order[80:]
    model = LogisticRegression(random_state=0).fit(X[train], y[train])
    print(model.score(X[test], y[test]))
    """


def _seeded_on_import(tmp_path: Path, init: str, imports: str) -> list[int]:
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='pkg')\n",
        "pkg/__init__.py": init,
        "examples/train.py": SCRIPT.replace("IMPORT", imports),
    }
    root = write_app(tmp_path, files)
    found = review_path(root / "examples")
    return [f.line for f in found if f.rule == "unseeded-randomness"]


SEEDS = "from accelerate.utils import set_seed\nset_seed(42)\n"


def test_a_script_importing_a_package_that_seeds_on_import_is_seeded(tmp_path: Path) -> None:
    assert _seeded_on_import(tmp_path / "a", SEEDS, "from pkg import Trainer") == []
    assert _seeded_on_import(tmp_path / "b", SEEDS, "import pkg.trainer") == []


@pytest.mark.parametrize(
    ("init", "imports"),
    [
        (SEEDS, "import os"),
        ("from accelerate.utils import set_seed\ndef setup():\n    set_seed(42)\n", "import pkg"),
        ("import os\nfrom accelerate.utils import set_seed\nset_seed(os.getpid())\n", "import pkg"),
    ],
)
def test_no_seed_on_import_or_no_import_stays_reported(
    tmp_path: Path, init: str, imports: str
) -> None:
    assert _seeded_on_import(tmp_path, init, imports) == [7]
