"""The same project on Apache Spark (contract section 0): each raw folder is
built on DuckDB and on Spark (dbt-spark, `method: session`), and every table of
`marts` and `audit` must be equal cell for cell (tests/spark_tables.py).

- The worked example, with a full `dbt build` on Spark: every seed, model,
  unit test and data test of the project runs there once.
- A generated data set with bad rows of every kind (another seed than the
  demo's), agents as Parquet, customers rewritten with a byte-order mark and
  CRLF lines, and rows in the spirit of tests/test_csv_torture.py added to
  customers and orders: quoted LF and CRLF line breaks, doubled quotes, short
  and long rows, blank and whitespace-only lines, an empty first field, a row
  of empty fields, control characters, fractional seconds with an offset and
  amounts that round; `raw_record` must be byte-identical.

Spark's fixed cost per query (a second or more, against milliseconds on
DuckDB) is what these builds spend their time on: the second one runs models
and seeds only (the first proves the unit and data tests on Spark).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import (
    PROJECT_ROOT,
    WORKED_EXAMPLE_RAW,
    WORKED_EXAMPLE_VARS,
    Warehouse,
    build,
    run_dbt,
)
from spark_tables import compare_warehouses

pytestmark = pytest.mark.spark

# Models and seeds only: the worked example's build proves the tests.
MODELS_ONLY = ("--resource-type", "model", "--resource-type", "seed")


def assert_equal(duck_dir: Path, spark_dir: Path) -> None:
    tables, problems = compare_warehouses(duck_dir, spark_dir)
    assert len(tables) == 13, tables
    assert not problems, "\n".join(problems)


def test_worked_example_is_the_same_on_spark(tmp_path: Path, worked_example: Warehouse) -> None:
    started = time.monotonic()
    # The whole build, unit tests included: the only run of them on Spark.
    spark_dir, result = run_dbt(
        ["build"], tmp_path / "spark", WORKED_EXAMPLE_RAW, WORKED_EXAMPLE_VARS, "spark"
    )
    elapsed = time.monotonic() - started
    output = result.stdout
    assert result.returncode == 0, output[-6000:] + result.stderr[-2000:]
    assert "unit_test" in output and "ERROR=0" in output, output[-3000:]
    assert "FAIL" not in output.replace("FAIL=0", ""), output[-3000:]
    print(f"Spark build of the worked example: {elapsed:.0f} s")
    assert_equal(worked_example.path, spark_dir)


# Rows added to the generated files (fields; None is a blank line of that text).
EXTRA_CUSTOMERS: list[list[str] | str] = [
    ["CT1", "2024-01-05 10:00:00", "Trần\nThị\r\nCúc", "", "", " Đà Nẵng ", "Zalo", ""],
    "\r\n",
    ["CT2", "2024-01-06", 'Lê "Bé" Ba, "x"', "", "", "", "", ""],
    ["", "2024-01-06", "Không có mã"],
    "  \t\r\n",
    ["CT3", "2024-01-07", "Dài", "", "", "", "", "", "thêm 1", "", "thêm, 3"],
    ["CT4\t", "2024-01-08T10:00:00Z", "Tab\x01ctl"],
    ["", "", "", "", "", "", "", ""],
    ["CT5", "2024-13-01"],
]
EXTRA_ORDERS: list[list[str] | str] = [
    ["", "CT1", "2025-01-05", "completed", "10"],
    ["OT1", "CT1", "2025-01-05 10:00:00.25+07:00", "Completed", "1.23456",
     'lý do\r\n"nhiều" dòng', ""],
    "\n",
    ["OT2", "CT2", "2025-01-06", "paid", "5.00005", "", "", "extra 1", ""],
    ["OT3", "CT2", "2025-01-07 23:59:59.999999", "pending", "1e3"],
    ["OT4", "CT3", "2025-01-08 10:00", "completed", "0.00015"],
]


def append_rows(path: Path, rows: list[list[str] | str], terminator: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=terminator)
        for row in rows:
            if isinstance(row, str):
                handle.write(row)
            else:
                writer.writerow(row)


def generated_folder(target: Path) -> Path:
    """The generator's small set with bad rows, under another seed than the
    demo's; customers rewritten with a byte-order mark and CRLF lines, torture
    rows added to customers and orders, agents as Parquet."""
    subprocess.run(
        [sys.executable, "-m", "cs_analytics.generate", "--out", str(target),
         "--scale", "S", "--seed", "7", "--bad-rows"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    customers = target / "customers.csv"
    with customers.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with customers.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    append_rows(customers, EXTRA_CUSTOMERS, "\r\n")
    append_rows(target / "orders.csv", EXTRA_ORDERS, "\n")
    agents = target / "agents.csv"
    with agents.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    columns = {name: [row[i] or None for row in body] for i, name in enumerate(header)}
    pq.write_table(pa.table(columns, schema=pa.schema([(n, pa.string()) for n in header])),
                   target / "agents.parquet")
    agents.unlink()
    return target


def test_generated_bad_rows_are_the_same_on_spark(tmp_path: Path) -> None:
    raw = generated_folder(tmp_path / "raw")
    duck = build(tmp_path / "duckdb", raw)
    spark = build(tmp_path / "spark", raw, target="spark", args=MODELS_ONLY)
    assert_equal(duck.path, spark.path)
    # The added rows are in: every kind of row reached the comparison.
    quarantined = {row["source_key"] for row in duck.rows(
        "select source_key from audit.rejected_rows where source_key like 'CT%'")}
    assert quarantined == {"CT5"}
