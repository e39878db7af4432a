"""What the rules know about scikit-learn, pandas, numpy, PyTorch, Keras, XGBoost and LightGBM."""

from __future__ import annotations

import ast
import re

__all__ = [
    "ALWAYS_SHUFFLED_SPLITTERS",
    "CV_FUNCTIONS",
    "LABEL_SELECTORS",
    "LEVEL_COUNTING_OPTIONS",
    "LEVEL_ENCODERS",
    "PERSIST",
    "PREDICT_METHODS",
    "PRINTS",
    "RANDOM_ESTIMATORS",
    "RICH_METRIC_NAMES",
    "RICH_SCORING",
    "SEARCH_CLASSES",
    "SEQUENTIAL_SPLIT_LIBRARIES",
    "SPLITTER_CLASSES",
    "STAT_METHODS",
    "UNSUPERVISED",
    "est_kind",
    "fixed_default_seed",
    "is_classifier",
    "is_data_generator",
    "is_date_like",
    "is_metric_name",
    "leaf_name",
    "role_hint",
    "transformer_severity",
    "words",
]


def words(text: str) -> frozenset[str]:
    """A set of names from a space-separated string."""
    return frozenset(text.split())


STATEFUL_TRANSFORMERS = words(
    "StandardScaler MinMaxScaler MaxAbsScaler RobustScaler QuantileTransformer PowerTransformer "
    "KBinsDiscretizer SplineTransformer OneHotEncoder OrdinalEncoder LabelEncoder LabelBinarizer "
    "MultiLabelBinarizer TargetEncoder SimpleImputer KNNImputer IterativeImputer PCA "
    "IncrementalPCA KernelPCA SparsePCA TruncatedSVD NMF FastICA FactorAnalysis "
    "LatentDirichletAllocation TfidfVectorizer TfidfTransformer CountVectorizer DictVectorizer "
    "SelectKBest SelectPercentile SelectFpr SelectFdr SelectFwe GenericUnivariateSelect "
    "VarianceThreshold RFE RFECV SelectFromModel SequentialFeatureSelector ColumnTransformer "
    "FeatureUnion Isomap UMAP WOEEncoder CatBoostEncoder JamesSteinEncoder MEstimateEncoder "
    "LeaveOneOutEncoder BinaryEncoder MeanMedianImputer ArbitraryNumberImputer "
    "CategoricalImputer"
)
# Choose features by how they relate to the labels: fitted on the rows a cross-validation then
# splits, each validation fold's labels helped pick the features (scikit-learn's "feature
# selection outside cross-validation" example). VarianceThreshold looks at the features only.
LABEL_SELECTORS = words(
    "SelectKBest SelectPercentile SelectFpr SelectFdr SelectFwe GenericUnivariateSelect RFE RFECV "
    "SelectFromModel SequentialFeatureSelector"
)
# Only learn a vocabulary or a category list: a weaker leak, reported as a warning.
VOCABULARY_TRANSFORMERS = words(
    "OneHotEncoder OrdinalEncoder LabelEncoder LabelBinarizer MultiLabelBinarizer DictVectorizer "
    "CountVectorizer BinaryEncoder"
)
# Encode class labels (sklearn: "should be used to encode target values, i.e. y"); learning
# the label set from all rows before the split leaks nothing about the features.
TARGET_ENCODERS = words("LabelEncoder LabelBinarizer MultiLabelBinarizer")
# Learn only the list of category levels (no mean, no frequency, no target): fitting them on all
# rows before the split gives no optimistic bias. A CountVectorizer learns only its vocabulary:
# each row's counts are its own, and a word seen only in test rows is a column that is zero in
# every training row. min_frequency / max_categories / min_df / max_df / max_features count
# levels or words over the rows (TfidfVectorizer's idf always does).
LEVEL_ENCODERS = words("OneHotEncoder OrdinalEncoder CountVectorizer") | TARGET_ENCODERS
LEVEL_COUNTING_OPTIONS = words("min_frequency max_categories min_df max_df max_features")
# Libraries whose `train_test_split` cuts a series in order (a time-series split, no shuffle):
# pmdarima.model_selection.train_test_split, and the same name in the other forecasting libraries.
SEQUENTIAL_SPLIT_LIBRARIES = words("pmdarima sktime darts statsforecast")
# Unsupervised: scoring them on the rows they were fitted on is the normal practice.
UNSUPERVISED = words(
    "KMeans MiniBatchKMeans DBSCAN HDBSCAN OPTICS Birch AgglomerativeClustering "
    "SpectralClustering MeanShift AffinityPropagation GaussianMixture BayesianGaussianMixture "
    "IsolationForest OneClassSVM LocalOutlierFactor EllipticEnvelope"
)
STATELESS_TRANSFORMERS = words(
    "FunctionTransformer Normalizer Binarizer PolynomialFeatures HashingVectorizer "
    "HashingEncoder MissingIndicator"
)
RESAMPLERS = words(
    "SMOTE ADASYN BorderlineSMOTE SVMSMOTE KMeansSMOTE SMOTENC SMOTEN RandomOverSampler "
    "RandomUnderSampler NearMiss TomekLinks EditedNearestNeighbours SMOTETomek SMOTEENN "
    "ClusterCentroids"
)
SEARCH_CLASSES = words(
    "GridSearchCV RandomizedSearchCV HalvingGridSearchCV HalvingRandomSearchCV BayesSearchCV"
)
SPLITTER_CLASSES = words(
    "KFold StratifiedKFold GroupKFold StratifiedGroupKFold ShuffleSplit StratifiedShuffleSplit "
    "GroupShuffleSplit RepeatedKFold RepeatedStratifiedKFold TimeSeriesSplit LeaveOneOut "
    "LeavePOut LeaveOneGroupOut LeavePGroupsOut PredefinedSplit"
)
ALWAYS_SHUFFLED_SPLITTERS = words(
    "ShuffleSplit StratifiedShuffleSplit GroupShuffleSplit RepeatedKFold RepeatedStratifiedKFold"
)
_MODELS = words(
    "SVC SVR NuSVC NuSVR LinearSVC LinearSVR GaussianNB MultinomialNB BernoulliNB ComplementNB "
    "CategoricalNB Lasso LassoCV Ridge RidgeCV ElasticNet ElasticNetCV Lars LassoLars "
    "OrthogonalMatchingPursuit BayesianRidge ARDRegression Perceptron LogisticRegressionCV "
    "LinearDiscriminantAnalysis QuadraticDiscriminantAnalysis KMeans MiniBatchKMeans "
    "IsolationForest OneClassSVM CalibratedClassifierCV Booster Sequential"
)
_CLASSIFIERS = words(
    "LogisticRegression LogisticRegressionCV SVC NuSVC LinearSVC GaussianNB MultinomialNB "
    "BernoulliNB ComplementNB CategoricalNB Perceptron LinearDiscriminantAnalysis "
    "QuadraticDiscriminantAnalysis CalibratedClassifierCV"
)
RANDOM_ESTIMATORS = words(
    "RandomForestClassifier RandomForestRegressor ExtraTreesClassifier ExtraTreesRegressor "
    "ExtraTreeClassifier ExtraTreeRegressor GradientBoostingClassifier GradientBoostingRegressor "
    "DecisionTreeClassifier DecisionTreeRegressor BaggingClassifier BaggingRegressor "
    "AdaBoostClassifier AdaBoostRegressor MLPClassifier MLPRegressor SGDClassifier SGDRegressor "
    "Perceptron PassiveAggressiveClassifier PassiveAggressiveRegressor KMeans MiniBatchKMeans "
    "IsolationForest RandomTreesEmbedding TSNE RandomizedSearchCV SMOTE ADASYN BorderlineSMOTE "
    "SVMSMOTE RandomOverSampler RandomUnderSampler "
    # scikit-learn's other estimators whose result depends on random_state by default
    "GaussianMixture BayesianGaussianMixture LatentDirichletAllocation FastICA MDS "
    "SpectralClustering Nystroem RBFSampler SkewedChi2Sampler GaussianRandomProjection "
    "SparseRandomProjection DictionaryLearning MiniBatchDictionaryLearning RANSACRegressor "
    "SGDOneClassSVM BernoulliRBM HalvingRandomSearchCV "
    # imbalanced-learn, sktime, tslearn, hmmlearn, scikit-learn-extra, umap: numpy's global
    # generator when random_state is None, so np.random.seed fixes them too
    "SMOTEENN SMOTETomek KMeansSMOTE SMOTENC SMOTEN ClusterCentroids "
    "BalancedRandomForestClassifier BalancedBaggingClassifier EasyEnsembleClassifier "
    "RUSBoostClassifier Rocket MiniRocket MiniRocketMultivariate MultiRocket RocketClassifier "
    "Arsenal TimeSeriesForestClassifier DrCIF CanonicalIntervalForest TimeSeriesKMeans "
    "KernelKMeans LearningShapelets GaussianHMM GMMHMM MultinomialHMM CategoricalHMM PoissonHMM "
    "Fastfood UMAP "
    # aeon's and sktime's forests, ensembles and networks (random_state=None draws anew; not
    # aeon's ElasticEnsemble, whose random_state defaults to 0)
    "HIVECOTEV1 HIVECOTEV2 Catch22Classifier Catch22Regressor FreshPRINCEClassifier "
    "FreshPRINCERegressor DrCIFClassifier DrCIFRegressor "
    "ShapeletTransformClassifier TemporalDictionaryEnsemble SupervisedTimeSeriesForest "
    "RandomIntervalSpectralEnsembleClassifier CNNClassifier CNNRegressor FCNClassifier "
    "ResNetClassifier InceptionTimeClassifier"
)
CV_FUNCTIONS = words(
    "cross_val_score cross_validate cross_val_predict learning_curve validation_curve "
    "permutation_test_score"
)
PREDICT_METHODS = words("predict predict_proba predict_log_proba decision_function")
STAT_METHODS = words(
    "mean median std var min max quantile mode sum nanmean nanmedian nanstd percentile average"
)
RICH_METRIC_NAMES = words(
    "precision_score recall_score f1_score fbeta_score roc_auc_score average_precision_score "
    "balanced_accuracy_score confusion_matrix classification_report matthews_corrcoef "
    "cohen_kappa_score log_loss brier_score_loss precision_recall_curve roc_curve "
    "precision_recall_fscore_support multilabel_confusion_matrix ConfusionMatrixDisplay "
    "RocCurveDisplay PrecisionRecallDisplay det_curve AUC Precision Recall F1Score AUROC "
    "AveragePrecision BinaryF1Score BinaryAUROC PrecisionAtRecall"
)
RICH_SCORING = frozenset(
    {
        "f1",
        "roc_auc",
        "precision",
        "recall",
        "balanced_accuracy",
        "average_precision",
        "neg_log_loss",
        "neg_brier_score",
        "roc_auc_ovr",
        "roc_auc_ovo",
        "roc_auc_ovr_weighted",
        "roc_auc_ovo_weighted",
        "matthews_corrcoef",
        "jaccard",
    }
    | {
        f"{m}_{a}"
        for m in ("f1", "precision", "recall", "jaccard")
        for a in ("macro", "micro", "weighted", "samples", "binary")
    }
)
_METRIC_EXTRA = words(
    "classification_report confusion_matrix roc_curve precision_recall_curve det_curve "
    "precision_recall_fscore_support matthews_corrcoef multilabel_confusion_matrix"
)


