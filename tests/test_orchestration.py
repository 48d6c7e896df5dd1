"""The Dagster orchestration end to end, on a small raw folder in a temporary directory.

Everything these tests write (dbt artifacts, work database, published snapshot,
Data Docs, Dagster instance) lives under pytest's tmp dirs: they never touch the
project's target/ or warehouse/. The module's tests run in one pytest-xdist
worker, so its nightly build runs once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest
from orchestration_env import (
    MARTS,
    RAW_FILES,
    RAW_TABLES,
    Env,
    check_evaluations,
    failed_checks,
    run_job,
    sha256,
    started_steps,
    write_raw_folder,
)

pytestmark = pytest.mark.xdist_group("orchestration")
# A dbt data test that every run evaluates as an asset check.
RECONCILIATION_KEY = ("audit/source_reconciliation", "unique_source_reconciliation_source_table")

READER_SCRIPT = """
import sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from marts.revenue").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("select count(*) from marts.revenue").fetchone()[0], flush=True)
con.close()
"""

# Holds a database open read-write (the writer's lock) until told to let go.
WRITER_SCRIPT = """
import sys
import duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


@pytest.fixture(scope="module")
def first_run(env: Env, orch: SimpleNamespace, instance: Any) -> Any:
    """The nightly job, once, on the fixture raw folder; a copy of the work database it
    built is kept as good.duckdb for the tests that need a known state."""
    result = run_job(orch, instance, "nightly_build")
    if result.success:
        shutil.copy(env.work_db, env.root / "good.duckdb")
    return result


# --------------------------------------------------------------------------
# The nightly job
# --------------------------------------------------------------------------


def test_nightly_job_builds_checks_and_publishes(env: Env, first_run: Any) -> None:
    assert first_run.success, failed_checks(first_run)
    assert not failed_checks(first_run)
    evaluations = check_evaluations(first_run)
    for table in RAW_TABLES:
        assert f"raw/{table}:raw_file_expectations" in evaluations
    # dbt's tests ran as asset checks; with nothing published yet, neither the raw rows
    # nor the latest events nor the KPIs are compared.
    assert "audit/source_reconciliation:unique_source_reconciliation_source_table" in evaluations
    for check in (
        "raw/orders:raw_file_expectations",
        "marts/fct_orders:latest_event_vs_previous_snapshot",
        "marts/fct_orders:headline_vs_previous_snapshot",
    ):
        assert "no previous published snapshot" in evaluations[check].description, check

    # The published snapshot opens read-only and holds every mart.
    con = duckdb.connect(str(env.published), read_only=True)
    try:
        tables = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert MARTS <= tables
        (orders,) = con.execute("select count(*) from marts.fct_orders").fetchone()
        assert orders == 6
        # Only the marts and the reconciliation counts: no personal data is published.
        published = set(
            con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        )
        assert {row[0] for row in published} == {f"marts.{mart}" for mart in tables} | {
            "audit.source_reconciliation"
        }
        (personal,) = con.execute(
            "select count(*) from information_schema.columns "
            "where column_name in ('full_name', 'email', 'phone')"
        ).fetchone()
        assert personal == 0
    finally:
        con.close()

    # One Parquet file per mart, behind the atomically swapped `parquet` link.
    parquet_dir = env.published_dir / "parquet"
    assert {path.stem for path in parquet_dir.glob("*.parquet")} >= MARTS
    (rows,) = duckdb.execute(
        f"select count(*) from read_parquet('{parquet_dir / 'revenue.parquet'}')"
    ).fetchone()
    assert rows > 0
    info = json.loads((env.published_dir / "snapshot.json").read_text())
    assert info["run_id"] == first_run.run_id
    assert info["rows_by_mart"]["fct_orders"] == 6
    assert not list(env.published_dir.glob(".*.tmp"))


