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
