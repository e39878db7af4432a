"""`accuracy-only`: accuracy as the one metric, reported only where class balance makes it wrong.

Accuracy misleads on imbalanced classes, so the rule needs to know the balance. It reads it
from where the module's data comes from: public datasets whose balance is documented
(`datasets.py`: scikit-learn loaders, `fetch_openml`, `keras.datasets`, `torchvision.datasets`,
`tfds.load`, a folder named after the dataset), generators (`make_classification` is balanced
unless `weights=`), and CSV files in the repository, whose label column (the one given as `y`)
is counted. Classes count as balanced when the smallest class has at least half the rows of the
largest. Known imbalance is reported. Where the balance cannot be known (a parameter, a file
outside the repository, an unknown loader), the rule reports only when something in the module
says a rare class is plausible: the target, a label column, a data file or the module is named
for a rare event (fraud, churn, default, anomaly, click, failure, ...), or its text speaks of
imbalance or a minority class. Evidence that the author already handles imbalance (`stratify=`,
`class_weight=`, a resampler, a stratified splitter, or any class-aware metric nearby) silences
the rule, and so does a task that is not a classification of labelled examples: per-step
accuracy of a sequence model (`TimeDistributed`, `RepeatVector`) or a benchmark whose standard
metric is accuracy (bAbI).

Only explicit accuracy counts: `accuracy_score`, `scoring="accuracy"` and Keras
`metrics=["accuracy"]`. A classifier's default `.score`, `cross_val_score` or `validation_curve`
without `scoring` is library convention, not a choice of metric, and is never reported.
"""

from __future__ import annotations

import ast
import csv
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from team.review.catalog import RESAMPLERS, RICH_METRIC_NAMES, RICH_SCORING, words
from team.review.core import Finding, Note
from team.review.datasets import (
    GENERATORS,
    NAMED_LOADERS,
    KnownData,
    dataset_by_loader,
    dataset_in_path,
    dataset_named,
)
from team.review.findingtext import make_finding
from team.review.sources import RepoIndex, SourceFile

__all__ = ["BALANCED_RATIO", "AccuracyFacts", "accuracy_facts", "accuracy_only"]

#: Smallest class / largest class at or above which accuracy is a fair summary.
BALANCED_RATIO = 0.5
_MAX_ROWS = 200_000

# Words that make a rare class plausible. _RARE_TEXT: anywhere in the module's text (docstring,
# strings, names); _RARE_TOKENS: a whole token of a target, a label column or a data path only
# ("outliers" in prose is as often about robust regression as about a rare class).
_RARE_TEXT = tuple(
    sorted(words("fraud churn anomal intrusion malware bankrupt imbalanc unbalanc creditcard"))
)
_RARE_PHRASES = ("minority class", "rare class", "rare event", "skewed class")
_RARE_TOKENS = words(
    "default defaults defaulted click clicks clicked ctr rare minority failure failures fault "
    "faults attack attacks spam credit stroke converted conversion readmitted outlier outliers"
)
_READERS = words(
    "read_csv read_table read_parquet read_excel read_json read_feather loadtxt genfromtxt load "
    "open join Path get_file image_dataset_from_directory text_dataset_from_directory "
    "flow_from_directory ImageFolder"
)
_UNKNOWN = words("load_files fetch_lfw_people fetch_lfw_pairs load_svmlight_file")
# Evidence the author handles imbalance: stratified splits, class weights (scikit-learn, Keras
# `fit(class_weight=)`, XGBoost `scale_pos_weight`, LightGBM `is_unbalance`), a tuned threshold.
_HANDLING_KEYWORDS = words("stratify class_weight scale_pos_weight is_unbalance")
_HANDLING_CALLS = words(
    "StratifiedKFold StratifiedShuffleSplit RepeatedStratifiedKFold StratifiedGroupKFold "
    "compute_class_weight compute_sample_weight TunedThresholdClassifierCV "
    "FixedThresholdClassifier"
)
_LABEL_NAMES = words("y Y y_all y_full labels label target targets y_true")


@dataclass(frozen=True)
class DataSource:
    """Where a module's rows come from and what is known of their class balance."""

    line: int
    what: str
    balance: str  # balanced | imbalanced | benchmark | unknown
    detail: str = ""


@dataclass
class AccuracyFacts:
    """What the rule needs to know about one module."""

    accuracy_lines: list[int] = field(default_factory=list)
    rich_metrics: bool = False
    evidence: list[tuple[int, str]] = field(default_factory=list)
    sources: list[DataSource] = field(default_factory=list)
    rare_hint: str = ""  # why a rare class is plausible here, if anything says so
    sequence_output: str = ""  # a layer that makes the model's output a sequence


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


_ACCURACY_METRICS = frozenset(
    {"accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"}
)


def _is_accuracy(call: ast.Call, last: str) -> bool:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    metrics = kw.get("metrics")
    return (
        last == "accuracy_score"
        or _const(kw.get("scoring")) == "accuracy"
        or (
            isinstance(metrics, ast.List | ast.Tuple)
            and any(_const(e) in _ACCURACY_METRICS for e in metrics.elts)
        )
    )


