"""The Dagster definitions without a build: the asset graph, the code location
`dagster dev` loads from pyproject.toml, the instance's one-run-at-a-time
queue, the nightly schedule and the failure sensor."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from orchestration_env import (
    MARTS,
    PROJECT_ROOT,
    RAW_TABLES,
    Env,
    run_job,
)

pytestmark = pytest.mark.xdist_group("orchestration")
# A dbt data test that every run evaluates as an asset check.
RECONCILIATION_KEY = ("audit/source_reconciliation", "unique_source_reconciliation_source_table")


@pytest.fixture(scope="module")
def home_instance(env: Env) -> Iterator[Any]:
    """The instance `dagster dev` would use, configured by orchestration/dagster.yaml."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(env.dagster_home)) as dagster_instance:
        yield dagster_instance


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