def est_kind(cls: str) -> str | None:
    """Classify an estimator class name: transformer, model, search, resampler or splitter."""
    if cls in SEARCH_CLASSES:
        return "search"
    if cls in SPLITTER_CLASSES:
        return "splitter"
    if cls in RESAMPLERS:
        return "resampler"
    if cls in STATELESS_TRANSFORMERS:
        return "stateless"
    if cls in STATEFUL_TRANSFORMERS or cls.endswith(("Scaler", "Imputer", "Encoder")):
        return "transformer"
    if cls.endswith("Vectorizer"):
        return "transformer"
    if (
        cls in _MODELS
        or cls in UNSUPERVISED
        or cls.endswith(("Classifier", "Regressor", "Regression", "ClassifierCV"))
    ):
        return "model"
    if cls.startswith(("KNeighbors", "RadiusNeighbors")):
        return "model"
    return None


def is_classifier(cls: str) -> bool:
    """True for classifier class names (whose `.score` is accuracy)."""
    return cls in _CLASSIFIERS or cls.endswith(("Classifier", "ClassifierCV"))


def transformer_severity(cls: str) -> str:
    """Fitting a vocabulary on all rows leaks less than fitting statistics."""
    return "warning" if cls in VOCABULARY_TRANSFORMERS else "error"


