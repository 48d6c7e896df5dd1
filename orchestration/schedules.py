"""The nightly schedule: 02:00 in Ho Chi Minh City, skipped while a run is in progress."""

from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from orchestration.jobs import NIGHTLY_JOB_NAME, nightly_job

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Asia/Ho_Chi_Minh"
IN_PROGRESS = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
]


@schedule(
    job=nightly_job,
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=NIGHTLY_TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="Rebuild, check and publish the warehouse every night at 02:00 (Asia/Ho_Chi_Minh).",
)
def nightly_schedule(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
    in_progress = context.instance.get_run_records(
        RunsFilter(job_name=NIGHTLY_JOB_NAME, statuses=IN_PROGRESS), limit=1
    )
    if in_progress:
        return SkipReason(
            f"Run {in_progress[0].dagster_run.run_id} of {NIGHTLY_JOB_NAME} is still in progress."
        )
    scheduled_for = context.scheduled_execution_time
    return RunRequest(
        run_key=scheduled_for.isoformat() if scheduled_for else None,
        tags={"cs_analytics/trigger": "nightly_schedule"},
    )
