"""Class balance of public datasets that code loads by name, as their documentation gives it.

`accuracy-only` needs to know whether accuracy is a fair summary of a classifier's data. Public
datasets are loaded by name through a handful of APIs (scikit-learn loaders, `fetch_openml`,
`keras.datasets`, `torchvision.datasets`, `tfds.load`, Hugging Face `load_dataset`, TensorFlow's
old `read_data_sets`) or from a folder named after them; this table says what their classes look
like. A dataset whose standard metric is accuracy whatever its balance (a QA benchmark such as
bAbI) is a `benchmark`: reporting accuracy there is the convention, not a mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from team.review.catalog import words

__all__ = [
    "GENERATORS",
    "NAMED_LOADERS",
    "KnownData",
    "dataset_by_loader",
    "dataset_in_path",
    "dataset_named",
]


@dataclass(frozen=True)
class KnownData:
    """A public dataset and what its documentation says of its classes."""

    name: str
    balance: str  # balanced | imbalanced | benchmark
    detail: str


def _d(name: str, balance: str, detail: str) -> KnownData:
    return KnownData(name, balance, detail)


# Keyed by the normalised name (lower case, no '-', '_', ' ' or '.'); several spellings per set.
_TABLE: dict[str, KnownData] = {}
for _keys, _data in [
    ("mnist mnist784 554", _d("MNIST", "balanced", "10 digits, 5,421-6,742 training images each")),
    ("fashionmnist 40996", _d("Fashion-MNIST", "balanced", "10 classes of 7,000 images")),
    ("kmnist", _d("KMNIST", "balanced", "10 classes of 7,000 images")),
    ("cifar10 cifar10batchespy", _d("CIFAR-10", "balanced", "10 classes of 6,000 images")),
    ("cifar100 cifar100python", _d("CIFAR-100", "balanced", "100 classes of 600 images")),
    ("stl10", _d("STL-10", "balanced", "10 classes of 1,300 images")),
    (
        "imdb aclimdb imdbreviews",
        _d("IMDB reviews", "balanced", "25,000 positive / 25,000 negative"),
    ),
    (
        "20newsgroups 20newsgroup 20newsbydate newsgroups",
        _d("20 newsgroups", "balanced", "20 topics, 377-600 posts each in the training set"),
    ),
    ("iris 61", _d("iris", "balanced", "3 species x 50")),
    ("digits", _d("digits", "balanced", "10 digits, 174-183 images each")),
    ("wine", _d("wine", "balanced", "59 / 71 / 48")),
    (
        "breastcancer",
        _d("breast cancer", "balanced", "212 malignant / 357 benign: mildly imbalanced (0.59)"),
    ),
    ("olivettifaces", _d("Olivetti faces", "balanced", "40 people x 10 images")),
    ("agnews", _d("AG News", "balanced", "4 topics x 30,000")),
    ("yelppolarity", _d("Yelp polarity", "balanced", "280,000 / 280,000")),
    ("sst2", _d("SST-2", "balanced", "about 56% / 44%")),
    ("reuters reuters21578", _d("Reuters newswire", "imbalanced", "46 topics, heavily skewed")),
    ("covtype", _d("covertype", "imbalanced", "7 cover types, 0.5%-49% of rows")),
    ("kddcup99", _d("KDD Cup 99", "imbalanced", "attacks of very unequal frequency")),
    ("rcv1", _d("RCV1", "imbalanced", "skewed multilabel topics")),
    ("svhn", _d("SVHN", "imbalanced", "digit 1 is about 3x as frequent as 9")),
    ("creditcard 1597", _d("credit card fraud", "imbalanced", "492 frauds in 284,807 rows")),
    ("creditg 31", _d("German credit", "imbalanced", "700 good / 300 bad")),
    ("adult 1590", _d("adult income", "imbalanced", "about 76% / 24%")),
    ("bankmarketing 1461", _d("bank marketing", "imbalanced", "about 88% / 12%")),
    ("babi", _d("bAbI", "benchmark", "QA tasks whose standard metric is answer accuracy")),
]:
    for _key in _keys.split():
        _TABLE[_key] = _data

# scikit-learn / imbalanced-learn loader -> dataset
_LOADERS = {
    "load_iris": "iris",
    "load_digits": "digits",
    "load_wine": "wine",
    "load_breast_cancer": "breastcancer",
    "fetch_20newsgroups": "20newsgroups",
    "fetch_20newsgroups_vectorized": "20newsgroups",
    "fetch_olivetti_faces": "olivettifaces",
    "fetch_covtype": "covtype",
    "fetch_kddcup99": "kddcup99",
    "fetch_rcv1": "rcv1",
    "load_mnist": "mnist",
    "read_data_sets": "mnist",  # tensorflow.examples.tutorials.mnist.input_data
}
# Generators whose classes have equal sizes unless `weights=` / per-class `n_samples` say not.
GENERATORS = words(
    "make_classification make_blobs make_moons make_circles make_hastie_10_2 "
    "make_gaussian_quantiles"
)
# Loaders that read a named dataset from their first argument or `name=` / `data_id=`.
NAMED_LOADERS = words("fetch_openml load_dataset load builder")


def _norm(name: str) -> str:
    return re.sub(r"[-_ .]", "", name.split(":")[0].split("/")[0]).lower()


def dataset_named(name: object) -> KnownData | None:
    """The dataset a loader names (`fetch_openml("mnist_784")`, `tfds.load("imdb_reviews")`).

    Example:
        >>> dataset_named("mnist_784").balance
        'balanced'
        >>> dataset_named("credit-g").balance
        'imbalanced'
    """
    return _TABLE.get(_norm(str(name))) if name is not None else None


def dataset_by_loader(qual: str) -> KnownData | None:
    """The dataset behind a loader call's qualified name, if the table knows it.

    Example:
        >>> dataset_by_loader("sklearn.datasets.load_iris").detail
        '3 species x 50'
        >>> dataset_by_loader("torchvision.datasets.CIFAR10").name
        'CIFAR-10'
    """
    parts = qual.split(".")
    last = parts[-1]
    if last in _LOADERS:
        return _TABLE[_LOADERS[last]]
    if last == "load_data" and "datasets" in parts[:-1]:  # keras.datasets.mnist.load_data
        return _TABLE.get(_norm(parts[-2]))
    if len(parts) > 2 and parts[:2] == ["torchvision", "datasets"]:
        return _TABLE.get(_norm(last))
    return None


def dataset_in_path(text: str) -> KnownData | None:
    """A dataset named by a folder or archive in a path string (`"data/20_newsgroup"`).

    Example:
        >>> dataset_in_path("~/data/aclImdb/train").name
        'IMDB reviews'
        >>> dataset_in_path("tasks_1-20_v1-2/en/qa1") is None
        True
    """
    if len(text) > 200:
        return None
    for part in re.split(r"[/\\]", text):
        for piece in (part, part.split(".")[0], *re.split(r"[^A-Za-z0-9]+", part)):
            known = _TABLE.get(_norm(piece)) if piece and not piece.isdigit() else None
            if known is not None:
                return known
    return None
