"""The nightly job on the Spark target (CS_TARGET=spark).

dbt builds the marts as Parquet folders under the Spark warehouse
(`$CS_SPARK_WAREHOUSE_DIR/marts.db/<mart>/`). Everything after the build reads
those folders, never a Spark session:

- `refresh_work_views` gives the checks after dbt (latest events, headline
  KPIs) a DuckDB "work database" whose `marts.*` and `audit.*` are views over
  the Parquet folders, so they run unchanged on the Spark tables;
- `publish_spark_snapshot` publishes: the Parquet folders of the marts are
  copied into a new version folder under the published folder
  (`published/parquet/<mart>/part-*.parquet`), swapped in atomically through the
  `parquet` link as on DuckDB, and the DuckDB snapshot BI tools open is built
  from those copied Parquet files (plus audit.source_reconciliation), in the
  storage format DuckDB 1.4 reads and with the descriptions of dbt's manifest
  as comments, then renamed over the previous one.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from cs_analytics.sql import quote_identifier
from cs_analytics.warehouse.connection import connect
from cs_analytics.warehouse.spark import create_views, parquet_reader, spark_tables
from orchestration.publish import (
    EXTRA_TABLES,
    MARTS_SCHEMA,
    PublishError,
    PublishResult,
    publish_versions,
)
from orchestration.snapshot_docs import apply_docs, attach_snapshot, docs_from_manifest


def refresh_work_views(spark_dir: Path, work_db: Path) -> list[str]:
    """Rewrite `work_db` as views over the Spark tables of marts and audit; the
    checks after dbt open it read-only like the DuckDB build's file."""
    if not spark_tables(spark_dir, MARTS_SCHEMA):
        raise PublishError(
            f"The Spark warehouse {spark_dir} has no table in marts: run the dbt build "
            "(CS_TARGET=spark) first."
        )
    work_db.parent.mkdir(parents=True, exist_ok=True)
    tmp = work_db.with_name(f".{work_db.name}.{uuid.uuid4().hex[:8]}.tmp")
    con = connect(tmp)
    try:
        created = create_views(con, spark_dir)
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(tmp, work_db)
    return created


def _copy_marts(spark_dir: Path, marts: list[str], folder: Path) -> None:
    for mart in marts:
        target = folder / mart
        target.mkdir(parents=True)
        for part in sorted((spark_dir / f"{MARTS_SCHEMA}.db" / mart).glob("*.parquet")):
            shutil.copyfile(part, target / part.name)


def _write_snapshot(
    spark_dir: Path,
    parquet_folder: Path,
    marts: list[str],
    snapshot: Path,
    manifest_path: Path | None,
) -> dict[str, int]:
    con = connect()
    rows: dict[str, int] = {}
    try:
        # The storage format DuckDB 1.4 reads (orchestration/snapshot_docs.py).
        attach_snapshot(con, snapshot, "snapshot")
        con.execute("use snapshot")
        for schema in sorted({MARTS_SCHEMA, *(schema for schema, _ in EXTRA_TABLES)}):
            con.execute(f"create schema {quote_identifier(schema)}")
        for mart in marts:
            relation = f"{MARTS_SCHEMA}.{quote_identifier(mart)}"
            con.execute(
                f"create table {relation} as select * from {parquet_reader(parquet_folder / mart)}"
            )
            (count,) = con.execute(f"select count(*) from {relation}").fetchone() or (0,)
            rows[mart] = int(count)
        for schema, table in EXTRA_TABLES:
            source = spark_dir / f"{schema}.db" / table
            if any(source.glob("*.parquet")):
                con.execute(
                    f"create table {quote_identifier(schema)}.{quote_identifier(table)} as "
                    f"select * from {parquet_reader(source)}"
                )
        if manifest_path is not None:
            tables = [(MARTS_SCHEMA, mart) for mart in marts] + list(EXTRA_TABLES)
            apply_docs(con, "snapshot", docs_from_manifest(manifest_path, tables))
        con.execute("checkpoint snapshot")
    finally:
        con.close()
    return rows


def publish_spark_snapshot(
    spark_dir: Path,
    published_path: Path,
    parquet_link: Path,
    snapshot_info_path: Path,
    run_id: str,
    manifest_path: Path | None = None,
) -> PublishResult:
    """Publish the Spark build's marts: one Parquet folder per mart under
    `parquet_link`, and the DuckDB snapshot made from those files, both swapped
    in atomically; on any error the previous snapshot stays as it was. The
    snapshot's comments are the descriptions in dbt's manifest
    (`manifest_path`), when given."""
    marts = spark_tables(spark_dir, MARTS_SCHEMA)
    if not marts:
        raise PublishError(
            f"The Spark warehouse {spark_dir} has no table in marts: run the dbt build "
            "(CS_TARGET=spark) before publishing."
        )

    def write(tmp_db: Path, parquet_folder: Path) -> dict[str, int]:
        _copy_marts(spark_dir, marts, parquet_folder)
        return _write_snapshot(spark_dir, parquet_folder, marts, tmp_db, manifest_path)

    return publish_versions(
        write,
        published_path,
        parquet_link,
        snapshot_info_path,
        run_id,
        info={"parquet_layout": "one folder per mart", "spark_warehouse": str(spark_dir)},
    )
