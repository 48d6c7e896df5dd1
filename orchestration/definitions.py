"""The one Dagster code location of the project (`dagster dev` from the project root)."""

from dagster import Definitions, in_process_executor

from orchestration.assets import cs_analytics_dbt_assets, published_snapshot, raw_files
from orchestration.checks import headline_kpi_checks, latest_event_checks, raw_quality_gates
from orchestration.jobs import audit_and_publish_job, nightly_job
from orchestration.report_asset import report
from orchestration.resources import build_resources
from orchestration.schedules import nightly_schedule
from orchestration.sensors import alert_on_run_failure

defs = Definitions(
    # nightly_job selects every asset, so the report is built after each publish.
    assets=[*raw_files, cs_analytics_dbt_assets, published_snapshot, report],
    asset_checks=[raw_quality_gates, latest_event_checks, headline_kpi_checks],
    jobs=[nightly_job, audit_and_publish_job],
    schedules=[nightly_schedule],
    sensors=[alert_on_run_failure],
    resources=build_resources(),
    # One process per run: dbt is the only writer of the work database and the
    # steps after it read it in turn (DuckDB allows one writer and no reader beside it).
    executor=in_process_executor,
)
