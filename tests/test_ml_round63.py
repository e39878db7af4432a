"""ML review round 63: leakage-preprocess-before-split findings whose flow or model makes no leak
(issue 14).

mule-hunt 0.8.1's `train_gnn` standardises the node features over all nodes (train.py:26) and
stores them as `data.x` of a clone of the graph; its cold-start HistGradientBoostingClassifier is
fitted on `data.x_raw` (train.py:136-146), the raw features, never on the standardised tensor.
Storing into one attribute tainted the whole graph object, so the review joined the statistic to
a fit that never receives it (fresh56's cli.py 141, 327, 403, 560, judged false). A taint stored
under an attribute is now held by it: reading another attribute does not carry it. Two of the
calls pass `cold_start_threshold=0`, which turns off the `if cold_start_threshold > 0:` block
holding the only fit: a comparison of a parameter with a number is now decided from the literal
a call passes. And a helper that stores into its own copy of a parameter (`data = data.clone()`)
no longer writes the taint back into the caller's object.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

TRAIN = """
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


def standardize(x):
    return (x - x.mean(axis=0)) / x.std(axis=0)


def train(data, cold_start_threshold=10):
    data = data.clone()
    data.x = standardize(data.x)
    auc = None
    if cold_start_threshold > 0:
        cs_x = data.x_raw[:, :3].numpy()
        cs_y = data.y.numpy()
        train_mask_np = data.train_mask.numpy()
        val_mask_np = data.val_mask.numpy()
        fit_mask = train_mask_np | val_mask_np
        model = LogisticRegression()
        model.fit(cs_x[fit_mask], cs_y[fit_mask])
        train_probs = model.predict_proba(cs_x[fit_mask])[:, 1]
        auc = roc_auc_score(cs_y[fit_mask], train_probs)
    return auc
"""
# the leaky twin: the fitted features are the standardised ones
LEAKY = TRAIN.replace("data.x_raw[:, :3]", "data.x[:, :3]")
CLI = """
import sys

import pandas as pd

from train import train

data = pd.read_csv(sys.argv[1])
print(train(data, cold_start_threshold=int(sys.argv[2])))
"""
# a call that turns the cold-start block off with a literal
OFF = CLI.replace("int(sys.argv[2])", "0")


def _leaks(folder: Path, train: str, cli: str = "") -> list[tuple[str, int, str]]:
    """The rule's findings on a helper module and a command line, or on one script (`cli`
    left empty)."""
    write_app(folder, {"train.py": train, "cli.py": cli} if cli else {"run.py": train})
    return [
        (f.path, f.line, f.message)
        for f in review_path(folder)
        if f.rule == "leakage-preprocess-before-split"
    ]


def _line(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.lstrip().splitlines(), 1) if part in line)


def test_a_fit_on_the_standardised_attribute_of_a_cloned_graph_is_reported(
    tmp_path: Path,
) -> None:
    found = _leaks(tmp_path, LEAKY, CLI)
    assert [(path, line) for path, line, _ in found] == [("cli.py", _line(CLI, "train(data"))]
    assert f"train.py:{_line(LEAKY, 'x.mean(axis=0)')}" in found[0][2]


def test_a_fit_on_another_attribute_of_the_graph_is_no_leak(tmp_path: Path) -> None:
    assert LEAKY != TRAIN
    assert _leaks(tmp_path, TRAIN, CLI) == []


def test_a_fit_under_a_guard_the_call_turns_off_with_a_literal_is_no_leak(tmp_path: Path) -> None:
    assert OFF != CLI
    assert _leaks(tmp_path, LEAKY, OFF) == []


def test_a_column_stored_by_attribute_still_taints_the_frame_read_whole(tmp_path: Path) -> None:
    script = """
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("data.csv")
    df.amount = (df.amount - df.amount.mean()) / df.amount.std()
    X_train, X_test, y_train, y_test = train_test_split(df.values, df.label.values)
    model = LogisticRegression().fit(X_train, y_train)
    print(model.score(X_test, y_test))
    """
    write_app(tmp_path, {"run.py": script})
    found = [f.line for f in review_path(tmp_path) if f.rule == "leakage-preprocess-before-split"]
    assert found == [_line(script, "df.amount = ")]


HELPER = """
def standardize(x):
    return (x - x.mean(axis=0)) / x.std(axis=0)


