"""The Data Engineer's review of Parquet files: the same checks and rules as for CSV, a planted
file and its clean twin written by DuckDB at test time, and what a review says without DuckDB."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from team.audit import ROLES, audit_path, role_facts
from team.cli import app

# (order_id, customer_id, amount, quantity, created_at); planted: row 3 has no customer, row 4 a
# negative amount, row 7 the quantity 'three', row 9 repeats order 1003.
_ROWS = [
    (1001, "C1", 19.90, "1", "2024-03-01 09:15:00"),
    (1002, "C2", 5.00, "2", "2024-03-01 10:02:11"),
    (1003, None, 12.50, "1", "2024-03-01 11:40:00"),
    (1004, "C4", -7.00, "3", "2024-03-02 08:00:00"),
    (1005, "C5", 30.00, "1", "2024-03-02 09:30:00"),
    (1006, "C1", 8.25, "4", "2024-03-02 12:00:00"),
    (1007, "C7", 14.00, "three", "2024-03-03 13:10:00"),
    (1008, "C8", 9.99, "1", "2024-03-03 14:20:00"),
    (1003, "C3", 12.50, "1", "2024-03-03 15:00:00"),
    (1010, "C9", 44.00, "2", "2024-03-04 16:45:00"),
    (1011, "C2", 3.50, "1", "2024-03-04 17:05:00"),
]
PLANTED = {
    ("data/orders.parquet", 3, "data-null-key"),
    ("data/orders.parquet", 9, "data-duplicate-key"),
    ("data/orders.parquet", 4, "data-impossible-value"),
    ("data/orders.parquet", 7, "data-type-drift"),
    ("data/orders.parquet", 1, "data-naive-timestamp"),
}


def _write(path: Path, rows: list[tuple[object, ...]], *, stamp: str, quantity: str) -> None:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE orders (order_id BIGINT, customer_id VARCHAR, amount DOUBLE, "
        f"quantity {quantity}, created_at {stamp})"
    )
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", rows)
    con.execute(f"COPY orders TO '{path}' (FORMAT parquet)")
    con.close()


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    _write(tmp_path / "data" / "orders.parquet", _ROWS, stamp="TIMESTAMP", quantity="VARCHAR")
    return tmp_path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    rows = [
        (1001 + n, f"C{n}", abs(amount), n % 4 + 1, f"{stamp}+00:00")
        for n, (_, _, amount, _, stamp) in enumerate(_ROWS)
    ]
    _write(tmp_path / "data" / "orders.parquet", rows, stamp="TIMESTAMPTZ", quantity="INTEGER")
    return tmp_path


def test_every_planted_parquet_issue_is_found_with_its_row(planted: Path) -> None:
    found = audit_path(planted, roles=["data_engineer"])
    assert {(f.path, f.line, f.rule) for f in found} == PLANTED
    by_rule = {f.rule: f.message for f in found}
    assert by_rule["data-null-key"].startswith("key column 'customer_id' is null in 1 of 11 rows")
    assert "e.g. '1003'" in by_rule["data-duplicate-key"]
    assert "'three'" in by_rule["data-type-drift"]
    assert "'created_at' carry no zone (11 of 11)" in by_rule["data-naive-timestamp"]


def test_the_clean_parquet_twin_gives_no_finding_to_any_role(clean: Path) -> None:
    assert audit_path(clean, roles=ROLES) == []


def test_facts_show_the_declared_parquet_types(planted: Path) -> None:
    facts = role_facts(planted, "data_engineer")
    assert (
        "table: data/orders.parquet rows=11 columns=order_id,customer_id,amount,quantity,"
        "created_at" in facts
    )
    assert (
        "column: data/orders.parquet created_at type=TIMESTAMP nulls=0/11 (0.0%) distinct=11"
        in (facts)
    )
    assert "column: data/orders.parquet customer_id type=VARCHAR nulls=1/11 (9.1%) distinct=8" in (
        facts
    )


def test_without_duckdb_a_parquet_file_is_reported_as_not_profiled(
    planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb raises ImportError
    found = audit_path(planted, roles=["data_engineer"])
    assert [(f.path, f.rule, f.severity) for f in found] == [
        ("data/orders.parquet", "data-not-profiled", "info")
    ]
    assert "pip install 'teamgraph[data]'" in found[0].message
    result = CliRunner().invoke(app, ["review", str(planted), "--role", "data_engineer"])
    assert result.exit_code == 0
    assert result.output.startswith(
        "data/orders.parquet:1: info data-not-profiled: Parquet file found and not profiled"
    )
    assert "table: data/orders.parquet not profiled" in role_facts(planted, "data_engineer")[0]


def test_a_file_that_is_not_parquet_is_one_info_line(tmp_path: Path) -> None:
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not a parquet file")
    found = audit_path(tmp_path, roles=["data_engineer"])
    assert [(f.path, f.line, f.rule, f.severity) for f in found] == [
        ("broken.parquet", 1, "parse-error", "info")
    ]
    assert found[0].message.startswith("skipped: not readable as Parquet: ")
    assert "\n" not in found[0].message


def test_a_column_that_only_ends_in_id_letters_is_no_key(tmp_path: Path) -> None:
    rows = "".join(f"EWR,{n},{'' if n == 3 else 50 + n}\n" for n in range(12))
    (tmp_path / "weather.csv").write_text("origin,hour,humid\n" + rows)
    (tmp_path / "users.csv").write_text("userId,name\n1,a\n,b\n")
    found = audit_path(tmp_path, roles=["data_engineer"])
    assert [(f.path, f.line, f.rule) for f in found] == [("users.csv", 3, "data-null-key")]


def test_a_csv_over_the_size_limit_is_profiled_on_its_head(tmp_path: Path) -> None:
    lines = [
        f"{n},C{n % 500},{n % 90 + 1}.50,padding-to-make-the-file-large\n" for n in range(40_000)
    ]
    lines[2] = "2,,3.50,padding\n"
    big = tmp_path / "orders.csv"
    big.write_text("order_id,customer_id,amount,note\n" + "".join(lines))
    assert big.stat().st_size > 1024 * 1024
    found = audit_path(tmp_path, roles=["data_engineer"])
    assert [(f.path, f.line, f.rule) for f in found] == [("orders.csv", 4, "data-null-key")]
    table = role_facts(tmp_path, "data_engineer")[0]
    assert table.startswith("table: orders.csv rows=") and "(the file's first MiB)" in table
