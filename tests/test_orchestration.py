"""The Dagster orchestration end to end, on a small raw folder in a temporary directory.

Everything these tests write (dbt artifacts, work database, published snapshot,
Data Docs, Dagster instance) lives under pytest's tmp dirs: they never touch the
project's target/ or warehouse/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A small, valid raw export (the shape of the contract's worked example).
RAW_FILES: dict[str, str] = {
    "agents.csv": """agent_id,agent_name,team
A1,Phạm Thu Hà,CSKH Hà Nội
A2,Võ Quốc Việt,
""",
    "customers.csv": """customer_id,full_name,email,phone,city,acquisition_channel,signed_up_at
KH1,Nguyễn Văn An,an@example.vn,0901000001,Hà Nội,Facebook,2024-12-20 10:00:00
KH2,Trần Thị Bình,binh@example.vn,0901000002,Đà Nẵng,,2025-01-02
KH3,Lê Minh Châu,chau@example.vn,0901000003,TP. Hồ Chí Minh,Zalo ,2025-01-15T09:00:00
""",
    "orders.csv": """order_id,customer_id,status,amount,ordered_at
O1,KH1,completed,100,2025-01-05 10:00:00
O2,KH2,Delivered,200,2025-01-20 12:00:00
O3,KH1, paid ,150,2025-02-10 09:00:00
O4,KH3,cancelled,50,2025-02-15 08:00:00
O5,KH1,COMPLETED,80,2025-03-31T20:00:00Z
O6,KH3,completed,120.00,2025-03-20 14:00:00
""",
    "survey_responses.csv": """response_id,survey_type,customer_id,ticket_id,score,\
submitted_at,comment
S1,nps,KH1,,10,2025-01-10 10:00:00,
S2,NPS,KH2,,6,2025-01-28 10:00:00,"Giao hàng chậm, cần cải thiện"
S3,csat,KH1,T1,5,2025-01-07 10:00:00,
S4,csat,KH2,T2,2,2025-02-03T02:00:00Z,
S5,nps,KH3,,9,2025-01-30 10:00:00.500,
""",
    "tickets.csv": """ticket_id,customer_id,agent_id,channel,category,priority,created_at,\
