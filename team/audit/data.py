"""The Data Engineer's review: ETL code (appending loads, loads without checks, SELECT *) and the
data files themselves (CSV/TSV, JSON Lines and Parquet).

CSV and JSON Lines are read with the standard library (review files are capped at 1 MiB, where
the csv module takes milliseconds); Parquet through DuckDB (`team.audit.parquet`, the optional
`data` extra). Without DuckDB a Parquet file is reported as found and not profiled, never skipped
in silence. Every table goes through the same checks, per column: null rate in key columns,
duplicates in the primary key, negative values in quantities that cannot be negative, values of
another type than the rest, and timestamps without a zone (for Parquet, the column's declared
type says it: `TIMESTAMP` has no zone, `TIMESTAMP WITH TIME ZONE` has one). A finding's line is
the file's line for CSV and JSON Lines, the 1-based row for Parquet.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import cast

from team.audit.core import RoleFinding, finding
from team.audit.repo import Repo, is_test
from team.review.sources import MAX_BYTES

__all__ = ["data_files", "data_review", "profile_table", "unprofiled"]

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
_KEY = re.compile(r"(?i:^(?:id|uuid|key|.*_(?:id|key|uuid))$)|^[a-z]+Id$")  # humid is no key
_NONNEG = re.compile(
    r"(?i)(?:^|_)(?:age|price|amount|quantity|qty|count|charges?|tenure|duration|days|months|"
    r"years|weight|height|salary|revenue|cost|tickets)(?:_|$)"
)
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_DATETIME = re.compile(
    r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?P<zone>Z|[+-]\d\d:?\d\d)?$"
)
_MAX_ROWS = 200_000
_CHECKED = "null keys, duplicate keys, impossible values, type drift and naive timestamps"


def _etl_findings(repo: Repo) -> list[RoleFinding]:
    out: list[RoleFinding] = []
    for rel, tree in repo.modules():
        text = repo.text(rel)
        if is_test(rel):
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


Rows = list[tuple[int, dict[str, object]]]


def _parquet_rows(repo: Repo, rel: str) -> tuple[list[str], Rows]:
    from team.audit.parquet import read_parquet

    try:
        table = read_parquet(repo.root / rel, max_rows=_MAX_ROWS)
    except ValueError as exc:
        repo.errors.append((rel, 1, f"skipped: {exc}"))
        return [], []
    repo.memo[f"parquet:{rel}"] = table
    rows: Rows = [
        (number, dict(zip(table.columns, row, strict=True)))
        for number, row in enumerate(table.rows, 1)
    ]
    return table.columns, rows


def _rows(repo: Repo, rel: str) -> tuple[list[str], Rows]:
    """(columns, [(line, row)]) of a CSV/TSV, JSON Lines or Parquet file (read once per review)."""
    key = f"rows:{rel}"
    if key not in repo.memo:
        repo.memo[key] = _parquet_rows(repo, rel) if _is_parquet(rel) else _text_rows(repo, rel)
    return cast("tuple[list[str], Rows]", repo.memo[key])


def _head(repo: Repo, rel: str) -> str:
    """The file's text, or for a file over the review's size limit its first whole lines up to
    that limit (a large table is profiled on its head rather than skipped)."""
    text = repo.text(rel)
    if text:
        return text
    try:
        with (repo.root / rel).open("rb") as handle:
            head = handle.read(MAX_BYTES)
    except OSError:
        return ""
    if b"\0" in head[:4096]:
        return ""
    repo.memo[f"head:{rel}"] = True
    return head[: head.rfind(b"\n") + 1].decode("utf-8", "replace")


def _text_rows(repo: Repo, rel: str) -> tuple[list[str], Rows]:
    text = _head(repo, rel)
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
    if isinstance(value, float):
        return value != value  # NaN
    return value is None or (isinstance(value, str) and value.strip().lower() in _NULLS)


@dataclass
class _Column:
    """One column's values, classified in one pass: what the checks and the profile read."""

    rows: int
    nulls: list[int] = field(default_factory=list)
    present: list[tuple[int, object]] = field(default_factory=list)
    numeric: list[tuple[int, float]] = field(default_factory=list)
    others: list[tuple[int, object]] = field(default_factory=list)
    stamps: list[tuple[int, bool]] = field(default_factory=list)  # (line, has a zone)


