"""Tests for `team.review`: every rule on small fixtures, and the three scenario repositories.

Fixture files under `tests/fixtures/review/<rule>/` mark each line a rule must report with a
trailing `# expect: <rule-id>` comment; a case must produce exactly the marked findings, so
`neg_*` cases (no markers) must produce none at all.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from team.review import (
    RULE_ENFORCES,
    Finding,
    findings_to_json,
    format_findings,
    review_path,
    review_report,
)

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "review"
SCENARIOS = HERE.parent / "scenarios" / "fixtures"
MARKER = re.compile(r"#\s*expect:\s*([\w-]+)")
RULE_DIRS = {
    "leakage": "leakage-preprocess-before-split",
    "eval_on_train": "eval-on-train",
    "test_set_tuning": "test-set-tuning",
    "fit_on_test": "fit-on-test",
    "accuracy_only": "accuracy-only",
    "unseeded": "unseeded-randomness",
    "temporal": "temporal-random-split",
    "target": "target-in-features",
    "skew": "training-serving-skew",
    "monitoring": "serving-without-monitoring",
}


def _code_lines(path: Path) -> list[str]:
    """Lines as the reviewer numbers them: a notebook's code cells, one after another."""
    if path.suffix != ".ipynb":
        return path.read_text().splitlines()
    lines: list[str] = []
    try:
        cells = json.loads(path.read_text())["cells"]
    except ValueError:
        return []
    for cell in cells:
        if cell["cell_type"] == "code":
            lines.extend("".join(cell["source"]).splitlines() or [""])
    return lines


def _expected(root: Path) -> set[tuple[str, int, str]]:
    out = set()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".ipynb"):
            for number, line in enumerate(_code_lines(path), start=1):
                match = MARKER.search(line)
                if match:
                    out.add((path.relative_to(root).as_posix(), number, match.group(1)))
    return out


