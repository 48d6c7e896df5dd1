"""The latest event of each fact against the last good run (the published
snapshot): an export whose latest order, ticket or survey response is older
than the one BI shows today would roll the marts back in time, so the run
does not publish it (a blocking check, after dbt and before the publish step).

dbt sees one export at a time and cannot tell an old export from a new one;
here the latest event of each fact mart is compared with the published one.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.gx_runner import GateResult, between, frame_from_metrics
from orchestration.last_good_run import Comparison, not_compared, scalar

# Fact mart -> the column of its event time.
LATEST_EVENTS: dict[str, str] = {
    "fct_orders": "ordered_at",
    "fct_tickets": "created_at",
    "fct_survey_responses": "submitted_at",
}


def latest_event(con: duckdb.DuckDBPyConnection | None, mart: str) -> dt.datetime | None:
    """The latest event time of the mart, or None when it is not there or empty."""
    column = LATEST_EVENTS[mart]
    return scalar(con, "marts", mart, f"select max({column}) from marts.{mart}")


def freshness_result(mart: str, comparison: Comparison) -> GateResult:
    """Today's latest event of `mart` no more than max_hours_behind_previous before
    the last good run's; blocking."""
    gates = comparison.gates
    event = f"{mart}.{LATEST_EVENTS[mart]}"
    current = latest_event(comparison.work, mart)
    before = latest_event(comparison.last_good.con, mart)
    observed = {
        "latest": current.isoformat() if current else None,
        "previous_latest": before.isoformat() if before else None,
    }
    if before is None:
        return not_compared(event, comparison.last_good, **observed)
    if current is None:
        return GateResult.refused(
            f"{event}: the build has no event at all, while the previous snapshot's latest is "
            f"{before:%Y-%m-%d %H:%M}; check the export before publishing it."
        )
    hours_behind = (before - current).total_seconds() / 3600
    metric = "hours_behind_previous"
    outcome = comparison.runner.validate(
        f"latest_{mart}__vs_previous_snapshot",
        frame_from_metrics({metric: hours_behind}),
        [
            between(
                metric,
                None,
                gates.max_hours_behind_previous,
                f"the latest {event} ({current:%Y-%m-%d %H:%M}) is at most "
                f"{gates.max_hours_behind_previous:g} h before the previous snapshot's "
                f"({before:%Y-%m-%d %H:%M}); an older export would roll the marts back",
            )
        ],
    )
    return GateResult.from_outcome(outcome, **observed, hours_behind_previous=hours_behind)
