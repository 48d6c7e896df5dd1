"""The Dagster orchestration end to end, on a small raw folder in a temporary directory.

Everything these tests write (dbt artifacts, work database, published snapshot,
Data Docs, Dagster instance) lives under pytest's tmp dirs: they never touch the
project's target/ or warehouse/. The module's tests run in one pytest-xdist
worker, so its nightly build runs once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest
from orchestration_env import (
    MARTS,
    PROJECT_ROOT,
    RAW_FILES,
    RAW_TABLES,
    Env,
    check_evaluations,
    failed_checks,
    orchestration_env,
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
def env(tmp_path_factory: pytest.TempPathFactory, dbt_manifest_dir: Path) -> Iterator[Env]:
    root = tmp_path_factory.mktemp("orchestration")
    with orchestration_env(root, write_raw_folder(root / "raw"), dbt_manifest_dir) as environment:
        yield environment


@pytest.fixture(scope="module")
def home_instance(env: Env) -> Iterator[Any]:
    """The instance `dagster dev` would use, configured by orchestration/dagster.yaml."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(env.dagster_home)) as dagster_instance:
        yield dagster_instance


@pytest.fixture(scope="module")
def first_run(env: Env, orch: SimpleNamespace, instance: Any) -> Any:
    """The nightly job, once, on the fixture raw folder; a copy of the work database it
    built is kept as good.duckdb for the tests that need a known state."""
    result = run_job(orch, instance, "nightly_build")
    if result.success:
        shutil.copy(env.work_db, env.root / "good.duckdb")
    return result


# --------------------------------------------------------------------------
# Definitions
# --------------------------------------------------------------------------


def test_definitions_load_with_the_whole_graph(orch: SimpleNamespace) -> None:
    from dagster import AssetKey

    defs = orch.definitions.defs
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    manifest = json.loads(orch.project.dbt_project.manifest_path.read_text(encoding="utf-8"))

    # Every dbt model and seed is an asset, keyed <schema>/<name>.
    for node in manifest["nodes"].values():
        if node["resource_type"] in {"model", "seed"}:
            assert f"{node['schema']}/{node['name']}" in keys, node["unique_id"]
    assert {f"marts/{mart}" for mart in MARTS} <= keys

    # The raw files are the dbt source `raw`, with the keys dagster-dbt gives them.
    raw_keys = {AssetKey(["raw", table]) for table in RAW_TABLES}
    for source in manifest["sources"].values():
        if source["source_name"] == "raw":
            assert orch.assets.translator.get_asset_key(source) in raw_keys
    for key in raw_keys:
        assert not graph.get(key).is_executable  # external: a file we read, not build
        assert graph.get(key).child_keys, f"{key} feeds no dbt model"
        assert graph.get(key).group_name == "raw"

    # raw -> staging -> ... -> marts -> published_snapshot
    published = graph.get(AssetKey("published_snapshot"))
    assert {AssetKey(["marts", mart]) for mart in MARTS} <= set(published.parent_keys)
    for key in graph.get_all_asset_keys():
        if key.path[0] == "staging" and graph.get(key).is_executable:
            assert graph.get(key).group_name == "staging"

    # dbt data tests are asset checks (the marts' keys, rates and spines, the
    # reconciliation's key among them); the Great Expectations raw gates and latest-event
    # checks are blocking, the headline-KPI checks never are.
    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    dbt_tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert len(check_keys) > len(dbt_tests) / 2
    assert RECONCILIATION_KEY in check_keys
    for table in RAW_TABLES:
        assert (f"raw/{table}", "raw_file_expectations") in check_keys
    assert not {name for _, name in check_keys} & {"mart_expectations", "row_reconciliation"}
    assert all(spec.blocking for spec in orch.checks.RAW_CHECK_SPECS)
    kpi_specs = orch.checks.KPI_CHECK_SPECS
    assert {spec.asset_key.to_user_string() for spec in kpi_specs} == {
        "marts/fct_orders",
        "marts/fct_tickets",
        "marts/fct_survey_responses",
        "marts/dim_customers",
        "marts/revenue",
    }
    assert not any(spec.blocking for spec in kpi_specs)
    freshness_specs = orch.checks.FRESHNESS_CHECK_SPECS
    assert {spec.asset_key.to_user_string() for spec in freshness_specs} == {
        "marts/fct_orders",
        "marts/fct_tickets",
        "marts/fct_survey_responses",
    }
    assert all(spec.blocking for spec in freshness_specs)

    job = defs.resolve_job_def("nightly_build")
    assert job.tags.get("cs_analytics/warehouse") == "write"
    assert {
        "raw_quality_gates",
        "cs_analytics_dbt_assets",
        "latest_event_checks",
        "headline_kpi_checks",
        "published_snapshot",
    } <= {node.name for node in job.graph.node_defs}