def _is_rich(node: ast.AST) -> bool:
    if isinstance(node, ast.Name | ast.Attribute) and _name(node) in RICH_METRIC_NAMES:
        return True
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[-1] in RICH_METRIC_NAMES
    return isinstance(node, ast.Constant) and node.value in RICH_SCORING


_RATE_METHODS = re.compile(
    r"^(true|false)_(positive|negative)_rate$|^balanced_accuracy$|^(sensitivity|specificity)$"
)


def _unread_results(tree: ast.Module) -> set[int]:
    """Calls whose result goes to a name nothing reads (`acc = accuracy_score(...)` left
    unused beside the balanced accuracy a notebook reports): they report nothing."""
    loaded = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id not in loaded
    }


def accuracy_facts(src: SourceFile, repo: RepoIndex, root: Path | None) -> AccuracyFacts:
    """Accuracy calls, class-aware metrics, imbalance handling and data sources of a module."""
    facts = AccuracyFacts()
    labels = _label_columns(src)
    paths: list[tuple[int, str]] = []  # strings given to a reader: file names, folders, URLs
    unread = _unread_results(src.tree)
    for node in ast.walk(src.tree):
        if _is_rich(node):
            facts.rich_metrics = True
        if not isinstance(node, ast.Call):
            continue
        if _is_per_step_output(node):
            facts.sequence_output = facts.sequence_output or "TimeDistributed(Dense)"
        qual = repo.qualify(src, node.func) or _name(node.func)
        last = qual.rsplit(".", 1)[-1]
        if _RATE_METHODS.match(last):
            facts.rich_metrics = True  # `metric.true_positive_rate()`: a class-aware rate
        if _is_accuracy(node, last) and id(node) not in unread:
            facts.accuracy_lines.append(node.lineno)
        for kw in node.keywords:
            off = isinstance(kw.value, ast.Constant) and kw.value.value in (None, False)
            if kw.arg in _HANDLING_KEYWORDS and not off:
                facts.evidence.append((node.lineno, f"{kw.arg}="))
        if last in RESAMPLERS or last in _HANDLING_CALLS or qual.startswith("imblearn."):
            facts.evidence.append((node.lineno, last))
        if last in _READERS:
            paths.extend(
                (node.lineno, str(c.value))
                for arg in [*node.args, *(k.value for k in node.keywords)]
                for c in ast.walk(arg)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            )
        source = _source(node, qual, last, src, root, labels)
        if source is not None:
            facts.sources.append(source)
    for line, text in paths:
        known = dataset_in_path(text)
        if known is not None and not any(known.name in s.detail for s in facts.sources):
            # a file named after a public dataset tells more than "not in the repository"
            facts.sources = [
                s for s in facts.sources if not (s.line == line and s.balance == "unknown")
            ]
            facts.sources.append(_known(line, f"{text!r}", known))
    facts.accuracy_lines.sort()
    facts.rare_hint = _rare_hint(src, labels, [t for _, t in paths])
    return facts


def _is_per_step_output(call: ast.Call) -> bool:
    """`TimeDistributed(Dense(...))`: a prediction per step of a sequence, not one per example."""
    return (
        _name(call.func) == "TimeDistributed"
        and bool(call.args)
        and isinstance(call.args[0], ast.Call)
        and _name(call.args[0].func) == "Dense"
    )


def _known(line: int, what: str, known: KnownData) -> DataSource:
    return DataSource(line, what, known.balance, f"{known.name}, {known.detail}")


def _source(
    call: ast.Call, qual: str, last: str, src: SourceFile, root: Path | None, labels: list[str]
) -> DataSource | None:
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    line = call.lineno
    if last in GENERATORS:
        if "weights" in kw or isinstance(kw.get("n_samples"), ast.List | ast.Tuple):
            return DataSource(line, last, "imbalanced", "generated with unequal class sizes")
        return DataSource(line, last, "balanced", "generated with equal class sizes")
    known = dataset_by_loader(qual)
    if known is not None:
        return _known(line, last, known)
    if last in NAMED_LOADERS and (
        last == "fetch_openml" or "tensorflow_datasets" in qual or qual.startswith("datasets.")
    ):
        given = kw.get("name") or kw.get("data_id") or kw.get("path")
        name = _const(given or (call.args[0] if call.args else None))
        known = dataset_named(name)
        if known is not None:
            return _known(line, f"{last}({name!r})", known)
        return DataSource(line, f"{last}({name!r})", "unknown", "a dataset of unknown balance")
    if last in _UNKNOWN:
        return DataSource(line, last, "unknown", "")
    if last in ("read_csv", "read_table") and call.args:
        return _csv_source(line, call.args[0], src, root, labels)
    return None


