"""ML review round 53: real code that nobody here wrote.

A model chosen by a column of test scores kept in list rows (recall): pythonlabtools'
`titanic.py` fits three classifiers in a loop, appends `[name, accuracy, precision, recall,
f1]` per model (each a score of the test split), makes `pd.DataFrame(results, columns=[...,
"F1 Score"])` after the loop and prints the row at `results_df["F1 Score"].idxmax()` as the
"Selected Model" (fresh50, a miss: test-set tuning). Rows given as dicts were read already;
list and tuple rows are read through the DataFrame's literal `columns=`. A column of training
scores, a table made without column names, a table only shown, and a best row only plotted
choose nothing on the test set and stay silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

SCRIPT = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

X, y = load()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
models = {{"lr": LogisticRegression(), "tree": DecisionTreeClassifier(random_state=0)}}
results = []
for name, model in models.items():
    model.fit(X_train, y_train)
    train_f1 = f1_score(y_train, model.predict(X_train))
    f1 = f1_score(y_test, model.predict(X_test))
    results.append({row})
results_df = pd.DataFrame(results{columns})
{pick}
"""

COLUMNS = ', columns=["Model", "Train F1", "F1 Score"]'
BEST = 'best = models[results_df.loc[results_df["F1 Score"].idxmax(), "Model"]]\nprint(best)'


def _tuned(tmp_path: Path, *, row: str, columns: str = COLUMNS, pick: str = BEST) -> list[int]:
    source = SCRIPT.format(row=row, columns=columns, pick=pick)
    write_app(tmp_path, {"compare.py": source})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_a_list_row_picked_by_its_test_score_column_is_reported(tmp_path: Path) -> None:
    assert _tuned(tmp_path, row="[name, train_f1, f1]") == [17]


def test_a_tuple_row_with_the_score_rounded_is_reported(tmp_path: Path) -> None:
    assert _tuned(tmp_path, row="(name, train_f1, round(f1, 3))") == [17]


def test_sorting_on_the_test_column_and_taking_the_first_row_is_reported(tmp_path: Path) -> None:
    pick = 'best = results_df.sort_values("F1 Score", ascending=False).iloc[0]\nprint(best)'
    assert _tuned(tmp_path, row="[name, train_f1, f1]", pick=pick) == [17]


def test_a_list_row_picked_by_its_training_score_column_is_silent(tmp_path: Path) -> None:
    pick = 'best = results_df.loc[results_df["Train F1"].idxmax(), "Model"]\nprint(best)'
    assert _tuned(tmp_path, row="[name, train_f1, f1]", pick=pick) == []


def test_a_table_made_without_column_names_is_silent(tmp_path: Path) -> None:
    pick = "best = results_df[2].idxmax()\nprint(best)"
    assert _tuned(tmp_path, row="[name, train_f1, f1]", columns="", pick=pick) == []


def test_columns_read_from_a_variable_are_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, row="[name, train_f1, f1]", columns=", columns=COLS") == []


def test_a_row_with_a_starred_item_is_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, row="[name, *extra, f1]") == []


def test_a_table_only_sorted_for_show_is_silent(tmp_path: Path) -> None:
    pick = 'print(results_df.sort_values("F1 Score", ascending=False))'
    assert _tuned(tmp_path, row="[name, train_f1, f1]", pick=pick) == []


def test_the_best_row_only_placing_a_plot_limit_is_silent(tmp_path: Path) -> None:
    pick = 'plt.ylim(0, results_df["F1 Score"].max() * 1.1)'
    assert _tuned(tmp_path, row="[name, train_f1, f1]", pick=pick) == []
