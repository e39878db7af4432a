"""ML review round 42: what real code hides from the review, by family.

Family 1, supervised feature selection before model selection (recall): auto_ml fits its whole
transformation pipeline, a feature selector trained on `y` included, once on the training rows,
then grid-searches the final model on the transformed rows, so each validation fold's labels
helped choose the features. A selector given the labels of a training split and then a
cross-validation or a search on exactly those rows is reported now, at the fit (scikit-learn's
"feature selection outside cross-validation" example, after a train/test split). A Pipeline
handed to the search, an unsupervised transform, a selector never given labels, and a model only
scored on the test split stay silent.

Family 2, one cause reported twice (precision): auto_ml calibrates its final model with
`calibrated_classifier.fit(X_test_processed, y_test)` in a `try`, and runs the same statement
again in the `except TypeError` branch after making a sparse matrix dense; both lines were
reported as fit-on-test. A finding on a statement that an `except` branch retries is now folded
into the finding on the `try` body's statement, which names the retry's line (for every rule). A
different statement in the handler, and the same statement outside any handler, stay reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from team.review import review_path
from tests.helpers import write_app

LEAK = "leakage-preprocess-before-split"

SELECTION = """\
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_selection import SelectFromModel, SelectKBest, VarianceThreshold, f_classif
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv("data.csv")
    X = df.drop(columns=["y"])
    y = df["y"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    selector = SELECTOR
    X_train_sel = selector.fit_transform(X_train, FIT_LABELS)
    X_test_sel = selector.transform(X_test)
    MODEL_SELECTION
    """

GRID = """gs = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=5)
    gs.fit(X_train_sel, y_train)
    print(gs.best_estimator_.score(X_test_sel, y_test))"""
CV = """print(cross_val_score(LogisticRegression(), X_train_sel, y_train, cv=5).mean())"""
KBEST = "SelectKBest(f_classif, k=10)"


def _leaks(tmp_path: Path, selector: str, model_selection: str, labels: str = "y_train") -> set:
    text = (
        SELECTION.replace("SELECTOR", selector)
        .replace("FIT_LABELS", labels)
        .replace("MODEL_SELECTION", model_selection)
    )
    folder = write_app(tmp_path, {"select.py": text})
    return {(f.line, f.rule) for f in review_path(folder) if f.rule == LEAK}


@pytest.mark.parametrize("model_selection", [GRID, CV])
def test_a_selector_fitted_with_the_training_labels_before_a_search_or_cv_is_reported(
    tmp_path: Path, model_selection: str
) -> None:
    assert _leaks(tmp_path, KBEST, model_selection) == {(14, LEAK)}


def test_a_selector_inside_a_fitted_preprocessing_pipeline_before_a_search_is_reported(
    tmp_path: Path,
) -> None:
    selector = (
        'Pipeline([("scale", StandardScaler()), '
        '("select", SelectFromModel(RandomForestClassifier(random_state=0)))])'
    )
    folder_findings = _leaks(tmp_path, selector, GRID)
    assert folder_findings == {(14, LEAK)}


def test_the_finding_says_the_folds_labels_chose_the_features(tmp_path: Path) -> None:
    folder = write_app(
        tmp_path,
        {
            "select.py": SELECTION.replace("SELECTOR", KBEST)
            .replace("FIT_LABELS", "y_train")
            .replace("MODEL_SELECTION", GRID)
        },
    )
    (finding,) = [f for f in review_path(folder) if f.rule == LEAK]
    assert "validation fold's labels helped pick the features" in finding.message
    assert "GridSearchCV, line 17" in finding.message


@pytest.mark.parametrize(
    ("selector", "labels"),
    [
        ("StandardScaler()", "y_train"),  # unsupervised: scaling the training rows is fine
        ("VarianceThreshold()", "y_train"),  # looks at the features only
        (KBEST, "None"),  # never given labels
    ],
)
def test_an_unsupervised_or_unlabelled_transform_before_a_search_is_not_reported(
    tmp_path: Path, selector: str, labels: str
) -> None:
    assert _leaks(tmp_path, selector, GRID, labels) == set()


def test_a_selector_in_the_pipeline_the_search_fits_is_not_reported(tmp_path: Path) -> None:
    search = """gs = GridSearchCV(make_pipeline(SelectKBest(f_classif), LogisticRegression()), {}, cv=5)
    gs.fit(X_train, y_train)
    print(gs.best_estimator_.score(X_test, y_test))"""
    assert _leaks(tmp_path, KBEST, search) == set()


def test_a_selector_fitted_on_the_training_split_and_only_tested_is_not_reported(
    tmp_path: Path,
) -> None:
    plain = """model = LogisticRegression().fit(X_train_sel, y_train)
    print(model.score(X_test_sel, y_test))"""
    assert _leaks(tmp_path, KBEST, plain) == set()


RETRY = """\
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("data.csv")
    X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["y"]), df["y"], random_state=0)
    model = LogisticRegression()
    try:
        model = model.fit(X_test, y_test)
    except TypeError:
        X_test = X_test.to_numpy()
        HANDLER
    """


def _fit_on_test(tmp_path: Path, handler: str) -> dict[int, str]:
    folder = write_app(tmp_path, {"retry.py": RETRY.replace("HANDLER", handler)})
    return {f.line: f.message for f in review_path(folder) if f.rule == "fit-on-test"}


def test_a_fit_retried_in_the_except_branch_is_one_finding_naming_the_retry(
    tmp_path: Path,
) -> None:
    found = _fit_on_test(tmp_path, "model = model.fit(X_test, y_test)")
    assert list(found) == [9]
    assert found[9].endswith("The same statement is retried at line 12 (except branch).")


def test_a_different_fit_in_the_except_branch_keeps_its_finding(tmp_path: Path) -> None:
    found = _fit_on_test(tmp_path, "model = LogisticRegression(C=0.5).fit(X_test, y_test)")
    assert sorted(found) == [9, 12]
    assert "retried" not in found[9]


def test_the_same_fit_after_the_try_keeps_its_finding(tmp_path: Path) -> None:
    found = _fit_on_test(tmp_path, "pass\n    model = model.fit(X_test, y_test)")
    assert sorted(found) == [9, 13]