def test_dagster_cli_loads_the_code_location_from_pyproject(
    env: Env, orch: SimpleNamespace
) -> None:
    """What `dagster dev` loads from the project root ([tool.dagster] in pyproject.toml)."""
    dagster = Path(sys.executable).parent / "dagster"
    completed = subprocess.run(
        [str(dagster), "definitions", "validate"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_instance_config_allows_one_warehouse_run_at_a_time(home_instance: Any) -> None:
    from dagster._core.run_coordinator import QueuedRunCoordinator

    assert isinstance(home_instance.run_coordinator, QueuedRunCoordinator)
    queue = home_instance.get_concurrency_config().run_queue_config
    assert queue.max_concurrent_runs == 1
    assert any(
        limit["key"] == "cs_analytics/warehouse" and limit["limit"] == 1
        for limit in queue.tag_concurrency_limits
    )


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
# The gates in detail (no Dagster run)
# --------------------------------------------------------------------------


def previous_snapshot(tmp_path: Path, raw_rows: dict[str, int] | None = None, **marts: str) -> Any:
    """A published snapshot as the last good run leaves it: the raw rows it read
    per table, and marts given as `name="select ... "` (an in-memory database)."""
    from orchestration.last_good_run import LastGoodRun

    con = duckdb.connect()
    con.execute("create schema audit; create schema marts")
    con.execute("create table audit.source_reconciliation (source_table varchar, raw_rows bigint)")
    for table, rows in (raw_rows or {}).items():
        con.execute("insert into audit.source_reconciliation values (?, ?)", [table, rows])
    for mart, select in marts.items():
        con.execute(f"create table marts.{mart} as {select}")
    return LastGoodRun(con)


def raw_gate(
    raw_dir: Path,
    tmp_path: Path,
    dbt_vars: str = "",
    tables: list[str] | None = None,
    last_good: Any = None,
    **thresholds: Any,
) -> dict[str, Any]:
    """Table -> the raw gate's verdict on `raw_dir` for a dbt run with `dbt_vars`,
    against `last_good` (the first run when None)."""
    from orchestration.gx_runner import GreatExpectationsRunner
    from orchestration.last_good_run import LastGoodRun
    from orchestration.raw_gates import raw_gate_results
    from orchestration.thresholds import QualityGateConfig

    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    return raw_gate_results(
        raw_dir, dbt_vars, QualityGateConfig(**thresholds), runner,
        last_good or LastGoodRun(), tables,
    )


def blocking(verdicts: dict[str, Any]) -> dict[str, list[str]]:
    return {
        table: list(verdict.blocking_failures)
        for table, verdict in verdicts.items()
        if verdict.blocking_failures
    }


SIX_EACH = {"customers": 3, "orders": 6, "tickets": 4, "survey_responses": 5, "agents": 2}


def orders_csv(count: int) -> str:
    lines = RAW_FILES["orders.csv"].splitlines()
    return "\n".join(lines[: count + 1]) + "\n"


def test_the_first_run_passes_the_row_gate_with_a_note(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw", agents=None), tmp_path)
    assert blocking(verdicts) == {}
    assert all(verdict.passed for verdict in verdicts.values())
    orders = verdicts["orders"]
    assert "orders: 6 rows in" in orders.description
    assert "not compared, there is no previous published snapshot" in orders.description
    assert orders.metadata["row_count"] == 6
    assert "not checked" in verdicts["agents"].description


def test_a_truncated_table_is_refused_and_a_jump_warned(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    """Against the previous snapshot's raw rows: 2 orders of 6 (a third) stop the
    run; 70 survey responses for 5 is a warning only; the other tables pass."""
    surveys = RAW_FILES["survey_responses.csv"].splitlines()
    many = "\n".join([surveys[0]] + [surveys[1].replace("S1,", f"S{n},") for n in range(70)])
    raw_dir = write_raw_folder(
        tmp_path / "raw", orders=orders_csv(2), survey_responses=many + "\n"
    )
    verdicts = raw_gate(raw_dir, tmp_path, last_good=previous_snapshot(tmp_path, SIX_EACH))
    assert blocking(verdicts) == {
        "orders": ["orders has at least 0.5x the rows of the previous snapshot (6) "
                   "(observed 0.3333333333333333)"]
    }
    surveys_verdict = verdicts["survey_responses"]
    assert not surveys_verdict.passed and not surveys_verdict.blocking_failures
    assert surveys_verdict.warnings == (
        "survey_responses has at most 10x the rows of the previous snapshot (5) (observed 14.0)",
    )
    assert {name for name, verdict in verdicts.items() if verdict.passed} == {
        "customers", "tickets", "agents"
    }
    # The threshold is the resource's.
    lenient = raw_gate(
        raw_dir, tmp_path / "lenient", last_good=previous_snapshot(tmp_path, SIX_EACH),
        min_rows_ratio_to_previous=0.3,
    )
    assert blocking(lenient) == {}


def test_a_header_only_file_is_noted_then_refused_after_a_good_run(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    header_only = RAW_FILES["tickets.csv"].splitlines()[0] + "\n"
    raw_dir = write_raw_folder(tmp_path / "raw", tickets=header_only)
    first = raw_gate(raw_dir, tmp_path)["tickets"]
    assert first.passed and "The file has no rows" in first.description
    later = raw_gate(raw_dir, tmp_path / "later", last_good=previous_snapshot(tmp_path, SIX_EACH))
    assert later["tickets"].blocking_failures == (
        "tickets has at least 0.5x the rows of the previous snapshot (4) (observed 0.0)",
    )


def test_an_unreadable_snapshot_is_a_warning_not_a_verdict(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    from orchestration.last_good_run import open_last_good_run

    published = tmp_path / "published.duckdb"
    published.write_bytes(b"not a database")
    with open_last_good_run(published) as last_good:
        assert last_good.con is None and "cannot be read" in (last_good.problem or "")
        orders = raw_gate(write_raw_folder(tmp_path / "raw"), tmp_path, last_good=last_good)[
            "orders"
        ]
    assert not orders.passed and not orders.blocking_failures
    assert "cannot be read" in orders.warnings[0]


@pytest.mark.parametrize(
    ("replacements", "table", "expected"),
    [
        ({"orders": None}, "orders", "orders.csv (or orders.parquet) is missing"),
        ({"tickets": 'T1,"never closed\n'}, "tickets", "that is never closed"),
        # Bad values are dbt's to quarantine: the gate does not look at them.
        (
            {"tickets": RAW_FILES["tickets.csv"].replace("2025-01-25 10:00:00,", "yesterday,"),
             "orders": RAW_FILES["orders.csv"].replace(",150,", ",-150,")},
            None,
            None,
        ),
    ],
)
def test_raw_gate_refuses_what_dbt_would_refuse_and_only_that(
    orch: SimpleNamespace,
    tmp_path: Path,
    replacements: dict[str, str | None],
    table: str | None,
    expected: str | None,
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw", **replacements), tmp_path)
    failures = blocking(verdicts)
    if expected is None:
        assert failures == {}
    else:
        assert set(failures) == {table}
        assert expected in failures[table][0]


def test_raw_gate_reads_parquet_files(env: Env, orch: SimpleNamespace, tmp_path: Path) -> None:
    raw_dir = write_raw_folder(tmp_path / "raw", orders=None)
    duckdb.execute(
        f"copy (select * from read_csv('{env.raw_dir / 'orders.csv'}', all_varchar = true)) "
        f"to '{raw_dir / 'orders.parquet'}' (format parquet)"
    )
    orders = raw_gate(raw_dir, tmp_path, last_good=previous_snapshot(tmp_path, SIX_EACH))["orders"]
    assert orders.passed, orders.description
    assert orders.metadata["observed"]["rows_ratio_to_previous"] == 1.0
    duckdb.execute(f"copy (select 1 as x) to '{raw_dir / 'orders.csv'}' (header)")
    orders = raw_gate(raw_dir, tmp_path / "again")["orders"]
    assert orders.blocking_failures and "keep exactly one of them" in orders.description


def test_raw_gate_judges_only_the_selected_tables(orch: SimpleNamespace, tmp_path: Path) -> None:
    """A check run alone (a subset) judges its own table only; a refusal elsewhere
    in the folder does not land on it."""
    raw_dir = write_raw_folder(tmp_path / "raw", tickets='T1,"never closed\n')
    verdicts = raw_gate(raw_dir, tmp_path, tables=["orders"])
    assert set(verdicts) == {"orders"} and verdicts["orders"].passed


def test_raw_gate_reads_the_export_as_the_dbt_vars_say(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    """A Vietnamese shop export: its own headers, no helpdesk. Without the vars the
    gate refuses it as dbt would; with them it passes, and a declared-absent table
    passes with a note."""
    orders = (
        "Mã đơn hàng,Mã khách hàng,Trạng thái,Tổng tiền,Ngày đặt hàng\n"
        "DH1,KH1,completed,1.250.000,30/11/2025 14:05\n"
        'DH2,KH2,completed,"1.250.000,50",1/12/2025 09:30\n'
        "DH3,KH1,cancelled,980.000,2025-12-02 10:00:00\n"
    )
    raw_dir = write_raw_folder(
        tmp_path / "raw", orders=orders, tickets=None, survey_responses=None, agents=None
    )
    dbt_vars = (
        "{absent_tables: [tickets, survey_responses, agents], "
        "raw_column_names: {orders: {order_id: 'Mã đơn hàng', customer_id: 'Mã khách hàng', "
        "status: 'Trạng thái', amount: 'Tổng tiền', ordered_at: 'Ngày đặt hàng'}}, "
        "timestamp_formats: ['%d/%m/%Y %H:%M'], "
        "amount_thousands_separator: '.', amount_decimal_separator: ','}"
    )

    without_vars = raw_gate(raw_dir, tmp_path / "plain")
    assert "has no order_id column" in without_vars["orders"].description
    assert "tickets.csv (or tickets.parquet) is missing" in without_vars["tickets"].description

    verdicts = raw_gate(raw_dir, tmp_path / "mapped", dbt_vars)
    assert all(verdict.passed for verdict in verdicts.values()), blocking(verdicts)
    assert verdicts["orders"].metadata["row_count"] == 3
    assert "absent_tables declares it absent" in verdicts["tickets"].description


def latest_orders(when: str | None) -> str:
    value = "null" if when is None else f"timestamp '{when}'"
    return f"select {value} as ordered_at where {'false' if when is None else 'true'}"


@pytest.mark.parametrize(
    ("current", "max_hours", "blocking_text"),
    [
        ("2025-04-02 10:00:00", 0, None),  # newer
        ("2025-04-01 03:00:00", 0, None),  # the same day's export again
        (
            "2025-03-20 14:00:00",
            0,
            "the latest fct_orders.ordered_at (2025-03-20 14:00) is at most 0 h before the "
            "previous snapshot's (2025-04-01 03:00); an older export would roll the marts "
            "back (observed 277.0)",
        ),
        ("2025-03-20 14:00:00", 300, None),  # allowed by the threshold
        (
            None,
            0,
            "fct_orders.ordered_at: the build has no event at all, while the previous "
            "snapshot's latest is 2025-04-01 03:00; check the export before publishing it.",
        ),
    ],
)
def test_the_latest_event_may_not_go_back(
    orch: SimpleNamespace,
    tmp_path: Path,
    current: str | None,
    max_hours: float,
    blocking_text: str | None,
) -> None:
    from orchestration.freshness import freshness_result
    from orchestration.gx_runner import GreatExpectationsRunner
    from orchestration.last_good_run import Comparison, LastGoodRun
    from orchestration.thresholds import QualityGateConfig

    gates = QualityGateConfig(max_hours_behind_previous=max_hours)
    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    work = previous_snapshot(tmp_path, fct_orders=latest_orders(current)).con
    previous = previous_snapshot(tmp_path, fct_orders=latest_orders("2025-04-01 03:00:00"))
    verdict = freshness_result("fct_orders", Comparison(work, previous, runner, gates))
    assert verdict.blocking_failures == (() if blocking_text is None else (blocking_text,))
    assert verdict.passed == (blocking_text is None)
    first = freshness_result("fct_orders", Comparison(work, LastGoodRun(), runner, gates))
    assert first.passed and "not compared" in first.description


@pytest.mark.parametrize(
    ("dbt_vars", "sentence"),
    [
        (
            "{timestamp_formats: ['%d/%m/%y']}",
            "The var timestamp_formats has '%y' in '%d/%m/%y'",
        ),
        (
            "{amount_thousands_separator: '.'}",
            "The vars amount_thousands_separator and amount_decimal_separator are both",
        ),
        ("{absent_tables: [payments]}", "The var absent_tables names the unknown table"),
        (
            "{absent_tables: [agents]}",
            "holds agents.csv, but the var absent_tables declares agents absent",
        ),
    ],
)
def test_wrong_vars_fail_the_raw_gate_with_dbts_sentence(
    orch: SimpleNamespace, tmp_path: Path, dbt_vars: str, sentence: str
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw"), tmp_path, dbt_vars)
    failed = blocking(verdicts)
    assert failed
    assert all(sentence in texts[0] for texts in failed.values()), failed


# --------------------------------------------------------------------------
# Schedule and sensor
# --------------------------------------------------------------------------


def test_nightly_schedule_runs_at_two_in_ho_chi_minh_city(
    orch: SimpleNamespace, home_instance: Any
) -> None:
    from dagster import RunRequest, build_schedule_context

    schedule = orch.definitions.defs.resolve_schedule_def("nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert schedule.job_name == "nightly_build"
    when = dt.datetime(2025, 7, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    context = build_schedule_context(instance=home_instance, scheduled_execution_time=when)
    requests = schedule.evaluate_tick(context).run_requests
    assert requests and isinstance(requests[0], RunRequest)


def test_failure_sensor_appends_an_alert_line(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dagster import DagsterEventType, build_run_status_sensor_context

    monkeypatch.setenv("CS_RAW_DIR", str(env.root / "no_such_folder"))
    failed = run_job(orch, instance, "nightly_build")
    assert not failed.success
    failure_event = next(
        event for event in failed.all_events if event.event_type == DagsterEventType.RUN_FAILURE
    )
    context = build_run_status_sensor_context(
        sensor_name="alert_on_run_failure",
        dagster_event=failure_event,
        dagster_instance=instance,
        dagster_run=failed.dagster_run,
        resources={"warehouse": orch.definitions.defs.resources["warehouse"]},
    ).for_run_failure()
    alerts = env.work_db.parent / "alerts.jsonl"
    lines_before = alerts.read_text().splitlines() if alerts.exists() else []

    orch.sensors.alert_on_run_failure(context)

    lines = alerts.read_text().splitlines()
    assert len(lines) == len(lines_before) + 1
    alert = json.loads(lines[-1])
    assert alert["run_id"] == failed.run_id
    assert alert["failed_step"] == "raw_quality_gates"
    assert "raw/orders:raw_file_expectations" in alert["error"]
    assert "does not exist" in alert["error"]
    assert len(alert["failed_checks"]) == len(RAW_TABLES)


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