def _column(rows: Rows, column: str) -> _Column:
    out = _Column(len(rows))
    for line, row in rows:
        value = row.get(column)
        if _missing(value):
            out.nulls.append(line)
            continue
        out.present.append((line, value))
        if isinstance(value, int | float):
            out.numeric.append((line, float(value)))
        elif isinstance(value, str):
            text = value.strip()
            if _NUMBER.match(text):
                out.numeric.append((line, float(text)))
                continue
            out.others.append((line, value))
            if match := _DATETIME.match(text):
                out.stamps.append((line, bool(match["zone"])))
        elif isinstance(value, Decimal):
            out.numeric.append((line, float(value)))
        else:
            out.others.append((line, value))
            if isinstance(value, datetime):
                out.stamps.append((line, value.tzinfo is not None))
    return out


def _columns(repo: Repo, rel: str) -> dict[str, _Column]:
    """Every column of a data file, classified once per review."""
    key = f"columns:{rel}"
    if key not in repo.memo:
        columns, rows = _rows(repo, rel)
        repo.memo[key] = {column: _column(rows, column) for column in columns}
    return cast("dict[str, _Column]", repo.memo[key])


def profile_table(repo: Repo, rel: str) -> dict[str, dict[str, object]]:
    """Per column: rows read, nulls, numeric values, distinct values (what the checks are built
    from), the type the file declares (Parquet; '' for CSV and JSON Lines) and the file's rows
    (-1 when only the head of a text file over the size limit was read)."""
    columns = _columns(repo, rel)  # reads the file, and a Parquet file's declared types
    parquet = repo.memo.get(f"parquet:{rel}")
    declared: dict[str, str] = parquet.types if parquet is not None else {}
    out: dict[str, dict[str, object]] = {}
    for name, column in columns.items():
        out[name] = {
            "rows": column.rows,
            "nulls": len(column.nulls),
            "numeric": len(column.numeric),
            "distinct": len({str(v) for _, v in column.present}),
            "declared": declared.get(name, ""),
            "total": parquet.total
            if parquet is not None
            else (-1 if repo.memo.get(f"head:{rel}") else column.rows),
        }
    return out


def _file_findings(repo: Repo, rel: str) -> list[RoleFinding]:
    columns, rows = _rows(repo, rel)
    if not rows:
        return []
    out: list[RoleFinding] = []
    keys = [c for c in columns if _KEY.match(c)]
    primary = next((c for c in keys if c == columns[0] or c.lower() == "id"), None)
    for column, profile in _columns(repo, rel).items():
        present, nulls, total = profile.present, profile.nulls, profile.rows
        if column in keys and nulls:
            out.append(
                finding(
                    "data-null-key",
                    rel,
                    nulls[0],
                    f"key column '{column}' is null in {len(nulls)} of {total} rows "
                    f"({len(nulls) / total:.1%}); a check should require 0%",
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
        numeric, others = profile.numeric, profile.others
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
        stamps = profile.stamps
        naive = [line for line, zoned in stamps if not zoned]
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


def _is_parquet(rel: str) -> bool:
    return rel.endswith(".parquet")


def data_files(repo: Repo) -> list[str]:
    """The data files a review profiles: CSV/TSV, JSON Lines and Parquet."""
    return [f for f in repo.files if f.endswith((".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"))]


def unprofiled(repo: Repo) -> list[str]:
    """The Parquet files that cannot be profiled here (DuckDB, the `data` extra, is missing)."""
    from team.audit.parquet import available

    parquet = [f for f in data_files(repo) if _is_parquet(f)]
    return parquet if parquet and not available() else []


def data_review(repo: Repo) -> list[RoleFinding]:
    """Every Data Engineer finding in the repository.

    Example:
        >>> from pathlib import Path
        >>> [f.rule for f in data_review(Repo.scan(Path("scenarios/fixtures/clean_pipeline")))]
        []
    """
    out = _etl_findings(repo)
    skipped = unprofiled(repo)
    for rel in data_files(repo):
        if rel in skipped:
            out.append(
                finding(
                    "data-not-profiled",
                    rel,
                    1,
                    f"Parquet file found and not profiled: DuckDB is not installed (pip install "
                    f"'teamgraph[data]'); its {_CHECKED} were not checked",
                )
            )
        else:
            out += _file_findings(repo, rel)
    return out
