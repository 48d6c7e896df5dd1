"""The nightly job: raw gates -> dbt build -> latest-event and KPI checks -> publish,
one run at a time."""

from dagster import AssetSelection, HookContext, define_asset_job, failure_hook

from orchestration.assets import published_snapshot
from orchestration.checks import headline_kpi_checks, latest_event_checks, raw_quality_gates
from orchestration.failures import describe_error, failed_blocking_checks
from orchestration.publish import record_failure
from orchestration.resources import WarehouseResource

NIGHTLY_JOB_NAME = "nightly_build"
AUDIT_AND_PUBLISH_JOB_NAME = "audit_and_publish"
# Runs carrying this tag are limited to one at a time by the instance's run
# queue (orchestration/dagster.yaml: concurrency.runs.tag_concurrency_limits).
WAREHOUSE_TAG = "cs_analytics/warehouse"


@failure_hook(required_resource_keys={"warehouse"})
def record_failed_step(context: HookContext) -> None:
    """Write why the run did not publish to <published>/last_failure.json."""
    warehouse: WarehouseResource = context.resources.warehouse
    error = context.op_exception
    message = f"{type(error).__name__}: {error}" if error else "see the run's logs"
    try:
        checks = failed_blocking_checks(context.instance, context.run_id)
    except Exception:  # noqa: BLE001 - the record matters more than its detail
        checks = []
    record_failure(
        warehouse.last_failure_path(),
        run_id=context.run_id,
        job_name=context.job_name,
        step=context.step_key,
        error=describe_error(message, checks),
    )


nightly_job = define_asset_job(
    name=NIGHTLY_JOB_NAME,
    selection=AssetSelection.all() | AssetSelection.checks(raw_quality_gates),
    description=(
        "Write, audit, publish: Great Expectations gates on the raw files, dbt build (and its "
        "tests) into the work database, the latest events and headline KPIs against the "
        "previous snapshot, then an atomic swap of the published snapshot."
    ),
    tags={WAREHOUSE_TAG: "write"},
    hooks={record_failed_step},
)

audit_and_publish_job = define_asset_job(
    name=AUDIT_AND_PUBLISH_JOB_NAME,
    selection=(
        AssetSelection.assets(published_snapshot)
        | AssetSelection.checks(latest_event_checks, headline_kpi_checks)
    ),
    description=(
        "Audit and publish the work database as it is (after `make run` or a manual "
        "`dbt build`): the latest-event and headline-KPI checks, then the atomic swap of the "
        "published snapshot."
    ),
    tags={WAREHOUSE_TAG: "write"},
    hooks={record_failed_step},
)