def _words_of(text: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def _rare_hint(src: SourceFile, labels: list[str], paths: list[str]) -> str:
    """What in the module makes a rare class plausible ("" when nothing does)."""
    named = [
        *((f"label column {c!r}", c) for c in labels),
        *((f"data path {p!r}", p) for p in paths),
        *((f"target {t!r}", t) for t in _target_names(src)),
    ]
    for where, subject in named:
        rare = _RARE_TOKENS.intersection(_words_of(subject)) or _rare_text(subject)
        if rare:
            return f"{where} names {min(rare)!r}"
    if rare := _rare_text(src.rel):
        return f"module {src.rel!r} names {min(rare)!r}"
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            text = _name(node) or str(getattr(node, "name", "") or "")
        if rare := _rare_text(text) or {p for p in _RARE_PHRASES if p in text.lower()}:
            return f"{min(rare)!r} at line {getattr(node, 'lineno', 1)}"
    return ""


def _rare_text(text: str) -> set[str]:
    """The words of text that name a rare event (`anomalous`, `Fraud_Label`)."""
    lowered = text.lower()
    return {
        m.group(0) for w in _RARE_TEXT if w in lowered for m in re.finditer(rf"\w*{w}\w*", lowered)
    }


def _target_names(src: SourceFile) -> list[str]:
    """Variables given as the labels: `.fit(X, y_fraud)`, `accuracy_score(is_churn, p)`."""
    out: list[str] = []
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call):
            continue
        last = _name(node.func)
        args = node.args
        picked = (
            args[1:2]
            if last in ("fit", "train_test_split")
            else args[:1]
            if last == "accuracy_score"
            else []
        )
        picked += [k.value for k in node.keywords if k.arg in ("y", "y_true", "stratify")]
        out.extend(_name(a) for a in picked if _name(a))
    return list(dict.fromkeys(out))


def _csv_source(
    line: int, node: ast.expr, src: SourceFile, root: Path | None, labels: list[str]
) -> DataSource:
    path = _const(node)
    if not isinstance(path, str) or root is None:
        return DataSource(line, "read_csv", "unknown", "a file path the review cannot resolve")
    here = (root / src.rel).parent
    found = next((p for p in (here / path, root / path) if _inside(p, root)), None)
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


def _inside(path: Path, root: Path) -> bool:
    """A file of the reviewed folder: a relative path may climb out of it (`../data/x.csv`),
    into the project around it, whose files are not the folder's data."""
    return path.is_file() and path.resolve().is_relative_to(root.resolve())


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
    """Accuracy as the only metric, where the classes are imbalanced or plausibly so."""
    if not facts.accuracy_lines:
        return [], []
    line = facts.accuracy_lines[0]
    every = [facts, *neighbours]
    sources = [s for f in every for s in f.sources]
    why_not = _not_reported(facts, every, sources)
    if why_not:
        return [], [Note(src.rel, line, "accuracy-only", why_not)]
    skewed = [s for s in sources if s.balance == "imbalanced"]
    hint: tuple[str, ...] = ()
    if skewed:
        s = skewed[0]
        why = f"the classes are imbalanced ({s.what}: {s.detail})"
    else:
        hint = (f"balance: unknown; a rare class is plausible ({_hint(every)})",)
        unknown = next((s for s in sources if s.balance == "unknown"), None)
        data = ""
        if unknown is not None:
            data = f" ({unknown.what}{': ' + unknown.detail if unknown.detail else ''})"
        why = (
            f"the class balance cannot be known here{data} while a rare class is plausible "
            f"({_hint(every)})"
        )
    others = facts.accuracy_lines[1:]
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
        trace=(*trace, *hint, f"evaluate: accuracy ({src.rel}:{line})"),
    )
    return [finding], []


def _hint(every: list[AccuracyFacts]) -> str:
    return next((f.rare_hint for f in every if f.rare_hint), "")


def _not_reported(
    facts: AccuracyFacts, every: list[AccuracyFacts], sources: list[DataSource]
) -> str:
    """Why accuracy is a fair choice here, as the `--explain` note says it ("" if it is not)."""
    if any(f.rich_metrics for f in every):
        return "a class-aware metric is reported too"
    evidence = [e for f in every for e in f.evidence]
    if evidence:
        return f"imbalance is handled ({evidence[0][1]}), not reported"
    own = [s for s in sources if s in facts.sources] or sources
    bench = next((s for s in sources if s.balance == "benchmark"), None)
    if bench is not None:
        return f"a benchmark ({bench.what}: {bench.detail}), not reported"
    if sources and all(s.balance == "balanced" for s in sources):
        read = "; ".join(
            f"{s.what} at line {s.line}" + (f": {s.detail}" if s.detail else "") for s in own
        )
        return f"balanced, not reported ({read})"
    if facts.sequence_output:
        return (
            f"a sequence model ({facts.sequence_output}): accuracy per step of a generated "
            "sequence, not of classified examples, not reported"
        )
    if any(s.balance == "imbalanced" for s in sources) or _hint(every):
        return ""
    unknown = next((s for s in sources if s.balance == "unknown"), None)
    data = f" ({unknown.what})" if unknown else ""
    return (
        f"the class balance cannot be known here{data} and nothing in the code suggests a rare "
        "class (a target, label column or data file named for a rare event), not reported"
    )
