"""ML review round 44: real code that nobody here wrote, by family.

Family 1, the base estimator of a reseeding ensemble (precision): mlaut searches
`GridSearchCV(BaggingClassifier(), param_grid={..., 'base_estimator': base_estimator['classifier']})`
with `base_estimator = {'classifier': [DecisionTreeClassifier()], ...}`; the unseeded tree was
reported. scikit-learn's Bagging and AdaBoost ensembles (and imbalanced-learn's built on them)
clone their base estimator and overwrite each clone's `random_state` from their own
(`_set_random_states`), so the tree's seed changes nothing: the finding belongs on the ensemble,
which is reported when it is unseeded. A base estimator handed to such an ensemble (first argument,
`estimator=` / `base_estimator=`, through names, lists and dicts), or put under the
`base_estimator` key of a grid searched over one, is silent now. An estimator handed to an
ensemble that does not reseed (`VotingClassifier`, `StackingClassifier`), or a grid searched over
another estimator, stays reported.

Family 2, the target among the features (recall, new rule `target-in-features`): mlprac's
startup notebook takes `x = ds.iloc[:, :-1].values` and `y = ds.iloc[:, 1].values` on a
five-column frame, so the target (column 1) is also a feature and the printed R2 is about 1. When
the features and the target are taken from one frame by `iloc` with literal positions, or by
literal names (`df[[...]]`, `df[...]`), are split, fitted or cross-validated together, and the
target's column is certainly among the features', it is reported on the target's line. A slice
ending from the right (`:-1`) holds column 1 only if the frame is known to be wider than two
columns (here a passthrough `ColumnTransformer` refit on `x` names its column 3); the two-column
template `iloc[:, :-1]` / `iloc[:, 1]` with no such evidence, the last column as target, a
target outside the listed columns and a frame rebound between the two reads stay silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app


def _unseeded_lines(tmp_path: Path, source: str) -> list[int]:
    root = write_app(tmp_path, {"train.py": source})
    return sorted(f.line for f in review_path(root) if f.rule == "unseeded-randomness")


GRID = """\
    from sklearn.datasets import load_iris
    from sklearn.ensemble import BaggingClassifier
    from sklearn.model_selection import GridSearchCV
    from sklearn.tree import DecisionTreeClassifier

    base_estimator = {"classifier": [DecisionTreeClassifier()]}
    search = GridSearchCV(
        WRAPPER,
        param_grid={"n_estimators": [10, 100], "base_estimator": base_estimator["classifier"]},
    )
    X, y = load_iris(return_X_y=True)
    search.fit(X, y)
    print(search.best_score_)
    """


def test_a_tree_in_the_grid_of_a_bagging_search_is_left_to_the_ensemble(
    tmp_path: Path,
) -> None:
    assert _unseeded_lines(tmp_path / "a", GRID.replace("WRAPPER", "BaggingClassifier()")) == [8]
    seeded = GRID.replace("WRAPPER", "BaggingClassifier(random_state=0)")
    assert _unseeded_lines(tmp_path / "b", seeded) == []


def test_a_tree_in_the_grid_of_another_search_stays_reported(tmp_path: Path) -> None:
    other = GRID.replace("BaggingClassifier", "VotingClassifier").replace(
        "WRAPPER", 'VotingClassifier([("lr", LogisticRegression())])'
    )
    assert _unseeded_lines(tmp_path, other) == [6]


DIRECT = """\
    from sklearn.datasets import load_iris
    from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier, VotingClassifier
    from sklearn.tree import DecisionTreeClassifier

    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2)
    model = WRAPPER
    model.fit(X, y)
    print(model.score(X, y))
    """


def test_a_base_estimator_handed_to_bagging_or_boosting_is_left_to_the_ensemble(
    tmp_path: Path,
) -> None:
    for i, wrapper in enumerate(
        [
            "BaggingClassifier(tree, n_estimators=10)",
            "AdaBoostClassifier(estimator=tree)",
            "BaggingClassifier(base_estimator=[tree][0])",
        ]
    ):
        assert _unseeded_lines(tmp_path / str(i), DIRECT.replace("WRAPPER", wrapper)) == [7]


def test_an_estimator_handed_to_an_ensemble_that_keeps_its_seed_stays_reported(
    tmp_path: Path,
) -> None:
    voting = DIRECT.replace("WRAPPER", 'VotingClassifier([("t", tree)])')
    assert _unseeded_lines(tmp_path, voting) == [6]


STARTUP = """\
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import OneHotEncoder

    ds = pd.read_csv("50_Startups.csv")
    x = ds.iloc[:, FEATURES].values
    y = ds.iloc[:, TARGET].values
    ct = ColumnTransformer([("encoding", OneHotEncoder(), [3])], remainder=REMAINDER)
    x = np.array(ct.fit_transform(x))
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=0)
    lr = LinearRegression().fit(x_train, y_train)
    print(lr.score(x_test, y_test))
    """


def _leaks(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    root = write_app(tmp_path, {"train.py": source})
    return [(f.line, f.message) for f in review_path(root) if f.rule == "target-in-features"]


def _startup(features: str, target: str, remainder: str = '"passthrough"') -> str:
    return (
        STARTUP.replace("FEATURES", features)
        .replace("TARGET", target)
        .replace("REMAINDER", remainder)
    )


def test_a_target_column_inside_the_features_slice_is_reported(tmp_path: Path) -> None:
    found = _leaks(tmp_path / "a", _startup(":-1", "1"))
    assert [line for line, _ in found] == [10]
    assert "the target y is column position 1 of ds" in found[0][1]
    assert "the features x (line 9) include that column" in found[0][1]
    assert [line for line, _ in _leaks(tmp_path / "b", _startup("0:4", "2"))] == [10]


def test_a_target_outside_the_features_or_past_their_known_width_is_silent(
    tmp_path: Path,
) -> None:
    cases = [
        _startup(":-1", "-1"),  # the last column, not in :-1
        _startup(":-1", "4"),  # beyond the four columns known to be there
        _startup(":-1", "1", '"drop"'),  # no width known: two columns would be fine
        _startup("[0, 2, 3]", "1"),
        _startup("1:", "0"),
    ]
    for i, source in enumerate(cases):
        assert _leaks(tmp_path / str(i), source) == [], source


NAMES = """\
    import pandas as pd
    from sklearn.linear_model import LinearRegression

    df = pd.read_csv("icecream.csv")
    X = df[FEATURES]
    y = df["Revenue"]
    model = LinearRegression().fit(X, y)
    print(model.score(X, y))
    """


def test_a_target_named_among_the_features_names_is_reported(tmp_path: Path) -> None:
    found = _leaks(tmp_path / "a", NAMES.replace("FEATURES", '["Temperature", "Revenue"]'))
    assert [line for line, _ in found] == [6]
    assert "column 'Revenue' of df" in found[0][1]
    other = NAMES.replace("FEATURES", '["Temperature"]')
    assert _leaks(tmp_path / "b", other) == []
    rebound = NAMES.replace(
        'y = df["Revenue"]', 'df = pd.read_csv("other.csv")\n    y = df["Revenue"]'
    )
    assert _leaks(tmp_path / "c", rebound.replace("FEATURES", '["Temperature", "Revenue"]')) == []


def test_names_are_read_in_their_own_scope_and_from_their_last_binding(tmp_path: Path) -> None:
    leaky = NAMES.replace("FEATURES", '["Temperature", "Revenue"]')
    in_a_function = leaky.replace(
        "model = LinearRegression().fit(X, y)",
        "def train(X, y):\n        return LinearRegression().fit(X, y)\n    model = train",
    )
    assert _leaks(tmp_path / "a", in_a_function) == []
    rebound_in_a_block = leaky.replace(
        "model = ", 'if len(df) > 10:\n        y = df["Temperature"] * 0\n    model = '
    )
    assert _leaks(tmp_path / "b", rebound_in_a_block) == []
