"""The tables of a Spark build, read without Spark.

On the Spark target (`CS_TARGET=spark`, profiles.yml output `spark`) dbt-spark
stores every table as a Parquet folder under the Spark warehouse:
`$CS_SPARK_WAREHOUSE_DIR/<schema>.db/<table>/part-*.parquet` (default
`warehouse/spark`). The summary, the Dagster gates and the publish step read
those folders with DuckDB, through views of the same names as the DuckDB
build's tables (`marts.revenue`, `audit.source_reconciliation`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from cs_analytics.settings import SPARK_WAREHOUSE_DIR
from cs_analytics.sql import quote_identifier, quote_literal

SCHEMAS = ("marts", "audit")


def spark_warehouse_dir() -> Path:
    """The folder of the Spark tables ($CS_SPARK_WAREHOUSE_DIR), absolute."""
    return SPARK_WAREHOUSE_DIR.path().resolve()


def spark_tables(spark_dir: Path, schema: str) -> list[str]:
    """The tables of a schema: one Parquet folder each (views have none)."""
    folder = spark_dir / f"{schema}.db"
    if not folder.is_dir():
        return []
    return sorted(
        path.name for path in folder.iterdir() if path.is_dir() and any(path.glob("*.parquet"))
    )


def parquet_reader(folder: Path) -> str:
    """DuckDB's reader of one table's Parquet folder."""
    return f"read_parquet({quote_literal(str(folder / '*.parquet'))})"


def create_views(con: duckdb.DuckDBPyConnection, spark_dir: Path) -> list[str]:
    """A view `<schema>.<table>` over every table of marts and audit; returns
    their names."""
    created = []
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {quote_identifier(schema)}")
        for table in spark_tables(spark_dir, schema):
            con.execute(
                f"create or replace view {quote_identifier(schema)}.{quote_identifier(table)} "
                f"as select * from {parquet_reader(spark_dir / f'{schema}.db' / table)}"
            )
            created.append(f"{schema}.{table}")
    return created
