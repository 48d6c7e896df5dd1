"""Read the tables of a Spark build from their Parquet folders and compare them
with a DuckDB build, cell for cell (contract section 0): text, dates,
timestamps, booleans, integers and decimals equal, doubles equal to 1e-9
relative. Rows are matched after sorting both sides by every column that is not
a double, so that a last-bit difference in an average cannot reorder them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

SCHEMAS = ("marts", "audit")
RELATIVE_TOLERANCE = 1e-9


def parquet_glob(spark_dir: Path, schema: str, table: str) -> str:
    return str(spark_dir / f"{schema}.db" / table / "*.parquet")


Table = tuple[list[str], list[str], list[tuple]]


def spark_table(spark_dir: Path, schema: str, table: str) -> Table:
    """Column names, DuckDB's type names and rows of a Spark table's Parquet folder."""
    with duckdb.connect() as con:
        reader = f"read_parquet('{parquet_glob(spark_dir, schema, table)}')"
        cursor = con.execute(f"select * from {reader}")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
        types = [
            str(row[1])
            for row in con.execute(
                f"describe select * from {reader}"
            ).fetchall()
        ]
    return names, types, rows


def duckdb_tables(warehouse: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [
            (schema, table)
            for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema in ('marts', 'audit') and table_type = 'BASE TABLE' "
                "order by 1, 2"
            ).fetchall()
        ]


def duckdb_table(warehouse: Path, schema: str, table: str) -> Table:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from {schema}.{table}")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
        types = [str(row[1]) for row in con.execute(f"describe {schema}.{table}").fetchall()]
    return names, types, rows


def _sort_key(row: Sequence[Any], exact: Sequence[int]) -> tuple:
    return tuple((0, "") if row[i] is None else (1, row[i]) for i in exact)


def _cell_problem(a: Any, b: Any) -> str | None:
    if a is None or b is None:
        return None if a is None and b is None else "null on one side"
    if isinstance(a, float) or isinstance(b, float):
        if not (isinstance(a, float) and isinstance(b, float)):
            return "a double on one side only"
        if math.isnan(a) and math.isnan(b):
            return None
        return None if math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0) else "differs"
    if type(a) is not type(b):
        return f"types {type(a).__name__} and {type(b).__name__}"
    return None if a == b else "differs"


def compare_table(
    duck: Table,
    spark: Table,
    name: str,
    limit: int = 10,
) -> list[str]:
    """Every difference between the two tables, at most `limit`."""
    (d_names, d_types, d_rows), (s_names, s_types, s_rows) = duck, spark
    if d_names != s_names:
        return [f"{name}: columns {d_names} (DuckDB) and {s_names} (Spark)"]
    if d_types != s_types:
        return [f"{name}: types {d_types} (DuckDB) and {s_types} (Spark)"]
    if len(d_rows) != len(s_rows):
        return [f"{name}: {len(d_rows)} rows (DuckDB) and {len(s_rows)} (Spark)"]
    exact = [i for i, t in enumerate(d_types) if t not in ("DOUBLE", "FLOAT")]
    d_rows = sorted(d_rows, key=lambda row: _sort_key(row, exact))
    s_rows = sorted(s_rows, key=lambda row: _sort_key(row, exact))
    problems = []
    for number, (d_row, s_row) in enumerate(zip(d_rows, s_rows, strict=True)):
        for index, column in enumerate(d_names):
            problem = _cell_problem(d_row[index], s_row[index])
            if problem:
                problems.append(
                    f"{name} row {number} column {column}: {problem}: "
                    f"{d_row[index]!r} (DuckDB) and {s_row[index]!r} (Spark)"
                )
                if len(problems) >= limit:
                    return problems
    return problems


def compare_warehouses(warehouse: Path, spark_dir: Path) -> tuple[list[str], list[str]]:
    """(tables compared, differences) for every table of marts and audit."""
    tables = duckdb_tables(warehouse)
    problems: list[str] = []
    for schema, table in tables:
        if not (spark_dir / f"{schema}.db" / table).is_dir():
            problems.append(f"{schema}.{table}: no Parquet folder in the Spark warehouse")
            continue
        problems += compare_table(
            duckdb_table(warehouse, schema, table),
            spark_table(spark_dir, schema, table),
            f"{schema}.{table}",
        )
    return [f"{schema}.{table}" for schema, table in tables], problems


def assert_same_warehouses(warehouse: Path, spark_dir: Path) -> None:
    """Every table of `marts` and `audit` (14) equal in both builds."""
    tables, problems = compare_warehouses(warehouse, spark_dir)
    assert len(tables) == 14, tables
    assert not problems, "\n".join(problems)


def assert_same_summary(
    duckdb_file: Path,
    spark_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    """`CS_TARGET=spark make run` prints, from the Spark tables, the summary
    `make run` prints from DuckDB's: the same lines, character for character.
    Returns the summary."""
    from cs_analytics.warehouse import summary

    capsys.readouterr()
    assert summary.main(["--warehouse", str(duckdb_file)]) == 0
    on_duckdb = capsys.readouterr().out
    monkeypatch.setenv("CS_TARGET", "spark")
    monkeypatch.setenv("CS_SPARK_WAREHOUSE_DIR", str(spark_dir))
    assert summary.main([]) == 0
    on_spark = capsys.readouterr().out
    assert "Headline KPIs" in on_duckdb
    assert on_spark == on_duckdb
    return on_duckdb
