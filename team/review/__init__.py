"""Static review of ML code against the ML Engineer card's Quality Standards and Anti-Patterns.

`review_path(root)` reads `.py` files and `.ipynb` notebooks (code cells concatenated, IPython
magics and `!` lines blanked, findings located by notebook line plus `cell`), never imports or
runs them, and returns `Finding`s whose `enforces` field quotes the card (`RULE_ENFORCES`).

How it decides. A small abstract interpreter (`flow.py`, `calls.py`) walks each module in
statement order and follows values through assignments, tuple unpacking, attribute and column
stores, `inplace=True` calls (also inside helpers), loops over literal lists, `if` tests whose
names are known (`if scaler is None`, `if fit:`), and calls into functions and classes defined
anywhere in the repository (so a helper that returns a fitted scaler or a transformed frame is
followed; a dataclass's or attrs class's fields are set from the call or their defaults,
`recordclass.py`; imports resolve from the importer's folder, so nested projects work). Each data value remembers its source rows and the split path that carved it
(`train_test_split` and `torch.utils.data.random_split` sides, KFold index arrays, `sample` /
`drop(index)` pairs), plus the train/test/val role its variable or file name announces. Unknown
code is opaque and never produces a finding on its own. The rules:

- `leakage-preprocess-before-split`: a stateful transformer (scaler, imputer, PCA, selector,
  TF-IDF, target/one-hot encoder, ColumnTransformer/Pipeline of them; SMOTE-style resamplers)
  is fitted on rows that were not split yet, and then those rows are split (`train_test_split`,
  CV splitters, `cross_val_*`, a search's `fit`, a named row subset) or the fitted transformer is
  applied to split parts (a fitted stage of Spark's `Pipeline(stages=...)` is kept fitted, and
  `randomSplit` is a split; so are two slices of one array at one bound in one function,
  `X[:n]` and `X[n:]`, `slicepairs.py`, unless no function on the way to them fits, trains or
  scores anything). A fit that several calls reach is one finding, at the fit, listing the lines
  that split (`fitsite.py`). Also a full-data statistic (`mean`, `median`, `std`, `min`, `max`,
  `quantile`, `np.mean`, ...) written back into the rows by arithmetic or `fillna`/`clip`/...
  before the split. Stateless transformers, vocabulary-only encoders of the target
  (`LabelEncoder`, which sklearn documents as a target encoder) and fits after the split do not
  count; vocabulary encoders of features are reported as warnings. Also a DeepChem-style
  transformer built with `dataset=` the unsplit data set after it was split into parts that the
  transformer then transforms. Also a feature selector that scores features against the labels
  (`SelectKBest`, `RFE`, `SelectFromModel`, ... alone or in a Pipeline) fitted with the labels
  of a training split whose output a `cross_val_*` or a search's `fit` then splits: each
  validation fold's labels helped pick the features. Not reported where no score reaches the
  split and a notebook only looks at its parts before splitting again (`inspectedsplit.py`),
  nor where an estimator's own `fit` centres or scales the rows it is given into state its
  other methods reuse and a routine it calls splits them (its inner selection, `ownfit.py`).
- `fit-on-test`: a transformer or model is fitted on data whose role is test (a test split, or
  a variable/file named test/holdout). Also the test set filled or standardised with its own mean/median/std
  (`X_test.fillna(X_test.mean())`), and `cross_val_score` run on the test split. A target
  encoder (`LabelEncoder`) fitted on what is named as labels learns only their names and is
  not reported. A branch that compares a parameter with a string (`if scaling == "Standard":`)
  is not run when the caller passes, or the default is, another string.
- `eval-on-train`: a model's score or a metric over its predictions is computed on exactly the
  rows it was fitted on and on nothing else (and the model does not leave the code where it could
  be evaluated elsewhere), or on a split of rows it was fitted on in full. Clustering and
  outlier models are exempt. Not reported where the score is announced as a training score (a
  label or variable naming train / in-sample), or the model is also cross-validated, or the rows
  are a whole truth table (all 2**k rows of 0/1 inputs, nothing to hold out: `truthtable.py`), or
  the targets are a constant (`np.zeros`: a loss minimised for itself, `constanttargets.py`); several
  models scored on the same training rows make one finding. Read apart from the interpreter:
  an MLlib model that predicts, inside a lambda, over the RDD it was trained on
  (`sparktrain.py`), and a test set loaded by the very call that loads the training set
  (`load_basic_motions(split="train")` twice, `sameload.py`).
- `test-set-tuning`: a search's `fit` on the test split; `eval_set`/`valid_sets` holding the
  test split together with early stopping, or Keras `validation_data=(X_test, y_test)`, and
  likewise a CV fold's held-out rows when the fold is then scored on those same rows; a loop
  that fits a model per candidate, scores it on the test split and keeps the best (a comparison,
  `max`, or a list later given to `argmax`/`idxmax`/`sorted`; for a library's model the data
  flow cannot follow, a loop that fits or tunes and appends each test score to a list whose
  `max`/`argmax` is taken after it, outside a plot, `collected.py`; a loop that fits nothing
  when the best score's index takes a candidate from the loop's sequence,
  `thresholds[np.argmax(accuracies)]`, and the test split is scored again with it), or that
  compares a result read under a key naming the test split (`row[f"test_{metric}"]`) with a best value and keeps a
  model its function returns or saves (`bestsofar.py`). A `min`/`max` inside a plotting call (`ax.set_ylim(np.min(scores), 1)`) is
  not a choice. A checkpoint or early-stopping callback that names a test score
  (`score_name="test_accuracy"`) or hangs on an evaluator run on test data (Ignite's
  `evaluator.add_event_handler(..., best)` with `evaluator.run(test_loader)`, a dataset built
  with `train=False`), once per evaluator. A search objective whose Hyperopt loss comes from a
  score of test data (`score, acc = model.evaluate(X_test, Y_test)`; `return {"loss": -acc}`),
  or an objective handed to a search call (`study.optimize(objective)`) that returns such a
  score, or a trial that hands a tuner only scores of test data (Ray Tune's
  `tune.report(**test_result)`). One data file given as a fit's validation set (`setValidate(path)`, `eval_set=path`)
  and later tested or predicted on (`samefile.py`); a test split given to a search as its
  evaluation set (`search(X, y, X_eval=X_test)`, `eval_data=`) and scored again under the same
  name (`evalsets.py`). A search's `best_estimator_`
  cross-validated on the rows the search was fitted on (`nested.py`). Rows a function carves
  with `train_test_split` from data it is handed (`X_test` of its parameter `data`) are a
  validation split of its caller's data, not the test split (`bestsofar.py`).
- `accuracy-only`: `accuracy_score`, `scoring="accuracy"` or Keras `metrics=["accuracy"]` with
  no precision, recall, F1, ROC-AUC, average precision, balanced accuracy, confusion matrix or
  classification report in the module or a repository module it imports or is imported by, and
  only where the classes are imbalanced (a documented public dataset, `datasets.py`; a generator
  with `weights=`; a label column of a CSV file in the repository, counted) or their balance
  cannot be known while a rare class is plausible (a target, label column, data path or the
  module named for a rare event: fraud, churn, default, anomaly, click, failure...).
  `stratify=`, `class_weight=`, `scale_pos_weight=`, `is_unbalance=`, computed class weights,
  a tuned decision threshold, resamplers and stratified splitters are evidence the imbalance
  is handled; per-step accuracy of a sequence model (`TimeDistributed(Dense)`) and a benchmark
  whose metric is accuracy (bAbI) are not class-balance cases. A default `.score`,
  `cross_val_score` or `validation_curve` is never reported. `--explain` says why a place was
  or was not reported.
- `unseeded-randomness`: `train_test_split`, shuffling CV splitters, random sklearn estimators
  and samplers without `random_state` (unless `np.random.seed` is called in the module or a module
  importing it); in ML modules also `np.random.*` draws without `np.random.seed`,
  `default_rng()`/`RandomState()` without a seed (unless the next statement copies another
  generator's state into it, `rng.set_state(...)`: `copiedstate.py`), `random.*` without `random.seed`,
  `DataFrame.sample` without `random_state`, a PyTorch loop (`.backward()`) without
  `torch.manual_seed` when something in the script draws at random (the message names it: a
  layer's initial weights, dropout, a shuffled loader, a model from another library, or the
  simulated data, which the seed must then precede) and a Keras fit without a TensorFlow seed. A call to any `*seed*` helper
  counts as seeding everything. A seed set in any module that imports this one, directly or through a
  re-exporting `__init__`, counts. Not reported: a base estimator an ensemble with
  `random_state` reseeds, and any base estimator of a Bagging or AdaBoost ensemble (scikit-learn's,
  imbalanced-learn's), given to it or to the `base_estimator` key of a grid searched over it,
  which sets each copy's seed from its own (the ensemble is reported if unseeded), `KMeans(init=array)`, a batch-index draw that
  with the function's default arguments takes every row and only indexes data
  (`np.random.choice(n, batch_size, replace=False)` with `batch=-1`; `fullbatch.py`), a module that
  only renders episodes for a person (`render_mode="human"`; it trains, scores, logs, saves and
  prints nothing outside an error handler: `viewer.py`), a draw in a `__main__` demo
  that only writes or shows a picture and calls no library but plotting, image and array ones
  (`picturedemo.py`), a default `DecisionTree*` fitted on one
  feature, an estimator never fitted (only displayed), a PyTorch loop in which nothing draws at
  random (an exact GP on data read from a file) or that runs inside a library class, toy data
  that reaches no result (a draw only inspected or converted, an estimator fitted only on a
  hand-written array with nothing kept, a Keras fit on a constant target in a module that
  scores nothing; `toydata.py`), a draw in a top-level function that fits and scores
  nothing, takes no seed and that nothing in the repository names, in a module of a package
  reviewed whole that no module imports, or in a module others import that is no script
  (`unreached.py`). A seed set outside the reviewed folder by the project it sits in counts for
  the folder's modules that are no scripts: a function outside that seeds and then calls into the
  folder (CogDL's `experiments.py` calls `set_random_seed` before it builds the wrappers of
  `cogdl/wrappers`), where no script outside runs the folder unseeded (`outside.py`; `--explain`
  names the seed at each draw it covers). A model's method that a trainer class of another
  module runs through `self` (`self.model.fit(...)`) counts as seeded when that class's
  `__init__` seeds every generator (SetFit's `Trainer` calls `set_seed`; `trainerseed.py`).
  One finding per missing seed: the
  other places it affects are listed in the finding (`randomness.py`); draws of two generators
  in one statement make one finding (`onestatement.py`). ML modules are those that
  import an ML library (JAX ones included), notebooks, and any module that fits a model. Also a
  library call that the repository gives `seed=`/`random_seed=` elsewhere, left unseeded in a
  module with no seed (`libseeds.py`; a call on `self` names the method of its own class or
  a base class of the repository, and one on a receiver of unknown class names none when
  the repository's classes define that method with different parameters: `receivers.py`),
  and a search objective (`study.optimize(objective)`)
  whose trials train with `seed=None` in so many words, in a module that reads the best trial,
  and a search whose own sampler is unseeded (Hyperopt's `fmin` without `rstate`, Optuna's
  `create_study` with no sampler or one built without `seed`) where it runs on an objective
  that does more than arithmetic (`trials.py`); and `seed or random.randint(...)`, which
  takes a seed of 0 for no seed (`zeroseed.py`). Not reported either: draws repeated once per pass of a
  `range` loop in a module that fits and scores no model, a simulation (`simulation.py`); noise
  drawn only under a caller's `if with_noise:`, a shuffle that spreads work over threads or
  hosts, a random `time.sleep`. Spark (`spark.py`): `randomSplit` without a seed (keyword or
  second positional argument) and MLlib's `RandomForest.train*`/`KMeans`/`ALS`/... `.train`
  with `seed=None` are reported; Spark ML estimators (`pyspark.ml.*`) are not, their seed
  Param defaults to a fixed value.
- `temporal-random-split`: data that has a datetime column (`parse_dates`, `pd.to_datetime`,
  `astype("datetime64")`, or sorted/indexed by a date-like column) is split by a shuffling split
  (`train_test_split` without `shuffle=False`, shuffling KFold/ShuffleSplit, `sample`). Not
  reported: a date stored under a column that only a parameter names (generic code's date
  feature of any user's frame), and a `sample` of rows already on the training side (a
  subsample for speed makes no train/test boundary).
- `target-in-features`: the target's column is also a feature column: both are taken from one
  frame by `iloc` with literal positions (`X = df.iloc[:, :-1]`, `y = df.iloc[:, 1]`) or by
  literal names (`df[["a", "b"]]`, `df["a"]`), and are split, fitted or cross-validated together.
  A slice that ends counting from the right holds the target only as far as the features are
  known to be wide (a passthrough `ColumnTransformer` refit on them naming a column index).
- `training-serving-skew`: a column computed in code reachable from a training module (one that
  fits) and, under the same name, in code reachable only from a serving module (web routes, or a
  model artifact load plus a predict-style function) by an expression that differs once field
  reads (`df["x"]`, `row.x`, `payload.get("x")`), local variables, constants and imports are
  normalised. A shared function reached from both sides is never compared with itself; a raw
  field passed through (or cast) by serving is not compared with training's cleaning of it.
- `serving-without-monitoring`: a serving handler (a route, or an uncalled predict-style
  function) reaches a `predict`/`predict_proba` call but neither it nor anything it calls logs
  (`logging`, named loggers, `print`), emits metrics (Prometheus, statsd, MLflow, W&B) or stores
  predictions, and no middleware, request hook or tracking decorator does. The predict method
  of a class that also trains (`fit`, `train_model`) is a modelling library's, not a service's.
- `parse-error` (info): a file or notebook cell that does not parse, or nests too deeply to
  analyse, is skipped; the rest of the repository is still reviewed. A file that does not parse
  only because it is written for another Python than the one running the review (its package
  requires a newer one, or its f-strings use Python 3.12's grammar, PEP 701; or it is Python 2,
  `print 'x'`, `except E, e:` or backquotes, in a package whose metadata declares Python 2 only)
  is no finding: it is listed in `Review.unread` with why, and `team review` says so in one line.
  Python 2 code in a project that does not declare Python 2 only stays a `parse-error`.

Whatever the rule, a statement retried unchanged in an `except` branch of the `try` that runs it
is one problem: its finding is folded into the `try` body's, which names the retry's line.
A `self.<attr>.sample(...)` call whose only `unseeded-randomness` finding repeats the reported
global draw of a repository class's `sample` method (a replay buffer), in a module that calls no
seeder, is dropped: the missing seed is reported once, at the draw (`samplerrepeat.py`).

Compared with dslinter (which flags every estimator used outside a Pipeline, whether or not the
data was split first) and mllint (project-level checks, no data flow), these rules need the
actual flow of the rows; compared with Yang et al.'s notebook leakage analysis they also cover
tuning, evaluation, reproducibility and the training/serving boundary across modules.
"""

from team.review.core import (
    RULE_ENFORCES,
    RULE_SEVERITY,
    Finding,
    Note,
    Severity,
    findings_to_json,
    format_findings,
    format_unread,
)
from team.review.engine import Review, ReviewLimits, review_path, review_report

__all__ = [
    "RULE_ENFORCES",
    "RULE_SEVERITY",
    "Finding",
    "Note",
    "Review",
    "ReviewLimits",
    "Severity",
    "findings_to_json",
    "format_findings",
    "format_unread",
    "review_path",
    "review_report",
]
