"""The raw readers on Spark, against the DuckDB reader (cs_analytics/raw/):

- a file that cannot be read is refused before anything is built with exactly
  the sentence the DuckDB reader gives: the cases of
  tests/test_file_refusals.py (CSV, Parquet, workbooks, delimiters: one of
  each way Spark reaches a sentence), the folder cases, and a workbook not yet
  read into the cache folder;
- the torture corpus of tests/test_csv_torture.py, written with a semicolon
  and with a tab (the delimiter that is itself whitespace), reads as
  Python's csv module reads it: every row, its position and its raw_record;
- the workbook of every kind of cell of tests/test_workbooks.py reads as the
  DuckDB reader reads it, raw_record byte for byte.

dbt runs in this process (dbtRunner), so the cases share one Spark session
instead of starting a JVM each; the base views (the raw files as text) are
read back through that session. Before each run the raw folder's workbooks
are read into the cache, as `make run` does on Spark."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW, repr_yaml
from test_csv_torture import TABLES, expected_records, write_corpus
from test_file_refusals import CASES
from test_workbooks import FIRST_COLUMN, FIRST_ROW, FORMATS, FORMULAS, MERGED, ROWS
from workbook_files import with_formulas, write_workbook

from cs_analytics.raw.export_settings import load_export_settings
from cs_analytics.raw.files import RawFileError, inspect_folder
from cs_analytics.raw.macros import message
from cs_analytics.raw.reader import reader_select
from cs_analytics.raw.tables import raw_tables
from cs_analytics.raw.workbooks import prepare_folder

pytestmark = pytest.mark.spark

BASE_MODELS = {
    "customers": "base_crm__customers",
    "orders": "base_shop__orders",
    "tickets": "base_helpdesk__tickets",
    "survey_responses": "base_survey__survey_responses",
    "agents": "base_helpdesk__agents",
}
# The cases of tests/test_file_refusals.py refused on Spark: one of each way
# the Spark macros reach a sentence. The others share their way with one of
# these (a ';' file read with the default var like a tab one, a workbook's
# note of why it cannot be read like a corrupt one's) and differ only on the
# DuckDB side, where test_file_refusals.py tests each.
SPARK_CASES = [
    "utf16", "windows_1258", "unterminated_quote", "semicolons", "tabs", "no_header",
    "zero_bytes", "corrupt_parquet", "mapped_header_missing", "pipes_read_as_semicolons",
    "quoted_semicolon", "corrupt_workbook", "old_xls", "csv_and_workbook",
    "workbook_without_key",
]
# The torture corpus on Spark: the comma is read by tests/test_spark_generated.py,
# and a vertical bar differs from a semicolon only in the character.
SPARK_DELIMITERS = {"semicolon": ";", "tab": "\t"}


class SparkDbt:
    """dbt on the spark target in this process, into a work folder."""

    def __init__(self, work: Path) -> None:
        from dbt.cli.main import dbtRunner

        self.work = work
        self.runner = dbtRunner()

    def run(
        self, raw: Path, variables: dict[str, Any], select: str, *, prepare: bool = True
    ) -> Any:
        """`dbt run`, after the workbooks are read into the cache unless not
        `prepare`."""
        os.environ["CS_RAW_DIR"] = str(raw)
        if prepare:
            prepare_folder(raw)
        args = [
            "run", "--select", select, "--project-dir", str(PROJECT_ROOT),
            "--target-path", str(self.work / "target"), "--log-path", str(self.work / "logs"),
        ]
        if variables:
            args += ["--vars", repr_yaml(variables)]
        return self.runner.invoke(args)

    @staticmethod
    def said(result: Any) -> str:
        return str(result.exception or "") + " ".join(
            str(getattr(node, "message", "")) for node in (result.result or [])
        )

    @staticmethod
    def rows(sql: str) -> list[dict[str, Any]]:
        from pyspark.sql import SparkSession

        return [row.asDict() for row in SparkSession.builder.getOrCreate().sql(sql).collect()]


@pytest.fixture(scope="module")
def spark_dbt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkDbt]:
    work = tmp_path_factory.mktemp("spark-raw")
    (work / "profiles").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", work / "profiles" / "profiles.yml")
    saved = dict(os.environ)
    os.environ.update({
        "DBT_PROFILES_DIR": str(work / "profiles"),
        "CS_TARGET": "spark",
        "CS_SPARK_WAREHOUSE_DIR": str(work / "spark"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    try:
        yield SparkDbt(work)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        from pyspark import SparkContext

        context = SparkContext._active_spark_context
        if context is not None:
            context.stop()  # frees this worker's Spark JVM for the tests after it


def python_sentence(raw: Path, variables: dict[str, Any]) -> str:
    try:
        inspect_folder(raw, load_export_settings(variables))
    except RawFileError as error:
        return str(error)
    raise AssertionError(f"Python accepts {raw}")


def folder_cases(tmp_path: Path) -> dict[str, tuple[Path, dict[str, Any], str | None]]:
    """case -> (raw folder, vars, the sentence when Python does not give it)."""
    cases: dict[str, tuple[Path, dict[str, Any], str | None]] = {}
    cases["folder_missing"] = (tmp_path / "nowhere", {}, None)
    missing = tmp_path / "missing-file"
    shutil.copytree(WORKED_EXAMPLE_RAW, missing)
    (missing / "tickets.csv").unlink()
    cases["file_missing"] = (missing, {}, None)
    several = tmp_path / "several-files"
    shutil.copytree(WORKED_EXAMPLE_RAW, several)
    (several / "agents.parquet").write_bytes(b"PAR1")
    cases["several_files"] = (several, {}, None)
    cases["declared_absent"] = (WORKED_EXAMPLE_RAW, {"absent_tables": ["agents"]}, None)
    # A workbook never read into the cache folder: only Spark needs it there.
    unread = tmp_path / "unread-workbook"
    shutil.copytree(WORKED_EXAMPLE_RAW, unread)
    (unread / "agents.csv").unlink()
    write_workbook(unread / "agents.xlsx", [["agent_id"], [str(unread)]])
    cases["workbook_not_prepared"] = (
        unread, {}, message("workbook_not_prepared", path=unread / "agents.xlsx")
    )
    return cases


def test_spark_refuses_each_broken_folder_in_the_python_sentence(
    spark_dbt: SparkDbt, tmp_path: Path
) -> None:
    cases = folder_cases(tmp_path)
    for case in SPARK_CASES:
        breaker, variables, _ = CASES[case]
        raw = tmp_path / f"raw-{case}"
        shutil.copytree(WORKED_EXAMPLE_RAW, raw)
        breaker(raw)
        cases[case] = (raw, variables, None)
    failures = []
    for case, (raw, variables, sentence) in cases.items():
        expected = sentence or python_sentence(raw, variables)
        result = spark_dbt.run(
            raw, variables, "base_helpdesk__agents", prepare=sentence is None
        )
        said = spark_dbt.said(result)
        if result.success or expected not in said:
            failures.append(f"{case}: expected {expected!r}, dbt said {said[-600:]!r}")
    assert not failures, "\n".join(failures)


def spark_base_rows(table: str) -> list[dict[str, Any]]:
    return spark_rows_of(BASE_MODELS[table])


def spark_rows_of(model: str) -> list[dict[str, Any]]:
    return SparkDbt.rows(f"select * from staging.{model} order by source_row_number")


@pytest.mark.parametrize("delimiter", list(SPARK_DELIMITERS.values()), ids=list(SPARK_DELIMITERS))
def test_spark_reads_the_torture_corpus_with_the_delimiter(
    spark_dbt: SparkDbt, tmp_path: Path, delimiter: str
) -> None:
    raw = tmp_path / "raw"
    files = write_corpus(raw, delimiter)
    result = spark_dbt.run(raw, {"csv_delimiter": delimiter}, "path:models/staging/base")
    assert result.success, spark_dbt.said(result)[-2000:]
    for table in TABLES:
        found = [
            {"source_row_number": row["source_row_number"],
             "raw_record": json.loads(row["raw_record"])}
            for row in spark_base_rows(table)
        ]
        assert found == expected_records(files[table], table, delimiter), table


def test_spark_reads_every_kind_of_cell_as_duckdb(spark_dbt: SparkDbt, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    (raw / "orders.csv").unlink()
    path = write_workbook(
        raw / "orders.xlsx", ROWS, first_row=FIRST_ROW, first_column=FIRST_COLUMN,
        number_formats=FORMATS, merged=MERGED,
    )
    with_formulas(path, FORMULAS)
    variables = {"amount_decimal_separator": ","}
    result = spark_dbt.run(raw, variables, "base_shop__orders")
    assert result.success, spark_dbt.said(result)[-2000:]
    columns = [*raw_tables()["orders"].column_names, "source_row_number", "raw_record"]
    orders = inspect_folder(raw, load_export_settings(variables))["orders"]
    with duckdb.connect() as con:
        duck = con.execute(
            f"select {', '.join(columns)} from "
            f"{reader_select(orders, raw_tables()['orders'].column_names)} "
            "order by source_row_number"
        ).fetchall()
    spark = [tuple(row[column] for column in columns) for row in spark_base_rows("orders")]
    assert spark == duck