def fit_network(data):
    data = data.clone()
    data.x = standardize(data.x)
    return data.x.sum()
"""
CALLER = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helper import fit_network

data = pd.read_csv("graph.csv")
print(fit_network(data))
X_train, X_test, y_train, y_test = train_test_split(data.x, data.y)
model = LogisticRegression().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""


def test_a_helper_that_standardises_its_own_clone_leaves_the_callers_graph_clean(
    tmp_path: Path,
) -> None:
    assert _leaks(tmp_path, HELPER, CALLER.replace("helper", "train")) == []


def test_a_helper_that_standardises_the_callers_graph_in_place_is_reported(
    tmp_path: Path,
) -> None:
    in_place = HELPER.replace("    data = data.clone()\n", "")
    found = _leaks(tmp_path, in_place, CALLER.replace("helper", "train"))
    assert [(path, line) for path, line, _ in found] == [
        ("cli.py", _line(CALLER, "fit_network(data"))
    ]


# Part 2: a full-data shift and scale that only tree ensembles read (`rescaled.py`).
TREES = """
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import cross_val_score, train_test_split

df = pd.read_csv("accounts.csv")
X = df[["amount", "age"]]
X = (X - X.mean()) / X.std()
X_train, X_test, y_train, y_test = train_test_split(X, df["label"], random_state=0)
for model in (RandomForestClassifier(random_state=0), HistGradientBoostingClassifier()):
    print(cross_val_score(model, X_train, y_train).mean())
    model.fit(X_train, y_train)
    print(model.score(X_test, y_test))
"""


LINEAR = TREES.replace("HistGradientBoostingClassifier()", "LogisticRegression()").replace(
    "from sklearn.model_selection",
    "from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection",
)
IMPUTED = TREES.replace("X = (X - X.mean()) / X.std()", "X = X.fillna(X.mean())")


@pytest.mark.parametrize(
    ("script", "reported"),
    [(TREES, None), (LINEAR, "X = (X - X.mean())"), (IMPUTED, "X = X.fillna(")],
    ids=["only-trees-read-it", "a-linear-model-reads-it", "a-mean-imputed-for-trees"],
)
def test_an_all_rows_rescaling_is_no_leak_only_when_tree_ensembles_alone_read_it(
    tmp_path: Path, script: str, reported: str | None
) -> None:
    expected = [_line(script, reported)] if reported else []
    assert [line for _, line, _ in _leaks(tmp_path, script)] == expected


def test_a_rescaling_that_a_pca_reads_before_the_trees_stays_reported(tmp_path: Path) -> None:
    reduced = TREES.replace(
        "X_train, X_test, y_train",
        "X = PCA(n_components=2).fit_transform(X)\nX_train, X_test, y_train",
    ).replace("import pandas as pd", "import pandas as pd\nfrom sklearn.decomposition import PCA")
    assert [line for _, line, _ in _leaks(tmp_path, reduced)] != []


def test_a_branch_that_builds_a_linear_model_keeps_the_rescaling_reported(tmp_path: Path) -> None:
    helper = """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score


    def train(X, y, name="rf"):
        X = (X - X.mean()) / X.std()
        if name == "lr":
            model = LogisticRegression()
        else:
            model = RandomForestClassifier(random_state=0)
        return cross_val_score(model, X, y).mean()
    """
    cli = """
    import sys

    import pandas as pd

    from train import train

    df = pd.read_csv("accounts.csv")
    print(train(df[["amount", "age"]], df["label"], name=sys.argv[1]))
    """
    found = _leaks(tmp_path, helper, cli)
    assert [(path, line) for path, line, _ in found] == [("cli.py", _line(cli, "print(train("))]
