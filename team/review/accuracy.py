"""`accuracy-only`: accuracy as the one metric, reported only where class balance makes it wrong.

Accuracy misleads on imbalanced classes, so the rule needs to know the balance. It reads it
from where the module's data comes from: scikit-learn loaders and generators whose balance is
documented (`load_iris`: 50/50/50; `make_classification` without `weights`), and CSV files in
the repository, whose label column (the one given as `y`) is counted. Classes count as balanced
when the smallest class has at least half the rows of the largest. Data whose balance cannot be
known (a parameter, a file outside the repository, an unknown loader) is treated as possibly
imbalanced. Evidence that the author already handles imbalance (`stratify=`, `class_weight=`,
a resampler, a stratified splitter, or any class-aware metric nearby) silences the rule.

Only explicit accuracy counts: `accuracy_score`, `scoring="accuracy"` and Keras
`metrics=["accuracy"]`. A classifier's default `.score`, `cross_val_score` or `validation_curve`
without `scoring` is library convention, not a choice of metric, and is never reported.
"""

from __future__ import annotations

import ast
import csv
import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from team.review.catalog import RESAMPLERS, RICH_METRIC_NAMES, RICH_SCORING, words
from team.review.core import Finding, Note
from team.review.rules import make_finding
from team.review.sources import RepoIndex, SourceFile

__all__ = ["BALANCED_RATIO", "AccuracyFacts", "accuracy_facts", "accuracy_only"]

#: Smallest class / largest class at or above which accuracy is a fair summary.
BALANCED_RATIO = 0.5
_MAX_ROWS = 200_000

# Loaders and generators whose classes are balanced as documented (make_* unless `weights=`).
_BALANCED = words(
    "load_iris load_digits load_wine load_breast_cancer fetch_20newsgroups "
    "fetch_20newsgroups_vectorized fetch_olivetti_faces make_moons make_circles "
    "make_hastie_10_2 make_gaussian_quantiles make_blobs make_classification load_mnist"
)
_IMBALANCED = words("fetch_covtype fetch_kddcup99 make_imbalance fetch_datasets fetch_rcv1")
# keras.datasets.<name>.load_data(): MNIST, Fashion-MNIST and CIFAR have equal classes, IMDB is
# 25k/25k; the Reuters newswire topics are heavily skewed.
_KERAS_BALANCED = words("mnist fashion_mnist cifar10 cifar100 imdb")
_KERAS_IMBALANCED = words("reuters")
_UNKNOWN = words("fetch_openml load_files fetch_lfw_people fetch_lfw_pairs load_svmlight_file")
_BALANCED_OPENML = frozenset({"mnist_784", "Fashion-MNIST", "554", "40996"})
_STRATIFIED = words(
    "StratifiedKFold StratifiedShuffleSplit RepeatedStratifiedKFold StratifiedGroupKFold"
)
_LABEL_NAMES = words("y Y y_all y_full labels label target targets y_true")


@dataclass(frozen=True)
class DataSource:
    """Where a module's rows come from and what is known of their class balance."""

    line: int
    what: str
    balance: str  # balanced | imbalanced | unknown
    detail: str = ""


@dataclass
class AccuracyFacts:
    """What the rule needs to know about one module."""

    accuracy_lines: list[int] = field(default_factory=list)
    rich_metrics: bool = False
    evidence: list[tuple[int, str]] = field(default_factory=list)
    sources: list[DataSource] = field(default_factory=list)


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _is_accuracy(call: ast.Call, last: str) -> bool:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    metrics = kw.get("metrics")
    return (
        last == "accuracy_score"
        or _const(kw.get("scoring")) == "accuracy"
        or (
            isinstance(metrics, ast.List | ast.Tuple)
            and any(_const(e) in ("accuracy", "acc") for e in metrics.elts)
        )
    )


def _is_rich(node: ast.AST) -> bool:
    if isinstance(node, ast.Name | ast.Attribute) and _name(node) in RICH_METRIC_NAMES:
        return True
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[-1] in RICH_METRIC_NAMES
    return isinstance(node, ast.Constant) and node.value in RICH_SCORING


