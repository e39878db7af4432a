"""ML review round 52: real code that nobody here wrote.

A leak that only a demo joins (precision): pythonlabtools' `preprocessing.py` is a module of
cleaning helpers whose `__main__` demo fills a toy table's Age with its mean
(`fill_missing_mean`), later splits it with `train_test_scale` and prints the two shapes; no
model is trained or scored anywhere in the file, and the review reported the fill as a leak
before the split (fresh50, judged false). When the fill and the split sit in two helpers of a
file that fits, scores and writes nothing, and only the file's top-level code joins them, there
is nothing for the leak to make optimistic. A helper that fills and then splits, a script that
does both in one body, a demo that trains a model or saves the parts, stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

HELPERS = """
import pandas as pd
from sklearn.model_selection import train_test_split


def fill_missing_mean(df, column):
    df = df.copy()
    df[column] = df[column].fillna(df[column].mean())
    return df


def split_rows(X, y):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    return X_train, X_test, y_train, y_test
"""

DEMO = """

if __name__ == "__main__":
    table = pd.DataFrame({{"age": [1.0, None, 3.0, 4.0, 5.0, 6.0], "y": [0, 1, 0, 1, 0, 1]}})
    filled = fill_missing_mean(table, "age")
    X_train, X_test, y_train, y_test = split_rows(filled[["age"]], filled["y"])
    print(X_train.shape, X_test.shape)
{tail}"""


def _leaks(tmp_path: Path, source: str) -> list[int]:
    write_app(tmp_path, {"prep.py": source})
    return [f.line for f in review_path(tmp_path) if f.rule == "leakage-preprocess-before-split"]


def test_a_demo_that_fills_then_splits_and_only_prints_shapes_is_silent(tmp_path: Path) -> None:
    assert _leaks(tmp_path, HELPERS + DEMO.format(tail="")) == []


def test_the_same_demo_training_a_model_on_the_parts_stays_reported(tmp_path: Path) -> None:
    tail = (
        "    from sklearn.linear_model import LogisticRegression\n"
        "    print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))\n"
    )
    assert _leaks(tmp_path, HELPERS + DEMO.format(tail=tail)) == [7]


def test_the_same_demo_saving_the_parts_stays_reported(tmp_path: Path) -> None:
    tail = '    X_train.to_csv("train.csv")\n    X_test.to_csv("test.csv")\n'
    assert _leaks(tmp_path, HELPERS + DEMO.format(tail=tail)) == [7]


def test_a_helper_that_fills_then_splits_stays_reported(tmp_path: Path) -> None:
    chained = HELPERS + (
        "\n\ndef prepare(table):\n"
        '    filled = fill_missing_mean(table, "age")\n'
        '    return split_rows(filled[["age"]], filled["y"])\n'
    )
    demo = (
        "\n\nif __name__ == '__main__':\n"
        '    table = pd.DataFrame({"age": [1.0, None, 3.0, 4.0], "y": [0, 1, 0, 1]})\n'
        "    parts = prepare(table)\n"
        "    print(len(parts))\n"
    )
    assert _leaks(tmp_path, chained + demo) == [7]


def test_a_script_that_fills_and_splits_in_one_body_stays_reported(tmp_path: Path) -> None:
    script = (
        "import pandas as pd\n"
        "from sklearn.model_selection import train_test_split\n"
        'table = pd.read_csv("data.csv")\n'
        'table["age"] = table["age"].fillna(table["age"].mean())\n'
        "X_train, X_test = train_test_split(table, test_size=0.3, random_state=0)\n"
        "print(X_train.shape, X_test.shape)\n"
    )
    assert _leaks(tmp_path, script) == [4]
