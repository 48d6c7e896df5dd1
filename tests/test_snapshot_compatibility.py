"""The published snapshot opens in every BI driver: DuckDB 1.4 (the LTS line
that the Metabase driver and older DBeaver and duckdb_engine installs bundle)
reads every published table of the demo data's snapshot, row for row equal
to the work database, with the contract's definitions as table and column
comments (dbt's persist_docs, carried through the copy); and a reader
connected as Superset connects (duckdb_engine, read_only) is never blocked
by the nightly publish."""

from __future__ import annotations

from pathlib import Path

import snapshot_reader
import sqlalchemy
from conftest import Warehouse
from duckdb_lts import read_with_duckdb_lts
from sqlalchemy.pool import NullPool
from test_orchestration_publish import make_work_db

from orchestration.publish import publish_snapshot


def publish(work_db: Path, published: Path, run_id: str) -> None:
    publish_snapshot(
        work_db=work_db,
        published_path=published / "cs_analytics.duckdb",
        parquet_link=published / "parquet",
        snapshot_info_path=published / "snapshot.json",
        run_id=run_id,
    )


def test_duckdb_1_4_reads_every_published_table_with_its_comments(
    demo_warehouse: Warehouse, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    publish(demo_warehouse.path, published, "compatibility")
    snapshot = read_with_duckdb_lts(published / "cs_analytics.duckdb")["tables"]
    work = snapshot_reader.read(str(demo_warehouse.path))["tables"]

    expected = {name for name in work if name.startswith("marts.")}
    assert len(expected) >= 11
    assert set(snapshot) == expected | {"audit.source_reconciliation"}
    for name, table in snapshot.items():
        assert table["rows"] > 0, f"{name} is empty in the demo snapshot"
        assert (table["rows"], table["digest"]) == (work[name]["rows"], work[name]["digest"]), (
            f"DuckDB 1.4 reads other rows in {name} than the work database holds"
        )
        assert table["comment"] and table["comment"] == work[name]["comment"], name
        assert table["columns"] == work[name]["columns"], f"{name}: columns or comments differ"
        undocumented = [column for column, comment in table["columns"].items() if not comment]
        assert not undocumented, f"{name} has columns without a comment: {undocumented}"


def test_a_superset_reader_is_never_blocked_by_the_nightly_publish(tmp_path: Path) -> None:
    """Superset's connection (duckdb_engine with read_only) stays open while
    the next night publishes: the publish succeeds, the open connection
    keeps reading its snapshot, and the next connection reads the new one."""
    published = tmp_path / "published"
    publish(make_work_db(tmp_path / "monday.duckdb", 3), published, "monday")
    engine = sqlalchemy.create_engine(
        f"duckdb:///{published / 'cs_analytics.duckdb'}",
        connect_args={"read_only": True},
        poolclass=NullPool,
    )
    count = sqlalchemy.text("select count(*) from marts.revenue")
    with engine.connect() as reader:
        assert reader.execute(count).scalar() == 3
        publish(make_work_db(tmp_path / "tuesday.duckdb", 5), published, "tuesday")
        assert reader.execute(count).scalar() == 3
    with engine.connect() as next_reader:
        assert next_reader.execute(count).scalar() == 5
    engine.dispose()
