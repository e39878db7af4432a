"""ML review round 45: real code that nobody here wrote, by family.

Family 1a, Keras callbacks that watch a training metric (precision): yaoguaimi trains with
`EarlyStopping(monitor='mae')` and `ReduceLROnPlateau(monitor='mae')` and passes a fold's
held-out rows as `validation_data`, then scores those rows; `test-set-tuning` was reported. A
callback whose `monitor` is a literal metric name without Keras's `val_` prefix stops, keeps or
lowers the rate on the training rows, so the validation rows are only logged and choose nothing.
When every such callback of the file watches a training metric, nothing is reported; the default
monitor (`val_loss`), a `val_*` name and a name computed at run time still count.

Family 1b, a vocabulary learned on train and test (precision): yaoguaimi fits
`CountVectorizer(min_df=1)` on the training and test rows together. It learns only its vocabulary:
each row's counts are its own, and a word seen only in test rows is a column that is zero in
every training row, so nothing of the held-out rows reaches the training features. Like
`OneHotEncoder`, it is silent now unless a frequency cut (`min_df`, `max_df`, `max_features`
other than their defaults) counts words over all rows; `TfidfVectorizer`, whose idf is a
statistic of every row, stays reported.

Family 1c, the score of an outlier detector (precision): yaoguaimi's `find_outliers(model, X, y)`
fits a Ridge on the series, flags the points whose residual's z-score passes 3 and returns them,
printing `model.score(X, y)` on the way; `eval-on-train` was reported. Fitting on the rows it
judges is the method of a residual outlier detector, and the printed score is a diagnostic of
that fit: a score in a function named for outliers or anomalies that returns no score (no call,
no score-like name) is silent. The same code in another function, or a detector that returns
its score, stays reported.

Family 1d, calendar features of independent events (precision): heroalgorithm's Uber sheet
takes each ride's pickup year, month, day, hour and weekday as features and splits the rides at
random; `temporal-random-split` was reported. A calendar number (`dt.dt.hour`) does not make the
rows a series: in a module that reads no history of its rows it no longer dates the frame it is
stored in. A `shift`, a `rolling` window or a frame parsed with its dates keeps it dated.

Family 1e, a split of names defined nowhere (precision): yaoguaimi's cheat sheet calls
`train_test_split(X, y)` in a file that never binds `X` or `y`; the call stops with a NameError,
so its missing seed changes no result. A library's star import is read as binding its API; a
star import of a repository module, or any binding of the names, keeps the finding.

Family 2, IPython help before a name (parse): HyperGBM's `00.get-doc.ipynb` has a cell
`?make_experiment`, IPython's help escape, which was a parse error that blanked its cell. A line
starting with `?` or `??` is an IPython escape like `%` and `!`, so it is read as `pass` at its
indentation and the rest of the cell is analysed.

Family 3, rows oversampled and then split (recall): yaoguaimi oversamples its whole training
file with SMOTE and then cross-validates on the oversampled rows, so each validation fold holds
rows whose synthetic neighbours are in its training folds. An oversampler (SMOTE, ADASYN,
RandomOverSampler...) applied to rows that are split afterwards (folds, a train/validation split,
`cross_val_score`) is `leakage-preprocess-before-split`, also when those rows are a training
part. A training part oversampled and fitted whole, and an under-sampler (which only drops rows),
stay silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import notebook_findings, write_app


def _lines(tmp_path: Path, source: str, rule: str, name: str = "train.py") -> list[int]:
    root = write_app(tmp_path, {name: source})
    return sorted(f.line for f in review_path(root) if f.rule == rule)


KERAS_FOLDS = """\
    import numpy as np
    from sklearn.model_selection import KFold
    from tensorflow import keras
    from tensorflow.keras.callbacks import EarlyStopping, ReduceLROnPlateau

    X = np.load("x.npy")
    y = np.load("y.npy")
    stop = EarlyStopping(MONITOR, patience=15, restore_best_weights=True)
    lower = ReduceLROnPlateau(MONITOR, factor=0.1, patience=15)
    for train_idx, val_idx in KFold(5, shuffle=True, random_state=0).split(X):
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(loss="mse", metrics=["mae"])
        model.fit(
            X[train_idx], y[train_idx], epochs=800, validation_data=(X[val_idx], y[val_idx]),
            callbacks=[lower, stop],
        )
        print(model.evaluate(X[val_idx], y[val_idx]))
    """


def test_callbacks_that_watch_a_training_metric_choose_nothing_on_the_validation_rows(
    tmp_path: Path,
) -> None:
    for n, monitor in enumerate(("monitor='mae'", "monitor='loss'")):
        source = KERAS_FOLDS.replace("MONITOR", monitor)
        assert _lines(tmp_path / str(n), source, "test-set-tuning") == []


def test_callbacks_that_watch_a_validation_score_still_tune_on_the_validation_rows(
    tmp_path: Path,
) -> None:
    monitors = ("monitor='val_loss'", "monitor=METRIC", "verbose=1")
    for n, monitor in enumerate(monitors):
        source = KERAS_FOLDS.replace("MONITOR", monitor).replace(
            "import numpy as np", "import numpy as np\n    METRIC = 'val_mae'"
        )
        assert _lines(tmp_path / str(n), source, "test-set-tuning") != [], monitor


VOCABULARY = """\
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    train = pd.read_csv("train.csv")
    test = pd.read_csv("test.csv")
    data = pd.concat((train, test), axis=0, ignore_index=True)
    vectorizer = VECTORIZER
    words = vectorizer.fit_transform(data["text"])
    X = words[: len(train)]
    print(cross_val_score(LogisticRegression(), X, train["label"], cv=5).mean())
    """


def test_a_vocabulary_learned_on_train_and_test_leaks_nothing(tmp_path: Path) -> None:
    for n, vectorizer in enumerate(("CountVectorizer(min_df=1)", "CountVectorizer()")):
        source = VOCABULARY.replace("VECTORIZER", vectorizer)
        assert _lines(tmp_path / str(n), source, "leakage-preprocess-before-split") == []


def test_idf_and_frequency_cuts_learned_on_train_and_test_stay_reported(tmp_path: Path) -> None:
    vectorizers = (
        "TfidfVectorizer(min_df=1)",
        "CountVectorizer(min_df=2)",
        "CountVectorizer(min_df=1.0)",
        "CountVectorizer(max_features=1000)",
    )
    for n, vectorizer in enumerate(vectorizers):
        source = VOCABULARY.replace("VECTORIZER", vectorizer)
        assert _lines(tmp_path / str(n), source, "leakage-preprocess-before-split") != [], (
            vectorizer
        )


OUTLIERS = """\
    import pandas as pd
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_squared_error

    def NAME(model, X, y, sigma=3):
        model.fit(X, y)
        y_pred = pd.Series(model.predict(X), index=y.index)
        resid = y - y_pred
        z = (resid - resid.mean()) / resid.std()
        outliers = z[abs(z) > sigma].index
        print("score=", model.score(X, y))
        print("mse=", mean_squared_error(y, y_pred))
        return RETURNED

    df = pd.read_csv("temperature.csv")
    flagged = NAME(Ridge(), df[["day", "hour"]], df["temp"])
    """


def test_the_score_of_a_residual_outlier_detector_is_not_a_model_evaluation(
    tmp_path: Path,
) -> None:
    source = OUTLIERS.replace("NAME", "find_outliers").replace("RETURNED", "outliers")
    assert _lines(tmp_path, source, "eval-on-train") == []


def test_a_training_score_outside_a_detector_or_returned_by_it_stays_reported(
    tmp_path: Path,
) -> None:
    cases = (
        ("fit_and_report", "outliers"),
        ("find_outliers", "outliers, mean_squared_error(y, y_pred)"),
    )
    for n, (name, returned) in enumerate(cases):
        source = OUTLIERS.replace("NAME", name).replace("RETURNED", returned)
        assert _lines(tmp_path / str(n), source, "eval-on-train") == [11], name


RIDES = """\
    import pandas as pd
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split

    df = pd.read_csv("uber.csv")
    dt = pd.to_datetime(df["pickup_datetime"])
    df["year"] = dt.dt.year
    df["hour"] = dt.dt.hour
    df["day_of_week"] = dt.dt.dayofweek
    HISTORY
    X = df[["distance", "year", "hour", "day_of_week"]]
    X_train, X_test, y_train, y_test = train_test_split(X, df["fare"], random_state=0)
    model = LinearRegression().fit(X_train, y_train)
    print(model.score(X_test, y_test))
    """


def test_calendar_features_of_independent_events_are_split_at_random(tmp_path: Path) -> None:
    source = RIDES.replace("HISTORY", "df = df.dropna()")
    assert _lines(tmp_path, source, "temporal-random-split") == []


def test_calendar_features_beside_a_history_or_a_parsed_frame_stay_reported(
    tmp_path: Path,
) -> None:
    histories = (
        'df["fare_lag_1"] = df["fare"].shift(1)',
        'df["mean_7"] = df["fare"].rolling(7).mean()',
    )
    for n, history in enumerate(histories):
        source = RIDES.replace("HISTORY", history)
        assert _lines(tmp_path / str(n), source, "temporal-random-split") == [12], history
    parsed = RIDES.replace("HISTORY", "").replace(
        'pd.read_csv("uber.csv")', 'pd.read_csv("uber.csv", parse_dates=["pickup_datetime"])'
    )
    assert _lines(tmp_path / "parsed", parsed, "temporal-random-split") == [12]


SNIPPETS = """\
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from statsmodels.tsa.stattools import *
    DATA
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    """


def test_an_unseeded_split_of_names_defined_nowhere_cannot_run(tmp_path: Path) -> None:
    assert _lines(tmp_path, SNIPPETS.replace("DATA", ""), "unseeded-randomness") == []


def test_an_unseeded_split_of_defined_or_star_imported_names_stays_reported(
    tmp_path: Path,
) -> None:
    loaded = SNIPPETS.replace("DATA", 'X, y = pd.read_csv("x.csv"), pd.read_csv("y.csv")')
    assert _lines(tmp_path / "loaded", loaded, "unseeded-randomness") == [5]
    root = write_app(
        tmp_path / "star",
        {
            "data.py": 'import pandas as pd\nX = pd.read_csv("x.csv")\ny = X.pop("y")\n',
            "train.py": SNIPPETS.replace("DATA", "from data import *"),
        },
    )
    found = [f.line for f in review_path(root) if f.rule == "unseeded-randomness"]
    assert found == [5]


SPLIT_CELL = """\
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
HELP
X, y = load_iris(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y)
"""


def test_ipython_help_before_a_name_is_no_parse_error_and_hides_nothing(tmp_path: Path) -> None:
    for n, help_line in enumerate(("?train_test_split", "??train_test_split", "?load_*")):
        cells = ("import numpy as np", SPLIT_CELL.replace("HELP", help_line))
        assert notebook_findings(tmp_path / str(n), *cells) == {(6, "unseeded-randomness")}
    assert notebook_findings(tmp_path / "doc", "import numpy as np\n?np.random.rand") == set()


def test_a_question_mark_inside_code_still_parses_as_code(tmp_path: Path) -> None:
    broken = SPLIT_CELL.replace("HELP", "x = (1 ?")
    assert (3, "parse-error") in notebook_findings(tmp_path, broken)


OVERSAMPLED = """\
    import pandas as pd
    from imblearn.over_sampling import SMOTE
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_score, train_test_split

    train = pd.read_csv("train.csv")
    x_train, y_train = train.drop(columns="label"), train["label"]
    x_res, y_res = SAMPLER(random_state=0).fit_resample(x_train, y_train)
    AFTER
    """


def test_rows_oversampled_and_then_split_leak_into_the_validation_part(tmp_path: Path) -> None:
    afters = (
        "print(cross_val_score(LogisticRegression(), x_res, y_res, cv=5).mean())",
        "for tr, va in KFold(5, shuffle=True, random_state=0).split(x_res, y_res):\n"
        "        m = LogisticRegression().fit(x_res.iloc[tr], y_res.iloc[tr])\n"
        "        print(m.score(x_res.iloc[va], y_res.iloc[va]))",
    )
    for n, after in enumerate(afters):
        source = OVERSAMPLED.replace("SAMPLER", "SMOTE").replace("AFTER", after)
        assert _lines(tmp_path / str(n), source, "leakage-preprocess-before-split") == [9]


def test_an_oversampled_training_part_fitted_whole_or_an_undersampled_one_is_silent(
    tmp_path: Path,
) -> None:
    split_first = (
        OVERSAMPLED.replace("SAMPLER", "SMOTE")
        .replace("x_train, y_train = train", "x_all, y_all = train")
        .replace(
            "x_res, y_res =",
            "x_train, x_test, y_train, y_test = train_test_split(x_all, y_all, random_state=0)\n"
            "    x_res, y_res =",
        )
        .replace("AFTER", "print(LogisticRegression().fit(x_res, y_res).score(x_test, y_test))")
    )
    assert _lines(tmp_path / "split", split_first, "leakage-preprocess-before-split") == []
    under = OVERSAMPLED.replace("SAMPLER", "RandomUnderSampler").replace(
        "AFTER", "print(cross_val_score(LogisticRegression(), x_res, y_res, cv=5).mean())"
    )
    assert _lines(tmp_path / "under", under, "leakage-preprocess-before-split") == []
