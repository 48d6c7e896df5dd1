"""Why a run failed, in words: failed steps and the failed blocking checks behind them."""

from typing import Any

from dagster import AssetCheckSeverity, DagsterEventType, DagsterInstance


def failed_blocking_checks(instance: DagsterInstance, run_id: str) -> list[dict[str, Any]]:
    """The ERROR-severity asset checks that failed in the run, with their descriptions."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    failed = []
    for record in records:
        event = record.event_log_entry.dagster_event
        evaluation = event.event_specific_data if event else None
        if evaluation is None or evaluation.passed:
            continue
        if evaluation.severity != AssetCheckSeverity.ERROR:
            continue
        failed.append(
            {
                "check": f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}",
                "description": evaluation.description or "",
            }
        )
    return failed


def describe_error(message: str, checks: list[dict[str, Any]], limit: int = 4000) -> str:
    """The step's error, followed by what the failed checks found."""
    text = message.strip()
    if checks:
        text += "\n" + "\n".join(f"{check['check']}: {check['description']}" for check in checks)
    return text[:limit]
