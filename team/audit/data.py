"""The Data Engineer's review: ETL code (appending loads, loads without checks, SELECT *) and the
data files themselves (CSV/TSV and JSON Lines; Parquet when pyarrow is installed).

Files are profiled with the standard library (DuckDB would read them faster but adds ~50 MB to
the install; review files are capped at 1 MiB, where the csv module takes milliseconds).
Per column: null rate, duplicates in the primary key, negative values in quantities that cannot
be negative, values of another type than the rest, and timestamps without a zone.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from collections import Counter

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo

__all__ = ["data_review", "profile_table"]

_READS = re.compile(
    r"\bread_(?:csv|parquet|json|sql|sql_query|sql_table|excel|feather)\(|\bspark\.read\b"
)
_WRITES = re.compile(
    r"\.(?:to_csv|to_parquet|to_sql|to_json|saveAsTable|insertInto)\(|\.write\.|(?i:\binsert\s+into\b)"
)
_CHECKS = re.compile(
    r"pandera|great_expectations|pydantic|\bvalidate|\bschema\b|\bexpect_|\bassert\b|raise \w+Error"
    r"|\.isna\(|\.isnull\(|\.notna\(|\.duplicated\(|drop_duplicates|\bcheck_\w+\(|dbt"
)
_UPSERT = re.compile(
    r"(?i)on\s+conflict|merge\s+into|upsert|on\s+duplicate\s+key|delete\s+from|truncate"
)
_NULLS = frozenset({"", "na", "n/a", "null", "none", "nan", "nat", "-"})
_KEY = re.compile(r"(?i)^(?:id|uuid|key|.*_(?:id|key|uuid))$|^[a-z]+Id$")
_NONNEG = re.compile(
    r"(?i)(?:^|_)(?:age|price|amount|quantity|qty|count|charges?|tenure|duration|days|months|"
    r"years|weight|height|salary|revenue|cost|tickets)(?:_|$)"
)
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_DATETIME = re.compile(
    r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?P<zone>Z|[+-]\d\d:?\d\d)?$"
)
_MAX_ROWS = 200_000


def _is_test(rel: str) -> bool:
    return bool(re.search(r"(?:^|/)tests?/|(?:^|/)test_[^/]*\.py$", rel))


def _etl_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        text = repo.text(rel)
        if _is_test(rel):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.search(r"(?is)\bselect\s+\*\s+from\b", node.value)
            ):
                out.append(
                    finding(
                        "select-star",
                        rel,
                        node.lineno,
                        "SELECT * in a query: a column added or dropped upstream silently "
                        "changes what this job loads; name the columns",
                        evidence=repo.line_text(rel, node.lineno),
                    )
                )
        if not (_READS.search(text) and _WRITES.search(text)):
            continue
        writes: list[ast.Call] = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            attr = func.attr if isinstance(func, ast.Attribute) else ""
            if attr in (
                "to_csv",
                "to_parquet",
                "to_sql",
                "to_json",
                "saveAsTable",
                "insertInto",
                "execute",
            ):
                writes.append(node)
            mode = next((k.value for k in node.keywords if k.arg == "if_exists"), None)
            appended = (
                attr == "to_sql" and isinstance(mode, ast.Constant) and mode.value == "append"
            ) or (
                attr == "mode"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == "append"
            )
            if attr == "execute" and node.args and isinstance(node.args[0], ast.Constant):
                sql = str(node.args[0].value)
                appended = bool(re.search(r"(?i)\binsert\s+into\b", sql)) and not _UPSERT.search(
                    sql
                )
            if appended and not _UPSERT.search(text):
                out.append(
                    finding(
                        "etl-append-not-idempotent",
                        rel,
                        node.lineno,
                        "the load appends rows: a rerun of the same batch duplicates them; "
                        "replace the partition or upsert on the key",
                        evidence=repo.line_text(rel, node.lineno),
                    )
                )
        writes = [
            w
            for w in writes
            if not (isinstance(w.func, ast.Attribute) and w.func.attr == "execute")
        ] or writes
        if writes and not _CHECKS.search(text):
            first = min(writes, key=lambda n: n.lineno)
            out.append(
                finding(
                    "etl-no-validation",
                    rel,
                    first.lineno,
                    "this job reads and writes data with no check on what it loads (nulls, "
                    "duplicates, schema); bad rows flow straight downstream",
                    evidence=repo.line_text(rel, first.lineno),
                )
            )
    return out


def _rows(repo: Repo, rel: str) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """(columns, [(line, row)]) of a CSV/TSV or JSON Lines file."""
    text = repo.text(rel)
    if rel.endswith((".jsonl", ".ndjson")):
        rows: list[tuple[int, dict[str, object]]] = []
        columns: dict[str, None] = {}
        for number, line in enumerate(text.splitlines()[:_MAX_ROWS], 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                repo.errors.append((rel, number, "skipped: not JSON"))
                return [], []
            if isinstance(value, dict):
                rows.append((number, value))
                columns.update(dict.fromkeys(value))
        return list(columns), rows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if rel.endswith(".tsv") else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    out: list[tuple[int, dict[str, object]]] = []
    for row in reader:
        if reader.line_num > _MAX_ROWS:
            break
        out.append((reader.line_num, dict(zip(header, row, strict=False))))
    return header, out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _NULLS)


def profile_table(repo: Repo, rel: str) -> dict[str, dict[str, object]]:
    """Per column: rows, nulls, numeric share, distinct count (what the checks are built from)."""
    columns, rows = _rows(repo, rel)
    out: dict[str, dict[str, object]] = {}
    for column in columns:
        values = [(line, row.get(column)) for line, row in rows]
        present = [(line, v) for line, v in values if not _missing(v)]
        numeric = [v for _, v in present if isinstance(v, int | float) or _NUMBER.match(str(v))]
        out[column] = {
            "rows": len(values),
            "nulls": len(values) - len(present),
            "numeric": len(numeric),
            "distinct": len({str(v) for _, v in present}),
        }
    return out


def _file_findings(repo: Repo, rel: str) -> list[RoleFinding]:
    columns, rows = _rows(repo, rel)
    if not rows:
        return []
    out: list[RoleFinding] = []
    keys = [c for c in columns if _KEY.match(c)]
    primary = next((c for c in keys if c == columns[0] or c.lower() == "id"), None)
    for column in columns:
        values = [(line, row.get(column)) for line, row in rows]
        present = [(line, v) for line, v in values if not _missing(v)]
        nulls = [line for line, v in values if _missing(v)]
        if column in keys and nulls:
            out.append(
                finding(
                    "data-null-key",
                    rel,
                    nulls[0],
                    f"key column '{column}' is null in {len(nulls)} of {len(values)} rows "
                    f"({len(nulls) / len(values):.1%}); a check should require 0%",
                    evidence=f"{column} empty at line {nulls[0]}",
                )
            )
        if column == primary:
            counts = Counter(str(v) for _, v in present)
            dupes = {v for v, n in counts.items() if n > 1}
            if dupes:
                seen: set[str] = set()
                line = 0
                for number, value in present:
                    if str(value) in seen:
                        line = number
                        break
                    seen.add(str(value))
                example = sorted(dupes)[0]
                out.append(
                    finding(
                        "data-duplicate-key",
                        rel,
                        line,
                        f"primary key '{column}' repeats: {len(dupes)} value(s) occur more than "
                        f"once (e.g. {example!r}); a uniqueness check should fail this load",
                        evidence=f"{column}={example}",
                    )
                )
        if not present:
            continue
        numeric = [
            (line, float(v))  # type: ignore[arg-type]
            for line, v in present
            if isinstance(v, int | float) or _NUMBER.match(str(v).strip())
        ]
        others = [
            (line, v)
            for line, v in present
            if not (isinstance(v, int | float) or _NUMBER.match(str(v).strip()))
        ]
        if numeric and others and len(numeric) >= 0.9 * len(present) and len(present) >= 10:
            line, value = others[0]
            out.append(
                finding(
                    "data-type-drift",
                    rel,
                    line,
                    f"column '{column}' is numeric in {len(numeric)} rows but holds "
                    f"{len(others)} non-numeric value(s) such as {str(value)!r}",
                    evidence=f"{column}={value}",
                )
            )
        if _NONNEG.search(column) and numeric:
            negative = [(line, v) for line, v in numeric if v < 0]
            if negative:
                line, value = negative[0]
                out.append(
                    finding(
                        "data-impossible-value",
                        rel,
                        line,
                        f"'{column}' cannot be negative but is in {len(negative)} row(s) "
                        f"(e.g. {value:g}); a range check >= 0 should reject them",
                        evidence=f"{column}={value:g}",
                    )
                )
        stamps = [
            (line, m)
            for line, v in present
            if isinstance(v, str) and (m := _DATETIME.match(v.strip()))
        ]
        naive = [line for line, m in stamps if not m["zone"]]
        if stamps and len(stamps) >= 0.9 * len(present) and naive:
            out.append(
                finding(
                    "data-naive-timestamp",
                    rel,
                    naive[0],
                    f"timestamps in '{column}' carry no zone ({len(naive)} of {len(stamps)}); "
                    "store UTC with an explicit offset",
                    evidence=f"{column}={rows[0][1].get(column)}",
                )
            )
    return out


def data_files(repo: Repo) -> list[str]:
    return [f for f in repo.files if f.endswith((".csv", ".tsv", ".jsonl", ".ndjson"))]


def data_review(repo: Repo) -> list[RoleFinding]:
    """Every Data Engineer finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in data_review(Repo.scan(Path("scenarios/fixtures/clean_pipeline")))]
        []
    """
    out = _etl_findings(repo)
    for rel in data_files(repo):
        out += _file_findings(repo, rel)
    return out