def test_a_reader_holding_the_snapshot_never_blocks_the_run(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A BI process reads the published file during a run that publishes again (the
    audit_and_publish job: the steps that read and replace the published file)."""
    assert first_run.success
    work_db = env.root / "second" / "cs_analytics.duckdb"
    work_db.parent.mkdir()
    shutil.copy(env.root / "good.duckdb", work_db)
    monkeypatch.setenv("CS_WAREHOUSE_PATH", str(work_db))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, str(env.published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        rows_before = reader.stdout.readline().strip()
        assert rows_before, reader.stderr.read() if reader.stderr else ""

        second = run_job(orch, instance, "audit_and_publish")

        assert second.success, failed_checks(second)
        reader.stdin.write("\n")
        reader.stdin.flush()
        rows_after = reader.stdout.readline().strip()
        assert reader.wait(timeout=60) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
    # The reader kept its consistent (old) snapshot; the new one was swapped in.
    assert rows_after == rows_before
    assert json.loads((env.published_dir / "snapshot.json").read_text())["run_id"] == second.run_id
    # Now there was a previous snapshot, so the latest events and the headline numbers
    # were compared, and the Great Expectations Data Docs beside the work database show
    # their suites.
    evaluations = check_evaluations(second)
    kpis = [
        check
        for name, check in evaluations.items()
        if name.endswith(":headline_vs_previous_snapshot")
    ]
    assert len(kpis) == 5 and all(evaluation.passed for evaluation in kpis)
    assert all("ratio_to_previous" in evaluation.metadata for evaluation in kpis)
    latest = evaluations["marts/fct_orders:latest_event_vs_previous_snapshot"]
    assert latest.passed and latest.metadata["hours_behind_previous"].value == 0
    html = (work_db.parent / "gx_data_docs" / "index.html").read_text(encoding="utf-8")
    assert "latest_fct_orders__vs_previous_snapshot" in html
    assert "kpi_orders__vs_previous_snapshot" in html


def test_a_truncated_export_stops_the_run_before_dbt(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two orders where the published snapshot read six: the raw gate refuses the table
    (blocking), so dbt never runs and both databases stay as they were."""
    assert first_run.success
    orders = "".join(RAW_FILES["orders.csv"].splitlines(keepends=True)[:3])
    monkeypatch.setenv("CS_RAW_DIR", str(write_raw_folder(env.root / "raw_cut", orders=orders)))
    published_before = sha256(env.published)
    work_before = sha256(env.work_db)

    result = run_job(orch, instance, "nightly_build")

    assert not result.success
    assert "cs_analytics_dbt_assets" not in started_steps(result)
    assert "published_snapshot" not in started_steps(result)
    failures = failed_checks(result)
    assert set(failures) == {"raw/orders:raw_file_expectations"}
    description = failures["raw/orders:raw_file_expectations"].description
    assert "orders has at least 0.5x the rows of the previous snapshot (6)" in description
    assert sha256(env.published) == published_before
    assert sha256(env.work_db) == work_before
    record = json.loads((env.published_dir / "last_failure.json").read_text())
    assert record["run_id"] == result.run_id
    assert record["failures"][0]["step"] == "raw_quality_gates"


def audit_and_publish_a_copy(
    env: Env, orch: SimpleNamespace, instance: Any, monkeypatch: pytest.MonkeyPatch, change: str
) -> Any:
    """The audit_and_publish job on a copy of the first run's work database changed by
    the SQL `change`."""
    work_db = env.root / f"copy-{sha256_text(change)}" / "cs_analytics.duckdb"
    work_db.parent.mkdir()
    shutil.copy(env.root / "good.duckdb", work_db)
    with duckdb.connect(str(work_db)) as con:
        con.execute(change)
    monkeypatch.setenv("CS_WAREHOUSE_PATH", str(work_db))
    return run_job(orch, instance, "audit_and_publish")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def test_an_older_export_is_not_published(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build whose latest order is older than the published one's (the export of an
    earlier day): the latest-event check fails, blocking, and nothing is published."""
    assert first_run.success
    published_before = sha256(env.published)

    result = audit_and_publish_a_copy(
        env, orch, instance, monkeypatch, "delete from marts.fct_orders where order_id = 'O5'"
    )

    assert not result.success
    assert "published_snapshot" not in started_steps(result)
    assert set(failed_checks(result)) == {"marts/fct_orders:latest_event_vs_previous_snapshot"}
    failure = failed_checks(result)["marts/fct_orders:latest_event_vs_previous_snapshot"]
    assert "the latest fct_orders.ordered_at (2025-03-20 14:00) is at most 0 h before the " \
        "previous snapshot's (2025-04-01 03:00)" in failure.description
    assert sha256(env.published) == published_before


def utf16_orders(folder: Path) -> None:
    (folder / "orders.csv").write_bytes(RAW_FILES["orders.csv"].encode("utf-16"))


def unterminated_quote_tickets(folder: Path) -> None:
    text = RAW_FILES["tickets.csv"].replace("T4,KH3,,zalo,đổi trả", 'T4,KH3,,zalo,"đổi trả')
    (folder / "tickets.csv").write_text(text, encoding="utf-8")


def semicolon_customers(folder: Path) -> None:
    text = RAW_FILES["customers.csv"].replace(",", ";")
    (folder / "customers.csv").write_text(text, encoding="utf-8")


def empty_survey_file(folder: Path) -> None:
    (folder / "survey_responses.csv").write_bytes(b"")


def corrupt_parquet_orders(folder: Path) -> None:
    (folder / "orders.csv").unlink()
    (folder / "orders.parquet").write_bytes(b"PAR1 this is not a Parquet file PAR1")


@pytest.mark.parametrize(
    ("table", "break_file"),
    [
        ("orders", utf16_orders),
        ("tickets", unterminated_quote_tickets),
        ("customers", semicolon_customers),
        ("survey_responses", empty_survey_file),
        ("orders", corrupt_parquet_orders),
    ],
)
def test_a_refused_raw_file_stops_the_run_before_dbt_with_its_sentence(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    table: str,
    break_file: Any,
) -> None:
    """A file dbt would refuse (contract section 5) fails the raw gate, blocking, with
    the very sentence dbt's on-run-start check would print; nothing else changes."""
    from cs_analytics.raw.files import RawFileError, inspect_folder

    assert first_run.success
    raw_dir = write_raw_folder(tmp_path / "raw")
    break_file(raw_dir)
    with pytest.raises(RawFileError) as refused:
        inspect_folder(raw_dir)
    sentence = str(refused.value)
    monkeypatch.setenv("CS_RAW_DIR", str(raw_dir))
    published_before = sha256(env.published)
    work_before = sha256(env.work_db)

    result = run_job(orch, instance, "nightly_build")

    assert not result.success
    assert not started_steps(result) & {"cs_analytics_dbt_assets", "published_snapshot"}
    failures = failed_checks(result)
    assert set(failures) == {f"raw/{table}:raw_file_expectations"}
    assert failures[f"raw/{table}:raw_file_expectations"].description == sentence
    assert str(raw_dir / table) in sentence
    assert sha256(env.published) == published_before
    assert sha256(env.work_db) == work_before
    record = json.loads((env.published_dir / "last_failure.json").read_text())
    assert record["run_id"] == result.run_id
    assert record["failures"][0]["step"] == "raw_quality_gates"
    assert sentence in record["failures"][0]["error"]


def test_a_failing_dbt_test_blocks_publishing(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One order in six has an unknown status: the raw gates pass (statuses are dbt's
    business), staging quarantines it, and the rejected-share data test fails."""
    assert first_run.success
    orders = RAW_FILES["orders.csv"].replace("O4,KH3,cancelled", "O4,KH3,lost in space")
    monkeypatch.setenv("CS_RAW_DIR", str(write_raw_folder(env.root / "raw_rejects", orders=orders)))
    published_before = sha256(env.published)

    result = run_job(orch, instance, "nightly_build")

    assert not result.success
    assert "cs_analytics_dbt_assets" in started_steps(result)
    assert "published_snapshot" not in started_steps(result)
    assert sha256(env.published) == published_before
    record = json.loads((env.published_dir / "last_failure.json").read_text())
    assert record["run_id"] == result.run_id
    assert record["failures"][0]["step"] == "cs_analytics_dbt_assets"


def test_a_headline_drop_is_a_warning_and_still_publishes(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Five of six orders vanish from a build (the latest stays): the KPI check warns
    (severity WARN) but never blocks, so the build is published and the warning says
    by how much."""
    from dagster import AssetCheckSeverity

    assert first_run.success

    result = audit_and_publish_a_copy(
        env, orch, instance, monkeypatch, "delete from marts.fct_orders where order_id <> 'O5'"
    )

    assert result.success
    assert set(failed_checks(result)) == {"marts/fct_orders:headline_vs_previous_snapshot"}
    warning = failed_checks(result)["marts/fct_orders:headline_vs_previous_snapshot"]
    assert warning.severity == AssetCheckSeverity.WARN
    assert "orders is 0.5x to 10x the previous snapshot's (6)" in warning.description
    assert warning.metadata["ratio_to_previous"].value == pytest.approx(1 / 6)
    with duckdb.connect(str(env.published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_orders").fetchone() == (1,)


def test_a_locked_work_database_is_retried(orch: SimpleNamespace, tmp_path: Path) -> None:
    """A database held by another writer fails the dbt step with a retryable error."""
    database = tmp_path / "work.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RuntimeError, match="locked by another process"):
            orch.assets.ensure_writable(database)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    orch.assets.ensure_writable(database)
    retry = orch.assets.TRANSIENT_RETRY
    assert retry.max_retries >= 1
    assert orch.assets.cs_analytics_dbt_assets.op.retry_policy == retry
    assert orch.assets.published_snapshot.op.retry_policy == retry


# --------------------------------------------------------------------------
# The KPI report, built after publishing
# --------------------------------------------------------------------------


def test_nightly_job_publishes_the_report_and_a_failed_run_keeps_it(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert first_run.success
    assert "report" in started_steps(first_run)
    report = env.published_dir / "report" / "index.html"
    html = report.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and 'id="report-data"' in html

    # The run's quality gates, recorded beside the snapshot and shown on the page.
    gates = json.loads((env.published_dir / "quality_gates.json").read_text())
    assert gates["run_id"] == first_run.run_id
    kinds = {(check["asset"], check["check"]): check["kind"] for check in gates["checks"]}
    assert kinds[("raw/orders", "raw_file_expectations")] == "great_expectations"
    assert kinds[("marts/revenue", "headline_vs_previous_snapshot")] == "great_expectations"
    assert kinds[("marts/fct_orders", "latest_event_vs_previous_snapshot")] == "great_expectations"
    assert kinds[RECONCILIATION_KEY] == "dbt"
    assert "dbt" in kinds.values()
    assert len(gates["checks"]) == len(first_run.get_asset_check_evaluations())
    assert "raw_file_expectations" in html and first_run.run_id[:8] in html

    # A run that fails keeps the previous report.
    before = sha256(report)
    monkeypatch.setenv("CS_RAW_DIR", str(env.root / "no_such_folder"))
    failed = run_job(orch, instance, "nightly_build")
    assert not failed.success
    assert "report" not in started_steps(failed)
    assert sha256(report) == before
    assert not list(report.parent.glob(".*.tmp"))