def is_metric_name(name: str) -> bool:
    """sklearn.metrics-style evaluation functions."""
    return name.endswith(("_score", "_error", "_loss")) or name in _METRIC_EXTRA


_DATE = re.compile(r"(^|_)(date|time|timestamp|datetime|dt|ts|day|month|period)(_|$)|_at$")


def is_date_like(name: str) -> bool:
    """Column names that index time: `signup_date`, `timestamp`, `created_at`."""
    return bool(_DATE.search(name.lower()))


_ROLES = (
    ("train", re.compile(r"(^|[^a-z])[xy]?(train|training|trn)[xy]?([^a-z]|$)")),
    ("test", re.compile(r"(^|[^a-z])[xy]?(test|tst|holdout)[xy]?([^a-z]|$)")),
    ("val", re.compile(r"(^|[^a-z])[xy]?(val|valid|validation)[xy]?([^a-z]|$)")),
)


def role_hint(name: str) -> str | None:
    """The split role a variable or file name announces: `X_train` -> train, `df_test` -> test."""
    lowered = name.lower()
    found = [role for role, pattern in _ROLES if pattern.search(lowered)]
    return found[0] if len(found) == 1 else None


# Libraries whose `*Generator` classes are not synthetic data sets (Keras' ImageDataGenerator
# augments images and takes its seed in `flow`; numpy's Generator is a bit generator).
_NOT_DATA_GENERATORS = words("keras tensorflow torch numpy random jax")
_DATA_PACKAGES = words("data datasets synth generators streams")