def _copy_case(case: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    if case.is_dir():
        shutil.copytree(case, root)
    else:
        root.mkdir()
        shutil.copy(case, root / case.name)
    return root


def _found(root: Path, *, with_parse_errors: bool = False) -> set[tuple[str, int, str]]:
    return {
        (f.path, f.line, f.rule)
        for f in review_path(root)
        if with_parse_errors or f.rule != "parse-error"
    }


CASES = sorted(
    case for rule_dir in FIXTURES.iterdir() if rule_dir.is_dir() for case in rule_dir.iterdir()
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_fixture_case_reports_exactly_the_marked_lines(case: Path, tmp_path: Path) -> None:
    root = _copy_case(case, tmp_path)
    assert _found(root) == _expected(root)


def test_a_byte_order_mark_or_a_coding_cookie_is_read_as_python_reads_it(tmp_path: Path) -> None:
    code = "import numpy as np\nfrom sklearn.cluster import KMeans\n\nX = np.load('x.npy')\n"
    code += "print(KMeans(4).fit_predict(X))  # café\n"
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + code.encode("utf-8"))
    latin = "# -*- coding: latin-1 -*-\n" + code
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    found = {(f.path, f.line, f.rule) for f in review_path(tmp_path)}
    assert found == {("bom.py", 5, "unseeded-randomness"), ("latin.py", 6, "unseeded-randomness")}


def test_a_rule_reports_one_problem_on_a_line_once(tmp_path: Path) -> None:
    case = FIXTURES / "fit_on_test" / "pos_test_standardised_by_its_own_mean_and_std.py"
    found = review_path(_copy_case(case, tmp_path))
    assert [(f.line, f.rule) for f in found] == [(10, "fit-on-test")]
    assert "statistics of the test set (np.mean(), np.std())" in found[0].message


@pytest.mark.parametrize("rule_dir", sorted(RULE_DIRS))
def test_every_rule_has_two_positive_and_two_negative_cases(rule_dir: str) -> None:
    cases = sorted((FIXTURES / rule_dir).iterdir())
    rule = RULE_DIRS[rule_dir]
    positives = [c for c in cases if c.name.startswith("pos_")]
    negatives = [c for c in cases if c.name.startswith("neg_")]
    assert len(positives) >= 2 and len(negatives) >= 2
    for case in positives:
        root = case if case.is_dir() else case.parent
        marks = {r for p, _, r in _expected(root) if case.is_dir() or p == case.name}
        assert rule in marks, case
    for case in negatives:
        files = [case] if case.is_file() else list(case.rglob("*.py"))
        assert not any(MARKER.search(f.read_text()) for f in files), case


def test_notebook_finding_has_cell_and_concatenated_line(tmp_path: Path) -> None:
    root = _copy_case(FIXTURES / "notebook" / "leaky.ipynb", tmp_path)
    (finding,) = review_path(root)
    assert (finding.path, finding.line, finding.cell) == ("leaky.ipynb", 12, 4)
    assert finding.rule == "leakage-preprocess-before-split"
    assert finding.evidence == "X = StandardScaler().fit_transform(X)  # expect: " + finding.rule
    assert format_findings([finding]).endswith("(cell 4)\n")


def test_unparsable_files_become_info_findings_and_the_rest_is_reviewed(tmp_path: Path) -> None:
    root = _copy_case(FIXTURES / "parse", tmp_path)
    findings = review_path(root)
    errors = {(f.path, f.line, f.cell) for f in findings if f.rule == "parse-error"}
    assert errors == {
        ("broken.py", 3, None),
        ("half_broken.ipynb", 3, 2),
        ("not_json.ipynb", 1, None),
    }
    assert all(f.severity == "info" for f in findings if f.rule == "parse-error")
    assert _found(root) == _expected(root) == {("half_broken.ipynb", 6, "unseeded-randomness")}


# -- the scenario repositories --------------------------------------------------------------------
def _line_of(path: Path, snippet: str) -> int:
    lines = _code_lines(path)
    matches = [i for i, line in enumerate(lines, start=1) if snippet in line]
    assert len(matches) == 1, (path, snippet, matches)
    return matches[0]


def test_clean_pipeline_has_no_findings() -> None:
    assert review_path(SCENARIOS / "clean_pipeline") == []


MUTATIONS = [
    (
        "serve/app.py",
        "    logger.info(",
        "    dict(",
        "serving-without-monitoring",
    ),
    (
        "churn/train.py",
        'class_weight="balanced", random_state=SEED',
        'class_weight="balanced"',
        "unseeded-randomness",
    ),
    (
        "churn/train.py",
        "train_df, test_df = temporal_split(df, CUTOFF)",
        "train_df, test_df = train_test_split(df, random_state=SEED)",
        "temporal-random-split",
    ),
    (
        "churn/train.py",
        "    model.fit(X_train, y_train)\n",
        "    model.fit(X_train, y_train)\n    model.fit(X_test, y_test)\n",
        "fit-on-test",
    ),
    (
        "serve/app.py",
        "frame = add_features(pd.DataFrame([customer.model_dump()]))",
        "frame = pd.DataFrame([customer.model_dump()])\n"
        '    frame["tenure_months"] = frame["tenure_days"] / 30',
        "training-serving-skew",
    ),
]


@pytest.mark.parametrize("path,old,new,rule", MUTATIONS, ids=[m[3] for m in MUTATIONS])
def test_breaking_the_clean_pipeline_is_caught(
    path: str, old: str, new: str, rule: str, tmp_path: Path
) -> None:
    root = tmp_path / "clean"
    shutil.copytree(SCENARIOS / "clean_pipeline", root)
    target = root / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    if rule == "temporal-random-split":
        train = root / "churn" / "train.py"
        train.write_text(
            "from sklearn.model_selection import train_test_split\n" + train.read_text()
        )
    assert {f.rule for f in review_path(root)} == {rule}


def test_churn_every_intended_flaw_at_its_line() -> None:
    root = SCENARIOS / "churn"
    train, app = root / "churn/train.py", root / "serve/app.py"
    evaluate, notebook = root / "churn/evaluate.py", root / "notebooks/explore.ipynb"
    split = _line_of(train, "train_test_split(X, y")
    expected = {
        (
            "churn/train.py",
            _line_of(train, "scaler.fit_transform"),
            "leakage-preprocess-before-split",
        ),
        ("churn/train.py", split, "temporal-random-split"),
        ("churn/train.py", split, "unseeded-randomness"),
        ("churn/evaluate.py", _line_of(evaluate, "accuracy_score(y_test"), "accuracy-only"),
        ("serve/app.py", _line_of(app, '"tenure_months":'), "training-serving-skew"),
        ("serve/app.py", _line_of(app, '"charges_per_ticket":'), "training-serving-skew"),
        ("serve/app.py", _line_of(app, "predict_proba"), "serving-without-monitoring"),
        ("notebooks/explore.ipynb", _line_of(notebook, "accuracy_score("), "eval-on-train"),
        ("notebooks/explore.ipynb", _line_of(notebook, "accuracy_score("), "accuracy-only"),
    }
    findings = review_path(root)
    assert {(f.path, f.line, f.rule) for f in findings} == expected
    cells = {f.cell for f in findings if f.path.endswith(".ipynb")}
    assert cells == {7}


def test_skew_service_reports_skew_and_missing_prediction_logging() -> None:
    root = SCENARIOS / "skew_service"
    predictor, app = root / "service/predictor.py", root / "service/app.py"
    expected = {
        ("service/predictor.py", _line_of(predictor, '"log_amount":'), "training-serving-skew"),
        (
            "service/predictor.py",
            _line_of(predictor, '"amount_per_item":'),
            "training-serving-skew",
        ),
        ("service/predictor.py", _line_of(predictor, '"is_weekend":'), "training-serving-skew"),
        ("service/app.py", _line_of(app, "predictor.predict(txn)"), "serving-without-monitoring"),
    }
    assert {(f.path, f.line, f.rule) for f in review_path(root)} == expected


def test_projects_nested_in_a_bigger_tree_resolve_their_own_imports() -> None:
    together = {(f.path, f.line, f.rule) for f in review_path(SCENARIOS)}
    apart = {
        (f"{name}/{f.path}", f.line, f.rule)
        for name in ("churn", "clean_pipeline", "skew_service")
        for f in review_path(SCENARIOS / name)
    }
    assert together == apart


def test_scenario_readme_lists_every_churn_and_skew_finding() -> None:
    readme = (SCENARIOS / "README.md").read_text()
    for name in ("churn", "skew_service"):
        for f in review_path(SCENARIOS / name):
            assert f"`{name}/{f.path}:{f.line}`" in readme and f.rule in readme, f


# -- API behaviour ------------------------------------------------------------------------------
def test_findings_are_sorted_frozen_and_carry_the_card_text() -> None:
    findings = review_path(SCENARIOS / "churn")
    assert findings == sorted(findings, key=lambda f: (f.path, f.line, f.rule))
    for f in findings:
        assert f.enforces == RULE_ENFORCES[f.rule] != ""
        assert f.evidence and f.message
    with pytest.raises(AttributeError):
        findings[0].line = 1  # type: ignore[misc]


def test_rule_enforces_covers_every_rule_with_card_text() -> None:
    assert set(RULE_ENFORCES) == {*RULE_DIRS.values(), "parse-error"}
    assert RULE_ENFORCES["accuracy-only"] == (
        "Do not lead with accuracy as the main metric on imbalanced datasets"
    )
    assert RULE_ENFORCES["training-serving-skew"] == (
        "Serving applies exactly the preprocessing used in training, so there is no training/serving skew"
    )


def test_format_findings_and_json() -> None:
    f = Finding("a.py", 3, "accuracy-only", "warning", "only accuracy", "card text", "acc(y)")
    g = Finding("nb.ipynb", 7, "eval-on-train", "error", "train rows", "card", "x", cell=2)
    assert format_findings([f, g]) == (
        "a.py:3: warning accuracy-only: only accuracy\n"
        "nb.ipynb:7: error eval-on-train: train rows (cell 2)\n"
    )
    assert format_findings([]) == ""
    data = findings_to_json([g])
    assert json.loads(json.dumps(data)) == [
        {
            "path": "nb.ipynb",
            "line": 7,
            "rule": "eval-on-train",
            "severity": "error",
            "message": "train rows",
            "enforces": "card",
            "evidence": "x",
            "cell": 2,
            "trace": [],
        }
    ]


def test_paths_limit_the_report_but_not_the_analysis() -> None:
    root = SCENARIOS / "churn"
    served = review_path(root, paths=["serve"])
    assert {f.path for f in served} == {"serve/app.py"}
    assert {f.rule for f in served} == {"training-serving-skew", "serving-without-monitoring"}
    assert review_path(root, paths=[root / "churn" / "evaluate.py"]) == [
        f for f in review_path(root) if f.path == "churn/evaluate.py"
    ]


def test_a_single_file_can_be_reviewed(tmp_path: Path) -> None:
    case = FIXTURES / "leakage" / "pos_scaler_before_split.py"
    root = _copy_case(case, tmp_path)
    assert {f.rule for f in review_path(root / case.name)} == {"leakage-preprocess-before-split"}


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("pos_torch_loop_on_simulated_noise.py", "data drawn at random (torch.randn() at line 10)"),
        (
            "pos_torch_model_from_a_library.py",
            "while torchvision.models.resnet18() at line 7 draws",
        ),
        ("pos_torch_loop.py", "while DataLoader(shuffle=True) at line 7 draws"),
        (
            "pos_torch_graph_network_names_the_layer.py",
            "while torch_geometric.nn.GCNConv() at line 15",
        ),
        (
            "pos_lightning_decorated_cli_main_names_the_model.py",
            "while pl_bolts.models.amdim.AMDIM() at line 11",
        ),
    ],
)
def test_an_unseeded_torch_loop_names_what_is_random(case: str, says: str, tmp_path: Path) -> None:
    root = _copy_case(FIXTURES / "unseeded" / case, tmp_path)
    (finding,) = review_path(root)
    assert says in finding.message
    before = "before the data are drawn" if "data drawn" in says else "before building the model"
    assert finding.message.endswith(before + ".")


