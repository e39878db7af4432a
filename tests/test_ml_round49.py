"""ML review round 49: real code that nobody here wrote, by family.

Family 1, a random probe input fed to a model that nothing trains (precision): thqml's
phase-space notebooks build a Keras model from constant layers, draw
`xtrain = np.random.rand(1, N) - 0.5` and call the model on it to print a covariance matrix or
photon numbers; nothing is fitted and nothing draws weights, so no printed number depends on the
draw. Such a draw is silent in a notebook when its every read is the only argument of a model or
layer the notebook built (or of a `*_like` maker); a model that is fitted, built with a random
layer, or a draw handed to a function of the notebook or used in arithmetic stays reported.

Family 2, a loss minimised on constant targets (precision): thqml's Bose-Hubbard soliton
notebooks fit a variational state on a dummy batch with `ytrain = np.zeros([Nbatch, 2])` and then
call `model.evaluate(xtrain, ytrain)`, which recomputes the minimised energy, the result sought;
no label is predicted, so there is nothing to hold out. Such an evaluation is not eval-on-train;
targets read from data, or constant targets later filled with data, stay reported.

Family 3, a scale-then-split a notebook only looks at before splitting again (precision):
thqml's `squeezedvacuum.ipynb` scales the moons data, splits it, shows `X_train[0]` and a kernel
matrix's shape, and then, in the loop that trains and scores its classifiers, scales and splits
again before any model sees the parts; the first split leaks into no score. Silent when every
read of the parts before they are all bound again is a bare expression that only looks (the
part, an item, a `.shape`, `print`/`len` of those); a part handed to a fit, or parts never bound
again, stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import notebook_findings, write_app

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


VARIATIONAL = """\
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

tf.random.set_seed(0)
np.random.seed(0)
xtrain = np.random.rand(1, 4) - 0.5
{targets}
model = Sequential([Dense(2, input_dim=4)])
model.compile(optimizer="adam", loss=energy_loss)
model.fit(xtrain, ytrain, epochs=100, verbose=0)
results = model.evaluate(xtrain, ytrain)
print(results)
"""


def _variational(tmp_path: Path, targets: str) -> list[int]:
    write_app(tmp_path, {"soliton.py": VARIATIONAL.format(targets=targets)})
    return [f.line for f in review_path(tmp_path) if f.rule == "eval-on-train"]


def test_a_loss_minimised_on_constant_targets_is_not_eval_on_train(tmp_path: Path) -> None:
    targets = "ytrain = np.zeros([1, 2])\nfor i in range(1):\n    ytrain[i] = 0"
    assert _variational(tmp_path, targets) == []


def test_targets_read_from_data_stay_reported(tmp_path: Path) -> None:
    assert _variational(tmp_path, 'ytrain = np.load("energies.npy")') == [13]


def test_constant_targets_later_filled_with_data_stay_reported(tmp_path: Path) -> None:
    targets = "ytrain = np.zeros([1, 2])\nytrain[0] = measured[0]"
    assert _variational(tmp_path, targets) == [14]


SCALED = (
    "X, y = make_moons(noise=0.1, random_state=0)\n"
    "X = StandardScaler().fit_transform(X)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=42)\n"
    "X.shape\n"
    "X_train[0]\n"
    "kernel(X_train, X_train).shape\n"
)
AGAIN = (
    "for ds in datasets:\n"
    "    X, y = ds\n"
    "    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)\n"
    "    clf = SVC().fit(X_train, y_train)\n"
    "    print(clf.score(X_test, y_test))\n"
)
SKLEARN = (
    "from sklearn.datasets import make_moons\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.svm import SVC\n"
)


def _leaks(tmp_path: Path, *cells: str) -> list[int]:
    found = notebook_findings(tmp_path, SKLEARN, *cells)
    return sorted(line for line, rule in found if rule == "leakage-preprocess-before-split")


def test_a_split_only_looked_at_before_splitting_again_is_silent(tmp_path: Path) -> None:
    assert _leaks(tmp_path, SCALED, AGAIN) == []


def test_a_part_handed_to_a_fit_before_the_new_split_stays_reported(tmp_path: Path) -> None:
    fitted = SCALED + "SVC().fit(X_train, y_train)\n"
    assert _leaks(tmp_path, fitted, AGAIN) == [6]


def test_parts_never_split_again_stay_reported(tmp_path: Path) -> None:
    assert _leaks(tmp_path, SCALED) == [6]


SUBSETS = """\
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