def is_data_generator(qual: str) -> bool:
    """A stream generator class from a data package (scikit-multiflow's `WaveformGenerator`,
    `RegressionGenerator`): synthetic data drawn with numpy's global generator unless given
    `random_state`."""
    parts = qual.split(".")
    last = parts[-1]
    return (
        last.endswith("Generator")
        and parts[0] not in _NOT_DATA_GENERATORS
        and bool(_DATA_PACKAGES & set(parts[1:-1]))
    )


# Calls that write a value out as text for a person to read (a notebook's display included).
PRINTS = words("print display pprint")


# Constructors whose library fixes the seed when none is given, `library.Name` -> the default in
# their signature: left unseeded, they repeat themselves run after run (scikit-fda's KMeans;
# LitData's StreamingDataset and CombinedStreamingDataset, also under their old home
# lightning.data; MosaicML's StreamingDataset shuffles with shuffle_seed=9176).
_FIXED_DEFAULT_SEEDS = {
    "skfda.KMeans": "random_state=0",
    "litdata.StreamingDataset": "seed=42",
    "litdata.CombinedStreamingDataset": "seed=42",
    "lightning.StreamingDataset": "seed=42",
    "lightning.CombinedStreamingDataset": "seed=42",
    "streaming.StreamingDataset": "shuffle_seed=9176",
}


def fixed_default_seed(qual: str) -> str | None:
    """The seed a library gives a constructor called without one (`seed=42` for
    `litdata.streaming.StreamingDataset`), whatever module of the library it is imported from;
    None when the library leaves it unseeded or is not known."""
    root, last = qual.split(".", 1)[0], qual.rsplit(".", 1)[-1]
    return _FIXED_DEFAULT_SEEDS.get(f"{root}.{last}")


# The calls that seed a global generator, by qualified name, and the generator each seeds.
GLOBAL_SEEDERS = {
    "numpy.random.seed": "numpy",
    "random.seed": "random",
    "torch.manual_seed": "torch",
    "torch.random.manual_seed": "torch",
    "tensorflow.random.set_seed": "tf",
    "tensorflow.set_random_seed": "tf",
    "tensorflow.compat.v1.set_random_seed": "tf",
}

# calls that store a fitted model or its inputs
PERSIST = words("dump dumps save save_model log_model to_pickle save_pretrained")


def leaf_name(node: ast.AST) -> str:
    """`x` of `x` or `a.b.x`: the last name of a name or attribute (a callee, a target), which
    is what most rules match on; "" for anything else."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""