def test_bad_input_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        review_path(tmp_path / "missing")
    with pytest.raises(ValueError, match="does not exist"):
        review_path(tmp_path, paths=["nope.py"])
    with pytest.raises(ValueError, match="outside"):
        review_path(tmp_path, paths=[HERE])


def test_vendored_cache_and_large_files_are_skipped(tmp_path: Path) -> None:
    leaky = (FIXTURES / "leakage" / "pos_scaler_before_split.py").read_text()
    for folder in (
        ".venv/lib",
        ".git",
        "node_modules/pkg",
        "lib/site-packages",
        "__pycache__",
        "notebooks/.ipynb_checkpoints",
    ):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "leak.py").write_text(leaky)
    (tmp_path / "big.py").write_text(leaky + "#" * (1024 * 1024))
    assert review_path(tmp_path) == []


def test_review_never_writes(tmp_path: Path) -> None:
    root = tmp_path / "churn"
    shutil.copytree(SCENARIOS / "churn", root)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    review_path(root)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_explain_shows_the_data_read_and_why_balanced_accuracy_is_not_reported(
    tmp_path: Path,
) -> None:
    imbalanced = review_report(FIXTURES / "accuracy_only" / "pos_imbalanced_labels_in_repo")
    (finding,) = imbalanced.findings
    assert "the classes are imbalanced" in finding.message
    assert finding.trace[0] == ("read: read_csv('data/customers.csv') (train.py:6) - imbalanced")
    assert finding.trace[-1] == "evaluate: accuracy (train.py:10)"
    shown = format_findings(imbalanced.findings, explain=True).splitlines()
    assert shown[1:] == [f"    {step}" for step in finding.trace]
    balanced = review_report(FIXTURES / "accuracy_only" / "neg_balanced_labels_in_repo")
    assert balanced.findings == []
    assert format_findings([], explain=True, notes=balanced.notes) == (
        "train.py:10: not reported accuracy-only: balanced, not reported "
        "(read_csv('data/customers.csv') at line 6: data/customers.csv column 'churned': "
        "0: 33, 1: 27)\n"
    )
    iris = review_report(FIXTURES / "accuracy_only" / "neg_balanced_iris.py")
    assert [n.text for n in iris.notes] == [
        "balanced, not reported (load_iris at line 6: iris, 3 species x 50)"
    ]