df = pd.read_csv("ads.csv")
X_train, X_test, y_train, y_test = train_test_split(df[COLS], df["Sales"], random_state=42)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, random_state=42)
results = []
for cols in SUBSETS:
    model = LinearRegression().fit(X_fit[cols], y_fit)
    rmse = mean_squared_error({truth}, model.predict({rows}[cols])) ** 0.5
    train_rmse = mean_squared_error(y_fit, model.predict(X_fit[cols])) ** 0.5
    results.append({{"Features": cols, "RMSE": round(rmse, 3), "Train": train_rmse}})
results_df = pd.DataFrame(results)
{choice}
"""
TEST = {"truth": "y_test", "rows": "X_test"}
BEST_ROW = 'best = results_df.loc[results_df["RMSE"].idxmin()]\nprint(best["Features"])'


def _tuned(tmp_path: Path, choice: str, split: dict[str, str] = TEST) -> list[int]:
    write_app(tmp_path, {"subsets.py": SUBSETS.format(choice=choice, **split)})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_the_best_row_of_a_table_of_test_scores_is_test_set_tuning(tmp_path: Path) -> None:
    assert _tuned(tmp_path, BEST_ROW) == [16]


def test_a_table_sorted_on_its_test_column_is_test_set_tuning(tmp_path: Path) -> None:
    assert _tuned(tmp_path, 'print(results_df.sort_values(by="RMSE").head(1))') == [16]


def test_the_best_row_of_a_list_of_dicts_by_a_key_is_test_set_tuning(tmp_path: Path) -> None:
    assert _tuned(tmp_path, 'print(min(results, key=lambda r: r["RMSE"]))') == [12]


def test_the_same_table_on_a_validation_split_is_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, BEST_ROW, {"truth": "y_val", "rows": "X_val"}) == []


def test_a_table_of_test_scores_only_printed_is_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, "print(results_df.to_string(index=False))") == []


def test_the_best_of_a_training_column_is_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, 'print(results_df.loc[results_df["Train"].idxmin()])') == []


def test_a_test_column_setting_a_plot_limit_is_silent(tmp_path: Path) -> None:
    assert _tuned(tmp_path, 'plt.ylim(results_df["RMSE"].min(), 1)') == []


DICT_OF_SCORES = """\
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=42)
f1s = {{}}
for name, cols in FEATURE_SETS.items():
    model = SVC().fit(X_train[cols], y_train)
    f1 = f1_score(y_test, model.predict(X_test[cols]))
    f1s[name] = f1
{choice}
"""


def _by_dict(tmp_path: Path, choice: str) -> list[int]:
    write_app(tmp_path, {"combos.py": DICT_OF_SCORES.format(choice=choice)})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_the_best_key_of_a_dict_of_test_scores_is_test_set_tuning(tmp_path: Path) -> None:
    assert _by_dict(tmp_path, "print(max(f1s, key=f1s.get))") == [9]


def test_a_dict_of_test_scores_only_printed_is_silent(tmp_path: Path) -> None:
    assert _by_dict(tmp_path, "for name, f1 in f1s.items():\n    print(name, f1)") == []


def test_a_best_test_score_bound_only_for_a_plot_limit_is_silent(tmp_path: Path) -> None:
    choice = 'top = results_df["RMSE"].max()\nplt.ylim(0, top * 1.15)'
    assert _tuned(tmp_path, choice) == []


def test_a_table_of_test_scores_only_sorted_for_show_is_silent(tmp_path: Path) -> None:
    choice = 'ranked = results_df.sort_values("RMSE").set_index("Features")\nprint(ranked)'
    assert _tuned(tmp_path, choice) == []


def test_the_first_row_of_a_sorted_table_bound_to_a_name_is_test_set_tuning(tmp_path: Path) -> None:
    choice = 'ranked = results_df.sort_values("RMSE")\nprint(ranked.iloc[0]["Features"])'
    assert _tuned(tmp_path, choice) == [16]


def test_the_first_of_rows_sorted_by_a_test_key_is_test_set_tuning(tmp_path: Path) -> None:
    assert _tuned(tmp_path, 'print(sorted(results, key=lambda r: r["RMSE"])[0])') == [12]