first_response_at,resolved_at,contact_count,reopen_count,wait_seconds
T1,KH1,A1,Phone,Giao hàng,high,2025-01-06 09:00:00,2025-01-06 09:30:00,2025-01-06 15:00:00,1,0,45
T2,KH2,A1,email,,URGENT,2025-01-25 10:00:00,2025-01-25 10:20:00,2025-02-02 10:00:00,2,0,
T3,KH9,A2,chat,thanh toán,,2025-02-12 08:00:00,2025-02-12T01:01:00Z,2025-02-12 09:00:00,1,1,90
T4,KH3,,zalo,đổi trả,low,2025-03-25 10:00:00,,,,,
""",
}

MARTS = {
    "customer_retention",
    "revenue",
    "cohort_retention",
    "dim_customers",
    "fct_orders",
    "nps",
    "csat",
    "support_kpis",
    "agent_scorecard",
    "fct_tickets",
    "fct_survey_responses",
}
RAW_TABLES = {"customers", "orders", "tickets", "survey_responses", "agents"}

# Holds the published snapshot open read-only until told to let go, like a BI tool.
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


def write_raw_folder(folder: Path, **replacements: str | None) -> Path:
    """The fixture raw folder; a keyword replaces a file's text (None removes the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**RAW_FILES, **{f"{name}.csv": text for name, text in replacements.items()}}
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Env:
    root: Path
    raw_dir: Path
    work_db: Path
    published: Path
    dagster_home: Path

    @property
    def published_dir(self) -> Path:
        return self.published.parent


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    root = tmp_path_factory.mktemp("orchestration")
    profiles = root / "profiles"
    profiles.mkdir()
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", profiles / "profiles.yml")
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    environment = Env(
        root=root,
        raw_dir=write_raw_folder(root / "raw"),
        work_db=root / "warehouse" / "cs_analytics.duckdb",
        published=root / "warehouse" / "published" / "cs_analytics.duckdb",
        dagster_home=dagster_home,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_PROFILES_DIR", str(profiles))
        patch.setenv("DBT_TARGET_PATH", str(root / "dbt_target"))
        patch.setenv("CS_RAW_DIR", str(environment.raw_dir))
        patch.setenv("CS_WAREHOUSE_PATH", str(environment.work_db))
        patch.setenv("CS_PUBLISHED_PATH", str(environment.published))
        patch.setenv("DAGSTER_HOME", str(dagster_home))
        patch.delenv("DAGSTER_IS_DEV_CLI", raising=False)
        yield environment


@pytest.fixture(scope="module")
def orch(env: Env) -> SimpleNamespace:
    """The orchestration modules, imported once the environment points at tmp dirs
    (importing parses the dbt project into $DBT_TARGET_PATH)."""
    modules = {
        name: importlib.import_module(f"orchestration.{name}")
        for name in ("project", "assets", "checks", "jobs", "schedules", "sensors", "definitions")
    }
    return SimpleNamespace(**modules)


@pytest.fixture(scope="module")
def instance(env: Env) -> Iterator[Any]:
    """An in-memory instance for the runs (fast: a dbt build logs hundreds of events)."""
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as dagster_instance:
        yield dagster_instance


@pytest.fixture(scope="module")
def home_instance(env: Env) -> Iterator[Any]:
    """The instance `dagster dev` would use, configured by orchestration/dagster.yaml."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(env.dagster_home)) as dagster_instance:
        yield dagster_instance


def run_job(orch: SimpleNamespace, instance: Any, job_name: str) -> Any:
    job = orch.definitions.defs.resolve_job_def(job_name)
    return job.execute_in_process(instance=instance, raise_on_error=False)


def started_steps(result: Any) -> set[str]:
    return {event.step_key for event in result.all_events if event.event_type_value == "STEP_START"}


def failed_checks(result: Any) -> dict[str, Any]:
    return {
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}": evaluation
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    }


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
    manifest = orch.assets.manifest

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

    # dbt data tests are asset checks; the Great Expectations gates are blocking.
    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    dbt_tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert len(check_keys) > len(dbt_tests) / 2
    for table in RAW_TABLES:
        assert (f"raw/{table}", "raw_file_expectations") in check_keys
    for mart in MARTS:
        assert (f"marts/{mart}", "mart_expectations") in check_keys
    assert ("audit/source_reconciliation", "row_reconciliation") in check_keys
    assert all(spec.blocking for spec in orch.checks.RAW_CHECK_SPECS)
    kpi_specs = [
        spec
        for spec in orch.checks.MART_CHECK_SPECS
        if spec.name == "headline_vs_previous_snapshot"
    ]
    assert kpi_specs and not any(spec.blocking for spec in kpi_specs)

    job = defs.resolve_job_def("nightly_build")
    assert job.tags.get("cs_analytics/warehouse") == "write"
    assert {
        "raw_quality_gates",
        "cs_analytics_dbt_assets",
        "mart_quality_gates",
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
    evaluated = {evaluation.check_name for evaluation in first_run.get_asset_check_evaluations()}
    assert {"raw_file_expectations", "mart_expectations", "row_reconciliation"} <= evaluated

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

    # Great Expectations Data Docs of the run, beside the work database.
    index = env.work_db.parent / "gx_data_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    for suite in (
        "raw_orders__summary",
        "raw_orders__columns",
        "mart_revenue",
        "audit_source_reconciliation",
    ):
        assert suite in html


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
    # Now there was a previous snapshot, so the headline numbers were compared.
    kpis = [
        evaluation
        for evaluation in second.get_asset_check_evaluations()
        if evaluation.check_name == "headline_vs_previous_snapshot"
    ]
    assert kpis and all(evaluation.passed for evaluation in kpis)
    assert all("ratio_to_previous" in evaluation.metadata for evaluation in kpis)


def test_a_broken_raw_file_stops_the_run_before_dbt(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert first_run.success
    bad_orders = "order_id,customer_id,status,ordered_at\n" + "".join(
        f",KH1,completed,not a date {index}\n" for index in range(5)
    )
    monkeypatch.setenv("CS_RAW_DIR", str(write_raw_folder(env.root / "raw_bad", orders=bad_orders)))
    published_before = sha256(env.published)
    work_before = sha256(env.work_db)

    result = run_job(orch, instance, "nightly_build")

    assert not result.success
    assert "cs_analytics_dbt_assets" not in started_steps(result)
    assert "published_snapshot" not in started_steps(result)
    failures = failed_checks(result)
    assert set(failures) == {"raw/orders:raw_file_expectations"}
    description = failures["raw/orders:raw_file_expectations"].description
    assert "amount" in description and "order_id" in description and "ordered_at" in description
    assert sha256(env.published) == published_before
    assert sha256(env.work_db) == work_before
    record = json.loads((env.published_dir / "last_failure.json").read_text())
    assert record["run_id"] == result.run_id
    assert record["failures"][0]["step"] == "raw_quality_gates"


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


def test_a_failing_mart_gate_blocks_publishing(
    env: Env,
    orch: SimpleNamespace,
    instance: Any,
    first_run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert first_run.success
    work_db = env.root / "corrupted" / "cs_analytics.duckdb"
    work_db.parent.mkdir()
    shutil.copy(env.root / "good.duckdb", work_db)
    monkeypatch.setenv("CS_WAREHOUSE_PATH", str(work_db))
    published_before = sha256(env.published)
    con = duckdb.connect(str(work_db))
    try:
        con.execute("insert into marts.fct_orders select * from marts.fct_orders limit 1")
        con.execute("update marts.support_kpis set fcr_rate = 1.5 where fcr_rate is not null")
    finally:
        con.close()

    result = run_job(orch, instance, "audit_and_publish")

    assert not result.success
    assert "published_snapshot" not in started_steps(result)
    failures = failed_checks(result)
    assert "marts/fct_orders:mart_expectations" in failures
    assert "marts/support_kpis:mart_expectations" in failures
    assert "fcr_rate" in failures["marts/support_kpis:mart_expectations"].description
    assert sha256(env.published) == published_before
    record = json.loads((env.published_dir / "last_failure.json").read_text())
    assert record["failures"][0]["step"] == "mart_quality_gates"


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
# Gates in detail (no Dagster run)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        ({"orders": None}, "orders.csv (or orders.parquet) is missing"),
        (
            {"tickets": RAW_FILES["tickets.csv"].replace("2025-01-25 10:00:00,", "yesterday,")},
            "tickets.created_at are ISO 8601 timestamps",
        ),
        (
            {"survey_responses": RAW_FILES["survey_responses.csv"].replace(",10,", ",11,")},
            "scores in range",
        ),
        ({"orders": RAW_FILES["orders.csv"].replace(",150,", ",-150,")}, "amounts >= 0"),
        ({"agents": None}, None),
    ],
)
def test_raw_gate_rules(
    env: Env,
    orch: SimpleNamespace,
    tmp_path: Path,
    replacements: dict[str, str | None],
    expected: str | None,
) -> None:
    from orchestration.quality import GreatExpectationsRunner
    from orchestration.resources import QualityGateConfig

    table = next(iter(replacements))
    raw_dir = write_raw_folder(tmp_path / "raw", **replacements)
    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    outcomes, problem, _ = orch.checks.validate_raw_table(
        duckdb.connect(), runner, raw_dir, table, QualityGateConfig()
    )
    failures = [problem] if problem else [text for o in outcomes for text in o.blocking_failures]
    if expected is None:
        assert failures == []
    else:
        assert any(expected in text for text in failures), failures


def test_raw_gate_reads_parquet_files(env: Env, orch: SimpleNamespace, tmp_path: Path) -> None:
    from orchestration.quality import GreatExpectationsRunner
    from orchestration.resources import QualityGateConfig

    raw_dir = write_raw_folder(tmp_path / "raw", orders=None)
    duckdb.execute(
        f"copy (select * from read_csv('{env.raw_dir / 'orders.csv'}', all_varchar = true)) "
        f"to '{raw_dir / 'orders.parquet'}' (format parquet)"
    )
    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    outcomes, problem, extra = orch.checks.validate_raw_table(
        duckdb.connect(), runner, raw_dir, "orders", QualityGateConfig()
    )
    assert problem is None and outcomes and all(outcome.passed for outcome in outcomes)
    assert outcomes[1].observed["row_count"] == 6
    duckdb.execute(f"copy (select 1 as x) to '{raw_dir / 'orders.csv'}' (header)")
    _, problem, _ = orch.checks.validate_raw_table(
        duckdb.connect(), runner, raw_dir, "orders", QualityGateConfig()
    )
    assert problem is not None and "keep exactly one of them" in problem


def test_thresholds_are_configurable(env: Env, orch: SimpleNamespace, tmp_path: Path) -> None:
    from orchestration.quality import GreatExpectationsRunner
    from orchestration.resources import QualityGateConfig

    tickets = RAW_FILES["tickets.csv"].replace("2025-01-25 10:00:00,", "yesterday,")
    raw_dir = write_raw_folder(tmp_path / "raw", tickets=tickets)
    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    lenient = QualityGateConfig(min_parseable_timestamp_share=0.5)
    outcomes, problem, _ = orch.checks.validate_raw_table(
        duckdb.connect(), runner, raw_dir, "tickets", lenient
    )
    assert problem is None
    assert not [text for outcome in outcomes for text in outcome.blocking_failures]


def test_period_spine_gaps_are_found(env: Env, orch: SimpleNamespace) -> None:
    from orchestration.quality import mart_summary

    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.revenue as
        select * from (values
            ('month', date '2025-01-01', 0.5),
            ('month', date '2025-03-01', 0.2),
            ('week', date '2025-01-06', null),
            ('week', date '2025-01-13', 1.0)
        ) as t(period_grain, period_start, cancellation_rate)
        """
    )
    summary = mart_summary(con, "revenue")
    assert summary.metrics["missing_periods"] == 1
    assert summary.metrics["grains"] == 2
    assert summary.metrics["duplicate_keys"] == 0
    assert summary.metrics["cancellation_rate__max"] == 1.0


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

    from orchestration.resources import WarehouseResource

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
        resources={"warehouse": WarehouseResource()},
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
    assert kinds[("marts/revenue", "mart_expectations")] == "great_expectations"
    assert kinds[("audit/source_reconciliation", "row_reconciliation")] == "great_expectations"
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