@pytest.mark.parametrize(
    "case,note",
    [
        (
            "neg_torchvision_and_tfds_balanced.py",
            "balanced, not reported (FashionMNIST at line 7: Fashion-MNIST, 10 classes of 7,000 "
            "images; load('imdb_reviews') at line 8: IMDB reviews, 25,000 positive / 25,000 "
            "negative)",
        ),
        (
            "neg_text_folder_named_for_20_newsgroups.py",
            "balanced, not reported ('20_newsgroup' at line 7: 20 newsgroups, 20 topics, 377-600 "
            "posts each in the training set)",
        ),
        (
            "neg_keras_folder_of_a_balanced_dataset.py",
            "balanced, not reported ('aclImdb/train' at line 2: IMDB reviews, 25,000 positive / "
            "25,000 negative)",
        ),
        (
            "neg_sequence_model_per_step_accuracy.py",
            "a sequence model (TimeDistributed(Dense)): accuracy per step of a generated sequence, not of "
            "classified examples, not reported",
        ),
        (
            "neg_qa_benchmark_answer_accuracy.py",
            "a benchmark ('babi-tasks-v1-2.tar.gz': bAbI, QA tasks whose standard metric is "
            "answer accuracy), not reported",
        ),
        (
            "neg_unknown_csv_nothing_suggests_rare_class.py",
            "the class balance cannot be known here (read_csv('/data/measurements.csv')) and "
            "nothing in the code suggests a rare class (a target, label column or data file "
            "named for a rare event), not reported",
        ),
    ],
)
def test_explain_says_why_accuracy_is_not_reported(case: str, note: str) -> None:
    report = review_report(FIXTURES / "accuracy_only" / case)
    assert report.findings == []
    assert [n.text for n in report.notes if n.rule == "accuracy-only"] == [note]


@pytest.mark.parametrize(
    "case,hint",
    [
        ("pos_accuracy_score_only.py", "label column 'fraud' names 'fraud'"),
        ("pos_churn_column_of_remote_csv.py", "label column 'Churn' names 'churn'"),
        ("pos_keras_click_labels.py", "data path 'clicks.npy' names 'clicks'"),
        ("pos_docstring_speaks_of_incidents.py", "'anomalous' at line 1"),
    ],
)
def test_unknown_balance_is_reported_where_a_rare_class_is_plausible(case: str, hint: str) -> None:
    (finding,) = review_report(FIXTURES / "accuracy_only" / case).findings
    assert f"while a rare class is plausible ({hint})" in finding.message
    assert f"balance: unknown; a rare class is plausible ({hint})" in finding.trace


def test_notebook_ipython_syntax_never_breaks_parsing(tmp_path: Path) -> None:
    cells = [
        "!pip install scikit-learn \\\n    pandas",
        "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n"
        "from sklearn.model_selection import train_test_split",
        "for name in ['a.csv']:\n    %time df = pd.read_csv(name)\nrows = %sql SELECT 1",
        'print(\n    "%4.2f%%"\n    % tuple([1.0])\n)',
        "df = pd.read_csv('a.csv')\nX = StandardScaler().fit_transform(df)\n"
        "X_train, X_test = train_test_split(X, random_state=0)",
    ]
    notebook = {
        "cells": [{"cell_type": "code", "source": c, "metadata": {}} for c in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    found = {(f.rule, f.line, f.cell) for f in review_path(tmp_path)}
    assert found == {("leakage-preprocess-before-split", 14, 5)}


def test_explain_follows_the_data_from_read_to_evaluation() -> None:
    findings = review_report(SCENARIOS / "churn").findings
    leak = next(f for f in findings if f.rule == "leakage-preprocess-before-split")
    assert leak.trace == (
        "read: read_csv (churn/data.py:11)",
        "fit: StandardScaler on all rows (churn/train.py:24)",
        "split: train_test_split (churn/train.py:26)",
        "evaluate: RandomForestClassifier (churn/evaluate.py:8)",
    )
    on_train = next(f for f in findings if f.rule == "eval-on-train")
    assert on_train.trace == (
        "read: read_csv('../data/customers.csv') (notebooks/explore.ipynb:7)",
        "fit: LogisticRegression (notebooks/explore.ipynb:12)",
        "evaluate: LogisticRegression on the same rows (notebooks/explore.ipynb:13)",
    )
    seeds = next(f for f in findings if f.rule == "unseeded-randomness")
    assert seeds.trace == (
        "random: train_test_split without random_state (churn/train.py:26)",
        "random: RandomForestClassifier without random_state (churn/train.py:28)",
    )
    assert "also affects line 28: RandomForestClassifier without random_state" in seeds.message
    text = format_findings([leak], explain=True)
    assert text.splitlines()[1:] == [f"    {step}" for step in leak.trace]


def test_recall_on_the_labelled_leaky_scripts() -> None:
    """Each script under tests/fixtures/leaky/<flaw>/ is leaky by construction, its flaw marked."""
    needed = {"preprocessing": 0.85, "resampling": 1.0}
    for flaw, floor in needed.items():
        files = sorted((HERE / "fixtures" / "leaky" / flaw).glob("*.py"))
        hits = [f for f in files if set(_marks(f)) <= {(x.line, x.rule) for x in review_path(f)}]
        assert len(files) >= 4 and all(_marks(f) for f in files)
        assert len(hits) / len(files) >= floor, (flaw, sorted(set(files) - set(hits)))


def _marks(path: Path) -> list[tuple[int, str]]:
    return [
        (n, m.group(1))
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if (m := MARKER.search(line))
    ]


def test_a_broken_cell_is_skipped_alone_and_reported(tmp_path: Path) -> None:
    cells = [
        "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler",
        "for column in ['a', 'b']:",  # no body: broken on its own
        "from sklearn.model_selection import train_test_split\ndf = pd.read_csv('a.csv')\n"
        "X = StandardScaler().fit_transform(df)\nparts = train_test_split(X, random_state=0)",
    ]
    notebook = {"cells": [{"cell_type": "code", "source": c} for c in cells], "nbformat": 4}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook))
    found = {(f.rule, f.line, f.cell) for f in review_path(tmp_path)}
    assert found == {("parse-error", 3, 2), ("leakage-preprocess-before-split", 6, 3)}


