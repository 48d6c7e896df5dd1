"""The atomic publish step on hand-made databases (no dbt, no Dagster run)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import PublishError, publish_snapshot, record_failure


def make_work_db(path: Path, revenue_rows: int) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create schema staging")
        con.execute("create schema audit")
        con.execute(
            f"create table marts.revenue as select range as period, range * 1.5 as revenue "
            f"from range({revenue_rows})"
        )
        con.execute("create table marts.nps as select 1 as responses")
        # What dbt's persist_docs writes: the YAML descriptions as comments.
        con.execute("comment on table marts.revenue is 'Revenue per period; it''s the contract''s'")
        con.execute("comment on column marts.revenue.revenue is 'Sum over completed orders'")
        con.execute("create table staging.stg_crm__customers as select 'An' as full_name")
        con.execute("create table audit.rejected_rows as select '{}' as raw_record")
        con.execute("create table audit.source_reconciliation as select 'orders' as source_table")
    finally:
        con.close()
    return path


def publish(tmp_path: Path, work_db: Path, run_id: str) -> None:
    published_dir = tmp_path / "published"
    publish_snapshot(
        work_db=work_db,
        published_path=published_dir / "cs_analytics.duckdb",
        parquet_link=published_dir / "parquet",
        snapshot_info_path=published_dir / "snapshot.json",
        run_id=run_id,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_copies_marts_only_and_swaps_parquet_atomically(tmp_path: Path) -> None:
    published_dir = tmp_path / "published"
    publish(tmp_path, make_work_db(tmp_path / "one.duckdb", 3), "run-one")
    first_target = os.readlink(published_dir / "parquet")
    publish(tmp_path, make_work_db(tmp_path / "two.duckdb", 5), "run-two")
    publish(tmp_path, make_work_db(tmp_path / "three.duckdb", 7), "run-three")

    con = duckdb.connect(str(published_dir / "cs_analytics.duckdb"), read_only=True)
    try:
        tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        (rows,) = con.execute("select count(*) from marts.revenue").fetchone()
        (storage_version,) = con.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = current_database()"
        ).fetchone()
        comments = con.execute(
            "select table_name, comment from duckdb_tables() where comment is not null "
            "union all select table_name || '.' || column_name, comment from duckdb_columns() "
            "where comment is not null"
        ).fetchall()
    finally:
        con.close()
    assert tables == {"marts.revenue", "marts.nps", "audit.source_reconciliation"}
    assert rows == 7
    # Written in the storage format DuckDB 1.4 reads, with the comments carried over.
    assert storage_version.startswith("v1.4.0")
    assert sorted(comments) == [
        ("revenue", "Revenue per period; it's the contract's"),
        ("revenue.revenue", "Sum over completed orders"),
    ]
    parquet = published_dir / "parquet"
    assert parquet.is_symlink()
    assert {path.name for path in parquet.iterdir()} == {"revenue.parquet", "nps.parquet"}
    (parquet_rows,) = duckdb.execute(
        f"select count(*) from read_parquet('{parquet / 'revenue.parquet'}')"
    ).fetchone()
    assert parquet_rows == 7
    # The current Parquet folder and the previous one (for open readers), no more.
    versions = sorted(path.name for path in published_dir.glob(".parquet-*"))
    assert len(versions) == 2 and first_target not in versions
    assert not list(published_dir.glob("*.tmp")) and not list(published_dir.glob(".*.tmp"))
    info = json.loads((published_dir / "snapshot.json").read_text())
    assert info["run_id"] == "run-three"
    assert info["rows_by_mart"] == {"nps": 1, "revenue": 7}


def test_a_failed_publish_leaves_the_previous_snapshot_untouched(tmp_path: Path) -> None:
    published_dir = tmp_path / "published"
    publish(tmp_path, make_work_db(tmp_path / "good.duckdb", 3), "good")
    before = digest(published_dir / "cs_analytics.duckdb")
    parquet_before = os.readlink(published_dir / "parquet")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()

    with pytest.raises(PublishError, match="no table in the schema marts"):
        publish(tmp_path, empty, "bad")
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path, tmp_path / "missing.duckdb", "bad")

    assert digest(published_dir / "cs_analytics.duckdb") == before
    assert os.readlink(published_dir / "parquet") == parquet_before
    assert json.loads((published_dir / "snapshot.json").read_text())["run_id"] == "good"
    assert sorted(path.name for path in published_dir.iterdir() if path.name.startswith(".")) == [
        parquet_before
    ]


def test_publishing_onto_the_work_database_is_refused(tmp_path: Path) -> None:
    work_db = make_work_db(tmp_path / "work.duckdb", 1)
    with pytest.raises(PublishError, match="CS_PUBLISHED_PATH"):
        publish_snapshot(
            work_db=work_db,
            published_path=work_db,
            parquet_link=tmp_path / "parquet",
            snapshot_info_path=tmp_path / "snapshot.json",
            run_id="run",
        )


def test_failures_of_one_run_are_recorded_together(tmp_path: Path) -> None:
    path = tmp_path / "last_failure.json"
    record_failure(path, "run-1", "nightly_build", "raw_quality_gates", "bad raw file")
    record_failure(path, "run-2", "nightly_build", "cs_analytics_dbt_assets", "dbt failed")
    record_failure(path, "run-2", "nightly_build", "mart_quality_gates", "gap in periods")
    record = json.loads(path.read_text())
    assert record["run_id"] == "run-2"
    assert [failure["step"] for failure in record["failures"]] == [
        "cs_analytics_dbt_assets",
        "mart_quality_gates",
    ]