def accuracy_facts(src: SourceFile, repo: RepoIndex, root: Path | None) -> AccuracyFacts:
    """Accuracy calls, class-aware metrics, imbalance handling and data sources of a module."""
    facts = AccuracyFacts()
    labels = _label_columns(src)
    for node in ast.walk(src.tree):
        if _is_rich(node):
            facts.rich_metrics = True
        if not isinstance(node, ast.Call):
            continue
        qual = repo.qualify(src, node.func) or _name(node.func)
        last = qual.rsplit(".", 1)[-1]
        if _is_accuracy(node, last):
            facts.accuracy_lines.append(node.lineno)
        for kw in node.keywords:
            if kw.arg in ("stratify", "class_weight") and not (
                isinstance(kw.value, ast.Constant) and kw.value.value is None
            ):
                facts.evidence.append((node.lineno, f"{kw.arg}="))
        if last in RESAMPLERS or last in _STRATIFIED or qual.startswith("imblearn."):
            facts.evidence.append((node.lineno, last))
        source = _source(node, qual, last, src, root, labels)
        if source is not None:
            facts.sources.append(source)
    facts.accuracy_lines.sort()
    return facts


def _source(
    call: ast.Call, qual: str, last: str, src: SourceFile, root: Path | None, labels: list[str]
) -> DataSource | None:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    line = call.lineno
    if last in ("make_classification", "make_blobs") and (
        "weights" in kw or isinstance(kw.get("n_samples"), ast.List | ast.Tuple)
    ):
        return DataSource(line, last, "imbalanced", "generated with unequal class sizes")
    if last == "load_data" and "keras.datasets." in qual:
        dataset = qual.rsplit(".", 2)[-2]
        if dataset in _KERAS_BALANCED:
            return DataSource(line, f"keras.datasets.{dataset}", "balanced", "documented")
        if dataset in _KERAS_IMBALANCED:
            return DataSource(line, f"keras.datasets.{dataset}", "imbalanced", "documented")
    if last in _BALANCED:
        return DataSource(line, last, "balanced", "documented equal-sized classes")
    if last in _IMBALANCED:
        return DataSource(line, last, "imbalanced", "documented skewed classes")
    if last == "fetch_openml":
        name = kw.get("name") or kw.get("data_id") or (call.args[0] if call.args else None)
        if str(_const(name)) in _BALANCED_OPENML:
            return DataSource(line, f"fetch_openml({_const(name)!r})", "balanced", "")
        return DataSource(line, last, "unknown", "an OpenML dataset of unknown balance")
    if last in _UNKNOWN:
        return DataSource(line, last, "unknown", "")
    if last in ("read_csv", "read_table") and call.args:
        return _csv_source(line, call.args[0], src, root, labels)
    return None


def _csv_source(
    line: int, node: ast.expr, src: SourceFile, root: Path | None, labels: list[str]
) -> DataSource:
    path = _const(node)
    if not isinstance(path, str) or root is None:
        return DataSource(line, "read_csv", "unknown", "a file path the review cannot resolve")
    here = (root / src.rel).parent
    found = next((p for p in (here / path, root / path) if p.is_file()), None)
    if found is None:
        return DataSource(
            line, f"read_csv({path!r})", "unknown", "the file is not in the repository"
        )
    rel = found.resolve().relative_to(root.resolve()).as_posix() if root else path
    counts = _count_labels(found, labels)
    if counts is None:
        return DataSource(line, f"read_csv({path!r})", "unknown", f"no label column found in {rel}")
    column, tally = counts
    smallest, largest = min(tally.values()), max(tally.values())
    ratio = smallest / largest
    shares = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
    balance = "balanced" if ratio >= BALANCED_RATIO and len(tally) > 1 else "imbalanced"
    return DataSource(line, f"read_csv({path!r})", balance, f"{rel} column {column!r}: {shares}")