def test_a_library_call_left_unseeded_names_where_the_repository_seeds_it(tmp_path: Path) -> None:
    root = _copy_case(FIXTURES / "unseeded" / "pos_library_call_seeded_in_a_sibling", tmp_path)
    (finding,) = review_path(root)
    assert finding.message.startswith(
        "RatioSplit without a seed, while seeded_split.py (line 8) gives it one"
    )
    assert "line 10: MF without a seed" in finding.message


def test_a_script_for_a_newer_python_is_reviewed_not_skipped(tmp_path: Path) -> None:
    """`except OSError, ValueError:` (Python 3.14) and `type Rows = ...` (3.12) do not parse on
    an older interpreter; the review reads them as what they mean and reviews the file."""
    code = "import numpy as np\nfrom sklearn.linear_model import LinearRegression\n\n"
    code += "type Rows = np.ndarray\n\ntry:\n    X = np.random.rand(50, 1)\n"
    code += "except OSError, ValueError:\n    raise\n"
    code += "print(LinearRegression().fit(X, X[:, 0]).coef_)\n"
    (tmp_path / "train.py").write_text(code)
    report = review_report(tmp_path)
    assert report.reviewed == 1
    assert [(f.rule, f.line) for f in report.findings] == [("unseeded-randomness", 7)]


def test_a_notebook_large_only_by_its_saved_outputs_is_reviewed(tmp_path: Path) -> None:
    code = "import numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
    code += "X = np.random.rand(50, 1)\nprint(LinearRegression().fit(X, X[:, 0]).coef_)"
    image = {"output_type": "display_data", "data": {"image/png": "A" * (2 * 1024 * 1024)}}
    cell = {"cell_type": "code", "source": code, "outputs": [image]}
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": [cell], "nbformat": 4}))
    report = review_report(tmp_path)
    assert report.reviewed == 1
    assert [(f.rule, f.line) for f in report.findings] == [("unseeded-randomness", 3)]


def test_a_seed_set_by_the_entry_point_of_the_reviewed_package_covers_its_modules(
    tmp_path: Path,
) -> None:
    """The reviewed folder is itself a package whose entry point imports its training module by
    the package's name (`from trainpkg.train import fit`) and seeds before calling it."""
    root = tmp_path / "trainpkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "train.py").write_text(
        "import torch\n\n\ndef fit(data):\n    model = torch.nn.Linear(4, 1)\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "    for x, y in torch.utils.data.DataLoader(data, shuffle=True):\n"
        "        opt.zero_grad()\n        ((model(x) - y) ** 2).mean().backward()\n"
        "        opt.step()\n    return model\n"
    )
    main = (
        "import torch\n\nfrom trainpkg.train import fit\n\n\ndef main():\n"
        "    torch.manual_seed(0)\n    print(fit(torch.load('data.pt')).weight)\n"
        "\n\nif __name__ == '__main__':\n    main()\n"
    )
    (root / "main.py").write_text(main)
    assert _found(root) == set()
    (root / "main.py").write_text(main.replace("    torch.manual_seed(0)\n", ""))
    assert _found(root) == {("train.py", 9, "unseeded-randomness")}


@pytest.mark.parametrize(
    "case",
    [
        "neg_seed_set_by_the_script_that_loads_the_model",
        "pos_model_loaded_by_a_script_that_never_seeds",
    ],
)
def test_a_package_reviewed_alone_imports_itself_by_its_full_dotted_path(
    case: str, tmp_path: Path
) -> None:
    """corpus/models/classifiers reviewed on its own (corpus/ and models/ hold no `__init__.py`):
    its modules import each other as `corpus.models.classifiers.cnn_classifier`, so the seed the
    evaluation script sets reaches the classifier, and `CNNClassifier` is the package's own
    class, not a library's unseeded estimator of that name."""
    package = _copy_case(FIXTURES / "unseeded" / case, tmp_path) / "corpus/models/classifiers"
    assert _found(package) == _expected(package)


def test_a_layer_set_in_full_to_fixed_values_is_no_random_start(tmp_path: Path) -> None:
    """A zeroed `nn.Linear(..., bias=False)`, a repository `nn.Module` holding only a softmax and
    a library's loss wrapper draw nothing: full-batch L-BFGS from there trains the same way every
    run. Leave the bias at its random start and the layer is the cause the finding names."""
    neg = FIXTURES / "unseeded" / "neg_zero_initialised_linear_model_fitted_by_full_batch_lbfgs"
    report = review_report(_copy_case(neg, tmp_path / "neg"))
    assert report.findings == []
    assert [n.text for n in report.notes] == [
        "a PyTorch loop without a seed: nothing draws at random (no random initial weights, "
        "dropout, shuffling or draws)"
    ]
    pos = FIXTURES / "unseeded" / "pos_linear_model_with_a_random_bias_fitted_by_lbfgs"
    (finding,) = review_path(_copy_case(pos, tmp_path / "pos"))
    assert finding.trace == ("random: torch.nn.Linear() (linear_model.py:14)",)


