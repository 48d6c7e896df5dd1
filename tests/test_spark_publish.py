"""The nightly job's steps after a Spark build (orchestration/spark_publish.py),
on a Spark warehouse laid out as dbt-spark writes it (`<schema>.db/<table>/`
folders of part files), without starting Spark: the headline-KPI check's views, and the
publish step (one Parquet folder per mart, the DuckDB snapshot built from those
files, both swapped in atomically; the previous snapshot kept on failure)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from duckdb_lts import read_with_duckdb_lts

from cs_analytics.warehouse.spark import create_views
from orchestration.publish import PublishError
from orchestration.spark_publish import publish_spark_snapshot, refresh_work_views


def write_table(spark_dir: Path, schema: str, table: str, sql: str, parts: int = 2) -> None:
    folder = spark_dir / f"{schema}.db" / table
    folder.mkdir(parents=True)
    with duckdb.connect() as con:
        for part in range(parts):
            con.execute(
                f"copy ({sql} limit 1 offset {part}) to "
                f"'{folder}/part-{part:05d}-x.snappy.parquet' (format parquet)"
            )
    (folder / "_SUCCESS").write_text("")


@pytest.fixture
def spark_dir(tmp_path: Path) -> Path:
    spark = tmp_path / "spark"
    write_table(spark, "marts", "revenue",
                "select * from (values ('month', 1.5), ('week', 2.5)) t(period_grain, revenue)")
    write_table(spark, "marts", "nps", "select * from (values (1, 50.0), (2, -10.0)) t(a, nps)")
    write_table(spark, "audit", "source_reconciliation",
                "select * from (values ('orders', 10), ('tickets', 4)) t(source_table, raw_rows)")
    write_table(spark, "audit", "rejected_rows",
                "select * from (values ('orders', '{}'), ('x', '{}')) t(source_table, raw_record)")
    (spark / "staging.db" / "stg_view_without_folder").mkdir(parents=True)
    return spark


def test_the_mart_gates_read_the_spark_tables_through_views(
    spark_dir: Path, tmp_path: Path
) -> None:
    work_db = tmp_path / "work" / "cs_analytics.duckdb"
    created = refresh_work_views(spark_dir, work_db)
    assert created == [
        "marts.nps", "marts.revenue", "audit.rejected_rows", "audit.source_reconciliation",
    ]
    with duckdb.connect(str(work_db), read_only=True) as con:
        assert con.execute("select sum(revenue) from marts.revenue").fetchall() == [(4.0,)]
    with duckdb.connect() as con:
        create_views(con, spark_dir)
        assert con.execute("select count(*) from audit.rejected_rows").fetchall() == [(2,)]


def write_manifest(path: Path) -> Path:
    """The parts of dbt's manifest.json the snapshot's comments come from."""
    path.write_text(json.dumps({"nodes": {
        "model.cs_analytics.revenue": {
            "resource_type": "model", "schema": "marts", "name": "revenue", "alias": "revenue",
            "description": "Orders and revenue per period.",
            "columns": {"revenue": {"description": "Sum over completed orders."},
                        "period_grain": {"description": ""},
                        "not_in_the_table": {"description": "Left out."}},
        },
        "model.cs_analytics.source_reconciliation": {
            "resource_type": "model", "schema": "audit", "name": "source_reconciliation",
            "description": "Row counts per source table.", "columns": {},
        },
        "seed.cs_analytics.revenue": {"resource_type": "seed", "schema": "marts",
                                       "name": "revenue", "description": "Not a model."},
    }}))
    return path


def test_publishing_a_spark_build(spark_dir: Path, tmp_path: Path) -> None:
    published = tmp_path / "published" / "cs_analytics.duckdb"
    link = tmp_path / "published" / "parquet"
    info = tmp_path / "published" / "snapshot.json"
    manifest = write_manifest(tmp_path / "manifest.json")
    result = publish_spark_snapshot(spark_dir, published, link, info, "run-1", manifest)
    assert result.rows_by_mart == {"nps": 2, "revenue": 2}
    assert link.is_symlink()
    assert sorted(path.name for path in link.iterdir()) == ["nps", "revenue"]
    assert len(list((link / "revenue").glob("*.parquet"))) == 2
    with duckdb.connect(str(published), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables order by 1"
        ).fetchall()
        # No rejected_rows: its raw records hold personal data.
        assert tables == [("audit.source_reconciliation",), ("marts.nps",), ("marts.revenue",)]
    # DuckDB 1.4 opens it, with dbt's descriptions as comments.
    snapshot = read_with_duckdb_lts(published)["tables"]
    assert {name: (table["rows"], table["comment"]) for name, table in snapshot.items()} == {
        "audit.source_reconciliation": (2, "Row counts per source table."),
        "marts.nps": (2, None),
        "marts.revenue": (2, "Orders and revenue per period."),
    }
    assert snapshot["marts.revenue"]["columns"] == {
        "period_grain": None, "revenue": "Sum over completed orders.",
    }
    first = link.resolve()

    # A second run swaps in a new version; a failing one keeps it.
    publish_spark_snapshot(spark_dir, published, link, info, "run-2")
    second = link.resolve()
    assert second != first
    with pytest.raises(PublishError):
        publish_spark_snapshot(tmp_path / "empty", published, link, info, "run-3")
    assert link.resolve() == second
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.nps").fetchall() == [(2,)]
