"""Alerting without a network: every failed run appends one JSON line to
<warehouse>/alerts.jsonl (run id, failed step, error, failed checks)."""

import datetime as dt
from typing import Any

from dagster import DefaultSensorStatus, RunFailureSensorContext, run_failure_sensor

from orchestration.failures import describe_error, failed_blocking_checks
from orchestration.publish import append_json_line
from orchestration.resources import WarehouseResource


def alert_record(context: RunFailureSensorContext) -> dict[str, Any]:
    """What went wrong in the failed run, as one JSON-ready dict."""
    run = context.dagster_run
    checks = failed_blocking_checks(context.instance, run.run_id)
    failed_steps = []
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        message = data.error.message if data and data.error else ""
        failed_steps.append({"step": event.step_key, "error": describe_error(message, checks)})
    run_error = describe_error(context.failure_event.message or "The run failed.", checks)
    return {
        "alerted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run_id": run.run_id,
        "job": run.job_name,
        "failed_step": failed_steps[0]["step"] if failed_steps else None,
        "error": failed_steps[0]["error"] if failed_steps else run_error,
        "failed_steps": failed_steps,
        "failed_checks": checks,
    }


@run_failure_sensor(
    name="alert_on_run_failure",
    default_status=DefaultSensorStatus.RUNNING,
    description="Appends a JSON line to <warehouse>/alerts.jsonl for every failed run.",
)
def alert_on_run_failure(context: RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    record = alert_record(context)
    append_json_line(warehouse.alerts_path(), record)
    context.log.info(f"Appended an alert for run {record['run_id']} to {warehouse.alerts_path()}.")