def test_a_model_filled_with_saved_weights_before_use_has_no_random_start(tmp_path: Path) -> None:
    """Built in `load_model` and at once given the saved weights (a partial load, in a load
    path), the network starts from them; trained first and given its best checkpoint after, it
    trained from its random start."""
    (tmp_path / "neg").mkdir()
    (tmp_path / "pos").mkdir()
    neg = FIXTURES / "unseeded" / "neg_model_built_only_to_receive_saved_weights.py"
    report = review_report(_copy_case(neg, tmp_path / "neg"))
    assert (report.findings, len(report.notes)) == ([], 1)
    assert "nothing draws at random" in report.notes[0].text
    pos = FIXTURES / "unseeded" / "pos_model_trained_then_given_its_best_checkpoint.py"
    (finding,) = review_path(_copy_case(pos, tmp_path / "pos"))
    assert "while torchvision.models.resnet18() at line 10 draws" in finding.message


def test_a_function_no_module_of_a_package_reviewed_whole_reaches_leaves_its_seed_to_its_caller(
    tmp_path: Path,
) -> None:
    """Nothing in the package imports ssl/augment.py: its cutmix() runs only from outside, so
    the review notes the draw instead of reporting it. Reviewed alone, the ssl folder is part
    of a package whose other modules were not read, and the draw is reported."""
    root = _copy_case(
        FIXTURES / "unseeded" / "neg_augmentation_no_module_of_the_package_imports", tmp_path
    )
    report = review_report(root)
    assert report.findings == []
    assert [(n.path, n.line, n.text) for n in report.notes] == [
        (
            "ssl/augment.py",
            9,
            "np.random.choice with no np.random.seed in this module: cutmix() runs only when "
            "code outside the package calls it, which owns the seed",
        )
    ]
    assert _found(root / "ssl") == {("augment.py", 9, "unseeded-randomness")}
    (root / "ssl" / "tune.py").write_text(
        "from sklearn.cluster import KMeans\nfrom sklearn.metrics import davies_bouldin_score\n"
        "\n\ndef _tune_k(x):\n"
        "    return max(range(2, 9), key=lambda k: -davies_bouldin_score(\n"
        "        x, KMeans(n_clusters=k).fit_predict(x)))\n"
    )
    assert _found(root) == {("ssl/tune.py", 7, "unseeded-randomness")}


def test_draws_of_two_generators_in_one_statement_make_one_finding(tmp_path: Path) -> None:
    """numpy's and python's generators both draw in one statement over two lines: one finding,
    at the statement's first draw, which names the other draw as affected too."""
    case = FIXTURES / "unseeded" / "pos_two_generators_drawn_in_one_statement.py"
    (finding,) = review_path(_copy_case(case, tmp_path))
    assert finding.line == 11
    assert "seeds also affect line 12: random.uniform with no random.seed" in finding.message


def test_a_sweep_that_returns_its_best_model_under_a_test_key_says_so(tmp_path: Path) -> None:
    """The comparison of `row[f"test_{metric}"]` with `best_score` is reported once, naming the
    key; the same sweep that only prints its best score keeps no model and is not reported."""
    case = FIXTURES / "test_set_tuning" / "pos_sweep_returns_the_model_best_under_a_test_key.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert finding.message.startswith(
        "row[f'test_{metric}'] is a score of the test split (its key names the test split)"
    )
    file = root / case.name
    file.write_text(
        file.read_text()
        .replace(", best_model\n", "\n")
        .replace("    return ", "    print(best_score)\n    return ")
    )
    assert review_path(root) == []


def test_a_distribution_sample_is_told_to_seed_its_framework(tmp_path: Path) -> None:
    """A torch distribution's `.sample((n,))` has no random_state to pass: the message names the
    framework's seed, which is what fixes it (pytorch-tabular's feature masks were told to pass
    a random_state)."""
    case = FIXTURES / "unseeded" / "pos_distribution_samples_without_a_seed.py"
    (finding,) = review_path(_copy_case(case, tmp_path))
    assert finding.rule == "unseeded-randomness"
    assert "prior.sample() draws a distribution's sample" in finding.message
    assert "torch.manual_seed" in finding.message
    assert "random_state" not in finding.message


def test_a_zip_of_starred_zips_is_reviewed(tmp_path: Path) -> None:
    """`for a, b in zip(zip(*steps), zip(*xs))`: a starred zip binds nothing the review can
    count, and dask-ml's model selection ended the whole review with an IndexError on it."""
    (tmp_path / "fit.py").write_text(
        "from sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.model_selection import train_test_split\n"
        "\n"
        "def fit_all(steps, xs, X, y):\n"
        "    for step, chunk in zip(zip(*steps), zip(*xs)):\n"
        "        step[0].fit(chunk[0], y)\n"
        "    X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n"
        "    model = RandomForestClassifier().fit(X_tr, y_tr)\n"
        "    return model.score(X_te, y_te)\n"
    )
    review = review_report(tmp_path)
    assert review.skipped == []
    assert [(f.path, f.line, f.rule) for f in review.findings] == [
        ("fit.py", 7, "unseeded-randomness")
    ]


