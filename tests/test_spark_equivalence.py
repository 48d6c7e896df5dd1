"""The same project on Apache Spark (contract section 0): each raw folder is
built on DuckDB and on Spark (dbt-spark, `method: session`), and every table of
`marts` and `audit` must be equal cell for cell (tests/spark_tables.py).

- The worked example, with a full `dbt build` on Spark: every seed, model,
  unit test and data test of the project runs there once.
- A generated data set with bad rows of every kind, with a byte-order mark and
  CRLF lines in one CSV and one table as Parquet.
- The CSV torture corpus of tests/test_csv_torture.py: quoted line breaks,
  CRLF inside values, short and long rows, blank lines, Vietnamese text;
  `raw_record` must be byte-identical.

Spark's fixed cost per query (a second or more, against milliseconds on
DuckDB) is what these builds spend their time on; the last two run models
and seeds only (`dbt run`-like: unit and data tests are proved by the first).
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
from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW, build
from spark_tables import compare_warehouses

pytestmark = pytest.mark.spark

# Models and seeds only: the worked example's build proves the tests.
MODELS_ONLY = ("--resource-type", "model", "--resource-type", "seed")


def assert_equal(duck_dir: Path, spark_dir: Path) -> None:
    tables, problems = compare_warehouses(duck_dir, spark_dir)
    assert len(tables) == 13, tables
    assert not problems, "\n".join(problems)


def test_worked_example_is_the_same_on_spark(tmp_path: Path) -> None:
    variables = {"churn_window_days": 30}
    duck = build(tmp_path / "duckdb", WORKED_EXAMPLE_RAW, variables)
    started = time.monotonic()
    spark = build(tmp_path / "spark", WORKED_EXAMPLE_RAW, variables, target="spark")
    elapsed = time.monotonic() - started
    output = spark.result.stdout
    assert "unit_test" in output and "ERROR=0" in output, output[-3000:]
    assert "FAIL" not in output.replace("FAIL=0", ""), output[-3000:]
    print(f"Spark build of the worked example: {elapsed:.0f} s")
    assert_equal(duck.path, spark.path)


def generated_folder(target: Path) -> Path:
    """The generator's small set with bad rows, under another seed than the
    demo's; customers rewritten with a byte-order mark and CRLF lines, agents
    as Parquet."""
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


def test_csv_torture_corpus_is_the_same_on_spark(tmp_path: Path) -> None:
    from test_csv_torture import TABLES, write_shaped

    raw = tmp_path / "raw"
    raw.mkdir()
    for table in TABLES:
        write_shaped(raw / f"{table}.csv", table)
    variables = {"max_rejected_share": 1}
    duck = build(tmp_path / "duckdb", raw, variables)
    spark = build(tmp_path / "spark", raw, variables, target="spark", args=MODELS_ONLY)
    assert_equal(duck.path, spark.path)
