"""Why a run failed, in words: failed steps and the failed blocking checks behind them."""

from typing import Any

from dagster import AssetCheckEvaluation, AssetCheckSeverity, DagsterEventType, DagsterInstance


def check_evaluations(instance: DagsterInstance, run_id: str) -> list[AssetCheckEvaluation]:
    """Every asset check evaluated in the run (Great Expectations gates and dbt tests)."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    events = (record.event_log_entry.dagster_event for record in records)
    return [event.event_specific_data for event in events if event and event.event_specific_data]


def failed_blocking_checks(instance: DagsterInstance, run_id: str) -> list[dict[str, Any]]:
    """The ERROR-severity asset checks that failed in the run, with their descriptions."""
    return [
        {
            "check": f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}",
            "description": evaluation.description or "",
        }
        for evaluation in check_evaluations(instance, run_id)
        if not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR
    ]


def describe_error(message: str, checks: list[dict[str, Any]], limit: int = 4000) -> str:
    """The step's error, followed by what the failed checks found."""
    text = message.strip()
    if checks:
        text += "\n" + "\n".join(f"{check['check']}: {check['description']}" for check in checks)
    return text[:limit]