def test_a_file_the_review_fails_on_is_skipped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug of the review on one file is an info finding that names the file and the error;
    the other files are still reviewed, and nothing is raised at the user."""
    from team.review import calls

    (tmp_path / "odd.py").write_text(
        "from sklearn.linear_model import LogisticRegression\n"
        "for a in zip(*rows):\n"
        "    LogisticRegression().fit(a, y)\n"
    )
    (tmp_path / "train.py").write_text(
        "from sklearn.model_selection import train_test_split\n"
        "from data import X, y\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n"
    )

    def broken(value: object) -> list[object]:
        raise IndexError("list index out of range")

    monkeypatch.setattr(calls, "iter_items", broken)
    review = review_report(tmp_path)
    assert review.skipped == ["odd.py"]
    (skipped,) = [f for f in review.findings if f.rule == "parse-error"]
    assert skipped.path == "odd.py"
    assert "the review failed on this file (IndexError: list index out of range)" in (
        skipped.message
    )
    assert ("train.py", 3, "unseeded-randomness") in {
        (f.path, f.line, f.rule) for f in review.findings
    }


def test_a_shuffle_in_a_library_class_that_seeds_nothing_is_left_to_its_caller(
    tmp_path: Path,
) -> None:
    """Flair's TextDataset shuffles the lines of a training file in a package that seeds
    nothing: the note says why it is not reported. Out of its package (no `__init__.py`), the
    same module is a script's helper and the draw is reported."""
    root = _copy_case(
        FIXTURES / "unseeded" / "neg_shuffle_in_a_library_class_that_seeds_nothing", tmp_path
    )
    report = review_report(root)
    assert report.findings == []
    assert [(n.path, n.line, n.text) for n in report.notes] == [
        (
            "data.py",
            24,
            "random.shuffle: a draw in a method of TextDataset, a class of a library "
            "that seeds nothing and runs nothing itself: the program that uses it owns the seed",
        )
    ]
    (root / "__init__.py").unlink()
    assert _found(root) == {("data.py", 24, "unseeded-randomness")}


@pytest.mark.parametrize(
    ("labels", "reported"),
    [
        ("np.concatenate([np.zeros(len(source)), np.ones(len(target))])", False),
        ("np.r_[np.zeros(len(source)), np.ones(len(target))]", False),
        ("np.zeros(len(source) + len(target))", True),  # one value: no domains told apart
        ("np.array([0, 1] * (len(source) // 2) + [0] * len(target))", True),
        ("np.load('labels.npy')", True),
    ],
)
def test_a_scaler_over_both_sets_before_domain_folds_leaks_only_into_a_measured_label(
    labels: str, reported: bool, tmp_path: Path
) -> None:
    """Blocks of 0s beside blocks of 1s label rows by the set they came from (a domain
    classifier); anything else may be a measured target, whose folds the scaler has seen."""
    case = FIXTURES / "leakage" / "neg_domain_classifier_folds_on_rows_scaled_over_both_sets.py"
    code = case.read_text().replace("np.array([0] * len(source) + [1] * len(target))", labels)
    (tmp_path / "weights.py").write_text(code)
    found = {(f.line, f.rule) for f in review_path(tmp_path / "weights.py")}
    assert found == ({(15, "leakage-preprocess-before-split")} if reported else set())


def test_a_fold_stopped_on_its_held_out_rows_is_tuning_only_if_they_are_then_scored(
    tmp_path: Path,
) -> None:
    """Each fold early-stops on its held-out rows; scored on those rows, the fold's score is
    optimistic and reported once, at the fit. Scored instead on a hold-out set read apart,
    nothing is chosen on the rows the score is taken on."""
    case = FIXTURES / "test_set_tuning" / "pos_cv_early_stops_on_the_fold_it_scores.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("test-set-tuning", 15)
    assert "the same rows are then scored (pos_cv_early_stops_on_the_fold_it_scores.py:16)" in (
        finding.message
    )
    file = root / case.name
    file.write_text(
        file.read_text()
        .replace("scores = []\n", 'hold = pd.read_csv("holdout.csv")\nscores = []\n')
        .replace(
            "roc_auc_score(y[va], model.predict_proba(X[va])[:, 1])",
            'roc_auc_score(hold["y"], model.predict_proba(hold.drop(columns="y").values)[:, 1])',
        )
    )
    assert review_path(root) == []


def test_unseeded_search_trials_are_reported_only_where_the_best_trial_is_read(
    tmp_path: Path,
) -> None:
    """Trials trained with seed=None, then the best trial printed: reported once, at the call
    given seed=None, naming the line that reads the best trial. The same search whose trials
    are only stored (nothing reads the best of them) reports nothing."""
    case = FIXTURES / "unseeded" / "pos_search_trials_unseeded_and_the_best_reported.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("unseeded-randomness", 13)
    assert "the search run by objective()" in finding.message
    assert "the best trial is reported (line 21)" in finding.message
    file = root / case.name
    kept = [line for line in file.read_text().splitlines() if "best_trial" not in line]
    file.write_text("\n".join([*kept, 'study.trials_dataframe().to_csv("trials.csv")', ""]))
    assert review_path(root) == []


def test_the_best_of_collected_test_scores_is_a_choice_only_after_fits_and_outside_a_plot(
    tmp_path: Path,
) -> None:
    """Test scores collected over tuning runs and `np.max` of them returned: one finding at
    the max, naming the loop. The same max placing a plot's axis limit chooses nothing, and a
    loop that fits nothing (it scores given predictions) chooses no model."""
    case = FIXTURES / "test_set_tuning" / "pos_repeated_tuning_runs_keep_the_best_test_score.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("test-set-tuning", 18)
    assert finding.message.startswith("each pass of the loop at line 13 fits a model")
    file = root / case.name
    text = file.read_text()
    file.write_text(
        text.replace("    return np.max(scores)", "    plt.ylim(0, np.max(scores))").replace(
            "import numpy as np\n", "import matplotlib.pyplot as plt\nimport numpy as np\n"
        )
    )
    assert review_path(root) == []
    file.write_text(text.replace("        tuned.fit(train_data)\n", "").replace(".tune(", ".get("))
    assert review_path(root) == []