def _count_labels(path: Path, labels: list[str]) -> tuple[str, Counter[str]] | None:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            column = next((c for c in labels if c in (reader.fieldnames or [])), None)
            if column is None:
                return None
            tally = Counter(row[column] for row in itertools.islice(reader, _MAX_ROWS))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    tally.pop("", None)
    return (column, tally) if tally else None


def _label_columns(src: SourceFile) -> list[str]:
    """Columns the module uses as labels: `y = df["c"]`, `.fit(X, df["c"])`, `df.pop("c")`."""
    out: list[str] = []

    def column(node: ast.AST | None) -> None:
        while isinstance(node, ast.Attribute):  # df["c"].values
            node = node.value
        if isinstance(node, ast.Subscript) and isinstance(_const(node.slice), str):
            out.append(str(_const(node.slice)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)

    for node in ast.walk(src.tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            pairs = [(node.targets[0], node.value)]
            if isinstance(node.targets[0], ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(node.targets[0].elts, node.value.elts, strict=False))
            for target, value in pairs:
                if isinstance(target, ast.Name) and (
                    target.id in _LABEL_NAMES or target.id.upper() in ("TARGET", "LABEL")
                ):
                    column(value)
        elif isinstance(node, ast.Call):
            last = _name(node.func)
            if last == "pop" and node.args:
                column(node.args[0])
            elif last in ("fit", "train_test_split") and len(node.args) > 1:
                column(node.args[1])
            elif last in ("cross_val_score", "cross_validate") and len(node.args) > 2:
                column(node.args[2])
            elif last == "accuracy_score" and node.args:
                column(node.args[0])
            for kw in node.keywords:
                if kw.arg in ("y", "stratify"):
                    column(kw.value)
    return list(dict.fromkeys(out))


def accuracy_only(
    src: SourceFile,
    facts: AccuracyFacts,
    neighbours: list[AccuracyFacts],
) -> tuple[list[Finding], list[Note]]:
    """Accuracy as the only metric, where the classes are imbalanced or of unknown balance."""
    if not facts.accuracy_lines:
        return [], []
    line = facts.accuracy_lines[0]
    others = facts.accuracy_lines[1:]
    every = [facts, *neighbours]
    if any(f.rich_metrics for f in every):
        return [], [Note(src.rel, line, "accuracy-only", "a class-aware metric is reported too")]
    evidence = [e for f in every for e in f.evidence]
    if evidence:
        first = evidence[0][1]
        text = f"imbalance is handled ({first}), not reported"
        return [], [Note(src.rel, line, "accuracy-only", text)]
    sources = [s for f in every for s in f.sources]
    if sources and all(s.balance == "balanced" for s in sources):
        read = "; ".join(f"{s.what} at line {s.line}" for s in sources if s in facts.sources)
        text = f"balanced, not reported ({read or sources[0].what})"
        return [], [Note(src.rel, line, "accuracy-only", text)]
    skewed = [s for s in sources if s.balance == "imbalanced"]
    if skewed:
        s = skewed[0]
        why = f"the classes are imbalanced ({s.what}: {s.detail})"
    else:
        unknown = next((s for s in sources if s.balance == "unknown"), None)
        why = "the class balance cannot be known here" + (
            f" ({unknown.what}{': ' + unknown.detail if unknown.detail else ''})" if unknown else ""
        )
    also = (
        f" Also at line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))}."
        if others
        else ""
    )
    trace = tuple(
        f"read: {s.what} ({src.rel}:{s.line}) - {s.balance}" for s in sources if s in facts.sources
    )
    finding = make_finding(
        src,
        "accuracy-only",
        line,
        f"accuracy is the only metric this classifier is judged by and {why}; predicting the "
        "majority class scores high. Report per-class precision/recall/F1 and ROC-AUC or PR-AUC, "
        f"or balanced accuracy.{also}",
        trace=(*trace, f"evaluate: accuracy ({src.rel}:{line})"),
    )
    return [finding], []