def test_an_unseeded_search_sampler_is_reported_only_for_an_objective_that_does_work(
    tmp_path: Path,
) -> None:
    """Hyperopt's fmin without rstate on a loss that cross-validates a model: one finding, at
    fmin, that names the seed to give. On a toy function of arithmetic, as in Hyperopt's
    tutorials, and with the keywords spread from a dict that may hold rstate, nothing."""
    case = FIXTURES / "unseeded" / "pos_hyperopt_fmin_without_rstate.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("unseeded-randomness", 20)
    assert finding.message.startswith("fmin() without rstate: the search's sampler draws")
    file = root / case.name
    text = file.read_text()
    file.write_text(text.replace("fmin(loss,", "fmin(lambda p: (p['max_depth'] - 3) ** 2,"))
    assert review_path(root) == []
    file.write_text(
        text.replace("max_evals=30)", "**SEARCH)").replace("space = ", "SEARCH = {}\nspace = ")
    )
    assert review_path(root) == []


def test_a_constructor_its_library_seeds_by_default_is_no_unseeded_draw(tmp_path: Path) -> None:
    """LitData's StreamingDataset(shuffle=True) without a seed shuffles with its default
    seed=42, so a sibling module seeding the same call shows no missing seed; the same two
    modules on a library that fixes no default seed report the unseeded one."""
    case = FIXTURES / "unseeded" / "neg_streaming_dataset_seeded_by_its_library_default"
    root = _copy_case(case, tmp_path)
    assert review_path(root) == []
    for file in root.iterdir():
        file.write_text(file.read_text().replace("litdata", "shardstream"))
    (finding,) = review_path(root)
    assert (finding.path, finding.line) == ("pretrain.py", 6)
    assert finding.message.startswith("StreamingDataset without a seed, while seeded_stream.py")


@pytest.mark.parametrize("size", ["y_test.shape[0]", "len(y_test)", "y_test.size"])
def test_a_buffer_sized_by_the_test_set_holds_none_of_its_rows(size: str, tmp_path: Path) -> None:
    """Test predictions of bootstrap models stored in `np.zeros((rounds, <size of y_test>))`
    and their mean compared with y_test: an evaluation, nothing to report. Shifting the mean
    prediction by the mean of y_test is a statistic of the test set put into it: reported."""
    case = FIXTURES / "fit_on_test" / "neg_buffer_sized_by_the_test_set.py"
    root = _copy_case(case, tmp_path)
    file = root / case.name
    text = file.read_text().replace("y_test.shape[0]", size)
    file.write_text(text)
    assert review_path(root) == []
    mean = "    main_predictions = np.mean(all_pred, axis=0)\n"
    file.write_text(text.replace(mean, mean.replace("\n", " + np.mean(y_test)\n")))
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("fit-on-test", 15)


def test_unseeded_search_trials_in_a_process_seeded_whole_continue_its_seed(
    tmp_path: Path,
) -> None:
    """The same search whose process is seeded first (`set_random_seed(0)`, as the RL Zoo's
    train.py does with the seed it prints): `seed=None` only means "do not reseed", every trial
    continues the seeded generators, and the search repeats. Nothing is reported."""
    case = FIXTURES / "unseeded" / "pos_search_trials_unseeded_and_the_best_reported.py"
    root = _copy_case(case, tmp_path)
    file = root / case.name
    study = "study = optuna.create_study("
    file.write_text(
        file.read_text()
        .replace(
            "from stable_baselines3 import PPO\n",
            "from stable_baselines3 import PPO\nfrom stable_baselines3.common.utils import "
            "set_random_seed\n",
        )
        .replace(study, f"set_random_seed(0)\n{study}")
    )
    assert review_path(root) == []


@pytest.mark.parametrize(
    "shown", ['    print(f"Using manual seed: {seed}")\n', '    logger.info("seed %d", seed)\n']
)
def test_a_drawn_seed_applied_and_shown_repeats_from_the_log(shown: str, tmp_path: Path) -> None:
    """`seed = seed or random.randint(...)`, then applied with torch.manual_seed: printed or
    logged, the run repeats from its log and nothing is reported; not shown, the seed a caller's
    0 was swapped for is lost, and the `or` is reported."""
    case = FIXTURES / "unseeded" / "neg_a_drawn_seed_applied_and_printed.py"
    root = _copy_case(case, tmp_path)
    file = root / case.name
    text = file.read_text().replace('    print(f"Using manual seed: {seed}")\n', shown)
    file.write_text(text)
    assert review_path(root) == []
    file.write_text(text.replace(shown, ""))
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("unseeded-randomness", 11)
    assert finding.message.startswith("`seed or random.randint(1, 10000)` takes a seed of 0")


def test_a_tuner_of_numpy_alone_is_reviewed_for_the_generator_that_picks_its_best(
    tmp_path: Path,
) -> None:
    """A tuner that imports no ML library and mutates hyperparameters with an unseeded
    `np.random.default_rng()` is reported because it saves its best hyperparameters; the same
    module saving nothing named best is no ML module, and its draws are not reviewed."""
    case = FIXTURES / "unseeded" / "pos_tuner_mutates_with_an_unseeded_generator.py"
    root = _copy_case(case, tmp_path)
    (finding,) = review_path(root)
    assert (finding.rule, finding.line) == ("unseeded-randomness", 16)
    file = root / case.name
    file.write_text(file.read_text().replace('"best_hyperparameters.yaml"', '"last.yaml"'))
    assert review_path(root) == []
